use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, Json, Object};
use chrono::{DateTime, Utc};
use entity::{audit_log, user_account};
use sea_orm::{ColumnTrait, Condition, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::auth::guard::viewer;
use crate::engine::loader::{DbLoader, maybe_by_id};
use crate::error::{AppError, Result};
use crate::id::{NodeType, global_id};
use crate::user::User;

/// Fields whose values only the Secretariat may see in a history: who recorded a feedback, and a
/// link to a pilot that may belong to another country.
const HIDDEN_FROM_NON_ADMINS: [&str; 2] = ["submittedById", "pilotId"];

/// One change to one record.
pub struct AuditEntry(pub audit_log::Model);

/// One change to one record as the audit trail keeps it: when, who, which mutation, and each field before and after.
/// Audit entries are never changed or deleted.
#[Object]
impl AuditEntry {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::AuditEntry, self.0.id)
    }
    /// When the change was committed.
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// The account that made it; visible to the Secretariat and to that user.
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let user = maybe_by_id::<user_account::Entity>(ctx, self.0.actor_id).await?;
        Ok(user.filter(|u| crate::policy::can_read_user(viewer(ctx), u)).map(User))
    }
    /// The actor's email when the change was made; shown to the Secretariat, to working-group
    /// leads and to the actor, hidden (null) from other Champion focal points.
    async fn actor_email(&self, ctx: &Context<'_>) -> Option<&str> {
        crate::policy::can_see_actor_email(viewer(ctx), self.0.actor_id).then_some(self.0.actor_email.as_str())
    }
    /// The mutation that made the change, e.g. `setFeedbackStatus`.
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// The changed record's type, e.g. `Feedback`.
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }
    /// Global id of the changed record (it may no longer exist).
    async fn entity_id(&self) -> ID {
        let kind = NodeType::ALL.into_iter().find(|k| k.name() == self.0.entity_type);
        kind.map_or_else(|| ID(self.0.entity_id.to_string()), |kind| global_id(kind, self.0.entity_id))
    }
    /// Field → `{before, after}` for every field the change touched.
    async fn changes(&self, ctx: &Context<'_>) -> Result<Json<serde_json::Value>> {
        let mut value: serde_json::Value = serde_json::from_str(&self.0.changes).map_err(AppError::internal)?;
        // Links a record's own fields hide from some readers stay hidden in its history too.
        if !viewer(ctx).is_admin()
            && let Some(fields) = value.as_object_mut()
        {
            for hidden in HIDDEN_FROM_NON_ADMINS {
                fields.remove(hidden);
            }
        }
        Ok(Json(value))
    }
}

/// (entity type, entity id): the key of one record's history.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct HistoryOf(pub NodeType, pub i32);

impl Loader<HistoryOf> for DbLoader {
    type Value = Vec<audit_log::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[HistoryOf]) -> Result<HashMap<HistoryOf, Self::Value>, Self::Error> {
        let mut any = Condition::any();
        for HistoryOf(kind, id) in keys {
            any = any.add(
                Condition::all()
                    .add(audit_log::Column::EntityType.eq(kind.name()))
                    .add(audit_log::Column::EntityId.eq(*id)),
            );
        }
        let rows = audit_log::Entity::find()
            .filter(any)
            .order_by_asc(audit_log::Column::At)
            .order_by_asc(audit_log::Column::Id)
            .all(self.db())
            .await?;
        let mut grouped: HashMap<HistoryOf, Self::Value> = HashMap::new();
        for row in rows {
            if let Some(kind) = NodeType::ALL.into_iter().find(|k| k.name() == row.entity_type) {
                grouped.entry(HistoryOf(kind, row.entity_id)).or_default().push(row);
            }
        }
        Ok(grouped)
    }
}

/// The audit entries of one record, oldest first. Callers expose it only on records the viewer
/// may read; what an entry says about *other* records (a revision's decisions on feedback) is
/// cut down here to the records the viewer may read too.
pub async fn history(ctx: &Context<'_>, kind: NodeType, id: i32) -> Result<Vec<AuditEntry>> {
    let mut rows = crate::engine::loader::loader(ctx)?.load_one(HistoryOf(kind, id)).await?.unwrap_or_default();
    if !crate::policy::sees_every_country(viewer(ctx)) {
        redact_feedback_references(ctx, &mut rows).await?;
    }
    Ok(rows.into_iter().map(AuditEntry).collect())
}

/// Where an entry names feedback: `feedback:<id>` fields (one decision), and a `feedback` field
/// whose before and after are lists of decisions, each `{"feedback": <id>, …}`.
const FEEDBACK_FIELD: &str = "feedback";
const FEEDBACK_FIELD_PREFIX: &str = "feedback:";

fn feedback_key(global: &str) -> Option<i32> {
    let id = ID(global.to_owned());
    crate::id::expect_global_id(&id, NodeType::Feedback, FEEDBACK_FIELD).ok()
}

/// Removes from `rows` every decision on feedback the viewer may not read.
async fn redact_feedback_references(ctx: &Context<'_>, rows: &mut [audit_log::Model]) -> Result<()> {
    let mut parsed: Vec<(usize, serde_json::Map<String, serde_json::Value>)> = Vec::new();
    let mut named: Vec<i32> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        if !row.changes.contains(FEEDBACK_FIELD) {
            continue;
        }
        let Ok(serde_json::Value::Object(fields)) = serde_json::from_str(&row.changes) else { continue };
        for (field, change) in &fields {
            if let Some(global) = field.strip_prefix(FEEDBACK_FIELD_PREFIX) {
                named.extend(feedback_key(global));
            } else if field == FEEDBACK_FIELD {
                named.extend(decisions(change).filter_map(decision_feedback));
            }
        }
        parsed.push((i, fields));
    }
    if parsed.is_empty() {
        return Ok(());
    }
    let found = crate::engine::loader::many_by_id::<entity::feedback::Entity>(ctx, named).await?;
    let viewer = viewer(ctx);
    let readable = |key: Option<i32>| {
        key.and_then(|key| found.get(&key)).is_some_and(|row| crate::policy::can_read_feedback(viewer, row))
    };
    for (i, mut fields) in parsed {
        fields.retain(|field, _| field.strip_prefix(FEEDBACK_FIELD_PREFIX).is_none_or(|g| readable(feedback_key(g))));
        if let Some(change) = fields.get_mut(FEEDBACK_FIELD) {
            for side in ["before", "after"] {
                if let Some(serde_json::Value::Array(list)) = change.get_mut(side) {
                    list.retain(|decision| readable(decision_feedback(decision)));
                }
            }
        }
        rows[i].changes = serde_json::Value::Object(fields).to_string();
    }
    Ok(())
}

fn decisions(change: &serde_json::Value) -> impl Iterator<Item = &serde_json::Value> {
    ["before", "after"].into_iter().filter_map(|side| change.get(side).and_then(serde_json::Value::as_array)).flatten()
}

fn decision_feedback(decision: &serde_json::Value) -> Option<i32> {
    decision.get(FEEDBACK_FIELD).and_then(serde_json::Value::as_str).and_then(feedback_key)
}

// Audit rows are never updated, so they are keyed but not versioned.
impl crate::engine::loader::Keyed for audit_log::Entity {
    fn id_column() -> audit_log::Column {
        audit_log::Column::Id
    }
    fn id_of(model: &audit_log::Model) -> i32 {
        model.id
    }
}
