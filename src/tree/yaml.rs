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

#[cfg(test)]
mod tests {
    use super::to_yaml;
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
}
