//! Tests of the expression language as a whole: parsing, every function family, scopes,
//! limits.

use super::budget::{deeper_than, BUDGET, MAX_STEPS, MAX_VAL_DEPTH, TOO_LARGE};
use super::*;
use crate::model::{Part, Resolved};
use std::borrow::Cow;

const GUID: &str = "0b9c1c8e-5c56-4c3e-8f8f-0c8f5b1b2a11";

fn ev(src: &str) -> Val {
    eval(
        &parse(src).unwrap_or_else(|e| panic!("{src}: {e}")),
        &EmptyScope,
    )
}

fn s(x: &str) -> Val {
    Val::Str(x.to_string())
}

fn lit(x: &str) -> Part {
    Part::Lit(x.to_string())
}

fn op(text: &str, len: Option<usize>) -> Part {
    Part::Opaque {
        text: text.to_string(),
        len,
    }
}

fn is_unknown(v: &Val, needle: &str) -> bool {
    matches!(v, Val::Unknown(m) if m.contains(needle))
}

fn template() -> String {
    let mut doubling = String::new();
    for k in 1..=40 {
        doubling.push_str(&format!(
            ",\n    \"d{k}\": \"[concat(variables('d{p}'), variables('d{p}'))]\"",
            p = k - 1
        ));
    }
    format!(
        r#"{{
  // A template with comments, parsed by crate::sources::json.
  "parameters": {{
    "location": {{ "type": "string", "defaultValue": "[resourceGroup().location]" }},
    "guid": {{ "type": "string", "defaultValue": "{GUID}" }},
    "tags": {{ "type": "object", "defaultValue": {{ "tracking": "[concat('pid-', parameters('guid'))]", "n": 3 }} }},
    "telemetry": {{ "type": "string", "defaultValue": "Yes" }},
    "enabled": {{ "type": "bool", "defaultValue": false }},
    "noDefault": {{ "type": "string" }},
    "literal": {{ "type": "string", "defaultValue": "[[not an expression]" }},
    "bad": {{ "type": "string", "defaultValue": "[concat('a']" }},
    "pa": {{ "type": "string", "defaultValue": "[parameters('pb')]" }},
    "pb": {{ "type": "string", "defaultValue": "[parameters('pa')]" }}
  }},
  "variables": {{
    "CuaId": "{GUID}",
    "names": {{ "pid": "[concat('pid-', variables('cuaid'))]" }},
    "arr": [ "first", "[concat('pid-', variables('cuaId'))]" ],
    "a": "[variables('b')]",
    "b": "[concat('x', variables('a'))]",
    "self": "[concat('x', variables('self'))]",
    "c1": "[variables('c2')]",
    "c2": "[variables('c3')]",
    "c3": "[variables('c1')]",
    "fine": "[concat(variables('names').pid, '-', 'ok')]",
    "propCopy": {{ "copy": [ {{ "name": "disks", "count": 2, "input": "x" }} ] }},
    "copy": [ {{ "name": "looped", "count": 2, "input": "[copyIndex('looped')]" }} ],
    "d0": "abcd"{doubling}
  }},
  "resources": []
}}"#
    )
}

