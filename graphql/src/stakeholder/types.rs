use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::common::Provenance;
use entity::country;
use entity::stakeholder::{self, StakeholderKind};

use crate::auth::guard::viewer;
use crate::contact::{Contact, ContactsOfStakeholder};
use crate::country::Country;
use crate::engine::loader::{children, maybe_by_id};
use crate::error::Result;
use crate::id::{NodeType, global_id};
use crate::policy::can_read_contact;

pub struct Stakeholder(pub stakeholder::Model);

/// An organisation or actor besides Member States' governments that engages with the guidance: a UN entity, civil
/// society, academia and others. Readable by every signed-in user; managed by the Secretariat.
#[Object]
impl Stakeholder {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::Stakeholder, self.0.id)
    }
    /// Full name, unique ignoring case.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Short form, e.g. `IOM`.
    async fn acronym(&self) -> Option<&str> {
        self.0.acronym.as_deref()
    }
    /// What sort of actor it is.
    async fn kind(&self) -> StakeholderKind {
        self.0.kind
    }
    /// What it is or does.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// The country the stakeholder is based in, if any.
    async fn country(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        Ok(maybe_by_id::<country::Entity>(ctx, self.0.country_id).await?.map(Country))
    }
    /// People at this stakeholder, by name; personal data, listed only for the Secretariat and
    /// working-group leads (empty for everyone else).
    async fn contacts(&self, ctx: &Context<'_>) -> Result<Vec<Contact>> {
        let viewer = viewer(ctx);
        let rows = children::<ContactsOfStakeholder>(ctx, self.0.id).await?;
        Ok(rows.into_iter().filter(|c| can_read_contact(viewer, c)).map(Contact).collect())
    }
    /// Whether this record comes from a source or is illustrative demo data.
    async fn provenance(&self) -> Provenance {
        self.0.provenance
    }
    /// Where the information comes from, e.g. the meeting report or briefing that records it.
    async fn source_note(&self) -> Option<&str> {
        self.0.source_note.as_deref()
    }
    /// When the record was created in the tracker.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Every recorded change to this record, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<crate::audit::AuditEntry>> {
        crate::audit::history(ctx, NodeType::Stakeholder, self.0.id).await
    }
    /// Optimistic-concurrency version; pass it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}
