//! JSON with comments (JSONC) reader that keeps exact positions. See [`parse`].
//!
//! What it accepts beyond strict JSON is what ARM's own reader, JSON.NET's `JsonTextReader`,
//! accepts (ARM reads the template it deploys, linked templates included, with it; so do
//! Template Analyzer and the Az PowerShell module): a UTF-8 byte order mark, `//` and `/* */`
//! comments wherever whitespace may be, trailing commas in arrays and objects, raw line breaks
//! and other control characters inside strings, strings and member names in single quotes
//! (`'a'`, with the `\'` escape), unquoted member names (letters, digits, `_` and `$`),
//! `NaN`, `Infinity`, `-Infinity` and `undefined` (read as `null`), hexadecimal (`0x1F`) and
//! octal (`017`) integers (kept as their decimal text), numbers written `.5` or `1.`, and any
//! Unicode white space between tokens (e.g. a no-break space). Not accepted, as no template
//! uses them: JSON.NET's `new Date(…)` constructors and empty array elements (`[1,,2]`).
//! Duplicate object keys are kept in order; [`Node::get`] returns the last, as ARM reads a
//! template (JSON.NET replaces a repeated property by default, and ARM's case-insensitive
//! lookups see the last one; Azure/azure-quickstart-templates#5855, #5847).
//!
//! The parser is iterative (an explicit stack, no recursion) and the tree is dropped
//! iteratively, so neither deep input nor a deep tree can overflow the (1 MB, in WebAssembly)
//! stack. Positions are tracked incrementally: every byte of the input is counted once, so
//! even a huge single-line file parses in linear time.

use crate::model::Span;
use std::fmt;

/// A JSON value. Numbers are kept as their source text.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Num),
    String(Box<str>),
    Array(Vec<Node>),
    Object(Vec<Member>),
    /// A value [`parse_template`] checked but did not build: the `properties` of a resource
    /// whose type is known not to be a deployment, an array or object variable, …
    /// [`parse_skipped`] builds it when needed.
    Skipped,
}

/// A short text kept inline (up to 22 bytes, 10 on wasm32; longer ones on the heap): the text of a number
/// and the name of an object member, so that a template with millions of numbers or members does
/// not make an allocation for each. Reads as a `&str`.
#[derive(Clone, PartialEq, Eq)]
pub struct Short(ShortRepr);

/// The text of a number (see [`Short`]).
pub type Num = Short;

#[derive(Clone, PartialEq, Eq)]
enum ShortRepr {
    Inline(u8, [u8; Short::INLINE]),
    Heap(Box<str>),
}

impl Short {
    /// As many bytes as fit beside the length and the variant in the size of a `Box<str>` plus
    /// a word (24 bytes on 64-bit targets, 12 on wasm32), so that a `Value` is no bigger than with
    /// a `Box<str>`.
    #[cfg(target_pointer_width = "64")]
    const INLINE: usize = 22;
    #[cfg(not(target_pointer_width = "64"))]
    const INLINE: usize = 10;
}

impl Default for Short {
    fn default() -> Short {
        Short::from("")
    }
}

impl From<&str> for Short {
    fn from(s: &str) -> Short {
        if s.len() <= Short::INLINE {
            let mut b = [0u8; Short::INLINE];
            b[..s.len()].copy_from_slice(s.as_bytes());
            Short(ShortRepr::Inline(s.len() as u8, b))
        } else {
            Short(ShortRepr::Heap(Box::from(s)))
        }
    }
}

impl std::ops::Deref for Short {
    type Target = str;
    fn deref(&self) -> &str {
        match &self.0 {
            // Only ever built from a `&str` of that length (`From<&str>`).
            ShortRepr::Inline(n, b) => std::str::from_utf8(&b[..*n as usize]).unwrap_or_default(),
            ShortRepr::Heap(s) => s,
        }
    }
}

impl fmt::Debug for Short {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl fmt::Display for Short {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

/// A value and where it is written: the span of the whole value (for strings including the
/// quotes, for arrays and objects from the opening to just past the closing bracket).
///
/// `Node` implements `Drop` (iteratively, so deep trees cannot overflow the stack); to move the
/// value out use [`Node::into_value`] or `std::mem::take(&mut node.value)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// An object member. `key_span` includes the quotes.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub key: Short,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    /// The last object member named `key` (ASCII case-insensitive, like ARM: a repeated member's
    /// last value wins).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }

    /// The first object member named exactly `key` (case-sensitive, like Terraform).
    pub fn get_exact(&self, key: &str) -> Option<&Node> {
        self.as_object()?.iter().find(|m| &*m.key == key).map(|m| &m.value)
    }

    /// An object's members as `(key, value)`; nothing for any other value.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Node)> {
        self.as_object().unwrap_or(&[]).iter().map(|m| (&*m.key, &m.value))
    }

