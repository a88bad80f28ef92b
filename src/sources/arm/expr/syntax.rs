//! Syntax of ARM expressions: the [`Expr`] tree, [`parse`] (the text inside `[...]`), and
//! printing back ([`Expr`]'s `Display`), plus telling an expression from a literal.
//!
//! Owns: tokens, grammar, nesting limit of the parser, user-facing parse errors.
//! Must not import: anything else of `expr` (values, budget, evaluation), nor `crate::model`:
//! the syntax knows nothing about what an expression means.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

/// Deepest nesting of calls, member and index accesses accepted by [`parse`].
pub const MAX_NESTING: usize = 256;

/// An ARM expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Str(String),
    Int(i64),
    /// A function call; `name` as written (compare lower-case: names are case-insensitive).
    Call {
        name: String,
        args: Vec<Expr>,
    },
    /// `target.name`
    Member {
        target: Box<Expr>,
        name: String,
    },
    /// `target[index]`
    Index {
        target: Box<Expr>,
        index: Box<Expr>,
    },
}

/// Prints the expression back in ARM syntax (canonical spacing: `f(a, b)`).
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Str(s) => {
                f.write_char('\'')?;
                for piece in s.split('\'').enumerate() {
                    if piece.0 > 0 {
                        f.write_str("''")?;
                    }
                    f.write_str(piece.1)?;
                }
                f.write_char('\'')
            }
            Expr::Int(n) => write!(f, "{n}"),
            Expr::Call { name, args } => {
                f.write_str(name)?;
                f.write_char('(')?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    a.fmt(f)?;
                }
                f.write_char(')')
            }
            Expr::Member { target, name } => {
                target.fmt(f)?;
                f.write_char('.')?;
                f.write_str(name)
            }
            Expr::Index { target, index } => {
                target.fmt(f)?;
                f.write_char('[')?;
                index.fmt(f)?;
                f.write_char(']')
            }
        }
    }
}

/// Whether a JSON string value is an expression: `[...]` but not `[[...`.
pub fn is_expression(s: &str) -> bool {
    s.len() >= 2 && s.starts_with('[') && s.ends_with(']') && !s.starts_with("[[")
}

/// The literal meant by a JSON string value that is not an expression: `[[x]` → `[x]`.
pub fn unescape_literal(s: &str) -> Cow<'_, str> {
    if s.starts_with("[[") && s.ends_with(']') {
        Cow::Owned(s[1..].to_string())
    } else {
        Cow::Borrowed(s)
    }
}

/// Parse the text inside the brackets of an expression. Error messages are user-facing.
pub fn parse(src: &str) -> Result<Expr, String> {
    let mut p = Parser {
        s: src.as_bytes(),
        src,
        i: 0,
    };
    p.ws();
    if p.i >= p.s.len() {
        return Err("empty expression".to_string());
    }
    let e = p.expr(0)?;
    p.ws();
    if p.i < p.s.len() {
        return Err(format!(
            "unexpected {} after the end of the expression",
            p.found()
        ));
    }
    Ok(e)
}

struct Parser<'a> {
    s: &'a [u8],
    src: &'a str,
    i: usize,
}

fn nested_too_deep() -> String {
    format!("expression nested deeper than {MAX_NESTING} levels")
}

