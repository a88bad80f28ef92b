//! Tolerant Bicep parser: declarations and expressions, enough to find deployments.
//!
//! Parsing stops at the first syntax error; declarations read before it are kept.
//! Recursion is bounded: more than [`MAX_NEST`] levels of brackets, or an expression tree deeper
//! than [`MAX_AST`], is a syntax error rather than a stack overflow.

use std::collections::VecDeque;

pub use super::lexer::Pos;
use super::lexer::{span, Comment, Lexer, MPiece, Tok, Token};
use crate::model::Span;

/// Maximum nesting of brackets, braces, parentheses and interpolations.
pub const MAX_NEST: u32 = 64;
/// Maximum depth of an expression tree (long operator chains, member chains).
pub const MAX_AST: u32 = 160;

#[derive(Clone, Debug, PartialEq)]
pub struct PErr {
    pub span: Span,
    pub message: String,
}

#[derive(Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
    pub depth: u32,
}

#[derive(Debug, PartialEq)]
pub enum Seg {
    Lit(String),
    Expr(Expr),
}

/// A function call: `name(args)` or `ns.name(args)`.
#[derive(Debug, PartialEq)]
pub struct Call {
    pub ns: Option<String>,
    pub name: String,
    pub args: Vec<Expr>,
}

#[derive(Debug, PartialEq)]
pub struct Prop {
    /// `None` for a spread (`...x`) or a computed key.
    pub key: Option<String>,
    pub value: Expr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Not,
    Neg,
    Plus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Coalesce,
    Or,
    And,
    Eq,
    Ne,
    EqI,
    NeI,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
}

#[derive(Debug, PartialEq)]
pub enum ExprKind {
    Str(Vec<Seg>),
    Int(i64),
    Bool(bool),
    Null,
    Ident(String),
    /// Properties and nested `resource` declarations.
    Object(Vec<Prop>, Vec<Decl>),
    Array(Vec<Expr>),
    Member {
        obj: Box<Expr>,
        name: String,
        safe: bool,
    },
    Index {
        obj: Box<Expr>,
        index: Box<Expr>,
        safe: bool,
    },
    /// `obj[^index]`: the element `index` places from the end.
    IndexFromEnd {
        obj: Box<Expr>,
        index: Box<Expr>,
        safe: bool,
    },
    /// `name(args)` or `ns.name(args)` (boxed: the largest variant, it would make every
    /// expression bigger).
    Call(Box<Call>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `if (cond) body` (declaration bodies).
    If {
        cond: Box<Expr>,
        body: Box<Expr>,
    },
    /// `[for … in iterable: body]`.
    For {
        iterable: Box<Expr>,
        body: Box<Expr>,
    },
    /// `x => body`, `(acc, x) => body`.
    Lambda {
        params: Vec<String>,
        body: Box<Expr>,
    },
    /// Anything not evaluated (spreads, calls on expressions, non-null assertions…).
    Other,
}

impl Expr {
    /// The value of property `key` of an object literal (case-insensitive, exact match first).
    pub fn prop(&self, key: &str) -> Option<&Expr> {
        let ExprKind::Object(props, _) = &self.kind else {
            return None;
        };
        props
            .iter()
            .find(|p| p.key.as_deref() == Some(key))
            .or_else(|| {
                props.iter().find(|p| {
                    p.key
                        .as_deref()
                        .is_some_and(|k| k.eq_ignore_ascii_case(key))
                })
            })
            .map(|p| &p.value)
    }
}

#[derive(Debug, PartialEq)]
pub enum DeclKind {
    TargetScope(Expr),
    Param {
        name: String,
        default: Option<Expr>,
    },
    Var {
        name: String,
        value: Expr,
    },
    Resource {
        symbol: String,
        type_str: String,
        type_span: Span,
        existing: bool,
        value: Expr,
    },
    Module {
        symbol: String,
        path: String,
        path_span: Span,
        value: Expr,
    },
    /// `using 'main.bicep'` / `using none` (`.bicepparam`); `path` is `None` for `none`.
    Using {
        path: Option<String>,
    },
    /// `extends 'base.bicepparam'` (`.bicepparam`).
    Extends {
        path: String,
    },
    /// `import {a, b as c} from 'path'` (`names`: (exported name, local name)) or
    /// `import * as ns from 'path'` (`wildcard`).
    Import {
        names: Vec<(String, String)>,
        wildcard: Option<String>,
        path: String,
    },
    /// `func name(a type, …) type => body`.
    Func {
        name: String,
        params: Vec<String>,
        body: Expr,
    },
    /// A top-level `resource` or `module` declaration read but not kept ([`parse_deferring`]):
    /// its symbolic name and where its keyword is, to read it again with [`reparse`].
    Deferred {
        symbol: String,
        at: Pos,
    },
    /// `output`, `type`, `metadata`, `assert`, `test`, `extension`, a legacy `import 'x@v'`, …
    /// (checked for balanced brackets, value not kept).
    Other {
        keyword: String,
        name: Option<String>,
    },
}

#[derive(Debug, PartialEq)]
pub struct Decl {
    pub kind: DeclKind,
    /// The declaration keyword through the end of its header (type string, path, or name).
    pub span: Span,
}

/// The result of parsing one file.
pub struct Parsed {
    pub decls: Vec<Decl>,
    pub error: Option<PErr>,
    pub comments: Vec<Comment>,
    pub line_starts: Vec<usize>,
    pub code_lines: Vec<u32>,
}

/// Parse a whole file.
pub fn parse(text: &str) -> Parsed {
    parse_inner(text, false, false)
}

/// Parse a whole file for the reader (`super::read`): like [`parse`] (same declarations, same
/// errors, same spans), but the members of `resource` and `module` bodies that the reader never
/// looks at are dropped as soon as each declaration is read, so that memory follows what is
/// kept, not the size of the file. Kept: a resource's `name`, `location` and `properties` (of
/// those only `mode`, `templateLink` and `template`), a module's `name` and `location`, and every
/// nested declaration; conditions and loops are kept as they are.
pub fn parse_for_read(text: &str) -> Parsed {
    parse_inner(text, true, false)
}

/// Like [`parse_for_read`] (same errors, spans, comments), but every top-level `resource` and
/// `module` declaration, once read, is replaced by [`DeclKind::Deferred`]: the reader reads each
/// again on its own with [`reparse`] and drops it after, so that a large file never holds more
/// than one of them.
pub fn parse_deferring(text: &str) -> Parsed {
    parse_inner(text, true, true)
}

/// Read again the declaration a [`DeclKind::Deferred`] of `text` stands for: exactly the one
/// [`parse_for_read`] gives there (`None` if `at` is not where such a declaration starts).
pub fn reparse(text: &str, at: Pos) -> Option<Decl> {
    if at.off >= text.len() {
        return None;
    }
    let mut p = Parser {
        lx: Lexer::resume(text, at),
        buf: VecDeque::new(),
        nest: 0,
        last_end: at,
        prune: true,
        defer: false,
    };
    let t = p.peek().clone();
    match t.tok {
        Tok::Ident(kw) if (kw == "resource" || kw == "module") && t.start == at => p.declaration(kw, t.start).ok(),
        _ => None,
    }
}

fn parse_inner(text: &str, prune: bool, defer: bool) -> Parsed {
    let mut p = Parser {
        lx: Lexer::new(text),
        buf: VecDeque::new(),
        nest: 0,
        last_end: Pos::default(),
        prune,
        defer,
    };
    let mut decls = Vec::new();
    let error = p.file(&mut decls).err();
    // Read the rest of the file for its comments and code lines.
    p.buf.clear();
    while p.lx.next_token().tok != Tok::Eof {}
    Parsed {
        decls,
        error,
        comments: std::mem::take(&mut p.lx.comments),
        line_starts: std::mem::take(&mut p.lx.line_starts),
        code_lines: std::mem::take(&mut p.lx.code_lines),
    }
}

struct Parser<'t> {
    lx: Lexer<'t>,
    buf: VecDeque<Token>,
    nest: u32,
    last_end: Pos,
    /// Drop what the reader does not need ([`parse_for_read`]).
    prune: bool,
    /// Keep top-level resources and modules as [`DeclKind::Deferred`] ([`parse_deferring`]).
    defer: bool,
}

