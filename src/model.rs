//! Language-neutral facts extracted from one source file.
//!
//! Every input language (ARM JSON, Bicep, Terraform, SDK code) is read by its own module under
//! `src/sources/<language>/`, which turns the text of one file into a [`SourceFile`]. The rules in
//! `src/rules/` only ever look at these facts, so a rule such as CUA107 (not-incremental) is
//! written once and applies to ARM and Bicep alike.

use serde::Serialize;

/// A region of a source file. Lines and columns are 1-based; columns count Unicode scalar
/// values. `start`/`end` are byte offsets into the file text (used by `fix`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    #[serde(skip)]
    pub start: usize,
    #[serde(skip)]
    pub end: usize,
}

impl Span {
    /// The first character of a file.
    pub const FILE_START: Span =
        Span { line: 1, column: 1, end_line: 1, end_column: 1, start: 0, end: 0 };
}

/// A value together with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
}

/// The resource type of a deployment (a tracking deployment is one), without API version.
pub const DEPLOYMENTS: &str = "Microsoft.Resources/deployments";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Arm,
    Bicep,
    Terraform,
    Code,
}

impl Kind {
    /// Every language, for lists (`--sources`, docs).
    pub const ALL: [Kind; 4] = [Kind::Arm, Kind::Bicep, Kind::Terraform, Kind::Code];

    /// Does a file of this kind deploy as a template (and so have a role: main, linked, …)?
    pub fn is_template(self) -> bool {
        match self {
            Kind::Arm | Kind::Bicep => true,
            Kind::Terraform | Kind::Code => false,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The file that Azure (or Partner Center) deploys first: tracking must be here.
    Main,
    /// Deployed from a main file through `templateLink` or a Bicep `module`.
    Linked,
    /// Any other template.
    Template,
    /// Not a template at all (SDK code, scripts, Terraform configuration).
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Scope {
    ResourceGroup,
    Subscription,
    ManagementGroup,
    Tenant,
}

impl Scope {
    pub fn needs_location(self) -> bool {
        !matches!(self, Scope::ResourceGroup)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::ResourceGroup => "resourceGroup",
            Scope::Subscription => "subscription",
            Scope::ManagementGroup => "managementGroup",
            Scope::Tenant => "tenant",
        }
    }
}

/// One piece of a statically evaluated string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Text known exactly.
    Lit(String),
    /// A piece that cannot be known before deployment, e.g. `uniqueString(...)`.
    /// `text` is the source text of the expression (for messages); `len` its exact
    /// length when known (uniqueString always gives 13 characters).
    Opaque { text: String, len: Option<usize> },
}

/// The result of evaluating a name, mode or ID statically.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// Fully known string.
    Known(String),
    /// A string built of known and unknown pieces (at least one of each kind, or only opaque).
    Partial(Vec<Part>),
    /// Not a string we can say anything about; the text says why, for messages.
    Unknown(String),
}

impl Resolved {
    /// The known leading text (all of it for `Known`).
    pub fn known_prefix(&self) -> String {
        match self {
            Resolved::Known(s) => s.clone(),
            Resolved::Partial(parts) => {
                let mut out = String::new();
                for p in parts {
                    match p {
                        Part::Lit(s) => out.push_str(s),
                        Part::Opaque { .. } => break,
                    }
                }
                out
            }
            Resolved::Unknown(_) => String::new(),
        }
    }

    /// Every known literal piece joined, with `…` standing for each opaque piece.
    pub fn display(&self) -> String {
        match self {
            Resolved::Known(s) => s.clone(),
            Resolved::Partial(parts) => parts
                .iter()
                .map(|p| match p {
                    Part::Lit(s) => s.as_str(),
                    Part::Opaque { .. } => "…",
                })
                .collect(),
            Resolved::Unknown(_) => "…".to_string(),
        }
    }

    /// Build from parts, merging adjacent literals; all-literal input gives `Known`.
    pub fn from_parts(parts: Vec<Part>) -> Resolved {
        let mut merged: Vec<Part> = Vec::new();
        for p in parts {
            match (merged.last_mut(), p) {
                (Some(Part::Lit(prev)), Part::Lit(s)) => prev.push_str(&s),
                (_, Part::Lit(s)) if s.is_empty() => {}
                (_, p) => merged.push(p),
            }
        }
        match merged.as_slice() {
            [] => Resolved::Known(String::new()),
            [Part::Lit(s)] => Resolved::Known(s.clone()),
            _ => Resolved::Partial(merged),
        }
    }
}

/// How a deployment is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Form {
    /// ARM JSON resource.
    ArmResource,
    /// Bicep `resource x 'Microsoft.Resources/deployments@…'`.
    BicepResource,
    /// Bicep `module x '…'` (no `mode` to check).
    BicepModule,
    /// Terraform resource creating an ARM deployment (azurerm_*_template_deployment, azapi_resource).
    TerraformResource,
}

