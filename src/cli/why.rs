use super::run::{EXIT_BAD_INPUT, EXIT_OK, Outcome, Run};
use crate::compile::{Leniency, TreeMade};
use crate::source::diagnostic::Diagnostic;
use crate::source::display_path;
use crate::why::{candidates, copied_from, explained};

impl Run<'_> {
    /// Names the spec key (and its line) that produced a generated file or line.
    pub(super) fn why(&self, target: &str) -> Outcome {
        let (path, line) = match target.rsplit_once(':') {
            Some((path, line)) if line.chars().all(|c| c.is_ascii_digit()) && !line.is_empty() => {
                (path, line.parse::<usize>().ok())
            }
            _ => (target, None),
        };
        let compiled = self.compiled_as(
            self.options()
                .making(TreeMade::Nothing)
                .letting_through(Leniency::BaseImages),
        )?;
        let source = &compiled.source;
        let out = display_path(self.out);
        let relative = path
            .strip_prefix(&format!("{out}/"))
            .or_else(|| path.strip_prefix(&format!("./{out}/")))
            .unwrap_or(path);
        let tree = explained(&compiled, Some(relative));
        let Some(bytes) = tree.get(relative) else {
            eprintln!(
                "error: `{path}` is not a file fleetc generates from `{}`",
                display_path(self.spec)
            );
            return Err(EXIT_BAD_INPUT);
        };
        let text = String::from_utf8_lossy(bytes);
        if let Some(line) = line
            && (line == 0 || line > text.lines().count())
        {
            eprintln!(
                "error: `{path}` has {} lines, not {line}",
                text.lines().count()
            );
            return Err(EXIT_BAD_INPUT);
        }
        let keys = candidates(&compiled, &tree, relative, &text, line);
        let key = keys.iter().find(|k| {
            let key: Vec<&str> = k.iter().map(String::as_str).collect();
            compiled.spans.contains(&key)
        });
        let Some(key) = key else {
            println!("{target} comes from the spec as a whole (no single key produces it)");
            return Ok(EXIT_OK);
        };
        let parts: Vec<&str> = key.iter().map(String::as_str).collect();
        let place = if line.is_some() {
            "this line"
        } else {
            "this file"
        };
        let from = match copied_from(&tree, relative, &text, line) {
            Some((file, Some(at))) => format!("line {at} of `{file}`, listed at "),
            Some((file, None)) => format!("`{file}`, listed at "),
            None => String::new(),
        };
        let note = Diagnostic::note(format!(
            "{target}: {place} comes from {from}`{}`",
            key.join(".")
        ))
        .at(compiled.spans.key(&parts))
        .label("here");
        println!("{}", note.render(source, self.styled));
        Ok(EXIT_OK)
    }
}
