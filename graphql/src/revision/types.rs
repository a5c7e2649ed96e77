use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::common::Provenance;
use entity::revision::{self, RevisionKind, RevisionStatus};
use entity::revision_feedback::{self, Disposition};
use entity::revision_section::{self, SectionChangeKind, SectionState as StateModel};
use entity::{feedback, guide_section, guide_version};

use super::history::TranslationState;
use crate::auth::guard::viewer;
use crate::engine::loader::{ForeignKey, by_id, children, many_by_id, maybe_by_id};
use crate::error::AppError;
use crate::error::Result;
use crate::feedback::Feedback;
use crate::guide::{GuideVersion, Section};
use crate::id::{NodeType, global_id};
use crate::policy::can_read_feedback;
use crate::scalars::Date;

/// One change decided for a guide version, with the sections it touched and the feedback it answered.
pub struct Revision(pub revision::Model);

/// One change decided for a guide version, with the sections it touched and the feedback it answered. Working-group
/// leads and the Secretariat record it while the version is open; a release freezes it.
#[Object]
impl Revision {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::Revision, self.0.id)
    }
    /// The version the change belongs to.
    async fn guide_version(&self, ctx: &Context<'_>) -> Result<GuideVersion> {
        let version = by_id::<guide_version::Entity>(ctx, self.0.guide_version_id)
            .await?
            .ok_or_else(|| AppError::internal("revision without guide version"))?;
        Ok(GuideVersion(version))
    }
    /// What kind of change it is.
    async fn kind(&self) -> RevisionKind {
        self.0.kind
    }
    /// PENDING while decided but not yet carried out; DONE once it is in the text.
    async fn status(&self) -> RevisionStatus {
        self.0.status
    }
    /// What the change is, in a sentence or two.
    async fn summary(&self) -> &str {
        &self.0.summary
    }
    /// A longer account of the change, if any.
    async fn details(&self) -> Option<&str> {
        self.0.details.as_deref()
    }
    /// For a TRANSLATION: the ISO 639-1 code of the language translated into.
    async fn language(&self) -> Option<&str> {
        self.0.language.as_deref()
    }
    /// The day the change was decided.
    async fn decided_on(&self) -> Date {
        Date(self.0.decided_on)
    }
    /// The sections it touched, each with its state before and after, in the order applied.
    async fn section_changes(&self, ctx: &Context<'_>) -> Result<Vec<SectionChange>> {
        Ok(children::<ChangesOfRevision>(ctx, self.0.id).await?.into_iter().map(SectionChange).collect())
    }
    /// The feedback it answered, with the decision on each (only feedback the viewer may read).
    async fn feedback(&self, ctx: &Context<'_>) -> Result<Vec<FeedbackResponse>> {
        visible_responses(ctx, children::<ResponsesOfRevision>(ctx, self.0.id).await?).await
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
    /// Every recorded change to this revision and its feedback links, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<crate::audit::AuditEntry>> {
        crate::audit::history(ctx, NodeType::Revision, self.0.id).await
    }
    /// Optimistic-concurrency version; pass it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// The links among `links` whose feedback the viewer may read, with their feedback loaded.
pub async fn visible_responses(
    ctx: &Context<'_>,
    links: Vec<revision_feedback::Model>,
) -> Result<Vec<FeedbackResponse>> {
    let ids: Vec<i32> = links.iter().map(|l| l.feedback_id).collect();
    let found = many_by_id::<feedback::Entity>(ctx, ids).await?;
    Ok(links
        .into_iter()
        .filter(|link| found.get(&link.feedback_id).is_some_and(|f| can_read_feedback(viewer(ctx), f)))
        .map(FeedbackResponse)
        .collect())
}

/// A feedback answered by a revision: the decision taken on it and why.
pub struct FeedbackResponse(pub revision_feedback::Model);

/// A feedback answered by a revision: the decision taken on it and why.
#[Object]
impl FeedbackResponse {
    /// The revision that took the decision.
    async fn revision(&self, ctx: &Context<'_>) -> Result<Revision> {
        let revision = by_id::<revision::Entity>(ctx, self.0.revision_id)
            .await?
            .ok_or_else(|| AppError::internal("response without revision"))?;
        Ok(Revision(revision))
    }
    /// The feedback decided on.
    async fn feedback(&self, ctx: &Context<'_>) -> Result<Feedback> {
        let feedback = by_id::<feedback::Entity>(ctx, self.0.feedback_id)
            .await?
            .ok_or_else(|| AppError::internal("response without feedback"))?;
        Ok(Feedback(feedback))
    }
    /// The decision taken on the feedback.
    async fn disposition(&self) -> Disposition {
        self.0.disposition
    }
    /// Why it was decided so: what the comment-response matrix shows as the response.
    async fn rationale(&self) -> Option<&str> {
        self.0.rationale.as_deref()
    }
    /// When the feedback was linked to the revision.
    async fn linked_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the decision or its rationale last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// One section touched by one revision, with its state just before and just after.
pub struct SectionChange(pub revision_section::Model);

/// One section touched by one revision, with its state just before and just after.
#[Object]
impl SectionChange {
    /// The revision that made the change.
    async fn revision(&self, ctx: &Context<'_>) -> Result<Revision> {
        let revision = by_id::<revision::Entity>(ctx, self.0.revision_id)
            .await?
            .ok_or_else(|| AppError::internal("section change without revision"))?;
        Ok(Revision(revision))
    }
    /// The section, as it is now (same identity whatever its code or place became).
    async fn section(&self, ctx: &Context<'_>) -> Result<Section> {
        let section = by_id::<guide_section::Entity>(ctx, self.0.section_id)
            .await?
            .ok_or_else(|| AppError::internal("section change without section"))?;
        Ok(Section::new(section))
    }
    /// ADDED, RENAMED, MOVED and RETIRED change the structure; REVISED means the section's
    /// content changed in the way the revision's kind says (text, examples, translation, layout).
    async fn change(&self) -> SectionChangeKind {
        self.0.change
    }
    /// Null for ADDED.
    async fn before(&self) -> Option<SectionState> {
        self.0.before.clone().map(SectionState)
    }
    /// Null for RETIRED.
    async fn after(&self) -> Option<SectionState> {
        self.0.after.clone().map(SectionState)
    }
}

/// What a section looked like at one point in its history.
pub struct SectionState(pub StateModel);

/// What a section looked like at one point in its history.
#[Object]
impl SectionState {
    /// Its code then, e.g. `III.A`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Its English title then.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Its French title then, if it had one.
    async fn title_fr(&self) -> Option<&str> {
        self.0.title_fr.as_deref()
    }
    /// Its Spanish title then, if it had one.
    async fn title_es(&self) -> Option<&str> {
        self.0.title_es.as_deref()
    }
    /// The section it sat under then (as that section is now); null at the top level.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Section>> {
        Ok(maybe_by_id::<guide_section::Entity>(ctx, self.0.parent_id).await?.map(Section::new))
    }
    /// Its place among its siblings then, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// Its summary then, if it had one.
    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }
}

