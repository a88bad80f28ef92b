//! A small JSON reader that keeps byte offsets, for `.tf.json` and `.tfvars.json` files.
//!
//! Iterative bounds: nesting is limited to [`MAX_DEPTH`]; errors carry the byte offset.

/// Maximum nesting of arrays and objects.
pub const MAX_DEPTH: usize = 128;

#[derive(Clone, Debug, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    /// The number as written.
    Num(String),
    Str(String),
    Arr(Vec<Node>),
    Obj(Vec<(String, Node)>),
}

/// A JSON value with the byte range it occupies in the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub v: J,
    pub start: usize,
    pub end: usize,
}

impl Node {
    /// Every value of key `k` (JSON objects may repeat keys; `.tf.json` relies on the first).
    pub fn get(&self, k: &str) -> Option<&Node> {
        match &self.v {
            J::Obj(m) => m.iter().find(|(key, _)| key == k).map(|(_, v)| v),
            _ => None,
        }
    }
    pub fn entries(&self) -> &[(String, Node)] {
        match &self.v {
            J::Obj(m) => m,
            _ => &[],
        }
    }
    #[cfg(test)]
    pub fn as_str(&self) -> Option<&str> {
        match &self.v {
            J::Str(s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub struct JsonError {
    pub offset: usize,
    pub message: String,
}

pub fn parse(text: &str) -> Result<Node, JsonError> {
    let mut p = P {
        b: text.as_bytes(),
        i: 0,
        text,
    };
    p.ws();
    let v = p.value(0)?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.err("trailing characters after the JSON value"));
    }
    Ok(v)
}

struct P<'a> {
    b: &'a [u8],
    i: usize,
    text: &'a str,
}

impl P<'_> {
    fn err(&self, m: &str) -> JsonError {
        JsonError {
            offset: self.i.min(self.b.len()),
            message: m.to_string(),
        }
    }
    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b' ' | b'\t' | b'\r' | b'\n' => self.i += 1,
                // Tolerate comments (some tools write them); they are not standard JSON.
                b'/' if self.b.get(self.i + 1) == Some(&b'/') => {
                    while self.i < self.b.len() && self.b[self.i] != b'\n' {
                        self.i += 1;
                    }
                }
                b'/' if self.b.get(self.i + 1) == Some(&b'*') => {
                    self.i += 2;
                    while self.i < self.b.len()
                        && !(self.b[self.i] == b'*' && self.b.get(self.i + 1) == Some(&b'/'))
                    {
                        self.i += 1;
                    }
                    self.i = (self.i + 2).min(self.b.len());
                }
                _ => break,
            }
        }
    }
    fn value(&mut self, depth: usize) -> Result<Node, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.err("JSON nested too deeply"));
        }
        let start = self.i;
        let v = match self.b.get(self.i) {
            None => return Err(self.err("unexpected end of input, expected a value")),
            Some(b'{') => {
                self.i += 1;
                let mut m = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b'}') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        if self.b.get(self.i) != Some(&b'"') {
                            return Err(self.err("expected a string key"));
                        }
                        let k = self.string()?;
                        self.ws();
                        if self.b.get(self.i) != Some(&b':') {
                            return Err(self.err("expected `:` after an object key"));
                        }
                        self.i += 1;
                        self.ws();
                        let v = self.value(depth + 1)?;
                        m.push((k, v));
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b'}') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(self.err("expected `,` or `}` in an object")),
                        }
                    }
                }
                J::Obj(m)
            }
            Some(b'[') => {
                self.i += 1;
                let mut a = Vec::new();
                self.ws();
                if self.b.get(self.i) == Some(&b']') {
                    self.i += 1;
                } else {
                    loop {
                        self.ws();
                        a.push(self.value(depth + 1)?);
                        self.ws();
                        match self.b.get(self.i) {
                            Some(b',') => self.i += 1,
                            Some(b']') => {
                                self.i += 1;
                                break;
                            }
                            _ => return Err(self.err("expected `,` or `]` in an array")),
                        }
                    }
                }
                J::Arr(a)
            }
            Some(b'"') => J::Str(self.string()?),
            Some(b't') if self.b[self.i..].starts_with(b"true") => {
                self.i += 4;
                J::Bool(true)
            }
            Some(b'f') if self.b[self.i..].starts_with(b"false") => {
                self.i += 5;
                J::Bool(false)
            }
            Some(b'n') if self.b[self.i..].starts_with(b"null") => {
                self.i += 4;
                J::Null
            }
            Some(c) if *c == b'-' || c.is_ascii_digit() => {
                while let Some(c) = self.b.get(self.i) {
                    if c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.' | b'e' | b'E') {
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                J::Num(self.text[start..self.i].to_string())
            }
            Some(_) => return Err(self.err("expected a JSON value")),
        };
        Ok(Node {
            v,
            start,
            end: self.i,
        })
    }
    fn string(&mut self) -> Result<String, JsonError> {
        // at the opening quote
        self.i += 1;
        let mut out = String::new();
        let mut run = self.i;
        loop {
            match self.b.get(self.i) {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => {
                    out.push_str(&self.text[run..self.i]);
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(&self.text[run..self.i]);
                    let e = self.b.get(self.i + 1).copied();
                    self.i += 2;
                    match e {
                        Some(b'n') => out.push('\n'),
                        Some(b't') => out.push('\t'),
                        Some(b'r') => out.push('\r'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'u') => {
                            let hex = self.text.get(self.i..self.i + 4).unwrap_or("");
                            let mut cp = u32::from_str_radix(hex, 16)
                                .map_err(|_| self.err("invalid \\u escape"))?;
                            self.i += 4;
                            if (0xD800..0xDC00).contains(&cp)
                                && self.b.get(self.i) == Some(&b'\\')
                                && self.b.get(self.i + 1) == Some(&b'u')
                            {
                                let lo = self.text.get(self.i + 2..self.i + 6).unwrap_or("");
                                if let Ok(lo) = u32::from_str_radix(lo, 16) {
                                    if (0xDC00..0xE000).contains(&lo) {
                                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                                        self.i += 6;
                                    }
                                }
                            }
                            out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                        }
                        Some(c @ (b'"' | b'\\' | b'/')) => out.push(c as char),
                        _ => {
                            self.i -= 1;
                            return Err(self.err("invalid escape in string"));
                        }
                    }
                    run = self.i;
                }
                Some(_) => self.i += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_with_offsets() {
        let t = r#"{"a": [1, "x\u00e9\n"], "b": {"c": null}}"#;
        let n = parse(t).unwrap();
        let a = n.get("a").unwrap();
        assert_eq!(&t[a.start..a.end], r#"[1, "x\u00e9\n"]"#);
        match &a.v {
            J::Arr(v) => assert_eq!(v[1].as_str(), Some("xé\n")),
            _ => panic!(),
        }
        assert!(parse("{\"a\": }").is_err());
        assert!(parse(&"[".repeat(1000)).is_err());
        assert!(parse("\"\\u12").is_err());
        assert!(parse("\"é\\").is_err());
    }
}
