//! What a tracking ID is: `pid-<GUID>`, `pid-<GUID>-<suffix>`, `pid-<GUID>-partnercenter` and
//! `pid-<offer>-partnercenter`. Classifies any statically resolved name, a Terraform
//! `partner_id` and a user-agent value, for every reader alike.
//! Must not import: anything but `model`.

use crate::model::{Part, Resolved};

/// What a name says about tracking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Class {
    /// Not a tracking ID (no `pid-`, or `pid-` followed by words such as `pid-auto-scaling-start`).
    None,
    /// A well-formed tracking ID.
    Valid(TrackingId),
    /// `pid-` followed by an attempt at a GUID that is not a valid GUID: GUID-shaped (hex-ish
    /// groups), or only hex digits and dashes of any length (`pid-1234`).
    Malformed { text: String, why: String },
    /// A placeholder, sample or nil GUID, or an unresolved build placeholder.
    Placeholder { text: String, why: String },
    /// A valid `pid-<GUID>` inside the name, but not at its start.
    Misplaced(TrackingId),
    /// Starts with `pid-` but the ID itself is not known before deployment.
    Dynamic { prefix: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrackingId {
    /// Normalised ID as Azure sees it: lower-case `pid-<guid>` or `pid-<guid>-partnercenter`
    /// (a free suffix such as a uniqueString is not part of the ID).
    pub id: String,
    /// Lower-case GUID, when the ID carries one (`pid-<offer>-partnercenter` does not).
    pub guid: Option<String>,
    pub partner_center: bool,
    /// Written with upper-case letters (Azure compares case-insensitively, but the documented
    /// form is lower case).
    pub had_upper: bool,
}

/// GUIDs used as examples in documentation, each with where it comes from; never a real
/// partner's ID. Besides these, [`placeholder_guid`] treats the usual shapes as placeholders:
/// every digit the same, `12345678-1234-…`, and `00000000-…` with at most four non-zero digits.
pub const SAMPLE_GUIDS: &[(&str, &str)] = &[
    // Source: the article "Azure customer usage attribution", both translations (2021-03 and
    // 2021-08), sections on other use cases and the Python SDK example.
    ("b6addd8f-5ff4-4fc0-a2b5-0ec7861106c4", "the sample ID of Microsoft's customer usage attribution article, in its \"other use cases\" and Python examples"),
    ("00000000-0000-0000-0000-000000000000", "the nil GUID, the usual documentation stand-in"),
    ("11111111-1111-1111-1111-111111111111", "a repeated-digit sample"),
    ("12345678-1234-1234-1234-123456789012", "a counting sample"),
    ("12345678-1234-1234-1234-123456789abc", "a counting sample"),
    ("12345678-90ab-cdef-1234-567890abcdef", "a counting sample"),
    ("01234567-89ab-cdef-0123-456789abcdef", "a counting sample"),
    ("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa", "a repeated-digit sample"),
    ("abcdef01-2345-6789-abcd-ef0123456789", "a counting sample"),
    ("ffffffff-ffff-ffff-ffff-ffffffffffff", "a repeated-digit sample"),
];

/// Sample IDs of the documentation that are not GUIDs at all (so [`SAMPLE_GUIDS`], which holds
/// real GUID forms, cannot list them): a name that carries one copied the example.
pub const MALFORMED_SAMPLES: &[(&str, &str)] = &[
    // Source: the article "Azure customer usage attribution", both translations: the ARM
    // naming example, the PowerShell `AddUserAgent` and the Azure CLI `AZURE_HTTP_USER_AGENT`
    // examples. Its last group has 11 digits.
    ("eb7927c8-dd66-43e1-b0cf-c346a422063", "the sample ID of Microsoft's customer usage attribution article, in its ARM, PowerShell and Azure CLI examples, and not even a GUID: its last group has 11 digits"),
];

/// Is `s` exactly a GUID in its hyphenated form (8-4-4-4-12 hex digits, either case)? Parsed by
/// the `uuid` crate; of its forms only the hyphenated one is 36 characters long (the simple,
/// braced and URN forms are 32, 38 and 45), so the length check keeps to the documented form.
pub fn is_guid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::try_parse(s).is_ok()
}

/// The GUID in its normal (lower-case, hyphenated) form, when `s` is one.
pub fn normalize_guid(s: &str) -> Option<String> {
    if s.len() != 36 {
        return None;
    }
    let u = uuid::Uuid::try_parse(s).ok()?;
    Some(u.hyphenated().encode_lower(&mut uuid::Uuid::encode_buffer()).to_string())
}