/// The sections that changed between two versions of a document, each with the changes and the
/// feedback behind it.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct VersionComparison {
    /// The earlier version compared.
    pub earlier: GuideVersion,
    /// The later version compared.
    pub later: GuideVersion,
    /// Sections present in `later` but not in `earlier`.
    pub added: Vec<SectionDifference>,
    /// Sections present in both whose text, examples, title, code, place or layout changed.
    pub revised: Vec<SectionDifference>,
    /// Sections present in `earlier` but no longer in `later`.
    pub retired: Vec<SectionDifference>,
    /// Every revision of the versions after `earlier` up to and including `later`, oldest first,
    /// including those that touched no section.
    pub revisions: Vec<Revision>,
}

#[ComplexObject]
impl VersionComparison {
    /// Former name of `earlier`.
    #[graphql(deprecation = "Use `earlier`; this name goes in the next release.")]
    async fn from(&self) -> &GuideVersion {
        &self.earlier
    }
    /// Former name of `later`.
    #[graphql(deprecation = "Use `later`; this name goes in the next release.")]
    async fn to(&self) -> &GuideVersion {
        &self.later
    }
}

/// How one section differs between the two versions compared.
#[derive(SimpleObject)]
pub struct SectionDifference {
    /// The section as it stands in `later` (in `earlier` when retired).
    pub section: Section,
    /// Its state in `earlier`; null when it was added.
    pub before: Option<SectionState>,
    /// Its state in `later`; null when it was retired.
    pub after: Option<SectionState>,
    /// The changes between the two versions, oldest first.
    pub changes: Vec<SectionChange>,
    /// The feedback answered by the revisions behind those changes (what the viewer may read).
    pub feedback: Vec<FeedbackResponse>,
}

/// How far the translations of one version into one language are up to date.
#[derive(SimpleObject)]
pub struct TranslationStatus {
    /// ISO 639-1 code.
    pub language: String,
    /// Sections whose translation is up to date.
    pub current: i32,
    /// Sections translated once but revised since.
    pub stale: i32,
    /// Sections never translated into this language.
    pub missing: i32,
    /// Every section present in the version, in document order.
    pub sections: Vec<SectionTranslation>,
}

/// How up to date one section's translation into one language is, in one version.
#[derive(SimpleObject)]
pub struct SectionTranslation {
    /// The section as it stands in the version.
    pub section: Section,
    /// Whether its translation is current, stale or missing.
    pub state: TranslationState,
    /// The version whose text the translation follows; null when missing.
    pub translated_in: Option<GuideVersion>,
    /// The latest version, up to this one, that changed the section's wording.
    pub changed_in: Option<GuideVersion>,
}

pub struct RevisionsOfVersion;

impl ForeignKey for RevisionsOfVersion {
    type Entity = revision::Entity;
    fn column() -> revision::Column {
        revision::Column::GuideVersionId
    }
    fn key_of(model: &revision::Model) -> Option<i32> {
        Some(model.guide_version_id)
    }
}

pub struct ChangesOfRevision;

impl ForeignKey for ChangesOfRevision {
    type Entity = revision_section::Entity;
    fn column() -> revision_section::Column {
        revision_section::Column::RevisionId
    }
    fn key_of(model: &revision_section::Model) -> Option<i32> {
        Some(model.revision_id)
    }
}

/// A section's changes in the order applied, which is version order (see `history::Trail`).
pub struct ChangesOfSection;

impl ForeignKey for ChangesOfSection {
    type Entity = revision_section::Entity;
    fn column() -> revision_section::Column {
        revision_section::Column::SectionId
    }
    fn key_of(model: &revision_section::Model) -> Option<i32> {
        Some(model.section_id)
    }
}

pub struct ResponsesOfRevision;

impl ForeignKey for ResponsesOfRevision {
    type Entity = revision_feedback::Entity;
    fn column() -> revision_feedback::Column {
        revision_feedback::Column::RevisionId
    }
    fn key_of(model: &revision_feedback::Model) -> Option<i32> {
        Some(model.revision_id)
    }
}

pub struct ResponsesToFeedback;

impl ForeignKey for ResponsesToFeedback {
    type Entity = revision_feedback::Entity;
    fn column() -> revision_feedback::Column {
        revision_feedback::Column::FeedbackId
    }
    fn key_of(model: &revision_feedback::Model) -> Option<i32> {
        Some(model.feedback_id)
    }
}
