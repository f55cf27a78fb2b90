use schemars::JsonSchema;
use serde::Deserialize;

/// Who the estate belongs to and where its `GitOps` tree lives.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Enterprise {
    /// Short name, used in namespaces and Argo CD object names (DNS-1123 label).
    #[schemars(example = &"acme")]
    pub name: String,
    /// Container registry the estate's own images are pulled from (`<registry>/<service>`).
    #[schemars(example = &"registry.example.com")]
    pub registry: String,
    /// Other registries (or repositories in them) a service's `image` may come from, for
    /// images built elsewhere: `docker.io/library`, `quay.io/prometheus`. The cluster's
    /// policy admits images from `registry` and these only.
    #[serde(default)]
    #[schemars(example = ["docker.io/library", "ghcr.io/acme"])]
    pub registries: Vec<String>,
    /// The Git repository Argo CD reads the generated tree from.
    #[schemars(example = &"https://github.com/acme/gitops.git")]
    pub gitops_repo: String,
    /// Where the generated tree lives inside `gitops_repo`.
    #[serde(default = "default_gitops_path")]
    pub gitops_path: String,
    /// The branch or tag Argo CD tracks.
    #[serde(default = "default_target_revision")]
    pub target_revision: String,
    /// GitHub team that owns the platform (for example `@acme/platform`).
    #[schemars(example = &"@acme/platform")]
    pub platform_team: String,
    /// Ingress class of every environment's Ingress.
    #[serde(default = "default_ingress_class")]
    pub ingress_class: String,
    /// Namespace of the ingress controller, the only one allowed to reach routed services
    /// from outside their namespace.
    #[serde(default = "default_ingress_namespace")]
    pub ingress_namespace: String,
    /// Namespace Argo CD runs in.
    #[serde(default = "default_argocd_namespace")]
    pub argocd_namespace: String,
}

fn default_gitops_path() -> String {
    "generated".to_owned()
}

fn default_target_revision() -> String {
    "main".to_owned()
}

fn default_argocd_namespace() -> String {
    "argocd".to_owned()
}

/// The ingress class whose controller fleetc writes gRPC routes for: ingress-nginx, which
/// proxies an Ingress to gRPC backends when it says `backend-protocol: GRPC`.
pub(crate) const GRPC_INGRESS_CLASS: &str = "nginx";

impl Enterprise {
    /// Whether a route may reach a gRPC port: the estate's ingress controller proxies gRPC.
    pub(crate) fn routes_grpc(&self) -> bool {
        self.ingress_class == GRPC_INGRESS_CLASS
    }
}

fn default_ingress_class() -> String {
    "nginx".to_owned()
}

fn default_ingress_namespace() -> String {
    "ingress-nginx".to_owned()
}
