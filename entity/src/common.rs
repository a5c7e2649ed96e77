//! Enums shared by several tables.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Where a record's content comes from. Demo and reference rows that are not backed by a
/// source document say so in the data itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Provenance {
    /// Taken from a source document or a maintained reference data set.
    #[sea_orm(string_value = "SOURCED")]
    Sourced,
    /// Invented to make the demo data realistic; not a fact.
    #[sea_orm(string_value = "ILLUSTRATIVE")]
    Illustrative,
    /// Stands in for a fact the sources do not give yet (e.g. the six steps' names).
    #[sea_orm(string_value = "PLACEHOLDER")]
    Placeholder,
    /// Entered by a user of the system.
    #[sea_orm(string_value = "USER_ENTERED")]
    UserEntered,
}

/// How precise a date is: sources often give only a month ("February 2021") or a quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DatePrecision {
    /// The exact day is known.
    #[sea_orm(string_value = "DAY")]
    Day,
    /// Only the month is known; by convention the date given is its first day.
    #[sea_orm(string_value = "MONTH")]
    Month,
    /// Only the quarter is known, or a phrase such as "early 2022"; by convention the date given is the quarter's first
    /// day.
    #[sea_orm(string_value = "QUARTER")]
    Quarter,
    /// Only the year is known; by convention the date given is 1 January.
    #[sea_orm(string_value = "YEAR")]
    Year,
}

impl DatePrecision {
    /// The last day of the period that starts on `first` at this precision: a MONTH date of
    /// 2021-02-01 stands for all of February, so what is due "in February 2021" is late only
    /// after the 28th.
    pub fn last_day(self, first: Date) -> Date {
        use chrono::{Datelike, Months};
        let months = match self {
            Self::Day => return first,
            Self::Month => 1,
            Self::Quarter => 3,
            Self::Year => 12,
        };
        // Periods are stored by their first day, but a hand-entered date may not be one: count
        // from the first day of its month so the period still ends where its month says.
        let start = first.with_day(1).unwrap_or(first);
        start.checked_add_months(Months::new(months)).and_then(|next| next.pred_opt()).unwrap_or(first)
    }
}

impl DatePrecision {
    /// The first day of the period at this precision that contains `day` (its month, quarter or
    /// year). A period stored by its first day is over before `day` exactly when that first day
    /// comes before this one, which lets a query compare stored dates without computing period ends.
    pub fn period_containing(self, day: Date) -> Date {
        use chrono::Datelike;
        let (year, month) = match self {
            Self::Day => return day,
            Self::Month => (day.year(), day.month()),
            Self::Quarter => (day.year(), (day.month0() / 3) * 3 + 1),
            Self::Year => (day.year(), 1),
        };
        Date::from_ymd_opt(year, month, 1).unwrap_or(day)
    }
}
