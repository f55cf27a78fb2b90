use super::located::Located;

/// One instruction of a Dockerfile: its continuation lines joined, comments inside it dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Instruction {
    /// 1-based line the instruction starts on.
    pub line: usize,
    /// The keyword in upper case (`FROM`, `ARG`).
    pub keyword: String,
    /// The words after the keyword, split at whitespace outside quotes.
    pub words: Vec<Located>,
}

/// A Dockerfile read as Docker reads it: the `# escape=` parser directive, then instructions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Instructions {
    /// The character that continues a line and escapes the next one (`\`, or `` ` ``).
    pub escape: char,
    pub list: Vec<Instruction>,
}

/// Reads `text` into instructions. A line ending in the escape character (spaces after it
/// allowed) continues on the next; comment and empty lines inside a continuation are skipped;
/// the bodies of heredocs (`RUN <<EOF`) are not instructions.
pub(super) fn read_instructions(text: &str) -> Instructions {
    let lines = physical_lines(text);
    let escape = escape_directive(&lines);
    let mut list = Vec::new();
    let mut current: Option<(usize, Located)> = None;
    let mut heredocs: Vec<(String, bool)> = Vec::new();
    for (index, &(start, content)) in lines.iter().enumerate() {
        if let Some((terminator, strip_tabs)) = heredocs.first() {
            let line = if *strip_tabs {
                content.trim_start_matches('\t')
            } else {
                content
            };
            if line == terminator {
                heredocs.remove(0);
            }
            continue;
        }
        let trimmed = content.trim_start();
        if trimmed.starts_with('#') || trimmed.is_empty() {
            continue;
        }
        let kept = content.trim_end_matches([' ', '\t']);
        let (body, continues) = match kept.strip_suffix(escape) {
            Some(body) => (body, true),
            None => (content, false),
        };
        let (_, joined) = current.get_or_insert_with(|| (index + 1, Located::default()));
        joined.push_all(&Located::at(body, start));
        if !continues {
            let (line, joined) = current.take().expect("an instruction was started");
            if let Some(instruction) = instruction(line, &joined) {
                heredocs = heredoc_terminators(&instruction);
                list.push(instruction);
            }
        }
    }
    if let Some((line, joined)) = current {
        list.extend(instruction(line, &joined));
    }
    Instructions { escape, list }
}

/// Each line with the byte it starts at, without its line ending.
fn physical_lines(text: &str) -> Vec<(usize, &str)> {
    let mut start = 0;
    text.split('\n')
        .map(|line| {
            let at = start;
            start += line.len() + 1;
            (at, line.strip_suffix('\r').unwrap_or(line))
        })
        .collect()
}

/// The escape character set by a `# escape=` directive among the directives that open the
/// file (they end at the first line that is not one).
fn escape_directive(lines: &[(usize, &str)]) -> char {
    for (_, line) in lines {
        let Some(directive) = line.trim().strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = directive.split_once('=') else {
            break;
        };
        let key = key.trim();
        if key.is_empty() || key.contains(char::is_whitespace) {
            break;
        }
        if key.eq_ignore_ascii_case("escape") {
            match value.trim() {
                "`" => return '`',
                "\\" => return '\\',
                _ => break,
            }
        }
    }
    '\\'
}

fn instruction(line: usize, joined: &Located) -> Option<Instruction> {
    let mut words = split_words(joined).into_iter();
    let keyword = words.next()?.as_str().to_ascii_uppercase();
    Some(Instruction {
        line,
        keyword,
        words: words.collect(),
    })
}

/// Words separated by whitespace that is not inside quotes.
fn split_words(text: &Located) -> Vec<Located> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    for (i, c) in text.as_str().char_indices() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    words.push(text.slice(s..i));
                }
                continue;
            }
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if q == c => quote = None,
            _ => {}
        }
        start.get_or_insert(i);
    }
    if let Some(s) = start {
        words.push(text.slice(s..text.as_str().len()));
    }
    words
}

/// The terminators of the heredocs an instruction opens (`<<EOF`, `<<-EOF`, `<<"EOF"`), in
/// order, each with whether its lines may be indented with tabs.
fn heredoc_terminators(instruction: &Instruction) -> Vec<(String, bool)> {
    if !matches!(instruction.keyword.as_str(), "RUN" | "COPY" | "ADD") {
        return Vec::new();
    }
    instruction
        .words
        .iter()
        .filter_map(|word| {
            let rest = word.as_str().strip_prefix("<<")?;
            let (rest, strip_tabs) = match rest.strip_prefix('-') {
                Some(rest) => (rest, true),
                None => (rest, false),
            };
            let name: String = rest
                .trim_matches(|c| c == '"' || c == '\'')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (!name.is_empty()).then_some((name, strip_tabs))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::read_instructions;

    fn words(text: &str) -> Vec<(usize, String, Vec<String>)> {
        read_instructions(text)
            .list
            .into_iter()
            .map(|i| {
                let words = i.words.iter().map(|w| w.as_str().to_owned()).collect();
                (i.line, i.keyword, words)
            })
            .collect()
    }

    #[test]
    fn joins_continuation_lines_and_skips_comments_inside_them() {
        let text =
            "# a comment\nfrom \\\n  # inside\n\n  python:3.\\  \n12 \\\r\n  AS build\nRUN x\n";
        assert_eq!(
            words(text),
            [
                (
                    2,
                    "FROM".into(),
                    vec!["python:3.12".into(), "AS".into(), "build".into()]
                ),
                (8, "RUN".into(), vec!["x".into()]),
            ]
        );
        let from = &read_instructions(text).list[0].words[0];
        let (head, tail) = (text.find("python").unwrap(), text.find("12 ").unwrap());
        assert_eq!(from.sources(0..11), [head..head + 9, tail..tail + 2]);
    }

    #[test]
    fn the_escape_directive_changes_the_continuation_character() {
        let text = "# syntax=docker/dockerfile:1\n# escape=`\nFROM `\n  python:3.12 AS c:\\build\n";
        let read = read_instructions(text);
        assert_eq!(read.escape, '`');
        assert_eq!(
            words(text),
            [(
                3,
                "FROM".into(),
                vec!["python:3.12".into(), "AS".into(), "c:\\build".into()]
            )]
        );
        let late = "FROM a\n# escape=`\nFROM b `\n";
        assert_eq!(
            read_instructions(late).escape,
            '\\',
            "a directive only opens a file"
        );
    }

    #[test]
    fn heredoc_bodies_are_not_instructions() {
        let text = "FROM a\nRUN <<EOF cat <<-\"END\"\nFROM not-an-image\nEOF\n\tFROM nor-this\n\tEND\nFROM b\n";
        let found: Vec<String> = words(text)
            .into_iter()
            .filter(|(_, k, _)| k == "FROM")
            .map(|(_, _, w)| w[0].clone())
            .collect();
        assert_eq!(found, ["a", "b"]);
    }

    #[test]
    fn quoted_words_keep_their_spaces() {
        assert_eq!(
            words("ARG A=\"x y\" B='z'\n"),
            [(1, "ARG".into(), vec!["A=\"x y\"".into(), "B='z'".into()])]
        );
    }
}
