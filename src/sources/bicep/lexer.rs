//! Streaming Bicep lexer.
//!
//! Produces tokens on demand (so hostile input never builds a huge token vector), collapses
//! runs of newlines (and the blank or comment-only lines between them) into one `Newline`
//! token, splits interpolated strings into head / middle / tail pieces, and records every
//! `//` comment (for suppressions) plus the lines that carry code. Positions (byte offset,
//! 1-based line, 1-based column in chars) are tracked in O(1) per byte.
//! The first lexical error becomes a `Tok::Error` token; after it only `Eof` follows.

use crate::model::Span;

/// A position in the text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    pub off: usize,
    pub line: u32,
    pub col: u32,
}

/// The span from `a` to `b`.
pub fn span(a: Pos, b: Pos) -> Span {
    Span {
        line: a.line,
        column: a.col,
        end_line: b.line,
        end_column: b.col,
        start: a.off,
        end: b.off,
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Ident(String),
    Int(String),
    /// A complete string without interpolation (`'a'` or `'''a'''`), unescaped.
    Str(String),
    /// `'text${`
    StrHead(String),
    /// `}text${`
    StrMid(String),
    /// `}text'`
    StrTail(String),
    Punct(&'static str),
    /// An interpolated multi-line string (`$'''…${x}…'''`, `$$'''…$${x}…'''`): its text pieces
    /// and where each hole's expression is (the parser reads those).
    MultiInterp(Vec<MPiece>),
    Newline,
    /// A character that starts no Bicep token.
    Unknown(char),
    /// A lexical error (message); only `Eof` follows.
    Error(String),
    Eof,
}

/// A piece of an interpolated multi-line string.
#[derive(Clone, Debug, PartialEq)]
pub enum MPiece {
    Lit(String),
    /// The expression of a hole: from `start` to byte offset `end` (its closing `}`).
    Hole(Pos, usize),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub start: Pos,
    pub end: Pos,
}

/// A `//` comment.
#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    /// The text after `//`.
    pub text: String,
    pub start: Pos,
    /// Nothing but whitespace (or block comments) before it on its line.
    pub own_line: bool,
}

const PUNCTS: [&str; 34] = [
    "...", "=>", "==", "!=", "=~", "!~", "<=", ">=", "&&", "||", "??", ".?", "::", "{", "}", "[",
    "]", "(", ")", ",", ":", ";", "?", ".", "@", "=", "!", "<", ">", "+", "-", "*", "/", "%",
];
const PUNCTS_EXTRA: [&str; 4] = ["|", "&", "~", "^"];

/// Stands for an unpaired high surrogate (the compiler's strings are UTF-16).
const HIGH_MARK: char = '\u{fffd}';

pub struct Lexer<'t> {
    src: &'t str,
    pos: Pos,
    /// One brace counter per open interpolation.
    interp: Vec<u32>,
    /// The last `\u{D800…DBFF}` escape, written as HIGH_MARK until its low half follows.
    high_surrogate: Option<u32>,
    pub comments: Vec<Comment>,
    /// Byte offset of the start of each line (index 0 = line 1).
    pub line_starts: Vec<usize>,
    /// Lines on which a code token starts, ascending, without duplicates.
    pub code_lines: Vec<u32>,
    last_code_line: u32,
    last_was_newline: bool,
    done: bool,
}

impl<'t> Lexer<'t> {
    pub fn new(src: &'t str) -> Lexer<'t> {
        let mut lx = Lexer {
            src,
            pos: Pos {
                off: 0,
                line: 1,
                col: 1,
            },
            interp: Vec::new(),
            high_surrogate: None,
            comments: Vec::new(),
            line_starts: vec![0],
            code_lines: Vec::new(),
            last_code_line: 0,
            last_was_newline: true,
            done: false,
        };
        // A byte order mark is not part of the text.
        if src.starts_with('\u{feff}') {
            lx.pos.off = 3;
        }
        lx
    }

    fn peek_byte(&self, ahead: usize) -> Option<u8> {
        self.src.as_bytes().get(self.pos.off + ahead).copied()
    }

    fn peek_char(&self) -> Option<char> {
        match self.src.as_bytes().get(self.pos.off) {
            Some(&b) if b < 0x80 => Some(b as char),
            Some(_) => self.src.get(self.pos.off..).and_then(|s| s.chars().next()),
            None => None,
        }
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek_char()?;
        self.pos.off += c.len_utf8();
        if c == '\n' {
            self.pos.line += 1;
            self.pos.col = 1;
            self.line_starts.push(self.pos.off);
        } else {
            self.pos.col += 1;
        }
        Some(c)
    }

    fn rest(&self) -> &'t str {
        self.src.get(self.pos.off..).unwrap_or("")
    }