/// Keep in a declaration body (through `if` and `for`) only the object members named in `keep`
/// (ASCII case-insensitively, so that [`Expr::prop`] finds the same one), and in the member
/// `properties`, when kept, only those named in `keep_props`.
fn prune_body(e: &mut Expr, keep: &[&str], keep_props: &[&str]) {
    match &mut e.kind {
        ExprKind::If { body, .. } | ExprKind::For { body, .. } => prune_body(body, keep, keep_props),
        ExprKind::Object(props, _) => {
            let kept = |k: &Option<String>, names: &[&str]| k.as_deref().is_some_and(|k| names.iter().any(|n| k.eq_ignore_ascii_case(n)));
            props.retain(|p| kept(&p.key, keep));
            for p in props.iter_mut() {
                // Only whether a `location` is given matters: its value is not kept.
                if p.key.as_deref().is_some_and(|k| k.eq_ignore_ascii_case("location")) {
                    let (span, depth) = (p.value.span, p.value.depth);
                    p.value = Expr { kind: ExprKind::Other, span, depth };
                }
                if p.key.as_deref().is_some_and(|k| k.eq_ignore_ascii_case("properties")) {
                    if let ExprKind::Object(inner, _) = &mut p.value.kind {
                        inner.retain(|q| kept(&q.key, keep_props));
                        crate::sources::json::trim(inner);
                    }
                }
            }
            crate::sources::json::trim(props);
        }
        _ => {}
    }
}

type R<T> = Result<T, PErr>;

fn describe(t: &Tok) -> String {
    match t {
        Tok::Ident(s) => format!("'{s}'"),
        Tok::Int(s) => format!("the number {s}"),
        Tok::Str(_) | Tok::StrHead(_) | Tok::MultiInterp(_) => "a string".to_string(),
        Tok::StrMid(_) | Tok::StrTail(_) => "'}'".to_string(),
        Tok::Punct(p) => format!("'{p}'"),
        Tok::Newline => "a new line".to_string(),
        Tok::Unknown(c) => format!("the character {c:?}"),
        Tok::Error(m) => m.clone(),
        Tok::Eof => "the end of the file".to_string(),
    }
}

fn child_depth(kind: &ExprKind) -> u32 {
    match kind {
        ExprKind::Str(segs) => segs
            .iter()
            .map(|s| match s {
                Seg::Expr(e) => e.depth,
                Seg::Lit(_) => 0,
            })
            .max()
            .unwrap_or(0),
        ExprKind::Object(props, _) => props.iter().map(|p| p.value.depth).max().unwrap_or(0),
        ExprKind::Array(items) => items.iter().map(|e| e.depth).max().unwrap_or(0),
        ExprKind::Call(c) => c.args.iter().map(|e| e.depth).max().unwrap_or(0),
        ExprKind::Member { obj, .. } | ExprKind::Unary(_, obj) | ExprKind::Lambda { body: obj, .. } => obj.depth,
        ExprKind::Index { obj, index, .. } | ExprKind::IndexFromEnd { obj, index, .. } => obj.depth.max(index.depth),
        ExprKind::Binary(_, a, b)
        | ExprKind::If { cond: a, body: b }
        | ExprKind::For {
            iterable: a,
            body: b,
        } => a.depth.max(b.depth),
        ExprKind::Ternary(a, b, c) => a.depth.max(b.depth).max(c.depth),
        _ => 0,
    }
}

