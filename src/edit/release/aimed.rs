//! What a release action is aimed at: the request (`--cluster`, `--wave`, or neither) and the
//! release states of the environment it comes to. An environment without clusters is one
//! unnamed cluster, run by the environment's own state; so is, for an action aimed at no
//! cluster, an environment whose clusters all follow that state.

use super::waves::listed_waves;
use crate::edit::EditError;
use crate::source::diagnostic::did_you_mean;
use crate::spec::Environment;

/// The clusters of an environment an action is aimed at, as the command line names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReleaseTarget {
    /// Every cluster: the environment's own release state.
    Environment,
    Cluster(String),
    /// Every cluster of one rollout wave.
    Wave(u32),
}

/// The release states of one environment an action edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Aimed {
    /// The environment's own state, `deploy.<env>`: what it runs as its one unnamed cluster
    /// when it lists none, and what each cluster runs that has no state of its own.
    Environment,
    /// The state of each of these clusters, in declaration order:
    /// `deploy.<env>.clusters.<cluster>`, made its own by the edit.
    Clusters(Vec<String>),
}

impl Aimed {
    /// The states `target` names in `environment` (`env`): a cluster or wave it does not
    /// declare is refused, naming those it does.
    pub fn of(
        environment: &Environment,
        env: &str,
        target: &ReleaseTarget,
    ) -> Result<Self, EditError> {
        let declared: Vec<&str> = environment.clusters.keys().map(String::as_str).collect();
        let named = match target {
            ReleaseTarget::Environment => return Ok(Self::Environment),
            _ if declared.is_empty() => {
                return Err(
                    EditError::invalid(format!("environment `{env}` lists no clusters"))
                        .help("leave out --cluster and --wave: the environment is one cluster"),
                );
            }
            ReleaseTarget::Cluster(cluster) if declared.contains(&cluster.as_str()) => {
                vec![cluster.clone()]
            }
            ReleaseTarget::Cluster(cluster) => {
                let mut error = EditError::invalid(format!(
                    "cluster `{cluster}` is not declared in environment `{env}`; its clusters: {}",
                    declared.join(", ")
                ));
                if let Some(suggestion) = did_you_mean(cluster, declared.iter().copied()) {
                    error = error.help(format!("did you mean `{suggestion}`?"));
                }
                return Err(error);
            }
            ReleaseTarget::Wave(wave) => {
                let in_wave: Vec<String> = environment
                    .clusters
                    .iter()
                    .filter(|(_, c)| c.wave_or_first() == *wave)
                    .map(|(name, _)| name.clone())
                    .collect();
                if in_wave.is_empty() {
                    return Err(EditError::invalid(format!(
                        "no cluster of `{env}` is in wave {wave}"
                    ))
                    .help(format!("its waves: {}", listed_waves(environment))));
                }
                in_wave
            }
        };
        Ok(Self::Clusters(named))
    }

    /// Each state as the cluster that runs it: a name, or `None` for the environment's own
    /// state.
    pub fn slots(&self) -> Vec<Option<&str>> {
        match self {
            Self::Environment => vec![None],
            Self::Clusters(names) => names.iter().map(|name| Some(name.as_str())).collect(),
        }
    }

    /// The states of these that `keep` keeps; the environment's own state is one, and stays.
    #[must_use]
    pub fn narrowed(&self, keep: impl Fn(&str) -> bool) -> Self {
        match self {
            Self::Environment => Self::Environment,
            Self::Clusters(names) => {
                Self::Clusters(names.iter().filter(|n| keep(n)).cloned().collect())
            }
        }
    }

    /// The first wave of the clusters aimed at; 0 for the environment's own state, which no
    /// wave comes before.
    pub fn first_wave(&self, environment: &Environment) -> u32 {
        self.slots()
            .into_iter()
            .flatten()
            .map(|cluster| environment.clusters[cluster].wave_or_first())
            .min()
            .unwrap_or(0)
    }

    /// How messages name the states in `env`: `` `prod` `` or `` `prod/eu`, `prod/us` ``.
    pub fn places(&self, env: &str) -> String {
        places(env, &self.slots())
    }
}

/// How messages name the clusters of `env`: `` `prod` `` for its own state (`None`),
/// `` `prod/eu` `` for a named one, several joined by commas.
pub(crate) fn places(env: &str, slots: &[Option<&str>]) -> String {
    slots
        .iter()
        .map(|slot| match slot {
            None => format!("`{env}`"),
            Some(cluster) => format!("`{env}/{cluster}`"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::{Aimed, ReleaseTarget, places};
    use crate::edit::test_spec::clustered;
    use crate::spec::Environment;

    fn prod() -> Environment {
        clustered("").environments["prod"].clone()
    }

    #[test]
    fn no_cluster_named_is_the_environments_own_state_with_or_without_clusters() {
        let unclustered: Environment = toml::from_str("domain = \"x.example\"").unwrap();
        for environment in [prod(), unclustered] {
            let aimed = Aimed::of(&environment, "prod", &ReleaseTarget::Environment).unwrap();
            assert_eq!(aimed, Aimed::Environment);
            assert_eq!(aimed.slots(), [None]);
            assert_eq!(aimed.places("prod"), "`prod`");
            assert_eq!(aimed.first_wave(&environment), 0);
        }
    }

    #[test]
    fn a_wave_is_each_of_its_clusters_in_declaration_order() {
        let aimed = Aimed::of(&prod(), "prod", &ReleaseTarget::Wave(1)).unwrap();
        assert_eq!(aimed.slots(), [Some("eu"), Some("us")]);
        assert_eq!(aimed.places("prod"), "`prod/eu`, `prod/us`");
        assert_eq!(aimed.first_wave(&prod()), 1);
        assert_eq!(aimed.narrowed(|c| c == "us").slots(), [Some("us")]);
    }

    #[test]
    fn a_cluster_or_wave_the_environment_does_not_declare_is_refused_naming_what_it_does() {
        let unclustered: Environment = toml::from_str("domain = \"x.example\"").unwrap();
        let none = Aimed::of(&unclustered, "dev", &ReleaseTarget::Wave(0)).unwrap_err();
        assert_eq!(none.message, "environment `dev` lists no clusters");
        let typo = Aimed::of(&prod(), "prod", &ReleaseTarget::Cluster("ue".into())).unwrap_err();
        assert_eq!(
            typo.message,
            "cluster `ue` is not declared in environment `prod`; its clusters: canary, eu, us"
        );
        let wave = Aimed::of(&prod(), "prod", &ReleaseTarget::Wave(4)).unwrap_err();
        assert_eq!(
            wave.help.as_deref(),
            Some("its waves: 0 (canary), 1 (eu, us)")
        );
    }

    #[test]
    fn places_name_the_environment_for_its_own_state_and_env_slash_cluster_otherwise() {
        assert_eq!(places("prod", &[None]), "`prod`");
        assert_eq!(places("prod", &[Some("eu")]), "`prod/eu`");
    }
}
