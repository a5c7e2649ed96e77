use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use chrono::Utc;
use entity::common::DatePrecision;
use entity::document::DocumentKind;
use entity::guide_section::SectionKind;
use entity::guide_version::{self, VersionStage};
use entity::revision::{self, RevisionKind, RevisionStatus};
use entity::revision_feedback::{self, Disposition};
use entity::revision_section::SectionChangeKind;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use super::history::Trail;
use super::service::{self, Content, LinkRequest, SectionChangeRequest, Touched};
use super::{FeedbackResponse, Revision};
use crate::auth::guard::{Require, viewer};
use crate::bus::ActivityKind;
use crate::context::Access;
use crate::error::AppError;
use crate::error::Result;
use crate::guide::GuideVersion;
use crate::id::{NodeType, expect_global_id, global_id};
use crate::scalars::Date;
use crate::validate::MAX_LINKS;
use crate::write::Change;
use crate::write::{Committed, UnitOfWork, claim_version};

/// A new version of the Guide or the Booklet, open for revisions until it is released.
#[derive(InputObject)]
pub struct CreateGuideVersionInput {
    /// The document the version belongs to.
    pub document: DocumentKind,
    /// Short stable key, unique within the document, e.g. `2023-REVISED`.
    pub code: String,
    /// Its name for readers, e.g. `Revised guidance material`.
    pub label: String,
    /// How far along the guidance it is; DRAFT when omitted.
    #[graphql(default_with = "VersionStage::Draft")]
    pub stage: VersionStage,
    /// The planned release date; not before the document's latest released version.
    pub planned_release_on: Date,
    /// How exact `plannedReleaseOn` is; DAY when omitted.
    #[graphql(default_with = "DatePrecision::Day")]
    pub precision: DatePrecision,
    /// ISO 639-1 codes the version will exist in.
    #[graphql(default_with = "vec![\"en\".to_owned()]")]
    pub languages: Vec<String>,
    /// Free-text notes about the version, up to 20,000 characters.
    pub notes: Option<String>,
}

/// One section touched by a revision. Which other fields apply depends on `change`:
/// ADDED takes `title` and `kind` (required), `titleFr`, `titleEs`, `parentCode`, `position`,
/// `summary`; RENAMED takes `newCode` and/or titles; MOVED takes `parentCode` (null for the top
/// level) and/or `position`; REVISED may take a new `summary`; RETIRED takes nothing else.
#[derive(InputObject)]
pub struct SectionChangeInput {
    /// What happens to the section; it decides which other fields apply.
    pub change: SectionChangeKind,
    /// The section's current code; for ADDED, the new section's code.
    pub code: String,
    /// RENAMED: the new code, 1 to 32 letters, digits, dots or dashes, not taken by another section.
    pub new_code: Option<String>,
    /// ADDED (required) or RENAMED: the English title.
    pub title: Option<String>,
    /// ADDED or RENAMED: the French title.
    pub title_fr: Option<String>,
    /// ADDED or RENAMED: the Spanish title.
    pub title_es: Option<String>,
    /// ADDED (required): what the new section is.
    pub kind: Option<SectionKind>,
    /// ADDED or MOVED: code of the parent section in this version; null for the top level.
    pub parent_code: MaybeUndefined<String>,
    /// ADDED or MOVED: place among the siblings, 1 to 10000; when omitted, last under a new parent, else unchanged.
    pub position: Option<i32>,
    /// ADDED or REVISED: the section's new summary.
    pub summary: Option<String>,
}

impl From<SectionChangeInput> for SectionChangeRequest {
    fn from(input: SectionChangeInput) -> Self {
        Self {
            change: input.change,
            code: input.code,
            new_code: input.new_code,
            title: input.title,
            title_fr: input.title_fr,
            title_es: input.title_es,
            kind: input.kind,
            parent_code: input.parent_code,
            position: input.position,
            summary: input.summary,
        }
    }
}

/// The decision on one feedback answered by a revision.
#[derive(InputObject)]
pub struct FeedbackDecisionInput {
    /// Global id of the feedback answered; given on the revision's version or an earlier one.
    pub feedback: ID,
    /// The decision taken on it; the feedback's status follows.
    pub disposition: Disposition,
    /// Required unless the disposition is ACCEPTED.
    pub rationale: Option<String>,
}

