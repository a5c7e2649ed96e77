use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::common::{DatePrecision, Provenance};
use entity::feedback::{self, FeedbackChannel, FeedbackKind, FeedbackStatus};
use entity::{country, event, feedback_section, guide_section, guide_version, pilot, stakeholder, user_account};

use crate::auth::guard::viewer;
use crate::country::Country;
use crate::engine::loader::{ForeignKey, LinkTable, by_id, linked, maybe_by_id};
use crate::engine::object_list::{ObjectList, PlainFields};
use crate::error::AppError;
use crate::error::Result;
use crate::event::Event;
use crate::guide::{GuideVersion, Section};
use crate::id::{NodeType, global_id};
use crate::pilot::Pilot;
use crate::scalars::Date;
use crate::stakeholder::Stakeholder;
use crate::user::User;

/// One piece of feedback on a version of the guidance.
pub struct Feedback(pub feedback::Model);

/// One piece of feedback on a version of the guidance: who gave it, through which channel, about which sections, and
/// how it was triaged. A Champion focal point reads only its own country's feedback and collective feedback.
#[Object]
impl Feedback {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::Feedback, self.0.id)
    }
    /// The country that gave it, when a country did.
    async fn country(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        Ok(maybe_by_id::<country::Entity>(ctx, self.0.country_id).await?.map(Country))
    }
    /// The stakeholder that gave it, when a stakeholder did.
    async fn stakeholder(&self, ctx: &Context<'_>) -> Result<Option<Stakeholder>> {
        Ok(maybe_by_id::<stakeholder::Entity>(ctx, self.0.stakeholder_id).await?.map(Stakeholder))
    }
    /// A named group that gave it together, e.g. "Champions".
    async fn collective(&self) -> Option<&str> {
        self.0.collective.as_deref()
    }
    /// How it reached the Network.
    async fn channel(&self) -> FeedbackChannel {
        self.0.channel
    }
    /// What sort of comment it is.
    async fn kind(&self) -> FeedbackKind {
        self.0.kind
    }
    /// The feedback's text, as given.
    async fn body(&self) -> &str {
        &self.0.body
    }
    /// ISO 639-1 code of the body's language.
    async fn language(&self) -> &str {
        &self.0.language
    }
    /// The draft the feedback was given on.
    async fn guide_version(&self, ctx: &Context<'_>) -> Result<GuideVersion> {
        let version = by_id::<guide_version::Entity>(ctx, self.0.guide_version_id)
            .await?
            .ok_or_else(|| AppError::internal("feedback without guide version"))?;
        Ok(GuideVersion(version))
    }
    /// The sections the feedback is about.
    async fn sections(&self, ctx: &Context<'_>) -> Result<ObjectList<Section>> {
        Ok(linked::<FeedbackSections>(ctx, self.0.id).await?.into_iter().map(Section).collect())
    }
    /// The pilot that produced it, if any (visible to those who may read that country's records).
    async fn pilot(&self, ctx: &Context<'_>) -> Result<Option<Pilot>> {
        let pilot = maybe_by_id::<pilot::Entity>(ctx, self.0.pilot_id).await?;
        Ok(pilot.filter(|p| viewer(ctx).can_read_country(Some(p.country_id))).map(Pilot))
    }
    /// The event at which it was given, if any.
    async fn event(&self, ctx: &Context<'_>) -> Result<Option<Event>> {
        Ok(maybe_by_id::<event::Entity>(ctx, self.0.event_id).await?.map(Event))
    }
    /// Where it stands in triage.
    async fn status(&self) -> FeedbackStatus {
        self.0.status
    }
    /// The Network's answer, set when the feedback is triaged.
    async fn response(&self) -> Option<&str> {
        self.0.response.as_deref()
    }
    /// When `response` was last set; null while there is none.
    async fn responded_at(&self) -> Option<DateTime<Utc>> {
        self.0.responded_at
    }
    /// The day the Network received it.
    async fn received_on(&self) -> Date {
        Date(self.0.received_on)
    }
    /// How much of `receivedOn` is known: DAY, or only the MONTH, QUARTER or YEAR it stands for (the date given is the
    /// period's first day).
    async fn received_precision(&self) -> DatePrecision {
        self.0.received_precision
    }
    /// The account that recorded it; visible to that user and to the Secretariat.
    async fn submitted_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let user = maybe_by_id::<user_account::Entity>(ctx, self.0.submitted_by_id).await?;
        Ok(user.filter(|u| crate::policy::can_read_user(viewer(ctx), u)).map(User))
    }
    /// Whether this record comes from a source, is illustrative demo data or was entered by a user.
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
    /// The revisions that answered this feedback, each with its decision and rationale, oldest first.
    async fn addressed_by(&self, ctx: &Context<'_>) -> Result<Vec<crate::revision::FeedbackResponse>> {
        crate::revision::responses_to_feedback(ctx, self.0.id).await
    }
    /// Every recorded change to this record, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<crate::audit::AuditEntry>> {
        crate::audit::history(ctx, NodeType::Feedback, self.0.id).await
    }
    /// Optimistic-concurrency version; pass it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

