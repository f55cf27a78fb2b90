use std::collections::HashMap;

/// One `FROM` instruction, with its image reference resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromLine {
    /// 1-based line the instruction starts on.
    pub line: usize,
    /// The reference as written (`python:${PY}`).
    pub written: String,
    /// The reference after `ARG` substitution.
    pub image: ImageParts,
    /// Where the tag came from, when it is an `ARG` default: the line of that `ARG` and its name.
    pub tag_arg: Option<(usize, String)>,
    pub stage: Option<String>,
}

/// `registry/repo:tag@digest`, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageParts {
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageParts {
    pub fn parse(reference: &str) -> Self {
        let (rest, digest) = match reference.split_once('@') {
            Some((rest, digest)) => (rest, Some(digest.to_owned())),
            None => (reference, None),
        };
        // A colon after the last slash separates the tag; one before it is a registry port.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (repository, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => (
                &rest[..last_slash + i],
                Some(rest[last_slash + i + 1..].to_owned()),
            ),
            None => (rest, None),
        };
        Self {
            repository: repository.to_owned(),
            tag,
            digest,
        }
    }

    /// Whether this is `image` (a repository path such as `platform/python`), on whatever
    /// registry host: `platform/python` is not `library/python`.
    pub fn is_image(&self, image: &str) -> bool {
        self.path() == image.trim_matches('/')
    }

    /// The repository without its registry host (`registry.example.com:5000/a/b` → `a/b`).
    pub fn path(&self) -> &str {
        match self.repository.split_once('/') {
            Some((host, path)) if host.contains(['.', ':']) || host == "localhost" => path,
            _ => &self.repository,
        }
    }
}

/// Every `FROM` of a Dockerfile. Global `ARG`s (before the first `FROM`) supply defaults;
/// later `ARG`s do not apply to `FROM`, as in Docker.
pub fn parse_from_lines(text: &str) -> Vec<FromLine> {
    let mut args: HashMap<String, (usize, String)> = HashMap::new();
    let mut stages: Vec<String> = Vec::new();
    let mut found = Vec::new();
    for (line, instruction) in instructions(text) {
        let mut words = instruction.split_whitespace();
        let Some(keyword) = words.next() else {
            continue;
        };
        match keyword.to_ascii_uppercase().as_str() {
            "ARG" if found.is_empty() => {
                for declaration in words {
                    let (name, default) = declaration.split_once('=').unwrap_or((declaration, ""));
                    let default = default.trim_matches(|c| c == '"' || c == '\'');
                    args.insert(name.to_owned(), (line, default.to_owned()));
                }
            }
            "FROM" => {
                let rest: Vec<&str> = words.filter(|w| !w.starts_with("--")).collect();
                let Some(written) = rest.first() else {
                    continue;
                };
                let stage = match rest.as_slice() {
                    [_, as_word, name, ..] if as_word.eq_ignore_ascii_case("as") => {
                        Some((*name).to_owned())
                    }
                    _ => None,
                };
                let (resolved, used) = substitute(written, &args);
                if stages.iter().any(|s| s == &resolved) {
                    // Built on an earlier stage of this file, not on an image.
                    if let Some(stage) = stage {
                        stages.push(stage);
                    }
                    continue;
                }
                let image = ImageParts::parse(&resolved);
                let tag_arg = used
                    .into_iter()
                    .find(|name| {
                        written
                            .split_once(':')
                            .is_some_and(|(_, tag)| tag.contains(name.as_str()))
                    })
                    .and_then(|name| args.get(&name).map(|(l, _)| (*l, name.clone())));
                if let Some(stage) = &stage {
                    stages.push(stage.clone());
                }
                found.push(FromLine {
                    line,
                    written: (*written).to_owned(),
                    image,
                    tag_arg,
                    stage,
                });
            }
            _ => {}
        }
    }
    found
}

/// Instructions with their first line, continuation lines joined, comments dropped.
fn instructions(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if current.is_none() && (trimmed.is_empty() || trimmed.starts_with('#')) {
            continue;
        }
        let (continues, body) = match trimmed.strip_suffix('\\') {
            Some(body) => (true, body),
            None => (false, trimmed),
        };
        let entry = current.get_or_insert_with(|| (i + 1, String::new()));
        entry.1.push_str(body);
        entry.1.push(' ');
        if !continues {
            out.extend(current.take());
        }
    }
    out.extend(current);
    out
}

/// `$NAME`, `${NAME}` and `${NAME:-default}` replaced by global `ARG` values.
fn substitute(text: &str, args: &HashMap<String, (usize, String)>) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut used = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('$') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let (name, fallback, consumed) = if let Some(braced) = after.strip_prefix('{') {
            let Some(end) = braced.find('}') else {
                out.push_str(&rest[start..]);
                return (out, used);
            };
            let inner = &braced[..end];
            let (name, fallback) = match inner.split_once(":-") {
                Some((name, fallback)) => (name, Some(fallback)),
                None => (inner, None),
            };
            (name, fallback, end + 2)
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], None, end)
        };
        match args
            .get(name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
        {
            Some(value) => out.push_str(value),
            None => out.push_str(fallback.unwrap_or("")),
        }
        used.push(name.to_owned());
        rest = &after[consumed..];
    }
    out.push_str(rest);
    (out, used)
}

#[cfg(test)]
mod tests {
    use super::{ImageParts, parse_from_lines};

    #[test]
    fn reads_multi_stage_builds_with_args_platforms_and_registries() {
        let text = "\
# syntax=docker/dockerfile:1
ARG PY_VERSION=3.11
ARG REGISTRY=registry.example.com:5000
FROM --platform=$BUILDPLATFORM ${REGISTRY}/platform/python:${PY_VERSION} AS build
RUN pip install .
FROM build AS test
FROM registry.example.com/platform/python:3.12@sha256:abc \\
  AS runtime
COPY --from=build /app /app
";
        let lines = parse_from_lines(text);
        assert_eq!(lines.len(), 2, "{lines:#?}");
        assert_eq!(lines[0].line, 4);
        assert_eq!(
            lines[0].image,
            ImageParts {
                repository: "registry.example.com:5000/platform/python".into(),
                tag: Some("3.11".into()),
                digest: None
            }
        );
        assert_eq!(lines[0].tag_arg, Some((2, "PY_VERSION".into())));
        assert_eq!(lines[0].stage.as_deref(), Some("build"));
        assert_eq!(lines[1].line, 7);
        assert_eq!(lines[1].image.tag.as_deref(), Some("3.12"));
        assert_eq!(lines[1].image.digest.as_deref(), Some("sha256:abc"));
        assert!(lines[1].image.is_image("platform/python"));
        assert!(!lines[1].image.is_image("python"));
    }

    #[test]
    fn splits_registry_ports_from_tags() {
        let image = ImageParts::parse("host:5000/base/go");
        assert_eq!(image.repository, "host:5000/base/go");
        assert_eq!(image.tag, None);
    }
}
