//! HCL as `terraform fmt` writes it: two-space indents, the `=` of consecutive one-line
//! attributes aligned, a blank line between blocks, multi-line lists set apart.

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
}

pub(super) fn render(header: &str, blocks: &[Block]) -> String {
    let mut out = String::from(header);
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
                match value {
                    Value::Text(text) => {
                        out.push_str(&format!("  {key:<width$} = {}\n", quote(text)));
                    }
                    Value::List(items) if items.is_empty() => {
                        out.push_str(&format!("  {key} = []\n"));
                    }
                    Value::List(items) => {
                        out.push_str(&format!("  {key} = [\n"));
                        for item in items {
                            out.push_str(&format!("    {},\n", quote(item)));
                        }
                        out.push_str("  ]\n");
                    }
                }
            }
        }
        out.push_str("}\n");
    }
    out
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
