use std::collections::HashMap;

use async_graphql::{Context, Enum, ID, InputObject, Object};
use entity::document::DocumentKind;
use entity::revision::{self, RevisionKind, RevisionStatus};
use entity::revision_feedback;
use entity::revision_section::{self, SectionChangeKind, SectionState as StateModel};
use entity::{guide_section, guide_version};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use super::history::Trail;
use super::types::{
    FeedbackResponse, Revision, SectionChange, SectionDifference, SectionState, VersionComparison, visible_responses,
};
use crate::auth::guard::Require;
use crate::context::{Access, db};
use crate::error::{AppError, Result};
use crate::guide::{GuideVersion, Section, document_ids, find_section_by_code};
use crate::id::{NodeType, expect_global_id};
use crate::pagination::{AppConnection, DateFilter, EnumFilter, OrderDirection, PageArgs, apply_order, paginate};
use crate::validate::existing;

/// Which revisions to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct RevisionFilter {
    /// Only revisions of this document's versions.
    pub document: Option<DocumentKind>,
    /// Only revisions of these guide versions.
    pub guide_versions: Option<Vec<ID>>,
    /// Former name of `guideVersions`.
    #[graphql(deprecation = "Use `guideVersions`; this name goes in the next release.")]
    pub versions: Option<Vec<ID>>,
    /// Only revisions of these kinds.
    pub kind: Option<EnumFilter<RevisionKind>>,
    /// Only revisions with these statuses.
    pub status: Option<EnumFilter<RevisionStatus>>,
    /// Only revisions decided on these days.
    pub decided_on: Option<DateFilter>,
    /// Only revisions that touched the section with this (current) code.
    pub section: Option<String>,
    /// Only revisions that answered this feedback.
    pub feedback: Option<ID>,
}

/// What a revision list can be sorted by.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum RevisionOrderField {
    /// By the day it was decided.
    DecidedOn,
    /// By kind, in the alphabetical order of the value names.
    Kind,
    /// By status, in the alphabetical order of the value names.
    Status,
}

/// One sort key of a revision list.
#[derive(InputObject)]
pub struct RevisionOrder {
    /// What to sort by.
    pub field: RevisionOrderField,
    /// ASC (default) or DESC.
    #[graphql(default)]
    pub direction: OrderDirection,
}

#[derive(Default)]
pub struct RevisionQuery;