impl From<FeedbackDecisionInput> for LinkRequest {
    fn from(input: FeedbackDecisionInput) -> Self {
        Self { feedback: input.feedback, disposition: input.disposition, rationale: input.rationale }
    }
}

/// A revision to record in an open version, with the sections it changes and the feedback it answers.
#[derive(InputObject)]
pub struct RecordRevisionInput {
    /// The guide version the change goes into; it must not be released yet. Required (under this
    /// name or the former `version`).
    pub guide_version: Option<ID>,
    /// Former name of `guideVersion`.
    #[graphql(deprecation = "Use `guideVersion`; this name goes in the next release.")]
    pub version: Option<ID>,
    /// What kind of change it is; a TRANSLATION only REVISES sections.
    pub kind: RevisionKind,
    /// DONE (default) when it is already carried out in the text, PENDING while still to do.
    #[graphql(default_with = "RevisionStatus::Done")]
    pub status: RevisionStatus,
    /// What the change is, up to 20,000 characters.
    pub summary: String,
    /// A longer account of the change, up to 20,000 characters.
    pub details: Option<String>,
    /// Required for a TRANSLATION (the language translated into); refused otherwise.
    pub language: Option<String>,
    /// Today when omitted.
    pub decided_on: Option<Date>,
    /// The sections touched, applied in this order.
    #[graphql(default)]
    pub sections: Vec<SectionChangeInput>,
    /// The feedback the change answers.
    #[graphql(default)]
    pub feedback: Vec<FeedbackDecisionInput>,
}

/// What a revision says about itself; every field is replaced. Its section changes and feedback links stay.
#[derive(InputObject)]
pub struct UpdateRevisionInput {
    /// Its kind; it can become a TRANSLATION only if it changes no section's structure.
    pub kind: RevisionKind,
    /// PENDING while still to do, DONE once carried out in the text.
    pub status: RevisionStatus,
    /// What the change is, up to 20,000 characters.
    pub summary: String,
    /// A longer account of the change; null clears it.
    pub details: Option<String>,
    /// For a TRANSLATION (required), the ISO 639-1 code translated into; null otherwise.
    pub language: Option<String>,
    /// The day the change was decided; not in the future.
    pub decided_on: Date,
}

#[derive(Default)]
pub struct RevisionMutation;

#[Object]
impl RevisionMutation {
    /// Opens a new version of a document for revisions (working-group leads and the Secretariat: revising is the
    /// leads' job). It stays open until `releaseVersion`.
    #[graphql(guard = "Require(Access::Triage)")]
    async fn create_guide_version(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new version.")] input: CreateGuideVersionInput,
    ) -> Result<GuideVersion> {
        let work = UnitOfWork::begin(ctx).await?;
        let draft = service::VersionDraft {
            document: input.document,
            code: input.code,
            label: input.label,
            stage: input.stage,
            planned_release_on: input.planned_release_on.0,
            precision: input.precision,
            languages: input.languages,
            notes: input.notes,
        };
        let row = service::create_version(work.txn(), draft).await?;
        work.commit(Change::created(NodeType::GuideVersion, row.id, &row)).await?;
        Ok(GuideVersion(row))
    }

