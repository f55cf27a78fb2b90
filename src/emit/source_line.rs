//! The line of a YAML file beside the spec that a node of one of its documents is written
//! on, read from the text as its author laid it out: a copy of the file is written in
//! fleetc's own layout, and `fleetc why` on a line of the copy names the author's line.

/// The 1-based line of `text` where node `pointer` of document `document` (counting only
/// documents that hold something) is written, or where the document starts when the node
/// cannot be told.
pub(crate) fn source_line(text: &str, document: usize, pointer: &[String]) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    let range = documents(&lines).into_iter().nth(document)?;
    let mut at = range.start;
    let mut found = at;
    for part in pointer {
        let next = match part.parse::<usize>() {
            Ok(index) => item(&lines[..range.end], at, found, index),
            Err(_) => entry(&lines[..range.end], at, part),
        };
        let Some(line) = next else { break };
        found = line;
        at = line;
    }
    Some(found + 1)
}

/// The line ranges of the documents that hold something other than comments.
fn documents(lines: &[&str]) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for (index, line) in lines.iter().enumerate().chain([(lines.len(), &"---")]) {
        if *line == "---" || line.starts_with("--- ") {
            let content = (start..index).find(|&i| is_content(lines[i]));
            if let Some(first) = content {
                ranges.push(first..index);
            }
            start = index + 1;
        }
    }
    ranges
}

fn is_content(line: &str) -> bool {
    let trimmed = line.trim();
    !trimmed.is_empty() && !trimmed.starts_with('#') && trimmed != "..."
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The first line from `from` on that writes key `key` (`key:`, quoted or not, or as the first
/// key of a list item).
fn entry(lines: &[&str], from: usize, key: &str) -> Option<usize> {
    let spellings = [
        format!("{key}:"),
        format!("\"{key}\":"),
        format!("'{key}':"),
    ];
    (from..lines.len()).find(|&i| {
        let trimmed = lines[i].trim_start();
        let trimmed = trimmed.strip_prefix("- ").unwrap_or(trimmed).trim_start();
        spellings.iter().any(|s| trimmed.starts_with(s.as_str()))
    })
}

/// The line item `index` of the block list after the key on line `key` starts on.
fn item(lines: &[&str], from: usize, key: usize, index: usize) -> Option<usize> {
    let parent = indent(lines[key]);
    let mut items = (from + 1..lines.len())
        .take_while(|&i| {
            let line = lines[i];
            let compact_item = indent(line) == parent && line.trim_start().starts_with('-');
            !is_content(line) || indent(line) > parent || compact_item
        })
        .filter(|&i| lines[i].trim_start().starts_with('-'));
    let first = items.next()?;
    let column = indent(lines[first]);
    std::iter::once(first)
        .chain(items.filter(|&i| indent(lines[i]) == column))
        .nth(index)
}

#[cfg(test)]
mod tests {
    use super::source_line;

    const TEXT: &str = "# A budget and a config\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: orders\nspec:\n  minAvailable: 1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  items:\n    - name: a\n      on: \"true\"\n    - name: b\n      on: \"false\"\n";

    fn line(document: usize, pointer: &[&str]) -> Option<usize> {
        let pointer: Vec<String> = pointer.iter().map(|s| (*s).to_owned()).collect();
        source_line(TEXT, document, &pointer)
    }

    #[test]
    fn a_node_is_found_on_the_line_its_author_wrote_it() {
        assert_eq!(line(0, &[]), Some(2));
        assert_eq!(line(0, &["spec", "minAvailable"]), Some(7));
        assert_eq!(line(1, &["metadata", "name"]), Some(12));
        assert_eq!(line(1, &["data", "items", "1", "on"]), Some(18));
        assert_eq!(line(1, &["data", "items", "0"]), Some(15));
    }

    #[test]
    fn a_node_that_cannot_be_told_falls_back_to_what_holds_it() {
        assert_eq!(line(0, &["spec", "missing"]), Some(6));
        assert_eq!(line(2, &[]), None);
    }
}
