//! The index as a file: a line per entry, the kind of entry first, the stamp next, the path
//! last, so a path may hold spaces.

use super::stamp::Stamp;

const HEADER: &str = "fleetc tree index 1";
const END: &str = "end";

/// What a build read and wrote, each with its stamp, and what it said.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Index {
    /// Everything besides the files that the tree depends on: fleetc, its options, the places.
    pub key: String,
    pub spec: Option<Stamp>,
    /// Files beside the spec the build read, relative to the spec's folder.
    pub beside: Vec<(Stamp, String)>,
    /// The root's include patterns, and the files they matched.
    pub patterns: Vec<String>,
    pub included: Vec<String>,
    /// The tree's folders and files, relative to `--out`.
    pub folders: Vec<(Stamp, String)>,
    pub files: Vec<(Stamp, String)>,
    /// The entries of the tree's folders fleetc did not write.
    pub unowned: Vec<String>,
    /// The warnings the build showed, as it showed them.
    pub warnings: String,
}

impl Index {
    /// The index as text; `None` when a path or pattern holds a line break, which the format
    /// cannot carry.
    pub(crate) fn to_text(&self) -> Option<String> {
        let mut text = String::with_capacity(64 * (self.files.len() + self.folders.len()));
        let mut line = |kind: &str, stamp: Option<&Stamp>, value: &str| -> Option<()> {
            if value.contains(['\n', '\r']) {
                return None;
            }
            text.push_str(kind);
            if let Some(stamp) = stamp {
                text.push(' ');
                text.push_str(&stamp.to_text());
            }
            text.push(' ');
            text.push_str(value);
            text.push('\n');
            Some(())
        };
        line("key", None, &self.key)?;
        line("spec", self.spec.as_ref(), "")?;
        for (stamp, path) in &self.beside {
            line("beside", Some(stamp), path)?;
        }
        for pattern in &self.patterns {
            line("include", None, pattern)?;
        }
        for path in &self.included {
            line("included", None, path)?;
        }
        for (stamp, path) in &self.folders {
            line("folder", Some(stamp), path)?;
        }
        for (stamp, path) in &self.files {
            line("file", Some(stamp), path)?;
        }
        for path in &self.unowned {
            line("unowned", None, path)?;
        }
        line(
            "warnings",
            None,
            &serde_json::to_string(&self.warnings).ok()?,
        )?;
        Some(format!("{HEADER}\n{text}{END}\n"))
    }

    /// The index `text` holds; `None` when it is not one whole index of this format.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let body = text.strip_prefix(HEADER)?.strip_prefix('\n')?;
        let body = body.strip_suffix(&format!("{END}\n"))?;
        let mut index = Self::default();
        for line in body.lines() {
            let (kind, rest) = line.split_once(' ')?;
            let stamped = || -> Option<(Stamp, String)> {
                let (stamp, path) = rest.split_once(' ')?;
                Some((Stamp::parse(stamp)?, path.to_owned()))
            };
            match kind {
                "key" => rest.clone_into(&mut index.key),
                "spec" => index.spec = Some(stamped()?.0),
                "beside" => index.beside.push(stamped()?),
                "include" => index.patterns.push(rest.to_owned()),
                "included" => index.included.push(rest.to_owned()),
                "folder" => index.folders.push(stamped()?),
                "file" => index.files.push(stamped()?),
                "unowned" => index.unowned.push(rest.to_owned()),
                "warnings" => index.warnings = serde_json::from_str(rest).ok()?,
                _ => return None,
            }
        }
        Some(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp() -> Stamp {
        Stamp::parse("12:1700000000:5:1700000001:6:77:33188").unwrap()
    }

    #[test]
    fn an_index_reads_back_as_written() {
        let index = Index {
            key: "abc".into(),
            spec: Some(stamp()),
            beside: vec![(stamp(), "config/a b.yaml".into())],
            patterns: vec!["teams/*.toml".into()],
            included: vec!["teams/a.toml".into()],
            folders: vec![(stamp(), "apps".into())],
            files: vec![(stamp(), "apps/a/kustomization.yaml".into())],
            unowned: vec!["apps/notes.txt".into()],
            warnings: "warning: soon\n  --> spec\n".into(),
        };
        let text = index.to_text().unwrap();
        assert_eq!(Index::parse(&text), Some(index));
    }

    #[test]
    fn a_cut_or_foreign_index_is_none() {
        let index = Index {
            spec: Some(stamp()),
            ..Index::default()
        };
        let text = index.to_text().unwrap();
        assert!(Index::parse(&text[..text.len() - 2]).is_none());
        assert!(Index::parse(&text.replace("spec ", "other ")).is_none());
        assert!(Index::parse("fleetc tree index 0\nend\n").is_none());
    }

    #[test]
    fn a_path_with_a_line_break_makes_no_index() {
        let index = Index {
            unowned: vec!["a\nfile x".into()],
            ..Index::default()
        };
        assert!(index.to_text().is_none());
    }
}