/// A new random GUID (version 4, RFC 9562 variant) built from 16 bytes the host gave.
pub fn guid_from_random(bytes: [u8; 16]) -> String {
    let u = uuid::Builder::from_random_bytes(bytes).into_uuid();
    u.hyphenated().encode_lower(&mut uuid::Uuid::encode_buffer()).to_string()
}

/// Why a GUID is a placeholder, if it is one (the message says it was copied from documentation).
pub fn placeholder_guid(guid: &str) -> Option<String> {
    let g = guid.to_ascii_lowercase();
    if g == "00000000-0000-0000-0000-000000000000" {
        return Some("it is the nil GUID, copied from documentation".into());
    }
    if let Some((_, source)) = SAMPLE_GUIDS.iter().find(|(s, _)| *s == g) {
        return Some(format!("it was copied from documentation ({source})"));
    }
    let hex: Vec<u8> = g.bytes().filter(|&c| c != b'-').collect();
    if hex.iter().all(|&c| c == hex[0]) {
        return Some("every digit is the same: a placeholder copied from documentation".into());
    }
    if g.starts_with("12345678-1234-") {
        return Some("it is the `12345678-1234-…` sample shape copied from documentation".into());
    }
    // `00000000-0000-0000-0000-000000000001`: the nil GUID with a digit or two changed. A real
    // GUID that merely has many zeros (`00f120b5-2007-6120-0000-40b000000000`) is not one.
    if g.starts_with("00000000-") && hex.iter().filter(|&&c| c != b'0').count() <= 4 {
        return Some("it is the nil GUID with a few digits changed, a placeholder copied from documentation".into());
    }
    None
}

/// Unresolved build-time placeholders: `${X}`, `__X__`, `#{X}#`, `{{X}}`, `<guid>`, `xxxxxxxx-…`.
pub fn build_placeholder(s: &str) -> Option<&'static str> {
    let lower = s.to_ascii_lowercase();
    if s.contains("${") {
        return Some("an unresolved `${…}` placeholder");
    }
    if s.contains("#{") {
        return Some("an unresolved `#{…}#` token");
    }
    if s.contains("{{") {
        return Some("an unresolved `{{…}}` template placeholder");
    }
    if let Some(i) = s.find("__") {
        if s[i + 2..].contains("__") {
            return Some("an unresolved `__…__` token");
        }
    }
    if lower.contains('<') && lower.contains('>') {
        return Some("a `<…>` placeholder");
    }
    let first = lower.split('-').next().unwrap_or("");
    if first.len() >= 4 && first.bytes().all(|c| c == b'x') {
        return Some("an `XXXXXXXX-…` placeholder");
    }
    if lower.contains("your-guid") || lower.contains("yourguid") || lower.contains("guid-here") {
        return Some("a placeholder text");
    }
    None
}

/// A whole name that is a build placeholder: the property it refers to and the token's shape,
/// `${a.b}` → (`a.b`, `${…}`); also `@a.b@`, `#{X}#`, `__X__`, `{{X}}`, `##X##`.
pub fn build_token(name: &str) -> Option<(&str, &'static str)> {
    let n = name.trim();
    let pairs: [(&str, &str, &'static str); 6] = [
        ("${", "}", "${…}"),
        ("#{", "}#", "#{…}#"),
        ("{{", "}}", "{{…}}"),
        ("##", "##", "##…##"),
        ("__", "__", "__…__"),
        ("@", "@", "@…@"),
    ];
    for (open, close, shape) in pairs {
        let Some(inner) = n.strip_prefix(open).and_then(|r| r.strip_suffix(close)) else { continue };
        let inner = inner.trim();
        if !inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
            return Some((inner, shape));
        }
    }
    None
}

/// Does the start of `s` look like an attempt at a GUID: hex-ish groups separated by dashes?
/// `eb7927c8-dd66-43e1-b0cf-c346a422063` (a digit short) is GUID-shaped; `auto-scaling-start` is not.
fn guid_shaped(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').take(5).collect();
    if groups.len() < 4 {
        // 32 hex digits with no dashes
        let run: String = s.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        return run.len() >= 30 && hexish(&run);
    }
    let lens_ok = groups[0].len() >= 6 && groups[0].len() <= 10;
    let hex_groups = groups.iter().filter(|g| !g.is_empty() && hexish(g)).count();
    lens_ok && hexish(groups[0]) && hex_groups >= 4
}

