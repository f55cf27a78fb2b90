use std::ops::Range;

use super::expand::{Args, expand};
use super::instructions::read_instructions;
use super::located::Located;

/// One `FROM` instruction, with its image reference resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromLine {
    /// 1-based line the instruction starts on.
    pub line: usize,
    /// The reference as written (`python:${PY}`).
    pub written: String,
    /// The reference after `ARG` substitution, each byte knowing where in the file it is.
    pub reference: Located,
    pub image: ImageParts,
    pub stage: Option<String>,
}

impl FromLine {
    /// The bytes of the file that hold the tag: in the `FROM` itself, in the default of the
    /// `ARG` that supplies it, or in both.
    pub fn tag_sources(&self) -> Vec<Range<usize>> {
        split_reference(self.reference.as_str())
            .tag
            .map_or_else(Vec::new, |range| self.reference.sources(range))
    }

    /// The bytes of the file that hold the digest (without its `@`).
    pub fn digest_sources(&self) -> Vec<Range<usize>> {
        split_reference(self.reference.as_str())
            .digest
            .map_or_else(Vec::new, |range| self.reference.sources(range))
    }

    /// The bytes of the file that hold the digest and the `@` before it.
    pub fn pin_sources(&self) -> Vec<Range<usize>> {
        split_reference(self.reference.as_str())
            .digest
            .map_or_else(Vec::new, |range| {
                self.reference.sources(range.start - 1..range.end)
            })
    }
}

/// `registry/repo:tag@digest`, split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageParts {
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

/// Where the parts of a reference are in it.
struct ReferenceParts {
    repository: Range<usize>,
    tag: Option<Range<usize>>,
    digest: Option<Range<usize>>,
}

fn split_reference(reference: &str) -> ReferenceParts {
    let (name_end, digest) = match reference.find('@') {
        Some(at) => (at, Some(at + 1..reference.len())),
        None => (reference.len(), None),
    };
    // A colon after the last slash separates the tag; one before it is a registry port.
    let last_slash = reference[..name_end].rfind('/').map_or(0, |i| i + 1);
    match reference[last_slash..name_end].rfind(':') {
        Some(colon) => ReferenceParts {
            repository: 0..last_slash + colon,
            tag: Some(last_slash + colon + 1..name_end),
            digest,
        },
        None => ReferenceParts {
            repository: 0..name_end,
            tag: None,
            digest,
        },
    }
}

impl ImageParts {
    pub fn parse(reference: &str) -> Self {
        let parts = split_reference(reference);
        let text = |range: Range<usize>| reference[range].to_owned();
        Self {
            repository: text(parts.repository),
            tag: parts.tag.map(text),
            digest: parts.digest.map(text),
        }
    }

    /// Whether this is `image` (a repository path such as `platform/python`, registry host
    /// optional), on whatever registry host: `platform/python` is not `library/python`.
    pub fn is_image(&self, image: &str) -> bool {
        self.path() == ImageParts::parse(image.trim_matches('/')).path()
    }

    /// The repository without its registry host (`registry.example.com:5000/a/b` → `a/b`).
    pub fn path(&self) -> &str {
        match self.repository.split_once('/') {
            Some((host, path)) if host.contains(['.', ':']) || host == "localhost" => path,
            _ => &self.repository,
        }
    }
}