    /// Records a change decided for an open version: the sections it adds, revises, renames,
    /// moves or retires (section identity is kept, so earlier feedback still points at them),
    /// and the feedback it answers with a decision on each (the feedback's status follows it).
    #[graphql(guard = "Require(Access::Triage)")]
    async fn record_revision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The revision, its section changes and its feedback decisions.")] input: RecordRevisionInput,
    ) -> Result<Revision> {
        let work = UnitOfWork::begin(ctx).await?;
        let (version, field) =
            crate::validate::renamed_required(input.guide_version, "guideVersion", input.version, "version")?;
        let version = service::open_version(work.txn(), &version, field).await?;
        let content = service::check_content(Content {
            kind: input.kind,
            status: input.status,
            summary: input.summary,
            details: input.details,
            language: input.language,
            decided_on: input.decided_on.map_or_else(|| Utc::now().date_naive(), |Date(d)| d),
        })?;
        if input.sections.len() > MAX_LINKS {
            return Err(AppError::bad_input("sections", format!("At most {MAX_LINKS} section changes")));
        }
        let links: Vec<LinkRequest> = input.feedback.into_iter().map(Into::into).collect();
        service::check_link_list(&links, "feedback")?;
        let user_id = viewer(ctx).principal()?.user_id;
        let row = service::insert(work.txn(), &version, content, user_id).await?;
        let trail = Trail::load(work.txn(), version.document_id).await?;
        let mut touched = Vec::new();
        let mut changes = Vec::new();
        for (i, change) in input.sections.into_iter().enumerate() {
            let kind = change.change;
            let done = service::apply_section_change(
                work.txn(),
                &trail,
                &version,
                &row,
                change.into(),
                &format!("sections.{i}"),
            )
            .await?;
            if let Touched::Section { after: Some(section), .. } = &done {
                changes.push(json!({ "section": section.code, "change": kind }));
            }
            touched.push(done);
        }
        let mut decisions = Vec::new();
        for (i, link) in links.into_iter().enumerate() {
            let (link, done) =
                service::link_feedback(work.txn(), &row, &version, link, &format!("feedback.{i}.")).await?;
            decisions.push(decision_json(&link));
            touched.extend(done);
        }
        record_touched(&work, &touched).await?;
        let extra = vec![("sectionChanges", Value::Null, json!(changes)), ("feedback", Value::Null, json!(decisions))];
        let committed = work.commit(Change::created(NodeType::Revision, row.id, &row).with(extra)).await?;
        committed.publish(ActivityKind::RevisionRecorded, row.id, None, false).await;
        publish_triaged(&committed, &touched).await;
        Ok(Revision(row))
    }

    /// Corrects what a revision says about itself, or marks it DONE. Its version must be open.
    #[graphql(guard = "Require(Access::Triage)")]
    async fn update_revision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the revision.")] id: ID,
        #[graphql(desc = "What the revision now says about itself.")] input: UpdateRevisionInput,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<Revision> {
        let work = UnitOfWork::begin(ctx).await?;
        let (found, _) = service::open_revision(work.txn(), &id, "id").await?;
        let content = service::check_content(Content {
            kind: input.kind,
            status: input.status,
            summary: input.summary,
            details: input.details,
            language: input.language,
            decided_on: input.decided_on.0,
        })?;
        let (before, row) = service::update_content(work.txn(), found, expected_version, content).await?;
        work.commit(Change::updated(NodeType::Revision, row.id, &before, &row)).await?;
        Ok(Revision(row))
    }

    /// Deletes a revision of an open version, undoing its section changes. Returns its id.
    #[graphql(guard = "Require(Access::Triage)")]
    async fn delete_revision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the revision.")] id: ID,
    ) -> Result<ID> {
        let work = UnitOfWork::begin(ctx).await?;
        let (found, _) = service::open_revision(work.txn(), &id, "id").await?;
        let decisions: Vec<Value> = revision_feedback::Entity::find()
            .filter(revision_feedback::Column::RevisionId.eq(found.id))
            .all(work.txn())
            .await?
            .iter()
            .map(decision_json)
            .collect();
        let touched = service::delete(work.txn(), &found).await?;
        record_touched(&work, &touched).await?;
        let extra = vec![("feedback", json!(decisions), Value::Null)];
        work.commit(Change::deleted(NodeType::Revision, found.id, &found).with(extra)).await?;
        Ok(id)
    }

    /// Records the decision a revision of an open version took on one feedback (again to change
    /// it). The feedback's status follows: ACCEPTED, PARTIALLY_ACCEPTED or DECLINED; DEFERRED
    /// moves RECEIVED feedback to UNDER_REVIEW. ADDRESSED feedback keeps its status.
    #[graphql(guard = "Require(Access::Triage)")]
    async fn link_feedback_to_revision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the revision.")] revision: ID,
        #[graphql(desc = "Global id of the feedback; given on the revision's version or an earlier one.")] feedback: ID,
        #[graphql(desc = "The decision taken on the feedback.")] disposition: Disposition,
        #[graphql(desc = "Why it was decided so; required unless it is ACCEPTED.")] rationale: Option<String>,
    ) -> Result<FeedbackResponse> {
        let work = UnitOfWork::begin(ctx).await?;
        let (found, version) = service::open_revision(work.txn(), &revision, "revision").await?;
        let before = linked_decision(work.txn(), found.id, &feedback).await?;
        let request = LinkRequest { feedback, disposition, rationale };
        let (link, touched) = service::link_feedback(work.txn(), &found, &version, request, "").await?;
        let touched: Vec<Touched> = touched.into_iter().collect();
        record_touched(&work, &touched).await?;
        let field = format!("feedback:{}", global_id(NodeType::Feedback, link.feedback_id).0);
        let extra = vec![(field.as_str(), before, decision_json(&link))];
        let committed =
            work.commit(Change::new(NodeType::Revision, found.id, None::<&revision::Model>, None).with(extra)).await?;
        publish_triaged(&committed, &touched).await;
        Ok(FeedbackResponse(link))
    }

    /// Removes a feedback from the ones a revision of an open version answered. The feedback
    /// keeps its status; triage it again if needed.
    #[graphql(guard = "Require(Access::Triage)")]
    async fn unlink_feedback_from_revision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the revision.")] revision: ID,
        #[graphql(desc = "Global id of the linked feedback.")] feedback: ID,
    ) -> Result<Revision> {
        let feedback_id = expect_global_id(&feedback, NodeType::Feedback, "feedback")?;
        let work = UnitOfWork::begin(ctx).await?;
        let (found, _) = service::open_revision(work.txn(), &revision, "revision").await?;
        let link = service::unlink_feedback(work.txn(), &found, feedback_id).await?;
        let field = format!("feedback:{}", feedback.0);
        let extra = vec![(field.as_str(), decision_json(&link), Value::Null)];
        work.commit(Change::new(NodeType::Revision, found.id, None::<&revision::Model>, None).with(extra)).await?;
        Ok(Revision(found))
    }

    /// Releases a version: refused while any of its revisions is PENDING. From then on it is
    /// frozen. Feedback its revisions accepted (fully or partly) becomes ADDRESSED; feedback
    /// they only declined becomes DECLINED; deferred feedback stays as it is. Each change is audited.
    #[graphql(guard = "Require(Access::Triage)")]
    async fn release_version(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the version.")] id: ID,
        #[graphql(desc = "The release day; the planned date when omitted.")] released_on: Option<Date>,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<GuideVersion> {
        let key = expect_global_id(&id, NodeType::GuideVersion, "id")?;
        let work = UnitOfWork::begin(ctx).await?;
        let current =
            claim_version::<guide_version::Entity>(work.txn(), key, expected_version, "Guide version").await?;
        let before = current.clone();
        let (version, touched) = service::release(work.txn(), current, released_on.map(|Date(d)| d)).await?;
        record_touched(&work, &touched).await?;
        let committed = work.commit(Change::updated(NodeType::GuideVersion, version.id, &before, &version)).await?;
        committed.publish(ActivityKind::VersionReleased, version.id, None, false).await;
        publish_triaged(&committed, &touched).await;
        Ok(GuideVersion(version))
    }
}

