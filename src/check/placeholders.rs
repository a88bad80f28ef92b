//! Build placeholders as deployment names: `${prop}` / `@prop@` (Maven resource filtering,
//! Gradle `expand`), `#{X}#`, `__X__`, `{{X}}`, `##X##` (pipeline token replacement). Such a
//! name is a tracking attempt, never "no tracking deployment": resolved when the build defines
//! the property (a `pom.xml` `<properties>`, including the properties of a profile active by
//! default, or `gradle.properties`, in the template's folder or a folder above it, inside the
//! checked root), otherwise CUA105 "unresolved build placeholder". A cross-file step.

use crate::model::{Resolved, SourceFile};
use crate::tracking::{self, Class};
use crate::util::host::{self, Host};

pub use crate::tracking::build_token as token;

/// The class of a deployment whose whole name is a build placeholder (before resolution).
pub fn unresolved(name: &str) -> Option<Class> {
    let (prop, shape) = token(name)?;
    Some(Class::Placeholder {
        text: name.trim().to_string(),
        why: format!("it is an unresolved build placeholder (`{shape}` token `{}`); no pom.xml or gradle.properties in its folder or above defines `{}`", host::shown(name.trim(), 80), host::shown(prop, 80)),
    })
}

/// Resolve every placeholder-named deployment through the build files; returns, per resolved
/// deployment `(file, deployment)`, the value and where it came from. `classes` is updated with the
/// class of the resolved value.
pub fn resolve(host: &dyn Host, root: &str, limit: u64, files: &[SourceFile], classes: &mut [Vec<Class>]) -> Vec<((usize, usize), String, String)> {
    let mut out = Vec::new();
    let mut cache: std::collections::BTreeMap<String, Option<String>> = Default::default();
    for (fi, f) in files.iter().enumerate() {
        for (di, d) in f.deployments.iter().enumerate() {
            let Resolved::Known(name) = &d.name else { continue };
            let Some((prop, shape)) = token(name) else { continue };
            if !matches!(shape, "${…}" | "@…@") {
                continue; // pipeline tokens: no build file defines them
            }
            let mut dir = parent(&f.path).to_string();
            let found = loop {
                let mut hit = None;
                for build in ["pom.xml", "gradle.properties"] {
                    let rel = if dir.is_empty() { build.to_string() } else { format!("{dir}/{build}") };
                    let text = cache.entry(rel.clone()).or_insert_with(|| {
                        let abs = host::join(root, &rel);
                        host::read_confined(host, root, &abs, limit).ok().and_then(|b| String::from_utf8(b).ok())
                    });
                    let Some(text) = text.as_deref() else { continue };
                    let got = if build == "pom.xml" { maven_property(text, prop) } else { gradle_property(text, prop) };
                    if let Some((value, line)) = got {
                        hit = Some((value, format!("{rel}:{line} (property `{prop}`)")));
                        break;
                    }
                }
                if hit.is_some() || dir.is_empty() {
                    break hit;
                }
                dir = parent(&dir).to_string();
            };
            if let Some((value, from)) = found {
                classes[fi][di] = tracking::classify(&Resolved::Known(value.clone()));
                out.push(((fi, di), value, from));
            }
        }
    }
    out
}

fn parent(p: &str) -> &str {
    p.rfind('/').map(|i| &p[..i]).unwrap_or("")
}

/// `prop=value` or `prop: value` in `gradle.properties`; (value, line).
fn gradle_property(text: &str, prop: &str) -> Option<(String, u32)> {
    text.lines().enumerate().find_map(|(i, l)| {
        let l = l.trim();
        if l.starts_with('#') || l.starts_with('!') {
            return None;
        }
        let at = l.find(['=', ':'])?;
        (l[..at].trim() == prop).then(|| (l[at + 1..].trim().to_string(), i as u32 + 1))
    })
}