    /// The next token.
    pub fn next_token(&mut self) -> Token {
        if self.done {
            return Token {
                tok: Tok::Eof,
                start: self.pos,
                end: self.pos,
            };
        }
        // Skip trivia, remembering the first newline.
        let mut newline: Option<Pos> = None;
        loop {
            match self.peek_byte(0) {
                Some(b' ' | b'\t' | b'\r') => {
                    // A run of blanks at once (indentation is most of a Bicep file's trivia).
                    let n = self.src.as_bytes()[self.pos.off..].iter().take_while(|b| matches!(b, b' ' | b'\t' | b'\r')).count();
                    self.pos.off += n;
                    self.pos.col += n as u32;
                }
                Some(b'\n') => {
                    if newline.is_none() {
                        newline = Some(self.pos);
                    }
                    self.bump();
                }
                Some(b'/') if self.peek_byte(1) == Some(b'/') => {
                    let start = self.pos;
                    let rest = self.rest();
                    let len = rest.find('\n').unwrap_or(rest.len());
                    let text = rest[2..len].trim_end_matches('\r').to_string();
                    let own_line = self.last_code_line != start.line;
                    // Comments hold no newline: advance by columns directly.
                    self.pos.col += rest[..len].chars().count() as u32;
                    self.pos.off += len;
                    self.comments.push(Comment {
                        text,
                        start,
                        own_line,
                    });
                }
                // `#disable-next-line …` and other directives.
                Some(b'#') if self.peek_byte(1).is_some_and(|b| b.is_ascii_alphabetic()) => {
                    let rest = self.rest();
                    let len = rest.find('\n').unwrap_or(rest.len());
                    self.pos.col += rest[..len].chars().count() as u32;
                    self.pos.off += len;
                }
                Some(b'/') if self.peek_byte(1) == Some(b'*') => {
                    let start = self.pos;
                    self.bump();
                    self.bump();
                    loop {
                        if self.rest().starts_with("*/") {
                            self.bump();
                            self.bump();
                            break;
                        }
                        if self.bump().is_none() {
                            return self.error(start, "unterminated comment: expected '*/'");
                        }
                    }
                }
                _ => break,
            }
        }
        if let Some(nl) = newline {
            if !self.last_was_newline {
                self.last_was_newline = true;
                let mut end = nl;
                end.off += 1;
                end.line += 1;
                end.col = 1;
                return Token {
                    tok: Tok::Newline,
                    start: nl,
                    end,
                };
            }
        }
        let start = self.pos;
        let Some(c) = self.peek_char() else {
            self.done = true;
            return Token {
                tok: Tok::Eof,
                start,
                end: start,
            };
        };
        let tok = match c {
            '\'' => {
                if self.rest().starts_with("'''") {
                    match self.multi_line_string() {
                        Ok(s) => Tok::Str(s),
                        Err(()) => {
                            return self
                                .error(start, "unterminated multi-line string: expected '''")
                        }
                    }
                } else {
                    self.bump();
                    match self.string_piece(true) {
                        Ok(t) => t,
                        Err(msg) => return self.error(start, msg),
                    }
                }
            }
            '$' if {
                let r = self.rest();
                let n = r.bytes().take_while(|b| *b == b'$').count();
                r[n..].starts_with("'''")
            } =>
            {
                match self.multi_line_interp() {
                    Ok(pieces) => Tok::MultiInterp(pieces),
                    Err(()) => {
                        return self
                            .error(start, "unterminated multi-line string: expected '''")
                    }
                }
            }
            '}' if !self.interp.is_empty() => {
                let top = self.interp.len() - 1;
                if self.interp[top] == 0 {
                    self.interp.pop();
                    self.bump();
                    match self.string_piece(false) {
                        Ok(t) => t,
                        Err(msg) => return self.error(start, msg),
                    }
                } else {
                    self.interp[top] -= 1;
                    self.bump();
                    Tok::Punct("}")
                }
            }
            c if c.is_ascii_digit() => {
                let rest = self.rest();
                let len = rest.bytes().take_while(|b| b.is_ascii_digit()).count();
                let s = rest[..len].to_string();
                self.pos.off += len;
                self.pos.col += len as u32;
                Tok::Int(s)
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let rest = self.rest();
                let len = rest
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                    .count();
                let s = rest[..len].to_string();
                self.pos.off += len;
                self.pos.col += len as u32;
                Tok::Ident(s)
            }
            _ => {
                let rest = self.rest();
                let b0 = rest.as_bytes()[0];
                match PUNCTS
                    .iter()
                    .chain(PUNCTS_EXTRA.iter())
                    .find(|p| p.as_bytes()[0] == b0 && rest.starts_with(**p))
                {
                    Some(p) => {
                        self.pos.off += p.len();
                        self.pos.col += p.len() as u32;
                        if *p == "{" {
                            if let Some(top) = self.interp.last_mut() {
                                *top += 1;
                            }
                        }
                        Tok::Punct(p)
                    }
                    None => {
                        self.bump();
                        Tok::Unknown(c)
                    }
                }
            }
        };
        self.last_was_newline = false;
        if self.code_lines.last() != Some(&start.line) {
            self.code_lines.push(start.line);
        }
        self.last_code_line = self.pos.line;
        Token {
            tok,
            start,
            end: self.pos,
        }
    }