impl Parser<'_> {
    fn ws(&mut self) {
        while matches!(self.s.get(self.i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.i += 1;
        }
    }

    /// "'x' at character N" or "the end of the expression".
    fn found(&self) -> String {
        match self.src.get(self.i..).and_then(|r| r.chars().next()) {
            None => "end of the expression".to_string(),
            Some(c) => {
                let n = self.src[..self.i].chars().count() + 1;
                format!("'{}' at character {n}", c.escape_debug())
            }
        }
    }

    fn ident(&mut self) -> Option<&str> {
        let start = self.i;
        if !self
            .s
            .get(self.i)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_' || *c == b'$')
        {
            return None;
        }
        while self
            .s
            .get(self.i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'$')
        {
            self.i += 1;
        }
        Some(&self.src[start..self.i])
    }

    /// An expression at nesting `depth` (checked before any recursion).
    fn expr(&mut self, depth: usize) -> Result<Expr, String> {
        if depth > MAX_NESTING {
            return Err(nested_too_deep());
        }
        self.ws();
        let mut e = match self.s.get(self.i) {
            Some(b'\'') => self.string()?,
            Some(b'-' | b'0'..=b'9') => self.int()?,
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' || *c == b'$' => self.call(depth)?,
            Some(b')') => {
                return Err(format!(
                    "unexpected {} (unbalanced parentheses)",
                    self.found()
                ))
            }
            _ => {
                return Err(format!(
                    "expected a value or a function call, found {}",
                    self.found()
                ))
            }
        };
        // Member and index accesses; each adds a level of nesting.
        let mut depth = depth;
        loop {
            self.ws();
            match self.s.get(self.i) {
                Some(b'.') => {
                    self.i += 1;
                    self.ws();
                    let Some(name) = self.ident() else {
                        return Err(format!(
                            "expected a property name after '.', found {}",
                            self.found()
                        ));
                    };
                    let name = name.to_string();
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Err(nested_too_deep());
                    }
                    e = Expr::Member {
                        target: Box::new(e),
                        name,
                    };
                }
                Some(b'[') => {
                    self.i += 1;
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Err(nested_too_deep());
                    }
                    let index = self.expr(depth)?;
                    self.ws();
                    if self.s.get(self.i) != Some(&b']') {
                        return Err(format!(
                            "expected ']' to close the index, found {}",
                            self.found()
                        ));
                    }
                    self.i += 1;
                    e = Expr::Index {
                        target: Box::new(e),
                        index: Box::new(index),
                    };
                }
                _ => return Ok(e),
            }
        }
    }

    fn string(&mut self) -> Result<Expr, String> {
        let start = self.i;
        self.i += 1;
        let mut out = String::new();
        loop {
            let Some(rel) = self.s[self.i..].iter().position(|&c| c == b'\'') else {
                let n = self.src[..start].chars().count() + 1;
                return Err(format!(
                    "unterminated string: the quote at character {n} is not closed (write a quote inside a string as '')"
                ));
            };
            out.push_str(&self.src[self.i..self.i + rel]);
            self.i += rel + 1;
            if self.s.get(self.i) == Some(&b'\'') {
                out.push('\'');
                self.i += 1;
            } else {
                return Ok(Expr::Str(out));
            }
        }
    }

    fn int(&mut self) -> Result<Expr, String> {
        let start = self.i;
        if self.s[self.i] == b'-' {
            self.i += 1;
        }
        let digits = self.i;
        while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        if self.i == digits {
            return Err(format!(
                "expected a number after '-', found {}",
                self.found()
            ));
        }
        if self.s.get(self.i) == Some(&b'.') {
            return Err(format!(
                "unexpected {}: only whole numbers can be written in expressions (use json('1.5') for others)",
                self.found()
            ));
        }
        let text = &self.src[start..self.i];
        text.parse::<i64>()
            .map(Expr::Int)
            .map_err(|_| format!("the number {text} is too large"))
    }

    fn call(&mut self, depth: usize) -> Result<Expr, String> {
        // A name, possibly namespaced (user-defined functions: `ns.fn`).
        let start = self.i;
        loop {
            if self.ident().is_none() {
                return Err(format!("expected a function name, found {}", self.found()));
            }
            if self.s.get(self.i) == Some(&b'.') {
                self.i += 1;
            } else {
                break;
            }
        }
        let name = self.src[start..self.i].to_string();
        self.ws();
        if self.s.get(self.i) != Some(&b'(') {
            let hint = match name.to_ascii_lowercase().as_str() {
                "true" | "false" | "null" => format!(" (write {name}())"),
                _ => String::new(),
            };
            return Err(format!(
                "expected '(' after the function name '{name}', found {}{hint}",
                self.found()
            ));
        }
        self.i += 1;
        let mut args = Vec::new();
        self.ws();
        if self.s.get(self.i) == Some(&b')') {
            self.i += 1;
            return Ok(Expr::Call { name, args });
        }
        loop {
            if self.i >= self.s.len() {
                return Err(format!("missing ')' to close the call of '{name}'"));
            }
            args.push(self.expr(depth + 1)?);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => self.i += 1,
                Some(b')') => {
                    self.i += 1;
                    return Ok(Expr::Call { name, args });
                }
                None => return Err(format!("missing ')' to close the call of '{name}'")),
                _ => {
                    return Err(format!(
                        "expected ',' or ')' in the arguments of '{name}', found {}",
                        self.found()
                    ))
                }
            }
        }
    }
}