fn decision_json(link: &revision_feedback::Model) -> Value {
    json!({
        "feedback": global_id(NodeType::Feedback, link.feedback_id).0,
        "disposition": link.disposition,
        "rationale": link.rationale,
    })
}

/// The decision currently recorded for `feedback` on `revision_id`, for the audit's "before".
async fn linked_decision(txn: &DatabaseTransaction, revision_id: i32, feedback: &ID) -> Result<Value> {
    let Ok(feedback_id) = expect_global_id(feedback, NodeType::Feedback, "feedback") else { return Ok(Value::Null) };
    let link = revision_feedback::Entity::find()
        .filter(revision_feedback::Column::RevisionId.eq(revision_id))
        .filter(revision_feedback::Column::FeedbackId.eq(feedback_id))
        .one(txn)
        .await?;
    Ok(link.as_ref().map_or(Value::Null, decision_json))
}

/// Tells subscribers about the feedback a revision's decisions changed (after the commit).
async fn publish_triaged(committed: &Committed<'_, '_>, touched: &[Touched]) {
    for change in touched {
        if let Touched::Feedback { after, .. } = change {
            committed.publish(ActivityKind::FeedbackTriaged, after.id, after.country_id, false).await;
        }
    }
}

/// One audit row per record a revision changed on the side.
async fn record_touched(work: &UnitOfWork<'_, '_>, touched: &[Touched]) -> Result<()> {
    for change in touched {
        match change {
            Touched::Section { before, after } => {
                let id = after.as_ref().or(before.as_ref()).map_or(0, |s| s.id);
                work.record(Change::new(NodeType::Section, id, before.as_ref(), after.as_ref())).await?;
            }
            Touched::Feedback { before, after } => {
                work.record(Change::updated(NodeType::Feedback, after.id, before, after)).await?;
            }
        }
    }
    Ok(())
}
