use std::collections::BTreeMap;

/// The compiled output: relative path → bytes, ordered by path. Identical for identical specs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tree {
    files: BTreeMap<String, Vec<u8>>,
}

/// Lists every file fleetc wrote into an output directory, so the next build removes exactly
/// its own stale files and nothing else.
pub const MANIFEST: &str = ".fleetc-manifest";

impl Tree {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file. Two emitters claiming one path is a defect in fleetc, not in the spec.
    pub fn insert(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        let path = path.into();
        let previous = self.files.insert(path.clone(), bytes.into());
        assert!(previous.is_none(), "two emitters wrote {path}");
    }

    /// Adds every file of `other`; a path in both is a defect, as with `insert`.
    pub fn merge(&mut self, other: Tree) {
        for (path, bytes) in other.files {
            self.insert(path, bytes);
        }
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// The files below a folder (`prefix` ends with `/`), in path order.
    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a [u8])> {
        self.files
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(p, _)| p.starts_with(prefix))
            .map(|(p, b)| (p.as_str(), b.as_slice()))
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Adds the manifest of owned files, which lists every other path.
    pub fn seal(mut self) -> Self {
        let mut manifest =
            String::from("# Files written by fleetc; `fleetc build` removes only these.\n");
        for path in self.files.keys() {
            manifest.push_str(path);
            manifest.push('\n');
        }
        self.insert(MANIFEST, manifest);
        self
    }
}

/// Reads the paths a manifest lists.
pub fn manifest_paths(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}
