//! HCL as `terraform fmt` writes it: two-space indents, the `=` of consecutive one-line
//! attributes aligned, a blank line between blocks, multi-line lists and maps set apart.

/// A block with one-line attributes, then list attributes, each optionally commented.
pub(super) struct Block {
    pub kind: &'static str,
    pub labels: Vec<String>,
    /// Attribute groups; a blank line separates groups.
    pub groups: Vec<Vec<(String, Value, Option<String>)>>,
}

pub(super) enum Value {
    Text(String),
    List(Vec<String>),
    /// A map of quoted keys to lists, each entry's list on lines of its own.
    Map(Vec<(String, Vec<String>)>),
}

/// The lines a block's attribute was written on, counted from 1 as an editor counts them.
pub(super) struct Written {
    pub block: usize,
    /// The attribute, or `None` for the block as a whole.
    pub key: Option<String>,
    /// The key of the map entry, for the lines of one entry of a map attribute.
    pub entry: Option<String>,
    pub lines: std::ops::RangeInclusive<usize>,
}

/// The text of `blocks` after `header`, with the lines each block and each of its attributes
/// was written on.
pub(super) fn render(header: &str, blocks: &[Block]) -> (String, Vec<Written>) {
    let mut out = String::from(header);
    let mut written = Vec::new();
    let line = |out: &String| out.matches('\n').count() + 1;
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(block.kind);
        for label in &block.labels {
            out.push(' ');
            out.push_str(&quote(label));
        }
        out.push_str(" {\n");
        let opened = line(&out) - 1;
        for (g, group) in block.groups.iter().enumerate() {
            if g > 0 {
                out.push('\n');
            }
            let width = group
                .iter()
                .filter(|(_, value, _)| matches!(value, Value::Text(_)))
                .map(|(key, _, _)| key.len())
                .max()
                .unwrap_or(0);
            for (key, value, comment) in group {
                if let Some(comment) = comment {
                    out.push_str(&format!("  # {comment}\n"));
                }
                let first = line(&out);
                match value {
                    Value::Text(text) => {
                        out.push_str(&format!("  {key:<width$} = {}\n", quote(text)));
                    }
                    Value::List(items) if items.is_empty() => {
                        out.push_str(&format!("  {key} = []\n"));
                    }
                    Value::List(items) => {
                        out.push_str(&format!("  {key} = [\n"));
                        list_items(&mut out, items, "    ");
                        out.push_str("  ]\n");
                    }
                    Value::Map(entries) if entries.is_empty() => {
                        out.push_str(&format!("  {key} = {{}}\n"));
                    }
                    Value::Map(entries) => {
                        out.push_str(&format!("  {key} = {{\n"));
                        for (entry, items) in entries {
                            let from = line(&out);
                            out.push_str(&format!("    {} = [\n", quote(entry)));
                            list_items(&mut out, items, "      ");
                            out.push_str("    ]\n");
                            written.push(Written {
                                block: i,
                                key: Some(key.clone()),
                                entry: Some(entry.clone()),
                                lines: from..=line(&out) - 1,
                            });
                        }
                        out.push_str("  }\n");
                    }
                }
                written.push(Written {
                    block: i,
                    key: Some(key.clone()),
                    entry: None,
                    lines: first..=line(&out) - 1,
                });
            }
        }
        out.push_str("}\n");
        written.push(Written {
            block: i,
            key: None,
            entry: None,
            lines: opened..=line(&out) - 1,
        });
    }
    (out, written)
}

/// The items of a multi-line list, one per line after `indent`, each with its comma.
fn list_items(out: &mut String, items: &[String], indent: &str) {
    for item in items {
        out.push_str(&format!("{indent}{},\n", quote(item)));
    }
}

/// A quoted HCL string: quotes and backslashes escaped, template sequences made literal.
pub(super) fn quote(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
        .replace("${", "$${")
        .replace("%{", "%%{");
    format!("\"{escaped}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_attribute_is_marked_with_the_lines_it_was_written_on() {
        let blocks = [Block {
            kind: "module",
            labels: vec!["a".to_owned()],
            groups: vec![
                vec![(
                    "source".to_owned(),
                    Value::Text("x".to_owned()),
                    Some("c".to_owned()),
                )],
                vec![(
                    "list".to_owned(),
                    Value::List(vec!["1".to_owned(), "2".to_owned()]),
                    None,
                )],
            ],
        }];
        let (text, written) = render("# head\n", &blocks);
        let lines: Vec<&str> = text.lines().collect();
        let of = |key: Option<&str>| {
            let w = written.iter().find(|w| w.key.as_deref() == key).unwrap();
            lines[w.lines.start() - 1..*w.lines.end()].join("\n")
        };
        assert_eq!(of(Some("source")), "  source = \"x\"");
        assert_eq!(of(Some("list")), "  list = [\n    \"1\",\n    \"2\",\n  ]");
        assert!(of(None).starts_with("module \"a\" {") && of(None).ends_with('}'));
    }

    #[test]
    fn a_map_writes_each_entrys_list_on_lines_of_its_own() {
        let entries = vec![
            ("arn:a".to_owned(), vec!["s:1".to_owned(), "s:2".to_owned()]),
            ("arn:b".to_owned(), vec!["s:3".to_owned()]),
        ];
        let blocks = [Block {
            kind: "module",
            labels: vec!["m".to_owned()],
            groups: vec![vec![("roles".to_owned(), Value::Map(entries), None)]],
        }];
        let (text, written) = render("", &blocks);
        assert_eq!(
            text,
            "module \"m\" {\n  roles = {\n    \"arn:a\" = [\n      \"s:1\",\n      \"s:2\",\n    ]\n    \"arn:b\" = [\n      \"s:3\",\n    ]\n  }\n}\n"
        );
        let lines = |entry: Option<&str>| {
            written
                .iter()
                .find(|w| w.key.as_deref() == Some("roles") && w.entry.as_deref() == entry)
                .map(|w| w.lines.clone())
        };
        assert_eq!(lines(Some("arn:a")), Some(3..=6));
        assert_eq!(lines(Some("arn:b")), Some(7..=9));
        assert_eq!(lines(None), Some(2..=10));
    }
}
