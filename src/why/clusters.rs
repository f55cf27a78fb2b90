//! `fleetc why` for the files of one cluster of an environment that lists clusters
//! (`envs/<env>/<cluster>/…`, `terraform/<env>/<cluster>/main.tf`): the cluster's own keys,
//! most specific first, ahead of its environment's.

fn key(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| (*s).to_owned()).collect()
}

/// The cluster's keys that can explain a line of one of its shared objects.
pub(crate) fn platform_keys(env: &str, cluster: &str, file: &str, line: &str) -> Vec<Vec<String>> {
    let at = |rest: &[&str]| key(&[&["environments", env, "clusters", cluster], rest].concat());
    let mut found = Vec::new();
    if line.contains("host") || line.starts_with("- ") && file == "certificate.yaml" {
        if file.contains("preview") {
            found.push(at(&["preview_domain"]));
        }
        found.push(at(&["domain"]));
    }
    if line.starts_with("server:") {
        found.push(at(&["server"]));
    }
    found
}

/// Keys of the environment's release state, each preceded by the same key of the cluster's
/// own state (`deploy.<env>.clusters.<cluster>`), which wins where the spec writes it.
pub(crate) fn cluster_state_first(
    found: Vec<Vec<String>>,
    svc: &str,
    env: &str,
    cluster: &str,
) -> Vec<Vec<String>> {
    let state = key(&["services", svc, "deploy", env]);
    let mut out = Vec::with_capacity(found.len());
    for candidate in found {
        if let Some(rest) = candidate.strip_prefix(state.as_slice()) {
            let mut own = state.clone();
            own.extend(["clusters".to_owned(), cluster.to_owned()]);
            own.extend(rest.iter().cloned());
            out.push(own);
        }
        out.push(candidate);
    }
    out
}

/// The cluster a line of an environment's ApplicationSet or AppProject names (its element's
/// `cluster` or `server`, a destination's `server`), by its key.
pub(crate) fn element_keys(spec: &crate::spec::Spec, env: &str, line: &str) -> Vec<Vec<String>> {
    let line = line.trim_start_matches("- ");
    let Some(environment) = spec.environments.get(env) else {
        return Vec::new();
    };
    let at = |cluster: &str, rest: &[&str]| {
        key(&[&["environments", env, "clusters", cluster], rest].concat())
    };
    if let Some(name) = line.strip_prefix("cluster: ")
        && environment.clusters.contains_key(name)
    {
        return vec![at(name, &[])];
    }
    if let Some(server) = line.strip_prefix("server: ") {
        return environment
            .clusters
            .iter()
            .filter(|(_, c)| c.server == server)
            .map(|(name, _)| at(name, &["server"]))
            .collect();
    }
    Vec::new()
}

/// The cluster's keys that can explain a line of its Terraform.
pub(crate) fn terraform_keys(env: &str, cluster: &str, line: &str) -> Vec<Vec<String>> {
    let at = |rest: &[&str]| key(&[&["environments", env, "clusters", cluster], rest].concat());
    let mut found = Vec::new();
    if line.starts_with("node_image") {
        found.push(at(&["node_image"]));
    }
    if line.starts_with("region") {
        found.push(at(&["region"]));
    }
    if line.starts_with("cluster") {
        found.push(at(&[]));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::{cluster_state_first, element_keys, key, platform_keys, terraform_keys};

    #[test]
    fn a_clusters_own_release_state_is_named_before_the_environments() {
        let found = cluster_state_first(
            vec![
                key(&["services", "users", "deploy", "prod", "green"]),
                key(&["services", "users"]),
            ],
            "users",
            "prod",
            "us",
        );
        assert_eq!(
            found,
            [
                key(&[
                    "services", "users", "deploy", "prod", "clusters", "us", "green"
                ]),
                key(&["services", "users", "deploy", "prod", "green"]),
                key(&["services", "users"]),
            ]
        );
    }

    #[test]
    fn an_application_set_element_names_its_cluster() {
        let spec = crate::edit::test_spec::clustered("");
        assert_eq!(
            element_keys(&spec, "prod", "server: https://us.example"),
            [key(&["environments", "prod", "clusters", "us", "server"])]
        );
        assert_eq!(
            element_keys(&spec, "prod", "- cluster: us"),
            [key(&["environments", "prod", "clusters", "us"])]
        );
        assert!(element_keys(&spec, "prod", "server: https://elsewhere.example").is_empty());
    }

    #[test]
    fn a_node_image_line_names_the_clusters_pin_first() {
        assert_eq!(
            terraform_keys("prod", "us", "node_image  = \"ami-1\"")[0],
            ["environments", "prod", "clusters", "us", "node_image"]
        );
        assert!(terraform_keys("prod", "us", "source = \"git::…\"").is_empty());
    }

    #[test]
    fn a_host_line_names_the_clusters_domains() {
        let live = platform_keys("prod", "us", "ingress.yaml", "- host: us.example.com");
        assert_eq!(live, [["environments", "prod", "clusters", "us", "domain"]]);
        let preview = platform_keys("prod", "us", "ingress-preview.yaml", "- host: p.example");
        assert_eq!(
            preview[0],
            ["environments", "prod", "clusters", "us", "preview_domain"]
        );
    }
}
