//! Where everything lives in the generated tree. Every folder and top-level file is spelled
//! here once, and read back here once: emitters, ownership, review, summaries and `why` all
//! build and parse paths through this module.
//!
//! ```text
//! apps/<service>/base/                      shared by every environment
//! apps/<service>/colours/<colour>/          a blue/green colour's Deployment
//! apps/<service>/rollout/                   an Argo Rollout
//! apps/<service>/overlays/<env>[/<cluster>]/  what one Application deploys
//! envs/<env>[/<cluster>]/                   an environment's shared objects
//! argocd/root.yaml, argocd/projects/<env>.yaml, argocd/applicationsets/<env>.yaml,
//! argocd/environments/<env>[/<cluster>].yaml
//! ci/<service>.yml, terraform/<env>[/<cluster>]/, CODEOWNERS
//! ```

use crate::spec::Colour;

pub(crate) const CODEOWNERS: &str = "CODEOWNERS";
pub(crate) const ROOT_APPLICATION: &str = "argocd/root.yaml";

pub(crate) fn service_dir(service: &str) -> String {
    format!("apps/{service}")
}

pub(crate) fn base_dir(service: &str) -> String {
    format!("apps/{service}/base")
}

pub(crate) fn colour_dir(service: &str, colour: Colour) -> String {
    format!("{}/{}", colours_dir(service), colour.as_str())
}

/// The folder of a service's colours, one Deployment each.
pub(crate) fn colours_dir(service: &str) -> String {
    format!("apps/{service}/colours")
}

/// `to` as a path relative to the folder `from`, both folders of the tree, as a
/// kustomization names the folders it reads.
pub(crate) fn relative(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').collect();
    let to: Vec<&str> = to.split('/').collect();
    let shared = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts = vec![".."; from.len() - shared];
    parts.extend(&to[shared..]);
    parts.join("/")
}

pub(crate) fn rollout_dir(service: &str) -> String {
    format!("apps/{service}/rollout")
}

/// The overlay of a service in an environment, or in one cluster of an environment that lists
/// clusters: the source of one Application.
pub(crate) fn overlay_dir(service: &str, env: &str, cluster: Option<&str>) -> String {
    in_cluster(format!("{}/{env}", overlays_dir(service)), cluster)
}

/// The folder of a service's overlays, one per environment.
pub(crate) fn overlays_dir(service: &str) -> String {
    format!("apps/{service}/overlays")
}

/// The shared objects of an environment, or of one cluster of an environment that lists
/// clusters.
pub(crate) fn environment_dir(env: &str, cluster: Option<&str>) -> String {
    in_cluster(format!("envs/{env}"), cluster)
}

pub(crate) fn project_file(env: &str) -> String {
    format!("argocd/projects/{env}.yaml")
}

pub(crate) fn application_set_file(env: &str) -> String {
    format!("argocd/applicationsets/{env}.yaml")
}

/// The Application of an environment's shared objects (one per cluster where it lists them).
pub(crate) fn environment_application_file(env: &str, cluster: Option<&str>) -> String {
    match cluster {
        Some(cluster) => format!("{}/{cluster}.yaml", environment_applications_dir(env)),
        None => format!("argocd/environments/{env}.yaml"),
    }
}

/// The folder of an environment's per-cluster Applications.
pub(crate) fn environment_applications_dir(env: &str) -> String {
    format!("argocd/environments/{env}")
}

pub(crate) fn ci_file(service: &str) -> String {
    format!("ci/{service}.yml")
}

pub(crate) fn terraform_dir(env: &str, cluster: Option<&str>) -> String {
    in_cluster(format!("terraform/{env}"), cluster)
}

fn in_cluster(dir: String, cluster: Option<&str>) -> String {
    match cluster {
        Some(cluster) => format!("{dir}/{cluster}"),
        None => dir,
    }
}

/// What a path of the tree is, read back from the path alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Location<'a> {
    Base {
        service: &'a str,
    },
    Colour {
        service: &'a str,
        colour: &'a str,
    },
    Rollout {
        service: &'a str,
    },
    Overlay {
        service: &'a str,
        env: &'a str,
        cluster: Option<&'a str>,
    },
    /// The folder of a service, `apps/<service>`.
    Service {
        service: &'a str,
    },
    /// Below `apps/<service>/` but in none of the folders above.
    OtherOfService {
        service: &'a str,
    },
    Environment {
        env: &'a str,
        cluster: Option<&'a str>,
    },
    Project {
        env: &'a str,
    },
    ApplicationSet {
        env: &'a str,
    },
    EnvironmentApplication {
        env: &'a str,
        cluster: Option<&'a str>,
    },
    RootApplication,
    Ci {
        service: &'a str,
    },
    Terraform {
        env: &'a str,
        cluster: Option<&'a str>,
    },
    Codeowners,
}

