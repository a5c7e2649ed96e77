use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::common::{DatePrecision, Provenance};
use entity::document::{self, DocumentKind};
use entity::guide_section::{self, SectionKind};
use entity::guide_version::{self, VersionStage};

use crate::auth::guard::viewer;
use crate::context::db;
use crate::engine::loader::{ForeignKey, by_id, children, linked, maybe_by_id};
use crate::engine::object_list::{ObjectList, PlainFields};
use crate::error::Result;
use crate::event::{Event, events_of_section};
use crate::feedback::{Feedback, SectionFeedback};
use crate::id::{NodeType, global_id};
use crate::pagination::{AppConnection, PageArgs, paginate};
use crate::planned_use::{PlannedUse, PlannedUsesOfSection};
use crate::policy::can_read_feedback;
use crate::revision::{
    ChangesOfSection, CommentResponse, Revision, RevisionsOfVersion, SectionChange, TranslationStatus, matrix_select,
    translation_status,
};
use crate::scalars::Date;

/// The Guide or the Booklet.
pub struct Document(pub document::Model);

/// One of the two documents of the guidance, the Guide or the Booklet, with its versions and its section tree.
#[Object]
impl Document {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::Document, self.0.id)
    }
    /// Whether this is the Guide or the Booklet.
    async fn kind(&self) -> DocumentKind {
        self.0.kind
    }
    /// The document's title in English.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// What the document covers.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Every version of this document, released or still open, by release date (the planned one for open versions),
    /// oldest first.
    async fn versions(&self, ctx: &Context<'_>) -> Result<Vec<GuideVersion>> {
        Ok(children::<VersionsOfDocument>(ctx, self.0.id).await?.into_iter().map(GuideVersion).collect())
    }
    /// The document's sections; by default only the top level (walk `children` for the rest).
    async fn sections(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default = true,
            desc = "true (default): only the top-level sections; false: every section of the document."
        )]
        roots_only: bool,
    ) -> Result<Vec<Section>> {
        let rows = children::<SectionsOfDocument>(ctx, self.0.id).await?;
        Ok(rows.into_iter().filter(|s| !roots_only || s.parent_id.is_none()).map(Section::new).collect())
    }
    /// When the record was created in the tracker.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Change counter of the record, raised by every change to it.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// One released state of a document: a draft, a translation, the revised or the final text.
pub struct GuideVersion(pub guide_version::Model);

