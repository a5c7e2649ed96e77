use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use entity::stakeholder::{self, StakeholderKind};
use sea_orm::ConnectionTrait;

use super::Stakeholder;
use super::service::{self, NewStakeholder, StakeholderChanges};
use crate::audit;
use crate::auth::guard::Require;
use crate::context::{Access, db};
use crate::country::find_by_iso3;
use crate::error::AppResult;
use crate::node::NodeType;
use crate::validate::existing;
use crate::write::{begin_write, claim_version};

#[derive(InputObject)]
pub struct CreateStakeholderInput {
    /// Unique, ignoring case.
    pub name: String,
    pub acronym: Option<String>,
    pub kind: StakeholderKind,
    /// ISO3 code of the country the stakeholder is based in, if any.
    pub country: Option<String>,
    pub description: Option<String>,
    /// Where the information comes from.
    pub source_note: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateStakeholderInput {
    pub name: Option<String>,
    /// Set, or null to clear.
    pub acronym: MaybeUndefined<String>,
    pub kind: Option<StakeholderKind>,
    /// ISO3 code, or null when the stakeholder is not based in one country.
    pub country: MaybeUndefined<String>,
    pub description: MaybeUndefined<String>,
    pub source_note: MaybeUndefined<String>,
}

async fn country_id(db: &impl ConnectionTrait, iso3: Option<&str>) -> AppResult<Option<i32>> {
    match iso3 {
        Some(iso3) => Ok(Some(find_by_iso3(db, iso3, "country").await?.id)),
        None => Ok(None),
    }
}

#[derive(Default)]
pub struct StakeholderMutation;

#[Object]
impl StakeholderMutation {
    #[graphql(guard = "Require(Access::Admin)")]
    async fn create_stakeholder(
        &self,
        ctx: &Context<'_>,
        input: CreateStakeholderInput,
    ) -> async_graphql::Result<Stakeholder> {
        let txn = begin_write(db(ctx)?).await?;
        let new = NewStakeholder {
            name: &input.name,
            acronym: input.acronym.as_deref(),
            kind: input.kind,
            country_id: country_id(&txn, input.country.as_deref()).await?,
            description: input.description.as_deref(),
            source_note: input.source_note.as_deref(),
        };
        let created = service::create(&txn, new).await?;
        audit::commit(txn, ctx, NodeType::Stakeholder, created.id, None, Some(&created), vec![]).await?;
        Ok(Stakeholder(created))
    }

    #[graphql(guard = "Require(Access::Admin)")]
    async fn update_stakeholder(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: UpdateStakeholderInput,
        expected_version: i32,
    ) -> async_graphql::Result<Stakeholder> {
        let txn = begin_write(db(ctx)?).await?;
        let current = existing::<stakeholder::Entity>(&txn, &id, NodeType::Stakeholder, "id").await?;
        let country = match input.country {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(iso3) => Some(country_id(&txn, Some(&iso3)).await?),
        };
        let claimed = claim_version::<stakeholder::Entity>(&txn, current.id, expected_version, "Stakeholder").await?;
        let before = claimed.clone();
        let changes = StakeholderChanges {
            name: input.name,
            acronym: input.acronym.into(),
            kind: input.kind,
            country_id: country,
            description: input.description.into(),
            source_note: input.source_note.into(),
        };
        let updated = service::change(&txn, claimed, changes).await?;
        audit::commit(txn, ctx, NodeType::Stakeholder, updated.id, Some(&before), Some(&updated), vec![]).await?;
        Ok(Stakeholder(updated))
    }

    /// Removes a stakeholder nothing refers to any more (else `CONFLICT`). Returns its id.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn delete_stakeholder(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ID> {
        let txn = begin_write(db(ctx)?).await?;
        let stakeholder = existing::<stakeholder::Entity>(&txn, &id, NodeType::Stakeholder, "id").await?;
        let before = stakeholder.clone();
        service::delete(&txn, stakeholder).await?;
        audit::commit(txn, ctx, NodeType::Stakeholder, before.id, Some(&before), None, vec![]).await?;
        Ok(id)
    }
}
