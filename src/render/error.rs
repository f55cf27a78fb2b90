use std::fmt;

/// Why an overlay does not render: `dir` is the kustomization file (or folder) at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    pub dir: String,
    pub message: String,
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.dir, self.message)
    }
}
