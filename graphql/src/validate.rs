//! Input checks shared by every mutation. Each failure names the offending field, so a client
//! can point at it; nothing is written until all checks pass.

use async_graphql::ID;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, QueryFilter};

use crate::engine::loader::Keyed;
use crate::error::{AppError, Result};
use crate::id::{NodeType, expect_global_id};

/// Longest free text (feedback bodies, summaries, responses).
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Most links (sections, events) one record may name in one call.
pub const MAX_LINKS: usize = 100;
/// Longest one-line text (titles, names).
pub const MAX_LINE_CHARS: usize = 500;

/// Trimmed, non-empty, at most `max` characters.
pub fn required_text(value: &str, field: &str, max: usize) -> Result<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(AppError::bad_input(field, format!("`{field}` must not be empty")));
    }
    if trimmed.contains('\0') {
        return Err(AppError::bad_input(field, format!("`{field}` contains a NUL character (U+0000)")));
    }
    if trimmed.chars().count() > max {
        return Err(AppError::bad_input(field, format!("`{field}` must be at most {max} characters")));
    }
    Ok(trimmed.to_owned())
}

/// Like [`required_text`], but absent or blank means "none".
pub fn optional_text(value: Option<&str>, field: &str, max: usize) -> Result<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(text) => required_text(text, field, max).map(Some),
        None => Ok(None),
    }
}

/// An end date, when both are known, is not before the start.
pub fn date_order(start: Option<NaiveDate>, end: Option<NaiveDate>, end_field: &str) -> Result<()> {
    match (start, end) {
        (Some(start), Some(end)) if end < start => {
            Err(AppError::bad_input(end_field, format!("`{end_field}` ({end}) is before the start ({start})")))
        }
        _ => Ok(()),
    }
}

/// A two-letter ISO 639-1 code, lower case.
pub fn language_code(value: &str, field: &str) -> Result<String> {
    let code = value.trim().to_ascii_lowercase();
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase()) {
        Ok(code)
    } else {
        Err(AppError::bad_input(field, "Use a two-letter ISO 639-1 language code, e.g. `en`"))
    }
}

/// Decodes `id` as an object of type `kind` and loads it; a missing row is `NOT_FOUND` on `field`.
pub async fn existing<E>(db: &impl ConnectionTrait, id: &ID, kind: NodeType, field: &str) -> Result<E::Model>
where
    E: Keyed,
{
    let key = expect_global_id(id, kind, field)?;
    E::find_by_key(key).one(db).await?.ok_or_else(|| AppError::not_found(kind.name(), field))
}

/// Like [`existing`] for an optional id.
pub async fn existing_opt<E>(
    db: &impl ConnectionTrait,
    id: Option<&ID>,
    kind: NodeType,
    field: &str,
) -> Result<Option<E::Model>>
where
    E: Keyed,
{
    match id {
        Some(id) => existing::<E>(db, id, kind, field).await.map(Some),
        None => Ok(None),
    }
}

/// Loads every id of a list (duplicates ignored) in one query; a missing one is `NOT_FOUND` on `field.i`.
pub async fn existing_all<E>(
    db: &impl ConnectionTrait,
    ids: &[ID],
    kind: NodeType,
    field: &str,
) -> Result<Vec<E::Model>>
where
    E: Keyed,
    E::Model: Clone,
{
    let keys = ids
        .iter()
        .enumerate()
        .map(|(i, id)| expect_global_id(id, kind, &format!("{field}.{i}")))
        .collect::<Result<Vec<i32>>>()?;
    let found = E::find().filter(E::id_column().is_in(keys.clone())).all(db).await?;
    let by_id: std::collections::HashMap<i32, E::Model> = found.into_iter().map(|m| (E::id_of(&m), m)).collect();
    let mut models = Vec::with_capacity(by_id.len());
    let mut seen = std::collections::HashSet::new();
    for (i, key) in keys.into_iter().enumerate() {
        let model = by_id.get(&key).ok_or_else(|| AppError::not_found(kind.name(), format!("{field}.{i}")))?;
        if seen.insert(key) {
            models.push(model.clone());
        }
    }
    Ok(models)
}

/// A value given under its current name or under the deprecated name it replaced (kept as an
/// alias for one release), with the name it came under, for errors. Giving both is refused, so
/// that a client moving over cannot send two values that disagree.
pub fn renamed<'a, T>(
    current: Option<T>,
    current_name: &'a str,
    deprecated: Option<T>,
    deprecated_name: &'a str,
) -> Result<Option<(T, &'a str)>> {
    match (current, deprecated) {
        (Some(_), Some(_)) => Err(AppError::bad_input(
            deprecated_name,
            format!("Give `{current_name}` only: `{deprecated_name}` is its deprecated former name"),
        )),
        (Some(value), None) => Ok(Some((value, current_name))),
        (None, Some(value)) => Ok(Some((value, deprecated_name))),
        (None, None) => Ok(None),
    }
}

/// As [`renamed`], for a value that must be given under one of the two names.
pub fn renamed_required<'a, T>(
    current: Option<T>,
    current_name: &'a str,
    deprecated: Option<T>,
    deprecated_name: &'a str,
) -> Result<(T, &'a str)> {
    renamed(current, current_name, deprecated, deprecated_name)?
        .ok_or_else(|| AppError::bad_input(current_name, format!("`{current_name}` is required")))
}
