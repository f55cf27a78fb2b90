//! `configMapGenerator` and `secretGenerator`: the objects kustomize makes from literals, files
//! and env files, and the content hash it appends to their names once the build is assembled.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::kustomization::{Generator, GeneratorOptions, Kustomization};
use super::names;
use crate::tree::Tree;

pub(super) fn generate(
    tree: &Tree,
    dir: &str,
    kustomization: &Kustomization,
    documents: &mut Vec<Value>,
) -> Result<(), String> {
    let global = kustomization.generator_options.clone().unwrap_or_default();
    if global.immutable.is_some() {
        return Err("generatorOptions.immutable is not supported".into());
    }
    let kinds = [
        ("ConfigMap", &kustomization.config_map_generator),
        ("Secret", &kustomization.secret_generator),
    ];
    for (kind, generators) in kinds {
        for generator in generators {
            let options = options(&global, generator.options.as_ref())?;
            let made = make(tree, dir, kind, generator, &options)
                .map_err(|e| format!("{kind} generator `{}`: {e}", generator.name))?;
            place(documents, made, generator)?;
        }
    }
    Ok(())
}

/// A generator's own options over the kustomization's.
fn options(
    global: &GeneratorOptions,
    own: Option<&GeneratorOptions>,
) -> Result<GeneratorOptions, String> {
    let mut merged = global.clone();
    if let Some(own) = own {
        if own.immutable.is_some() {
            return Err("generator option immutable is not supported".into());
        }
        merged.labels.extend(own.labels.clone());
        merged.annotations.extend(own.annotations.clone());
        merged.disable_name_suffix_hash = own
            .disable_name_suffix_hash
            .or(global.disable_name_suffix_hash);
    }
    Ok(merged)
}

fn make(
    tree: &Tree,
    dir: &str,
    kind: &str,
    generator: &Generator,
    options: &GeneratorOptions,
) -> Result<Value, String> {
    let data = data(tree, dir, generator)?;
    let mut metadata = Map::new();
    metadata.insert("name".into(), json!(generator.name));
    if let Some(namespace) = &generator.namespace {
        metadata.insert("namespace".into(), json!(namespace));
    }
    for (key, pairs) in [
        ("labels", &options.labels),
        ("annotations", &options.annotations),
    ] {
        if !pairs.is_empty() {
            metadata.insert(key.into(), json!(pairs));
        }
    }
    let mut object = json!({ "apiVersion": "v1", "kind": kind, "metadata": metadata });
    let mut text = Map::new();
    let mut binary = Map::new();
    for (key, bytes) in data {
        match (kind, String::from_utf8(bytes)) {
            ("Secret", Ok(utf8)) => text.insert(key, json!(base64(utf8.as_bytes()))),
            ("Secret", Err(e)) => text.insert(key, json!(base64(e.as_bytes()))),
            (_, Ok(utf8)) => text.insert(key, json!(utf8)),
            (_, Err(e)) => binary.insert(key, json!(base64(e.as_bytes()))),
        };
    }
    if !text.is_empty() {
        object["data"] = Value::Object(text);
    }
    if !binary.is_empty() {
        object["binaryData"] = Value::Object(binary);
    }
    if kind == "Secret" {
        object["type"] = json!(generator.secret_type.as_deref().unwrap_or("Opaque"));
    }
    if !options.disable_name_suffix_hash.unwrap_or(false) {
        names::mark_for_hash(&mut object);
    }
    Ok(object)
}

/// Adds a made object, or merges it into the one of its name (`behavior: merge`, `replace`).
fn place(documents: &mut Vec<Value>, made: Value, generator: &Generator) -> Result<(), String> {
    let behavior = generator.behavior.as_deref().unwrap_or("create");
    let existing = documents
        .iter_mut()
        .find(|d| d["kind"] == made["kind"] && names::known_as(d, &generator.name));
    match (behavior, existing) {
        ("create", None) => documents.push(made),
        ("create", Some(_)) => {
            return Err(format!(
                "generator `{}` makes an object that already exists",
                generator.name
            ));
        }
        ("merge" | "replace", Some(existing)) => {
            for key in ["labels", "annotations"] {
                if let Some(Value::Object(pairs)) = made["metadata"].get(key) {
                    for (k, v) in pairs {
                        existing["metadata"][key][k] = v.clone();
                    }
                }
            }
            for key in ["data", "binaryData"] {
                if behavior == "replace"
                    && let Value::Object(fields) = existing
                {
                    fields.remove(key);
                }
                if let Some(Value::Object(pairs)) = made.get(key) {
                    for (k, v) in pairs {
                        existing[key][k] = v.clone();
                    }
                }
            }
        }
        (other, _) => {
            return Err(format!(
                "generator `{}`: behavior `{other}` has no object to work on",
                generator.name
            ));
        }
    }
    Ok(())
}