/// One state of a document: a draft, a translation for review, the revised or the final text. A version takes revisions
/// until `releaseVersion` freezes it.
#[Object]
impl GuideVersion {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::GuideVersion, self.0.id)
    }
    /// Short stable key within the document, e.g. `2021-11-REVISED`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Its name for readers, e.g. `Draft presented to Champions`.
    async fn label(&self) -> &str {
        &self.0.label
    }
    /// How far along the guidance it is.
    async fn stage(&self) -> VersionStage {
        self.0.stage
    }
    /// Release date; see `releasedOnPrecision` for how exact it is.
    async fn released_on(&self) -> Date {
        Date(self.0.released_on)
    }
    /// How exact `releasedOn` is, e.g. MONTH when the sources give only the month.
    async fn released_on_precision(&self) -> DatePrecision {
        self.0.released_on_precision
    }
    /// ISO 639-1 codes of the languages this version exists in.
    async fn languages(&self) -> Vec<String> {
        self.0.language_list()
    }
    /// Notes about the version, e.g. what it was circulated for.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    /// Whether the version is released. A released version is frozen: its revisions can no
    /// longer change. Until then `releasedOn` is the planned date.
    async fn is_released(&self) -> bool {
        self.0.is_released
    }
    /// When `releaseVersion` was called; null for versions released before this system recorded it.
    async fn released_at(&self) -> Option<DateTime<Utc>> {
        self.0.released_at
    }
    /// Whether this record comes from a source, is illustrative demo data or was entered by a user.
    async fn provenance(&self) -> Provenance {
        self.0.provenance
    }
    /// Where the information comes from, e.g. the meeting report or briefing that records it.
    async fn source_note(&self) -> Option<&str> {
        self.0.source_note.as_deref()
    }
    /// The document this is a version of.
    async fn document(&self, ctx: &Context<'_>) -> Result<Document> {
        let document = by_id::<document::Entity>(ctx, self.0.document_id)
            .await?
            .ok_or_else(|| crate::error::AppError::internal("guide version without document"))?;
        Ok(Document(document))
    }
    /// The changes that went into this version, in the order recorded.
    async fn revisions(&self, ctx: &Context<'_>) -> Result<Vec<Revision>> {
        Ok(children::<RevisionsOfVersion>(ctx, self.0.id).await?.into_iter().map(Revision).collect())
    }
    /// For each language (default EN, FR, ES), which sections of this version have a translation
    /// that follows their current wording. A section's translation is stale when a revision up to
    /// this version changed its wording (ADDED, REVISED, RENAMED; not layout or moves) after the
    /// last translation: a TRANSLATION revision in that language, or a version published in it.
    async fn translation_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            default_with = "vec![\"en\".to_owned(), \"fr\".to_owned(), \"es\".to_owned()]",
            desc = "ISO 639-1 codes to report on, at most 10."
        )]
        languages: Vec<String>,
    ) -> Result<Vec<TranslationStatus>> {
        translation_status(db(ctx)?, &self.0, &languages).await
    }
    /// The comment-response matrix: every feedback given on this version, oldest first, with
    /// its source, channel, sections and the decision revisions took on it. A Champion sees its
    /// own country's rows and collective ones. Also as CSV at
    /// `/export/versions/{id}/comment-response.csv`.
    #[graphql(complexity = "crate::pagination::page_complexity(first, last, child_complexity)")]
    async fn comment_response_matrix(
        &self,
        ctx: &Context<'_>,
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
    ) -> Result<AppConnection<CommentResponse>> {
        let select = matrix_select(viewer(ctx), self.0.id)?;
        paginate(ctx, db(ctx)?, select, PageArgs::new(after, before, first, last), CommentResponse).await
    }
    /// Sections first introduced in this version.
    async fn introduced_sections(&self, ctx: &Context<'_>) -> Result<ObjectList<Section>> {
        Ok(children::<SectionsIntroducedIn>(ctx, self.0.id).await?.into_iter().map(Section::new).collect())
    }
    /// When the record was created in the tracker.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Optimistic-concurrency version; pass it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A node of a document's structure: a part, a section, one of the six steps, a guiding
/// principle or a GCM objective.
pub struct Section(pub Arc<guide_section::Model>);

impl Section {
    pub fn new(model: guide_section::Model) -> Self {
        Self(Arc::new(model))
    }
}