/// `<prop>value</prop>` in the project's `<properties>`, or in those of a profile with
/// `<activeByDefault>true</activeByDefault>` (which wins, as in Maven); (value, line).
fn maven_property(text: &str, prop: &str) -> Option<(String, u32)> {
    let text = &blank_comments(text);
    let open = format!("<{prop}>");
    let close = format!("</{prop}>");
    let mut project = None;
    let mut active = None;
    let mut from = 0;
    while let Some(i) = text[from..].find("<properties>") {
        let start = from + i;
        let end = text[start..].find("</properties>").map(|e| start + e)?;
        from = end;
        let block = &text[start..end];
        let Some(v) = block.find(&open) else { continue };
        let vs = start + v + open.len();
        let Some(ve) = text[vs..end].find(&close) else { continue };
        let value = text[vs..vs + ve].trim().to_string();
        let line = text[..vs].matches('\n').count() as u32 + 1;
        // In a profile? The last `<profile>` before it, not closed before it.
        let before = &text[..start];
        let in_profile = match (before.rfind("<profile>"), before.rfind("</profile>")) {
            (Some(o), Some(c)) => o > c,
            (Some(_), None) => true,
            _ => false,
        };
        if in_profile {
            let o = before.rfind("<profile>").unwrap_or(0);
            let pe = text[o..].find("</profile>").map(|e| o + e).unwrap_or(text.len());
            let profile = &text[o..pe];
            let by_default = profile.split_whitespace().collect::<String>().contains("<activeByDefault>true</activeByDefault>");
            if by_default && active.is_none() {
                active = Some((value, line));
            }
        } else if project.is_none() {
            project = Some((value, line));
        }
    }
    active.or(project)
}

/// XML comments replaced by spaces (line breaks kept, so line numbers stay right).
fn blank_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find("-->").map(|e| e + 3).unwrap_or(after.len());
        out.extend(after[..end].chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_of_each_build_tool() {
        assert_eq!(token("${customer.usage.attribution.id}"), Some(("customer.usage.attribution.id", "${…}")));
        assert_eq!(token("@cua.id@"), Some(("cua.id", "@…@")));
        assert_eq!(token("#{CuaId}#"), Some(("CuaId", "#{…}#")));
        assert_eq!(token("__CUA_ID__"), Some(("CUA_ID", "__…__")));
        assert_eq!(token("{{ cua_id }}"), Some(("cua_id", "{{…}}")));
        assert_eq!(token("##CUA_ID##"), Some(("CUA_ID", "##…##")));
        assert_eq!(token("pid-7867e591-c1ee-4530-bed8-7387ab893a26"), None);
        assert_eq!(token("storage@prod"), None);
    }

    #[test]
    fn maven_profile_active_by_default_wins_and_comments_are_ignored() {
        let pom = "<project>\n  <properties>\n    <!-- <cua.id>pid-old</cua.id> -->\n    <cua.id>pid-project</cua.id>\n  </properties>\n  <profiles>\n    <profile>\n      <id>other</id>\n      <properties><cua.id>pid-other</cua.id></properties>\n    </profile>\n    <profile>\n      <id>default</id>\n      <activation>\n        <activeByDefault>true</activeByDefault>\n      </activation>\n      <properties>\n        <cua.id>pid-default</cua.id>\n      </properties>\n    </profile>\n  </profiles>\n</project>\n";
        assert_eq!(maven_property(pom, "cua.id"), Some(("pid-default".into(), 17)));
        let plain = "<project>\n  <properties>\n    <!-- <cua.id>pid-old</cua.id> -->\n    <cua.id>pid-project</cua.id>\n  </properties>\n</project>\n";
        assert_eq!(maven_property(plain, "cua.id"), Some(("pid-project".into(), 4)));
        assert_eq!(maven_property(plain, "other"), None);
    }

    #[test]
    fn gradle_properties() {
        assert_eq!(gradle_property("# c\ncua.id = pid-x\n", "cua.id"), Some(("pid-x".into(), 2)));
        assert_eq!(gradle_property("#cua.id=pid-x\n", "cua.id"), None);
    }
}
