use std::ops::Range;

/// Text read out of a Dockerfile, each byte knowing which byte of the file it came from, so
/// that an edit of what was read (a tag behind an `ARG`, a word joined across a continuation
/// line) lands on exactly the bytes of the file that hold it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Located {
    text: String,
    origins: Vec<usize>,
}

impl Located {
    /// `text`, found at byte `start` of the file.
    pub fn at(text: &str, start: usize) -> Self {
        Self {
            text: text.to_owned(),
            origins: (start..start + text.len()).collect(),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Appends `range` of `other` (a range on character boundaries).
    pub fn push_from(&mut self, other: &Located, range: Range<usize>) {
        self.text.push_str(&other.text[range.clone()]);
        self.origins.extend_from_slice(&other.origins[range]);
    }

    pub fn push_all(&mut self, other: &Located) {
        self.push_from(other, 0..other.text.len());
    }

    pub fn slice(&self, range: Range<usize>) -> Located {
        let mut out = Located::default();
        out.push_from(self, range);
        out
    }

    /// The bytes of the file that `range` of this text came from, as runs of adjacent bytes in
    /// file order (one run unless the text was pieced together).
    pub fn sources(&self, range: Range<usize>) -> Vec<Range<usize>> {
        let mut runs: Vec<Range<usize>> = Vec::new();
        for &origin in &self.origins[range] {
            match runs.last_mut() {
                Some(run) if run.end == origin => run.end += 1,
                _ => runs.push(origin..origin + 1),
            }
        }
        runs
    }
}

#[cfg(test)]
// Lists of one run of bytes are what these tests expect, not ranges to collect.
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::Located;

    #[test]
    fn sources_of_a_pieced_together_text_are_its_runs_in_the_file() {
        let file = "ab\\\ncd";
        let mut joined = Located::at(&file[..2], 0);
        joined.push_all(&Located::at(&file[4..], 4));
        assert_eq!(joined.as_str(), "abcd");
        assert_eq!(joined.sources(1..3), [1..2, 4..5]);
        assert_eq!(joined.slice(2..4).sources(0..2), [4..6]);
    }
}