/// What a deployment deploys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// Empty inner template (or none): what a tracking deployment should be.
    Empty,
    /// Inner template with resources (span of the `resources` value or the template).
    Resources(Span),
    /// A linked template (`templateLink`) or a module file.
    Linked(Span),
    /// Could not tell (e.g. template given as an expression).
    Unknown,
}

/// A `condition` on a deployment.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub span: Span,
    /// Source text of the condition.
    pub text: String,
    /// `Some(false)` when the condition evaluates to false with default parameter values
    /// (tracking is off unless the user changes a parameter); `Some(true)` when on by default.
    pub default_value: Option<bool>,
}

/// Any resource that is an ARM deployment, or any resource at all whose name mentions `pid-`.
/// Language readers record these without judging them; the rules judge.
#[derive(Clone, Debug, PartialEq)]
pub struct Deployment {
    pub form: Form,
    /// The name as written in the source (e.g. `[concat('pid-', variables('id'))]`).
    pub name_raw: String,
    /// The statically evaluated name.
    pub name: Resolved,
    /// Span of the name value.
    pub name_span: Span,
    /// Resource type without API version, e.g. `Microsoft.Resources/deployments`.
    /// `None` for a Bicep module (always a deployment).
    pub resource_type: Option<Located<String>>,
    /// Inside a nested inline template of this file.
    pub nested: bool,
    /// Deployment scope of the template the resource is declared in.
    pub scope: Scope,
    /// `properties.mode` (`None` when absent or when the form has no mode).
    pub mode: Option<Located<Resolved>>,
    /// Whether a `location` is given on the deployment resource.
    pub has_location: bool,
    pub condition: Option<Condition>,
    pub content: Content,
    /// Span of the whole resource declaration (its opening), for findings about the resource.
    pub span: Span,
}

/// A Terraform `provider "azurerm"` / `provider "azapi"` block.
#[derive(Clone, Debug, PartialEq)]
pub struct Provider {
    /// `azurerm` or `azapi`.
    pub name: String,
    pub alias: Option<String>,
    /// Span of the block header (`provider "azapi"`).
    pub span: Span,
    /// The `partner_id` attribute: raw source text, resolved value and span of the value.
    pub partner_id: Option<PartnerId>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PartnerId {
    pub raw: String,
    pub value: Resolved,
    pub span: Span,
}

/// A tracking ID passed as a user agent (SDK call, CLI flag, environment variable).
#[derive(Clone, Debug, PartialEq)]
pub struct UserAgent {
    /// How it is passed: `add_user_agent`, `AZURE_HTTP_USER_AGENT`, `ARM_PARTNER_ID`, `curl -A`, …
    pub channel: String,
    pub raw: String,
    pub value: Resolved,
    pub span: Span,
}

/// A reference from one file to another (ARM `templateLink`, Bicep `module` path).
#[derive(Clone, Debug, PartialEq)]
pub struct Reference {
    /// Root-relative path for [`LinkKind::Path`]; the path inside the repository for
    /// [`LinkKind::GitHub`]; the URL (as far as known) for [`LinkKind::External`].
    pub target: String,
    pub kind: LinkKind,
    pub span: Span,
    /// The reference itself sits inside a nested template.
    pub nested: bool,
}

/// How a link names its target. Links are never matched by file name alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// A path in the checked tree (a Bicep module, `relativePath`, or a URI built from
    /// `deployment().properties.templateLink.uri` / `_artifactsLocation`).
    Path,
    /// `raw.githubusercontent.com/<owner>/<repo>/<ref>/<path>` or `github.com/<owner>/<repo>/blob/<ref>/<path>`.
    GitHub { owner: String, repo: String },
    /// Any other URL, or one that cannot be resolved statically: its target is not checked.
    External,
}

/// A Terraform `module` block's source.
#[derive(Clone, Debug, PartialEq)]
pub struct ModuleCall {
    /// The `source` as written (when it is a literal).
    pub source: String,
    /// For a local source (`./x`, `../x`): its folder, root-relative and normalised; `None` for
    /// registry, Git and other remote sources, and for a path that leaves the checked root.
    pub folder: Option<String>,
    pub span: Span,
}

/// A problem reading a file (parse error, too large, not UTF-8, …).
#[derive(Clone, Debug, PartialEq)]
pub struct FileError {
    pub span: Span,
    pub message: String,
}

