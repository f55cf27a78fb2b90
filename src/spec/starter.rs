//! A believable starter spec of any size that uses every part of the spec: several teams and
//! base images, three environments with their secret stores and certificates, CI and
//! Terraform pins, about one service in ten with a release in flight in prod, one in ten
//! delivered by Argo Rollouts with its own objectives, one in four reading secrets. The same
//! size always gives the same text.

use std::fmt::Write;

const NOUNS: &[&str] = &[
    "users",
    "auth",
    "catalog",
    "search",
    "cart",
    "checkout",
    "orders",
    "payments",
    "pricing",
    "inventory",
    "shipping",
    "returns",
    "reviews",
    "ratings",
    "recommend",
    "notify",
    "email",
    "sms",
    "billing",
    "invoices",
    "ledger",
    "fraud",
    "loyalty",
    "coupons",
    "gifts",
    "wishlist",
    "profile",
    "sessions",
    "media",
    "images",
    "assets",
    "content",
    "cms",
    "feeds",
    "reports",
    "audit",
    "metrics",
    "exports",
    "imports",
    "partners",
];
const SUFFIXES: &[&str] = &[
    "api", "worker", "events", "sync", "gateway", "admin", "batch", "stream", "cache", "jobs",
];
const TEAMS: &[&str] = &[
    "identity",
    "commerce",
    "fulfilment",
    "payments",
    "discovery",
    "growth",
    "data",
    "content",
];
const BASES: &[&str] = &["python:3.12", "go:1.22", "jvm:21", "node:20"];

/// The name of the `index`th generated service: a noun, then noun-suffix, then numbered.
pub(crate) fn service_name(index: usize) -> String {
    let noun = NOUNS[index % NOUNS.len()];
    let round = index / NOUNS.len();
    match round {
        0 => noun.to_owned(),
        r if r <= SUFFIXES.len() => format!("{noun}-{}", SUFFIXES[r - 1]),
        r => format!(
            "{noun}-{}-{}",
            SUFFIXES[(r - 1) % SUFFIXES.len()],
            (r - 1) / SUFFIXES.len() + 1
        ),
    }
}

fn version(index: usize) -> (String, String) {
    let (major, minor, patch) = (1 + index % 5, index % 13, index % 7);
    (
        format!("{major}.{minor}.{patch}"),
        format!("{major}.{}.0", minor + 1),
    )
}

/// The name of the `index`th team: the named ones, then `team-9`, `team-10`, and so on.
fn team_name(index: usize) -> String {
    TEAMS
        .get(index)
        .map_or_else(|| format!("team-{}", index + 1), |team| (*team).to_owned())
}

/// The starter spec of `services` services owned by the eight named teams.
pub fn starter_spec(services: usize) -> String {
    starter_spec_of_teams(services, TEAMS.len())
}

/// The starter spec of `services` services owned by `teams` teams, in turn.
pub(crate) fn starter_spec_of_teams(services: usize, teams: usize) -> String {
    let teams: Vec<String> = (0..teams.max(1)).map(team_name).collect();
    let mut out = String::from(HEADER);
    for team in &teams {
        let _ = writeln!(out, "[teams.{team}]\nowners = [\"@acme/{team}\"]");
    }
    out.push_str(BASE_IMAGES);
    for index in 0..services {
        let name = service_name(index);
        let team = &teams[index % teams.len()];
        let base = BASES[index % BASES.len()];
        let (current, next) = version(index);
        let releasing = index % 10 == 3;
        let rollout = match index % 20 {
            7 => Some("canary"),
            17 => Some("rollout-blue-green"),
            _ => None,
        };
        let _ = write!(
            out,
            "\n[services.{name}]\nteam = \"{team}\"\nbase = \"{base}\"\n"
        );
        if index % 5 != 4 {
            let _ = writeln!(out, "route = \"/{name}\"");
        }
        if releasing {
            let _ = writeln!(out, "version = \"{next}\"");
        } else {
            let _ = writeln!(out, "version = \"{current}\"");
        }
        let deps: Vec<String> = [1, 7]
            .iter()
            .filter(|step| index >= **step)
            .map(|step| format!("\"{}\"", service_name(index - step)))
            .collect();
        if !deps.is_empty() {
            let _ = writeln!(out, "depends_on = [{}]", deps.join(", "));
        }
        if index % 6 == 0 {
            out.push_str("replicas = { prod = 5 }\n");
        }
        if let Some(strategy) = rollout {
            let _ = writeln!(
                out,
                "strategy = \"{strategy}\"\nanalysis = {{ success_rate = 0.995, p99_latency_ms = 300 }}"
            );
        }
        if index % 4 == 1 {
            let _ = writeln!(
                out,
                "secrets = {{ DB_PASSWORD = \"{name}/db#password\" }}\noverrides.prod.secrets = {{ DB_PASSWORD = \"prod/{name}/db#password\" }}"
            );
        }
        if releasing {
            let _ = writeln!(
                out,
                "deploy.prod = {{ blue = \"{current}\", green = \"{next}\", live = \"blue\" }}  # release in flight"
            );
        }
    }
    out
}

