//! How a file beside a spec is read, and why it could not be.

use std::fmt;
use std::sync::Arc;

/// Reads a file beside a spec that is not the working file: `relative` is inside the spec's
/// folder by its spelling.
#[derive(Clone)]
pub(crate) struct Reader {
    read: Arc<ReadFn>,
    list: Option<Arc<ListFn>>,
}

type ReadFn = dyn Fn(&str) -> Result<Vec<u8>, Unreadable> + Send + Sync;

/// The files below a folder (relative to the spec's folder), at most so many folders deep,
/// by their paths relative to the spec's folder.
type ListFn = dyn Fn(&str, usize) -> Result<Vec<String>, String> + Send + Sync;

impl Reader {
    pub(crate) fn new(
        read: impl Fn(&str) -> Result<Vec<u8>, Unreadable> + Send + Sync + 'static,
    ) -> Self {
        Self {
            read: Arc::new(read),
            list: None,
        }
    }

    /// The reader, listing the files of a folder with `list` (to find the files a spec
    /// includes by pattern).
    #[must_use]
    pub(crate) fn listing(
        mut self,
        list: impl Fn(&str, usize) -> Result<Vec<String>, String> + Send + Sync + 'static,
    ) -> Self {
        self.list = Some(Arc::new(list));
        self
    }

    pub(crate) fn read(&self, relative: &str) -> Result<Vec<u8>, Unreadable> {
        (self.read)(relative)
    }

    /// The files below `folder`, `depth` folders deep at most; none when it cannot list.
    pub(crate) fn list(&self, folder: &str, depth: usize) -> Result<Vec<String>, String> {
        match &self.list {
            Some(list) => list(folder, depth),
            None => Ok(Vec::new()),
        }
    }
}

impl fmt::Debug for Reader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Reader")
    }
}

/// Why a file beside the spec could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unreadable {
    /// Nothing is there; the path as it was looked for.
    Missing(String),
    /// A symbolic link whose target is outside the spec's folder.
    Outside(String),
    NotAFile,
    /// Larger than the limit, in MiB.
    TooLarge(u64),
    NotUtf8,
    Failed(String),
}

impl Unreadable {
    pub(crate) fn message(&self, path: &str) -> String {
        match self {
            Self::Missing(looked) => format!("`{path}` does not exist (looked for `{looked}`)"),
            Self::Outside(target) => {
                format!("`{path}` is a link to `{target}`, outside the spec's folder")
            }
            Self::NotAFile => format!("`{path}` is not a file"),
            Self::TooLarge(limit) => format!("`{path}` is larger than {limit} MiB"),
            Self::NotUtf8 => format!("`{path}` is not UTF-8 text"),
            Self::Failed(why) => format!("cannot read `{path}`: {why}"),
        }
    }
}