impl<'a> Location<'a> {
    /// The service whose folders the path is in, if any.
    pub(crate) fn service(&self) -> Option<&'a str> {
        match *self {
            Self::Base { service }
            | Self::Colour { service, .. }
            | Self::Rollout { service }
            | Self::Overlay { service, .. }
            | Self::OtherOfService { service }
            | Self::Service { service }
            | Self::Ci { service } => Some(service),
            _ => None,
        }
    }
}

/// A file of the tree: where it is, and its name in that folder (for a file named by its
/// location, such as `argocd/projects/<env>.yaml`, the name is empty).
pub(crate) fn locate_file(path: &str) -> Option<(Location<'_>, &str)> {
    let parts: Vec<&str> = path.split('/').collect();
    let located = match parts.as_slice() {
        ["apps", service, "base", rest @ ..] if !rest.is_empty() => {
            (Location::Base { service }, file_of(path, 3))
        }
        ["apps", service, "colours", colour, rest @ ..] if !rest.is_empty() => {
            (Location::Colour { service, colour }, file_of(path, 4))
        }
        ["apps", service, "rollout", rest @ ..] if !rest.is_empty() => {
            (Location::Rollout { service }, file_of(path, 3))
        }
        ["apps", service, "overlays", env, _] => (
            Location::Overlay {
                service,
                env,
                cluster: None,
            },
            file_of(path, 4),
        ),
        ["apps", service, "overlays", env, cluster, _] => (
            Location::Overlay {
                service,
                env,
                cluster: Some(cluster),
            },
            file_of(path, 5),
        ),
        ["apps", service, _, ..] => (Location::OtherOfService { service }, file_of(path, 2)),
        ["envs", env, _] => (
            Location::Environment { env, cluster: None },
            file_of(path, 2),
        ),
        ["envs", env, cluster, _] => (
            Location::Environment {
                env,
                cluster: Some(cluster),
            },
            file_of(path, 3),
        ),
        ["argocd", "root.yaml"] => (Location::RootApplication, ""),
        ["argocd", "projects", file] => (
            Location::Project {
                env: yaml_stem(file)?,
            },
            "",
        ),
        ["argocd", "applicationsets", file] => (
            Location::ApplicationSet {
                env: yaml_stem(file)?,
            },
            "",
        ),
        ["argocd", "environments", file] => (
            Location::EnvironmentApplication {
                env: yaml_stem(file)?,
                cluster: None,
            },
            "",
        ),
        ["argocd", "environments", env, file] => (
            Location::EnvironmentApplication {
                env,
                cluster: Some(yaml_stem(file)?),
            },
            "",
        ),
        ["ci", file] => (
            Location::Ci {
                service: file.strip_suffix(".yml")?,
            },
            "",
        ),
        ["terraform", env, _] => (Location::Terraform { env, cluster: None }, file_of(path, 2)),
        ["terraform", env, cluster, _] => (
            Location::Terraform {
                env,
                cluster: Some(cluster),
            },
            file_of(path, 3),
        ),
        ["CODEOWNERS"] => (Location::Codeowners, ""),
        _ => return None,
    };
    Some(located)
}

/// An overlay folder (`apps/<service>/overlays/<env>[/<cluster>]`) or an environment folder
/// (`envs/<env>[/<cluster>]`): the source of one Application, read back.
pub(crate) fn locate_application_dir(dir: &str) -> Option<Location<'_>> {
    locate_dir(dir).filter(|location| {
        matches!(
            location,
            Location::Overlay { .. } | Location::Environment { .. }
        )
    })
}

/// A folder of the tree, read back: a service's, an overlay, an environment's.
pub(crate) fn locate_dir(dir: &str) -> Option<Location<'_>> {
    match dir.split('/').collect::<Vec<_>>().as_slice() {
        ["apps", service] => Some(Location::Service { service }),
        ["apps", service, "base"] => Some(Location::Base { service }),
        ["apps", service, "colours", colour] => Some(Location::Colour { service, colour }),
        ["apps", service, "rollout"] => Some(Location::Rollout { service }),
        ["apps", service, "overlays", env] => Some(Location::Overlay {
            service,
            env,
            cluster: None,
        }),
        ["apps", service, "overlays", env, cluster] => Some(Location::Overlay {
            service,
            env,
            cluster: Some(cluster),
        }),
        ["envs", env] => Some(Location::Environment { env, cluster: None }),
        ["envs", env, cluster] => Some(Location::Environment {
            env,
            cluster: Some(cluster),
        }),
        _ => None,
    }
}

/// The part of `path` after its first `folders` parts.
fn file_of(path: &str, folders: usize) -> &str {
    path.splitn(folders + 1, '/').nth(folders).unwrap_or("")
}

