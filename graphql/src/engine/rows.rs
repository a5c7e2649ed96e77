//! Turning rows into models.
//!
//! sea-orm's derived decoding looks every column up by name and, for every NULL in an optional
//! column, formats an error message that it then discards. On the rows a list page loads (Q1 in
//! BENCHMARKS.md: 500 feedback rows, most of their optional columns NULL) that was a fifth of the
//! server's CPU. The models read most often are decoded here by position instead: a statement
//! built from `Entity::find()` selects the columns in the order the model declares its fields,
//! which is checked once per statement against the first row's column names. The column types are
//! checked once per statement too, on the first row, against the statement's own description of
//! its columns; later rows of the same statement skip sqlx's per-value check. Any other shape of
//! row, and every SQLite row, goes through sea-orm's own decoding.

use std::sync::Arc;

use sea_orm::sqlx::postgres::PgRow;
use sea_orm::sqlx::{self, Column, Postgres, Row};
use sea_orm::{ActiveEnum, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryResult, QueryTrait, RuntimeErr};

/// A model that can be built from the rows of one statement.
pub trait FromRows: FromQueryResult {
    /// The columns, in order, of the rows this model decodes by position; `None` for a model
    /// decoded by sea-orm alone.
    const POSITIONAL_COLUMNS: Option<&'static [&'static str]> = None;

    /// Decodes every row of one statement: by position where [`Self::decode_by_position`] can,
    /// else by sea-orm's decoding by column name.
    fn from_rows(rows: Vec<QueryResult>) -> Result<Vec<Self>, DbErr> {
        match Self::POSITIONAL_COLUMNS.and_then(|columns| positional(&rows, columns)) {
            Some(pg_rows) => pg_rows
                .into_iter()
                .enumerate()
                .map(|(index, row)| Self::decode_by_position(&mut Columns::new(row, index == 0)))
                .collect(),
            None => rows.iter().map(|row| Self::from_query_result(row, "")).collect(),
        }
    }

    /// One row whose columns are [`Self::POSITIONAL_COLUMNS`].
    fn decode_by_position(_columns: &mut Columns<'_>) -> Result<Self, DbErr> {
        Err(DbErr::Custom("this model is not decoded by position".into()))
    }

    /// Whether [`FromRows::from_rows`] reads these rows by position (for tests and diagnostics).
    fn decodes_by_position(rows: &[QueryResult]) -> bool {
        Self::POSITIONAL_COLUMNS.and_then(|columns| positional(rows, columns)).is_some()
    }
}

/// Runs `select` and decodes its rows with [`FromRows`].
pub async fn fetch_all<E>(db: &impl ConnectionTrait, select: sea_orm::Select<E>) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: FromRows,
{
    let statement = select.build(db.get_database_backend());
    E::Model::from_rows(db.query_all_raw(statement).await?)
}

/// Runs `select` for at most one row.
pub async fn fetch_one<E>(db: &impl ConnectionTrait, select: sea_orm::Select<E>) -> Result<Option<E::Model>, DbErr>
where
    E: EntityTrait,
    E::Model: FromRows,
{
    use sea_orm::QuerySelect;
    Ok(fetch_all(db, select.limit(1)).await?.into_iter().next())
}

/// The PostgreSQL rows of `rows`, if they are all from PostgreSQL and their columns are `fields`,
/// in that order.
fn positional<'r>(rows: &'r [QueryResult], fields: &[&str]) -> Option<Vec<&'r PgRow>> {
    let first = rows.first()?.try_as_pg_row()?;
    let same_columns = first.columns().len() == fields.len()
        && first.columns().iter().zip(fields).all(|(column, field)| column.name() == *field);
    if !same_columns {
        return None;
    }
    rows.iter().map(QueryResult::try_as_pg_row).collect()
}

/// Reads one row's columns left to right.
pub struct Columns<'r> {
    row: &'r PgRow,
    next: usize,
    /// Whether each column's type is checked against the Rust type read from it: on a
    /// statement's first row. Every row of a statement has the same column types.
    check_types: bool,
}

impl<'r> Columns<'r> {
    fn new(row: &'r PgRow, check_types: bool) -> Self {
        Self { row, next: 0, check_types }
    }