    /// Like [`Node::get`], giving the whole member (with the key's span).
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.as_object()?
            .iter()
            .rev()
            .find(|m| m.key.eq_ignore_ascii_case(key))
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The kind of value, for messages: "null", "boolean", "number", "string", "array", "object".
    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            Value::Skipped => "value",
        }
    }

    /// Move the value out of the node.
    pub fn into_value(mut self) -> Value {
        std::mem::take(&mut self.value)
    }
}

/// Whether dropping `v` with the compiler's (recursive) drop glue could go deeper than two
/// levels, i.e. whether it contains a non-empty container.
fn has_nested_container(v: &Value) -> bool {
    fn is_nonempty_container(v: &Value) -> bool {
        match v {
            Value::Array(a) => !a.is_empty(),
            Value::Object(o) => !o.is_empty(),
            _ => false,
        }
    }
    match v {
        Value::Array(a) => a.iter().any(|n| is_nonempty_container(&n.value)),
        Value::Object(o) => o.iter().any(|m| is_nonempty_container(&m.value.value)),
        _ => false,
    }
}

/// Move the children of `v` that are containers to `out`; drop the others (leaves) in place.
fn detach_children(v: &mut Value, out: &mut Vec<Node>) {
    match v {
        Value::Array(items) => {
            for n in items.drain(..) {
                if matches!(n.value, Value::Array(_) | Value::Object(_)) {
                    out.push(n);
                }
            }
        }
        Value::Object(members) => {
            for m in members.drain(..) {
                if matches!(m.value.value, Value::Array(_) | Value::Object(_)) {
                    out.push(m.value);
                }
            }
        }
        _ => {}
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        // Shallow trees (the common case) use the normal drop glue: at most two levels deep.
        if !has_nested_container(&self.value) {
            return;
        }
        // Deep trees: flatten onto a heap stack so every node is dropped with no children.
        let mut pending: Vec<Node> = Vec::new();
        detach_children(&mut self.value, &mut pending);
        while let Some(mut n) = pending.pop() {
            detach_children(&mut n.value, &mut pending);
        }
    }
}

/// The result of [`parse`].
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub root: Node,
    /// Span of the first comment (comments are not standard JSON).
    pub first_comment: Option<Span>,
    pub comment_count: usize,
    /// The text starts with a UTF-8 byte order mark.
    pub bom: bool,
    /// The first line break of the text is CRLF.
    pub crlf: bool,
}

/// A syntax error; `message` is user-facing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Deepest nesting of arrays and objects accepted.
    pub max_depth: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { max_depth: 512 }
    }
}

/// Parse JSON with comments, with default [`Options`].
///
/// Lines and columns are 1-based; columns count Unicode scalar values, not counting a byte
/// order mark. Byte offsets (`start`/`end`) are into `text`, byte order mark included.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    parse_with(text, &Options::default())
}

/// A hook for a reader that needs only part of a document (the ARM template reader): it follows
/// where each value sits, as a small number of its own choosing, and says which containers may be
/// checked but left unbuilt ([`Value::Skipped`]). The parser knows nothing of what the places mean.
pub trait Skip {
    /// The place of the root value.
    fn root(&self) -> u8;
    /// The place of a value in a container at `parent`: under `key` in an object, `None` in an
    /// array.
    fn child(&self, parent: u8, key: Option<&str>) -> u8;
    /// May the array or object about to be parsed under `key`, in an object at `parent` whose
    /// members so far are `members`, be left unbuilt?
    fn skippable(&self, parent: u8, key: &str, members: &[Member]) -> bool;
}

/// Parse, leaving the containers `skip` allows unbuilt ([`Value::Skipped`]); [`parse_skipped`]
/// builds one on demand. When a skipped part is invalid, the error has an empty message: parse
/// again with [`parse`] to learn where (the hook's user does; see `arm::template`).
pub fn parse_skipping(text: &str, skip: &dyn Skip) -> Result<Parsed, ParseError> {
    parse_inner(text, &Options::default(), Some(skip))
}

/// Build a [`Value::Skipped`] node of `text` (the text [`parse_skipping`] read); `place` is the
/// node's place as `skip` numbers it.
pub fn parse_skipped(text: &str, node: &Node, skip: &dyn Skip, place: u8) -> Result<Node, ParseError> {
    let start = node.span.start;
    let mut p = Parser::new(text, &Options::default(), Some(skip));
    p.root_ctx = place;
    if start < p.origin || start >= text.len() {
        return Err(p.error(0, 0, "not a skipped value of this text".to_string()));
    }
    p.pos = start;
    p.t_pos = start;
    p.t_line = node.span.line;
    p.t_col = node.span.column;
    p.run()
}

pub fn parse_with(text: &str, opts: &Options) -> Result<Parsed, ParseError> {
    parse_inner(text, opts, None)
}

