use async_graphql::{Context, ID, InputObject, Object};
use chrono::Utc;
use entity::common::DatePrecision;
use entity::feedback::{self, FeedbackChannel, FeedbackKind, FeedbackStatus};
use sea_orm::ModelTrait;

use super::service::{self, Content, SourceInput};
use super::{Feedback, FeedbackSections};
use crate::auth::guard::{Require, viewer};
use crate::bus::ActivityKind;
use crate::context::Access;
use crate::error::AppError;
use crate::error::Result;
use crate::id::{NodeType, expect_global_id};
use crate::scalars::Date;
use crate::write::Change;
use crate::write::{UnitOfWork, claim_version};

/// A new feedback. The Secretariat records feedback from any source; a Champion focal point only its own country's. It
/// starts RECEIVED.
#[derive(InputObject)]
pub struct SubmitFeedbackInput {
    /// ISO3 code of the country giving the feedback. Give exactly one of country, stakeholder, collective.
    pub country: Option<String>,
    /// Global id of the stakeholder giving the feedback. Only the Secretariat records stakeholder or collective
    /// feedback.
    pub stakeholder: Option<ID>,
    /// A named group giving the feedback together, e.g. "Champions".
    pub collective: Option<String>,
    /// How it reached the Network; PILOT needs `pilot`, EVENT needs `event`.
    pub channel: FeedbackChannel,
    /// What sort of comment it is.
    pub kind: FeedbackKind,
    /// The text, up to 20,000 characters; surrounding blanks are trimmed.
    pub body: String,
    /// ISO 639-1 code of the body's language.
    #[graphql(default = "en")]
    pub language: String,
    /// The guide version the feedback was given on.
    pub guide_version: ID,
    /// Codes of the sections it is about (at least one), e.g. `["III.A"]`.
    pub sections: Vec<String>,
    /// Global id of the pilot it came from; a pilot of the same country.
    pub pilot: Option<ID>,
    /// Global id of the event at which it was given.
    pub event: Option<ID>,
    /// Day it was received; today when omitted.
    pub received_on: Option<Date>,
    /// How much of `receivedOn` is known (DAY when omitted): a comment received "in February 2021" is
    /// `receivedOn: "2021-02-01", receivedPrecision: MONTH`.
    #[graphql(default_with = "DatePrecision::Day")]
    pub received_precision: DatePrecision,
}

/// The whole new content of a feedback: every field is replaced. Who gave it stays as recorded.
#[derive(InputObject)]
pub struct UpdateFeedbackInput {
    /// How it reached the Network; PILOT needs `pilot`, EVENT needs `event`.
    pub channel: FeedbackChannel,
    /// What sort of comment it is.
    pub kind: FeedbackKind,
    /// The text, up to 20,000 characters; surrounding blanks are trimmed.
    pub body: String,
    /// ISO 639-1 code of the body's language.
    #[graphql(default = "en")]
    pub language: String,
    /// Global id of the guide version the feedback was given on.
    pub guide_version: ID,
    /// Codes of the sections it is about (at least one); they replace the current ones.
    pub sections: Vec<String>,
    /// Global id of the pilot it came from; null removes the link.
    pub pilot: Option<ID>,
    /// Global id of the event at which it was given; null removes the link.
    pub event: Option<ID>,
    /// The day it was received; not in the future.
    pub received_on: Date,
    /// How much of `receivedOn` is known (DAY when omitted).
    #[graphql(default_with = "DatePrecision::Day")]
    pub received_precision: DatePrecision,
}

#[derive(Default)]
pub struct FeedbackMutation;