    fn error(&mut self, start: Pos, msg: &str) -> Token {
        self.done = true;
        Token {
            tok: Tok::Error(msg.to_string()),
            start,
            end: self.pos,
        }
    }

    /// At `$…$'''`: read to the closing `'''`, stepping over `$…${ … }` holes (with the same
    /// number of dollars as the opening) and the strings inside them.
    fn multi_line_interp(&mut self) -> Result<Vec<MPiece>, ()> {
        let n = self.rest().bytes().take_while(|b| *b == b'$').count();
        for _ in 0..n + 3 {
            self.bump();
        }
        self.skip_opening_newline();
        let mut pieces = Vec::new();
        let mut lit = String::new();
        loop {
            let r = self.rest();
            if r.is_empty() {
                return Err(());
            }
            if r.starts_with("'''") {
                // Quotes just before the closing `'''` belong to the value.
                while self.rest().starts_with("''''") {
                    lit.push('\'');
                    self.bump();
                }
                for _ in 0..3 {
                    self.bump();
                }
                pieces.push(MPiece::Lit(lit));
                return Ok(pieces);
            }
            let d = r.bytes().take_while(|b| *b == b'$').count();
            if d == n && r[d..].starts_with('{') {
                for _ in 0..=d {
                    self.bump();
                }
                pieces.push(MPiece::Lit(std::mem::take(&mut lit)));
                let start = self.pos;
                let mut depth = 1u32;
                let end = loop {
                    let before = self.pos.off;
                    match self.bump() {
                        None => return Err(()),
                        Some('{') => depth += 1,
                        Some('}') => {
                            depth -= 1;
                            if depth == 0 {
                                break before;
                            }
                        }
                        Some('\'') => {
                            // A string inside the hole; `\'` escapes a quote.
                            loop {
                                match self.bump() {
                                    None => return Err(()),
                                    Some('\\') => {
                                        self.bump();
                                    }
                                    Some('\'') => break,
                                    _ => {}
                                }
                            }
                        }
                        _ => {}
                    }
                };
                pieces.push(MPiece::Hole(start, end));
                continue;
            }
            if let Some(c) = self.bump() {
                lit.push(c);
            }
        }
    }

    /// A lexer over `src` that starts at `at` (inside `src`), for the expression of a hole of
    /// an interpolated multi-line string; `src` ends where the hole does.
    pub fn resume(src: &'t str, at: Pos) -> Lexer<'t> {
        let mut lx = Lexer::new(src);
        lx.pos = at;
        lx
    }

    /// The text being read.
    pub fn source(&self) -> &'t str {
        self.src
    }

    /// A newline right after the opening quotes of a multi-line string is not part of the value.
    fn skip_opening_newline(&mut self) {
        if self.rest().starts_with("\r\n") {
            self.bump();
            self.bump();
        } else if self.rest().starts_with('\n') {
            self.bump();
        }
    }