fn parse_inner(text: &str, opts: &Options, skip: Option<&dyn Skip>) -> Result<Parsed, ParseError> {
    let bom = text.starts_with('\u{feff}');
    let crlf = match text.as_bytes().iter().position(|&b| b == b'\n') {
        Some(i) => i > 0 && text.as_bytes()[i - 1] == b'\r',
        None => false,
    };
    let mut p = Parser::new(text, opts, skip);
    let origin = p.origin;
    if text.len() == origin {
        return Err(p.error(origin, origin, "the file is empty".to_string()));
    }
    p.skip_ws()?;
    if p.pos >= p.b.len() {
        let message = if p.comment_count > 0 {
            "the file contains only comments and whitespace, no JSON value"
        } else {
            "the file contains only whitespace, no JSON value"
        };
        return Err(p.error(p.pos, p.pos, message.to_string()));
    }
    let root = p.run()?;
    p.skip_ws()?;
    if p.pos < p.b.len() {
        let msg = format!(
            "unexpected {} after the end of the JSON value (a file holds a single value)",
            p.describe(p.pos)
        );
        return Err(p.error_at_char(p.pos, msg));
    }
    Ok(Parsed {
        root,
        first_comment: p.first_comment,
        comment_count: p.comment_count,
        bom,
        crlf,
    })
}

/// An array or object still open.
enum Frame {
    Array {
        start: usize,
        line: u32,
        col: u32,
        items: Vec<Node>,
        /// Its place, as the [`Skip`] hook numbers it (0 without one).
        ctx: u8,
    },
    Object {
        start: usize,
        line: u32,
        col: u32,
        members: Vec<Member>,
        /// Key of the member whose value is being parsed.
        key: Short,
        key_span: Span,
        /// Its place, as the [`Skip`] hook numbers it (0 without one).
        ctx: u8,
    },
}

struct Parser<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    /// Byte offset where line 1, column 1 is (after a byte order mark).
    origin: usize,
    /// Position tracker: the line and column of byte offset `t_pos`. Only moves forward, so
    /// every byte is counted once.
    t_pos: usize,
    t_line: u32,
    t_col: u32,
    first_comment: Option<Span>,
    comment_count: usize,
    max_depth: usize,
    /// Which containers may be left unbuilt (`None`: build everything).
    skip: Option<&'a dyn Skip>,
    /// The place of the root value, as `skip` numbers it.
    root_ctx: u8,
}

/// Longest piece of source text quoted in an error message.
const QUOTE_MAX: usize = 40;

fn truncate_for_message(s: &str) -> String {
    if s.chars().count() <= QUOTE_MAX {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(QUOTE_MAX).collect();
        t.push('…');
        t
    }
}

fn hex_value(c: u8) -> Option<u32> {
    match c {
        b'0'..=b'9' => Some(u32::from(c - b'0')),
        b'a'..=b'f' => Some(u32::from(c - b'a' + 10)),
        b'A'..=b'F' => Some(u32::from(c - b'A' + 10)),
        _ => None,
    }
}

