/// Argo Rollouts delivery of a service: the controller shifts traffic and rolls back on a
/// failed analysis, instead of git-driven colours.
#[derive(Debug, Clone, PartialEq)]
pub struct RolloutModel {
    pub kind: RolloutKind,
    pub analysis: AnalysisModel,
}

#[derive(Debug, Clone, PartialEq)]
pub enum RolloutKind {
    /// Weight steps, each followed by a pause (`None`: wait for a person to promote).
    Canary(Vec<CanaryStepModel>),
    /// Active and preview Services; promotion after the analysis passes.
    BlueGreen,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanaryStepModel {
    pub weight: u32,
    pub pause: Option<String>,
}

/// The Prometheus checks a new version must pass.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisModel {
    pub prometheus: String,
    pub success_rate: f64,
    pub p99_latency_ms: u32,
}