impl PlainFields for Feedback {
    const PLAIN_FIELDS: &'static [&'static str] = &[
        "id",
        "collective",
        "channel",
        "kind",
        "body",
        "language",
        "status",
        "response",
        "respondedAt",
        "receivedOn",
        "receivedPrecision",
        "provenance",
        "sourceNote",
        "createdAt",
        "updatedAt",
        "version",
    ];
}

pub struct FeedbackOfCountry;

impl ForeignKey for FeedbackOfCountry {
    type Entity = feedback::Entity;
    fn column() -> feedback::Column {
        feedback::Column::CountryId
    }
    fn key_of(model: &feedback::Model) -> Option<i32> {
        model.country_id
    }
    fn order_column() -> feedback::Column {
        feedback::Column::ReceivedOn
    }
}

/// feedback → the sections it is about.
pub struct FeedbackSections;

impl LinkTable for FeedbackSections {
    type Link = feedback_section::Entity;
    type Target = guide_section::Entity;
    fn owner_column() -> feedback_section::Column {
        feedback_section::Column::FeedbackId
    }
    fn target_column() -> feedback_section::Column {
        feedback_section::Column::SectionId
    }
    fn owner_of(link: &feedback_section::Model) -> i32 {
        link.feedback_id
    }
    fn target_of(link: &feedback_section::Model) -> i32 {
        link.section_id
    }
}

/// section → the feedback about it.
pub struct SectionFeedback;

impl LinkTable for SectionFeedback {
    type Link = feedback_section::Entity;
    type Target = feedback::Entity;
    fn owner_column() -> feedback_section::Column {
        feedback_section::Column::SectionId
    }
    fn target_column() -> feedback_section::Column {
        feedback_section::Column::FeedbackId
    }
    fn owner_of(link: &feedback_section::Model) -> i32 {
        link.section_id
    }
    fn target_of(link: &feedback_section::Model) -> i32 {
        link.feedback_id
    }
}

pub struct FeedbackOfPilot;

impl ForeignKey for FeedbackOfPilot {
    type Entity = feedback::Entity;
    fn column() -> feedback::Column {
        feedback::Column::PilotId
    }
    fn key_of(model: &feedback::Model) -> Option<i32> {
        model.pilot_id
    }
    fn order_column() -> feedback::Column {
        feedback::Column::ReceivedOn
    }
}

pub struct FeedbackOfEvent;

impl ForeignKey for FeedbackOfEvent {
    type Entity = feedback::Entity;
    fn column() -> feedback::Column {
        feedback::Column::EventId
    }
    fn key_of(model: &feedback::Model) -> Option<i32> {
        model.event_id
    }
    fn order_column() -> feedback::Column {
        feedback::Column::ReceivedOn
    }
}

/// Feedback along `F` that the viewer may read.
pub async fn visible_children<F>(ctx: &Context<'_>, parent_id: i32) -> Result<ObjectList<Feedback>>
where
    F: ForeignKey<Entity = feedback::Entity>,
{
    let viewer = viewer(ctx);
    let rows = crate::engine::loader::children::<F>(ctx, parent_id).await?;
    Ok(rows.into_iter().filter(|row| crate::policy::can_read_feedback(viewer, row)).map(Feedback).collect())
}
