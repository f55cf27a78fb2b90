//! What every command shares: where the spec and tree are, how to print, the exit codes, and
//! the values options take.

use std::path::Path;

use clap::ValueEnum;

use crate::spec::Date;

/// A command's exit code; `Err` carries the code of a failure already reported, so `?` ends
/// the command.
pub(crate) type Outcome = Result<i32, i32>;

/// Exit codes: the contract CI and scripts rely on.
pub(super) const EXIT_OK: i32 = 0;
pub(super) const EXIT_NO: i32 = 1;
pub(super) const EXIT_BAD_INPUT: i32 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    Text,
    Markdown,
    Json,
    /// Text, with problems as GitHub Actions annotations.
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CheckFormat {
    Text,
    /// Problems as GitHub Actions annotations (`::error file=…,line=…,col=…::…`).
    Github,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

/// What every command needs: where the spec and tree are, and how to print.
pub(crate) struct Run<'a> {
    pub spec: &'a Path,
    pub out: &'a Path,
    pub styled: bool,
    pub styled_err: bool,
    /// Problems go out as GitHub Actions annotations.
    pub github: bool,
    pub today: Date,
    pub now: jiff::Timestamp,
}

pub(crate) fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text)
}

pub(crate) fn parse_moment(text: &str) -> Result<jiff::Timestamp, String> {
    text.parse().map_err(|_| {
        format!("`{text}` is not a moment; expected RFC 3339, such as 2026-12-24T10:00:00Z")
    })
}

/// `24h`, `90m`, `2d` (a day is 24 hours here: a soak is elapsed time, not calendar days).
pub(crate) fn parse_soak(text: &str) -> Result<jiff::SignedDuration, String> {
    let help = || {
        format!(
            "`{text}` is not a duration; expected a number and a unit, such as `24h`, `2d` or `90m`"
        )
    };
    let span: jiff::Span = text.parse().map_err(|_| help())?;
    let duration = span
        .to_duration(jiff::SpanRelativeTo::days_are_24_hours())
        .map_err(|_| help())?;
    if duration.is_negative() {
        return Err(help());
    }
    Ok(duration)
}

pub(crate) fn parse_digest_arg(text: &str) -> Result<(String, String), String> {
    let (service, digest) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not SERVICE=sha256:…"))?;
    if let Some(problem) = crate::formats::digest::digest_problem(digest) {
        return Err(format!("`{digest}` is not a digest: {problem}"));
    }
    Ok((service.to_owned(), digest.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soak_durations_read_days_as_24_hours() {
        assert_eq!(
            parse_soak("2d").unwrap(),
            jiff::SignedDuration::from_hours(48)
        );
        assert_eq!(
            parse_soak("90m").unwrap(),
            jiff::SignedDuration::from_mins(90)
        );
        assert_eq!(
            parse_soak("1h30m").unwrap(),
            jiff::SignedDuration::from_mins(90)
        );
        assert!(parse_soak("soon").is_err());
        assert!(parse_soak("-2h").is_err());
    }

    #[test]
    fn a_moment_is_rfc_3339() {
        assert!(parse_moment("2026-12-24T10:00:00Z").is_ok());
        assert!(parse_moment("2026-12-24T10:00:00+01:00").is_ok());
        assert!(parse_moment("2026-12-24").is_err());
    }
}