    /// After the opening `'''`: the raw text up to the closing `'''`.
    fn multi_line_string(&mut self) -> Result<String, ()> {
        for _ in 0..3 {
            self.bump();
        }
        self.skip_opening_newline();
        let rest = self.rest();
        let Some(len) = rest.find("'''") else {
            while self.bump().is_some() {}
            return Err(());
        };
        // Quotes just before the closing `'''` belong to the value (`''''` ends with one).
        let mut len = len;
        while rest[len + 3..].starts_with('\'') {
            len += 1;
        }
        let value = rest[..len].to_string();
        let target = self.pos.off + len + 3;
        while self.pos.off < target {
            self.bump();
        }
        Ok(value)
    }

    /// Lex string text up to `'` or `${`; the opening `'` or `}` is consumed already.
    fn string_piece(&mut self, head: bool) -> Result<Tok, &'static str> {
        let mut s = String::new();
        loop {
            let Some(c) = self.peek_char() else {
                return Err("unterminated string: expected a closing '");
            };
            match c {
                '\'' => {
                    self.bump();
                    return Ok(if head { Tok::Str(s) } else { Tok::StrTail(s) });
                }
                '\n' => {
                    return Err(
                        "unterminated string: expected a closing ' before the end of the line",
                    )
                }
                '$' if self.peek_byte(1) == Some(b'{') => {
                    self.bump();
                    self.bump();
                    self.interp.push(0);
                    return Ok(if head {
                        Tok::StrHead(s)
                    } else {
                        Tok::StrMid(s)
                    });
                }
                '\\' => {
                    self.bump();
                    match self.bump() {
                        Some('\'') => s.push('\''),
                        Some('\\') => s.push('\\'),
                        Some('n') => s.push('\n'),
                        Some('r') => s.push('\r'),
                        Some('t') => s.push('\t'),
                        Some('$') => s.push('$'),
                        Some('u') => {
                            if self.peek_char() != Some('{') {
                                return Err("invalid escape: expected '{' after \\u");
                            }
                            self.bump();
                            let mut v: u32 = 0;
                            let mut digits = 0;
                            while let Some(d) = self.peek_char().and_then(|c| c.to_digit(16)) {
                                self.bump();
                                v = v.saturating_mul(16).saturating_add(d);
                                digits += 1;
                            }
                            if self.peek_char() != Some('}') || digits == 0 {
                                return Err("invalid escape: expected hex digits and '}' in \\u{…}");
                            }
                            self.bump();
                            match char::from_u32(v) {
                                Some(ch) => s.push(ch),
                                // The compiler's strings are UTF-16: `\u{D801}\u{DC37}` is one
                                // character. Join a low surrogate onto the high one before it.
                                None if (0xDC00..=0xDFFF).contains(&v) && s.ends_with(HIGH_MARK) => {
                                    s.pop();
                                    let h = self.high_surrogate.take().unwrap_or(0xD800);
                                    let c = 0x10000 + ((h - 0xD800) << 10) + (v - 0xDC00);
                                    s.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                                }
                                None if (0xD800..=0xDBFF).contains(&v) => {
                                    self.high_surrogate = Some(v);
                                    s.push(HIGH_MARK);
                                }
                                None if (0xDC00..=0xDFFF).contains(&v) => s.push('\u{fffd}'),
                                None => return Err("invalid escape: \\u{…} is not a Unicode character"),
                            }
                        }
                        _ => {
                            return Err(
                                "invalid escape sequence in string: expected one of \\' \\\\ \\n \\r \\t \\$ \\u{…}",
                            )
                        }
                    }
                }
                _ => {
                    // A run of ordinary text at once: no quote, newline, `$` or backslash in it.
                    let rest = self.rest();
                    let len = rest.bytes().position(|b| matches!(b, b'\'' | b'\n' | b'$' | b'\\')).unwrap_or(rest.len());
                    if len == 0 {
                        // A `$` not followed by `{`.
                        self.bump();
                        s.push(c);
                        continue;
                    }
                    let run = &rest[..len];
                    s.push_str(run);
                    self.pos.off += len;
                    self.pos.col += run.bytes().filter(|b| (b & 0xc0) != 0x80).count() as u32;
                }
            }
        }
    }
}
