//! The call-out of a change that deletes Applications, said the same way by every command
//! and format: how many, then which, per service, within a screenful.

use super::applications::AppPlace;
use super::listing::by_service;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletionWarning {
    /// `deletes 2 Argo CD Applications, and everything they deployed`.
    pub sentence: String,
    /// `users: dev, prod`, one line per service ([`by_service`]).
    pub lines: Vec<String>,
}

impl DeletionWarning {
    /// The warning for the Applications `deleted`, none when nothing is; `order` is the
    /// environments in promotion order.
    pub fn of(deleted: &[AppPlace], order: &[String]) -> Option<Self> {
        let (count, they) = match deleted.len() {
            0 => return None,
            1 => ("1 Argo CD Application".to_owned(), "it"),
            n => (format!("{n} Argo CD Applications"), "they"),
        };
        Some(Self {
            sentence: format!("deletes {count}, and everything {they} deployed"),
            lines: by_service(deleted, order),
        })
    }

    /// The sentence, a colon, and the lines below it.
    pub fn to_text(&self) -> String {
        format!("{}:{}", self.sentence, self.indented_lines())
    }

    /// Each line on a line of its own, indented by two spaces.
    pub fn indented_lines(&self) -> String {
        let mut text = String::new();
        for line in &self.lines {
            text.push_str("\n  ");
            text.push_str(line);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(service: &str, env: &str) -> AppPlace {
        AppPlace {
            service: Some(service.to_owned()),
            environment: env.to_owned(),
            cluster: None,
        }
    }

    #[test]
    fn nothing_deleted_is_no_warning() {
        assert_eq!(DeletionWarning::of(&[], &[]), None);
    }

    #[test]
    fn the_sentence_counts_and_the_lines_name_per_service() {
        let order = ["dev".to_owned(), "prod".to_owned()];
        let one = DeletionWarning::of(&[place("users", "prod")], &order).unwrap();
        assert_eq!(
            one.to_text(),
            "deletes 1 Argo CD Application, and everything it deployed:\n  users: prod"
        );
        let two = [place("users", "prod"), place("users", "dev")];
        assert_eq!(
            DeletionWarning::of(&two, &order).unwrap().to_text(),
            "deletes 2 Argo CD Applications, and everything they deployed:\n  users: dev, prod"
        );
    }
}
