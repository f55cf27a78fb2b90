//! What each part of a generated file was written from, recorded by the emitter that wrote it:
//! `fleetc why` reads this record instead of guessing from paths and line text.

use std::collections::HashMap;
use std::ops::RangeInclusive;

/// One candidate for what a part of a file was written from. A part lists its candidates
/// most specific first; the first one the spec actually writes is the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A key of the spec, as `enterprise.toml` spells it.
    Key(Vec<String>),
    /// A setting of a service in an environment, or in one of its clusters: its key is in
    /// whichever layer of the inheritance gives the value (the cluster's or environment's own
    /// entry, the service, the defaults), which only the spec can tell.
    Setting {
        service: String,
        env: String,
        cluster: Option<String>,
        setting: Vec<String>,
    },
    /// A setting of the secret store an environment, or one of its clusters, reads: a
    /// cluster's store inherits its environment's key by key.
    SecretStore {
        env: String,
        cluster: Option<String>,
        setting: StoreSetting,
    },
    /// A file beside the spec that a part was copied from, and the line of that file it
    /// starts at, where it can be told; the key that lists the file follows it.
    Beside { file: String, line: Option<usize> },
}

/// A setting of a secret store, as a generated file shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StoreSetting {
    /// How often the values are read again.
    Refresh,
    /// The provider's settings (`aws`, `vault`, `gcp` or `azure`).
    Provider,
    /// The store itself, as an ExternalSecret names it.
    Store,
}

/// A key of the spec, from its parts.
pub(crate) fn key(parts: &[&str]) -> Origin {
    Origin::Key(parts.iter().map(|s| (*s).to_owned()).collect())
}

/// Where in a file a list of origins applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// The file as a whole: what every line of it comes from, after anything more specific.
    File,
    /// A node of one of a YAML file's documents, and every line below it.
    Node {
        document: usize,
        pointer: Vec<String>,
    },
    /// Lines of a file that is not YAML, counted from 1 as an editor counts them.
    Lines(RangeInclusive<usize>),
}

impl Anchor {
    /// The node at `pointer` of document `document` of the file.
    pub(crate) fn in_document(document: usize, pointer: &[&str]) -> Self {
        Anchor::Node {
            document,
            pointer: pointer.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
}

/// The origins recorded for one file, in the order they were recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FileOrigins {
    parts: Vec<(Anchor, Vec<Origin>)>,
}

/// A line of a generated file: its number, and for YAML the document and node it writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WrittenLine<'a> {
    pub(crate) line: usize,
    pub(crate) node: Option<(usize, &'a [String])>,
}

impl FileOrigins {
    pub(crate) fn add(&mut self, anchor: Anchor, origins: Vec<Origin>) {
        self.parts.push((anchor, origins));
    }

    /// The origins of the file as a whole.
    pub(crate) fn of_file(&self) -> Vec<&Origin> {
        self.parts
            .iter()
            .filter(|(anchor, _)| *anchor == Anchor::File)
            .flat_map(|(_, origins)| origins)
            .collect()
    }

    /// The origins of the line at `place`, most specific first: those of the deepest node
    /// holding it, then of each node around that one, then of the file.
    pub(crate) fn of_line(&self, place: &WrittenLine<'_>) -> Vec<&Origin> {
        let mut around: Vec<(usize, &Vec<Origin>)> = self
            .parts
            .iter()
            .filter_map(|(anchor, origins)| match anchor {
                Anchor::Node { document, pointer } => {
                    let (at, node) = place.node?;
                    (at == *document && node.starts_with(pointer))
                        .then_some((pointer.len() + 1, origins))
                }
                Anchor::Lines(lines) => lines.contains(&place.line).then_some((1, origins)),
                Anchor::File => None,
            })
            .collect();
        // Deepest first; a stable sort keeps the recorded order among nodes of one depth.
        around.sort_by_key(|(depth, _)| std::cmp::Reverse(*depth));
        let mut found: Vec<&Origin> = around.into_iter().flat_map(|(_, o)| o).collect();
        found.extend(self.of_file());
        found
    }

