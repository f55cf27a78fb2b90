//! Files beside the spec are copied into the tree, which lives in Git like the spec: a value
//! holding a credential (a password in a URL or a connection string, a private key, a token of
//! a well-known shape) is refused there as it is in the spec's variables.

use serde_json::Value;

use crate::formats::secret_value::credential_in;

/// The first value of `documents` that holds a credential: where (`document 1, data.DB_URL`)
/// and what it holds.
pub(super) fn credential(documents: &[Value]) -> Option<(String, &'static str)> {
    documents.iter().enumerate().find_map(|(index, document)| {
        let (path, what) = in_value(document, &mut Vec::new())?;
        Some((format!("document {}, `{path}`", index + 1), what))
    })
}

/// The first line of a configuration file that holds a credential: where (`line 3`) and what.
pub(super) fn credential_in_text(text: &str) -> Option<(String, &'static str)> {
    text.lines()
        .enumerate()
        .find_map(|(index, line)| Some((format!("line {}", index + 1), credential_in(line)?)))
}

fn in_value(value: &Value, at: &mut Vec<String>) -> Option<(String, &'static str)> {
    match value {
        Value::String(text) => credential_in(text).map(|what| (at.join("."), what)),
        Value::Array(items) => items.iter().enumerate().find_map(|(index, item)| {
            at.push(index.to_string());
            let found = in_value(item, at);
            at.pop();
            found
        }),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            at.push(key.clone());
            let found = in_value(item, at);
            at.pop();
            found
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{credential, credential_in_text};

    #[test]
    fn a_password_anywhere_in_a_file_is_found_with_its_place() {
        let config = json!({ "kind": "ConfigMap", "data": { "DB_URL": "postgres://app:hunter22@db:5432/app" } });
        let (at, what) = credential(&[json!({ "kind": "ConfigMap" }), config]).unwrap();
        assert_eq!(at, "document 2, `data.DB_URL`");
        assert_eq!(what, "a password in a URL's user info");
        assert!(credential(&[json!({ "data": { "URL": "https://db.example/app" } })]).is_none());
    }

    #[test]
    fn a_credential_in_a_configuration_file_is_found_by_its_line() {
        let text = "server:\n  port: 8080\ndatabase: postgres://app:hunter22@db:5432/app\n";
        let (at, what) = credential_in_text(text).unwrap();
        assert_eq!(at, "line 3");
        assert_eq!(what, "a password in a URL's user info");
        assert!(credential_in_text("server:\n  port: 8080\n").is_none());
    }
}