/// Mostly hex digits (allows a stray typo such as `g` or `o`).
fn hexish(s: &str) -> bool {
    if s.is_empty() {
        return false;
    }
    let hex = s.chars().filter(|c| c.is_ascii_hexdigit()).count();
    let alnum = s.chars().all(|c| c.is_ascii_alphanumeric());
    alnum && hex * 5 >= s.chars().count() * 4
}

/// Classify a resolved name.
pub fn classify(name: &Resolved) -> Class {
    let known = name.known_prefix();
    let fully_known = matches!(name, Resolved::Known(_));
    classify_text(&known, fully_known, name)
}

fn classify_text(known: &str, fully_known: bool, name: &Resolved) -> Class {
    let lower = known.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("pid-") {
        let orig_rest = &known[4..];
        return classify_after_prefix(rest, orig_rest, fully_known, known);
    }
    // `pid-<GUID>` somewhere later in the name: not attributed.
    let display = name.display();
    let dl = display.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = dl[from..].find("pid-") {
        let at = from + i;
        let cand = &dl[at + 4..];
        if let Some(guid) = cand.get(..36).and_then(normalize_guid) {
            return Class::Misplaced(TrackingId {
                id: format!("pid-{guid}"),
                guid: Some(guid),
                partner_center: false,
                had_upper: false,
            });
        }
        from = at + 4;
    }
    Class::None
}

fn classify_after_prefix(rest: &str, orig_rest: &str, fully_known: bool, whole: &str) -> Class {
    if let Some(why) = build_placeholder(orig_rest) {
        return Class::Placeholder { text: whole.to_string(), why: format!("it is {why}") };
    }
    if let Some(guid) = rest.get(..36).and_then(normalize_guid) {
        let after = &rest[36..];
        let continues_hex = after.starts_with(|c: char| c.is_ascii_alphanumeric());
        if !continues_hex {
            if let Some(why) = placeholder_guid(&guid) {
                return Class::Placeholder { text: whole.to_string(), why: why.to_string() };
            }
            let partner_center = after == "-partnercenter";
            let id = if partner_center { format!("pid-{guid}-partnercenter") } else { format!("pid-{guid}") };
            let had_upper = whole[..whole.len().min(4 + 36 + if partner_center { 14 } else { 0 })]
                .chars()
                .any(|c| c.is_ascii_uppercase());
            return Class::Valid(TrackingId { id, guid: Some(guid), partner_center, had_upper });
        }
    }
    if let Some((_, source)) = MALFORMED_SAMPLES.iter().find(|(g, _)| {
        rest.strip_prefix(g).is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_alphanumeric()))
    }) {
        return Class::Placeholder { text: whole.to_string(), why: format!("it was copied from documentation ({source})") };
    }
    if guid_shaped(rest) {
        let shown: String = orig_rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').take(48).collect();
        let why = describe_guid_problem(&shown);
        return Class::Malformed { text: format!("pid-{shown}"), why };
    }
    // `pid-1234`, `pid-eb7927c8-dd66`: only hex digits and dashes, too short or too oddly grouped
    // to be GUID-shaped, is still an attempt at an ID. (A name that is cut short by an opaque
    // part is judged below as dynamic instead: its end is not known.)
    if fully_known && hex_and_dashes(rest) {
        let shown: String = orig_rest.chars().take(48).collect();
        return Class::Malformed { text: format!("pid-{shown}"), why: describe_hex_count(rest) };
    }
    // `pid-<offer>-partnercenter`
    if fully_known && rest.ends_with("-partnercenter") && rest.len() > "-partnercenter".len() {
        let offer = &rest[..rest.len() - "-partnercenter".len()];
        if offer.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.') {
            return Class::Valid(TrackingId {
                id: format!("pid-{offer}-partnercenter"),
                guid: None,
                partner_center: true,
                had_upper: whole.chars().any(|c| c.is_ascii_uppercase()),
            });
        }
    }
    if !fully_known {
        // `pid-` then something we cannot see (or a GUID cut short by an opaque part).
        let seen = rest.chars().take_while(|c| c.is_ascii_hexdigit() || *c == '-').count();
        if seen == rest.chars().count() {
            return Class::Dynamic { prefix: whole.to_string() };
        }
    }
    Class::None
}

