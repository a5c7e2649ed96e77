//! Recording revisions: the checks and writes behind the mutations. Everything runs inside the
//! caller's transaction; the caller writes the audit rows for what is returned and commits.

use std::collections::HashMap;

use async_graphql::{ID, MaybeUndefined};
use chrono::{NaiveDate, Utc};
use entity::common::{DatePrecision, Provenance};
use entity::document::{self, DocumentKind};
use entity::feedback::{self, FeedbackStatus};
use entity::guide_section::{self, SectionKind};
use entity::guide_version::{self, VersionStage};
use entity::revision::{self, RevisionKind, RevisionStatus};
use entity::revision_feedback::{self, Disposition};
use entity::revision_section::{self, SectionChangeKind, SectionState};
use entity::{event_section, feedback_section, planned_use_section};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, ModelTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};

use super::history::Trail;
use crate::error::{AppError, Result};
use crate::guide::find_section_by_code;
use crate::id::NodeType;
use crate::validate::{
    MAX_LINE_CHARS, MAX_LINKS, MAX_TEXT_CHARS, existing, language_code, optional_text, required_text,
};
use crate::write::claim_version;

/// What a revision says about itself (everything but its sections and feedback).
pub struct Content {
    pub kind: RevisionKind,
    pub status: RevisionStatus,
    pub summary: String,
    pub details: Option<String>,
    pub language: Option<String>,
    pub decided_on: NaiveDate,
}

/// Claims revision `found` at `expected_version` and writes its new `content` (checked). A
/// revision that changes the structure (any section change but REVISED) cannot become a
/// TRANSLATION. Returns the revision before and after.
pub async fn update_content(
    db: &DatabaseTransaction,
    found: revision::Model,
    expected_version: i32,
    content: Content,
) -> Result<(revision::Model, revision::Model)> {
    if content.kind == RevisionKind::Translation && found.kind != RevisionKind::Translation {
        let structural = revision_section::Entity::find()
            .filter(revision_section::Column::RevisionId.eq(found.id))
            .filter(revision_section::Column::Change.ne(SectionChangeKind::Revised))
            .count(db)
            .await?;
        if structural > 0 {
            return Err(AppError::bad_input("kind", "This revision changes the structure; it is not a TRANSLATION"));
        }
    }
    let current = claim_version::<revision::Entity>(db, found.id, expected_version, "Revision").await?;
    let before = current.clone();
    let mut row: revision::ActiveModel = current.into();
    row.kind = Set(content.kind);
    row.status = Set(content.status);
    row.summary = Set(content.summary);
    row.details = Set(content.details);
    row.language = Set(content.language);
    row.decided_on = Set(content.decided_on);
    let row = row.update(db).await?;
    Ok((before, row))
}

/// A new guide version, as asked for.
pub struct VersionDraft {
    pub document: DocumentKind,
    pub code: String,
    pub label: String,
    pub stage: VersionStage,
    pub planned_release_on: NaiveDate,
    pub precision: DatePrecision,
    pub languages: Vec<String>,
    pub notes: Option<String>,
}

/// Creates an open (unreleased) version: a code unique within its document, 1 to 10 languages,
/// and a planned date not before the document's latest released version.
pub async fn create_version(db: &impl ConnectionTrait, draft: VersionDraft) -> Result<guide_version::Model> {
    let document = document::Entity::find()
        .filter(document::Column::Kind.eq(draft.document))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Document", "document"))?;
    let code = required_text(&draft.code, "code", 64)?.to_ascii_uppercase();
    if !code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b"._-".contains(&b)) {
        return Err(AppError::bad_input("code", "A version code has letters, digits, dots, dashes or underscores"));
    }
    let label = required_text(&draft.label, "label", MAX_LINE_CHARS)?;
    let notes = optional_text(draft.notes.as_deref(), "notes", MAX_TEXT_CHARS)?;
    if draft.languages.is_empty() || draft.languages.len() > 10 {
        return Err(AppError::bad_input("languages", "Give 1 to 10 language codes"));
    }
    let mut languages = Vec::new();
    for (i, code) in draft.languages.iter().enumerate() {
        let code = language_code(code, &format!("languages.{i}"))?;
        if !languages.contains(&code) {
            languages.push(code);
        }
    }
    let taken = guide_version::Entity::find()
        .filter(guide_version::Column::DocumentId.eq(document.id))
        .filter(guide_version::Column::Code.eq(code.clone()))
        .count(db)
        .await?;
    if taken > 0 {
        return Err(AppError::Conflict {
            field: Some("code".into()),
            message: format!("The document already has a version {code}"),
        });
    }
    let latest_released = guide_version::Entity::find()
        .filter(guide_version::Column::DocumentId.eq(document.id))
        .filter(guide_version::Column::IsReleased.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|v| v.released_on)
        .max();
    let planned = draft.planned_release_on;
    if let Some(latest) = latest_released.filter(|latest| planned < *latest) {
        return Err(AppError::bad_input(
            "plannedReleaseOn",
            format!("A new version cannot come before the latest released one ({latest})"),
        ));
    }
    let now = Utc::now();
    let row = guide_version::ActiveModel {
        document_id: Set(document.id),
        code: Set(code),
        label: Set(label),
        stage: Set(draft.stage),
        released_on: Set(planned),
        released_on_precision: Set(draft.precision),
        languages: Set(languages.join(",")),
        notes: Set(notes),
        is_released: Set(false),
        released_at: Set(None),
        provenance: Set(Provenance::UserEntered),
        source_note: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row)
}

