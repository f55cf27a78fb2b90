//! Arrays edited in the layout the file already gives them: on one line or one element per
//! line, the space inside the brackets kept.

use toml_edit::{Array, Value};

/// Appends `value` laid out like the elements before it.
pub(crate) fn push(array: &mut Array, mut value: Value) {
    if let Some(last) = array.iter().last() {
        let prefix = decor_text(last.decor().prefix());
        let prefix = if prefix.contains('\n') {
            // One element per line: the new one goes on its own line, indented the same, but
            // without the comment lines above the last one.
            let indent = prefix.rsplit('\n').next().unwrap_or_default();
            format!("\n{indent}")
        } else {
            " ".to_owned()
        };
        value.decor_mut().set_prefix(prefix);
        // The space before `]` belongs to the last element when there is no trailing comma.
        let suffix = decor_text(last.decor().suffix());
        if !array.trailing_comma() && !suffix.is_empty() && suffix.trim().is_empty() {
            value.decor_mut().set_suffix(suffix);
            if let Some(last) = array.iter_mut().last() {
                last.decor_mut().set_suffix("");
            }
        }
    }
    array.push_formatted(value);
}

/// Removes the element at `index`; the next one takes its place in the layout (the space
/// after `[`, the comments above it), and the last one the space before `]`.
pub(crate) fn remove(array: &mut Array, index: usize) -> Value {
    let removed = array.remove(index);
    let prefix = decor_text(removed.decor().prefix());
    let suffix = decor_text(removed.decor().suffix());
    if index == 0
        && let Some(first) = array.get_mut(0)
    {
        first.decor_mut().set_prefix(prefix);
    }
    if index == array.len()
        && !suffix.is_empty()
        && suffix.trim().is_empty()
        && let Some(last) = array.iter_mut().last()
    {
        last.decor_mut().set_suffix(suffix);
    }
    removed
}

fn decor_text(raw: Option<&toml_edit::RawString>) -> String {
    raw.and_then(|r| r.as_str()).unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use toml_edit::DocumentMut;

    use super::*;

    fn edit(text: &str, change: impl FnOnce(&mut Array)) -> String {
        let mut doc: DocumentMut = text.parse().unwrap();
        change(doc["a"].as_array_mut().unwrap());
        doc.to_string()
    }

    #[test]
    fn a_pushed_element_follows_the_layout_of_its_siblings() {
        let cases = [
            ("a = [\"x\"]\n", "a = [\"x\", \"y\"]\n"),
            ("a = [ \"x\" ]\n", "a = [ \"x\", \"y\" ]\n"),
            ("a = []\n", "a = [\"y\"]\n"),
            ("a = [\n  \"x\",\n]\n", "a = [\n  \"x\",\n  \"y\",\n]\n"),
            (
                "a = [\n  # first\n  \"x\"\n]\n",
                "a = [\n  # first\n  \"x\",\n  \"y\"\n]\n",
            ),
        ];
        for (before, after) in cases {
            assert_eq!(
                edit(before, |a| push(a, Value::from("y"))),
                after,
                "{before}"
            );
        }
    }

    #[test]
    fn a_removed_element_leaves_the_layout_of_the_rest() {
        let cases = [
            ("a = [\"x\", \"y\", \"z\"]\n", 0, "a = [\"y\", \"z\"]\n"),
            ("a = [ \"x\", \"y\" ]\n", 1, "a = [ \"x\" ]\n"),
            ("a = [ \"x\" ]\n", 0, "a = []\n"),
            (
                "a = [\n  # lead\n  \"x\",\n  \"y\",\n]\n",
                0,
                "a = [\n  # lead\n  \"y\",\n]\n",
            ),
        ];
        for (before, index, after) in cases {
            assert_eq!(
                edit(before, |a| {
                    remove(a, index);
                }),
                after,
                "{before}"
            );
        }
    }
}