/// Only hex digits and dashes, with at least one digit: `1234`, `deadbeef`, `eb7927c8-dd66`.
/// Words made only of the letters a-f (`cafe`, `decade`, `facade`) are taken for IDs too.
fn hex_and_dashes(s: &str) -> bool {
    s.bytes().all(|c| c.is_ascii_hexdigit() || c == b'-') && s.bytes().any(|c| c.is_ascii_hexdigit())
}

/// What is wrong with hex digits and dashes that are not GUID-shaped: how many digits there
/// are, and how they are grouped when there is more than one group.
fn describe_hex_count(s: &str) -> String {
    let groups: Vec<usize> = s.split('-').map(str::len).filter(|&n| n > 0).collect();
    let found: usize = groups.iter().sum();
    let form = groups.iter().map(usize::to_string).collect::<Vec<_>>().join("-");
    match (found, groups.len()) {
        (32, _) => format!("expected 32 hex digits in 8-4-4-4-12 form, found 32 grouped {form}"),
        (_, 1) => format!("expected 32 hex digits in 8-4-4-4-12 form, found {found}"),
        _ => format!("expected 32 hex digits in 8-4-4-4-12 form, found {found} ({form})"),
    }
}

fn describe_guid_problem(s: &str) -> String {
    let groups: Vec<&str> = s.split('-').collect();
    let expected = [8, 4, 4, 4, 12];
    if groups.len() >= 5 {
        for (i, (g, want)) in groups.iter().zip(expected).enumerate() {
            if let Some(c) = g.chars().find(|c| !c.is_ascii_hexdigit()) {
                return format!("group {} (`{g}`) contains `{c}`, which is not a hex digit", i + 1);
            }
            if g.len() != want {
                return format!(
                    "group {} (`{g}`) has {} hex digits where a GUID has {want}",
                    i + 1,
                    g.len()
                );
            }
        }
        return "it has more than five groups".into();
    }
    if groups.len() == 1 {
        return "its hex digits are not separated by hyphens (a GUID is written 8-4-4-4-12)".into();
    }
    format!("it has {} groups where a GUID has 5 (8-4-4-4-12)", groups.len())
}

/// Parse an ID given on the command line or in a registry file: accepts `pid-<guid>`,
/// `pid-<guid>-partnercenter`, `pid-<offer>-partnercenter` or a bare GUID.
pub fn parse_registered(s: &str) -> Option<TrackingId> {
    let t = s.trim();
    let with_prefix = if is_guid(t) { format!("pid-{t}") } else { t.to_string() };
    match classify(&Resolved::Known(with_prefix)) {
        Class::Valid(id) => Some(id),
        _ => None,
    }
}

/// A uniform way to display the opaque parts of a name in messages.
pub fn opaque_count(name: &Resolved) -> usize {
    match name {
        Resolved::Partial(p) => p.iter().filter(|p| matches!(p, Part::Opaque { .. })).count(),
        _ => 0,
    }
}

/// A Terraform `partner_id` may be a bare GUID or a `pid-` form.
pub fn classify_partner_id(v: &Resolved) -> Class {
    let prefixed = |r: &Resolved| -> Resolved {
        match r {
            Resolved::Known(s) if !s.to_ascii_lowercase().starts_with("pid-") => Resolved::Known(format!("pid-{}", s.trim())),
            Resolved::Partial(p) => {
                let mut parts = vec![Part::Lit("pid-".into())];
                let starts_pid = matches!(p.first(), Some(Part::Lit(s)) if s.to_ascii_lowercase().starts_with("pid-"));
                if starts_pid {
                    return r.clone();
                }
                parts.extend(p.iter().cloned());
                Resolved::from_parts(parts)
            }
            other => other.clone(),
        }
    };
    match v {
        Resolved::Unknown(_) => Class::Dynamic { prefix: String::new() },
        Resolved::Known(s) if s.trim().is_empty() => Class::Placeholder { text: String::new(), why: "it is empty".into() },
        other => match classify(&prefixed(other)) {
            Class::None => Class::Malformed { text: other.display(), why: "it is not a GUID or a pid-<GUID> tracking ID".into() },
            c => c,
        },
    }
}