/// One structural or content change to a section, as asked for.
pub struct SectionChangeRequest {
    pub change: SectionChangeKind,
    pub code: String,
    pub new_code: Option<String>,
    pub title: Option<String>,
    pub title_fr: Option<String>,
    pub title_es: Option<String>,
    pub kind: Option<SectionKind>,
    pub parent_code: MaybeUndefined<String>,
    pub position: Option<i32>,
    pub summary: Option<String>,
}

/// One feedback to link, as asked for.
pub struct LinkRequest {
    pub feedback: ID,
    pub disposition: Disposition,
    pub rationale: Option<String>,
}

/// A record written as a side effect, for the audit trail.
pub enum Touched {
    Section { before: Option<guide_section::Model>, after: Option<guide_section::Model> },
    Feedback { before: feedback::Model, after: feedback::Model },
}

/// The version, which must still be open for changes.
pub async fn open_version(db: &impl ConnectionTrait, id: &ID, field: &str) -> Result<guide_version::Model> {
    let version = existing::<guide_version::Entity>(db, id, NodeType::GuideVersion, field).await?;
    require_open(&version, field)?;
    Ok(version)
}

pub fn require_open(version: &guide_version::Model, field: &str) -> Result<()> {
    if version.is_released {
        return Err(AppError::Conflict {
            field: Some(field.into()),
            message: format!("Version {} is released and frozen; record the change in a later version", version.code),
        });
    }
    Ok(())
}

/// The revision and its version, which must still be open.
pub async fn open_revision(
    db: &impl ConnectionTrait,
    id: &ID,
    field: &str,
) -> Result<(revision::Model, guide_version::Model)> {
    let revision = existing::<revision::Entity>(db, id, NodeType::Revision, field).await?;
    let version = guide_version::Entity::find_by_id(revision.guide_version_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("revision without version"))?;
    require_open(&version, field)?;
    Ok((revision, version))
}

pub fn check_content(content: Content) -> Result<Content> {
    let summary = required_text(&content.summary, "summary", MAX_TEXT_CHARS)?;
    let details = optional_text(content.details.as_deref(), "details", MAX_TEXT_CHARS)?;
    if content.decided_on > Utc::now().date_naive() {
        return Err(AppError::bad_input("decidedOn", "`decidedOn` is in the future"));
    }
    let language = match (content.kind, content.language.as_deref()) {
        (RevisionKind::Translation, Some(code)) => Some(language_code(code, "language")?),
        (RevisionKind::Translation, None) => {
            return Err(AppError::bad_input("language", "A TRANSLATION names the language translated into"));
        }
        (_, Some(_)) => return Err(AppError::bad_input("language", "Only a TRANSLATION has a language")),
        (_, None) => None,
    };
    Ok(Content { summary, details, language, ..content })
}

