//! A compact binary form of what reading a file gives (the facts of [`SourceFile`], the
//! [`Problem`]s, the count), so that a helper with its own core (a Node worker thread with its
//! own wasm instance) can read some of the files and hand the result back to the main core,
//! which puts every result back in the order of the files (see `check::read`). Both ends are
//! this same code: the form is private to one build and has no version. A field added to a
//! model struct without adding it here is a compile error (the decoder builds each struct whole).

use std::collections::BTreeMap;

use crate::model::*;

/// Writes values; see [`Wire`].
#[derive(Default)]
pub struct Out(pub Vec<u8>);

/// Reads what [`Out`] wrote; every read fails cleanly on short or malformed input.
pub struct In<'a> {
    buf: &'a [u8],
    at: usize,
}

pub type Res<T> = Result<T, String>;

impl Out {
    pub fn uint(&mut self, mut v: u64) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(b);
                return;
            }
            self.0.push(b | 0x80);
        }
    }
    pub fn bytes(&mut self, b: &[u8]) {
        self.uint(b.len() as u64);
        self.0.extend_from_slice(b);
    }
}

impl<'a> In<'a> {
    pub fn new(buf: &'a [u8]) -> In<'a> {
        In { buf, at: 0 }
    }
    pub fn done(&self) -> bool {
        self.at >= self.buf.len()
    }
    pub fn byte(&mut self) -> Res<u8> {
        let b = *self.buf.get(self.at).ok_or("wire: truncated")?;
        self.at += 1;
        Ok(b)
    }
    pub fn uint(&mut self) -> Res<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("wire: bad number".into())
    }
    pub fn bytes(&mut self) -> Res<&'a [u8]> {
        let n = self.uint()? as usize;
        let end = self.at.checked_add(n).filter(|&e| e <= self.buf.len()).ok_or("wire: truncated")?;
        let b = &self.buf[self.at..end];
        self.at = end;
        Ok(b)
    }
}

/// A value with a binary form.
pub trait Wire: Sized {
    fn put(&self, o: &mut Out);
    fn get(i: &mut In) -> Res<Self>;
}

impl Wire for u64 {
    fn put(&self, o: &mut Out) {
        o.uint(*self)
    }
    fn get(i: &mut In) -> Res<Self> {
        i.uint()
    }
}

impl Wire for usize {
    fn put(&self, o: &mut Out) {
        o.uint(*self as u64)
    }
    fn get(i: &mut In) -> Res<Self> {
        usize::try_from(i.uint()?).map_err(|_| "wire: number too large".into())
    }
}

impl Wire for u32 {
    fn put(&self, o: &mut Out) {
        o.uint(u64::from(*self))
    }
    fn get(i: &mut In) -> Res<Self> {
        u32::try_from(i.uint()?).map_err(|_| "wire: number too large".into())
    }
}

impl Wire for u8 {
    fn put(&self, o: &mut Out) {
        o.0.push(*self)
    }
    fn get(i: &mut In) -> Res<Self> {
        i.byte()
    }
}

impl Wire for bool {
    fn put(&self, o: &mut Out) {
        o.0.push(u8::from(*self))
    }
    fn get(i: &mut In) -> Res<Self> {
        match i.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err("wire: bad bool".into()),
        }
    }
}

impl Wire for String {
    fn put(&self, o: &mut Out) {
        o.bytes(self.as_bytes())
    }
    fn get(i: &mut In) -> Res<Self> {
        std::str::from_utf8(i.bytes()?).map(str::to_owned).map_err(|_| "wire: bad text".into())
    }
}

