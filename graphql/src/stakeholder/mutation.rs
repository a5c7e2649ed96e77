use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use entity::stakeholder::{self, StakeholderKind};
use sea_orm::ConnectionTrait;

use super::Stakeholder;
use super::service::{self, NewStakeholder, StakeholderChanges};
use crate::auth::guard::Require;
use crate::context::Access;
use crate::country::find_by_iso3;
use crate::error::Result;
use crate::id::NodeType;
use crate::validate::existing;
use crate::write::Change;
use crate::write::{UnitOfWork, claim_version};

/// A new stakeholder.
#[derive(InputObject)]
pub struct CreateStakeholderInput {
    /// Unique, ignoring case.
    pub name: String,
    /// Short form, up to 32 characters, e.g. `IOM`.
    pub acronym: Option<String>,
    /// What sort of actor it is.
    pub kind: StakeholderKind,
    /// ISO3 code of the country the stakeholder is based in, if any.
    pub country: Option<String>,
    /// What it is or does, up to 20,000 characters.
    pub description: Option<String>,
    /// Where the information comes from.
    pub source_note: Option<String>,
}

/// Changes to a stakeholder; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateStakeholderInput {
    /// New name, unique ignoring case.
    pub name: Option<String>,
    /// Set, or null to clear.
    pub acronym: MaybeUndefined<String>,
    /// New kind of actor.
    pub kind: Option<StakeholderKind>,
    /// ISO3 code, or null when the stakeholder is not based in one country.
    pub country: MaybeUndefined<String>,
    /// Set, or null to clear.
    pub description: MaybeUndefined<String>,
    /// Set, or null to clear.
    pub source_note: MaybeUndefined<String>,
}

async fn country_id(db: &impl ConnectionTrait, iso3: Option<&str>) -> Result<Option<i32>> {
    match iso3 {
        Some(iso3) => Ok(Some(find_by_iso3(db, iso3, "country").await?.id)),
        None => Ok(None),
    }
}

#[derive(Default)]
pub struct StakeholderMutation;

#[Object]
impl StakeholderMutation {
    /// Records a stakeholder. Secretariat only.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn create_stakeholder(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The stakeholder to record.")] input: CreateStakeholderInput,
    ) -> Result<Stakeholder> {
        let work = UnitOfWork::begin(ctx).await?;
        let new = NewStakeholder {
            name: &input.name,
            acronym: input.acronym.as_deref(),
            kind: input.kind,
            country_id: country_id(work.txn(), input.country.as_deref()).await?,
            description: input.description.as_deref(),
            source_note: input.source_note.as_deref(),
        };
        let created = service::create(work.txn(), new).await?;
        work.commit(Change::created(NodeType::Stakeholder, created.id, &created)).await?;
        Ok(Stakeholder(created))
    }

    /// Changes a stakeholder's name, acronym, kind, country, description or source note. Secretariat only.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn update_stakeholder(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the stakeholder.")] id: ID,
        #[graphql(desc = "The fields to change; those left out stay as they are.")] input: UpdateStakeholderInput,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<Stakeholder> {
        let work = UnitOfWork::begin(ctx).await?;
        let current = existing::<stakeholder::Entity>(work.txn(), &id, NodeType::Stakeholder, "id").await?;
        let country = match input.country {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(iso3) => Some(country_id(work.txn(), Some(&iso3)).await?),
        };
        let claimed =
            claim_version::<stakeholder::Entity>(work.txn(), current.id, expected_version, "Stakeholder").await?;
        let before = claimed.clone();
        let changes = StakeholderChanges {
            name: input.name,
            acronym: input.acronym.into(),
            kind: input.kind,
            country_id: country,
            description: input.description.into(),
            source_note: input.source_note.into(),
        };
        let updated = service::change(work.txn(), claimed, changes).await?;
        work.commit(Change::updated(NodeType::Stakeholder, updated.id, &before, &updated)).await?;
        Ok(Stakeholder(updated))
    }

    /// Removes a stakeholder nothing refers to any more (else `CONFLICT`). Returns its id.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn delete_stakeholder(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the stakeholder.")] id: ID,
    ) -> Result<ID> {
        let work = UnitOfWork::begin(ctx).await?;
        let stakeholder = existing::<stakeholder::Entity>(work.txn(), &id, NodeType::Stakeholder, "id").await?;
        let before = stakeholder.clone();
        service::delete(work.txn(), stakeholder).await?;
        work.commit(Change::deleted(NodeType::Stakeholder, before.id, &before)).await?;
        Ok(id)
    }
}