#[Object]
impl RevisionQuery {
    /// Revisions of the guidance, in the order recorded unless `orderBy` says otherwise.
    #[graphql(
        guard = "Require(Access::SignedIn)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    async fn revisions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which revisions; all when omitted.")] filter: Option<RevisionFilter>,
        #[graphql(
            desc = "Sort keys, the first one first; ties, and the whole list when omitted, in the order recorded."
        )]
        order_by: Option<Vec<RevisionOrder>>,
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
    ) -> Result<AppConnection<Revision>> {
        let db = db(ctx)?;
        let condition = revision_condition(db, filter.unwrap_or_default()).await?;
        let orderings = order_by.unwrap_or_default().into_iter().map(|o| {
            let column = match o.field {
                RevisionOrderField::DecidedOn => revision::Column::DecidedOn,
                RevisionOrderField::Kind => revision::Column::Kind,
                RevisionOrderField::Status => revision::Column::Status,
            };
            (column, o.direction)
        });
        let select = apply_order(revision::Entity::find().filter(condition), orderings, revision::Column::Id);
        paginate(ctx, db, select, PageArgs::new(after, before, first, last), Revision).await
    }

    /// What changed between two versions of one document: the sections added, revised and
    /// retired in the versions after `earlier` up to and including `later`, each with the feedback
    /// behind it.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn compare_versions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the earlier version.")] earlier: Option<ID>,
        #[graphql(desc = "Global id of a later version of the same document.")] later: Option<ID>,
        #[graphql(
            desc = "Former name of `earlier` (`from` is a day everywhere else).",
            deprecation = "Use `earlier`; this name goes in the next release."
        )]
        from: Option<ID>,
        #[graphql(
            desc = "Former name of `later` (`to` is a day everywhere else).",
            deprecation = "Use `later`; this name goes in the next release."
        )]
        to: Option<ID>,
    ) -> Result<VersionComparison> {
        let db = db(ctx)?;
        let (earlier, earlier_field) = crate::validate::renamed_required(earlier, "earlier", from, "from")?;
        let (later, later_field) = crate::validate::renamed_required(later, "later", to, "to")?;
        let from = existing::<guide_version::Entity>(db, &earlier, NodeType::GuideVersion, earlier_field).await?;
        let to = existing::<guide_version::Entity>(db, &later, NodeType::GuideVersion, later_field).await?;
        if from.document_id != to.document_id {
            return Err(AppError::bad_input(later_field, "Both versions must be of the same document"));
        }
        let trail = Trail::load(db, from.document_id).await?;
        let (Some(from_rank), Some(to_rank)) = (trail.rank(from.id), trail.rank(to.id)) else {
            return Err(AppError::internal("version missing from its trail"));
        };
        if from_rank >= to_rank {
            return Err(AppError::bad_input(
                later_field,
                format!("Version {} does not come after {}", to.code, from.code),
            ));
        }
        let revisions = trail.revisions_between(from_rank, to_rank);
        let links = revision_feedback::Entity::find()
            .filter(revision_feedback::Column::RevisionId.is_in(revisions.iter().map(|r| r.id)))
            .all(db)
            .await?;
        let mut links_by_revision: HashMap<i32, Vec<revision_feedback::Model>> = HashMap::new();
        for link in links {
            links_by_revision.entry(link.revision_id).or_default().push(link);
        }
        let sections = guide_section::Entity::find()
            .filter(guide_section::Column::DocumentId.eq(from.document_id))
            .all(db)
            .await?;
        let mut comparison = VersionComparison {
            earlier: GuideVersion(from),
            later: GuideVersion(to),
            added: Vec::new(),
            revised: Vec::new(),
            retired: Vec::new(),
            revisions: revisions.iter().map(|r| Revision((*r).clone())).collect(),
        };
        for section in &sections {
            let changes: Vec<_> = trail
                .changes_between(section.id, from_rank, to_rank)
                .into_iter()
                .filter(|c| {
                    trail.revisions.get(&c.revision_id).is_some_and(|r| trail.counts_between(r, from_rank, to_rank))
                })
                .collect();
            // A translation touches a section without changing it.
            let substantive = changes
                .iter()
                .any(|c| trail.revisions.get(&c.revision_id).is_some_and(|r| r.kind != RevisionKind::Translation));
            if !substantive {
                continue;
            }
            let before = trail.state_at(section, from_rank);
            let after = trail.state_at(section, to_rank);
            let mut answered = Vec::new();
            let mut seen = Vec::new();
            for change in &changes {
                if seen.contains(&change.revision_id) {
                    continue;
                }
                seen.push(change.revision_id);
                answered.extend(links_by_revision.get(&change.revision_id).into_iter().flatten().cloned());
            }
            let shown = after.clone().or_else(|| before.clone()).unwrap_or_else(|| section.clone());
            let difference = SectionDifference {
                section: Section::new(shown),
                before: before.as_ref().map(|s| SectionState(StateModel::of(s))),
                after: after.as_ref().map(|s| SectionState(StateModel::of(s))),
                changes: changes.into_iter().cloned().map(SectionChange).collect(),
                feedback: visible_responses(ctx, answered).await?,
            };
            match (before.is_some(), after.is_some()) {
                (false, true) => comparison.added.push(difference),
                (true, false) => comparison.retired.push(difference),
                (true, true) => comparison.revised.push(difference),
                // Added and retired again between the two: in neither version.
                (false, false) => {}
            }
        }
        Ok(comparison)
    }
}