impl<T: Wire> Wire for Option<T> {
    fn put(&self, o: &mut Out) {
        match self {
            None => o.0.push(0),
            Some(v) => {
                o.0.push(1);
                v.put(o)
            }
        }
    }
    fn get(i: &mut In) -> Res<Self> {
        match i.byte()? {
            0 => Ok(None),
            1 => T::get(i).map(Some),
            _ => Err("wire: bad option".into()),
        }
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn put(&self, o: &mut Out) {
        o.uint(self.len() as u64);
        for v in self {
            v.put(o);
        }
    }
    fn get(i: &mut In) -> Res<Self> {
        let n = i.uint()? as usize;
        // Every element takes at least one byte: a bad length cannot reserve much.
        let mut out = Vec::with_capacity(n.min(i.buf.len() - i.at.min(i.buf.len())));
        for _ in 0..n {
            out.push(T::get(i)?);
        }
        Ok(out)
    }
}

impl Wire for BTreeMap<u32, String> {
    fn put(&self, o: &mut Out) {
        o.uint(self.len() as u64);
        for (k, v) in self {
            k.put(o);
            v.put(o);
        }
    }
    fn get(i: &mut In) -> Res<Self> {
        let n = i.uint()?;
        let mut out = BTreeMap::new();
        for _ in 0..n {
            let k = u32::get(i)?;
            out.insert(k, String::get(i)?);
        }
        Ok(out)
    }
}

/// A struct as its fields in order.
macro_rules! wire_struct {
    ($($t:ident $(<$g:ident>)? { $($f:ident),* $(,)? })*) => {$(
        impl$(<$g: Wire>)? Wire for $t$(<$g>)? {
            fn put(&self, o: &mut Out) {
                $(self.$f.put(o);)*
            }
            fn get(i: &mut In) -> Res<Self> {
                Ok($t { $($f: Wire::get(i)?),* })
            }
        }
    )*};
}

/// A field-less enum as the index of its variant.
macro_rules! wire_unit_enum {
    ($($t:ident { $($v:ident),* $(,)? })*) => {$(
        impl Wire for $t {
            fn put(&self, o: &mut Out) {
                const ALL: &[$t] = &[$($t::$v),*];
                // A match, not a search alone: a variant left out of the list is a compile
                // error here, never sent as the first one.
                let v = match self { $($t::$v => $t::$v),* };
                o.0.push(ALL.iter().position(|x| *x == v).unwrap_or(0) as u8);
            }
            fn get(i: &mut In) -> Res<Self> {
                const ALL: &[$t] = &[$($t::$v),*];
                ALL.get(usize::from(i.byte()?)).copied().ok_or_else(|| concat!("wire: bad ", stringify!($t)).into())
            }
        }
    )*};
}

wire_unit_enum! {
    Kind { Arm, Bicep, Terraform, Code }
    Role { Main, Linked, Template, Other }
    Scope { ResourceGroup, Subscription, ManagementGroup, Tenant }
    Form { ArmResource, BicepResource, BicepModule, TerraformResource }
    ProblemKind { Unreadable, TooLarge, LinkNotFollowed }
}

wire_struct! {
    Span { line, column, end_line, end_column, start, end }
    Located<T> { value, span }
    Condition { span, text, default_value }
    Deployment { form, name_raw, name, name_span, resource_type, nested, scope, mode, has_location, condition, content, span }
    Provider { name, alias, span, partner_id }
    PartnerId { raw, value, span }
    UserAgent { channel, raw, value, span }
    Reference { target, kind, span, nested }
    ModuleCall { source, folder, span }
    FileError { span, message }
    Suppression { rule, reason, span }
    SourceFile { path, kind, role, scope, deployments, providers, user_agents, references, modules, resources, metadata, comment, anchor, errors, warnings, mentions_tracking, build_tokens, suppressions, snippets, params }
    ParamFile { using, using_span, values }
    ParamValue { name, value, from }
    Problem { path, kind, span, message }
}

impl Wire for Part {
    fn put(&self, o: &mut Out) {
        match self {
            Part::Lit(s) => {
                o.0.push(0);
                s.put(o)
            }
            Part::Opaque { text, len } => {
                o.0.push(1);
                text.put(o);
                len.put(o)
            }
        }
    }
    fn get(i: &mut In) -> Res<Self> {
        match i.byte()? {
            0 => Ok(Part::Lit(String::get(i)?)),
            1 => Ok(Part::Opaque { text: String::get(i)?, len: Wire::get(i)? }),
            _ => Err("wire: bad Part".into()),
        }
    }
}

impl Wire for Resolved {
    fn put(&self, o: &mut Out) {
        match self {
            Resolved::Known(s) => {
                o.0.push(0);
                s.put(o)
            }
            Resolved::Partial(p) => {
                o.0.push(1);
                p.put(o)
            }
            Resolved::Unknown(s) => {
                o.0.push(2);
                s.put(o)
            }
        }
    }
    fn get(i: &mut In) -> Res<Self> {
        match i.byte()? {
            0 => Ok(Resolved::Known(String::get(i)?)),
            1 => Ok(Resolved::Partial(Wire::get(i)?)),
            2 => Ok(Resolved::Unknown(String::get(i)?)),
            _ => Err("wire: bad Resolved".into()),
        }
    }
}

impl Wire for ParamVal {
    fn put(&self, o: &mut Out) {
        match self {
            ParamVal::Known(v) => {
                o.0.push(0);
                v.put(o)
            }
            ParamVal::Partial(p) => {
                o.0.push(1);
                p.put(o)
            }
            ParamVal::Unknown(s) => {
                o.0.push(2);
                s.put(o)
            }
        }
    }
    fn get(i: &mut In) -> Res<Self> {
        match i.byte()? {
            0 => Ok(ParamVal::Known(Wire::get(i)?)),
            1 => Ok(ParamVal::Partial(Wire::get(i)?)),
            2 => Ok(ParamVal::Unknown(String::get(i)?)),
            _ => Err("wire: bad ParamVal".into()),
        }
    }
}

/// A JSON value exactly (numbers by their bits, not as text).
impl Wire for serde_json::Value {
    fn put(&self, o: &mut Out) {
        use serde_json::Value as V;
        match self {
            V::Null => o.0.push(0),
            V::Bool(b) => o.0.push(1 + u8::from(*b)),
            V::Number(n) => {
                if let Some(u) = n.as_u64() {
                    o.0.push(3);
                    o.uint(u)
                } else if let Some(x) = n.as_i64() {
                    o.0.push(4);
                    o.uint(x as u64)
                } else {
                    o.0.push(5);
                    o.uint(n.as_f64().unwrap_or(0.0).to_bits())
                }
            }
            V::String(s) => {
                o.0.push(6);
                s.put(o)
            }
            V::Array(a) => {
                o.0.push(7);
                a.put(o)
            }
            V::Object(m) => {
                o.0.push(8);
                o.uint(m.len() as u64);
                for (k, v) in m {
                    k.put(o);
                    v.put(o);
                }
            }
        }
    }
    fn get(i: &mut In) -> Res<Self> {
        use serde_json::Value as V;
        Ok(match i.byte()? {
            0 => V::Null,
            1 => V::Bool(false),
            2 => V::Bool(true),
            3 => V::from(i.uint()?),
            4 => V::from(i.uint()? as i64),
            5 => serde_json::Number::from_f64(f64::from_bits(i.uint()?)).map(V::Number).ok_or("wire: bad number")?,
            6 => V::String(String::get(i)?),
            7 => V::Array(Wire::get(i)?),
            8 => {
                let n = i.uint()?;
                let mut m = serde_json::Map::new();
                for _ in 0..n {
                    let k = String::get(i)?;
                    m.insert(k, Wire::get(i)?);
                }
                V::Object(m)
            }
            _ => return Err("wire: bad JSON value".into()),
        })
    }
}

impl Wire for Content {
    fn put(&self, o: &mut Out) {
        match self {
            Content::Empty => o.0.push(0),
            Content::Resources(s) => {
                o.0.push(1);
                s.put(o)
            }
            Content::Linked(s) => {
                o.0.push(2);
                s.put(o)
            }
            Content::Unknown => o.0.push(3),
        }
    }
    fn get(i: &mut In) -> Res<Self> {
        match i.byte()? {
            0 => Ok(Content::Empty),
            1 => Ok(Content::Resources(Span::get(i)?)),
            2 => Ok(Content::Linked(Span::get(i)?)),
            3 => Ok(Content::Unknown),
            _ => Err("wire: bad Content".into()),
        }
    }
}

impl Wire for LinkKind {
    fn put(&self, o: &mut Out) {
        match self {
            LinkKind::Path => o.0.push(0),
            LinkKind::GitHub { owner, repo } => {
                o.0.push(1);
                owner.put(o);
                repo.put(o)
            }
            LinkKind::External => o.0.push(2),
        }
    }
    fn get(i: &mut In) -> Res<Self> {
        match i.byte()? {
            0 => Ok(LinkKind::Path),
            1 => Ok(LinkKind::GitHub { owner: String::get(i)?, repo: String::get(i)? }),
            2 => Ok(LinkKind::External),
            _ => Err("wire: bad LinkKind".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round<T: Wire + std::fmt::Debug>(v: &T) -> String {
        let mut o = Out::default();
        v.put(&mut o);
        let mut i = In::new(&o.0);
        let back = T::get(&mut i).expect("decodes");
        assert!(i.done(), "every byte read");
        format!("{back:?}")
    }

    #[test]
    fn every_fact_of_a_file_comes_back_as_it_went() {
        let sp = |n: u32| Span { line: n, column: n + 1, end_line: n + 2, end_column: 300, start: n as usize * 1000, end: usize::MAX >> 1 };
        let mut f = SourceFile::new("a/ü.json", Kind::Bicep);
        f.role = Role::Linked;
        f.scope = Some(Scope::Tenant);
        f.deployments.push(Deployment {
            form: Form::BicepModule,
            name_raw: "[concat('pid-', x)]".into(),
            name: Resolved::Partial(vec![Part::Lit("pid-".into()), Part::Opaque { text: "x".into(), len: Some(13) }, Part::Opaque { text: "y".into(), len: None }]),
            name_span: sp(1),
            resource_type: Some(Located { value: DEPLOYMENTS.into(), span: sp(2) }),
            nested: true,
            scope: Scope::ManagementGroup,
            mode: Some(Located { value: Resolved::Unknown("why".into()), span: sp(3) }),
            has_location: true,
            condition: Some(Condition { span: sp(4), text: "c".into(), default_value: Some(false) }),
            content: Content::Linked(sp(5)),
            span: sp(6),
        });
        f.providers.push(Provider { name: "azapi".into(), alias: Some("b".into()), span: sp(7), partner_id: Some(PartnerId { raw: "r".into(), value: Resolved::Known("v".into()), span: sp(8) }) });
        f.user_agents.push(UserAgent { channel: "curl -A".into(), raw: "".into(), value: Resolved::Known(String::new()), span: sp(9) });
        f.references.push(Reference { target: "t".into(), kind: LinkKind::GitHub { owner: "o".into(), repo: "r".into() }, span: sp(10), nested: false });
        f.references.push(Reference { target: "u".into(), kind: LinkKind::External, span: sp(11), nested: true });
        f.resources.push(Located { value: "Microsoft.Web/sites".into(), span: sp(12) });
        f.metadata = Some(Located { value: "m\n".into(), span: sp(13) });
        f.comment = Some(sp(14));
        f.anchor = sp(15);
        f.errors.push(FileError { span: sp(16), message: "bad".into() });
        f.mentions_tracking = true;
        f.suppressions.push(Suppression { rule: "CUA101".into(), reason: None, span: sp(17) });
        f.snippets.insert(7, "line seven".into());
        f.modules.push(ModuleCall { source: "../net".into(), folder: Some("net".into()), span: sp(19) });
        f.modules.push(ModuleCall { source: "Azure/avm-res-x/azurerm".into(), folder: None, span: sp(21) });
        f.build_tokens.push(Located { value: "##TOKEN##".into(), span: sp(20) });
        let json = serde_json::json!({"a": [1, -2, 0.1, 1e300, u64::MAX, null, true, false, "s"], "b": {}});
        f.params = Some(ParamFile {
            using: Some("main.bicep".into()),
            using_span: sp(21),
            values: vec![
                ParamValue { name: "k".into(), value: ParamVal::Known(json.clone()), from: "p:1".into() },
                ParamValue { name: "p".into(), value: ParamVal::Partial(vec![Part::Lit("x".into())]), from: "p:2".into() },
                ParamValue { name: "u".into(), value: ParamVal::Unknown("env".into()), from: "p:3".into() },
            ],
        });
        assert_eq!(round(&f), format!("{f:?}"));
        let mut o = Out::default();
        json.put(&mut o);
        assert_eq!(<serde_json::Value as Wire>::get(&mut In::new(&o.0)).unwrap(), json);
        let p = Problem { path: "p".into(), kind: ProblemKind::LinkNotFollowed, span: sp(18), message: "m".into() };
        assert_eq!(round(&p), format!("{p:?}"));
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let mut o = Out::default();
        SourceFile::new("x", Kind::Arm).put(&mut o);
        for n in 0..o.0.len() {
            assert!(SourceFile::get(&mut In::new(&o.0[..n])).is_err(), "prefix of {n} bytes");
        }
        assert!(Vec::<String>::get(&mut In::new(&[0xff, 0xff, 0xff, 0xff, 0x0f])).is_err());
        assert!(String::get(&mut In::new(&[2, 0xc3, 0x28])).is_err());
    }
}
