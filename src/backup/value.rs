//! One column value between the database and the file. Values are read and bound with the Rust
//! type the entities use, so SQLite's text timestamps and PostgreSQL's `timestamptz` both become
//! the same RFC 3339 string, integers and booleans stay JSON numbers and booleans, and JSON
//! columns are nested as JSON (not as a string holding JSON).

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, SubsecRound, Utc};
use sea_orm::{DbErr, QueryResult, Value};
use serde_json::Value as Json;

use super::tables::{ColumnSpec, Kind};

const DATE: &str = "%Y-%m-%d";
/// Written with microseconds, the precision PostgreSQL keeps: the same data gives the same file
/// whichever database it comes from (SQLite may hold nanoseconds; they are cut off).
const DATE_TIME_OUT: &str = "%Y-%m-%dT%H:%M:%S%.6f";
const DATE_TIME_IN: &str = "%Y-%m-%dT%H:%M:%S%.f";

/// Column `index` of `row` as it is written to the file.
pub fn read(row: &QueryResult, index: usize, kind: Kind) -> Result<Json, DbErr> {
    fn get<T: sea_orm::TryGetable>(row: &QueryResult, index: usize) -> Result<Option<T>, DbErr> {
        row.try_get_by_index::<Option<T>>(index)
    }
    Ok(match kind {
        Kind::SmallInt => get::<i16>(row, index)?.map(Json::from),
        Kind::Int => get::<i32>(row, index)?.map(Json::from),
        Kind::BigInt => get::<i64>(row, index)?.map(Json::from),
        Kind::Double => get::<f64>(row, index)?.map(Json::from),
        Kind::Bool => get::<bool>(row, index)?.map(Json::from),
        Kind::Text => get::<String>(row, index)?.map(Json::from),
        Kind::Date => get::<NaiveDate>(row, index)?.map(|d| Json::from(d.format(DATE).to_string())),
        Kind::DateTime => get::<NaiveDateTime>(row, index)?.map(|t| Json::from(t.format(DATE_TIME_OUT).to_string())),
        Kind::Instant => get::<DateTime<Utc>>(row, index)?
            .map(|t| Json::from(t.trunc_subsecs(6).to_rfc3339_opts(SecondsFormat::Micros, true))),
        Kind::Json => get::<Json>(row, index)?,
    }
    .unwrap_or(Json::Null))
}

/// A value from the file as a typed bind value for `column`; the error says what was expected.
pub fn parse(json: &Json, column: &ColumnSpec) -> Result<Value, String> {
    if json.is_null() {
        if !column.nullable {
            return Err(format!("column {} may not be null", column.name));
        }
        return Ok(null(column.kind));
    }
    let wrong = |expected: &str| format!("column {}: expected {expected}, found {json}", column.name);
    Ok(match column.kind {
        Kind::SmallInt => {
            json.as_i64().and_then(|n| i16::try_from(n).ok()).ok_or_else(|| wrong("a small integer"))?.into()
        }
        Kind::Int => json.as_i64().and_then(|n| i32::try_from(n).ok()).ok_or_else(|| wrong("an integer"))?.into(),
        Kind::BigInt => json.as_i64().ok_or_else(|| wrong("an integer"))?.into(),
        Kind::Double => json.as_f64().ok_or_else(|| wrong("a number"))?.into(),
        Kind::Bool => json.as_bool().ok_or_else(|| wrong("true or false"))?.into(),
        Kind::Text => json.as_str().ok_or_else(|| wrong("a string"))?.to_owned().into(),
        Kind::Date => json
            .as_str()
            .and_then(|s| NaiveDate::parse_from_str(s, DATE).ok())
            .ok_or_else(|| wrong("a date (YYYY-MM-DD)"))?
            .into(),
        Kind::DateTime => json
            .as_str()
            .and_then(|s| NaiveDateTime::parse_from_str(s, DATE_TIME_IN).ok())
            .ok_or_else(|| wrong("a date and time"))?
            .into(),
        Kind::Instant => json
            .as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| wrong("an RFC 3339 instant"))?
            .into(),
        Kind::Json => json.clone().into(),
    })
}

/// A typed NULL, so PostgreSQL gets a parameter of the column's type.
pub fn null(kind: Kind) -> Value {
    match kind {
        Kind::SmallInt => None::<i16>.into(),
        Kind::Int => None::<i32>.into(),
        Kind::BigInt => None::<i64>.into(),
        Kind::Double => None::<f64>.into(),
        Kind::Bool => None::<bool>.into(),
        Kind::Text => None::<String>.into(),
        Kind::Date => None::<NaiveDate>.into(),
        Kind::DateTime => None::<NaiveDateTime>.into(),
        Kind::Instant => None::<DateTime<Utc>>.into(),
        Kind::Json => None::<Json>.into(),
    }
}

/// The integer inside a key or self-reference value, if it is one.
pub fn as_i64(value: &Value) -> Option<i64> {
    match value {
        Value::SmallInt(Some(n)) => Some(i64::from(*n)),
        Value::Int(Some(n)) => Some(i64::from(*n)),
        Value::BigInt(Some(n)) => Some(*n),
        _ => None,
    }
}
