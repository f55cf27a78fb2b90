pub(crate) mod beside;
pub(crate) mod diagnostic;
pub(crate) mod files;
pub(crate) mod includes;
pub(crate) mod placement;
pub(crate) mod reader;
pub(crate) mod span_index;
pub(crate) mod spec_file;

use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Where the spec is unless `--spec` says otherwise.
pub(crate) const DEFAULT_SPEC: &str = "spec/enterprise.toml";

/// The largest spec fleetc reads. 10,000 services written the way `fleetc init` writes them
/// take 1.6 MiB, so anything near this is not an estate but a mistake or an attack, and
/// refusing it up front keeps memory and time bounded.
pub(crate) const MAX_SPEC_BYTES: u64 = 8 * 1024 * 1024;

/// The text of a spec file together with the path it is reported under.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
    /// The git revision the text was read at, when it is not the working file's: shown
    /// with the path (`spec/enterprise.toml@main`), never part of what the spec compiles to.
    revision: Option<String>,
    /// How the files beside the spec are read, when not from the working folder.
    beside: Option<reader::Reader>,
    /// Byte offset of each line's start, built on first use: a spec with thousands of
    /// problems is located line by line without rescanning the text for each one.
    line_starts: OnceLock<Vec<usize>>,
    /// The files the spec is written in when its root includes others, in the order their
    /// texts follow one another in `text`; empty when the spec is one file.
    files: Vec<spec_file::SpecFile>,
    /// Where the tree is written, when known: the spec's place in the repository follows.
    tree_dir: Option<PathBuf>,
    /// The files beside the spec read from the working folder so far, shared by the clones
    /// of this source: what a build depends on besides the spec itself.
    read_beside: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Source {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
            revision: None,
            beside: None,
            line_starts: OnceLock::new(),
            files: Vec::new(),
            tree_dir: None,
            read_beside: std::sync::Arc::default(),
        }
    }

    /// The spec at `path` as it was at git `revision`.
    pub fn at_revision(path: impl Into<PathBuf>, text: impl Into<String>, revision: &str) -> Self {
        Self {
            revision: Some(revision.to_owned()),
            ..Self::new(path, text)
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// The 1-based number of the line holding byte `offset` in the file that holds it, and
    /// the byte range of the whole lines from there through `end` (without the last newline).
    pub fn lines_around(&self, offset: usize, end: usize) -> (usize, Range<usize>) {
        let starts = self.line_starts();
        let line_of = |at: usize| starts.partition_point(|&s| s <= at.min(self.text.len())) - 1;
        let first = line_of(offset);
        let last = line_of(end);
        let stop = starts
            .get(last + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let file_start = self
            .file_at(offset)
            .map_or(0, |file| line_of(file.range.start));
        (
            first + 1 - file_start,
            starts[first]..stop.max(starts[first]),
        )
    }

    /// Reads a spec file: UTF-8, at most [`MAX_SPEC_BYTES`].
    pub fn read(path: &Path) -> Result<Self, String> {
        let shown = display_path(path);
        if path.is_dir() {
            return Err(format!(
                "`{shown}` is a directory; --spec names the spec file, e.g. `{}`",
                display_path(&path.join("enterprise.toml"))
            ));
        }
        let file =
            std::fs::File::open(path).map_err(|e| format!("cannot read spec `{shown}`: {e}"))?;
        let mut bytes = Vec::new();
        // Reading one byte past the limit tells an oversized file without reading all of it.
        file.take(MAX_SPEC_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read spec `{shown}`: {e}"))?;
        Self::from_bytes(path, bytes)
    }

    /// A spec from the bytes of its file: UTF-8, at most [`MAX_SPEC_BYTES`].
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Self, String> {
        let shown = display_path(path);
        check_size(&shown, bytes.len())?;
        let text = String::from_utf8(bytes).map_err(|e| {
            format!(
                "spec `{shown}` is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            )
        })?;
        Ok(Self::new(path, text))
    }

    /// The path as shown to people: relative to the working directory when it lies below it.
    pub fn display_path(&self) -> String {
        match &self.revision {
            Some(revision) => format!("{}@{revision}", display_path(&self.path)),
            None => display_path(&self.path),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let (line, lines) = self.lines_around(offset, offset);
        let col = self.text[lines.start..offset].chars().count() + 1;
        (line, col)
    }

    pub fn location(&self, span: &Range<usize>) -> String {
        let (line, col) = self.line_col(span.start);
        format!("{}:{line}:{col}", self.display_path_at(span.start))
    }
}

pub(crate) fn display_path(path: &Path) -> String {
    if let Ok(cwd) = std::env::current_dir()
        && let Ok(relative) = path.strip_prefix(&cwd)
    {
        let shown = relative.display().to_string();
        return if shown.is_empty() {
            ".".to_owned()
        } else {
            shown
        };
    }
    path.display().to_string()
}

/// Refuses a spec larger than [`MAX_SPEC_BYTES`].
pub(crate) fn check_size(shown: &str, len: usize) -> Result<(), String> {
    if u64::try_from(len).unwrap_or(u64::MAX) > MAX_SPEC_BYTES {
        return Err(format!(
            "spec `{shown}` is larger than {} MiB; fleetc reads specs up to that size (10,000 services take about 1.6 MiB)",
            MAX_SPEC_BYTES / 1024 / 1024
        ));
    }
    Ok(())
}
