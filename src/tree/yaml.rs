use serde_json::Value;

/// The comment every generated file opens with: where it came from, and not to edit it.
/// One YAML file of one or more documents, after the header.
pub(crate) fn file(header: &str, documents: &[Value]) -> Vec<u8> {
    joined(header, documents)
}

/// The documents of a file, one after the other, without its header.
pub(crate) fn body(documents: &[Value]) -> Vec<u8> {
    joined("", documents)
}

fn joined(header: &str, documents: &[Value]) -> Vec<u8> {
    const SEPARATOR: &str = "---\n";
    let texts: Vec<String> = documents.iter().map(to_yaml).collect();
    // Sized exactly: a tree holds every file it writes at once, and a buffer grown by
    // doubling would hold up to twice each file's bytes.
    let length = header.len()
        + texts.iter().map(String::len).sum::<usize>()
        + SEPARATOR.len() * texts.len().saturating_sub(1);
    let mut out = Vec::with_capacity(length);
    out.extend_from_slice(header.as_bytes());
    for (i, text) in texts.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(SEPARATOR.as_bytes());
        }
        out.extend_from_slice(text.as_bytes());
    }
    out
}

/// YAML that Kubernetes reads back exactly as meant: every string YAML 1.1 could take for a
/// boolean, number or null comes out quoted.
pub fn to_yaml(value: &Value) -> String {
    let mut options = serde_saphyr::SerializerOptions::default();
    // Long one-line values (image references, resource attributes) stay on one line; only
    // text with newlines becomes a block scalar.
    options.folded_wrap_chars = 1_000_000;
    let mut text = serde_saphyr::to_string_with_options(value, options)
        .expect("a JSON value always serializes to YAML");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// The document and node each line of a file's body writes (the file without its header),
/// counted as the writer lays them out: `None` for the `---` between documents.
pub(crate) fn nodes_of_lines(documents: &[Value]) -> Vec<Option<(usize, Vec<String>)>> {
    let mut lines = Vec::new();
    for (index, document) in documents.iter().enumerate() {
        if index > 0 {
            lines.push(None);
        }
        let mut nodes = Vec::new();
        node_lines(document, &mut Vec::new(), &mut nodes);
        lines.extend(nodes.into_iter().map(|node| Some((index, node))));
    }
    lines
}

/// A block mapping writes an entry's key on a line of its own when its value is a non-empty
/// list or mapping; a block list writes an item's first line after its `- `. Scalars take as
/// many lines as they do written alone (a text with newlines is a block scalar).
fn node_lines(value: &Value, pointer: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let nested = |value: &Value| match value {
        Value::Object(map) => !map.is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => false,
    };
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, child) in map {
                pointer.push(key.clone());
                if nested(child) {
                    out.push(pointer.clone());
                    node_lines(child, pointer, out);
                } else {
                    scalar_lines(child, pointer, out);
                }
                pointer.pop();
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (index, child) in items.iter().enumerate() {
                pointer.push(index.to_string());
                if nested(child) {
                    node_lines(child, pointer, out);
                } else {
                    scalar_lines(child, pointer, out);
                }
                pointer.pop();
            }
        }
        _ => scalar_lines(value, pointer, out),
    }
}

fn scalar_lines(value: &Value, pointer: &[String], out: &mut Vec<Vec<String>>) {
    let count = match value {
        Value::String(text) if text.contains('\n') => to_yaml(value).lines().count(),
        _ => 1,
    };
    out.extend(std::iter::repeat_n(pointer.to_vec(), count));
}

#[cfg(test)]
mod tests {
    use super::{body, nodes_of_lines, to_yaml};
    use serde_json::json;

    #[test]
    fn strings_yaml_1_1_would_misread_are_quoted() {
        let risky = [
            "yes",
            "Yes",
            "YES",
            "no",
            "No",
            "NO",
            "on",
            "On",
            "ON",
            "off",
            "Off",
            "OFF",
            "y",
            "Y",
            "n",
            "N",
            "true",
            "True",
            "false",
            "FALSE",
            "null",
            "Null",
            "NULL",
            "~",
            "",
            "0755",
            "0o17",
            "0x1F",
            "1e3",
            "1.5",
            "-1",
            "+1",
            ".5",
            "1_000",
            "12:30",
            ".inf",
            "-.Inf",
            ".NaN",
            "2026-01-01",
            "- x",
            "a: b",
            "#x",
            "@x",
            "*x",
            "&x",
            "!x",
            "%x",
            "|",
            ">",
            "[a]",
            "{a}",
            "'q'",
            "\"q\"",
        ];
        for text in risky {
            let yaml = to_yaml(&json!({ "value": text }));
            let line = yaml.trim_end();
            let scalar = line.strip_prefix("value: ").expect(line);
            assert!(
                scalar.starts_with('"') || scalar.starts_with('\''),
                "{text:?} came out unquoted as {scalar}"
            );
        }
    }

    #[test]
    fn plain_strings_stay_plain() {
        assert_eq!(to_yaml(&json!({ "name": "users" })), "name: users\n");
    }

    #[test]
    fn each_line_is_matched_to_the_node_it_writes() {
        let documents = [
            json!({
                "kind": "Patch",
                "spec": { "replicas": 3, "empty": {}, "none": [] },
                "env": [{ "name": "A", "value": "x" }, "plain", [1, 2]],
                "script": "line one\nline two\n",
                "last": null,
            }),
            json!(["a", { "b": { "c": 1 } }]),
        ];
        let text = String::from_utf8(body(&documents)).unwrap();
        let nodes = nodes_of_lines(&documents);
        assert_eq!(nodes.len(), text.lines().count(), "{text}");
        for (line, node) in text.lines().zip(&nodes) {
            let Some((_, pointer)) = node else {
                assert_eq!(line, "---");
                continue;
            };
            let last = pointer.last().map_or("", String::as_str);
            let named = last.parse::<usize>().is_ok()
                || line
                    .trim_start_matches([' ', '-'])
                    .starts_with(&format!("{last}:"))
                || pointer.iter().any(|p| p == "script");
            assert!(named, "{line:?} written for {pointer:?}\n{text}");
        }
        let at = |line: usize| nodes[line].as_ref().map(|(d, p)| (*d, p.join("/")));
        let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap();
        assert_eq!(at(line_of("value: x")), Some((0, "env/0/value".to_owned())));
        assert_eq!(at(line_of("line two")), Some((0, "script".to_owned())));
        assert_eq!(at(line_of("c: 1")), Some((1, "1/b/c".to_owned())));
    }
}
