use std::path::Path;

use super::folder::write_into_folder;
use super::run::{EXIT_OK, Outcome};
use crate::source::display_path;
use crate::tree::Tree;

/// Writes the man pages, `fleetc.1` and one `fleetc-<command>.1` per command, into `to`: the
/// same text `--help` prints, from the same doc comments.
pub(super) fn write_man_pages(fleetc: clap::Command, to: &Path) -> Outcome {
    let pages = man_pages(fleetc);
    write_into_folder(&pages, to, "the man pages")?;
    println!("wrote {} man pages to {}", pages.len(), display_path(to));
    Ok(EXIT_OK)
}

fn man_pages(mut fleetc: clap::Command) -> Tree {
    // Gives each command the options every command takes (`--spec`, `--out`, …).
    fleetc.build();
    let mut pages = Tree::new();
    pages.insert("fleetc.1".to_owned(), page(fleetc.clone()));
    for command in fleetc.get_subcommands().filter(|c| c.get_name() != "help") {
        let name = format!("fleetc-{}", command.get_name());
        let command = command
            .clone()
            .name(name.clone())
            .bin_name(name.replacen('-', " ", 1));
        pages.insert(format!("{name}.1"), page(command));
    }
    pages
}

fn page(command: clap::Command) -> String {
    let mut roff = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut roff)
        .expect("rendering into memory cannot fail");
    String::from_utf8(roff).expect("clap_mangen writes UTF-8")
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;
    use crate::cli::Cli;

    #[test]
    fn every_command_has_a_page_with_its_long_help() {
        let pages = man_pages(Cli::command());
        let commands = Cli::command().get_subcommands().count();
        assert!(pages.get("fleetc-help.1").is_none());
        assert_eq!(pages.len(), commands + 1);
        let release = pages.get("fleetc-release.1").expect("a page for release");
        let release = String::from_utf8_lossy(release);
        assert!(release.contains("fleetc\\-release"), "{release}");
        assert!(release.contains("\\-\\-skip\\-order"), "{release}");
    }
}