    /// The next column as a plain value (`Option<_>` for a nullable column).
    fn value<T>(&mut self) -> Result<T, DbErr>
    where
        T: sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
    {
        let index = self.next;
        self.next += 1;
        if self.check_types {
            // The column's declared type, not the value's: a NULL in the first row must not
            // leave its column unchecked for the rows after it.
            let declared = self.row.try_column(index).map_err(decode_error)?.type_info();
            if !T::compatible(declared) {
                let message =
                    format!("column {index} is {declared}, which does not decode as {}", std::any::type_name::<T>());
                return Err(DbErr::Type(message));
            }
        }
        self.row.try_get_unchecked(index).map_err(decode_error)
    }

    /// The next column as one of the enumerations stored as text.
    fn enumeration<T: ActiveEnum<Value = String>>(&mut self) -> Result<T, DbErr> {
        let text: &str = self.value()?;
        T::try_from_value(&text.to_owned())
    }

    /// The next column as an optional enumeration stored as text.
    fn optional_enumeration<T: ActiveEnum<Value = String>>(&mut self) -> Result<Option<T>, DbErr> {
        let text: Option<&str> = self.value()?;
        text.map(|text| T::try_from_value(&text.to_owned())).transpose()
    }
}

fn decode_error(error: sqlx::Error) -> DbErr {
    DbErr::Query(RuntimeErr::SqlxError(Arc::new(error)))
}

/// Decodes the listed models by position (see the module documentation). Each field is given
/// with how its column is read: `value`, `enumeration` or `optional_enumeration`. A model that
/// gains a field no longer compiles here until the field is listed.
macro_rules! by_position {
    ($($model:path { $($field:ident: $read:ident),+ $(,)? })+) => {$(
        impl FromRows for $model {
            const POSITIONAL_COLUMNS: Option<&'static [&'static str]> = Some(&[$(stringify!($field)),+]);

            fn decode_by_position(columns: &mut Columns<'_>) -> Result<Self, DbErr> {
                Ok(Self { $($field: columns.$read()?),+ })
            }
        }
    )+};
}

/// Models decoded the default way: read rarely, or only a few rows at a time.
macro_rules! by_name {
    ($($module:ident),+ $(,)?) => {$(
        impl FromRows for entity::$module::Model {}
    )+};
}

by_name!(
    audit_log,
    champion_term,
    contact,
    document,
    event,
    event_country,
    event_participant,
    event_section,
    follow_up_action,
    guide_version,
    milestone,
    pilot,
    planned_use,
    planned_use_country,
    planned_use_event,
    planned_use_section,
    revision,
    revision_feedback,
    revision_section,
    stakeholder,
);

by_position! {
    entity::feedback_section::Model {
        feedback_id: value,
        section_id: value,
    }
    entity::feedback::Model {
        id: value,
        country_id: value,
        stakeholder_id: value,
        collective: value,
        channel: enumeration,
        kind: enumeration,
        body: value,
        language: value,
        guide_version_id: value,
        pilot_id: value,
        event_id: value,
        status: enumeration,
        response: value,
        responded_at: value,
        received_on: value,
        received_precision: enumeration,
        submitted_by_id: value,
        provenance: enumeration,
        source_note: value,
        created_at: value,
        updated_at: value,
        version: value,
    }
    entity::guide_section::Model {
        id: value,
        document_id: value,
        code: value,
        title: value,
        title_fr: value,
        title_es: value,
        kind: enumeration,
        parent_id: value,
        position: value,
        summary: value,
        introduced_in_id: value,
        retired_in_id: value,
        provenance: enumeration,
        source_note: value,
        created_at: value,
        updated_at: value,
        version: value,
    }
    entity::country::Model {
        id: value,
        iso3: value,
        iso2: value,
        name: value,
        official_name: value,
        region: value,
        subregion: value,
        is_champion: value,
        champion_since: value,
        champion_since_precision: optional_enumeration,
        champion_provenance: optional_enumeration,
        champion_note: value,
        created_at: value,
        updated_at: value,
        version: value,
    }
    entity::role_assignment::Model {
        id: value,
        country_id: value,
        role: enumeration,
        status: enumeration,
        started_on: value,
        started_precision: optional_enumeration,
        ended_on: value,
        notes: value,
        provenance: enumeration,
        created_at: value,
        updated_at: value,
        version: value,
    }
    entity::user_account::Model {
        id: value,
        email: value,
        display_name: value,
        password_hash: value,
        role: enumeration,
        country_id: value,
        active: value,
        last_login_at: value,
        credentials_changed_at: value,
        created_at: value,
        updated_at: value,
        version: value,
    }
}