const HEADER: &str = r#"#:schema ../schemas/enterprise.schema.json
# Written by `fleetc init`: a starting point to edit, not a description of a real estate.

[enterprise]
name = "acme"
registry = "registry.acme.example"
gitops_repo = "https://github.com/acme/gitops.git"
gitops_path = "generated"
platform_team = "@acme/platform"

[environments.dev]
cluster = "https://dev.k8s.acme.internal"
domain = "dev.acme.example"
sync = "auto"
secret_store.vault = { server = "https://vault.acme.internal:8200", role = "external-secrets" }
certificates.acme = { server = "https://acme-staging-v02.api.letsencrypt.org/directory", email = "platform@acme.example" }

[environments.staging]
cluster = "https://staging.k8s.acme.internal"
domain = "staging.acme.example"
sync = "auto"
secret_store.aws = { region = "us-east-1" }
certificates.issuer = "acme-internal-ca"

[environments.prod]
cluster = "https://prod.k8s.acme.internal"
domain = "api.acme.example"
sync = "manual"
approvers = ["@acme/platform", "@acme/sre"]
sync_windows = [{ kind = "allow", schedule = "0 9 * * 1-5", duration = "8h" }]
secret_store = { refresh = "15m", aws = { region = "us-east-1", role = "arn:aws:iam::123456789012:role/acme-prod-external-secrets" } }
certificates.acme = { server = "https://acme-v02.api.letsencrypt.org/directory", email = "platform@acme.example", solver.route53 = { region = "us-east-1" } }

[ci]
template = "acme/ci-templates/.github/workflows/service.yml"
version = "v1.0.0"

[terraform]
source = "git::https://github.com/acme/terraform-modules.git"
node_image = { dev = "bottlerocket-1.24.1", staging = "bottlerocket-1.24.1", prod = "bottlerocket-1.23.4" }
modules = { vpc = "v1.2.0", eks = { version = "v1.4.0", prod = "v1.3.2" } }

[observability]
otlp_endpoint = "http://otel-collector.observability:4317"
sample_ratio = { dev = 1.0, staging = 0.5, prod = 0.05 }
runbook_url = "https://runbooks.acme.example/{service}#{alert}"

[defaults]
port = 8080
replicas = { dev = 1, staging = 2, prod = 3 }
resources = { cpu = "250m", memory = "256Mi" }
autoscaling = { max = { dev = 2, staging = 4, prod = 12 }, cpu = 70 }
probes = { liveness = "/healthz", readiness = "/ready" }
env = { LOG_FORMAT = "json" }
metrics = { port = 9090, path = "/metrics" }

"#;

const BASE_IMAGES: &str = r#"
[base_images.python]
image = "platform/python"
versions."3.11" = { status = "blocked", reason = "end of life" }
versions."3.12" = { status = "approved" }

[base_images.go]
image = "platform/distroless-go"
versions."1.22" = { status = "approved" }

[base_images.jvm]
image = "platform/temurin"
versions."21" = { status = "approved" }

[base_images.node]
image = "platform/node"
versions."20" = { status = "approved" }
"#;

#[cfg(test)]
mod tests {
    use super::service_name;

    #[test]
    fn service_names_are_unique_and_valid() {
        let names: std::collections::BTreeSet<String> = (0..2000).map(service_name).collect();
        assert_eq!(names.len(), 2000);
        assert!(names.iter().all(|n| n.len() <= 40 && !n.contains('_')));
    }
}
