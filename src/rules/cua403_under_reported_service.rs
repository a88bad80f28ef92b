use super::{Code, Context, Rule, Sink};
use crate::solutions::Channel;
use crate::report::Severity;

pub static RULE: Rule = Rule {
    code: Code::CUA403,
    name: "under-reported-service",
    severity: Severity::Notice,
    applies_to: "ARM, Bicep, Terraform",
    summary: "A tracked solution deploys Azure Kubernetes Service, virtual machine scale sets or Azure Batch, whose usage customer usage attribution under-reports.",
    why: "The customer usage attribution article warns that not every Azure service is compatible with customer usage attribution: Azure Kubernetes Service (AKS), VM Scale Sets and Azure Batch have known issues that cause usage to be under-reported. A solution that is mostly made of these services will be credited with less usage than it deploys; know it before you ship, and do not read the low figures as a tracking fault.",
    example: "resource aks 'Microsoft.ContainerService/managedClusters@2024-02-01' = { ... }   // in a main.bicep that carries pid-<GUID>",
    example_lang: "bicep",
    fix: "Nothing to change in the template: this is information. Expect the attributed usage of these services to be low, and turn the rule off (`CUA403 = \"off\"` under `[rules]` in cua-check.toml) once you know.",
    check,
    autofix: None,
};

/// The services the article names, each with how it is recognised.
struct Service {
    name: &'static str,
    arm: &'static str,
    terraform: fn(&str) -> bool,
}

const SERVICES: &[Service] = &[
    Service {
        name: "Azure Kubernetes Service",
        arm: "Microsoft.ContainerService/managedClusters",
        terraform: |t| t == "azurerm_kubernetes_cluster" || t == "azurerm_kubernetes_cluster_node_pool",
    },
    Service {
        name: "virtual machine scale sets",
        arm: "Microsoft.Compute/virtualMachineScaleSets",
        terraform: |t| t == "azurerm_virtual_machine_scale_set" || (t.starts_with("azurerm_") && t.ends_with("_virtual_machine_scale_set")),
    },
    Service {
        name: "Azure Batch",
        arm: "Microsoft.Batch/batchAccounts",
        terraform: |t| t == "azurerm_batch_account" || t == "azurerm_batch_pool",
    },
];

/// Which service a resource type is (its own type or a child type such as `…/agentPools`).
fn service_of(t: &str) -> Option<&'static Service> {
    SERVICES.iter().find(|s| {
        (t.len() >= s.arm.len()
            && t[..s.arm.len()].eq_ignore_ascii_case(s.arm)
            && (t.len() == s.arm.len() || t.as_bytes()[s.arm.len()] == b'/'))
            || (s.terraform)(t)
    })
}

fn check(cx: &Context, out: &mut Sink) {
    for sol in &cx.solutions {
        if sol.channel == Channel::Code {
            continue;
        }
        let name = sol.name(cx.files);
        let mut seen: Vec<&str> = Vec::new();
        for (rtype, f, span, count) in sol.resources(cx.files) {
            let Some(svc) = service_of(rtype) else { continue };
            if seen.contains(&svc.name) {
                continue;
            }
            seen.push(svc.name);
            let file = &cx.files[f];
            // Shown where it is declared when that is the solution's own file (or its Terraform
            // folder); otherwise on the main template, naming the file that declares it.
            let here = f == sol.entry || sol.channel == Channel::Terraform;
            let (at_file, at_span) = if here { (file, span) } else { (&cx.files[sol.entry], sol.anchor) };
            let declared = if here { String::new() } else { format!(" (declared in {}:{})", file.path, span.line) };
            let times = if count > 1 { format!(", {count} declarations") } else { String::new() };
            let message = format!(
                "tracked solution {} deploys {} ({}{times}){declared}: the customer usage attribution article warns that the usage of {} is under-reported (AKS, VM Scale Sets and Azure Batch have known issues), so expect less usage attributed to your tracking ID than the solution deploys",
                super::quote(&name),
                svc.name,
                super::quote(rtype),
                svc.name
            );
            out.emit(&RULE, at_file, at_span, message);
        }
    }
}
