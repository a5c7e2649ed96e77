use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::champion_term::{self, ChampionTermKind, TermEnd};
use entity::common::{DatePrecision, Provenance};
use entity::country;

use crate::country::Country;
use crate::engine::loader::{ForeignKey, by_id};
use crate::engine::object_list::PlainFields;
use crate::error::{AppError, Result};
use crate::id::{NodeType, global_id};
use crate::scalars::Date;

/// A term of the Champion roster.
pub struct ChampionTerm(pub champion_term::Model);

/// A period in which a country was a GCM Champion country, or co-chaired the Champions' initiative: when it began and
/// ended, each with how much of the date is known, how it ended, and where the facts come from. Readable by every
/// signed-in user; kept by the Secretariat.
#[Object]
impl ChampionTerm {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::ChampionTerm, self.0.id)
    }
    /// The country holding the term.
    async fn country(&self, ctx: &Context<'_>) -> Result<Country> {
        let country = by_id::<country::Entity>(ctx, self.0.country_id)
            .await?
            .ok_or_else(|| AppError::internal("champion term without country"))?;
        Ok(Country(country))
    }
    /// A Champion designation, or a co-chair term.
    async fn kind(&self) -> ChampionTermKind {
        self.0.kind
    }
    /// When it began: the first day of its period (see `startedPrecision`); null when no source dates it.
    async fn started_on(&self) -> Option<Date> {
        self.0.started_on.map(Date)
    }
    /// How much of `startedOn` is known: DAY, or only the MONTH, QUARTER or YEAR it stands for.
    async fn started_precision(&self) -> Option<DatePrecision> {
        self.0.started_precision
    }
    /// When it ended, as the first day of its period; null while it is open.
    async fn ended_on(&self) -> Option<Date> {
        self.0.ended_on.map(Date)
    }
    /// How much of `endedOn` is known.
    async fn ended_precision(&self) -> Option<DatePrecision> {
        self.0.ended_precision
    }
    /// ENDED or WITHDRAWN once the term is over; null while it is open.
    async fn end_reason(&self) -> Option<TermEnd> {
        self.0.end_reason
    }
    /// Whether the term is still running.
    async fn is_open(&self) -> bool {
        self.0.is_open()
    }
    /// What the Secretariat noted, e.g. what the country committed to when it joined.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// Whether the facts come from a source, are illustrative demo data or were entered by a user.
    async fn provenance(&self) -> Provenance {
        self.0.provenance
    }
    /// Where the facts come from, and which of them are stand-ins (e.g. a date that is only the first meeting the
    /// country is known to have attended).
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
        crate::audit::history(ctx, NodeType::ChampionTerm, self.0.id).await
    }
    /// Optimistic-concurrency version; pass it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

impl PlainFields for ChampionTerm {
    const PLAIN_FIELDS: &'static [&'static str] = &[
        "id",
        "kind",
        "startedOn",
        "startedPrecision",
        "endedOn",
        "endedPrecision",
        "endReason",
        "isOpen",
        "note",
        "provenance",
        "sourceNote",
        "createdAt",
        "updatedAt",
        "version",
    ];
}

/// country → its roster terms.
pub struct TermsOfCountry;

impl ForeignKey for TermsOfCountry {
    type Entity = champion_term::Entity;
    fn column() -> champion_term::Column {
        champion_term::Column::CountryId
    }
    fn key_of(model: &champion_term::Model) -> Option<i32> {
        Some(model.country_id)
    }
    fn order_column() -> champion_term::Column {
        champion_term::Column::StartedOn
    }
}
