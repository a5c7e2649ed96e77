//! Custom scalars. `Date` is an ISO 8601 calendar date (`2021-11-03`) within a sane range, so a
//! typo such as `2021-13-45` or year `20211` is refused during validation, before any resolver runs.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{Datelike, NaiveDate};

/// Earliest and latest years accepted; the GCM was adopted in 2018, and nothing this system
/// records lies outside these bounds.
pub const MIN_YEAR: i32 = 1945;
pub const MAX_YEAR: i32 = 2100;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

/// Exactly `YYYY-MM-DD`: chrono alone also takes `2021-1-1` and `+2021-02-15`, which are not
/// the calendar form the schema documents.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 { *b == b'-' } else { b.is_ascii_digit() });
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().filter(|d| (MIN_YEAR..=MAX_YEAR).contains(&d.year()))
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn only_the_calendar_form_is_a_date() {
        assert!(parse_date("2021-11-03").is_some());
        for text in
            ["2021-1-1", "+2021-02-15", "2021-02-15T00:00:00", " 2021-02-15", "2021-02-30", "20211-01-01", "2021/02/15"]
        {
            assert!(parse_date(text).is_none(), "{text}");
        }
    }
}

/// A calendar date, `YYYY-MM-DD` (ISO 8601), between 1945 and 2100.
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => parse_date(text).map(Date).ok_or_else(|| {
                InputValueError::custom(format!("expected a date as YYYY-MM-DD between {MIN_YEAR} and {MAX_YEAR}"))
            }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(text) if parse_date(text).is_some())
    }

    fn to_value(&self) -> Value {
        // `Display` writes ISO 8601 for the years accepted, without re-reading a format string.
        Value::String(self.0.to_string())
    }
}

impl From<NaiveDate> for Date {
    fn from(date: NaiveDate) -> Self {
        Self(date)
    }
}