fn yaml_stem(file: &str) -> Option<&str> {
    file.strip_suffix(".yaml")
}

/// The folder `relative` names from the folder `from` (the reverse of [`relative`]), or
/// `None` when it leaves the tree.
pub(crate) fn joined(from: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    for part in relative.split('/') {
        match part {
            ".." => {
                parts.pop()?;
            }
            "." | "" => {}
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod relative_tests {
    use super::*;

    #[test]
    fn a_folder_is_named_from_another_by_going_up_to_what_they_share() {
        let overlay = overlay_dir("users", "prod", None);
        assert_eq!(relative(&overlay, &base_dir("users")), "../../base");
        let clustered = overlay_dir("users", "prod", Some("us"));
        assert_eq!(
            relative(&clustered, &colour_dir("users", Colour::Blue)),
            "../../../colours/blue"
        );
        assert_eq!(relative("a/b", "a/b/c"), "c");
        assert_eq!(relative("a/b", "x"), "../../x");
    }

    #[test]
    fn a_relative_folder_joins_back_to_the_folder_it_names() {
        let overlay = overlay_dir("users", "prod", Some("us"));
        for folder in [base_dir("users"), colour_dir("users", Colour::Green)] {
            assert_eq!(joined(&overlay, &relative(&overlay, &folder)), Some(folder));
        }
        assert_eq!(joined("a/b", "../../.."), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_folder_reads_back_as_what_it_was_built_from() {
        let cases = [
            (
                format!("{}/deployment.yaml", base_dir("users")),
                Location::Base { service: "users" },
                "deployment.yaml",
            ),
            (
                format!("{}/deployment.yaml", colour_dir("users", Colour::Green)),
                Location::Colour {
                    service: "users",
                    colour: "green",
                },
                "deployment.yaml",
            ),
            (
                format!("{}/rollout.yaml", rollout_dir("users")),
                Location::Rollout { service: "users" },
                "rollout.yaml",
            ),
            (
                format!("{}/kustomization.yaml", overlay_dir("users", "prod", None)),
                Location::Overlay {
                    service: "users",
                    env: "prod",
                    cluster: None,
                },
                "kustomization.yaml",
            ),
            (
                format!(
                    "{}/kustomization.yaml",
                    overlay_dir("users", "prod", Some("eu"))
                ),
                Location::Overlay {
                    service: "users",
                    env: "prod",
                    cluster: Some("eu"),
                },
                "kustomization.yaml",
            ),
            (
                format!("{}/ingress.yaml", environment_dir("prod", None)),
                Location::Environment {
                    env: "prod",
                    cluster: None,
                },
                "ingress.yaml",
            ),
            (
                format!("{}/ingress.yaml", environment_dir("prod", Some("eu"))),
                Location::Environment {
                    env: "prod",
                    cluster: Some("eu"),
                },
                "ingress.yaml",
            ),
            (project_file("prod"), Location::Project { env: "prod" }, ""),
            (
                application_set_file("prod"),
                Location::ApplicationSet { env: "prod" },
                "",
            ),
            (
                environment_application_file("prod", None),
                Location::EnvironmentApplication {
                    env: "prod",
                    cluster: None,
                },
                "",
            ),
            (
                environment_application_file("prod", Some("eu")),
                Location::EnvironmentApplication {
                    env: "prod",
                    cluster: Some("eu"),
                },
                "",
            ),
            (ROOT_APPLICATION.to_owned(), Location::RootApplication, ""),
            (ci_file("users"), Location::Ci { service: "users" }, ""),
            (
                format!("{}/main.tf", terraform_dir("prod", Some("eu"))),
                Location::Terraform {
                    env: "prod",
                    cluster: Some("eu"),
                },
                "main.tf",
            ),
            (CODEOWNERS.to_owned(), Location::Codeowners, ""),
        ];
        for (path, location, file) in cases {
            assert_eq!(locate_file(&path), Some((location, file)), "{path}");
        }
    }

    #[test]
    fn application_folders_read_back_and_nothing_else_does() {
        let overlay = overlay_dir("users", "prod", Some("eu"));
        assert_eq!(
            locate_application_dir(&overlay),
            Some(Location::Overlay {
                service: "users",
                env: "prod",
                cluster: Some("eu"),
            })
        );
        assert_eq!(
            locate_application_dir(&environment_dir("qa", None)),
            Some(Location::Environment {
                env: "qa",
                cluster: None,
            })
        );
        assert_eq!(locate_application_dir(&base_dir("users")), None);
        assert_eq!(locate_application_dir("apps/users/colours/blue"), None);
        assert_eq!(locate_file("nothing/of/ours.yaml"), None);
        assert_eq!(
            locate_dir(&service_dir("users")),
            Some(Location::Service { service: "users" })
        );
    }
}