async fn revision_condition(db: &impl sea_orm::ConnectionTrait, filter: RevisionFilter) -> Result<Condition> {
    let mut condition = Condition::all();
    if let Some(kind) = filter.document {
        let versions = guide_version::Entity::find()
            .select_only()
            .column(guide_version::Column::Id)
            .filter(guide_version::Column::DocumentId.in_subquery(document_ids(kind)))
            .into_query();
        condition = condition.add(revision::Column::GuideVersionId.in_subquery(versions));
    }
    let versions =
        crate::validate::renamed(filter.guide_versions, "filter.guideVersions", filter.versions, "filter.versions")?;
    if let Some((ids, field)) = versions {
        let keys = ids
            .iter()
            .enumerate()
            .map(|(i, id)| expect_global_id(id, NodeType::GuideVersion, &format!("{field}.{i}")))
            .collect::<Result<Vec<_>>>()?;
        condition = condition.add(revision::Column::GuideVersionId.is_in(keys));
    }
    if let Some(f) = &filter.kind {
        condition = condition.add(f.condition(revision::Column::Kind));
    }
    if let Some(f) = &filter.status {
        condition = condition.add(f.condition(revision::Column::Status));
    }
    if let Some(f) = &filter.decided_on {
        condition = condition.add(f.condition(revision::Column::DecidedOn));
    }
    if let Some(code) = &filter.section {
        let section = find_section_by_code(db, code, "filter.section").await?;
        let touching = revision_section::Entity::find()
            .select_only()
            .column(revision_section::Column::RevisionId)
            .filter(revision_section::Column::SectionId.eq(section.id))
            .into_query();
        condition = condition.add(revision::Column::Id.in_subquery(touching));
    }
    if let Some(id) = &filter.feedback {
        let feedback_id = expect_global_id(id, NodeType::Feedback, "filter.feedback")?;
        let answering = revision_feedback::Entity::find()
            .select_only()
            .column(revision_feedback::Column::RevisionId)
            .filter(revision_feedback::Column::FeedbackId.eq(feedback_id))
            .into_query();
        condition = condition.add(revision::Column::Id.in_subquery(answering));
    }
    Ok(condition)
}

/// The section whose code was `code` in `version`, as it stood then; `None` when no section had
/// that code in that version. Codes can change, so earlier codes are looked up in the trail.
pub async fn section_as_of(
    db: &impl sea_orm::ConnectionTrait,
    code: &str,
    version: &guide_version::Model,
) -> Result<Option<guide_section::Model>> {
    let code = code.trim().to_ascii_uppercase();
    let trail = Trail::load(db, version.document_id).await?;
    let rank = trail.rank(version.id).ok_or_else(|| AppError::internal("version missing from its trail"))?;
    let renamed: Vec<i32> = revision_section::Entity::find()
        .filter(revision_section::Column::Change.eq(SectionChangeKind::Renamed))
        .all(db)
        .await?
        .into_iter()
        .filter(|c| [&c.before, &c.after].into_iter().flatten().any(|s| s.code == code))
        .map(|c| c.section_id)
        .collect();
    let candidates = guide_section::Entity::find()
        .filter(guide_section::Column::DocumentId.eq(version.document_id))
        .filter(
            Condition::any()
                .add(guide_section::Column::Code.eq(code.clone()))
                .add(guide_section::Column::Id.is_in(renamed)),
        )
        .all(db)
        .await?;
    Ok(candidates.iter().filter_map(|s| trail.state_at(s, rank)).find(|s| s.code == code))
}

/// `feedback.addressedBy`, kept here with the other revision reads.
pub async fn responses_to_feedback(ctx: &Context<'_>, feedback_id: i32) -> Result<Vec<FeedbackResponse>> {
    let links = crate::engine::loader::children::<super::types::ResponsesToFeedback>(ctx, feedback_id).await?;
    Ok(links.into_iter().map(FeedbackResponse).collect())
}