    fn extend(&mut self, other: FileOrigins) {
        self.parts.extend(other.parts);
    }
}

/// The origins of one file as its emitter builds it; gathered only when the tree explains
/// itself, so a build spends nothing on them.
#[derive(Debug, Default)]
pub(crate) struct Gathered {
    on: bool,
    parts: FileOrigins,
}

impl Gathered {
    pub(crate) fn new(on: bool) -> Self {
        Self {
            on,
            parts: FileOrigins::default(),
        }
    }

    /// Whether origins are gathered: building them is then worth it.
    pub(crate) fn is_on(&self) -> bool {
        self.on
    }

    /// Adds what `part` gives (an anchor and its origins, most specific first).
    pub(crate) fn add(&mut self, part: impl FnOnce() -> (Anchor, Vec<Origin>)) {
        if self.on {
            let (anchor, origins) = part();
            self.parts.add(anchor, origins);
        }
    }

    /// Adds the origins of the file as a whole.
    pub(crate) fn file(&mut self, origins: impl FnOnce() -> Vec<Origin>) {
        self.add(|| (Anchor::File, origins()));
    }

    /// Adds the origins of the node at `pointer` of document `document`.
    pub(crate) fn node(
        &mut self,
        document: usize,
        pointer: &[&str],
        origins: impl FnOnce() -> Vec<Origin>,
    ) {
        self.add(|| (Anchor::in_document(document, pointer), origins()));
    }
}

/// The origins of every file of a tree, by path.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origins {
    by_path: HashMap<String, FileOrigins>,
}

impl Origins {
    pub(crate) fn record(&mut self, path: &str, gathered: Gathered) {
        if !gathered.parts.parts.is_empty() {
            self.by_path
                .entry(path.to_owned())
                .or_default()
                .extend(gathered.parts);
        }
    }

    pub(crate) fn of(&self, path: &str) -> Option<&FileOrigins> {
        self.by_path.get(path)
    }

    pub(crate) fn merge(&mut self, other: Origins) {
        for (path, origins) in other.by_path {
            self.by_path.entry(path).or_default().extend(origins);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pointer(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_line_takes_its_deepest_nodes_origins_first_and_the_files_last() {
        let mut file = FileOrigins::default();
        file.add(Anchor::File, vec![key(&["services", "a"])]);
        file.add(Anchor::in_document(0, &["spec"]), vec![key(&["spec"])]);
        file.add(
            Anchor::in_document(0, &["spec", "replicas"]),
            vec![key(&["replicas"])],
        );
        file.add(
            Anchor::in_document(0, &["metadata"]),
            vec![key(&["metadata"])],
        );
        file.add(Anchor::in_document(1, &["spec"]), vec![key(&["other"])]);
        let node = pointer(&["spec", "replicas"]);
        let place = WrittenLine {
            line: 3,
            node: Some((0, &node)),
        };
        assert_eq!(
            file.of_line(&place),
            [
                &key(&["replicas"]),
                &key(&["spec"]),
                &key(&["services", "a"])
            ]
        );
    }

    #[test]
    fn a_pointer_holds_only_the_nodes_below_it_not_its_namesakes() {
        let mut file = FileOrigins::default();
        file.add(
            Anchor::in_document(0, &["spec", "1"]),
            vec![key(&["second"])],
        );
        let node = pointer(&["spec", "10", "name"]);
        let place = WrittenLine {
            line: 9,
            node: Some((0, &node)),
        };
        assert!(file.of_line(&place).is_empty());
    }

    #[test]
    fn lines_of_a_text_file_are_matched_by_number() {
        let mut file = FileOrigins::default();
        file.add(Anchor::Lines(4..=6), vec![key(&["terraform"])]);
        let place = |line| WrittenLine { line, node: None };
        assert_eq!(file.of_line(&place(5)), [&key(&["terraform"])]);
        assert!(file.of_line(&place(7)).is_empty());
    }
}
