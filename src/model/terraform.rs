/// The Terraform of one cluster of an environment: every module pinned, with its inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerraformEnv {
    pub environment: String,
    /// The cluster's name; none in an environment that lists no clusters.
    pub cluster: Option<String>,
    pub modules: Vec<ModuleUse>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleUse {
    pub name: String,
    /// `git::…//modules/<name>?ref=<tag or commit>`.
    pub source: String,
    /// The tag the module is pinned to (the commit, when given, is that tag's commit).
    pub tag: String,
    pub commit: Option<String>,
    pub inputs: Vec<(String, ModuleInput)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModuleInput {
    Text(String),
    List(Vec<String>),
    /// Each key with its list, in order.
    Map(Vec<(String, Vec<String>)>),
}

impl TerraformEnv {
    /// `terraform/<env>`, or `terraform/<env>/<cluster>` for a cluster of an environment
    /// that lists clusters.
    pub fn dir(&self) -> String {
        crate::tree::layout::terraform_dir(&self.environment, self.cluster.as_deref())
    }
}
