/// The Terraform of one environment: every module pinned, with its inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerraformEnv {
    pub environment: String,
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
}