/// Every `pid-…` occurrence inside a user-agent value (user agents are free text).
pub fn classify_user_agent(v: &Resolved, channel: &str) -> Vec<Class> {
    if channel == "ARM_PARTNER_ID" {
        return match classify_partner_id(v) {
            Class::Dynamic { .. } => Vec::new(), // a secret or variable: fine for a run setting
            c => vec![c],
        };
    }
    let text = match v {
        Resolved::Known(s) => s.clone(),
        Resolved::Partial(_) => v.display(),
        Resolved::Unknown(_) => return Vec::new(),
    };
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("pid-") {
        let at = from + i;
        let token: String = text[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '{' || *c == '}' || *c == '$' || *c == '_' || *c == '#').collect();
        let class = classify(&Resolved::Known(token.replace('…', "")));
        if class != Class::None {
            out.push(class);
        }
        from = at + 4;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Class {
        classify(&Resolved::Known(s.into()))
    }

    #[test]
    fn valid_forms() {
        let Class::Valid(id) = k("pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b") else { panic!() };
        assert_eq!(id.guid.as_deref(), Some("8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b"));
        let Class::Valid(id) = k("PID-8D1A1E1B-1F2C-4D3E-9A4B-5C6D7E8F9A0B-partnercenter") else { panic!() };
        assert!(id.partner_center && id.had_upper);
        assert_eq!(id.id, "pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b-partnercenter");
        let Class::Valid(id) = k("pid-contoso-widget-partnercenter") else { panic!() };
        assert_eq!(id.guid, None);
        let partial = Resolved::Partial(vec![
            Part::Lit("pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b-".into()),
            Part::Opaque { text: "uniqueString(x)".into(), len: Some(13) },
        ]);
        assert!(matches!(classify(&partial), Class::Valid(_)));
    }

    #[test]
    fn look_alikes_are_not_tracking() {
        assert_eq!(k("pid-auto-scaling-start"), Class::None);
        // words with letters outside a-f, even next to hex digits
        assert_eq!(k("pid-beta"), Class::None);
        assert_eq!(k("pid-1234-prod"), Class::None);
        assert_eq!(k("pid-v2"), Class::None);
        assert_eq!(k("pid-"), Class::None);
        assert_eq!(k("pid---"), Class::None);
        assert_eq!(k("storageDeployment"), Class::None);
        assert_eq!(k("46d3xbcp.res.keyvault-vault.0.1.0"), Class::None);
    }

    #[test]
    fn malformed_and_placeholders() {
        // The article's own (malformed) sample is a copied example, said as such.
        match k("pid-eb7927c8-dd66-43e1-b0cf-c346a422063") {
            Class::Placeholder { why, .. } => assert!(why.contains("copied from documentation"), "{why}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(k("pid-eb7927c8-dd66-43e1-b0cf-c346a42206"), Class::Malformed { .. }));
        assert!(matches!(k("pid-eb7927c8-dd66-43e1-b0cf-c346a422063g"), Class::Malformed { .. }));
        assert!(matches!(k("pid-00000000-0000-0000-0000-000000000000"), Class::Placeholder { .. }));
        assert!(matches!(k("pid-XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX"), Class::Placeholder { .. }));
        assert!(matches!(k("pid-${TRACKING_GUID}"), Class::Placeholder { .. }));
        assert!(matches!(k("pid-__PARTNER_ID__"), Class::Placeholder { .. }));
        assert!(matches!(k("pid-#{guid}#"), Class::Placeholder { .. }));
        assert!(matches!(k("pid-{{ guid }}"), Class::Placeholder { .. }));
    }

    fn why(s: &str) -> String {
        match k(s) {
            Class::Malformed { why, .. } => why,
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn short_hex_attempts_are_malformed() {
        assert_eq!(why("pid-1234"), "expected 32 hex digits in 8-4-4-4-12 form, found 4");
        assert_eq!(k("PID-1234"), Class::Malformed { text: "pid-1234".into(), why: why("pid-1234") });
        assert_eq!(why("pid-eb7927c8-dd66"), "expected 32 hex digits in 8-4-4-4-12 form, found 12 (8-4)");
        assert_eq!(why("pid-7867e591c1ee-4530bed87387ab893a26"), "expected 32 hex digits in 8-4-4-4-12 form, found 32 grouped 12-20");
        assert_eq!(why("pid-1-"), "expected 32 hex digits in 8-4-4-4-12 form, found 1");
        // words made only of the letters a-f count as attempts too (documented on CUA103)
        assert_eq!(why("pid-deadbeef"), "expected 32 hex digits in 8-4-4-4-12 form, found 8");
        assert!(matches!(k("pid-cafe"), Class::Malformed { .. }));
        // GUID-shaped ones keep their more precise description
        assert_eq!(why("pid-eb7927c8-dd66-43e1-b0cf"), "it has 4 groups where a GUID has 5 (8-4-4-4-12)");
        // a valid GUID with a hex suffix is still valid
        assert!(matches!(k("pid-7867e591-c1ee-4530-bed8-7387ab893a26-1234"), Class::Valid(_)));
        // cut short by an opaque part: dynamic, not malformed
        let partial = Resolved::Partial(vec![Part::Lit("pid-1234".into()), Part::Opaque { text: "parameters('x')".into(), len: None }]);
        assert!(matches!(classify(&partial), Class::Dynamic { .. }));
    }

    #[test]
    fn misplaced_and_dynamic() {
        assert!(matches!(k("deploy-pid-8d1a1e1b-1f2c-4d3e-9a4b-5c6d7e8f9a0b"), Class::Misplaced(_)));
        let dynamic = Resolved::Partial(vec![
            Part::Lit("pid-".into()),
            Part::Opaque { text: "parameters('id')".into(), len: None },
        ]);
        assert!(matches!(classify(&dynamic), Class::Dynamic { .. }));
    }
}

#[cfg(test)]
mod sample_tests {
    /// The README's sample-ID table is this table, row for row, in order.
    #[test]
    fn readme_lists_every_sample_guid_with_its_source() {
        let readme = include_str!("../README.md");
        let rows: Vec<&str> = readme
            .lines()
            .filter(|l| l.starts_with("| `") && l.len() > 40 && (super::is_guid(&l[3..39]) || super::MALFORMED_SAMPLES.iter().any(|(g, _)| l[3..].starts_with(g))))
            .collect();
        let want: Vec<String> = super::SAMPLE_GUIDS.iter().chain(super::MALFORMED_SAMPLES).map(|(g, s)| format!("| `{g}` | {s} |")).collect();
        assert_eq!(rows, want, "README's sample-ID table differs from tracking::SAMPLE_GUIDS");
    }

    use super::placeholder_guid;

    #[test]
    fn documentation_samples_and_shapes_are_placeholders_real_ids_are_not() {
        for g in [
            "b6addd8f-5ff4-4fc0-a2b5-0ec7861106c4",
            "B6ADDD8F-5FF4-4FC0-A2B5-0EC7861106C4",
            "22222222-2222-2222-2222-222222222222",
            "12345678-1234-5678-9abc-def012345678",
            "00000000-0000-0000-0000-000000000001",
            "00000000-0000-0000-0000-0000000000ab",
        ] {
            let why = placeholder_guid(g).unwrap_or_else(|| panic!("{g} should be a placeholder"));
            assert!(why.contains("documentation"), "{g}: {why}");
        }
        for g in ["00f120b5-2007-6120-0000-40b000000000", "7867e591-c1ee-4530-bed8-7387ab893a26", "00000000-1a2b-3c4d-5e6f-000000000000"] {
            assert_eq!(placeholder_guid(g), None, "{g}");
        }
    }
}

#[cfg(test)]
mod uuid_tests {
    use super::*;

    #[test]
    fn guids_are_parsed_and_normalised_by_uuid() {
        assert_eq!(normalize_guid("7867E591-C1EE-4530-BED8-7387AB893A26").as_deref(), Some("7867e591-c1ee-4530-bed8-7387ab893a26"));
        // only the documented hyphenated form: no braces, URN or 32 digits without hyphens
        for s in ["{7867e591-c1ee-4530-bed8-7387ab893a26}", "urn:uuid:7867e591-c1ee-4530-bed8-7387ab893a26", "7867e591c1ee4530bed87387ab893a26", "7867e591-c1ee-4530-bed8-7387ab893a2g", "7867e591c-1ee-4530-bed8-7387ab893a26"] {
            assert!(!is_guid(s), "{s}");
            assert_eq!(normalize_guid(s), None, "{s}");
        }
        let Class::Valid(id) = classify(&Resolved::Known("pid-7867E591-C1EE-4530-BED8-7387AB893A26".into())) else { panic!() };
        assert_eq!((id.id.as_str(), id.had_upper), ("pid-7867e591-c1ee-4530-bed8-7387ab893a26", true));
    }

    #[test]
    fn new_guids_are_version_4_built_from_the_given_bytes() {
        assert_eq!(guid_from_random([0; 16]), "00000000-0000-4000-8000-000000000000");
        assert_eq!(guid_from_random([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let g = guid_from_random(*b"0123456789abcdef");
        assert!(is_guid(&g) && g.as_bytes()[14] == b'4', "{g}");
    }
}