#[Object]
impl FeedbackMutation {
    /// Records feedback. A Champion focal point submits for its own country only.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn submit_feedback(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The feedback, its source and the sections it is about.")] input: SubmitFeedbackInput,
    ) -> Result<Feedback> {
        let work = UnitOfWork::begin(ctx).await?;
        let source =
            SourceInput { country: input.country, stakeholder: input.stakeholder, collective: input.collective };
        let content = Content {
            channel: input.channel,
            kind: input.kind,
            body: input.body,
            language: input.language,
            guide_version: input.guide_version,
            sections: input.sections,
            pilot: input.pilot,
            event: input.event,
            received_on: input.received_on.map_or_else(|| Utc::now().date_naive(), |Date(d)| d),
            received_precision: input.received_precision,
        };
        let row = service::submit(work.txn(), viewer(ctx), source, content).await?;
        let sections = crate::write::linked_section_codes::<FeedbackSections>(work.txn(), row.id).await?;
        let extra = vec![("sections", serde_json::Value::Null, sections)];
        let committed = work.commit(Change::created(NodeType::Feedback, row.id, &row).with(extra)).await?;
        committed.publish(ActivityKind::FeedbackSubmitted, row.id, row.country_id, false).await;
        Ok(Feedback(row))
    }

    /// Corrects a feedback's content. Its Champion may do so until triage starts.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn update_feedback(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the feedback.")] id: ID,
        #[graphql(desc = "Its new content.")] input: UpdateFeedbackInput,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<Feedback> {
        let work = UnitOfWork::begin(ctx).await?;
        // Visibility and rights first, so another country's feedback cannot be probed by version.
        let found = crate::validate::existing::<feedback::Entity>(work.txn(), &id, NodeType::Feedback, "id").await?;
        if !crate::policy::can_read_feedback(viewer(ctx), &found) {
            return Err(AppError::not_found("Feedback", "id"));
        }
        service::require_editor(viewer(ctx), &found)?;
        let current = claim_version::<feedback::Entity>(work.txn(), found.id, expected_version, "Feedback").await?;
        let before = current.clone();
        let content = Content {
            channel: input.channel,
            kind: input.kind,
            body: input.body,
            language: input.language,
            guide_version: input.guide_version,
            sections: input.sections,
            pilot: input.pilot,
            event: input.event,
            received_on: input.received_on.0,
            received_precision: input.received_precision,
        };
        let sections_before = crate::write::linked_section_codes::<FeedbackSections>(work.txn(), current.id).await?;
        let row = service::update(work.txn(), viewer(ctx), current, content).await?;
        let sections_after = crate::write::linked_section_codes::<FeedbackSections>(work.txn(), row.id).await?;
        let extra = vec![("sections", sections_before, sections_after)];
        work.commit(Change::updated(NodeType::Feedback, row.id, &before, &row).with(extra)).await?;
        Ok(Feedback(row))
    }

    /// Triage: moves a feedback to a new status, with the Network's response.
    #[graphql(guard = "Require(Access::Triage)")]
    async fn set_feedback_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the feedback.")] id: ID,
        #[graphql(desc = "The new triage status.")] status: FeedbackStatus,
        #[graphql(
            desc = "Required for ACCEPTED, PARTIALLY_ACCEPTED, DECLINED or ADDRESSED unless it already has one."
        )]
        response: Option<String>,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<Feedback> {
        let key = expect_global_id(&id, NodeType::Feedback, "id")?;
        let work = UnitOfWork::begin(ctx).await?;
        let current = claim_version::<feedback::Entity>(work.txn(), key, expected_version, "Feedback").await?;
        let before = current.clone();
        let row = service::set_status(work.txn(), current, status, response.as_deref()).await?;
        let committed = work.commit(Change::updated(NodeType::Feedback, row.id, &before, &row)).await?;
        committed.publish(ActivityKind::FeedbackTriaged, row.id, row.country_id, false).await;
        Ok(Feedback(row))
    }

    /// Withdraws a feedback recorded by mistake. Returns its id.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn delete_feedback(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the feedback.")] id: ID,
    ) -> Result<ID> {
        let work = UnitOfWork::begin(ctx).await?;
        let current = crate::validate::existing::<feedback::Entity>(work.txn(), &id, NodeType::Feedback, "id").await?;
        if !crate::policy::can_read_feedback(viewer(ctx), &current) {
            return Err(AppError::not_found("Feedback", "id"));
        }
        service::require_editor(viewer(ctx), &current)?;
        let answered = crate::revision::responses_to(work.txn(), current.id).await?;
        crate::write::refuse_if_referenced("feedback", &[("revision decisions", answered)])?;
        let before = current.clone();
        current.delete(work.txn()).await?;
        work.commit(Change::deleted(NodeType::Feedback, before.id, &before)).await?;
        Ok(id)
    }
}
