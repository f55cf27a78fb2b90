//! Every `env` table of the spec, with the key path it is written at: `[defaults]`, each
//! service, its overrides per environment and per cluster, and each cluster's overrides.

use indexmap::IndexMap;

use crate::spec::Spec;

/// A table of variables and the key path of the table.
pub(super) type EnvTable<'a> = (Vec<String>, &'a IndexMap<String, String>);

pub(super) fn env_tables(spec: &Spec) -> Vec<EnvTable<'_>> {
    let mut tables: Vec<EnvTable<'_>> =
        vec![(vec!["defaults".into(), "env".into()], &spec.defaults.env)];
    for (name, service) in &spec.services {
        tables.push((
            vec!["services".into(), name.clone(), "env".into()],
            &service.env,
        ));
        for (env, over) in &service.overrides {
            let path = vec![
                "services".into(),
                name.clone(),
                "overrides".into(),
                env.clone(),
                "env".into(),
            ];
            tables.push((path.clone(), &over.env));
            for (cluster, over) in &over.clusters {
                let mut path = path.clone();
                path.splice(4..4, ["clusters".to_owned(), cluster.clone()]);
                tables.push((path, &over.env));
            }
        }
    }
    for (env, environment) in &spec.environments {
        for (cluster, listed) in &environment.clusters {
            if let Some(over) = &listed.overrides {
                let path = ["environments", env, "clusters", cluster, "overrides", "env"];
                tables.push((path.map(str::to_owned).to_vec(), &over.env));
            }
        }
    }
    tables
}
