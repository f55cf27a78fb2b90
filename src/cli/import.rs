use std::path::Path;

use super::run::{EXIT_BAD_INPUT, EXIT_NO, EXIT_OK, Format, Outcome, Run};
use crate::import::layout::Layout;
use crate::import::{Ask, import};
use crate::sink::owned::is_safe_relative;
use crate::sink::user_file::replace_user_file;
use crate::source::display_path;

impl Run<'_> {
    /// Reads the repository in `dir` and writes the spec it describes to `--spec`, with the
    /// report of what the spec does not say on standard output.
    pub(super) fn import(&self, dir: &Path, layout: Option<Layout>, format: Format) -> Outcome {
        if std::fs::symlink_metadata(self.spec).is_ok() {
            eprintln!(
                "error: `{}` exists; give another --spec to write the imported spec to; nothing was written",
                display_path(self.spec)
            );
            return Err(EXIT_BAD_INPUT);
        }
        let name = estate_name(dir);
        let ask = Ask {
            dir,
            layout,
            name: &name,
            spec: self.spec,
            today: self.today,
        };
        let imported = import(&ask).map_err(|error| {
            eprintln!("error: {error}; nothing was written");
            EXIT_BAD_INPUT
        })?;
        if let Some(parent) = self.spec.parent().filter(|p| !p.as_os_str().is_empty())
            && let Err(error) = std::fs::create_dir_all(parent)
        {
            eprintln!("error: cannot create `{}`: {error}", display_path(parent));
            return Err(EXIT_BAD_INPUT);
        }
        let folder = self
            .spec
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        for (relative, _) in &imported.files {
            let path = folder.join(relative);
            if !is_safe_relative(relative) || std::fs::symlink_metadata(&path).is_ok() {
                eprintln!(
                    "error: `{}` exists beside the spec (or leaves its folder); nothing was written",
                    display_path(&path)
                );
                return Err(EXIT_BAD_INPUT);
            }
        }
        if let Err(error) = replace_user_file(self.spec, imported.spec.as_bytes()) {
            eprintln!("error: cannot write the spec: {error}");
            return Err(EXIT_BAD_INPUT);
        }
        for (relative, text) in &imported.files {
            let path = folder.join(relative);
            let written = path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| replace_user_file(&path, text.as_bytes()));
            if let Err(error) = written {
                eprintln!("error: cannot write `{}`: {error}", display_path(&path));
                return Err(EXIT_BAD_INPUT);
            }
        }
        match format {
            Format::Text => {
                print!("{}", imported.report.to_text());
                println!("\nwrote {}", display_path(self.spec));
            }
            Format::Json => println!(
                "{}",
                serde_json::to_string_pretty(&imported.report.to_json())
                    .expect("a report serializes")
            ),
        }
        Ok(if imported.report.is_whole() {
            EXIT_OK
        } else {
            EXIT_NO
        })
    }
}

/// The estate's name: the repository folder's, as a DNS label.
fn estate_name(dir: &Path) -> String {
    let folder = dir
        .canonicalize()
        .ok()
        .and_then(|dir| dir.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let label = crate::naming::dns_label(&folder);
    if label.is_empty() {
        "estate".to_owned()
    } else {
        label
    }
}