pub async fn insert(
    db: &impl ConnectionTrait,
    version: &guide_version::Model,
    content: Content,
    recorded_by: i32,
) -> Result<revision::Model> {
    let now = Utc::now();
    Ok(revision::ActiveModel {
        guide_version_id: Set(version.id),
        kind: Set(content.kind),
        status: Set(content.status),
        summary: Set(content.summary),
        details: Set(content.details),
        language: Set(content.language),
        decided_on: Set(content.decided_on),
        recorded_by_id: Set(Some(recorded_by)),
        provenance: Set(Provenance::UserEntered),
        source_note: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// A new or changed section code: upper case, letters, digits, dots and dashes.
fn new_section_code(code: &str, field: &str) -> Result<String> {
    let code = code.trim().to_ascii_uppercase();
    let valid = !code.is_empty()
        && code.len() <= 32
        && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
    if !valid {
        return Err(AppError::bad_input(field, "A section code has 1 to 32 letters, digits, dots or dashes"));
    }
    Ok(code)
}

async fn code_taken(db: &impl ConnectionTrait, code: &str, field: &str) -> Result<()> {
    let taken = guide_section::Entity::find().filter(guide_section::Column::Code.eq(code)).count(db).await? > 0;
    if taken {
        return Err(AppError::Conflict {
            field: Some(field.into()),
            message: format!("Another section already has the code {code}"),
        });
    }
    Ok(())
}

/// Refuses fields that do not belong to the change asked for, naming the first one given.
fn refuse_fields(request: &SectionChangeRequest, allowed: &[&str], prefix: &str) -> Result<()> {
    let given = [
        ("newCode", request.new_code.is_some()),
        ("title", request.title.is_some()),
        ("titleFr", request.title_fr.is_some()),
        ("titleEs", request.title_es.is_some()),
        ("kind", request.kind.is_some()),
        ("parentCode", !request.parent_code.is_undefined()),
        ("position", request.position.is_some()),
        ("summary", request.summary.is_some()),
    ];
    match given.iter().find(|(name, set)| *set && !allowed.contains(name)) {
        Some((name, _)) => Err(AppError::bad_input(
            format!("{prefix}.{name}"),
            format!("`{name}` does not apply to a {:?} change", request.change).to_uppercase(),
        )),
        None => Ok(()),
    }
}

/// Next free position among the children of `parent_id` in `document_id`.
async fn next_position(db: &impl ConnectionTrait, document_id: i32, parent_id: Option<i32>) -> Result<i32> {
    let siblings = guide_section::Entity::find().filter(guide_section::Column::DocumentId.eq(document_id));
    let siblings = match parent_id {
        Some(parent) => siblings.filter(guide_section::Column::ParentId.eq(parent)),
        None => siblings.filter(guide_section::Column::ParentId.is_null()),
    };
    let last = siblings.order_by_desc(guide_section::Column::Position).one(db).await?;
    Ok(last.map_or(1, |s| s.position + 1))
}

fn check_position(position: Option<i32>, field: &str) -> Result<Option<i32>> {
    match position {
        Some(p) if !(1..=10_000).contains(&p) => Err(AppError::bad_input(field, "`position` is between 1 and 10000")),
        other => Ok(other),
    }
}

/// Resolves a parent code for a section of `version`'s document; `None` means top level.
async fn parent_in_version(
    db: &impl ConnectionTrait,
    trail: &Trail,
    version: &guide_version::Model,
    rank: usize,
    code: Option<&str>,
    field: &str,
) -> Result<Option<guide_section::Model>> {
    let Some(code) = code else { return Ok(None) };
    let parent = find_section_by_code(db, code, field).await?;
    if parent.document_id != version.document_id {
        return Err(AppError::bad_input(field, format!("Section {} belongs to the other document", parent.code)));
    }
    if trail.state_at(&parent, rank).is_none() {
        return Err(AppError::bad_input(
            field,
            format!("Section {} is not part of version {}", parent.code, version.code),
        ));
    }
    Ok(Some(parent))
}

/// Applies one change of a revision to its section and records the before/after snapshot.
pub async fn apply_section_change<C: ConnectionTrait>(
    db: &C,
    trail: &Trail,
    version: &guide_version::Model,
    revision: &revision::Model,
    request: SectionChangeRequest,
    prefix: &str,
) -> Result<Touched> {
    let rank = trail.rank(version.id).ok_or_else(|| AppError::internal("version missing from its trail"))?;
    let site = ChangeSite { db, trail, version, revision, rank, prefix };
    if revision.kind == RevisionKind::Translation && request.change != SectionChangeKind::Revised {
        return Err(AppError::bad_input(
            site.field("change"),
            "A TRANSLATION touches sections (REVISED) but does not change their structure",
        ));
    }
    if request.change == SectionChangeKind::Added {
        return add_section(&site, request).await;
    }
    let current = section_to_change(&site, &request.code).await?;
    let mut next = SectionState::of(&current);
    let mut retire = false;
    match request.change {
        SectionChangeKind::Added => {}
        SectionChangeKind::Revised => revise(&site, &request, &mut next)?,
        SectionChangeKind::Renamed => rename(&site, &request, &current, &mut next).await?,
        SectionChangeKind::Moved => relocate(&site, &request, &current, &mut next).await?,
        SectionChangeKind::Retired => {
            refuse_retiring_a_parent(&site, &request, &current).await?;
            retire = true;
        }
    }
    let before = current.clone();
    let mut row: guide_section::ActiveModel = next.apply_to(current.clone()).into();
    row.retired_in_id = Set(if retire { Some(version.id) } else { current.retired_in_id });
    row.updated_at = Set(Utc::now());
    row.version = Set(current.version + 1);
    // Every column is marked changed so the update writes the whole new state.
    let row = row.reset_all().update(db).await?;
    let after_state = (!retire).then(|| SectionState::of(&row));
    insert_change(db, revision.id, &row, request.change, Some(SectionState::of(&before)), after_state).await?;
    Ok(Touched::Section { before: Some(before), after: Some(row) })
}

/// Where one section change applies: the revision, its open version and that version's place in
/// the trail, and the input path of the change for error fields.
struct ChangeSite<'a, C> {
    db: &'a C,
    trail: &'a Trail,
    version: &'a guide_version::Model,
    revision: &'a revision::Model,
    rank: usize,
    prefix: &'a str,
}

impl<C: ConnectionTrait> ChangeSite<'_, C> {
    fn field(&self, name: &str) -> String {
        format!("{}.{name}", self.prefix)
    }

    fn line(&self, value: &Option<String>, name: &str) -> Result<Option<String>> {
        optional_text(value.as_deref(), &self.field(name), MAX_LINE_CHARS)
    }

    async fn parent(&self, code: Option<&str>, field: &str) -> Result<Option<guide_section::Model>> {
        parent_in_version(self.db, self.trail, self.version, self.rank, code, field).await
    }
}

/// ADDED: a new section of the version's document, introduced in that version.
async fn add_section<C: ConnectionTrait>(site: &ChangeSite<'_, C>, request: SectionChangeRequest) -> Result<Touched> {
    let (db, version, prefix) = (site.db, site.version, site.prefix);
    refuse_fields(&request, &["title", "titleFr", "titleEs", "kind", "parentCode", "position", "summary"], prefix)?;
    let code = new_section_code(&request.code, &site.field("code"))?;
    code_taken(db, &code, &site.field("code")).await?;
    let title = required_text(request.title.as_deref().unwrap_or(""), &site.field("title"), MAX_LINE_CHARS)?;
    let kind = request.kind.ok_or_else(|| AppError::bad_input(site.field("kind"), "Give the new section's kind"))?;
    let parent = site.parent(request.parent_code.as_opt_deref().flatten(), &site.field("parentCode")).await?;
    let parent_id = parent.map(|p| p.id);
    let position = match check_position(request.position, &site.field("position"))? {
        Some(p) => p,
        None => next_position(db, version.document_id, parent_id).await?,
    };
    let now = Utc::now();
    let section = guide_section::ActiveModel {
        document_id: Set(version.document_id),
        code: Set(code),
        title: Set(title),
        title_fr: Set(site.line(&request.title_fr, "titleFr")?),
        title_es: Set(site.line(&request.title_es, "titleEs")?),
        kind: Set(kind),
        parent_id: Set(parent_id),
        position: Set(position),
        summary: Set(optional_text(request.summary.as_deref(), &site.field("summary"), MAX_TEXT_CHARS)?),
        introduced_in_id: Set(Some(version.id)),
        retired_in_id: Set(None),
        provenance: Set(Provenance::UserEntered),
        source_note: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    insert_change(db, site.revision.id, &section, SectionChangeKind::Added, None, Some(SectionState::of(&section)))
        .await?;
    Ok(Touched::Section { before: None, after: Some(section) })
}

/// The existing section a change names: of the version's document, part of that version, and
/// not changed in a later one (changes to a section go in version order, so any earlier version
/// can be rebuilt).
async fn section_to_change<C: ConnectionTrait>(site: &ChangeSite<'_, C>, code: &str) -> Result<guide_section::Model> {
    let version = site.version;
    let code_field = site.field("code");
    let current = find_section_by_code(site.db, code, &code_field).await?;
    if current.document_id != version.document_id {
        return Err(AppError::bad_input(
            code_field,
            format!("Section {} belongs to the other document than version {}", current.code, version.code),
        ));
    }
    if site.trail.state_at(&current, site.rank).is_none() {
        return Err(AppError::bad_input(
            code_field,
            format!("Section {} is not part of version {} (not yet added, or retired)", current.code, version.code),
        ));
    }
    if site.trail.changed_after(current.id, site.rank) {
        return Err(AppError::Conflict {
            field: Some(code_field),
            message: format!("Section {} was already changed in a later version than {}", current.code, version.code),
        });
    }
    Ok(current)
}

/// REVISED: the content changed; a new summary may come with it.
fn revise<C: ConnectionTrait>(
    site: &ChangeSite<'_, C>,
    request: &SectionChangeRequest,
    next: &mut SectionState,
) -> Result<()> {
    refuse_fields(request, &["summary"], site.prefix)?;
    if let Some(summary) = &request.summary {
        next.summary = optional_text(Some(summary), &site.field("summary"), MAX_TEXT_CHARS)?;
    }
    Ok(())
}

/// RENAMED: a new code, new titles, or both.
async fn rename<C: ConnectionTrait>(
    site: &ChangeSite<'_, C>,
    request: &SectionChangeRequest,
    current: &guide_section::Model,
    next: &mut SectionState,
) -> Result<()> {
    refuse_fields(request, &["newCode", "title", "titleFr", "titleEs"], site.prefix)?;
    if request.new_code.is_none() && request.title.is_none() && request.title_fr.is_none() && request.title_es.is_none()
    {
        return Err(AppError::bad_input(site.field("title"), "A RENAMED change gives a new code or a new title"));
    }
    if let Some(code) = &request.new_code {
        let field = site.field("newCode");
        let code = new_section_code(code, &field)?;
        if code != current.code {
            code_taken(site.db, &code, &field).await?;
        }
        next.code = code;
    }
    if let Some(title) = &request.title {
        next.title = required_text(title, &site.field("title"), MAX_LINE_CHARS)?;
    }
    if request.title_fr.is_some() {
        next.title_fr = site.line(&request.title_fr, "titleFr")?;
    }
    if request.title_es.is_some() {
        next.title_es = site.line(&request.title_es, "titleEs")?;
    }
    Ok(())
}

/// MOVED: a new parent (null for the top level), a new position, or both; a new parent without
/// a position puts the section last among its new siblings.
async fn relocate<C: ConnectionTrait>(
    site: &ChangeSite<'_, C>,
    request: &SectionChangeRequest,
    current: &guide_section::Model,
    next: &mut SectionState,
) -> Result<()> {
    refuse_fields(request, &["parentCode", "position"], site.prefix)?;
    if request.parent_code.is_undefined() && request.position.is_none() {
        return Err(AppError::bad_input(
            site.field("parentCode"),
            "A MOVED change gives a new parent (null for the top level) or a new position",
        ));
    }
    if !request.parent_code.is_undefined() {
        let field = site.field("parentCode");
        let parent = site.parent(request.parent_code.as_opt_deref().flatten(), &field).await?;
        if let Some(parent) = &parent {
            refuse_cycle(site.db, current, parent, &field).await?;
        }
        next.parent_id = parent.map(|p| p.id);
    }
    next.position = match check_position(request.position, &site.field("position"))? {
        Some(p) => p,
        None if next.parent_id != current.parent_id => {
            next_position(site.db, site.version.document_id, next.parent_id).await?
        }
        None => current.position,
    };
    Ok(())
}

/// RETIRED takes nothing else, and a section with live sub-sections cannot be retired.
async fn refuse_retiring_a_parent<C: ConnectionTrait>(
    site: &ChangeSite<'_, C>,
    request: &SectionChangeRequest,
    current: &guide_section::Model,
) -> Result<()> {
    refuse_fields(request, &[], site.prefix)?;
    let live_children = guide_section::Entity::find()
        .filter(guide_section::Column::ParentId.eq(current.id))
        .filter(guide_section::Column::RetiredInId.is_null())
        .count(site.db)
        .await?;
    if live_children > 0 {
        return Err(AppError::bad_input(
            site.field("code"),
            format!("Section {} still has {live_children} sub-sections; retire or move them first", current.code),
        ));
    }
    Ok(())
}

/// Refuses to make `section` a descendant of itself.
async fn refuse_cycle(
    db: &impl ConnectionTrait,
    section: &guide_section::Model,
    new_parent: &guide_section::Model,
    field: &str,
) -> Result<()> {
    let parents: HashMap<i32, Option<i32>> = guide_section::Entity::find()
        .filter(guide_section::Column::DocumentId.eq(section.document_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.parent_id))
        .collect();
    let mut cursor = Some(new_parent.id);
    while let Some(id) = cursor {
        if id == section.id {
            return Err(AppError::bad_input(field, "A section cannot move under itself or one of its sub-sections"));
        }
        cursor = parents.get(&id).copied().flatten();
    }
    Ok(())
}

async fn insert_change(
    db: &impl ConnectionTrait,
    revision_id: i32,
    section: &guide_section::Model,
    change: SectionChangeKind,
    before: Option<SectionState>,
    after: Option<SectionState>,
) -> Result<revision_section::Model> {
    let now = Utc::now();
    Ok(revision_section::ActiveModel {
        revision_id: Set(revision_id),
        section_id: Set(section.id),
        change: Set(change),
        before: Set(before),
        after: Set(after),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// The feedback status a decision implies, if it implies one.
fn status_after_decision(current: FeedbackStatus, disposition: Disposition) -> FeedbackStatus {
    match (current, disposition) {
        (FeedbackStatus::Addressed, _) => FeedbackStatus::Addressed,
        (_, Disposition::Accepted) => FeedbackStatus::Accepted,
        (_, Disposition::PartiallyAccepted) => FeedbackStatus::PartiallyAccepted,
        (_, Disposition::Declined) => FeedbackStatus::Declined,
        (FeedbackStatus::Received, Disposition::Deferred) => FeedbackStatus::UnderReview,
        (status, Disposition::Deferred) => status,
    }
}

/// Links (or re-decides) one feedback on a revision; the feedback's status follows the decision.
pub async fn link_feedback(
    db: &impl ConnectionTrait,
    revision: &revision::Model,
    version: &guide_version::Model,
    request: LinkRequest,
    prefix: &str,
) -> Result<(revision_feedback::Model, Option<Touched>)> {
    let feedback_field = format!("{prefix}feedback");
    let found = existing::<feedback::Entity>(db, &request.feedback, NodeType::Feedback, &feedback_field).await?;
    let rationale = optional_text(request.rationale.as_deref(), &format!("{prefix}rationale"), MAX_TEXT_CHARS)?;
    if rationale.is_none() && request.disposition != Disposition::Accepted {
        return Err(AppError::bad_input(
            format!("{prefix}rationale"),
            "Explain in `rationale` why the feedback was not simply accepted",
        ));
    }
    let given_on = guide_version::Entity::find_by_id(found.guide_version_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::internal("feedback without version"))?;
    if given_on.released_on > version.released_on {
        return Err(AppError::bad_input(
            feedback_field,
            format!("The feedback was given on {}, which came after version {}", given_on.code, version.code),
        ));
    }
    let now = Utc::now();
    let existing_link = revision_feedback::Entity::find()
        .filter(revision_feedback::Column::RevisionId.eq(revision.id))
        .filter(revision_feedback::Column::FeedbackId.eq(found.id))
        .one(db)
        .await?;
    let link = match existing_link {
        Some(link) => {
            let next_version = link.version + 1;
            let mut row: revision_feedback::ActiveModel = link.into();
            row.disposition = Set(request.disposition);
            row.rationale = Set(rationale.clone());
            row.updated_at = Set(now);
            row.version = Set(next_version);
            row.update(db).await?
        }
        None => {
            revision_feedback::ActiveModel {
                revision_id: Set(revision.id),
                feedback_id: Set(found.id),
                disposition: Set(request.disposition),
                rationale: Set(rationale.clone()),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    };
    let status = status_after_decision(found.status, request.disposition);
    let response = found
        .response
        .clone()
        .or(rationale)
        .unwrap_or_else(|| format!("Taken up in {}: {}", version.label, revision.summary));
    let touched = set_feedback_status(db, found, status, response).await?;
    Ok((link, touched))
}

/// Moves a feedback to `status`, keeping its response or giving it `response`; `None` when nothing changed.
async fn set_feedback_status(
    db: &impl ConnectionTrait,
    found: feedback::Model,
    status: FeedbackStatus,
    response: String,
) -> Result<Option<Touched>> {
    if found.status == status && found.response.is_some() {
        return Ok(None);
    }
    let now = Utc::now();
    let before = found.clone();
    let mut row: feedback::ActiveModel = found.into();
    row.status = Set(status);
    if before.response.is_none() {
        row.response = Set(Some(response));
        row.responded_at = Set(Some(now));
    }
    row.updated_at = Set(now);
    row.version = Set(before.version + 1);
    let after = row.update(db).await?;
    Ok(Some(Touched::Feedback { before, after }))
}

/// Removes a feedback link; `NOT_FOUND` when the feedback was not linked.
pub async fn unlink_feedback(
    db: &impl ConnectionTrait,
    revision: &revision::Model,
    feedback_id: i32,
) -> Result<revision_feedback::Model> {
    let link = revision_feedback::Entity::find()
        .filter(revision_feedback::Column::RevisionId.eq(revision.id))
        .filter(revision_feedback::Column::FeedbackId.eq(feedback_id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Feedback link", "feedback"))?;
    link.clone().delete(db).await?;
    Ok(link)
}

/// Undoes a revision's section changes, newest first, then deletes it. Refused when a later
/// revision built on one of its changes, or a section it added is already referred to.
pub async fn delete(db: &impl ConnectionTrait, revision: &revision::Model) -> Result<Vec<Touched>> {
    let changes = revision_section::Entity::find()
        .filter(revision_section::Column::RevisionId.eq(revision.id))
        .order_by_desc(revision_section::Column::Id)
        .all(db)
        .await?;
    let mut touched = Vec::new();
    for change in changes {
        let later = revision_section::Entity::find()
            .filter(revision_section::Column::SectionId.eq(change.section_id))
            .filter(revision_section::Column::Id.gt(change.id))
            .filter(revision_section::Column::RevisionId.ne(revision.id))
            .count(db)
            .await?;
        if later > 0 {
            return Err(AppError::Conflict {
                field: Some("id".into()),
                message: "Another revision changed a section after this one; delete that revision first".into(),
            });
        }
        let section = guide_section::Entity::find_by_id(change.section_id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::internal("section change without section"))?;
        change.clone().delete(db).await?;
        match change.before {
            None => {
                let references = [
                    (
                        "feedback",
                        feedback_section::Entity::find()
                            .filter(feedback_section::Column::SectionId.eq(section.id))
                            .count(db)
                            .await?,
                    ),
                    (
                        "events",
                        event_section::Entity::find()
                            .filter(event_section::Column::SectionId.eq(section.id))
                            .count(db)
                            .await?,
                    ),
                    (
                        "planned uses",
                        planned_use_section::Entity::find()
                            .filter(planned_use_section::Column::SectionId.eq(section.id))
                            .count(db)
                            .await?,
                    ),
                    (
                        "sub-sections",
                        guide_section::Entity::find()
                            .filter(guide_section::Column::ParentId.eq(section.id))
                            .count(db)
                            .await?,
                    ),
                ];
                crate::write::refuse_if_referenced("section this revision added", &references)?;
                section.clone().delete(db).await?;
                touched.push(Touched::Section { before: Some(section), after: None });
            }
            Some(state) => {
                let mut row: guide_section::ActiveModel = state.apply_to(section.clone()).into();
                if change.change == SectionChangeKind::Retired {
                    row.retired_in_id = Set(None);
                }
                row.updated_at = Set(Utc::now());
                row.version = Set(section.version + 1);
                let restored = row.reset_all().update(db).await?;
                touched.push(Touched::Section { before: Some(section), after: Some(restored) });
            }
        }
    }
    revision.clone().delete(db).await?;
    Ok(touched)
}

/// Releases a version: refuses while revisions are pending, then freezes it and closes the
/// feedback it answered (accepted in any revision of it: ADDRESSED; only declined: DECLINED).
pub async fn release(
    db: &impl ConnectionTrait,
    current: guide_version::Model,
    released_on: Option<NaiveDate>,
) -> Result<(guide_version::Model, Vec<Touched>)> {
    if current.is_released {
        return Err(AppError::Conflict {
            field: Some("id".into()),
            message: format!("Version {} is already released", current.code),
        });
    }
    let pending = revision::Entity::find()
        .filter(revision::Column::GuideVersionId.eq(current.id))
        .filter(revision::Column::Status.eq(RevisionStatus::Pending))
        .count(db)
        .await?;
    if pending > 0 {
        return Err(AppError::Conflict {
            field: Some("id".into()),
            message: format!("{pending} revisions of version {} are still PENDING; mark them DONE first", current.code),
        });
    }
    let released_on = released_on.unwrap_or(current.released_on);
    if released_on > Utc::now().date_naive() {
        return Err(AppError::bad_input("releasedOn", "`releasedOn` is in the future"));
    }
    // The release date must keep the version in its place among its document's versions.
    let siblings = guide_version::Entity::find()
        .filter(guide_version::Column::DocumentId.eq(current.document_id))
        .filter(guide_version::Column::Id.ne(current.id))
        .all(db)
        .await?;
    let earlier_key = (current.released_on, current.id);
    for other in &siblings {
        let other_key = (other.released_on, other.id);
        let was_before = other_key < earlier_key;
        let is_before = other_key < (released_on, current.id);
        if was_before != is_before {
            return Err(AppError::bad_input(
                "releasedOn",
                format!("That date would move the version past version {} ({})", other.code, other.released_on),
            ));
        }
    }
    let mut row: guide_version::ActiveModel = current.clone().into();
    row.is_released = Set(true);
    row.released_at = Set(Some(Utc::now()));
    row.released_on = Set(released_on);
    let version = row.update(db).await?;

    let revision_ids: Vec<i32> = revision::Entity::find()
        .filter(revision::Column::GuideVersionId.eq(version.id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let links = revision_feedback::Entity::find()
        .filter(revision_feedback::Column::RevisionId.is_in(revision_ids))
        .all(db)
        .await?;
    let mut closing: HashMap<i32, FeedbackStatus> = HashMap::new();
    for link in &links {
        let status = match link.disposition {
            Disposition::Accepted | Disposition::PartiallyAccepted => FeedbackStatus::Addressed,
            Disposition::Declined => FeedbackStatus::Declined,
            Disposition::Deferred => continue,
        };
        let entry = closing.entry(link.feedback_id).or_insert(status);
        if status == FeedbackStatus::Addressed {
            *entry = status;
        }
    }
    let mut touched = Vec::new();
    let mut feedback_rows =
        feedback::Entity::find().filter(feedback::Column::Id.is_in(closing.keys().copied())).all(db).await?;
    feedback_rows.sort_by_key(|f| f.id);
    for row in feedback_rows {
        let Some(status) = closing.get(&row.id).copied() else { continue };
        if row.status == FeedbackStatus::Addressed {
            continue;
        }
        let response = format!("Answered in version {} ({})", version.code, version.label);
        if let Some(change) = set_feedback_status(db, row, status, response).await? {
            touched.push(change);
        }
    }
    Ok((version, touched))
}

/// Every link count guard for deleting a feedback: answered feedback stays on record.
pub async fn responses_to(db: &impl ConnectionTrait, feedback_id: i32) -> Result<u64> {
    Ok(revision_feedback::Entity::find()
        .filter(revision_feedback::Column::FeedbackId.eq(feedback_id))
        .count(db)
        .await?)
}

/// Checks a list of requested links: at most [`MAX_LINKS`], no feedback twice.
pub fn check_link_list(links: &[LinkRequest], field: &str) -> Result<()> {
    if links.len() > MAX_LINKS {
        return Err(AppError::bad_input(field, format!("At most {MAX_LINKS} feedback links per call")));
    }
    for (i, link) in links.iter().enumerate() {
        if links[..i].iter().any(|other| other.feedback == link.feedback) {
            return Err(AppError::bad_input(format!("{field}.{i}.feedback"), "This feedback is listed twice"));
        }
    }
    Ok(())
}
