//! Deployment and resource functions: values that exist only when the template is deployed.
//! `uniqueString` (13 characters) and `guid`/`newGuid` (36) are opaque strings of known
//! length, so a name built from them keeps its length; the others (`resourceGroup()`,
//! `reference(...)`, `list*`, ... and ARM functions not evaluated here, such as lambdas) are
//! opaque values whose member accesses are opaque strings.
//!
//! Must not import: the evaluator, the scope or the syntax tree.

use super::{f, Call, Function, ANY};
use crate::sources::arm::expr::value::Val;

pub(super) const FUNCTIONS: &[Function] = &[
    f("uniquestring", 0, ANY, unique_string),
    f("guid", 0, ANY, guid),
    f("newguid", 0, ANY, guid),
];

pub(crate) fn unique_string(c: Call<'_>) -> Val {
    c.opaque(Some(13))
}

pub(crate) fn guid(c: Call<'_>) -> Val {
    c.opaque(Some(36))
}

/// Functions whose value only exists at deployment time (or that are not evaluated here but
/// are part of ARM): an opaque value; member accesses on it are opaque strings.
pub(crate) fn is_runtime_function(name: &str) -> bool {
    name.starts_with("list")
        || matches!(
            name,
            "resourcegroup"
                | "subscription"
                | "deployment"
                | "tenant"
                | "managementgroup"
                | "environment"
                | "deployer"
                | "reference"
                | "references"
                | "resourceid"
                | "subscriptionresourceid"
                | "tenantresourceid"
                | "extensionresourceid"
                | "managementgroupresourceid"
                | "providers"
                | "pickzones"
                | "copyindex"
                | "utcnow"
                | "datetimeadd"
                | "datetimefromepoch"
                | "datetimetoepoch"
                | "base64"
                | "base64tostring"
                | "base64tojson"
                | "datauri"
                | "datauritostring"
                | "uri"
                | "uricomponent"
                | "uricomponenttostring"
                | "objectkeys"
                | "items"
                | "filter"
                | "map"
                | "mapvalues"
                | "reduce"
                | "sort"
                | "toobject"
                | "groupby"
                | "lambda"
                | "lambdavariables"
                | "flatten"
                | "tryget"
                | "indexfromend"
                | "tryindexfromend"
                | "intersection"
                | "shallowmerge"
                | "cidrsubnet"
                | "cidrhost"
                | "parsecidr"
                | "externalinput"
        )
}
