//! What the files of an environment's shared objects (`envs/<env>`, or `envs/<env>/<cluster>`
//! for one of its clusters) are written from, as keys of the spec: the cluster's own keys
//! first, then its environment's.

use crate::model::{CertificateModel, EnvironmentModel};
use crate::tree::origin::{Gathered, Origin, StoreSetting, key};

/// The environment (or cluster of it) whose shared objects are being written.
#[derive(Clone, Copy)]
pub(super) struct Shared<'a> {
    pub(super) env: &'a str,
    pub(super) cluster: Option<&'a str>,
}

impl<'a> Shared<'a> {
    pub(super) fn of(env: &'a EnvironmentModel) -> Self {
        Self {
            env: &env.name,
            cluster: env.clusters.first().and_then(|c| c.name.as_deref()),
        }
    }

    /// A key of the environment, `rest` below `environments.<env>`.
    pub(super) fn environment(self, rest: &[&str]) -> Origin {
        key(&[&["environments", self.env], rest].concat())
    }

    /// The key of the cluster's own setting `rest` (when the files are a cluster's), then the
    /// environment's.
    pub(super) fn setting(self, rest: &[&str]) -> Vec<Origin> {
        let mut found = Vec::new();
        if let Some(cluster) = self.cluster {
            found.push(key(&[
                &["environments", self.env, "clusters", cluster],
                rest,
            ]
            .concat()));
        }
        found.push(self.environment(rest));
        found
    }

    /// What every file of the shared objects comes from: the cluster's table, then the
    /// environment's.
    pub(super) fn file(self, origins: &mut Gathered) {
        origins.file(|| self.setting(&[]));
    }

    /// The keys of a host: the preview host is the preview domain, or derived from the domain.
    pub(super) fn host(self, preview: bool) -> Vec<Origin> {
        let mut found = Vec::new();
        if preview {
            found.extend(self.setting(&["preview_domain"]));
        }
        found.extend(self.setting(&["domain"]));
        found
    }

    /// The keys of the secret store's `setting`.
    pub(super) fn store(self, setting: StoreSetting) -> Vec<Origin> {
        vec![Origin::SecretStore {
            env: self.env.to_owned(),
            cluster: self.cluster.map(str::to_owned),
            setting,
        }]
    }

    /// The keys of the certificate's settings below `certificates.acme` (`rest`), then of
    /// its ACME table and of the certificates table.
    pub(super) fn acme(self, rest: &[&str]) -> Vec<Origin> {
        let mut found = Vec::new();
        if !rest.is_empty() {
            found.push(self.environment(&[&["certificates", "acme"], rest].concat()));
        }
        found.push(self.environment(&["certificates", "acme"]));
        found.push(self.environment(&["certificates"]));
        found
    }
}

/// What the lines of `certificate.yaml` come from: each host its domain, the issuer its key.
pub(super) fn certificate(
    shared: Shared<'_>,
    env: &EnvironmentModel,
    cert: &CertificateModel,
    origins: &mut Gathered,
) {
    for (index, name) in cert.dns_names.iter().enumerate() {
        let index = index.to_string();
        let preview = *name != env.domain && *name == env.preview_domain;
        origins.node(0, &["spec", "dnsNames", &index], || shared.host(preview));
    }
    origins.node(0, &["spec", "issuerRef"], || {
        let mut found = vec![shared.environment(&["certificates", "issuer"])];
        found.extend(shared.acme(&[]));
        found
    });
    origins.node(0, &[], || vec![shared.environment(&["certificates"])]);
}

/// What the lines of `cluster-issuer.yaml` come from: the ACME account and its solver.
pub(super) fn cluster_issuer(shared: Shared<'_>, origins: &mut Gathered) {
    let acme = ["spec", "acme"];
    let at = |rest: &[&'static str]| -> Vec<&'static str> { [&acme[..], rest].concat() };
    origins.node(0, &at(&["server"]), || shared.acme(&["server"]));
    origins.node(0, &at(&["email"]), || shared.acme(&["email"]));
    origins.node(0, &at(&["privateKeySecretRef"]), || {
        shared.acme(&["private_key_secret"])
    });
    let solver = |rest: &[&'static str]| at(&[&["solvers", "0"], rest].concat());
    let route53 = |key| shared.acme(&["solver", "route53", key]);
    origins.node(0, &solver(&["dns01", "route53", "region"]), || {
        route53("region")
    });
    origins.node(0, &solver(&["dns01", "route53", "hostedZoneID"]), || {
        route53("hosted_zone_id")
    });
    origins.node(0, &solver(&["dns01", "route53", "role"]), || {
        route53("role")
    });
    origins.node(
        0,
        &solver(&["dns01", "route53", "accessKeyIDSecretRef"]),
        || route53("access_key_secret"),
    );
    origins.node(
        0,
        &solver(&["dns01", "route53", "secretAccessKeySecretRef"]),
        || route53("access_key_secret"),
    );
    origins.node(0, &solver(&["dns01", "cloudflare"]), || {
        shared.acme(&["solver", "cloudflare", "api_token_secret"])
    });
    origins.node(0, &solver(&[]), || shared.acme(&["solver"]));
    origins.node(0, &[], || shared.acme(&[]));
}