/// A node of a document's structure: a part, a section, one of the six steps, a guiding principle or a GCM objective.
/// It keeps its identity (and `id`) through renames, moves and retirement.
#[Object]
impl Section {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::Section, self.0.id)
    }
    /// Natural key, e.g. `III.A`, `STEP-3`, `GP-04`, `OBJ-07`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// Title in English.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Title in `language` (`en`, `fr`, `es`), falling back to English when no translation exists.
    async fn localized_title(
        &self,
        #[graphql(desc = "`en`, `fr` or `es`, in any case; other codes give the English title.")] language: String,
    ) -> &str {
        let translated = match language.to_ascii_lowercase().as_str() {
            "fr" => self.0.title_fr.as_deref(),
            "es" => self.0.title_es.as_deref(),
            _ => None,
        };
        translated.unwrap_or(&self.0.title)
    }
    /// Title in French, if translated.
    async fn title_fr(&self) -> Option<&str> {
        self.0.title_fr.as_deref()
    }
    /// Title in Spanish, if translated.
    async fn title_es(&self) -> Option<&str> {
        self.0.title_es.as_deref()
    }
    /// What the section is: part, section, step, guiding principle or objective.
    async fn kind(&self) -> SectionKind {
        self.0.kind
    }
    /// Order among its siblings, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }
    /// A short summary of what the section says.
    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }
    /// Whether this record comes from a source, is illustrative demo data or was entered by a user.
    async fn provenance(&self) -> Provenance {
        self.0.provenance
    }
    /// Where the information comes from, e.g. the meeting report or briefing that records it.
    async fn source_note(&self) -> Option<&str> {
        self.0.source_note.as_deref()
    }
    /// The document the section belongs to.
    async fn document(&self, ctx: &Context<'_>) -> Result<Document> {
        let document = by_id::<document::Entity>(ctx, self.0.document_id)
            .await?
            .ok_or_else(|| crate::error::AppError::internal("section without document"))?;
        Ok(Document(document))
    }
    /// The section this one sits under; null at the top level.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Section>> {
        Ok(maybe_by_id::<guide_section::Entity>(ctx, self.0.parent_id).await?.map(Section::new))
    }
    /// Direct sub-sections, in document order.
    async fn children(&self, ctx: &Context<'_>) -> Result<ObjectList<Section>> {
        Ok(children::<SectionChildren>(ctx, self.0.id).await?.into_iter().map(Section::new).collect())
    }
    /// Feedback about this section that the viewer may read.
    async fn feedback(&self, ctx: &Context<'_>) -> Result<ObjectList<Feedback>> {
        let viewer = viewer(ctx);
        let rows = linked::<SectionFeedback>(ctx, self.0.id).await?;
        Ok(rows
            .into_iter()
            .filter(|row| can_read_feedback(viewer, row))
            .map(|row| Feedback(Arc::unwrap_or_clone(row)))
            .collect())
    }
    /// The version in which this section first appeared (null: present from the first draft).
    async fn introduced_in(&self, ctx: &Context<'_>) -> Result<Option<GuideVersion>> {
        Ok(maybe_by_id::<guide_version::Entity>(ctx, self.0.introduced_in_id).await?.map(GuideVersion))
    }
    /// The version from which this section no longer appears (null: still present).
    async fn retired_in(&self, ctx: &Context<'_>) -> Result<Option<GuideVersion>> {
        Ok(maybe_by_id::<guide_version::Entity>(ctx, self.0.retired_in_id).await?.map(GuideVersion))
    }
    /// Every revision that touched this section, oldest first, with its state before and after.
    /// The section keeps its identity through renames and moves, so this is its whole story.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<SectionChange>> {
        Ok(children::<ChangesOfSection>(ctx, self.0.id).await?.into_iter().map(SectionChange).collect())
    }
    /// Events that discussed this section, earliest first.
    async fn events(&self, ctx: &Context<'_>) -> Result<Vec<Event>> {
        events_of_section(ctx, self.0.id).await
    }
    /// Planned uses concerning this section, of the countries whose records the viewer may read.
    async fn planned_uses(&self, ctx: &Context<'_>) -> Result<Vec<PlannedUse>> {
        let viewer = viewer(ctx);
        let rows = linked::<PlannedUsesOfSection>(ctx, self.0.id).await?;
        let readable = rows.into_iter().filter(|u| viewer.can_read_country(Some(u.country_id)));
        Ok(readable.map(|row| PlannedUse(Arc::unwrap_or_clone(row))).collect())
    }
    /// When the record was created in the tracker.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Change counter of the record, raised by every change to it.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

impl PlainFields for Section {
    const PLAIN_FIELDS: &'static [&'static str] = &[
        "id",
        "code",
        "title",
        "titleFr",
        "titleEs",
        "kind",
        "position",
        "summary",
        "provenance",
        "sourceNote",
        "createdAt",
        "updatedAt",
        "version",
    ];
}

pub struct VersionsOfDocument;

impl ForeignKey for VersionsOfDocument {
    type Entity = guide_version::Entity;
    fn column() -> guide_version::Column {
        guide_version::Column::DocumentId
    }
    fn key_of(model: &guide_version::Model) -> Option<i32> {
        Some(model.document_id)
    }
    fn order_column() -> guide_version::Column {
        guide_version::Column::ReleasedOn
    }
}

pub struct SectionsOfDocument;

impl ForeignKey for SectionsOfDocument {
    type Entity = guide_section::Entity;
    fn column() -> guide_section::Column {
        guide_section::Column::DocumentId
    }
    fn key_of(model: &guide_section::Model) -> Option<i32> {
        Some(model.document_id)
    }
    fn order_column() -> guide_section::Column {
        guide_section::Column::Position
    }
}

pub struct SectionChildren;

impl ForeignKey for SectionChildren {
    type Entity = guide_section::Entity;
    fn column() -> guide_section::Column {
        guide_section::Column::ParentId
    }
    fn key_of(model: &guide_section::Model) -> Option<i32> {
        model.parent_id
    }
    fn order_column() -> guide_section::Column {
        guide_section::Column::Position
    }
}

pub struct SectionsIntroducedIn;

impl ForeignKey for SectionsIntroducedIn {
    type Entity = guide_section::Entity;
    fn column() -> guide_section::Column {
        guide_section::Column::IntroducedInId
    }
    fn key_of(model: &guide_section::Model) -> Option<i32> {
        model.introduced_in_id
    }
}