/// The keys and contents a generator lists, from literals, env files and files.
fn data(
    tree: &Tree,
    dir: &str,
    generator: &Generator,
) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut data = BTreeMap::new();
    for literal in &generator.literals {
        let (key, value) = literal
            .split_once('=')
            .ok_or_else(|| format!("literal `{literal}` is not KEY=VALUE"))?;
        data.insert(key.to_owned(), unquoted(value).as_bytes().to_vec());
    }
    for env in generator.envs.iter().chain(&generator.env) {
        let text = super::files::text(tree, &inside(dir, env)?)?;
        for line in text.trim_start_matches('\u{feff}').lines() {
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = line.split_once('=').ok_or_else(|| {
                format!(
                    "`{env}`: `{line}` takes its value from the environment, which is not supported"
                )
            })?;
            data.insert(key.to_owned(), value.as_bytes().to_vec());
        }
    }
    for file in &generator.files {
        let (key, relative) = match file.split_once('=') {
            Some((key, relative)) => (key.to_owned(), relative),
            None => (
                file.rsplit('/').next().unwrap_or(file).to_owned(),
                file.as_str(),
            ),
        };
        let path = inside(dir, relative)?;
        let bytes = tree
            .get(&path)
            .ok_or_else(|| format!("file `{relative}` does not exist"))?;
        data.insert(key, bytes.to_vec());
    }
    Ok(data)
}

/// `dir/relative`, which kustomize reads only inside the kustomization's folder.
fn inside(dir: &str, relative: &str) -> Result<String, String> {
    let path = super::files::join(dir, relative)?;
    if dir.is_empty() || path.starts_with(&format!("{dir}/")) {
        Ok(path)
    } else {
        Err(format!(
            "`{relative}` is outside the kustomization's folder"
        ))
    }
}

fn unquoted(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

/// Appends its content hash to the name of each generated object that takes one.
pub(super) fn add_hashes(documents: &mut [Value]) {
    for document in documents.iter_mut().filter(|d| names::needs_hash(d)) {
        let name = document["metadata"]["name"].as_str().unwrap_or("");
        let hashed = format!("{name}-{}", hash(document));
        names::rename(document, &hashed);
    }
}

/// kustomize's hash of a ConfigMap or Secret: SHA-256 of Go's JSON encoding of its kind,
/// type and data (its name left empty, as kustomize leaves it), the first ten hex digits with
/// vowels and look-alike digits replaced.
pub(super) fn hash(document: &Value) -> String {
    let mut encoded: BTreeMap<&str, Value> = BTreeMap::new();
    encoded.insert("kind", document["kind"].clone());
    encoded.insert("name", json!(""));
    let sorted = |v: &Value| -> Value {
        v.as_object()
            .map_or(json!(""), |m| json!(m.iter().collect::<BTreeMap<_, _>>()))
    };
    encoded.insert("data", sorted(&document["data"]));
    if document["kind"] == "Secret" {
        encoded.insert("type", document["type"].clone());
    } else if document["binaryData"].is_object() {
        encoded.insert("binaryData", sorted(&document["binaryData"]));
    }
    let text = go_json(&json!(encoded));
    let digest = Sha256::digest(text.as_bytes());
    digest
        .iter()
        .take(5)
        .flat_map(|b| [b >> 4, b & 15])
        .map(|nibble| char::from_digit(u32::from(nibble), 16).unwrap_or('0'))
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            c => c,
        })
        .collect()
}

/// JSON as Go's `encoding/json` writes it: compact, with `<`, `>`, `&` and the line and
/// paragraph separators escaped.
fn go_json(value: &Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{base64, hash};

    #[test]
    fn hashes_equal_kubectl_kustomize_v5_suffixes() {
        let config = json!({ "kind": "ConfigMap", "metadata": { "name": "cfg" }, "data": { "B": "x y", "A": "1" } });
        assert_eq!(hash(&config), "g6b9tf6chb");
        let empty = json!({ "kind": "ConfigMap", "metadata": { "name": "empty" } });
        assert_eq!(hash(&empty), "6ct58987ht");
        let secret = json!({ "kind": "Secret", "type": "Opaque", "metadata": { "name": "sec" }, "data": { "P": base64(b"<&>") } });
        assert_eq!(hash(&secret), "88t6k5d4bg");
    }

    #[test]
    fn base64_pads_like_the_standard_encoding() {
        assert_eq!(base64(b"q r"), "cSBy");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
    }
}