fn with_template<R>(f: impl FnOnce(&TemplateScope<'_>) -> R) -> R {
    let text = template();
    // As the template reader parses it: array and object variables are built when asked for.
    let parsed = crate::sources::arm::shape::parse_template(&text).unwrap();
    let scope = TemplateScope::new(&parsed.root, &text);
    f(&scope)
}

fn ev_in(scope: &TemplateScope<'_>, json_string: &str) -> Val {
    eval_json_string(json_string, scope)
}

// ---- parser ----

#[test]
fn parse_basics() {
    assert_eq!(parse("'it''s'").unwrap(), Expr::Str("it's".into()));
    assert_eq!(parse(" -42 ").unwrap(), Expr::Int(-42));
    let e = parse("concat( 'a' , variables('x').b[1] )").unwrap();
    assert_eq!(e.to_string(), "concat('a', variables('x').b[1])");
    match &e {
        Expr::Call { name, args } => {
            assert_eq!(name, "concat");
            assert_eq!(args.len(), 2);
            assert!(matches!(&args[1], Expr::Index { .. }));
        }
        _ => panic!(),
    }
    assert_eq!(
        parse("newGuid()").unwrap(),
        Expr::Call {
            name: "newGuid".into(),
            args: vec![]
        }
    );
    assert_eq!(parse("ns.fn(1)").unwrap().to_string(), "ns.fn(1)");
    assert_eq!(parse("f()[0].x['y']").unwrap().to_string(), "f()[0].x['y']");
    assert_eq!(parse("\n\tf(\n1\n)\n").unwrap().to_string(), "f(1)");
    assert_eq!(parse("'a''b'").unwrap().to_string(), "'a''b'");
}

#[test]
fn parse_errors() {
    let err = |s: &str| parse(s).unwrap_err();
    assert_eq!(err(""), "empty expression");
    assert_eq!(err("   "), "empty expression");
    assert!(
        err("concat('a'").contains("missing ')'"),
        "{}",
        err("concat('a'")
    );
    assert!(err("concat('a',").contains("missing ')'"));
    assert!(
        err("concat('a'))").contains("unexpected ')'"),
        "{}",
        err("concat('a'))")
    );
    assert!(
        err("concat('a' 'b')").contains("expected ',' or ')'"),
        "{}",
        err("concat('a' 'b')")
    );
    assert!(
        err("'abc").contains("unterminated string"),
        "{}",
        err("'abc")
    );
    assert!(err("concat('abc)").contains("unterminated string"));
    assert!(err("variables").contains("expected '('"));
    assert!(err("true").contains("true()"), "{}", err("true"));
    assert!(err("f().").contains("property name"));
    assert!(err("f()[1").contains("expected ']'"));
    assert!(err("1.5").contains("whole numbers"), "{}", err("1.5"));
    assert!(err("99999999999999999999").contains("too large"));
    assert!(err("-").contains("number"));
    assert!(err(")").contains("unbalanced"), "{}", err(")"));
    assert!(err("f(,)").contains("expected a value"), "{}", err("f(,)"));
    assert!(
        err("f() g()").contains("after the end"),
        "{}",
        err("f() g()")
    );
    assert!(
        err("f('é' x)").contains("character 7"),
        "{}",
        err("f('é' x)")
    );
}

#[test]
fn parse_deep_nesting() {
    let ok = "concat(".repeat(200) + "'x'" + &")".repeat(200);
    assert!(parse(&ok).is_ok());
    let deep = "concat(".repeat(10_000) + "'x'" + &")".repeat(10_000);
    assert_eq!(
        parse(&deep).unwrap_err(),
        "expression nested deeper than 256 levels"
    );
    let deep_idx = "f()".to_string() + &"[0]".repeat(10_000);
    assert_eq!(
        parse(&deep_idx).unwrap_err(),
        "expression nested deeper than 256 levels"
    );
    let deep_member = "f()".to_string() + &".a".repeat(10_000);
    assert_eq!(
        parse(&deep_member).unwrap_err(),
        "expression nested deeper than 256 levels"
    );
    let deep_index_expr = "a()[".repeat(10_000);
    assert_eq!(
        parse(&deep_index_expr).unwrap_err(),
        "expression nested deeper than 256 levels"
    );
    // On a small stack, as in WebAssembly (1 MB): also evaluate the deepest accepted.
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            let deep = "concat(".repeat(10_000) + "'x'" + &")".repeat(10_000);
            assert!(parse(&deep).is_err());
            let max = "concat(".repeat(MAX_NESTING) + "'x'" + &")".repeat(MAX_NESTING);
            let e = parse(&max).unwrap();
            assert_eq!(eval(&e, &EmptyScope), s("x"));
            let text = e.to_string();
            assert_eq!(text.len(), max.len());
            let chain = "skip(".repeat(MAX_NESTING - 1)
                + "uniqueString('a')"
                + &", 0)".repeat(MAX_NESTING - 1);
            let v = eval(&parse(&chain).unwrap(), &EmptyScope);
            assert!(matches!(v, Val::Partial(_)));
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn literals_and_escapes() {
    assert!(is_expression("[concat('a')]"));
    assert!(!is_expression("[[concat('a')]"));
    assert!(!is_expression("concat('a')"));
    assert!(!is_expression("[abc"));
    assert!(!is_expression("["));
    assert!(is_expression("[]"));
    assert_eq!(unescape_literal("[[x]"), "[x]");
    assert_eq!(unescape_literal("[[x"), "[[x");
    assert_eq!(unescape_literal("plain"), "plain");
    assert!(matches!(unescape_literal("plain"), Cow::Borrowed(_)));
    assert_eq!(
        eval_json_string("[[concat('a')]", &EmptyScope),
        s("[concat('a')]")
    );
    assert_eq!(eval_json_string("pid-x", &EmptyScope), s("pid-x"));
    assert_eq!(eval_json_string("[concat('a', 'b')]", &EmptyScope), s("ab"));
    assert!(is_unknown(
        &eval_json_string("[concat('a']", &EmptyScope),
        "invalid expression: missing ')'"
    ));
    assert!(is_unknown(
        &eval_json_string("[]", &EmptyScope),
        "invalid expression: empty"
    ));
}

// ---- functions ----

#[test]
fn concat_fn() {
    assert_eq!(ev("concat('a', 'b', 1, -2)"), s("ab1-2"));
    assert_eq!(ev("concat()"), s(""));
    assert_eq!(
        ev("concat(createArray(1, 2), createArray('x'))"),
        Val::Array(vec![Val::Int(1), Val::Int(2), s("x")])
    );
    assert_eq!(
        ev("concat('pid-', uniqueString('x'))"),
        Val::Partial(vec![lit("pid-"), op("uniqueString('x')", Some(13))])
    );
    // A soft unknown inside a string becomes an opaque piece.
    assert_eq!(
        ev("concat('pid-', parameters('guid'))"),
        Val::Partial(vec![lit("pid-"), op("parameters('guid')", None)])
    );
    assert!(is_unknown(
        &ev("concat('a', true())"),
        "cannot use a boolean"
    ));
    assert!(is_unknown(
        &ev("CONCAT(createArray(1), 'x')"),
        "cannot join a string with arrays"
    ));
}

#[test]
fn format_fn() {
    assert_eq!(ev("format('pid-{0}-{1}', 'a', 2)"), s("pid-a-2"));
    assert_eq!(ev("format('{{{0}}}', 'x')"), s("{x}"));
    assert_eq!(ev("format('{0}{0}', 'ab')"), s("abab"));
    assert_eq!(ev("format('{0:N0}', 'plain')"), s("plain"));
    assert!(is_unknown(&ev("format('{0:D4}', 7)"), "format specifier"));
    assert!(is_unknown(&ev("format('{1}', 'a')"), "no argument"));
    assert!(is_unknown(&ev("format('{0', 'a')"), "not closed"));
    assert!(is_unknown(&ev("format('a}b')"), "unmatched"));
    assert!(is_unknown(&ev("format('{x}', 'a')"), "invalid placeholder"));
    assert!(is_unknown(&ev("format('{0,5}', 'a')"), "alignment"));
    assert_eq!(ev("format('{0}', true())"), s("True"));
    assert_eq!(
        ev("format('pid-{0}-{1}', 'g', uniqueString(resourceGroup().id))"),
        Val::Partial(vec![
            lit("pid-g-"),
            op("uniqueString(resourceGroup().id)", Some(13))
        ])
    );
}

#[test]
fn take_skip_substring() {
    assert_eq!(ev("take('abcdef', 3)"), s("abc"));
    assert_eq!(ev("take('abc', 10)"), s("abc"));
    assert_eq!(ev("take('abc', -1)"), s(""));
    assert_eq!(ev("take('héllo', 2)"), s("hé"));
    assert_eq!(ev("skip('héllo', 2)"), s("llo"));
    assert_eq!(ev("skip('abc', 99)"), s(""));
    assert_eq!(
        ev("take(createArray(1, 2, 3), 2)"),
        Val::Array(vec![Val::Int(1), Val::Int(2)])
    );
    assert_eq!(
        ev("skip(createArray(1, 2, 3), 2)"),
        Val::Array(vec![Val::Int(3)])
    );
    assert_eq!(ev("substring('abcdef', 1, 3)"), s("bcd"));
    assert_eq!(ev("substring('abcdef', 2)"), s("cdef"));
    assert_eq!(ev("substring('ééé', 1, 1)"), s("é"));
    assert!(is_unknown(
        &ev("substring('abc', 2, 5)"),
        "outside the string"
    ));
    assert!(is_unknown(&ev("substring('abc', -1)"), "negative"));
    // Partial strings.
    let u = "uniqueString('x')";
    assert_eq!(
        ev(&format!("take(concat('pid-', {u}, '-end'), 10)")),
        Val::Partial(vec![lit("pid-"), op(u, Some(6))])
    );
    assert_eq!(ev(&format!("take(concat('pid-', {u}), 3)")), s("pid"));
    assert_eq!(
        ev(&format!("take(concat('pid-', {u}, '-end'), 19)")),
        Val::Partial(vec![lit("pid-"), op(u, Some(13)), lit("-e")])
    );
    // The cut point after an opaque piece of unknown length is unknowable.
    assert_eq!(
        ev("take(concat('pid-', resourceGroup().name, '-end'), 10)"),
        Val::Partial(vec![lit("pid-"), op("resourceGroup().name", None)])
    );
    assert_eq!(
        ev(&format!("skip(concat('ab', {u}, 'cd'), 5)")),
        Val::Partial(vec![op(u, Some(10)), lit("cd")])
    );
    assert_eq!(ev(&format!("skip(concat('ab', {u}, 'cd'), 16)")), s("d"));
    assert_eq!(
        ev("skip(concat('ab', deployment().name, 'cd'), 3)"),
        Val::Partial(vec![op(
            "skip(concat('ab', deployment().name, 'cd'), 3)",
            None
        )])
    );
    assert_eq!(
        ev(&format!("substring(concat('ab', {u}), 1, 3)")),
        Val::Partial(vec![lit("b"), op(u, Some(2))])
    );
    // Huge counts.
    assert_eq!(ev("take('abc', 9223372036854775807)"), s("abc"));
    assert_eq!(ev("skip('abc', -9223372036854775807)"), s("abc"));
}

#[test]
fn case_functions_and_replace_trim() {
    assert_eq!(ev("toLower('AbC')"), s("abc"));
    assert_eq!(ev("TOUPPER('AbC')"), s("ABC"));
    assert_eq!(
        ev("toUpper(concat('pid-', uniqueString('a')))"),
        Val::Partial(vec![lit("PID-"), op("uniqueString('a')", Some(13))])
    );
    assert_eq!(ev("replace('a-b-c', '-', '')"), s("abc"));
    assert!(is_unknown(&ev("replace('abc', '', 'x')"), "empty"));
    assert_eq!(
        ev("replace(concat('a-', uniqueString('a')), '-', '_')"),
        Val::Partial(vec![lit("a_"), op("uniqueString('a')", Some(13))])
    );
    assert_eq!(
        ev("replace(concat('a-', uniqueString('a')), '-', '')"),
        Val::Partial(vec![lit("a"), op("uniqueString('a')", None)])
    );
    assert_eq!(ev("trim('  a b  ')"), s("a b"));
    assert_eq!(
        ev("trim(concat('  a', guid('x'), 'b  '))"),
        Val::Partial(vec![lit("a"), op("guid('x')", Some(36)), lit("b")])
    );
}

#[test]
fn conversions() {
    assert_eq!(ev("string(12)"), s("12"));
    assert_eq!(ev("string(true())"), s("True"));
    assert_eq!(ev("string('x')"), s("x"));
    assert_eq!(
        ev("string(createObject('a', createArray(1, 'b\"')))"),
        s("{\"a\":[1,\"b\\\"\"]}")
    );
    assert_eq!(ev("int('42')"), Val::Int(42));
    assert_eq!(ev("int(7)"), Val::Int(7));
    assert!(is_unknown(&ev("int('x')"), "not an integer"));
    assert_eq!(ev("bool('TRUE')"), Val::Bool(true));
    assert_eq!(ev("bool(0)"), Val::Bool(false));
    assert!(is_unknown(&ev("bool('maybe')"), "cannot convert"));
    assert_eq!(
        ev("json('{\"a\": [1, \"[x]\"], \"b\": null}')"),
        Val::Object(vec![
            ("a".into(), Val::Array(vec![Val::Int(1), s("[x]")])),
            ("b".into(), Val::Null),
        ])
    );
    assert_eq!(ev("json('true')"), Val::Bool(true));
    assert!(is_unknown(&ev("json('{')"), "json:"));
    assert_eq!(ev("json('{\"a\": 1}').A"), Val::Int(1));
}

#[test]
fn length_empty_first_last() {
    assert_eq!(ev("length('héllo')"), Val::Int(5));
    assert_eq!(ev("length(createArray(1, 2))"), Val::Int(2));
    assert_eq!(ev("length(createObject('a', 1))"), Val::Int(1));
    assert_eq!(
        ev("length(concat('pid-', uniqueString('a')))"),
        Val::Int(17)
    );
    assert!(is_unknown(
        &ev("length(concat('pid-', utcNow()))"),
        "not known"
    ));
    assert_eq!(ev("empty('')"), Val::Bool(true));
    assert_eq!(ev("empty(createArray())"), Val::Bool(true));
    assert_eq!(ev("empty(null())"), Val::Bool(true));
    assert_eq!(ev("empty('a')"), Val::Bool(false));
    assert_eq!(ev("empty(uniqueString('a'))"), Val::Bool(false));
    assert_eq!(ev("first(createArray(1, 2))"), Val::Int(1));
    assert_eq!(ev("last(createArray(1, 2))"), Val::Int(2));
    assert_eq!(ev("first(createArray())"), Val::Null);
    assert_eq!(ev("first('héllo')"), s("h"));
    assert_eq!(ev("last('héllo')"), s("o"));
    assert_eq!(ev("first(concat('p', guid('a')))"), s("p"));
}

#[test]
fn logic() {
    assert_eq!(ev("equals('a', 'a')"), Val::Bool(true));
    assert_eq!(ev("equals('a', 'A')"), Val::Bool(false));
    assert_eq!(ev("equals(1, '1')"), Val::Bool(false));
    assert_eq!(
        ev("equals(createArray(1), createArray(1))"),
        Val::Bool(true)
    );
    assert!(is_unknown(
        &ev("equals(uniqueString('a'), 'x')"),
        "cannot be evaluated"
    ));
    assert!(is_unknown(
        &ev("equals(parameters('x'), 'x')"),
        "no parameter 'x'"
    ));
    assert_eq!(ev("not(true())"), Val::Bool(false));
    assert_eq!(ev("not('False')"), Val::Bool(true));
    assert_eq!(ev("and(true(), 'true', true())"), Val::Bool(true));
    assert_eq!(ev("and(true(), false())"), Val::Bool(false));
    assert_eq!(ev("and(parameters('x'), false())"), Val::Bool(false));
    assert!(is_unknown(
        &ev("and(parameters('x'), true())"),
        "no parameter"
    ));
    assert_eq!(ev("or(false(), true())"), Val::Bool(true));
    assert_eq!(ev("or(parameters('x'), true())"), Val::Bool(true));
    assert_eq!(ev("or(false(), false())"), Val::Bool(false));
    assert_eq!(ev("if(true(), 'a', 'b')"), s("a"));
    assert_eq!(ev("IF(false(), 'a', 'b')"), s("b"));
    assert_eq!(ev("if(equals(1, 1), 'a', parameters('nothing'))"), s("a"));
    assert_eq!(ev("if(parameters('x'), 'same', 'same')"), s("same"));
    assert!(is_unknown(
        &ev("if(parameters('x'), 'a', 'b')"),
        "condition"
    ));
    assert!(is_unknown(&ev("if(true(), 'a')"), "3 arguments"));
    assert_eq!(ev("coalesce(null(), null(), 'x', 'y')"), s("x"));
    assert_eq!(ev("coalesce(null())"), Val::Null);
    assert_eq!(ev("true()"), Val::Bool(true));
    assert_eq!(ev("false()"), Val::Bool(false));
    assert_eq!(ev("null()"), Val::Null);
    assert!(is_unknown(&ev("true(1)"), "expects 0"));
}

#[test]
fn arrays_objects_access() {
    assert_eq!(ev("createArray(1, 'a')[1]"), s("a"));
    assert!(is_unknown(&ev("createArray(1)[5]"), "out of range"));
    assert!(is_unknown(&ev("createArray(1)[-1]"), "out of range"));
    assert_eq!(ev("createObject('Key', 'v').KEY"), s("v"));
    assert_eq!(ev("createObject('Key', 'v')['key']"), s("v"));
    assert!(is_unknown(&ev("createObject('a', 1).b"), "no property 'b'"));
    assert!(is_unknown(&ev("createObject('a')"), "pairs"));
    assert!(is_unknown(
        &ev("'abc'.length"),
        "cannot read property 'length' of a string"
    ));
    assert!(is_unknown(&ev("createArray(1)['x']"), "cannot index"));
}

#[test]
fn runtime_functions() {
    assert_eq!(
        ev("uniqueString('a', 'b')"),
        Val::Partial(vec![op("uniqueString('a', 'b')", Some(13))])
    );
    assert_eq!(
        ev("guid('a')"),
        Val::Partial(vec![op("guid('a')", Some(36))])
    );
    assert_eq!(
        ev("newGuid()"),
        Val::Partial(vec![op("newGuid()", Some(36))])
    );
    assert_eq!(ev("utcNow()"), Val::Partial(vec![op("utcNow()", None)]));
    assert_eq!(
        ev("resourceGroup().location"),
        Val::Partial(vec![op("resourceGroup().location", None)])
    );
    assert_eq!(
        ev("subscription().subscriptionId"),
        Val::Partial(vec![op("subscription().subscriptionId", Some(36))])
    );
    assert_eq!(
        ev("reference('x').outputs['y'].value"),
        Val::Partial(vec![op("reference('x').outputs['y'].value", None)])
    );
    for f in [
        "deployment()",
        "tenant()",
        "managementGroup()",
        "environment()",
        "resourceId('a', 'b')",
        "listKeys('x', '2020')",
    ] {
        assert!(matches!(ev(f), Val::Partial(_)), "{f}");
    }
    assert_eq!(
        ev("noSuchThing(1)"),
        Val::Unknown("function 'noSuchThing' is not evaluated statically".into())
    );
    assert!(is_unknown(&ev("ns.fn()"), "function 'ns.fn'"));
}

#[test]
fn extra_functions() {
    assert_eq!(ev("add(1, 2)"), Val::Int(3));
    assert_eq!(ev("sub(1, 2)"), Val::Int(-1));
    assert_eq!(ev("mul(3, 2)"), Val::Int(6));
    assert_eq!(ev("div(7, 2)"), Val::Int(3));
    assert_eq!(ev("mod(7, 2)"), Val::Int(1));
    assert!(is_unknown(&ev("div(1, 0)"), "division"));
    assert!(is_unknown(&ev("add(9223372036854775807, 1)"), "overflow"));
    assert!(is_unknown(&ev("div(-9223372036854775807, 0)"), "division"));
    assert!(is_unknown(
        &ev("mod(sub(-9223372036854775807, 1), -1)"),
        "overflow"
    ));
    assert_eq!(ev("less(1, 2)"), Val::Bool(true));
    assert_eq!(ev("greaterOrEquals('b', 'a')"), Val::Bool(true));
    assert_eq!(ev("contains('abc', 'b')"), Val::Bool(true));
    assert_eq!(ev("contains(createArray(1, 2), 2)"), Val::Bool(true));
    assert_eq!(ev("contains(createObject('A', 1), 'a')"), Val::Bool(true));
    assert_eq!(ev("startsWith('PID-x', 'pid-')"), Val::Bool(true));
    assert_eq!(
        ev("startsWith(concat('pid-', guid('a')), 'PID')"),
        Val::Bool(true)
    );
    assert_eq!(
        ev("startsWith(concat('x', guid('a')), 'pid')"),
        Val::Bool(false)
    );
    assert_eq!(ev("endsWith('abc', 'C')"), Val::Bool(true));
    assert_eq!(ev("indexOf('aBcb', 'b')"), Val::Int(1));
    assert_eq!(ev("lastIndexOf('abcb', 'B')"), Val::Int(3));
    assert_eq!(ev("indexOf('abc', 'z')"), Val::Int(-1));
    assert_eq!(
        ev("split('a,b;c', createArray(',', ';'))"),
        Val::Array(vec![s("a"), s("b"), s("c")])
    );
    assert_eq!(ev("join(createArray('a', 1), '-')"), s("a-1"));
    assert_eq!(ev("padLeft('7', 3, '0')"), s("007"));
    assert!(is_unknown(
        &ev("padLeft('7', 999999999999, '0')"),
        TOO_LARGE
    ));
    assert_eq!(
        ev("union(createArray(1, 2), createArray(2, 3))"),
        Val::Array(vec![Val::Int(1), Val::Int(2), Val::Int(3)])
    );
    assert_eq!(ev("min(3, 1, 2)"), Val::Int(1));
    assert_eq!(ev("max(createArray(3, 1, 2))"), Val::Int(3));
    assert_eq!(
        ev("range(1, 3)"),
        Val::Array(vec![Val::Int(1), Val::Int(2), Val::Int(3)])
    );
    assert_eq!(ev("array('a')"), Val::Array(vec![s("a")]));
}

#[test]
fn resolved_and_truthy() {
    assert_eq!(to_resolved(&s("x")), Resolved::Known("x".into()));
    assert_eq!(to_resolved(&Val::Int(3)), Resolved::Known("3".into()));
    assert_eq!(
        to_resolved(&Val::Bool(true)),
        Resolved::Known("True".into())
    );
    assert_eq!(
        to_resolved(&Val::Partial(vec![lit("a"), lit("b"), op("u", Some(13))])),
        Resolved::Partial(vec![lit("ab"), op("u", Some(13))])
    );
    assert!(matches!(
        to_resolved(&Val::Array(vec![])),
        Resolved::Unknown(_)
    ));
    assert!(matches!(to_resolved(&Val::Null), Resolved::Unknown(_)));
    assert_eq!(
        to_resolved(&Val::Unknown("why".into())),
        Resolved::Unknown("why".into())
    );
    assert_eq!(truthy(&Val::Bool(false)), Some(false));
    assert_eq!(truthy(&s("TRUE")), Some(true));
    assert_eq!(truthy(&s("False")), Some(false));
    assert_eq!(truthy(&s("yes")), None);
    assert_eq!(truthy(&Val::Int(1)), None);
}

// ---- limits ----

#[test]
fn huge_values() {
    let half = "padLeft('x', 600000, 'y')";
    assert!(is_unknown(
        &ev(&format!("concat({half}, {half})")),
        TOO_LARGE
    ));
    assert!(is_unknown(
        &ev(&format!("format('{{0}}{{0}}', {half})")),
        TOO_LARGE
    ));
    assert!(is_unknown(
        &ev(&format!("take(concat({half}, {half}), 3)")),
        TOO_LARGE
    ));
    assert!(is_unknown(
        &ev(&format!("string(createArray({half}, {half}))")),
        TOO_LARGE
    ));
    assert!(is_unknown(
        &ev("take(padLeft('x', 2000000, 'y'), 5)"),
        TOO_LARGE
    ));
    assert_eq!(ev("take(padLeft('x', 1000000, 'y'), 5)"), s("yyyyy"));
    let rep = format!(
        "replace('{}', 'a', '{}')",
        "a".repeat(2000),
        "b".repeat(1000)
    );
    assert!(is_unknown(&ev(&rep), TOO_LARGE));
    assert!(is_unknown(&ev("range(0, 100000)"), "range"));
}

#[test]
fn step_budget() {
    // Exponential work through repeated arguments is cut off.
    let mut e = "'x'".to_string();
    for _ in 0..20 {
        e = format!("if(equals(length({e}), 1), 'x', 'x')");
        if e.len() > 200_000 {
            break;
        }
    }
    let mut e2 = "createArray(1)".to_string();
    for _ in 0..18 {
        e2 = format!("union({e2}, {e2})");
    }
    let t = std::time::Instant::now();
    let v = ev(&e2);
    assert!(matches!(v, Val::Unknown(_) | Val::Array(_)), "{v:?}");
    let _ = ev(&e);
    eprintln!("budgeted evaluation took {:?}", t.elapsed());
    // A spent budget does not leak into the next top-level call.
    BUDGET.with(|b| b.steps.set(MAX_STEPS + 1));
    with_template(|scope| assert_eq!(scope.variable("d1"), s("abcdabcd")));
    assert_eq!(ev("concat('a', 'b')"), s("ab"));
}

// ---- template scope ----

#[test]
fn example_names_end_to_end() {
    with_template(|scope| {
        let v = ev_in(
                scope,
                "[take(concat('pid-', variables('cuaid'), '-', uniqueString(deployment().name, parameters('location'))), 64)]",
            );
        assert_eq!(
            v,
            Val::Partial(vec![
                lit(&format!("pid-{GUID}-")),
                op(
                    "uniqueString(deployment().name, parameters('location'))",
                    Some(13)
                ),
            ])
        );
        let v = ev_in(
            scope,
            "[format('pid-{0}-{1}', parameters('guid'), uniqueString(resourceGroup().id))]",
        );
        assert_eq!(
            v,
            Val::Partial(vec![
                lit(&format!("pid-{GUID}-")),
                op("uniqueString(resourceGroup().id)", Some(13))
            ])
        );
        assert_eq!(
            ev_in(scope, "[variables('names').pid]"),
            s(&format!("pid-{GUID}"))
        );
        assert_eq!(
            ev_in(scope, "[parameters('tags').tracking]"),
            s(&format!("pid-{GUID}"))
        );
        assert_eq!(ev_in(scope, "[parameters('TAGS').N]"), Val::Int(3));
        assert_eq!(
            ev_in(scope, "[variables('arr')[1]]"),
            s(&format!("pid-{GUID}"))
        );
        assert_eq!(ev_in(scope, "[variables('arr')[0]]"), s("first"));
        assert_eq!(
            ev_in(
                scope,
                "[if(equals(parameters('telemetry'), 'Yes'), 'a', 'b')]"
            ),
            s("a")
        );
        assert_eq!(
            ev_in(scope, "[if(parameters('enabled'), 'a', 'b')]"),
            s("b")
        );
        assert_eq!(
            ev_in(scope, "[variables('fine')]"),
            s(&format!("pid-{GUID}-ok"))
        );
        assert_eq!(
            ev_in(scope, "[parameters('literal')]"),
            s("[not an expression]")
        );
        let loc = ev_in(scope, "[parameters('location')]");
        assert_eq!(
            loc,
            Val::Partial(vec![op("resourceGroup().location", None)])
        );
        let r = to_resolved(&ev_in(scope, "[concat('pid-', variables('CUAID'))]"));
        assert_eq!(r, Resolved::Known(format!("pid-{GUID}")));
    });
}

#[test]
fn scope_errors() {
    with_template(|scope| {
        assert_eq!(
            scope.parameter("noDefault"),
            Val::Unknown("parameter 'noDefault' has no default value".into())
        );
        assert_eq!(
            scope.parameter("missing"),
            Val::Unknown("no parameter 'missing'".into())
        );
        assert_eq!(
            scope.variable("missing"),
            Val::Unknown("no variable 'missing'".into())
        );
        assert!(is_unknown(&scope.variable("looped"), "copy loop"));
        assert!(is_unknown(&scope.variable("propCopy"), "copy loop"));
        assert!(is_unknown(
            &scope.parameter("bad"),
            "invalid expression: missing ')'"
        ));
        assert!(is_unknown(
            &ev_in(scope, "[parameters(1)]"),
            "expected a string"
        ));
    });
}

#[test]
fn cycles() {
    with_template(|scope| {
        let a = scope.variable("a");
        assert!(is_unknown(&a, "refer to each other"), "{a:?}");
        assert!(is_unknown(&a, "'a'") && is_unknown(&a, "'b'"), "{a:?}");
        let v = scope.variable("self");
        assert!(is_unknown(&v, "variable 'self' refers to itself"), "{v:?}");
        let v = scope.variable("c2");
        assert!(is_unknown(&v, "refer to each other in a cycle"), "{v:?}");
        let v = scope.parameter("pa");
        assert!(
            is_unknown(&v, "parameters 'pa' and 'pb' refer to each other"),
            "{v:?}"
        );
        // Still consistent after memoisation.
        assert!(is_unknown(&scope.variable("b"), "refer to each other"));
    });
}

#[test]
fn doubling_variables() {
    with_template(|scope| {
        assert_eq!(scope.variable("d2"), s(&"abcd".repeat(4)));
        let v = scope.variable("d40");
        assert!(
            is_unknown(&v, TOO_LARGE),
            "{:?}",
            to_resolved(&v).display().len()
        );
        let v = ev_in(scope, "[take(variables('d40'), 3)]");
        assert!(is_unknown(&v, TOO_LARGE));
        let v = ev_in(scope, "[take(variables('d17'), 3)]");
        assert_eq!(v, s("abc"));
    });
}

#[test]
fn parameter_values_override_defaults() {
    let text = template();
    let parsed = crate::sources::arm::shape::parse_template(&text).unwrap();
    let scope = TemplateScope::new(&parsed.root, &text).with_parameter_values(vec![(
        "GUID".into(),
        s("11111111-1111-1111-1111-111111111111"),
    )]);
    assert_eq!(
        eval_json_string("[parameters('tags').tracking]", &scope),
        s("pid-11111111-1111-1111-1111-111111111111")
    );
    assert_eq!(
        scope.parameter("nodefault"),
        Val::Unknown("parameter 'nodefault' has no default value".into())
    );
}

#[test]
fn variable_chains_are_bounded() {
    // 2000 variables each referring to the next: must stop (depth), never overflow.
    let mut vars = String::new();
    for i in 0..2000 {
        vars.push_str(&format!(
            "\"v{i}\": \"[concat('x', variables('v{}'))]\",",
            i + 1
        ));
    }
    vars.push_str("\"v2000\": \"end\"");
    let text = format!("{{\"variables\": {{{vars}}}}}");
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            let parsed = crate::sources::json::parse(&text).unwrap();
            let scope = TemplateScope::new(&parsed.root, &text);
            // Deepest accepted expression with a chain of variables at its bottom.
            let deep = "concat(".repeat(MAX_NESTING - 1)
                + "variables('v0')"
                + &")".repeat(MAX_NESTING - 1);
            let v = eval_json_string(&format!("[{deep}]"), &scope);
            assert!(matches!(v, Val::Unknown(_)), "{v:?}");
            let v = scope.variable("v0");
            assert!(matches!(v, Val::Unknown(_)), "{v:?}");
            // Deep values built bottom-up stay bounded too.
            for i in (0..=2000).rev().step_by(50) {
                let _ = scope.variable(&format!("v{i}"));
            }
            let v = scope.variable("v1990");
            assert_eq!(v, s(&format!("{}end", "x".repeat(10))));
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn nested_values_are_bounded() {
    let mut vars = String::new();
    for i in 0..300 {
        vars.push_str(&format!(
            "\"w{i}\": \"[createArray(variables('w{}'))]\",",
            i + 1
        ));
    }
    vars.push_str("\"w300\": 1");
    let text = format!("{{\"variables\": {{{vars}}}}}");
    let parsed = crate::sources::json::parse(&text).unwrap();
    let scope = TemplateScope::new(&parsed.root, &text);
    // Evaluate bottom-up so every step is shallow, then check depth stays limited.
    for i in (0..=300).rev() {
        let v = scope.variable(&format!("w{i}"));
        assert!(!deeper_than(&v, MAX_VAL_DEPTH + 1), "w{i}");
    }
}

#[test]
fn never_panics_on_odd_input() {
    let inputs = [
            "substring('é', 0, 1)",
            "take('é', 1)",
            "skip('😀x', 1)",
            "substring('abc', 9223372036854775807, 9223372036854775807)",
            "take(createArray(), 5)[0]",
            "createArray()[0]",
            "json('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]')",
            "format('{99999999999999999999}', 'a')",
            "range(9223372036854775807, 2)",
            "mul(9223372036854775807, 2)",
            "padLeft('x', -5)",
            "min()",
            "split('', '')",
            "union(createObject('a', 1), createObject('A', 2)).a",
            "string(null())",
            "last(concat(guid('a'), ''))",
        ];
    for i in inputs {
        let _ = ev(i);
    }
    assert!(!deeper_than(&ev(inputs[6]), MAX_VAL_DEPTH + 1));
}
