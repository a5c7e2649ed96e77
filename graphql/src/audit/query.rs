use async_graphql::{Context, ID, InputObject, Object};
use chrono::{DateTime, Utc};
use entity::audit_log;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};

use super::AuditEntry;
use crate::auth::guard::Require;
use crate::context::{Access, db};
use crate::error::AppError;
use crate::error::Result;
use crate::id::{NodeType, decode_global_id, expect_global_id};
use crate::pagination::{AppConnection, OrderDirection, Ordered, PageArgs, StringFilter, paginate};

/// Which audit entries to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct AuditLogFilter {
    /// The user who made the changes.
    pub actor: Option<ID>,
    /// Only changes whose actor's email (as it was then) matches.
    pub actor_email: Option<StringFilter>,
    /// Type of the changed records, e.g. `Feedback`.
    pub entity_type: Option<String>,
    /// Global id of one record.
    pub entity_id: Option<ID>,
    /// Mutation name, e.g. `setFeedbackStatus`.
    pub action: Option<StringFilter>,
    /// From this instant, inclusive.
    pub from: Option<DateTime<Utc>>,
    /// Up to this instant, inclusive.
    pub to: Option<DateTime<Utc>>,
}

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// Every recorded change, newest first. Secretariat only.
    #[graphql(
        guard = "Require(Access::Admin)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which entries; all when omitted.")] filter: Option<AuditLogFilter>,
        #[graphql(desc = "Relay paging: only items after this cursor (`endCursor` or an edge's `cursor`).")]
        after: Option<String>,
        #[graphql(desc = "Relay paging: only items before this cursor (`startCursor` or an edge's `cursor`).")]
        before: Option<String>,
        #[graphql(
            desc = "Relay paging: at most this many items from the start, 0 to 100 (20 when `last` is absent too)."
        )]
        first: Option<i32>,
        #[graphql(desc = "Relay paging: at most this many items from the end (or just before `before`), 0 to 100.")]
        last: Option<i32>,
    ) -> Result<AppConnection<AuditEntry>> {
        use audit_log::Column;
        let filter = filter.unwrap_or_default();
        let mut condition = Condition::all();
        if let Some(id) = &filter.actor {
            condition = condition.add(Column::ActorId.eq(expect_global_id(id, NodeType::User, "filter.actor")?));
        }
        if let Some(f) = &filter.actor_email {
            condition = condition.add(f.condition(Column::ActorEmail));
        }
        if let Some(kind) = &filter.entity_type {
            condition = condition.add(Column::EntityType.eq(kind.trim()));
        }
        if let Some(id) = &filter.entity_id {
            let (kind, key) = decode_global_id(id, "filter.entityId")?;
            condition = condition.add(Column::EntityType.eq(kind.name())).add(Column::EntityId.eq(key));
        }
        if let Some(f) = &filter.action {
            condition = condition.add(f.condition(Column::Action));
        }
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && to < from
        {
            return Err(AppError::bad_input("filter.to", "`to` is before `from`"));
        }
        if let Some(from) = filter.from {
            condition = condition.add(Column::At.gte(from));
        }
        if let Some(to) = filter.to {
            condition = condition.add(Column::At.lte(to));
        }
        let select = Ordered::by(
            audit_log::Entity::find().filter(condition),
            [(Column::At, OrderDirection::Desc), (Column::Id, OrderDirection::Desc)],
        );
        paginate(ctx, db(ctx)?, select, PageArgs::new(after, before, first, last), AuditEntry).await
    }
}