/// Whether `s` is a JSON number.
fn valid_number(s: &[u8]) -> bool {
    let digits = |i: &mut usize| {
        let from = *i;
        while s.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > from
    };
    let mut i = 0;
    if s.first() == Some(&b'-') {
        i += 1;
    }
    match s.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if s.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == s.len()
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, opts: &Options, skip: Option<&'a dyn Skip>) -> Self {
        let origin = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
        Parser {
            text,
            b: text.as_bytes(),
            pos: origin,
            origin,
            t_pos: origin,
            t_line: 1,
            t_col: 1,
            first_comment: None,
            comment_count: 0,
            max_depth: opts.max_depth,
            root_ctx: skip.map_or(0, |s| s.root()),
            skip,
        }
    }

    /// Line and column of byte offset `p`. Amortised O(1) when called with non-decreasing
    /// offsets (which the parser does).
    fn loc(&mut self, p: usize) -> (u32, u32) {
        let p = p.min(self.b.len());
        if p < self.t_pos {
            // Never happens in practice; stay correct anyway.
            self.t_pos = self.origin;
            self.t_line = 1;
            self.t_col = 1;
            if p < self.origin {
                return (1, 1);
            }
        }
        let (mut line, mut col) = (self.t_line, self.t_col);
        let seg = &self.b[self.t_pos..p];
        // Columns count characters: bytes that are not UTF-8 continuation bytes (0x80..=0xBF).
        #[inline(always)]
        fn is_char(c: u8) -> bool {
            (c as i8) >= -0x40
        }
        if seg.len() < 64 {
            // Between two tokens: a byte at a time is quickest.
            for &c in seg {
                if c == b'\n' {
                    line = line.saturating_add(1);
                    col = 1;
                } else if is_char(c) {
                    col = col.saturating_add(1);
                }
            }
        } else {
            // Long stretches (skipped values): counting loops the compiler vectorises, and
            // columns only after the last line break.
            let chars = |s: &[u8]| count(s, is_char) as u32;
            match seg.iter().rposition(|&c| c == b'\n') {
                None => col = col.saturating_add(chars(seg)),
                Some(last) => {
                    line = line.saturating_add(count(&seg[..=last], #[inline(always)] |c| c == b'\n') as u32);
                    col = 1u32.saturating_add(chars(&seg[last + 1..]));
                }
            }
        }
        self.t_pos = p;
        self.t_line = line;
        self.t_col = col;
        (line, col)
    }

    fn span(&mut self, start: usize, end: usize) -> Span {
        let (line, column) = self.loc(start);
        self.span_from(start, line, column, end)
    }

    fn span_from(&mut self, start: usize, line: u32, column: u32, end: usize) -> Span {
        let (end_line, end_column) = self.loc(end);
        Span {
            line,
            column,
            end_line,
            end_column,
            start,
            end,
        }
    }

    fn error(&mut self, start: usize, end: usize, message: String) -> ParseError {
        ParseError {
            message,
            span: self.span(start, end),
        }
    }

    /// An error covering the character at `p` (empty at the end of the text).
    fn error_at_char(&mut self, p: usize, message: String) -> ParseError {
        let end = self.char_end(p);
        self.error(p, end, message)
    }

    fn char_end(&self, p: usize) -> usize {
        match self.text.get(p..).and_then(|s| s.chars().next()) {
            Some(c) => p + c.len_utf8(),
            None => p.min(self.b.len()),
        }
    }

    /// "'x'" for the character at `p`, or "end of file".
    fn describe(&self, p: usize) -> String {
        match self.text.get(p..).and_then(|s| s.chars().next()) {
            None => "end of file".to_string(),
            Some('\n') | Some('\r') => "a line break".to_string(),
            Some(c) => format!("'{}'", c.escape_debug()),
        }
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    /// Skip whitespace and comments.
    #[inline]
    fn skip_ws(&mut self) -> Result<(), ParseError> {
        let b = self.b;
        let mut i = self.pos;
        loop {
            match b.get(i) {
                Some(b' ') => {
                    // Indentation: eight spaces at a time.
                    i += 1;
                    while let Some(w) = b.get(i..i + 8) {
                        if w != b"        " {
                            break;
                        }
                        i += 8;
                    }
                }
                Some(b'\t' | b'\r' | b'\n' | 0x0B | 0x0C) => i += 1,
                Some(b'/') => {
                    self.pos = i;
                    self.comment()?;
                    i = self.pos;
                }
                // Unicode white space (a no-break space, …), which JSON.NET skips too.
                Some(&c) if c >= 0x80 => match self.text.get(i..).and_then(|t| t.chars().next()) {
                    Some(ch) if ch.is_whitespace() => i += ch.len_utf8(),
                    _ => {
                        self.pos = i;
                        return Ok(());
                    }
                },
                _ => {
                    self.pos = i;
                    return Ok(());
                }
            }
        }
    }

    /// At a `/`: skip a comment.
    fn comment(&mut self) -> Result<(), ParseError> {
        let start = self.pos;
        let b = self.b;
        let end = match b.get(start + 1) {
            Some(b'/') => b[start + 2..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |i| start + 2 + i),
            Some(b'*') => match b[start + 2..].windows(2).position(|w| w == b"*/") {
                Some(i) => start + 2 + i + 2,
                None => {
                    return Err(self.error(
                        start,
                        b.len(),
                        "unterminated comment: '/*' without a closing '*/'".to_string(),
                    ))
                }
            },
            _ => {
                return Err(self.error_at_char(
                    start,
                    "unexpected '/': comments start with '//' or '/*'".to_string(),
                ))
            }
        };
        // A line comment does not include its line break (nor a CR before it).
        let end = if b.get(start + 1) == Some(&b'/') && end > start + 2 && b[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        self.comment_count += 1;
        if self.first_comment.is_none() {
            self.first_comment = Some(self.span(start, end));
        }
        self.pos = end;
        Ok(())
    }

    /// Error for a missing closing bracket at the end of the text, or `expected ..., found x`.
    fn expected(&mut self, what: &str, frame: Option<&Frame>) -> ParseError {
        if self.pos >= self.b.len() {
            if let Some(f) = frame {
                let (line, col, c) = match f {
                    Frame::Array { line, col, .. } => (*line, *col, '['),
                    Frame::Object { line, col, .. } => (*line, *col, '{'),
                };
                let msg = format!(
                    "unexpected end of file: expected {what}; the '{c}' at line {line}, column {col} is not closed"
                );
                return self.error_at_char(self.pos, msg);
            }
        }
        let msg = format!("expected {what}, found {}", self.describe(self.pos));
        self.error_at_char(self.pos, msg)
    }

    /// Parse an object member name and the `:` after it; leaves `pos` before the value.
    fn key(&mut self, frame: Option<&Frame>) -> Result<(Short, Span), ParseError> {
        let start = self.pos;
        let key = match self.peek() {
            Some(q @ (b'"' | b'\'')) => Short::from(&*self.string(q)?),
            _ => match self.unquoted_name() {
                Some(end) => {
                    self.pos = end;
                    Short::from(&self.text[start..end])
                }
                None => return Err(self.expected("a member name or '}'", frame)),
            },
        };
        let span = self.span(start, self.pos);
        self.skip_ws()?;
        if self.peek() != Some(b':') {
            return Err(self.expected("':' after the member name", frame));
        }
        self.pos += 1;
        Ok((key, span))
    }

    fn run(&mut self) -> Result<Node, ParseError> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            // Expect a value.
            self.skip_ws()?;
            let (ctx, skippable) = match (self.skip, stack.last()) {
                (None, _) => (0, false),
                (Some(_), None) => (self.root_ctx, false),
                (Some(s), Some(Frame::Array { ctx, .. })) => (s.child(*ctx, None), false),
                (Some(s), Some(Frame::Object { ctx, key, members, .. })) => {
                    (s.child(*ctx, Some(key)), matches!(self.peek(), Some(b'[' | b'{')) && s.skippable(*ctx, key, members))
                }
            };
            let mut node = match self.peek() {
                Some(b'[' | b'{') if skippable => {
                    let start = self.pos;
                    let (line, col) = self.loc(start);
                    self.skip_container(stack.len())?;
                    let span = self.span_from(start, line, col, self.pos);
                    Node { value: Value::Skipped, span }
                }
                Some(open @ (b'[' | b'{')) => {
                    let start = self.pos;
                    if stack.len() >= self.max_depth {
                        let msg = format!("JSON nested deeper than {} levels", self.max_depth);
                        return Err(self.error(start, start + 1, msg));
                    }
                    let (line, col) = self.loc(start);
                    self.pos += 1;
                    self.skip_ws()?;
                    let close = if open == b'{' { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        self.pos += 1;
                        let span = self.span_from(start, line, col, self.pos);
                        let value = if open == b'{' {
                            Value::Object(Vec::new())
                        } else {
                            Value::Array(Vec::new())
                        };
                        Node { value, span }
                    } else if open == b'{' {
                        let (key, key_span) = self.key(stack.last())?;
                        stack.push(Frame::Object {
                            start,
                            line,
                            col,
                            members: Vec::new(),
                            key,
                            key_span,
                            ctx,
                        });
                        continue;
                    } else {
                        stack.push(Frame::Array {
                            start,
                            line,
                            col,
                            items: Vec::new(),
                            ctx,
                        });
                        continue;
                    }
                }
                Some(_) => self.scalar()?,
                None => return Err(self.expected("a value", stack.last())),
            };
            // Attach the completed value to its parent; close every container that ends here.
            loop {
                let Some(frame) = stack.last_mut() else {
                    return Ok(node);
                };
                let closed = match frame {
                    Frame::Array { items, .. } => {
                        items.push(node);
                        self.skip_ws()?;
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                self.skip_ws()?;
                                self.peek() == Some(b']')
                            }
                            Some(b']') => true,
                            _ => {
                                return Err(self
                                    .expected("',' or ']' after an array element", stack.last()))
                            }
                        }
                    }
                    Frame::Object {
                        members,
                        key,
                        key_span,
                        ..
                    } => {
                        members.push(Member {
                            key: std::mem::take(key),
                            key_span: *key_span,
                            value: node,
                        });
                        self.skip_ws()?;
                        match self.peek() {
                            Some(b',') => {
                                self.pos += 1;
                                self.skip_ws()?;
                                if self.peek() == Some(b'}') {
                                    true
                                } else {
                                    let (k, ks) = self.key(None)?;
                                    *key = k;
                                    *key_span = ks;
                                    false
                                }
                            }
                            Some(b'}') => true,
                            _ => {
                                return Err(self
                                    .expected("',' or '}' after an object member", stack.last()))
                            }
                        }
                    }
                };
                if !closed {
                    break; // parse the next element
                }
                self.pos += 1; // the closing bracket
                let end = self.pos;
                node = match stack.pop() {
                    // Small containers are trimmed to their length: a closed container keeps no
                    // spare capacity (a template's tree is held until the file is read). A large
                    // one is left as it is: its unused tail is never touched (so not resident),
                    // and in the wasm build trimming it would copy it.
                    Some(Frame::Array {
                        start,
                        line,
                        col,
                        mut items,
                        ..
                    }) => Node {
                        value: Value::Array({
                            trim(&mut items);
                            items
                        }),
                        span: self.span_from(start, line, col, end),
                    },
                    Some(Frame::Object {
                        start,
                        line,
                        col,
                        mut members,
                        ..
                    }) => Node {
                        value: Value::Object({
                            trim(&mut members);
                            members
                        }),
                        span: self.span_from(start, line, col, end),
                    },
                    None => return Ok(node_placeholder()),
                };
            }
        }
    }

    /// At a `[` or `{` (the value of a member `depth` containers deep): check the value like
    /// [`Parser::run`] would, without building it, leaving `pos` after it. Any error is reported
    /// with an empty message: [`parse_template`] then parses the whole text again with
    /// [`parse`] to describe it exactly.
    fn skip_container(&mut self, depth: usize) -> Result<(), ParseError> {
        let fail = |p: &mut Self| ParseError { message: String::new(), span: Span { start: p.pos, end: p.pos, ..Span::FILE_START } };
        // The closing brackets still expected, innermost last.
        let mut open: Vec<u8> = Vec::new();
        let mut want_value = true;
        loop {
            self.skip_ws().map_err(|_| fail(self))?;
            let b = self.b;
            if want_value {
                match b.get(self.pos) {
                    Some(&c @ (b'{' | b'[')) => {
                        if depth + open.len() >= self.max_depth {
                            return Err(fail(self));
                        }
                        let close = if c == b'{' { b'}' } else { b']' };
                        open.push(close);
                        self.pos += 1;
                        self.skip_ws().map_err(|_| fail(self))?;
                        if self.peek() == Some(close) {
                            self.pos += 1;
                            open.pop();
                            want_value = false;
                        } else if close == b'}' {
                            self.skip_key().map_err(|_| fail(self))?;
                        }
                    }
                    Some(&q @ (b'"' | b'\'')) => {
                        self.skip_string(q).map_err(|_| fail(self))?;
                        want_value = false;
                    }
                    Some(_) => {
                        self.skip_literal().map_err(|_| fail(self))?;
                        want_value = false;
                    }
                    None => return Err(fail(self)),
                }
            } else {
                let Some(&close) = open.last() else { return Ok(()) };
                match b.get(self.pos) {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_ws().map_err(|_| fail(self))?;
                        if self.peek() == Some(close) {
                            self.pos += 1;
                            open.pop();
                        } else if close == b'}' {
                            self.skip_key().map_err(|_| fail(self))?;
                            want_value = true;
                        } else {
                            want_value = true;
                        }
                    }
                    Some(&c) if c == close => {
                        self.pos += 1;
                        open.pop();
                    }
                    _ => return Err(fail(self)),
                }
            }
            if !want_value && open.is_empty() {
                return Ok(());
            }
        }
    }

    /// The end of an unquoted member name at `pos` (JSON.NET: letters, digits, `_` and `$`), if
    /// one starts there.
    fn unquoted_name(&self) -> Option<usize> {
        let rest = self.text.get(self.pos..)?;
        let len: usize = rest
            .chars()
            .take_while(|&c| c.is_alphanumeric() || c == '_' || c == '$')
            .map(char::len_utf8)
            .sum();
        (len > 0).then_some(self.pos + len)
    }

    /// A member name and its `:`, unbuilt.
    fn skip_key(&mut self) -> Result<(), ()> {
        match self.peek() {
            Some(q @ (b'"' | b'\'')) => self.skip_string(q)?,
            _ => self.pos = self.unquoted_name().ok_or(())?,
        }
        self.skip_ws().map_err(|_| ())?;
        if self.peek() != Some(b':') {
            return Err(());
        }
        self.pos += 1;
        Ok(())
    }

    /// A string quoted with `q`, checked like [`Parser::string`] but not copied.
    fn skip_string(&mut self, q: u8) -> Result<(), ()> {
        let b = self.b;
        let mut i = plain_run(b, self.pos + 1, q);
        loop {
            match b.get(i) {
                Some(&c) if c == q => {
                    self.pos = i + 1;
                    return Ok(());
                }
                Some(b'\\') => match b.get(i + 1) {
                    Some(&c) if simple_escape(c).is_some() => i += 2,
                    Some(b'u') if self.hex4(i + 2).is_some() => i += 6,
                    _ => return Err(()),
                },
                Some(_) => i = plain_run(b, i + 1, q),
                None => return Err(()),
            }
        }
    }

    /// A number or a word (`true`, `NaN`, …), checked like [`Parser::scalar`].
    fn skip_literal(&mut self) -> Result<(), ()> {
        let (start, b) = (self.pos, self.b);
        let end = match b[start] {
            // Most numbers are plain JSON: checked without building their text.
            b'-' | b'.' | b'0'..=b'9' => {
                let end = self.token_end(start, true);
                let tok = &self.text[start..end];
                if !(valid_number(tok.as_bytes()) || tok == "-Infinity" || number_text(tok).is_some()) {
                    return Err(());
                }
                end
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let end = self.token_end(start, false);
                if !matches!(&b[start..end], b"true" | b"false" | b"null" | b"undefined" | b"NaN" | b"Infinity") {
                    return Err(());
                }
                end
            }
            _ => return Err(()),
        };
        self.pos = end;
        Ok(())
    }

    /// The token of a number or a word starting at `start` (JSON.NET reads a number up to the
    /// first byte that cannot continue one).
    fn token_end(&self, start: usize, number: bool) -> usize {
        let b = self.b;
        let mut i = start + 1;
        while b.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || (number && b"+-.".contains(c))) {
            i += 1;
        }
        i
    }

    /// A number or a word at `start`: its end and value, or an error (start, end, message).
    fn literal(&self, start: usize) -> Result<(usize, Value), (usize, usize, String)> {
        let b = self.b;
        match b[start] {
            b'-' | b'.' | b'0'..=b'9' => {
                let end = self.token_end(start, true);
                let tok = &self.text[start..end];
                if tok == "-Infinity" {
                    return Ok((end, Value::Number(Num::from(tok))));
                }
                match number_text(tok) {
                    Some(text) => Ok((end, Value::Number(text))),
                    None => {
                        let digits = tok.trim_start_matches('-');
                        let hint = if digits.len() > 1 && digits.starts_with('0') && digits.as_bytes()[1].is_ascii_digit() {
                            " (a leading zero makes an octal number: digits 0 to 7 only)"
                        } else {
                            ""
                        };
                        Err((start, end, format!("invalid number '{}'{hint}", truncate_for_message(tok))))
                    }
                }
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let end = self.token_end(start, false);
                let value = match &b[start..end] {
                    b"true" => Value::Bool(true),
                    b"false" => Value::Bool(false),
                    // JSON.NET's `undefined` token; ARM reads it as no value.
                    b"null" | b"undefined" => Value::Null,
                    w @ (b"NaN" | b"Infinity") => Value::Number(Num::from(std::str::from_utf8(w).unwrap_or("NaN"))),
                    word => {
                        let word = String::from_utf8_lossy(word);
                        let lower = word.to_ascii_lowercase();
                        let hint = if matches!(lower.as_str(), "true" | "false" | "null") {
                            format!(" (JSON literals are lower case: {lower})")
                        } else {
                            " (strings must be in quotes)".to_string()
                        };
                        return Err((start, end, format!("unexpected '{}': expected a value{hint}", truncate_for_message(&word))));
                    }
                };
                Ok((end, value))
            }
            _ => Err((start, self.char_end(start), format!("expected a value, found {}", self.describe(start)))),
        }
    }

    /// A string, number or literal at `pos`.
    fn scalar(&mut self) -> Result<Node, ParseError> {
        let start = self.pos;
        let value = match self.b[start] {
            q @ (b'"' | b'\'') => Value::String(self.string(q)?),
            _ => match self.literal(start) {
                Ok((end, v)) => {
                    self.pos = end;
                    v
                }
                Err((s, e, msg)) => return Err(self.error(s, e, msg)),
            },
        };
        let span = self.span(start, self.pos);
        Ok(Node { value, span })
    }

    /// At a quote `q` (`"` or `'`): read a string, leaving `pos` after the closing quote.
    fn string(&mut self, q: u8) -> Result<Box<str>, ParseError> {
        let start = self.pos;
        let b = self.b;
        let mut i = plain_run(b, start + 1, q);
        // Fast path: no escapes, copied once.
        loop {
            match b.get(i) {
                Some(&c) if c == q => {
                    self.pos = i + 1;
                    return Ok(Box::from(&self.text[start + 1..i]));
                }
                Some(b'\\') => break,
                // Raw control characters (line breaks included) are part of the string, as in
                // ARM's reader (JSON.NET), which deploys templates with them.
                Some(_) => i = plain_run(b, i + 1, q),
                None => return Err(self.unterminated(start)),
            }
        }
        let mut buf = String::with_capacity(i - start + 16);
        buf.push_str(&self.text[start + 1..i]);
        loop {
            match b.get(i) {
                Some(&c) if c == q => {
                    self.pos = i + 1;
                    return Ok(buf.into_boxed_str());
                }
                Some(b'\\') => {
                    let c = match b.get(i + 1) {
                        None => return Err(self.unterminated(start)),
                        Some(&c) => c,
                    };
                    if let Some(ch) = simple_escape(c) {
                        buf.push(ch);
                        i += 2;
                    } else if c == b'u' {
                        let Some(hi) = self.hex4(i + 2) else {
                            let end = self.char_end(i + 1);
                            return Err(self.error(
                                i,
                                end,
                                "invalid '\\u' escape: expected 4 hexadecimal digits".to_string(),
                            ));
                        };
                        i += 6;
                        if (0xD800..0xDC00).contains(&hi) {
                            // High surrogate: combine with a following low surrogate.
                            let lo = if b.get(i) == Some(&b'\\') && b.get(i + 1) == Some(&b'u') {
                                self.hex4(i + 2).filter(|lo| (0xDC00..0xE000).contains(lo))
                            } else {
                                None
                            };
                            match lo {
                                Some(lo) => {
                                    let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                    buf.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                                    i += 6;
                                }
                                None => buf.push('\u{fffd}'),
                            }
                        } else {
                            buf.push(char::from_u32(hi).unwrap_or('\u{fffd}'));
                        }
                    } else {
                        let end = self.char_end(i + 1);
                        let esc = self.text.get(i..end).unwrap_or("\\");
                        let msg = format!(
                            "invalid escape '{}' in a string (valid: \\\" \\' \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
                            esc.escape_debug()
                        );
                        return Err(self.error(i, end, msg));
                    }
                }
                Some(_) => {
                    let run = i;
                    while b.get(i).is_some_and(|&c| c != q && c != b'\\') {
                        i += 1;
                    }
                    buf.push_str(&self.text[run..i]);
                }
                None => return Err(self.unterminated(start)),
            }
        }
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let h = self.b.get(at..at + 4)?;
        h.iter()
            .try_fold(0u32, |acc, &c| Some(acc * 16 + hex_value(c)?))
    }

    fn unterminated(&mut self, start: usize) -> ParseError {
        let end = self.b.len();
        let q = if self.b.get(start) == Some(&b'\'') { "'" } else { "\"" };
        self.error(start, end, format!("unterminated string: missing the closing {q}"))
    }
}

