//! What the audit log keeps of a change: the record before and after, field by field, and
//! linked values; written by the unit of work in the same transaction as the change.

use chrono::Utc;
use entity::audit_log;
use sea_orm::{ActiveModelTrait, DatabaseTransaction, Set};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::error::{AppError, Result};
use crate::id::NodeType;

/// Bookkeeping columns that change on every write and say nothing about the change itself.
const IGNORED: [&str; 2] = ["created_at", "updated_at"];

fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for ch in snake.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// Field-by-field difference of two serialized records: `{field: {before, after}}` for every
/// field whose value differs (all fields for a creation or a deletion).
pub fn diff(before: Option<&Value>, after: Option<&Value>) -> Map<String, Value> {
    let empty = Map::new();
    let before = before.and_then(Value::as_object).unwrap_or(&empty);
    let after = after.and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut changes = Map::new();
    for key in keys {
        if IGNORED.contains(&key.as_str()) {
            continue;
        }
        let old = before.get(key).unwrap_or(&Value::Null);
        let new = after.get(key).unwrap_or(&Value::Null);
        if old != new {
            changes.insert(camel_case(key), json!({ "before": old, "after": new }));
        }
    }
    changes
}

/// One record's change, as its audit row keeps it: the record before and after (`None` for a
/// creation or a deletion), and linked values the record's own columns do not show.
#[must_use = "a change is written by `UnitOfWork::commit` or `UnitOfWork::record`"]
pub struct Change<'a, M> {
    entity: NodeType,
    entity_id: i32,
    before: Option<&'a M>,
    after: Option<&'a M>,
    extra: Vec<(&'a str, Value, Value)>,
}

impl<'a, M: Serialize> Change<'a, M> {
    pub fn new(entity: NodeType, entity_id: i32, before: Option<&'a M>, after: Option<&'a M>) -> Self {
        Self { entity, entity_id, before, after, extra: Vec::new() }
    }

    pub fn created(entity: NodeType, entity_id: i32, after: &'a M) -> Self {
        Self::new(entity, entity_id, None, Some(after))
    }

    pub fn updated(entity: NodeType, entity_id: i32, before: &'a M, after: &'a M) -> Self {
        Self::new(entity, entity_id, Some(before), Some(after))
    }

    pub fn deleted(entity: NodeType, entity_id: i32, before: &'a M) -> Self {
        Self::new(entity, entity_id, Some(before), None)
    }

    /// Linked values as `(field, before, after)`; those equal before and after are left out.
    pub fn with(mut self, extra: Vec<(&'a str, Value, Value)>) -> Self {
        self.extra.extend(extra);
        self
    }
}

/// Who made a change.
#[derive(Clone, Debug)]
pub struct Actor {
    /// The account, or none for the command line acting on no account's behalf.
    pub id: Option<i32>,
    pub email: String,
}

/// Writes one audit row inside `txn`: only [`super::UnitOfWork`] does, so that no change is
/// committed without its row.
pub(super) async fn record<M: Serialize>(
    txn: &DatabaseTransaction,
    actor: &Actor,
    action: &str,
    change: Change<'_, M>,
) -> Result<()> {
    let Change { entity, entity_id, before, after, extra } = change;
    let to_json = |model: Option<&M>| model.map(serde_json::to_value).transpose().map_err(AppError::internal);
    let mut changes = diff(to_json(before)?.as_ref(), to_json(after)?.as_ref());
    for (field, old, new) in extra {
        if old != new {
            changes.insert(field.to_owned(), json!({ "before": old, "after": new }));
        }
    }
    audit_log::ActiveModel {
        at: Set(Utc::now()),
        actor_id: Set(actor.id),
        actor_email: Set(actor.email.clone()),
        action: Set(action.to_owned()),
        entity_type: Set(entity.name().to_owned()),
        entity_id: Set(entity_id),
        changes: Set(Value::Object(changes).to_string()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Codes of the sections linked to `owner_id` through `L`, sorted: how link changes are audited.
pub async fn linked_section_codes<L>(db: &impl sea_orm::ConnectionTrait, owner_id: i32) -> Result<Value>
where
    L: crate::engine::loader::LinkTable<Target = entity::guide_section::Entity>,
{
    linked_codes::<L>(db, owner_id, entity::guide_section::Column::Code).await
}

/// ISO3 codes of the countries linked to `owner_id` through `L`, sorted.
pub async fn linked_country_codes<L>(db: &impl sea_orm::ConnectionTrait, owner_id: i32) -> Result<Value>
where
    L: crate::engine::loader::LinkTable<Target = entity::country::Entity>,
{
    linked_codes::<L>(db, owner_id, entity::country::Column::Iso3).await
}

/// The `code` column of the targets linked to `owner_id` through `L`, sorted.
async fn linked_codes<L>(
    db: &impl sea_orm::ConnectionTrait,
    owner_id: i32,
    code: <L::Target as sea_orm::EntityTrait>::Column,
) -> Result<Value>
where
    L: crate::engine::loader::LinkTable,
{
    use crate::engine::loader::Keyed;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    let ids: Vec<i32> =
        L::Link::find().filter(L::owner_column().eq(owner_id)).all(db).await?.iter().map(L::target_of).collect();
    let mut codes: Vec<String> = L::Target::find()
        .select_only()
        .column(code)
        .filter(L::Target::id_column().is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    codes.sort();
    Ok(json!(codes))
}

/// Global ids of the targets linked to `owner_id` through `L`, sorted: for links that are not sections.
pub async fn linked_ids<L>(db: &impl sea_orm::ConnectionTrait, owner_id: i32, kind: NodeType) -> Result<Value>
where
    L: crate::engine::loader::LinkTable,
{
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mut ids: Vec<i32> =
        L::Link::find().filter(L::owner_column().eq(owner_id)).all(db).await?.iter().map(L::target_of).collect();
    ids.sort_unstable();
    Ok(json!(ids.into_iter().map(|id| crate::id::global_id(kind, id).0).collect::<Vec<_>>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_lists_changed_fields_only() {
        let before = json!({ "status": "RECEIVED", "body": "x", "updated_at": "a", "guide_version_id": 1 });
        let after = json!({ "status": "ACCEPTED", "body": "x", "updated_at": "b", "guide_version_id": 2 });
        let changes = diff(Some(&before), Some(&after));
        assert_eq!(
            Value::Object(changes),
            json!({ "status": { "before": "RECEIVED", "after": "ACCEPTED" }, "guideVersionId": { "before": 1, "after": 2 } })
        );
        let created = diff(None, Some(&json!({ "title": "t" })));
        assert_eq!(Value::Object(created), json!({ "title": { "before": null, "after": "t" } }));
    }
}