/// Every `FROM` of a Dockerfile that names an image rather than an earlier stage. Global
/// `ARG`s (before the first `FROM`) supply defaults, each able to use the ones before it;
/// later `ARG`s do not apply to `FROM`, as in Docker.
pub fn parse_from_lines(text: &str) -> Vec<FromLine> {
    let instructions = read_instructions(text);
    let escape = instructions.escape;
    let mut args = Args::new();
    let mut stages: Vec<String> = Vec::new();
    let mut seen_from = false;
    let mut found = Vec::new();
    for instruction in &instructions.list {
        match instruction.keyword.as_str() {
            "ARG" if !seen_from => {
                for declaration in &instruction.words {
                    let written = declaration.as_str();
                    let (name, value) = match written.find('=') {
                        Some(eq) => (
                            &written[..eq],
                            Some(expand(
                                &declaration.slice(eq + 1..written.len()),
                                &args,
                                escape,
                            )),
                        ),
                        None => (written, None),
                    };
                    args.insert(name.to_owned(), value);
                }
            }
            "FROM" => {
                seen_from = true;
                let mut words = instruction
                    .words
                    .iter()
                    .filter(|w| !w.as_str().starts_with("--"));
                let Some(written) = words.next() else {
                    continue;
                };
                let stage = match (words.next(), words.next()) {
                    (Some(as_word), Some(name)) if as_word.as_str().eq_ignore_ascii_case("as") => {
                        Some(name.as_str().to_owned())
                    }
                    _ => None,
                };
                let reference = expand(written, &args, escape);
                let earlier_stage = stages
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(reference.as_str()));
                stages.extend(stage.clone());
                if earlier_stage {
                    continue;
                }
                found.push(FromLine {
                    line: instruction.line,
                    written: written.as_str().to_owned(),
                    image: ImageParts::parse(reference.as_str()),
                    reference,
                    stage,
                });
            }
            _ => {}
        }
    }
    found
}

#[cfg(test)]
// Lists of one run of bytes are what these tests expect, not ranges to collect.
#[allow(clippy::single_range_in_vec_init)]
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
        let version_at = text.find("3.11").unwrap();
        assert_eq!(lines[0].tag_sources(), [version_at..version_at + 4]);
        assert_eq!(lines[0].stage.as_deref(), Some("build"));
        assert_eq!(lines[1].line, 7);
        assert_eq!(lines[1].image.tag.as_deref(), Some("3.12"));
        assert_eq!(lines[1].image.digest.as_deref(), Some("sha256:abc"));
        let digest_at = text.find("@sha256:abc").unwrap();
        assert_eq!(lines[1].pin_sources(), [digest_at..digest_at + 11]);
        assert_eq!(lines[1].digest_sources(), [digest_at + 1..digest_at + 11]);
        assert!(lines[1].image.is_image("platform/python"));
        assert!(
            lines[1]
                .image
                .is_image("registry.other.example/platform/python")
        );
        assert!(!lines[1].image.is_image("python"));
    }

    #[test]
    fn an_image_held_whole_in_an_arg_is_resolved_to_the_arg_default() {
        let text = "ARG REG=r.example\nARG IMG=\"${REG}/platform/python:3.11-r9\"\nFROM $IMG AS runtime\nARG LATE=x\nFROM $LATE\n";
        let lines = parse_from_lines(text);
        assert_eq!(lines[0].written, "$IMG");
        assert_eq!(
            lines[0].reference.as_str(),
            "r.example/platform/python:3.11-r9"
        );
        assert_eq!(lines[0].stage.as_deref(), Some("runtime"));
        let at = text.find("3.11-r9").unwrap();
        assert_eq!(lines[0].tag_sources(), [at..at + 7]);
        assert_eq!(
            lines[1].reference.as_str(),
            "",
            "an ARG inside a stage is not global"
        );
    }

    #[test]
    fn a_fallback_written_in_the_from_holds_the_tag() {
        let text = "ARG PY\nFROM platform/python:${PY:-3.11}\n";
        let lines = parse_from_lines(text);
        assert_eq!(lines[0].image.tag.as_deref(), Some("3.11"));
        let at = text.find("3.11").unwrap();
        assert_eq!(lines[0].tag_sources(), [at..at + 4]);
    }

    #[test]
    fn stage_names_are_matched_without_case() {
        let lines = parse_from_lines("FROM a:1 AS Build\nFROM build\nFROM BUILD AS x\n");
        assert_eq!(lines.len(), 1);
    }

    #[test]
    fn splits_registry_ports_from_tags() {
        let image = ImageParts::parse("host:5000/base/go");
        assert_eq!(image.repository, "host:5000/base/go");
        assert_eq!(image.tag, None);
        let image = ImageParts::parse("host:5000/base/go@sha256:a:b");
        assert_eq!(image.repository, "host:5000/base/go");
        assert_eq!(image.digest.as_deref(), Some("sha256:a:b"));
    }
}
