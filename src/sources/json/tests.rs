use super::*;

fn err(text: &str) -> ParseError {
    match parse(text) {
        Ok(_) => panic!("expected an error for {text:?}"),
        Err(e) => e,
    }
}

fn at(e: &ParseError) -> (u32, u32) {
    (e.span.line, e.span.column)
}

#[test]
fn scalars_and_containers() {
    let p = parse(r#"{"a": 1, "b": [true, false, null, "x", -1.5e3], "c": {}}"#).unwrap();
    let r = &p.root;
    assert_eq!(r.kind_name(), "object");
    assert_eq!(r.get("a").unwrap().value, Value::Number("1".into()));
    let b = r.get("B").unwrap().as_array().unwrap();
    assert_eq!(b.len(), 5);
    assert_eq!(b[0].as_bool(), Some(true));
    assert_eq!(b[1].as_bool(), Some(false));
    assert!(b[2].is_null());
    assert_eq!(b[3].as_str(), Some("x"));
    assert_eq!(b[4].value, Value::Number("-1.5e3".into()));
    assert_eq!(r.get("c").unwrap().as_object().unwrap().len(), 0);
    assert!(r.get("d").is_none());
    assert_eq!(p.comment_count, 0);
    assert!(!p.bom && !p.crlf);
    let kinds: Vec<_> = b.iter().map(Node::kind_name).collect();
    assert_eq!(kinds, ["boolean", "boolean", "null", "string", "number"]);
}

#[test]
fn root_scalars() {
    assert_eq!(parse("42").unwrap().root.value, Value::Number("42".into()));
    assert_eq!(parse(" \"s\" ").unwrap().root.as_str(), Some("s"));
    assert!(parse("null").unwrap().root.is_null());
    assert_eq!(parse("[]").unwrap().root.as_array().unwrap().len(), 0);
}

#[test]
fn duplicate_keys_last_wins_case_insensitive() {
    // As ARM reads a template: both members are kept, a lookup sees the last.
    let p = parse(r#"{"Name": 1, "name": 2}"#).unwrap();
    assert_eq!(p.root.as_object().unwrap().len(), 2);
    assert_eq!(p.root.get("NAME").unwrap().value, Value::Number("2".into()));
    let m = p.root.member("Name").unwrap();
    assert_eq!(&*m.key, "name");
    assert_eq!((m.key_span.start, m.key_span.end), (12, 18));
}

#[test]
fn spans_simple() {
    let text = "{\n  \"a\": \"xyz\",\n  \"b\": [1, 2]\n}";
    let p = parse(text).unwrap();
    let a = p.root.member("a").unwrap();
    assert_eq!((a.key_span.line, a.key_span.column), (2, 3));
    assert_eq!((a.key_span.end_line, a.key_span.end_column), (2, 6));
    let v = &a.value.span;
    assert_eq!((v.line, v.column, v.end_line, v.end_column), (2, 8, 2, 13));
    assert_eq!(&text[v.start..v.end], "\"xyz\"");
    let b = p.root.get("b").unwrap();
    assert_eq!((b.span.line, b.span.column, b.span.end_column), (3, 8, 14));
    assert_eq!(&text[b.span.start..b.span.end], "[1, 2]");
    let two = &b.as_array().unwrap()[1].span;
    assert_eq!((two.line, two.column, two.end_column), (3, 12, 13));
    let r = p.root.span;
    assert_eq!((r.line, r.column, r.end_line, r.end_column), (1, 1, 4, 2));
    assert_eq!((r.start, r.end), (0, text.len()));
}

#[test]
fn spans_crlf_and_bom() {
    let text = "\u{feff}{\r\n  \"a\": 1,\r\n  \"b\": \"x\"\r\n}\r\n";
    let p = parse(text).unwrap();
    assert!(p.bom);
    assert!(p.crlf);
    assert_eq!(
        (p.root.span.line, p.root.span.column, p.root.span.start),
        (1, 1, 3)
    );
    let b = p.root.member("b").unwrap();
    assert_eq!((b.key_span.line, b.key_span.column), (3, 3));
    assert_eq!(
        (
            b.value.span.line,
            b.value.span.column,
            b.value.span.end_column
        ),
        (3, 8, 11)
    );
    assert_eq!(&text[b.value.span.start..b.value.span.end], "\"x\"");
    assert_eq!((p.root.span.end_line, p.root.span.end_column), (4, 2));
    // Agrees with the model's slow helper on lines (columns there count the BOM).
    let (l, _) = crate::model::line_col(text, b.value.span.start);
    assert_eq!(l, 3);
}

#[test]
fn spans_after_multibyte() {
    let text = "{\"é中😀\": \"ü\", \"k\": 1}";
    let p = parse(text).unwrap();
    let m = &p.root.as_object().unwrap()[0];
    assert_eq!(&*m.key, "é中😀");
    assert_eq!((m.key_span.column, m.key_span.end_column), (2, 7));
    assert_eq!((m.value.span.column, m.value.span.end_column), (9, 12));
    let k = p.root.member("k").unwrap();
    assert_eq!(k.key_span.column, 14);
    assert_eq!(k.value.span.column, 19);
    assert_eq!(&text[k.value.span.start..k.value.span.end], "1");
    assert_eq!(
        crate::model::span_of(text, k.value.span.start, k.value.span.end),
        k.value.span
    );
}

#[test]
fn spans_match_model_helper_everywhere() {
    let text = "// c\n{ \"a\" : [ 1 , { \"ö\" : \"x\\ny\" } ] , /* é\n */ \"b\":true }";
    let p = parse(text).unwrap();
    fn walk(n: &Node, text: &str) {
        assert_eq!(
            crate::model::span_of(text, n.span.start, n.span.end),
            n.span
        );
        match &n.value {
            Value::Array(a) => a.iter().for_each(|c| walk(c, text)),
            Value::Object(o) => o.iter().for_each(|m| {
                assert_eq!(
                    crate::model::span_of(text, m.key_span.start, m.key_span.end),
                    m.key_span
                );
                walk(&m.value, text)
            }),
            _ => {}
        }
    }
    walk(&p.root, text);
}

#[test]
fn comments() {
    let text = "/* head */\n{\n  // line\n  \"a\": 1, /* x */ \"b\": 2 // end\n}\n// tail";
    let p = parse(text).unwrap();
    assert_eq!(p.comment_count, 5);
    let c = p.first_comment.unwrap();
    assert_eq!((c.line, c.column, c.end_line, c.end_column), (1, 1, 1, 11));
    assert_eq!(&text[c.start..c.end], "/* head */");
    assert_eq!(p.root.get("b").unwrap().value, Value::Number("2".into()));

    let p = parse("{} // x\r\n").unwrap();
    let c = p.first_comment.unwrap();
    assert_eq!(&"{} // x\r\n"[c.start..c.end], "// x");
    assert_eq!(parse("[1]//x").unwrap().comment_count, 1);
    assert_eq!(
        parse("[1/**/,2]").unwrap().root.as_array().unwrap().len(),
        2
    );
}

#[test]
fn trailing_commas() {
    assert_eq!(parse("[1,2,]").unwrap().root.as_array().unwrap().len(), 2);
    assert_eq!(
        parse("{\"a\":1,}").unwrap().root.as_object().unwrap().len(),
        1
    );
    assert_eq!(
        parse("[1, /* c */ ]")
            .unwrap()
            .root
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(parse("[,]").is_err());
    assert!(parse("[1,,2]").is_err());
    assert!(parse("{,}").is_err());
}

#[test]
fn string_escapes() {
    let p = parse(r#""a\"b\\c\/d\be\ff\ng\rh\ti\u0041\u00e9\u4e2d""#).unwrap();
    assert_eq!(p.root.as_str(), Some("a\"b\\c/d\u{8}e\u{c}f\ng\rh\tiAé中"));
    // Surrogate pair.
    assert_eq!(
        parse(r#""\ud83d\ude00""#).unwrap().root.as_str(),
        Some("😀")
    );
    // Lone surrogates.
    assert_eq!(
        parse(r#""\ud83dx""#).unwrap().root.as_str(),
        Some("\u{fffd}x")
    );
    assert_eq!(
        parse(r#""\ude00""#).unwrap().root.as_str(),
        Some("\u{fffd}")
    );
    assert_eq!(
        parse(r#""\ud83d\u0041""#).unwrap().root.as_str(),
        Some("\u{fffd}A")
    );
    assert_eq!(
        parse(r#""\ud83d\ud83d\ude00""#).unwrap().root.as_str(),
        Some("\u{fffd}😀")
    );
    assert_eq!(
        parse(r#""\ud83d""#).unwrap().root.as_str(),
        Some("\u{fffd}")
    );
    // Raw tab allowed, multi-byte kept.
    assert_eq!(parse("\"a\tb é\"").unwrap().root.as_str(), Some("a\tb é"));
    // Escape after multibyte.
    assert_eq!(parse("\"é\\né\"").unwrap().root.as_str(), Some("é\né"));
}

#[test]
fn string_errors() {
    let e = err("{\"a\": \"b\\x\"}");
    assert!(
        e.message.contains("invalid escape '\\\\x'"),
        "{}",
        e.message
    );
    assert_eq!(at(&e), (1, 9));
    let e = err("\"\\u12G4\"");
    assert!(e.message.contains("4 hexadecimal digits"), "{}", e.message);
    assert_eq!(at(&e), (1, 2));
    let e = err("\"\\u12\"");
    assert!(e.message.contains("hexadecimal"));
    let e = err("[\n  \"abc");
    assert!(e.message.contains("unterminated string"), "{}", e.message);
    assert_eq!(at(&e), (2, 3));
    assert_eq!((e.span.end_line, e.span.end_column), (2, 7));
    // A string opened and never closed runs to the end: the error points at its opening quote,
    // even across raw line breaks.
    let e = err("{\n  \"a\": \"x\ny\n}");
    assert!(e.message.contains("unterminated string"), "{}", e.message);
    assert_eq!(at(&e), (2, 8));
    let e = err("\"abc\\");
    assert!(e.message.contains("unterminated string"));
    let e = err("\"é\\q\"");
    assert_eq!(at(&e), (1, 3));
}

#[test]
fn numbers() {
    for ok in [
        "0", "-0", "1", "123", "-1.25", "1e5", "1E+5", "1.5e-10", "0.0",
    ] {
        assert_eq!(
            parse(ok).unwrap().root.value,
            Value::Number(ok.into()),
            "{ok}"
        );
    }
    // As JSON.NET reads them: `.5` and `1.` are numbers, a leading zero makes an octal
    // integer and `0x` a hexadecimal one (kept as decimal text), a minus sign a decimal one.
    for (ok, text) in [
        (".5", ".5"), ("1.", "1."), ("-.5", "-.5"), ("1.e3", "1.e3"), ("01", "1"), ("017", "15"),
        ("0x1F", "31"), ("0X10", "16"), ("-012", "-012"), ("NaN", "NaN"), ("Infinity", "Infinity"),
        ("-Infinity", "-Infinity"),
    ] {
        assert_eq!(parse(ok).unwrap().root.value, Value::Number(text.into()), "{ok}");
    }
    for bad in [
        "-", "1e", "1e+", "+1", "1.2.3", "--1", "-a", "08", "0x", "0xG", ".", "-.", "-0x10", "nan",
    ] {
        let e = parse(bad).err().unwrap_or_else(|| panic!("{bad} parsed"));
        assert!(
            e.message.contains("invalid number") || e.message.contains("expected a value"),
            "{bad}: {}",
            e.message
        );
    }
    let e = err("[1, 019]");
    assert!(e.message.contains("octal"), "{}", e.message);
    assert_eq!(at(&e), (1, 5));
    assert_eq!(e.span.end_column, 8);
}

#[test]
fn literal_errors() {
    let e = err("[True]");
    assert!(e.message.contains("lower case"), "{}", e.message);
    assert_eq!(at(&e), (1, 2));
    let e = err("{\"a\": abc}");
    assert!(e.message.contains("unexpected 'abc'"), "{}", e.message);
    let e = err("[x]");
    assert!(e.message.contains("must be in quotes"), "{}", e.message);
    let e = err("[nulls]");
    assert!(e.message.contains("'nulls'"));
}

#[test]
fn empty_and_whitespace() {
    let e = err("");
    assert_eq!(e.message, "the file is empty");
    assert_eq!(at(&e), (1, 1));
    let e = err("\u{feff}");
    assert_eq!(e.message, "the file is empty");
    let e = err("  \n\n  ");
    assert!(e.message.contains("only whitespace"), "{}", e.message);
    assert_eq!(at(&e), (3, 3));
    let e = err("// nothing\n/* here */\n");
    assert!(e.message.contains("only comments"), "{}", e.message);
}

#[test]
fn structural_errors() {
    let e = err("{\"a\": 1 x}");
    assert_eq!(
        e.message,
        "expected ',' or '}' after an object member, found 'x'"
    );
    assert_eq!(at(&e), (1, 9));
    let e = err("[1 2]");
    assert_eq!(
        e.message,
        "expected ',' or ']' after an array element, found '2'"
    );
    assert_eq!(at(&e), (1, 4));
    let e = err("{\"a\" 1}");
    assert!(e.message.contains("expected ':'"), "{}", e.message);
    assert_eq!(at(&e), (1, 6));
    let e = err("{-a: 1}");
    assert!(e.message.contains("member name"), "{}", e.message);
    assert_eq!(at(&e), (1, 2));
    let e = err("{\"a\": 1,\n  5}");
    assert!(e.message.contains("':' after the member name"), "{}", e.message);
    assert_eq!(at(&e), (2, 4));
    let e = err("[1]\n x");
    assert!(
        e.message.contains("after the end of the JSON value"),
        "{}",
        e.message
    );
    assert_eq!(at(&e), (2, 2));
    let e = err("{} {}");
    assert!(e.message.contains("after the end"));
    let e = err("]");
    assert_eq!(e.message, "expected a value, found ']'");
    let e = err("[1 / 2]");
    assert!(e.message.contains("comments start with"), "{}", e.message);
    assert_eq!(at(&e), (1, 4));
}

#[test]
fn unexpected_end() {
    let e = err("{\n  \"a\": [1,");
    assert!(
        e.message.contains("unexpected end of file"),
        "{}",
        e.message
    );
    assert!(e.message.contains("line 2, column 8"), "{}", e.message);
    assert_eq!(at(&e), (2, 11));
    let e = err("{\"a\":");
    assert!(
        e.message.contains("unexpected end of file"),
        "{}",
        e.message
    );
    let e = err("[");
    assert!(
        e.message.contains("'[' at line 1, column 1 is not closed"),
        "{}",
        e.message
    );
    let e = err("{\"a\": 1");
    assert!(
        e.message.contains("'{' at line 1, column 1 is not closed"),
        "{}",
        e.message
    );
    let e = err("{");
    assert!(e.message.contains("end of file"), "{}", e.message);
}

#[test]
fn unterminated_comment() {
    let e = err("{\n  /* open\n}");
    assert!(e.message.contains("unterminated comment"), "{}", e.message);
    assert_eq!(at(&e), (2, 3));
    assert_eq!((e.span.end_line, e.span.end_column), (3, 2));
    let e = err("/");
    assert!(e.message.contains("comments start with"));
}

#[test]
fn display_is_message() {
    let e = err("[1 2]");
    assert_eq!(e.to_string(), e.message);
}

#[test]
fn depth_limit() {
    let ok = "[".repeat(512) + &"]".repeat(512);
    assert!(parse(&ok).is_ok());
    let bad = "[".repeat(513) + &"]".repeat(513);
    let e = parse(&bad).unwrap_err();
    assert_eq!(e.message, "JSON nested deeper than 512 levels");
    assert_eq!(at(&e), (1, 513));
    // Objects count too.
    let bad = "{\"a\":".repeat(600) + "1" + &"}".repeat(600);
    let e = parse(&bad).unwrap_err();
    assert_eq!(e.message, "JSON nested deeper than 512 levels");
    assert_eq!(e.span.start, 512 * 5);
}

#[test]
fn hundred_thousand_open_brackets() {
    let text = "[".repeat(100_000);
    let e = parse(&text).unwrap_err();
    assert_eq!(e.message, "JSON nested deeper than 512 levels");
    // Raised limit: rejected at the end of the text instead, still no recursion.
    let e = parse_with(
        &text,
        &Options {
            max_depth: 1_000_000,
        },
    )
    .unwrap_err();
    assert!(
        e.message.contains("unexpected end of file"),
        "{}",
        e.message
    );
    // Fully closed deep input with a raised limit: parses and drops without recursion.
    let text = "[".repeat(100_000) + &"]".repeat(100_000);
    let p = parse_with(&text, &Options { max_depth: 200_000 }).unwrap();
    drop(p);
}

#[test]
fn ten_thousand_nested_objects() {
    let n = 10_000;
    let text = "{\"a\":".repeat(n) + "[1, {\"b\": [2]}]" + &"}".repeat(n);
    let p = parse_with(&text, &Options { max_depth: 20_000 }).unwrap();
    let mut node = &p.root;
    let mut depth = 0;
    while let Some(next) = node.get("a") {
        node = next;
        depth += 1;
    }
    assert_eq!(depth, n);
    assert_eq!(node.kind_name(), "array");
    // Dropping a deep tree on a small stack (like wasm's 1 MB) must not overflow.
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || drop(p))
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn parse_deep_on_small_stack() {
    // The parser itself uses no recursion: a 64 KiB stack is plenty.
    std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(|| {
            let text = "[{\"a\":".repeat(200) + "1" + &"}]".repeat(200);
            let p = parse(&text).unwrap();
            assert_eq!(p.root.span.end, text.len());
            let e = parse(&"[".repeat(100_000)).unwrap_err();
            assert!(e.message.contains("512"));
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn into_value_moves_out() {
    let p = parse("[[1],[2]]").unwrap();
    let Parsed { root, .. } = p;
    match root.into_value() {
        Value::Array(items) => assert_eq!(items.len(), 2),
        other => panic!("{other:?}"),
    }
}

#[test]
fn large_generated_file() {
    // ~20 MB on a single line (minified): positions must be computed in linear time.
    let mut text = String::with_capacity(21 << 20);
    text.push_str("{\"resources\":[");
    let mut i = 0;
    while text.len() < 20 << 20 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            "{{\"type\":\"Microsoft.Resources/deployments\",\"name\":\"pid-{i:08}-é\",\"n\":{i},\"e\":\"a\\tb\",\"x\":[true,null,1.5]}}"
        ));
        i += 1;
    }
    text.push_str("]}");
    let t = std::time::Instant::now();
    let p = parse(&text).unwrap();
    eprintln!("parsed {} bytes in {:?}", text.len(), t.elapsed());
    let res = p.root.get("resources").unwrap().as_array().unwrap();
    assert_eq!(res.len(), i);
    let last = res.last().unwrap().get("name").unwrap();
    assert_eq!(
        crate::model::span_of(&text, last.span.start, last.span.end),
        last.span
    );
}

// ---------------------------------------------------------------------------------------------
// parse_template: builds less, loses nothing

/// Replace every skipped value with the value `parse_skipped` builds for it at its place.
fn expand(text: &str, node: &mut Node) {
    use crate::sources::arm::shape::TemplateShape;
    fn at(text: &str, node: &mut Node, place: u8) {
        if matches!(node.value, Value::Skipped) {
            *node = parse_skipped(text, node, &TemplateShape, place).expect("a skipped value builds");
        }
        match &mut node.value {
            Value::Array(items) => items.iter_mut().for_each(|n| at(text, n, TemplateShape.child(place, None))),
            Value::Object(members) => {
                for m in members.iter_mut() {
                    at(text, &mut m.value, TemplateShape.child(place, Some(&m.key)));
                }
            }
            _ => {}
        }
    }
    at(text, node, TemplateShape.root());
}

fn count_skipped(node: &Node) -> usize {
    match &node.value {
        Value::Skipped => 1,
        Value::Array(items) => items.iter().map(count_skipped).sum(),
        Value::Object(members) => members.iter().map(|m| count_skipped(&m.value)).sum(),
        _ => 0,
    }
}

/// `parse_template`, with every skipped value built afterwards, equals `parse`: same tree,
/// same spans (line, column and offsets), same comments; and it fails exactly when `parse`
/// fails, with the same message and span.
fn assert_template_parse_agrees(text: &str) -> usize {
    let full = parse(text);
    let lazy = crate::sources::arm::shape::parse_template(text);
    match (full, lazy) {
        (Ok(full), Ok(mut lazy)) => {
            let skipped = count_skipped(&lazy.root);
            expand(text, &mut lazy.root);
            assert_eq!(lazy, full, "parse_template differs from parse on {text:?}");
            skipped
        }
        (Err(a), Err(b)) => {
            assert_eq!(a, b, "errors differ on {text:?}");
            0
        }
        (a, b) => panic!("parse {:?} but parse_template {:?} on {text:?}", a.is_ok(), b.is_ok()),
    }
}

const TEMPLATE: &str = r#"{
  // a comment
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": { "p": { "type": "string", "defaultValue": "x" } },
  "resources": [
    {
      "type": "Microsoft.Storage/storageAccounts",
      "name": "[parameters('p')]",
      "tags": { "é": "ü", "n": [1, 2.5e3, -0, true, null] },
      "properties": { "a": [ { "b": "c\"\\\u00e9\t" } ], /* inner */ "d": {}, },
      "dependsOn": [ "x", ],
      "resources": [ { "type": "Microsoft.Web/sites", "name": "child", "properties": { "deep": [[[]]] } } ]
    },
    {
      "properties": { "mode": "Incremental", "template": { "resources": [
        { "type": "Microsoft.Network/virtualNetworks", "name": "v", "properties": { "x": 1 } } ] } },
      "type": "Microsoft.Resources/deployments",
      "name": "pid-00000000-0000-0000-0000-000000000000"
    }
  ],
  "outputs": { "o": { "type": "string", "value": "[reference('x').y]" } }
}"#;

#[test]
fn parse_template_skips_what_the_reader_never_reads_and_builds_it_back_exactly() {
    let skipped = assert_template_parse_agrees(TEMPLATE);
    // tags, properties and dependsOn of the storage account, the child's properties, the
    // inner virtual network's properties, and the outputs.
    assert_eq!(skipped, 6);
    // The deployment's properties (its type comes after them) are built, inner template included.
    let p = crate::sources::arm::shape::parse_template(TEMPLATE).unwrap();
    let dep = &p.root.get("resources").unwrap().as_array().unwrap()[1];
    assert!(dep.get("properties").unwrap().get("mode").is_some());
    // Also with CRLF line ends, a BOM, languageVersion 2.0 object resources and minified text.
    assert_template_parse_agrees(&TEMPLATE.replace('\n', "\r\n"));
    assert!(assert_template_parse_agrees(&format!("\u{feff}{TEMPLATE}")) > 0);
    let v2 = r#"{"languageVersion":"2.0","resources":{"sa":{"type":"Microsoft.Storage/storageAccounts","name":"n","properties":{"a":1}}}}"#;
    assert_eq!(assert_template_parse_agrees(v2), 1);
    let minified: String = TEMPLATE.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("");
    assert!(assert_template_parse_agrees(&minified) > 0);
}

#[test]
fn parse_template_reports_errors_inside_skipped_values_exactly_like_parse() {
    // Every prefix of the template (most are broken somewhere), and single-byte corruptions.
    let b = TEMPLATE.as_bytes();
    for end in (0..b.len()).filter(|i| TEMPLATE.is_char_boundary(*i)) {
        assert_template_parse_agrees(&TEMPLATE[..end]);
    }
    for (i, c) in TEMPLATE.char_indices() {
        if !c.is_ascii() {
            continue;
        }
        for bad in ["", "'", "x", "\u{1}", "\\", "/", "}", "]", ",", "1.", "-"] {
            let text = format!("{}{bad}{}", &TEMPLATE[..i], &TEMPLATE[i + 1..]);
            assert_template_parse_agrees(&text);
        }
    }
}

const WITH_VARIABLES: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "variables": {
    "ids": { "pid": "pid-00000000-0000-0000-0000-000000000000", "more": [1, { "a": null }] },
    "arr": [ "first", "[variables('ids').pid]", 2.5, [] ],
    "plain": "[variables('arr')[1]]",
    "n": 3,
    "withCopy": { "copy": [ { "name": "disks", "count": 2, "input": "x" } ] },
    "copy": [ { "name": "looped", "count": 2, "input": "[copyIndex('looped')]" } ]
  },
  "resources": [
    {
      "name": "nested",
      "properties": { "mode": "Incremental", "template": {
        "variables": { "inner": { "x": [1, 2] }, "COPY": [ { "name": "c", "count": 1, "input": {} } ] },
        "resources": [] } },
      "type": "Microsoft.Resources/deployments"
    },
    {
      "type": "Microsoft.Resources/deployments",
      "name": "nested2",
      "properties": { "template": { "variables": { "v": [ { "deep": {} } ] }, "resources": [] } }
    }
  ]
}"#;

#[test]
fn parse_template_leaves_array_and_object_variables_unbuilt_and_builds_them_back_exactly() {
    // ids, arr and withCopy of the root; inner of the first nested template (inside the first
    // deployment's properties, skipped whole because its type comes after them, so 1 in all
    // there); v of the second nested template.
    assert_eq!(assert_template_parse_agrees(WITH_VARIABLES), 5);
    let p = crate::sources::arm::shape::parse_template(WITH_VARIABLES).unwrap();
    let vars = p.root.get("variables").unwrap();
    for skipped in ["ids", "arr", "withCopy"] {
        assert_eq!(vars.get(skipped).unwrap().value, Value::Skipped, "{skipped}");
    }
    // Strings and numbers are built; so is the property iteration the scope reads.
    assert_eq!(vars.get("plain").unwrap().as_str(), Some("[variables('arr')[1]]"));
    assert_eq!(vars.get("copy").unwrap().as_array().unwrap().len(), 1);
    let inner = p.root.get("resources").unwrap().as_array().unwrap()[1].get("properties").unwrap();
    let inner_vars = inner.get("template").unwrap().get("variables").unwrap();
    assert_eq!(inner_vars.get("v").unwrap().value, Value::Skipped);
    // A skipped variable builds to the value `parse` gives, spans included.
    let full = parse(WITH_VARIABLES).unwrap();
    let built = crate::sources::arm::shape::build_variable(WITH_VARIABLES, vars.get("ids").unwrap()).unwrap();
    assert_eq!(&built, full.root.get("variables").unwrap().get("ids").unwrap());
    // A nested template's `COPY` (any case) is built too.
    let first = parse_template_built_properties(&p, 0);
    let first_vars = first.get("template").unwrap().get("variables").unwrap();
    assert_eq!(first_vars.get("inner").unwrap().value, Value::Skipped);
    assert!(first_vars.get("copy").unwrap().as_array().is_some());
}

fn parse_template_built_properties(p: &Parsed, i: usize) -> Node {
    let r = &p.root.get("resources").unwrap().as_array().unwrap()[i];
    crate::sources::arm::shape::build_properties(WITH_VARIABLES, r.get("properties").unwrap()).unwrap()
}

#[test]
fn parse_template_reports_errors_inside_skipped_variables_exactly_like_parse() {
    let b = WITH_VARIABLES.as_bytes();
    for end in (0..b.len()).filter(|i| WITH_VARIABLES.is_char_boundary(*i)) {
        assert_template_parse_agrees(&WITH_VARIABLES[..end]);
    }
    for (i, c) in WITH_VARIABLES.char_indices() {
        if !c.is_ascii() {
            continue;
        }
        for bad in ["", "'", "x", "\u{1}", "\\", "/", "}", "]", ",", "1.", "-"] {
            let text = format!("{}{bad}{}", &WITH_VARIABLES[..i], &WITH_VARIABLES[i + 1..]);
            assert_template_parse_agrees(&text);
        }
    }
    // One of them, written out: a missing comma inside the `arr` array.
    let text = WITH_VARIABLES.replace("\"first\", ", "\"first\" ");
    let e = crate::sources::arm::shape::parse_template(&text).unwrap_err();
    assert_eq!(e, parse(&text).unwrap_err());
    assert_eq!(at(&e), (5, 22), "{}", e.message);
}

#[test]
fn parse_template_depth_limit_counts_the_skipped_levels() {
    for depth in [500usize, 506, 507, 508, 509, 510, 511, 512, 513] {
        let inner = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let text = format!(r#"{{"resources":[{{"type":"T","properties":{inner}}}]}}"#);
        assert_template_parse_agrees(&text);
    }
}

/// ARM reads templates with JSON.NET, which takes raw control characters (line breaks, tabs,
/// others) inside strings as string content; the Azure landing zones' templates carry such
/// line breaks in `scriptContent`. Positions after them stay exact.
#[test]
fn raw_line_breaks_and_controls_in_strings() {
    let text = "{\n  \"s\": \"line1\n  line2\r\nline3 é\",\n  \"t\": \"a\u{1}b\\n\u{7f}\",\n  \"after\": 1\n}";
    let p = parse(text).unwrap();
    let r = &p.root;
    assert_eq!(r.get("s").unwrap().as_str(), Some("line1\n  line2\r\nline3 é"));
    assert_eq!(r.get("t").unwrap().as_str(), Some("a\u{1}b\n\u{7f}"));
    let s = &r.get("s").unwrap().span;
    assert_eq!((s.line, s.column, s.end_line, s.end_column), (2, 8, 4, 9));
    let t = &r.get("t").unwrap().span;
    assert_eq!((t.line, t.column), (5, 8));
    let after = &r.get("after").unwrap().span;
    assert_eq!((after.line, after.column), (6, 12));
    // An error after such a string is placed on its real line.
    let e = err("[\"a\nb\",\n  x]");
    assert_eq!(at(&e), (3, 3));
}

/// What ARM's reader (JSON.NET's `JsonTextReader`) takes beyond strict JSON and comments, with
/// exact positions: strings and member names in single quotes, unquoted member names, `NaN`,
/// `Infinity`, `undefined`, hexadecimal and octal integers, Unicode white space.
#[test]
fn what_json_net_accepts() {
    let text = "{\n  'contentVersion': '1.0.0.0',\n  resources: [\n    {'name': 'pid-\\'x\\'\", \"y'},\n  ],\n  $n_1: NaN, inf: -Infinity, u: undefined,\n  hex: 0x1F,\u{a0}oct: 017,\n  \"s\": \"it\\'s\"\n}";
    let p = parse(text).unwrap();
    let r = &p.root;
    let cv = r.member("contentVersion").unwrap();
    assert_eq!(cv.value.as_str(), Some("1.0.0.0"));
    assert_eq!((cv.key_span.line, cv.key_span.column, cv.key_span.end_column), (2, 3, 19));
    assert_eq!((cv.value.span.column, cv.value.span.end_column), (21, 30));
    let res = r.member("resources").unwrap();
    // An unquoted name's span is the name itself.
    assert_eq!((res.key_span.line, res.key_span.column, res.key_span.end_column), (3, 3, 12));
    let name = res.value.as_array().unwrap()[0].get("name").unwrap();
    // `\'` is a quote, and a double quote is plain text inside single quotes.
    assert_eq!(name.as_str(), Some("pid-'x'\", \"y"));
    assert_eq!((name.span.line, name.span.column, name.span.end_column), (4, 14, 30));
    assert_eq!(r.get("$n_1").unwrap().value, Value::Number("NaN".into()));
    assert_eq!(r.get("inf").unwrap().value, Value::Number("-Infinity".into()));
    assert!(r.get("u").unwrap().is_null());
    assert_eq!(r.get("hex").unwrap().value, Value::Number("31".into()));
    // A no-break space is white space; columns count it as one character.
    let oct = r.member("oct").unwrap();
    assert_eq!(oct.value.value, Value::Number("15".into()));
    assert_eq!((oct.key_span.line, oct.key_span.column), (7, 14));
    assert_eq!(r.get("s").unwrap().as_str(), Some("it's"));

    // The same reading through the skipping parser the ARM reader uses.
    struct SkipAll;
    impl Skip for SkipAll {
        fn root(&self) -> u8 { 0 }
        fn child(&self, _: u8, _: Option<&str>) -> u8 { 0 }
        fn skippable(&self, _: u8, _: &str, _: &[Member]) -> bool { true }
    }
    let skipped = parse_skipping(text, &SkipAll).unwrap();
    let res = skipped.root.get("resources").unwrap();
    assert_eq!(res.value, Value::Skipped);
    let built = parse_skipped(text, res, &SkipAll, 0).unwrap();
    assert_eq!(built.as_array().unwrap()[0].get("name").unwrap().as_str(), Some("pid-'x'\", \"y"));

    // Still errors, at the right place: an unterminated single-quoted string, a name with a
    // character JSON.NET does not take unquoted.
    let e = err("{'a': 'x\n}");
    assert!(e.message.contains("missing the closing '"), "{}", e.message);
    assert_eq!(at(&e), (1, 7));
    let e = err("{a-b: 1}");
    assert!(e.message.contains("':' after the member name"), "{}", e.message);
    assert_eq!(at(&e), (1, 3));
}

/// Numbers and member names are kept exactly whatever their length (short ones inline, long
/// ones on the heap).
#[test]
fn long_and_short_numbers_and_names_are_exact() {
    let long_num = "-12345678901234567890.123456789e+300";
    let long_key = "aMemberNameLongerThanTwentyTwoBytes";
    let text = format!("{{\"{long_key}\": {long_num}, \"k\": 1.5, \"\": 0x1F, \"é\": [1e2]}}");
    let p = parse(&text).unwrap();
    let obj = p.root.as_object().unwrap();
    let keys: Vec<&str> = obj.iter().map(|m| &*m.key).collect();
    assert_eq!(keys, [long_key, "k", "", "é"]);
    assert_eq!(obj[0].value.value, Value::Number(long_num.into()));
    assert_eq!(obj[1].value.value, Value::Number("1.5".into()));
    assert_eq!(obj[2].value.value, Value::Number("31".into()));
    assert_eq!(p.root.get(long_key).unwrap().span.start, text.find(long_num).unwrap());
    assert_eq!(p.root.get("é").unwrap().as_array().unwrap()[0].value, Value::Number("1e2".into()));
}