fn binop(t: &Tok) -> Option<(BinOp, u8)> {
    let Tok::Punct(p) = t else { return None };
    Some(match *p {
        "??" => (BinOp::Coalesce, 1),
        "||" => (BinOp::Or, 2),
        "&&" => (BinOp::And, 3),
        "==" => (BinOp::Eq, 4),
        "!=" => (BinOp::Ne, 4),
        "=~" => (BinOp::EqI, 4),
        "!~" => (BinOp::NeI, 4),
        "<" => (BinOp::Lt, 5),
        "<=" => (BinOp::Le, 5),
        ">" => (BinOp::Gt, 5),
        ">=" => (BinOp::Ge, 5),
        "+" => (BinOp::Add, 6),
        "-" => (BinOp::Sub, 6),
        "*" => (BinOp::Mul, 7),
        "/" => (BinOp::Div, 7),
        "%" => (BinOp::Mod, 7),
        _ => return None,
    })
}

/// Operators that may start a continuation line of an expression.
fn continues_on_next_line(t: &Tok) -> bool {
    match t {
        Tok::Punct(p) => !matches!(*p, "-" | "+" | "!") && (binop(t).is_some() || *p == "?"),
        _ => false,
    }
}

impl Parser<'_> {
    fn fill(&mut self, n: usize) {
        while self.buf.len() <= n {
            let t = self.lx.next_token();
            self.buf.push_back(t);
        }
    }

    fn peek(&mut self) -> &Token {
        self.fill(0);
        &self.buf[0]
    }

    fn peek_at(&mut self, n: usize) -> &Token {
        self.fill(n);
        &self.buf[n]
    }

    fn next(&mut self) -> Token {
        self.fill(0);
        let t = self.buf.pop_front().unwrap_or(Token {
            tok: Tok::Eof,
            start: self.last_end,
            end: self.last_end,
        });
        if t.tok != Tok::Eof {
            self.last_end = t.end;
        }
        t
    }

    fn is_punct(&mut self, p: &str) -> bool {
        matches!(&self.peek().tok, Tok::Punct(q) if *q == p)
    }

    fn is_ident(&mut self, s: &str) -> bool {
        matches!(&self.peek().tok, Tok::Ident(q) if q == s)
    }

    fn err_here(&mut self, expected: &str) -> PErr {
        let t = self.peek().clone();
        match &t.tok {
            Tok::Error(m) => PErr {
                span: span(t.start, t.end),
                message: m.clone(),
            },
            Tok::Unknown(c) => PErr {
                span: span(t.start, t.end),
                message: format!("unexpected character {c:?}: expected {expected}"),
            },
            other => PErr {
                span: span(t.start, t.end),
                message: format!("expected {expected}, found {}", describe(other)),
            },
        }
    }

    fn expect_punct(&mut self, p: &'static str, expected: &str) -> R<Token> {
        if self.is_punct(p) {
            Ok(self.next())
        } else {
            Err(self.err_here(expected))
        }
    }

    fn skip_newlines(&mut self) {
        while self.peek().tok == Tok::Newline {
            self.next();
        }
    }

    fn enter(&mut self) -> R<()> {
        self.nest += 1;
        if self.nest > MAX_NEST {
            let t = self.peek().clone();
            return Err(PErr {
                span: span(t.start, t.end),
                message: format!("nesting too deep: more than {MAX_NEST} levels of brackets"),
            });
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.nest = self.nest.saturating_sub(1);
    }

    /// The rest of an index after its `[` (and `?`): `x]`, as `obj[x]`.
    fn index_rest(&mut self, obj: Expr, safe: bool, start: Pos) -> R<Expr> {
        self.enter()?;
        self.skip_newlines();
        // `a[^1]`: counted from the end.
        if self.is_punct("^") {
            self.next();
            let idx = self.expr();
            self.leave();
            let idx = idx?;
            self.skip_newlines();
            self.expect_punct("]", "']' after the index")?;
            return self.mk(ExprKind::IndexFromEnd { obj: Box::new(obj), index: Box::new(idx), safe }, start);
        }
        let idx = self.expr();
        self.leave();
        let idx = idx?;
        self.skip_newlines();
        self.expect_punct("]", "']' after the index")?;
        self.mk(ExprKind::Index { obj: Box::new(obj), index: Box::new(idx), safe }, start)
    }

    fn mk(&self, kind: ExprKind, start: Pos) -> R<Expr> {
        let depth = child_depth(&kind) + 1;
        let sp = span(start, self.last_end);
        if depth > MAX_AST {
            return Err(PErr {
                span: sp,
                message: format!("expression too deeply nested (more than {MAX_AST} levels)"),
            });
        }
        Ok(Expr {
            kind,
            span: sp,
            depth,
        })
    }

    // ----- declarations -----

    fn file(&mut self, decls: &mut Vec<Decl>) -> R<()> {
        loop {
            self.skip_newlines();
            let t = self.peek().clone();
            match &t.tok {
                Tok::Eof => return Ok(()),
                Tok::Punct("@") => {
                    self.decorator()?;
                    continue;
                }
                Tok::Ident(kw) => {
                    let d = self.declaration(kw.clone(), t.start)?;
                    decls.push(match d.kind {
                        DeclKind::Resource { symbol, .. } | DeclKind::Module { symbol, .. } if self.defer => {
                            Decl { kind: DeclKind::Deferred { symbol, at: t.start }, span: d.span }
                        }
                        _ => d,
                    });
                }
                _ => {
                    return Err(
                        self.err_here("a declaration (param, var, resource, module, output, …)")
                    )
                }
            }
            match self.peek().tok {
                Tok::Newline | Tok::Eof => {}
                _ => return Err(self.err_here("a new line after the declaration")),
            }
        }
    }

    /// `@name(…)` or `@ns.name(…)`.
    fn decorator(&mut self) -> R<()> {
        self.next();
        self.postfix()?;
        Ok(())
    }

    fn ident(&mut self, expected: &str) -> R<String> {
        if !matches!(self.peek().tok, Tok::Ident(_)) {
            return Err(self.err_here(expected));
        }
        match self.next().tok {
            Tok::Ident(s) => Ok(s),
            _ => Err(self.err_here(expected)),
        }
    }

    fn declaration(&mut self, kw: String, start: Pos) -> R<Decl> {
        self.next();
        match kw.as_str() {
            "targetScope" => {
                let sp = span(start, self.last_end);
                self.expect_punct("=", "'=' after targetScope")?;
                self.skip_newlines();
                let value = self.expr()?;
                Ok(Decl {
                    kind: DeclKind::TargetScope(value),
                    span: sp,
                })
            }
            "param" => {
                let name = self.ident("a parameter name")?;
                let sp = span(start, self.last_end);
                // `.bicepparam` files assign without a type.
                if !self.is_punct("=") {
                    self.type_decl(false)?;
                }
                let default = if self.is_punct("=") {
                    self.next();
                    self.skip_newlines();
                    Some(self.expr()?)
                } else {
                    None
                };
                Ok(Decl {
                    kind: DeclKind::Param { name, default },
                    span: sp,
                })
            }
            "var" => {
                let name = self.ident("a variable name")?;
                let sp = span(start, self.last_end);
                if !self.is_punct("=") {
                    self.type_decl(false)?;
                }
                self.expect_punct("=", "'=' after the variable name")?;
                self.skip_newlines();
                let value = self.expr()?;
                Ok(Decl {
                    kind: DeclKind::Var { name, value },
                    span: sp,
                })
            }
            "output" => {
                let name = self.ident("an output name")?;
                let sp = span(start, self.last_end);
                self.type_decl(true)?;
                self.expect_punct("=", "'=' after the output type")?;
                self.skip_newlines();
                self.expr()?;
                Ok(Decl { kind: DeclKind::Other { keyword: kw, name: Some(name) }, span: sp })
            }
            "type" => {
                let name = self.ident("a type name")?;
                let sp = span(start, self.last_end);
                self.expect_punct("=", "'=' after the type name")?;
                self.skip_newlines();
                self.type_expr()?;
                Ok(Decl { kind: DeclKind::Other { keyword: kw, name: Some(name) }, span: sp })
            }
            "metadata" | "assert" => {
                let name = self.ident(if kw == "metadata" { "a metadata name" } else { "an assertion name" })?;
                let sp = span(start, self.last_end);
                self.expect_punct("=", "'='")?;
                self.skip_newlines();
                self.expr()?;
                Ok(Decl { kind: DeclKind::Other { keyword: kw, name: Some(name) }, span: sp })
            }
            "test" => {
                let name = self.ident("a test name")?;
                if !matches!(self.peek().tok, Tok::Str(_)) {
                    return Err(self.err_here("the path string of the file to test"));
                }
                self.next();
                let sp = span(start, self.last_end);
                self.expect_punct("=", "'=' after the test path")?;
                self.skip_newlines();
                let t = self.peek().start;
                self.expect_punct("{", "'{' to start the test's parameters")?;
                self.object(t)?;
                Ok(Decl { kind: DeclKind::Other { keyword: kw, name: Some(name) }, span: sp })
            }
            // `extension 'x@1.0' with {…} as alias`, `extension microsoftGraph`; `provider` and
            // `import 'x@1.0'` are the older spellings.
            "extension" | "provider" | "import" if matches!(self.peek().tok, Tok::Str(_) | Tok::StrHead(_)) || (kw != "import" && matches!(self.peek().tok, Tok::Ident(_))) => {
                let name = match self.peek().tok.clone() {
                    Tok::Ident(s) => {
                        self.next();
                        Some(s)
                    }
                    _ => {
                        self.primary()?;
                        None
                    }
                };
                let sp = span(start, self.last_end);
                self.with_as_clauses()?;
                Ok(Decl { kind: DeclKind::Other { keyword: kw, name }, span: sp })
            }
            // `.bicepparam`: `extensionConfig alias with {…}`.
            "extensionConfig" => {
                let name = self.ident("an extension alias")?;
                let sp = span(start, self.last_end);
                if !self.is_ident("with") {
                    return Err(self.err_here("'with' and the extension's configuration"));
                }
                self.with_as_clauses()?;
                Ok(Decl { kind: DeclKind::Other { keyword: kw, name: Some(name) }, span: sp })
            }
            "resource" => self.resource(start),
            "using" if matches!(self.peek().tok, Tok::Str(_)) || self.is_ident("none") => {
                let path = match self.next().tok {
                    Tok::Str(s) => Some(s),
                    _ => None,
                };
                let sp = span(start, self.last_end);
                // `using 'x' with { … }` (deployment stacks): the configuration is not kept.
                self.with_as_clauses()?;
                Ok(Decl { kind: DeclKind::Using { path }, span: sp })
            }
            "extends" if matches!(self.peek().tok, Tok::Str(_)) => {
                let Tok::Str(path) = self.next().tok else { unreachable!() };
                let sp = span(start, self.last_end);
                Ok(Decl { kind: DeclKind::Extends { path }, span: sp })
            }
            "import" if self.is_punct("{") || self.is_punct("*") => self.import(start),
            "func" if matches!(self.peek().tok, Tok::Ident(_)) => self.func(start),
            "module" => {
                let symbol = self.ident("a module symbolic name")?;
                let (path, path_span) = match self.peek().tok.clone() {
                    Tok::Str(s) => {
                        let t = self.next();
                        (s, span(t.start, t.end))
                    }
                    _ => return Err(self.err_here("the module path string")),
                };
                let sp = span(start, self.last_end);
                self.expect_punct("=", "'=' after the module path")?;
                self.skip_newlines();
                let mut value = self.expr()?;
                if self.prune {
                    prune_body(&mut value, &["name", "location"], &[]);
                }
                Ok(Decl {
                    kind: DeclKind::Module {
                        symbol,
                        path,
                        path_span,
                        value,
                    },
                    span: sp,
                })
            }
            _ => Err(PErr {
                span: span(start, self.last_end),
                message: format!("expected a declaration (param, var, resource, module, output, type, func, import, …), found '{kw}'"),
            }),
        }
    }

    /// `with {…}` and `as alias` after an extension (or `with {…}` after `using`).
    fn with_as_clauses(&mut self) -> R<()> {
        if self.is_ident("with") {
            self.next();
            let t = self.peek().start;
            self.expect_punct("{", "'{' after 'with'")?;
            self.object(t)?;
        }
        if self.is_ident("as") {
            self.next();
            self.ident("an alias after 'as'")?;
        }
        Ok(())
    }

    // ----- types -----

    /// The type of a `param`, `var` or `output` (`resource 'T@v'` included; for an output the
    /// resource type may be left out).
    fn type_decl(&mut self, output: bool) -> R<()> {
        if self.is_ident("resource") && !matches!(self.peek_at(1).tok, Tok::Punct("<")) {
            self.next();
            if matches!(self.peek().tok, Tok::Str(_)) {
                self.next();
            } else if !output {
                return Err(self.err_here("the resource type string"));
            }
            return Ok(());
        }
        self.type_expr()
    }

    /// A type: unions of `'a' | 'b'` (each member may start a line), `T?`, `T!`, `T[]`,
    /// `{ key: T, *: T }`, `[T, T]`, `(T)`, `resourceInput<'T@v'>.properties`, `ns.T`, literals.
    fn type_expr(&mut self) -> R<()> {
        self.enter()?;
        let r = self.union_type();
        self.leave();
        r
    }

    /// Whether a `|` comes next, here or at the start of a following line.
    fn union_next(&mut self) -> bool {
        let mut i = 0;
        while self.peek_at(i).tok == Tok::Newline {
            i += 1;
        }
        matches!(self.peek_at(i).tok, Tok::Punct("|"))
    }

    fn union_type(&mut self) -> R<()> {
        if self.union_next() {
            self.skip_newlines();
            self.next();
        }
        self.unary_type()?;
        while self.union_next() {
            self.skip_newlines();
            self.next();
            if self.peek().tok == Tok::Newline {
                return Err(self.err_here("a type after '|'"));
            }
            self.unary_type()?;
        }
        Ok(())
    }

    fn unary_type(&mut self) -> R<()> {
        if matches!(self.peek().tok, Tok::Punct("-" | "!" | "+")) {
            self.next();
        }
        self.member_type()?;
        while matches!(self.peek().tok, Tok::Punct("?" | "!")) {
            self.next();
        }
        Ok(())
    }

    fn member_type(&mut self) -> R<()> {
        self.primary_type()?;
        loop {
            match self.peek().tok {
                Tok::Punct("[") => {
                    self.next();
                    if self.is_punct("]") {
                        self.next();
                    } else if self.is_punct("*") {
                        self.next();
                        self.expect_punct("]", "']'")?;
                    } else {
                        self.expr()?;
                        self.expect_punct("]", "']' after the index")?;
                    }
                }
                Tok::Punct(".") => {
                    self.next();
                    if self.is_punct("*") {
                        self.next();
                        continue;
                    }
                    self.ident("a property name after '.'")?;
                    if self.is_punct("<") {
                        self.type_args()?;
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn primary_type(&mut self) -> R<()> {
        let t = self.peek().clone();
        match t.tok {
            Tok::Int(_) | Tok::Str(_) => {
                self.next();
                Ok(())
            }
            Tok::StrHead(_) => self.primary().map(|_| ()),
            Tok::Ident(_) => {
                self.next();
                if self.is_punct("<") {
                    self.type_args()?;
                }
                Ok(())
            }
            Tok::Punct("{") => {
                self.next();
                self.type_items("}", true)
            }
            Tok::Punct("[") => {
                self.next();
                self.type_items("]", false)
            }
            Tok::Punct("(") => {
                self.next();
                loop {
                    self.type_expr()?;
                    if self.is_punct(",") {
                        self.next();
                        continue;
                    }
                    self.expect_punct(")", "')' after the type")?;
                    return Ok(());
                }
            }
            _ => Err(self.err_here("a type")),
        }
    }

    /// `<T, …>` of a parameterized type.
    fn type_args(&mut self) -> R<()> {
        self.next();
        self.enter()?;
        loop {
            self.skip_newlines();
            if self.is_punct(">") {
                self.next();
                break;
            }
            self.type_expr()?;
            self.skip_newlines();
            if self.is_punct(",") {
                self.next();
            } else if !self.is_punct(">") {
                self.leave();
                return Err(self.err_here("',' or '>' in the type arguments"));
            }
        }
        self.leave();
        Ok(())
    }

    /// The members of an object type (`object`) or tuple type, after the opening bracket.
    fn type_items(&mut self, close: &'static str, object: bool) -> R<()> {
        self.enter()?;
        loop {
            self.skip_newlines();
            if self.is_punct(",") {
                self.next();
                continue;
            }
            if self.is_punct(close) {
                self.next();
                break;
            }
            while self.is_punct("@") {
                self.decorator()?;
                self.skip_newlines();
            }
            if object {
                match self.peek().tok.clone() {
                    Tok::Ident(_) | Tok::Str(_) | Tok::Punct("*") => {
                        self.next();
                    }
                    Tok::StrHead(_) => {
                        self.primary()?;
                    }
                    _ => {
                        self.leave();
                        return Err(self.err_here("a property name, '*' or '}'"));
                    }
                }
                self.expect_punct(":", "':' after the property name")?;
                self.skip_newlines();
            }
            self.type_expr()?;
            if let Err(e) = self.after_item(close) {
                self.leave();
                return Err(e);
            }
        }
        self.leave();
        Ok(())
    }

    /// After `import`: `{a, b as c} from 'path'` or `* as ns from 'path'`.
    fn import(&mut self, start: Pos) -> R<Decl> {
        let mut names = Vec::new();
        let mut wildcard = None;
        if self.is_punct("*") {
            self.next();
            if !self.is_ident("as") {
                return Err(self.err_here("'as' after 'import *'"));
            }
            self.next();
            wildcard = Some(self.ident("a namespace name after 'import * as'")?);
        } else {
            self.next(); // {
            self.enter()?;
            loop {
                self.skip_newlines();
                if self.is_punct("}") {
                    self.next();
                    break;
                }
                let name = match self.peek().tok.clone() {
                    Tok::Ident(s) | Tok::Str(s) => {
                        self.next();
                        s
                    }
                    _ => return Err(self.err_here("a name to import or '}'")),
                };
                let local = if self.is_ident("as") {
                    self.next();
                    self.ident("a local name after 'as'")?
                } else {
                    name.clone()
                };
                names.push((name, local));
                // Items are separated by ',' or by new lines.
                let line_break = self.peek().tok == Tok::Newline;
                self.skip_newlines();
                if self.is_punct(",") {
                    self.next();
                } else if !line_break && !self.is_punct("}") {
                    return Err(self.err_here("',', a new line or '}' in the import list"));
                }
            }
            self.leave();
        }
        if !self.is_ident("from") {
            return Err(self.err_here("'from' and the file to import from"));
        }
        self.next();
        let path = match self.peek().tok.clone() {
            Tok::Str(s) => {
                self.next();
                s
            }
            _ => return Err(self.err_here("the path string to import from")),
        };
        Ok(Decl { kind: DeclKind::Import { names, wildcard, path }, span: span(start, self.last_end) })
    }

    /// After `func`: `name(a string, b object) string => body`.
    fn func(&mut self, start: Pos) -> R<Decl> {
        let name = self.ident("a function name")?;
        let sp = span(start, self.last_end);
        self.expect_punct("(", "'(' and the function's parameters")?;
        let mut params = Vec::new();
        loop {
            self.skip_newlines();
            if self.is_punct(")") {
                self.next();
                break;
            }
            params.push(self.ident("a parameter name")?);
            self.type_expr()?;
            self.skip_newlines();
            if self.is_punct(",") {
                self.next();
            } else if !self.is_punct(")") {
                return Err(self.err_here("',' or ')' after the parameter's type"));
            }
        }
        // The return type.
        self.type_expr()?;
        self.expect_punct("=>", "'=>' before the function body")?;
        self.skip_newlines();
        let body = self.expr()?;
        Ok(Decl { kind: DeclKind::Func { name, params, body }, span: sp })
    }

    fn resource(&mut self, start: Pos) -> R<Decl> {
        let symbol = self.ident("a resource symbolic name")?;
        let (type_str, type_span) = match self.peek().tok.clone() {
            Tok::Str(s) => {
                let t = self.next();
                (s, span(t.start, t.end))
            }
            _ => return Err(self.err_here("the resource type string ('Type@apiVersion')")),
        };
        let existing = if self.is_ident("existing") {
            self.next();
            true
        } else {
            false
        };
        let sp = span(start, self.last_end);
        self.expect_punct("=", "'=' after the resource type")?;
        self.skip_newlines();
        let mut value = self.expr()?;
        if self.prune {
            prune_body(&mut value, &["name", "location", "properties"], &["mode", "templateLink", "template"]);
        }
        Ok(Decl {
            kind: DeclKind::Resource {
                symbol,
                type_str,
                type_span,
                existing,
                value,
            },
            span: sp,
        })
    }

    // ----- expressions -----

    pub fn expr(&mut self) -> R<Expr> {
        self.enter()?;
        let r = self.ternary();
        self.leave();
        r
    }

    /// The operator that continues the expression: the next token's, or past one newline a
    /// continuation operator's (only punctuation continues an expression).
    fn continuation(&mut self) -> Option<&'static str> {
        match self.peek().tok {
            Tok::Punct(p) => Some(p),
            Tok::Newline => match &self.peek_at(1).tok {
                n @ Tok::Punct(p) if continues_on_next_line(n) => Some(p),
                _ => None,
            },
            _ => None,
        }
    }

    fn ternary(&mut self) -> R<Expr> {
        let start = self.peek().start;
        let cond = self.binary(1)?;
        if self.continuation() == Some("?") {
            self.skip_newlines();
            self.next();
            self.skip_newlines();
            let a = self.expr()?;
            if self.peek().tok == Tok::Newline && matches!(self.peek_at(1).tok, Tok::Punct(":")) {
                self.next();
            }
            self.expect_punct(":", "':' in the conditional expression")?;
            self.skip_newlines();
            let b = self.expr()?;
            return self.mk(
                ExprKind::Ternary(Box::new(cond), Box::new(a), Box::new(b)),
                start,
            );
        }
        Ok(cond)
    }

    fn binary(&mut self, min_prec: u8) -> R<Expr> {
        let start = self.peek().start;
        let mut lhs = self.unary()?;
        while let Some(p) = self.continuation() {
            let Some((op, prec)) = binop(&Tok::Punct(p)) else { break };
            if prec < min_prec {
                break;
            }
            self.skip_newlines();
            self.next();
            self.skip_newlines();
            // `??` is right-associative; the others left-associative.
            let next_min = if op == BinOp::Coalesce {
                prec
            } else {
                prec + 1
            };
            self.enter()?;
            let rhs = self.binary(next_min);
            self.leave();
            lhs = self.mk(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs?)), start)?;
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> R<Expr> {
        let mut ops = Vec::new();
        loop {
            let op = match self.peek().tok {
                Tok::Punct("!") => UnOp::Not,
                Tok::Punct("-") => UnOp::Neg,
                Tok::Punct("+") => UnOp::Plus,
                _ => break,
            };
            let t = self.next();
            ops.push((op, t.start));
            if ops.len() as u32 > MAX_AST {
                return Err(PErr {
                    span: span(t.start, t.end),
                    message: format!("expression too deeply nested (more than {MAX_AST} levels)"),
                });
            }
        }
        let mut e = self.postfix()?;
        while let Some((op, start)) = ops.pop() {
            e = self.mk(ExprKind::Unary(op, Box::new(e)), start)?;
        }
        Ok(e)
    }

    fn postfix(&mut self) -> R<Expr> {
        let start = self.peek().start;
        let mut e = self.primary()?;
        loop {
            let Tok::Punct(p) = self.peek().tok else { break };
            match p {
                p @ ("." | ".?") => {
                    self.next();
                    let name = match self.peek().tok {
                        Tok::Ident(_) => match self.next().tok {
                            Tok::Ident(s) => s,
                            _ => String::new(),
                        },
                        Tok::Punct("[") if p == ".?" => {
                            // `a.?[x]`
                            self.next();
                            e = self.index_rest(e, true, start)?;
                            continue;
                        }
                        _ => return Err(self.err_here("a property name after '.'")),
                    };
                    e = self.mk(
                        ExprKind::Member {
                            obj: Box::new(e),
                            name,
                            safe: p == ".?",
                        },
                        start,
                    )?;
                }
                "::" => {
                    self.next();
                    self.ident("a nested resource name after '::'")?;
                    e = self.mk(ExprKind::Other, start)?;
                }
                "[" => {
                    self.next();
                    // `a[?x]`: safe index
                    let safe = if self.is_punct("?") {
                        self.next();
                        true
                    } else {
                        false
                    };
                    e = self.index_rest(e, safe, start)?;
                }
                "(" => {
                    self.next();
                    let args = self.call_args()?;
                    let kind = match e.kind {
                        ExprKind::Ident(name) => ExprKind::Call(Box::new(Call {
                            ns: None,
                            name,
                            args,
                        })),
                        ExprKind::Member {
                            obj,
                            name,
                            safe: false,
                        } => match obj.kind {
                            ExprKind::Ident(ns) => ExprKind::Call(Box::new(Call {
                                ns: Some(ns),
                                name,
                                args,
                            })),
                            _ => ExprKind::Other,
                        },
                        _ => ExprKind::Other,
                    };
                    e = self.mk(kind, start)?;
                }
                // Non-null assertion `x!`.
                "!" => {
                    self.next();
                    e = self.mk(ExprKind::Other, start)?;
                }
                _ => break,
            }
        }
        Ok(e)
    }

    /// After `(`: arguments up to `)`.
    fn call_args(&mut self) -> R<Vec<Expr>> {
        self.enter()?;
        let r = self.call_args_inner();
        self.leave();
        r
    }

    fn call_args_inner(&mut self) -> R<Vec<Expr>> {
        let mut args = Vec::new();
        loop {
            self.skip_newlines();
            if self.is_punct(")") {
                self.next();
                return Ok(args);
            }
            args.push(self.expr()?);
            self.skip_newlines();
            if self.is_punct(",") {
                self.next();
            } else if !self.is_punct(")") {
                return Err(self.err_here("',' or ')' in the argument list"));
            }
        }
    }

    fn lambda_body(&mut self, start: Pos, params: Vec<String>) -> R<Expr> {
        self.expect_punct("=>", "'=>' after lambda parameters")?;
        self.skip_newlines();
        let body = self.expr()?;
        self.mk(ExprKind::Lambda { params, body: Box::new(body) }, start)
    }

    fn primary(&mut self) -> R<Expr> {
        let start = self.peek().start;
        if matches!(&self.peek().tok, Tok::Ident(s) if s == "if") && matches!(self.peek_at(1).tok, Tok::Punct("(")) {
            return self.if_expr(start);
        }
        let starts_expr = match &self.peek().tok {
            Tok::Int(_) | Tok::Str(_) | Tok::MultiInterp(_) | Tok::StrHead(_) | Tok::Ident(_) | Tok::Punct("(" | "{" | "[") => true,
            _ => false,
        };
        if !starts_expr {
            return Err(self.err_here("an expression"));
        }
        // Taken, not cloned: every branch below consumes the token.
        let t = self.next();
        match t.tok {
            Tok::Int(s) => {
                let kind = s
                    .parse::<i64>()
                    .map(ExprKind::Int)
                    .unwrap_or(ExprKind::Other);
                self.mk(kind, start)
            }
            Tok::Str(s) => {
                self.mk(ExprKind::Str(vec![Seg::Lit(s)]), start)
            }
            Tok::MultiInterp(pieces) => {
                let mut segs = Vec::with_capacity(pieces.len());
                for p in pieces {
                    match p {
                        MPiece::Lit(l) => segs.push(Seg::Lit(l)),
                        MPiece::Hole(at, end) => segs.push(Seg::Expr(self.hole(at, end)?)),
                    }
                }
                self.mk(ExprKind::Str(segs), start)
            }
            Tok::StrHead(s) => {
                let mut segs = self.interpolation(s)?;
                crate::sources::json::trim(&mut segs);
                self.mk(ExprKind::Str(segs), start)
            }
            Tok::Ident(s) => {
                if self.is_punct("=>") {
                    return self.lambda_body(start, vec![s]);
                }
                let kind = match s.as_str() {
                    "true" => ExprKind::Bool(true),
                    "false" => ExprKind::Bool(false),
                    "null" => ExprKind::Null,
                    _ => ExprKind::Ident(s),
                };
                self.mk(kind, start)
            }
            Tok::Punct("(") => {
                self.paren(start)
            }
            Tok::Punct("{") => {
                self.object(start)
            }
            Tok::Punct("[") => {
                self.array(start)
            }
            _ => unreachable!("checked above"),
        }
    }

    /// The expression of a hole of an interpolated multi-line string, read by a parser of its
    /// own over the same text (so positions stay those of the file).
    fn hole(&mut self, at: Pos, end: usize) -> R<Expr> {
        let src = self.lx.source();
        let Some(text) = src.get(..end) else {
            return Err(PErr { span: span(at, at), message: "string interpolation out of range".to_string() });
        };
        let mut sub = Parser { lx: Lexer::resume(text, at), buf: VecDeque::new(), nest: self.nest, last_end: at, prune: self.prune, defer: false };
        sub.enter()?;
        sub.skip_newlines();
        let e = sub.expr();
        sub.leave();
        let e = e?;
        sub.skip_newlines();
        if sub.peek().tok != Tok::Eof {
            return Err(sub.err_here("'}' to close the string interpolation"));
        }
        Ok(e)
    }

    fn if_expr(&mut self, start: Pos) -> R<Expr> {
        self.next();
        self.next();
        self.enter()?;
        self.skip_newlines();
        let cond = self.expr();
        self.leave();
        let cond = cond?;
        self.skip_newlines();
        self.expect_punct(")", "')' after the condition")?;
        self.skip_newlines();
        let body = self.expr()?;
        self.mk(
            ExprKind::If {
                cond: Box::new(cond),
                body: Box::new(body),
            },
            start,
        )
    }

    /// After `'text${`: the segments up to the closing `'`.
    fn interpolation(&mut self, head: String) -> R<Vec<Seg>> {
        let mut segs = vec![Seg::Lit(head)];
        loop {
            self.skip_newlines();
            segs.push(Seg::Expr(self.expr()?));
            self.skip_newlines();
            if !matches!(self.peek().tok, Tok::StrMid(_) | Tok::StrTail(_)) {
                return Err(self.err_here("'}' to close the string interpolation"));
            }
            match self.next().tok {
                Tok::StrMid(s) => segs.push(Seg::Lit(s)),
                Tok::StrTail(s) => {
                    segs.push(Seg::Lit(s));
                    return Ok(segs);
                }
                _ => unreachable!("checked above"),
            }
        }
    }

    /// After `(`: a parenthesised expression or lambda parameters.
    fn paren(&mut self, start: Pos) -> R<Expr> {
        self.skip_newlines();
        if self.is_punct(")") {
            self.next();
            return self.lambda_body(start, Vec::new());
        }
        let inner = self.expr()?;
        self.skip_newlines();
        let first = match &inner.kind {
            ExprKind::Ident(n) => n.clone(),
            _ => String::new(),
        };
        if self.is_punct(",") {
            // Lambda parameter list.
            let mut params = vec![first];
            while self.is_punct(",") {
                self.next();
                self.skip_newlines();
                params.push(self.ident("a lambda parameter name")?);
                self.skip_newlines();
            }
            self.expect_punct(")", "')' after lambda parameters")?;
            return self.lambda_body(start, params);
        }
        self.expect_punct(")", "')'")?;
        if self.is_punct("=>") {
            return self.lambda_body(start, vec![first]);
        }
        Ok(inner)
    }

    /// After `{`.
    fn object(&mut self, start: Pos) -> R<Expr> {
        let mut props = Vec::new();
        let mut decls = Vec::new();
        loop {
            self.skip_newlines();
            if self.is_punct(",") {
                self.next();
                continue;
            }
            // What the member starts with, without cloning the token.
            enum Start {
                Close,
                Decorator,
                Spread,
                Resource,
                Key,
                Computed,
                Other,
            }
            let (t_start, first) = {
                let t = self.peek();
                let first = match &t.tok {
                    Tok::Punct("}") => Start::Close,
                    Tok::Punct("@") => Start::Decorator,
                    Tok::Punct("...") => Start::Spread,
                    Tok::Ident(kw) if kw == "resource" => Start::Resource,
                    Tok::Ident(_) | Tok::Str(_) => Start::Key,
                    Tok::StrHead(_) => Start::Computed,
                    _ => Start::Other,
                };
                (t.start, first)
            };
            let first = match first {
                Start::Resource if matches!(self.peek_at(1).tok, Tok::Ident(_)) => Start::Resource,
                Start::Resource => Start::Key,
                f => f,
            };
            let key = match first {
                Start::Close => {
                    self.next();
                    crate::sources::json::trim(&mut props);
                    crate::sources::json::trim(&mut decls);
                    return self.mk(ExprKind::Object(props, decls), start);
                }
                Start::Decorator => {
                    self.decorator()?;
                    continue;
                }
                Start::Spread => {
                    self.next();
                    let value = self.expr()?;
                    props.push(Prop { key: None, value });
                    self.after_item("}")?;
                    continue;
                }
                Start::Resource => {
                    self.next();
                    decls.push(self.resource(t_start)?);
                    self.after_item("}")?;
                    continue;
                }
                Start::Key => match self.next().tok {
                    Tok::Ident(s) | Tok::Str(s) => Some(s),
                    _ => None,
                },
                Start::Computed => {
                    self.expr()?;
                    None
                }
                Start::Other => return Err(self.err_here("a property name or '}'")),
            };
            self.expect_punct(":", "':' after the property name")?;
            self.skip_newlines();
            let value = self.expr()?;
            props.push(Prop { key, value });
            self.after_item("}")?;
        }
    }

    /// After an object property or array item: a new line, ',' or the closing bracket.
    fn after_item(&mut self, close: &'static str) -> R<()> {
        match self.peek().tok {
            Tok::Newline | Tok::Punct(",") => Ok(()),
            Tok::Punct(p) if p == close => Ok(()),
            _ => Err(self.err_here(&format!("a new line, ',' or '{close}'"))),
        }
    }

    /// After `[`.
    fn array(&mut self, start: Pos) -> R<Expr> {
        self.skip_newlines();
        if self.is_ident("for") && matches!(self.peek_at(1).tok, Tok::Ident(_) | Tok::Punct("(")) {
            self.next();
            if self.is_punct("(") {
                self.next();
                loop {
                    self.skip_newlines();
                    self.ident("a loop variable name")?;
                    self.skip_newlines();
                    if self.is_punct(",") {
                        self.next();
                    } else {
                        break;
                    }
                }
                self.expect_punct(")", "')' after the loop variables")?;
            } else {
                self.next();
            }
            if !self.is_ident("in") {
                return Err(self.err_here("'in' in the for expression"));
            }
            self.next();
            self.skip_newlines();
            let iterable = self.expr()?;
            self.skip_newlines();
            self.expect_punct(":", "':' after the for expression's collection")?;
            self.skip_newlines();
            let body = self.expr()?;
            self.skip_newlines();
            self.expect_punct("]", "']' to close the for expression")?;
            return self.mk(
                ExprKind::For {
                    iterable: Box::new(iterable),
                    body: Box::new(body),
                },
                start,
            );
        }
        let mut items = Vec::new();
        loop {
            self.skip_newlines();
            if self.is_punct(",") {
                self.next();
                continue;
            }
            if self.is_punct("]") {
                self.next();
                crate::sources::json::trim(&mut items);
                return self.mk(ExprKind::Array(items), start);
            }
            if self.is_punct("...") {
                self.next();
                self.expr()?;
                items.push(self.mk(ExprKind::Other, start)?);
            } else {
                items.push(self.expr()?);
            }
            self.after_item("]")?;
        }
    }
}
