//! Time zone names as Argo CD loads them (Go's `time.LoadLocation`): IANA names, exactly as
//! the tz database spells them. Argo CD falls back to UTC on a name it cannot load, so a
//! misspelt zone would silently move a sync window.

use std::sync::OnceLock;

use crate::source::diagnostic::did_you_mean;

fn names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        // The bundled database, not the machine's, so every machine gives the same answer.
        let db = jiff::tz::TimeZoneDatabase::bundled();
        let mut names: Vec<String> = db.available().map(|n| n.as_str().to_owned()).collect();
        names.sort();
        names
    })
}

/// `None` when `name` is a time zone; otherwise the closest names, if any is close.
pub(crate) fn unknown_zone(name: &str) -> Option<Vec<&'static str>> {
    let names = names();
    if names.iter().any(|n| n == name) {
        return None;
    }
    let lower = name.to_ascii_lowercase();
    let same_but_case = names.iter().find(|n| n.to_ascii_lowercase() == lower);
    let closest = same_but_case
        .map(String::as_str)
        .or_else(|| did_you_mean(name, names.iter().map(String::as_str)));
    Some(closest.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::unknown_zone;

    #[test]
    fn iana_names_are_known_and_typos_get_the_closest() {
        for good in ["Europe/London", "America/New_York", "UTC", "Asia/Kolkata"] {
            assert_eq!(unknown_zone(good), None, "{good}");
        }
        assert_eq!(unknown_zone("Europe/Londn"), Some(vec!["Europe/London"]));
        assert_eq!(unknown_zone("europe/london"), Some(vec!["Europe/London"]));
        assert!(unknown_zone("Mars/Olympus_Mons").is_some());
    }
}
