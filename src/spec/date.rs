use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserialize, Deserializer};

/// A calendar day, written `2027-01-31` (a TOML date) or `"2027-01-31"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

impl Date {
    pub fn parse(text: &str) -> Result<Self, String> {
        text.parse::<jiff::civil::Date>()
            .map(Date)
            .map_err(|_| format!("`{text}` is not a date; expected YYYY-MM-DD"))
    }

    /// Today in UTC, read from the system clock (only the command line calls this).
    pub fn today() -> Self {
        Date(
            jiff::Timestamp::now()
                .to_zoned(jiff::tz::TimeZone::UTC)
                .date(),
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Written {
    Text(String),
    Toml(toml::value::Datetime),
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = match Written::deserialize(deserializer) {
            Ok(Written::Text(text)) => text,
            Ok(Written::Toml(datetime)) => match (datetime.date, datetime.time) {
                (Some(date), None) => date.to_string(),
                _ => {
                    return Err(de::Error::custom(
                        "expected a date (YYYY-MM-DD) without a time",
                    ));
                }
            },
            Err(_) => return Err(de::Error::custom("expected a date, YYYY-MM-DD")),
        };
        Date::parse(&text).map_err(de::Error::custom)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": "date",
            "description": "A day, YYYY-MM-DD."
        })
    }
}