/// The end of the run of plain string bytes from `i`: eight bytes at a time while none of them
/// is the quote `q` or `\\` (the bytes a string scan must stop at; raw control characters are
/// string content, as ARM reads templates).
#[inline(always)]
fn plain_run(b: &[u8], mut i: usize, q: u8) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    while let Some(w) = b.get(i..i + 8) {
        let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        // The quote or a backslash (0x5C) somewhere in the word?
        let stop = has_zero(x ^ (ONES * u64::from(q))) | has_zero(x ^ (ONES * 0x5C));
        if stop != 0 {
            break;
        }
        i += 8;
    }
    i
}

/// How many bytes of `s` satisfy `f`, in a shape the compiler vectorises (byte counters per
/// block of 128). Inlined even where the build optimises for size: it is the hottest loop.
#[inline(always)]
fn count(s: &[u8], f: impl Fn(u8) -> bool) -> usize {
    let mut total = 0;
    let mut i = 0;
    while i < s.len() {
        let end = if s.len() - i > 128 { i + 128 } else { s.len() };
        let mut n = 0u8;
        for &c in &s[i..end] {
            n += u8::from(f(c));
        }
        total += usize::from(n);
        i = end;
    }
    total
}

/// The character an escape `\\c` stands for, for every `c` but `u` (JSON.NET also takes `\\'`).
fn simple_escape(c: u8) -> Option<char> {
    Some(match c {
        b'"' => '"',
        b'\'' => '\'',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        _ => return None,
    })
}

