use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::champion_term::ChampionTermKind;
use entity::common::{DatePrecision, Provenance};
use entity::{country, stakeholder};

use crate::auth::guard::viewer;
use crate::contact::{Contact, ContactsOfCountry};
use crate::engine::loader::{ForeignKey, children, latest_children};
use crate::engine::object_list::ObjectList;
use crate::error::AppError;
use crate::error::Result;
use crate::event::{Event, events_of_country};
use crate::feedback::{Feedback, FeedbackOfCountry};
use crate::id::{NodeType, global_id};
use crate::pilot::{Pilot, PilotsOfCountry};
use crate::planned_use::{PlannedUse, PlannedUsesOfCountry};
use crate::policy::can_read_feedback;
use crate::role::{RoleAssignment, RolesOfCountry};
use crate::roster::{ChampionTerm, TermsOfCountry};
use crate::scalars::Date;
use crate::stakeholder::Stakeholder;

/// Complexity charged for `Country.timeline` on top of its page: one union query per country.
const TIMELINE_BASE_COST: usize = 100;

/// A UN Member State.
pub struct Country(pub country::Model);

/// A UN Member State, and whether and how it engages with the guidance as a GCM Champion country.
#[Object]
impl Country {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::Country, self.0.id)
    }
    /// ISO 3166-1 alpha-3 code, e.g. `MAR`.
    async fn iso3(&self) -> &str {
        &self.0.iso3
    }
    /// ISO 3166-1 alpha-2 code, e.g. `MA`.
    async fn iso2(&self) -> &str {
        &self.0.iso2
    }
    /// Short name in English.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Full official name in English.
    async fn official_name(&self) -> &str {
        &self.0.official_name
    }
    /// Continental region: Africa, Americas, Asia, Europe or Oceania.
    async fn region(&self) -> &str {
        &self.0.region
    }
    /// Subregion within `region`, e.g. `Northern Africa`; null where none is defined.
    async fn subregion(&self) -> Option<&str> {
        self.0.subregion.as_deref()
    }
    /// Whether the country is a GCM Champion country now: it has an open CHAMPION term (see `championTerms`).
    async fn is_champion(&self) -> bool {
        self.0.is_champion
    }
    /// When its current Champion term began, as the first day of its period (see `championSincePrecision`); null
    /// when it is not a Champion now, or no source dates its designation.
    async fn champion_since(&self) -> Option<Date> {
        self.0.champion_since.map(Date)
    }
    /// How much of `championSince` is known: DAY, or only the MONTH, QUARTER or YEAR.
    async fn champion_since_precision(&self) -> Option<DatePrecision> {
        self.0.champion_since_precision
    }
    /// Whether the current Champion term is sourced or illustrative demo data.
    async fn champion_provenance(&self) -> Option<Provenance> {
        self.0.champion_provenance
    }
    /// The note on its current Champion term, e.g. where the fact comes from.
    async fn champion_note(&self) -> Option<&str> {
        self.0.champion_note.as_deref()
    }
    /// Whether the country co-chairs the Champions' initiative now.
    async fn is_co_chair(&self, ctx: &Context<'_>) -> Result<bool> {
        let terms = children::<TermsOfCountry>(ctx, self.0.id).await?;
        Ok(terms.iter().any(|t| t.kind == ChampionTermKind::CoChair && t.is_open()))
    }
    /// The country's whole roster record: every Champion designation and co-chair term, ended ones included, by
    /// start date (undated ones first).
    async fn champion_terms(&self, ctx: &Context<'_>) -> Result<ObjectList<ChampionTerm>> {
        Ok(children::<TermsOfCountry>(ctx, self.0.id).await?.into_iter().map(ChampionTerm).collect())
    }
    /// The Champion roles this country has held or holds, by role.
    async fn roles(&self, ctx: &Context<'_>) -> Result<ObjectList<RoleAssignment>> {
        Ok(children::<RolesOfCountry>(ctx, self.0.id).await?.into_iter().map(RoleAssignment).collect())
    }
    /// Feedback this country gave, newest first (by day received, then by entry); with `latest`,
    /// only that many (1 to 100). Empty for viewers who may not read it.
    #[graphql(complexity = "latest.map_or(child_complexity, |n| n.clamp(1, 100) as usize * child_complexity)")]
    async fn feedback(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only the newest this many, 1 to 100; all when omitted.")] latest: Option<i32>,
    ) -> Result<ObjectList<Feedback>> {
        let viewer = viewer(ctx);
        let rows = match latest {
            Some(n) if !(1..=100).contains(&n) => {
                return Err(AppError::bad_input("latest", "`latest` is between 1 and 100"));
            }
            Some(n) => latest_children::<FeedbackOfCountry>(ctx, self.0.id, n as u64).await?,
            None => {
                let mut rows = children::<FeedbackOfCountry>(ctx, self.0.id).await?;
                rows.reverse();
                rows
            }
        };
        Ok(rows.into_iter().filter(|row| can_read_feedback(viewer, row)).map(Feedback).collect())
    }
    /// This country's roles, pilots, feedback, planned uses and events, oldest first. Each country's
    /// timeline is its own query, so the field is priced high: listing many countries with their
    /// timelines is refused by the complexity limit (use the root `timeline` instead).
    #[graphql(complexity = "TIMELINE_BASE_COST + crate::pagination::page_complexity(first, last, child_complexity)")]
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "First day, inclusive.")] from: Option<Date>,
        #[graphql(desc = "Last day, inclusive.")] to: Option<Date>,
        #[graphql(desc = "Only these kinds; all when omitted.")] kinds: Option<Vec<crate::timeline::TimelineKind>>,
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
    ) -> Result<crate::pagination::AppConnection<crate::timeline::TimelineEntry>> {
        let filter = crate::timeline::TimelineFilter { country: None, from, to, kinds };
        let args = crate::pagination::PageArgs::new(after, before, first, last);
        crate::timeline::timeline_connection(ctx, filter, Some(self.0.id), args).await
    }
    /// Stakeholders based in this country.
    async fn stakeholders(&self, ctx: &Context<'_>) -> Result<Vec<Stakeholder>> {
        let rows = children::<StakeholdersOfCountry>(ctx, self.0.id).await?;
        Ok(rows.into_iter().map(Stakeholder).collect())
    }
    /// Events this country takes part in, earliest first.
    async fn events(&self, ctx: &Context<'_>) -> Result<Vec<Event>> {
        events_of_country(ctx, self.0.id).await
    }
    /// The country's pilots, by start date; empty unless the viewer may read this country's records.
    async fn pilots(&self, ctx: &Context<'_>) -> Result<Vec<Pilot>> {
        if !viewer(ctx).can_read_country(Some(self.0.id)) {
            return Ok(Vec::new());
        }
        Ok(children::<PilotsOfCountry>(ctx, self.0.id).await?.into_iter().map(Pilot).collect())
    }
    /// How the country plans to use the guidance, by target date; empty unless the viewer may
    /// read this country's records.
    async fn planned_uses(&self, ctx: &Context<'_>) -> Result<Vec<PlannedUse>> {
        if !viewer(ctx).can_read_country(Some(self.0.id)) {
            return Ok(Vec::new());
        }
        Ok(children::<PlannedUsesOfCountry>(ctx, self.0.id).await?.into_iter().map(PlannedUse).collect())
    }
    /// People at the country's government, by name; empty unless the viewer may read this
    /// country's records.
    async fn contacts(&self, ctx: &Context<'_>) -> Result<Vec<Contact>> {
        if !viewer(ctx).can_read_country(Some(self.0.id)) {
            return Ok(Vec::new());
        }
        Ok(children::<ContactsOfCountry>(ctx, self.0.id).await?.into_iter().map(Contact).collect())
    }
    /// When the record was created in the tracker.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Every recorded change to the country's row (its Champion status, as the roster changed it), oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<crate::audit::AuditEntry>> {
        crate::audit::history(ctx, NodeType::Country, self.0.id).await
    }
    /// Change counter of the record, raised by every change to it (the roster mutations change its Champion status).
    async fn version(&self) -> i32 {
        self.0.version
    }
}

pub struct StakeholdersOfCountry;

impl ForeignKey for StakeholdersOfCountry {
    type Entity = stakeholder::Entity;
    fn column() -> stakeholder::Column {
        stakeholder::Column::CountryId
    }
    fn key_of(model: &stakeholder::Model) -> Option<i32> {
        model.country_id
    }
    fn order_column() -> stakeholder::Column {
        stakeholder::Column::Name
    }
}
