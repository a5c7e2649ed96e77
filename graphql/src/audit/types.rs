use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, Json, Object};
use chrono::{DateTime, Utc};
use entity::{audit_log, user_account};
use sea_orm::{ColumnTrait, Condition, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::auth::guard::viewer;
use crate::error::{AppError, AppResult};
use crate::loader::{DbLoader, maybe_by_id};
use crate::node::{NodeType, global_id};
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
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let user = maybe_by_id::<user_account::Entity>(ctx, self.0.actor_id).await?;
        Ok(user.filter(|u| User::visible_to(viewer(ctx), u)).map(User))
    }
    /// The actor's email when the change was made; shown to the Secretariat, to working-group
    /// leads and to the actor, hidden (null) from other Champion focal points.
    async fn actor_email(&self, ctx: &Context<'_>) -> Option<&str> {
        let viewer = viewer(ctx);
        let sees_all = matches!(viewer.country_scope(), Ok(None));
        (sees_all || viewer.user_id() == self.0.actor_id).then_some(self.0.actor_email.as_str())
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
    async fn changes(&self, ctx: &Context<'_>) -> async_graphql::Result<Json<serde_json::Value>> {
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
/// may read.
pub async fn history(ctx: &Context<'_>, kind: NodeType, id: i32) -> AppResult<Vec<AuditEntry>> {
    let rows = crate::loader::loader(ctx)?.load_one(HistoryOf(kind, id)).await?.unwrap_or_default();
    Ok(rows.into_iter().map(AuditEntry).collect())
}

// Audit rows are never updated, so they are keyed but not versioned.
impl crate::loader::Keyed for audit_log::Entity {
    fn id_column() -> audit_log::Column {
        audit_log::Column::Id
    }
    fn id_of(model: &audit_log::Model) -> i32 {
        model.id
    }
}