/// Everything the rules need to know about one file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to the scanned root, with `/`.
    pub path: String,
    pub kind: Kind,
    pub role: Role,
    /// Deployment scope (templates only).
    pub scope: Option<Scope>,
    pub deployments: Vec<Deployment>,
    pub providers: Vec<Provider>,
    pub user_agents: Vec<UserAgent>,
    pub references: Vec<Reference>,
    /// Terraform: the modules this file calls (`module "x" { source = "../net" }`).
    pub modules: Vec<ModuleCall>,
    /// Every resource the file declares, by type: ARM `type` without API version (also in
    /// nested inline templates and child resources), Bicep `resource` declarations (not
    /// `existing` ones), Terraform `resource` blocks by their Terraform type
    /// (`azurerm_kubernetes_cluster`). Bicep modules and linked templates are links, not resources.
    pub resources: Vec<Located<String>>,
    /// The text of the template's own `metadata` (ARM: every string in the top-level `metadata`
    /// object; Bicep: the `metadata` declarations), for the customer notice (CUA401).
    pub metadata: Option<Located<String>>,
    /// First comment in the file, when the format is JSON (comments are not standard JSON).
    pub comment: Option<Span>,
    /// Span to attach file-level findings to (e.g. the `resources` key of a template).
    pub anchor: Span,
    pub errors: Vec<FileError>,
    /// Things read that a reader should know about but that do not stop the file being read
    /// (a key that matters written twice): CUA001 warnings.
    pub warnings: Vec<FileError>,
    /// Whether the file's text mentions a tracking ID or a way to carry one (`pid-`,
    /// `partner_id`, `ARM_PARTNER_ID`, a user agent); set by the engine for files with
    /// errors, where it decides how much a parse failure costs (CUA001).
    pub mentions_tracking: bool,
    /// The build placeholders that make the file an input of a build rather than a deployable
    /// template, first place of each (`##TOKEN##` generator tokens in a file that does not parse
    /// as it is; Maven-style `${prop}` in a resource `type` or `apiVersion`, or where the parse
    /// fails); set by `sources::finish`. Such a file gets CUA005, not CUA001.
    pub build_tokens: Vec<Located<String>>,
    /// Inline suppressions found in the file: (rule code, reason, span).
    pub suppressions: Vec<Suppression>,
    /// Text of the source lines that spans point at, for code frames (filled by the engine).
    pub snippets: std::collections::BTreeMap<u32, String>,
    /// A Bicep parameters file (`.bicepparam`): the template it is for and the values it gives.
    pub params: Option<ParamFile>,
}

/// What a `.bicepparam` file says: `using 'main.bicep'` and its `param x = …` values (with
/// those of the file it `extends`).
#[derive(Clone, Debug, PartialEq)]
pub struct ParamFile {
    /// The template, root-relative (`None` for `using none`, a registry or a path that leaves
    /// the tree).
    pub using: Option<String>,
    /// Span of the `using` statement (the file start when it has none).
    pub using_span: Span,
    pub values: Vec<ParamValue>,
}

/// `param name = value` of a `.bicepparam` file, evaluated in that file.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamValue {
    pub name: String,
    pub value: ParamVal,
    /// Where it is set: `path:line` (the extended file's, for a value it gives).
    pub from: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ParamVal {
    /// Fully known (any JSON value).
    Known(serde_json::Value),
    /// A string with pieces known only at deployment (`readEnvironmentVariable(…)`).
    Partial(Vec<Part>),
    /// Not known before deployment; why.
    Unknown(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Suppression {
    pub rule: String,
    pub reason: Option<String>,
    pub span: Span,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, kind: Kind) -> SourceFile {
        SourceFile {
            path: path.into(),
            kind,
            role: Role::Other,
            scope: None,
            deployments: Vec::new(),
            providers: Vec::new(),
            user_agents: Vec::new(),
            references: Vec::new(),
            modules: Vec::new(),
            resources: Vec::new(),
            metadata: None,
            comment: None,
            anchor: Span::FILE_START,
            errors: Vec::new(),
            warnings: Vec::new(),
            mentions_tracking: false,
            build_tokens: Vec::new(),
            suppressions: Vec::new(),
            snippets: Default::default(),
            params: None,
        }
    }
}

/// Reads other files of the scanned tree on behalf of a language reader
/// (Bicep `loadTextContent`, Terraform `*.tfvars`). Paths are relative to the scanned root.
pub trait Loader {
    fn load(&self, path: &str) -> Option<String>;
}

/// Compute the span of `text[start..end]` given the whole text (slow path helper for readers
/// that track byte offsets only). Lines and columns are 1-based, columns count chars.
pub fn span_of(text: &str, start: usize, end: usize) -> Span {
    let (line, column) = line_col(text, start);
    let (end_line, end_column) = line_col(text, end);
    Span { line, column, end_line, end_column, start, end }
}

/// 1-based line and column (in chars) of byte offset `at` in `text`.
pub fn line_col(text: &str, at: usize) -> (u32, u32) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text.as_bytes()[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map(|i| i + 1).unwrap_or(0);
    let column = text[line_start..at].chars().count() as u32 + 1;
    (line, column)
}

/// A problem met while walking the tree or reading a file, before any language reader ran.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub path: String,
    pub kind: ProblemKind,
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// Could not be read or parsed (I/O error, not UTF-8, malformed).
    Unreadable,
    /// Over the size limit: skipped.
    TooLarge,
    /// A symbolic link that was not followed (outside the root, or a loop).
    LinkNotFollowed,
}
