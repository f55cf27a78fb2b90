//! The release states of an environment's clusters as the spec's text holds them, and how
//! they settle: a cluster whose state is its environment's follows the environment again,
//! and a state every cluster runs becomes the environment's.

use toml_edit::{Item, TableLike};

use crate::edit::toml::toml_path::{remove, set_str};
use crate::spec::{Colour, DeployState, Environment};

/// Writes a release state's keys, in the order the spec writes them: one `version` for a
/// state of a kind that rolls in place, colours otherwise.
pub(super) fn write_state(table: &mut dyn TableLike, state: &DeployState) {
    if let Some(version) = &state.version {
        for key in ["blue", "green", "live", "previous"] {
            remove(table, key);
        }
        set_str(table, "version", version);
        return;
    }
    remove(table, "version");
    let keys = [
        ("blue", state.blue.clone()),
        ("green", state.green.clone()),
        ("live", Some(state.live.as_str().to_owned())),
        ("previous", state.previous.map(|c| c.as_str().to_owned())),
    ];
    for (key, value) in keys {
        remove(table, key);
        if let Some(value) = value {
            set_str(table, key, &value);
        }
    }
}

/// A release state as the spec's text now holds it.
fn read_state(table: &dyn TableLike) -> Option<DeployState> {
    let text = |key: &str| table.get(key).and_then(Item::as_str).map(str::to_owned);
    if let Some(version) = text("version") {
        return Some(DeployState {
            blue: None,
            green: None,
            live: Colour::Blue,
            version: Some(version),
            previous: None,
            clusters: indexmap::IndexMap::new(),
        });
    }
    let colour = |key: &str| match text(key)?.as_str() {
        "blue" => Some(Colour::Blue),
        "green" => Some(Colour::Green),
        _ => None,
    };
    Some(DeployState {
        blue: text("blue"),
        green: text("green"),
        live: colour("live")?,
        version: None,
        previous: colour("previous"),
        clusters: indexmap::IndexMap::new(),
    })
}

/// After an edit of some clusters: a cluster whose state is the environment's follows the
/// environment again, and when every cluster runs the same state of its own, that state
/// becomes the environment's.
pub(super) fn settle(service: &mut dyn TableLike, env: &str, environment: &Environment) {
    let Some(entry) = service
        .get_mut("deploy")
        .and_then(|d| d.get_mut(env))
        .and_then(Item::as_table_like_mut)
    else {
        return;
    };
    let Some(env_state) = read_state(entry) else {
        return;
    };
    let own: Vec<(String, Option<DeployState>)> = entry
        .get("clusters")
        .and_then(Item::as_table_like)
        .map(|clusters| {
            clusters
                .iter()
                .map(|(name, item)| (name.to_owned(), item.as_table_like().and_then(read_state)))
                .collect()
        })
        .unwrap_or_default();
    let every_cluster = environment.clusters.len() == own.len();
    let first = own.first().and_then(|(_, state)| state.clone());
    let agree = every_cluster && own.iter().all(|(_, state)| *state == first);
    if let (true, Some(state)) = (agree, first) {
        write_state(entry, &state);
        entry.remove("clusters");
        return;
    }
    if let Some(clusters) = entry.get_mut("clusters").and_then(Item::as_table_like_mut) {
        for (name, state) in &own {
            if state.as_ref() == Some(&env_state) {
                clusters.remove(name);
            }
        }
        if clusters.is_empty() {
            entry.remove("clusters");
        }
    }
}

#[cfg(test)]
mod tests {
    use toml_edit::{DocumentMut, TableLike};

    use super::settle;
    use crate::spec::Environment;

    fn environment() -> Environment {
        toml::from_str(
            "domain = \"x.example\"\n[clusters.eu]\nserver = \"https://eu\"\n[clusters.us]\nserver = \"https://us\"",
        )
        .unwrap()
    }

    fn settled(text: &str) -> String {
        let mut doc: DocumentMut = text.parse().unwrap();
        let service: &mut dyn TableLike = doc["users"].as_table_like_mut().unwrap();
        settle(service, "prod", &environment());
        doc.to_string()
    }

    #[test]
    fn a_state_every_cluster_runs_becomes_the_environments() {
        let text = "[users.deploy.prod]\nblue = \"1\"\nlive = \"blue\"\n\n[users.deploy.prod.clusters.eu]\nblue = \"1\"\ngreen = \"2\"\nlive = \"green\"\n\n[users.deploy.prod.clusters.us]\nblue = \"1\"\ngreen = \"2\"\nlive = \"green\"\n";
        let out = settled(text);
        assert!(!out.contains("clusters"), "{out}");
        assert!(out.contains("green = \"2\"\nlive = \"green\""), "{out}");
    }

    #[test]
    fn a_cluster_back_on_the_environments_state_follows_it_again() {
        let text = "[users.deploy.prod]\nblue = \"1\"\nlive = \"blue\"\n\n[users.deploy.prod.clusters.eu]\nblue = \"1\"\nlive = \"blue\"\n\n[users.deploy.prod.clusters.us]\nblue = \"1\"\ngreen = \"2\"\nlive = \"blue\"\n";
        let out = settled(text);
        assert!(!out.contains("clusters.eu"), "{out}");
        assert!(out.contains("[users.deploy.prod.clusters.us]"), "{out}");
        assert!(
            out.starts_with("[users.deploy.prod]\nblue = \"1\"\nlive = \"blue\""),
            "{out}"
        );
    }
}
