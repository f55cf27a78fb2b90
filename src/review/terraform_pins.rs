//! The module pins of a generated `terraform/<env>/main.tf`, read back from the layout fleetc
//! writes, so that two trees (one of them perhaps an older build on disk) can be compared
//! without their specs.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct PinnedModule {
    pub tag: String,
    pub commit: Option<String>,
    /// Each input by name, a list as its items.
    pub inputs: BTreeMap<String, Vec<String>>,
}

impl PinnedModule {
    /// `v1.4.0`, or `v1.4.0@c0ffee5` when pinned by commit.
    pub(super) fn version(&self) -> String {
        match &self.commit {
            Some(commit) => format!("{}@{}", self.tag, &commit[..commit.len().min(7)]),
            None => self.tag.clone(),
        }
    }
}

pub(super) fn module_pins(text: &str) -> BTreeMap<String, PinnedModule> {
    let mut modules = BTreeMap::new();
    let mut current: Option<(String, PinnedModule)> = None;
    let mut tag_comment: Option<String> = None;
    let mut list: Option<(String, Vec<String>)> = None;
    // A map of lists (the trust of cloud identities) reads as one input: each key with each
    // of its items, so that a key or an item that changes is a change of the input.
    let mut map: Option<(String, Vec<String>)> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(rest) = line.strip_prefix("module \"") {
            let name = rest.split('"').next().unwrap_or("").to_owned();
            current = Some((name, PinnedModule::default()));
            continue;
        }
        let Some((_, module)) = current.as_mut() else {
            continue;
        };
        if let Some((key, items)) = list.as_mut() {
            if trimmed == "]" {
                let items = std::mem::take(items);
                match map.as_mut() {
                    Some((_, entries)) => {
                        entries.extend(items.iter().map(|item| format!("{key} trusts {item}")));
                    }
                    None => {
                        module.inputs.insert(key.clone(), items);
                    }
                }
                list = None;
            } else {
                items.push(unquote(trimmed.trim_end_matches(',')));
            }
        } else if let Some((key, entries)) = map.as_mut() {
            if trimmed == "}" {
                module.inputs.insert(key.clone(), std::mem::take(entries));
                map = None;
            } else if let Some(entry) = trimmed.strip_suffix(" = [") {
                list = Some((unquote(entry), Vec::new()));
            }
        } else if line == "}" {
            if let Some((name, module)) = current.take() {
                modules.insert(name, module);
            }
        } else if let Some(comment) = trimmed.strip_prefix("# ") {
            tag_comment = comment.strip_suffix(" pinned by commit").map(str::to_owned);
        } else if let Some((key, value)) = trimmed.split_once('=') {
            let (key, value) = (key.trim(), value.trim());
            if key == "source" {
                let reference = unquote(value)
                    .rsplit_once("?ref=")
                    .map(|(_, r)| r.to_owned())
                    .unwrap_or_default();
                match tag_comment.take() {
                    Some(tag) => {
                        module.tag = tag;
                        module.commit = Some(reference);
                    }
                    None => module.tag = reference,
                }
            } else if value == "[" {
                list = Some((key.to_owned(), Vec::new()));
            } else if value == "{" {
                map = Some((key.to_owned(), Vec::new()));
            } else if value == "[]" || value == "{}" {
                module.inputs.insert(key.to_owned(), Vec::new());
            } else {
                module.inputs.insert(key.to_owned(), vec![unquote(value)]);
            }
        }
    }
    modules
}

fn unquote(text: &str) -> String {
    let inner = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    inner.replace("\\\"", "\"").replace("\\\\", "\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_of_lists_is_one_input_of_what_each_key_trusts() {
        let text = r#"module "workload_identity" {
  source = "git::https://g.example/m.git//modules/workload-identity?ref=v0.2.0"

  environment = "prod"

  aws_roles = {
    "arn:aws:iam::1:role/a" = [
      "system:serviceaccount:p:a",
      "system:serviceaccount:p:b",
    ]
    "arn:aws:iam::1:role/c" = [
      "system:serviceaccount:p:c",
    ]
  }

  gcp_service_accounts = {}
}
"#;
        let pins = module_pins(text);
        let module = &pins["workload_identity"];
        assert_eq!(
            module.inputs["aws_roles"],
            [
                "arn:aws:iam::1:role/a trusts system:serviceaccount:p:a",
                "arn:aws:iam::1:role/a trusts system:serviceaccount:p:b",
                "arn:aws:iam::1:role/c trusts system:serviceaccount:p:c",
            ]
        );
        assert!(module.inputs["gcp_service_accounts"].is_empty());
        assert_eq!(module.inputs.len(), 3, "{:?}", module.inputs);
    }

    const MAIN_TF: &str = r#"# Generated by fleetc
module "vpc" {
  source = "git::https://g.example/m.git//modules/vpc?ref=v1.2.0"

  environment = "prod"
}

module "eks" {
  # v1.3.2 pinned by commit
  source = "git::https://g.example/m.git//modules/eks?ref=3b2c1d0e9f8a7b6c"

  environment = "prod"
  node_image  = "bottlerocket-1.23.4"
}

module "github_oidc" {
  source = "git::https://g.example/m.git//modules/github-oidc?ref=v0.9.1"

  subjects = [
    "repo:n/users:ref:refs/heads/main",
    "repo:n/auth:ref:refs/heads/main",
  ]
}
"#;

    #[test]
    fn reads_tags_commits_and_inputs() {
        let pins = module_pins(MAIN_TF);
        assert_eq!(pins["vpc"].version(), "v1.2.0");
        assert_eq!(pins["eks"].version(), "v1.3.2@3b2c1d0");
        assert_eq!(pins["eks"].inputs["node_image"], ["bottlerocket-1.23.4"]);
        assert_eq!(
            pins["github_oidc"].inputs["subjects"],
            [
                "repo:n/users:ref:refs/heads/main",
                "repo:n/auth:ref:refs/heads/main"
            ]
        );
    }
}