/// The value text of a number token as JSON.NET reads it, or `None` if it is not one: decimal
/// numbers (also `.5`, `1.` and, after a minus sign, leading zeros: `-012` is -12), and
/// non-negative integers with a leading zero, hexadecimal (`0x1F`) or octal (`017`), given as
/// their decimal text.
fn number_text(tok: &str) -> Option<Num> {
    let b = tok.as_bytes();
    if b.len() > 1 && b[0] == b'0' && !matches!(b[1], b'.' | b'e' | b'E') {
        let n = match tok.get(..2) {
            Some("0x" | "0X") => i64::from_str_radix(&tok[2..], 16).ok()?,
            _ => i64::from_str_radix(&tok[1..], 8).ok()?,
        };
        return Some(Num::from(n.to_string().as_str()));
    }
    if valid_number(b) {
        return Some(Num::from(tok));
    }
    // .NET's double parsing also takes a mantissa without digits on one side of the point.
    let unsigned = tok.strip_prefix('-').unwrap_or(tok);
    let mantissa_end = unsigned.find(['e', 'E']).unwrap_or(unsigned.len());
    let (mantissa, exponent) = unsigned.split_at(mantissa_end);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    let exp_ok = exponent.is_empty() || {
        let e = exponent[1..].strip_prefix(['+', '-']).unwrap_or(&exponent[1..]);
        !e.is_empty() && digits(e)
    };
    (digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty()) && exp_ok).then(|| Num::from(tok))
}

/// Drop the spare capacity of a small vector (see where containers close).
pub(crate) fn trim<T>(v: &mut Vec<T>) {
    if v.capacity() > v.len() && v.capacity() <= 1024 {
        v.shrink_to_fit();
    }
}

/// Unreachable in practice (the stack is known to be non-empty); avoids a panic path.
fn node_placeholder() -> Node {
    Node {
        value: Value::Null,
        span: Span::FILE_START,
    }
}

#[cfg(test)]
mod tests;
