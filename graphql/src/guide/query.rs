use async_graphql::{Context, Enum, ID, InputObject, Object};
use entity::document::{self, DocumentKind};
use entity::guide_section::{self, SectionKind};
use entity::guide_version::{self, VersionStage};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use super::{Document, GuideVersion, Section};
use crate::auth::guard::Require;
use crate::context::{Access, db};
use crate::error::{AppError, Result};
use crate::id::{NodeType, expect_global_id};
use crate::pagination::{
    AppConnection, DateFilter, EnumFilter, OrderDirection, PageArgs, StringFilter, apply_order, paginate,
};

/// Which guide versions to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct GuideVersionFilter {
    /// Only versions of this document.
    pub document: Option<DocumentKind>,
    /// Only versions at these stages.
    pub stage: Option<EnumFilter<VersionStage>>,
    /// Only versions released, or planned to be, on these days.
    pub released_on: Option<DateFilter>,
    /// ISO 639-1 code the version must be available in, e.g. `fr`.
    pub language: Option<String>,
    /// Only versions whose code matches, e.g. `{startsWith: "2021"}`.
    pub code: Option<StringFilter>,
}

/// What a list of guide versions can be sorted by.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum GuideVersionOrderField {
    /// By release date (the planned one for open versions).
    ReleasedOn,
    /// By version code, compared as text.
    Code,
    /// By label, compared as text.
    Label,
}

/// One sort key of a list of guide versions.
#[derive(InputObject)]
pub struct GuideVersionOrder {
    /// What to sort by.
    pub field: GuideVersionOrderField,
    /// ASC (default) or DESC.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// Which sections to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct SectionFilter {
    /// Only sections of this document.
    pub document: Option<DocumentKind>,
    /// Only sections of these kinds.
    pub kind: Option<EnumFilter<SectionKind>>,
    /// Only sections whose code matches, e.g. `{startsWith: "OBJ-"}`.
    pub code: Option<StringFilter>,
    /// Only sections whose English title matches.
    pub title: Option<StringFilter>,
    /// Only direct children of the section with this code.
    pub parent_code: Option<String>,
    /// Only top-level sections (no parent).
    pub roots_only: Option<bool>,
    /// Only sections present in this guide version (introduced in it or earlier, not yet retired).
    pub guide_version: Option<ID>,
    /// Former name of `guideVersion`.
    #[graphql(deprecation = "Use `guideVersion`; this name goes in the next release.")]
    pub present_in_version: Option<ID>,
}

/// What a list of sections can be sorted by.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum SectionOrderField {
    /// By section code, compared as text.
    Code,
    /// By English title, compared as text.
    Title,
    /// By kind, in the alphabetical order of the value names.
    Kind,
    /// By place among the siblings (sections of different parents interleave).
    Position,
}

/// One sort key of a list of sections.
#[derive(InputObject)]
pub struct SectionOrder {
    /// What to sort by.
    pub field: SectionOrderField,
    /// ASC (default) or DESC.
    #[graphql(default)]
    pub direction: OrderDirection,
}

#[derive(Default)]
pub struct GuideQuery;

#[Object]
impl GuideQuery {
    /// The two documents of the guidance: the Guide and the Booklet.
    #[graphql(
        guard = "Require(Access::SignedIn)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    async fn documents(
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
    ) -> Result<AppConnection<Document>> {
        let select = apply_order(document::Entity::find(), [], document::Column::Id);
        paginate(ctx, db(ctx)?, select, PageArgs::new(after, before, first, last), Document).await
    }

    /// The Guide or the Booklet, by kind.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn document(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "GUIDE or BOOKLET.")] kind: DocumentKind,
    ) -> Result<Option<Document>> {
        let found = document::Entity::find().filter(document::Column::Kind.eq(kind)).one(db(ctx)?).await;
        Ok(found?.map(Document))
    }

    /// Versions of the guidance (drafts, translations, revised and final), oldest first by default.
    #[graphql(
        guard = "Require(Access::SignedIn)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    async fn guide_versions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which versions; all when omitted.")] filter: Option<GuideVersionFilter>,
        #[graphql(desc = "Sort keys, the first one first; oldest release first when omitted. Ties go by entry order.")]
        order_by: Option<Vec<GuideVersionOrder>>,
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
    ) -> Result<AppConnection<GuideVersion>> {
        let db = db(ctx)?;
        let filter = filter.unwrap_or_default();
        let mut condition = Condition::all();
        if let Some(kind) = filter.document {
            condition = condition.add(guide_version::Column::DocumentId.in_subquery(document_ids(kind)));
        }
        if let Some(f) = &filter.stage {
            condition = condition.add(f.condition(guide_version::Column::Stage));
        }
        if let Some(f) = &filter.released_on {
            condition = condition.add(f.condition(guide_version::Column::ReleasedOn));
        }
        if let Some(f) = &filter.code {
            condition = condition.add(f.condition(guide_version::Column::Code));
        }
        if let Some(language) = &filter.language {
            let language = language.trim().to_ascii_lowercase();
            if language.len() != 2 || !language.bytes().all(|b| b.is_ascii_lowercase()) {
                return Err(AppError::bad_input("filter.language", "Use a two-letter ISO 639-1 code"));
            }
            // `languages` is a comma-separated list: match the code as a whole entry only.
            let column = guide_version::Column::Languages;
            condition = condition.add(
                Condition::any()
                    .add(column.eq(language.clone()))
                    .add(column.like(format!("{language},%")))
                    .add(column.like(format!("%,{language}")))
                    .add(column.like(format!("%,{language},%"))),
            );
        }
        let orderings = order_by
            .unwrap_or_else(|| {
                vec![GuideVersionOrder { field: GuideVersionOrderField::ReleasedOn, direction: OrderDirection::Asc }]
            })
            .into_iter()
            .map(|o| {
                let column = match o.field {
                    GuideVersionOrderField::ReleasedOn => guide_version::Column::ReleasedOn,
                    GuideVersionOrderField::Code => guide_version::Column::Code,
                    GuideVersionOrderField::Label => guide_version::Column::Label,
                };
                (column, o.direction)
            });
        let select = apply_order(guide_version::Entity::find().filter(condition), orderings, guide_version::Column::Id);
        paginate(ctx, db, select, PageArgs::new(after, before, first, last), GuideVersion).await
    }

    /// Sections of both documents, in document order unless `orderBy` says otherwise.
    #[graphql(
        guard = "Require(Access::SignedIn)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    async fn sections(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which sections; all of both documents when omitted.")] filter: Option<SectionFilter>,
        #[graphql(desc = "Sort keys, the first one first; document order when omitted. Ties go by document order.")]
        order_by: Option<Vec<SectionOrder>>,
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
    ) -> Result<AppConnection<Section>> {
        let db = db(ctx)?;
        let condition = section_condition(db, filter.unwrap_or_default()).await?;
        let orderings: Vec<_> = order_by
            .unwrap_or_default()
            .into_iter()
            .map(|o| {
                let column = match o.field {
                    SectionOrderField::Code => guide_section::Column::Code,
                    SectionOrderField::Title => guide_section::Column::Title,
                    SectionOrderField::Kind => guide_section::Column::Kind,
                    SectionOrderField::Position => guide_section::Column::Position,
                };
                (column, o.direction)
            })
            .collect();
        // Without an explicit order, rows come in document order: the seed and the editors
        // insert them in reading order, so the primary key is that order.
        let select = apply_order(guide_section::Entity::find().filter(condition), orderings, guide_section::Column::Id);
        paginate(ctx, db, select, PageArgs::new(after, before, first, last), Section::new).await
    }

    /// One section by its code, e.g. `III.A` or `OBJ-07` (case-insensitive). With `guideVersion`, the
    /// section that had this code in that guide version, as it stood then (null when no section
    /// had the code in that version); its `id` is the same as today's, whatever changed since.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn section(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Section code, e.g. `III.A` (any case).")] code: String,
        #[graphql(desc = "Global id of a guide version: the section that had the code in that version.")]
        guide_version: Option<ID>,
        #[graphql(
            desc = "Former name of `guideVersion` (`asOf` is a day everywhere else).",
            deprecation = "Use `guideVersion`; this name goes in the next release."
        )]
        as_of: Option<ID>,
    ) -> Result<Option<Section>> {
        let db = db(ctx)?;
        let Some((version, field)) = crate::validate::renamed(guide_version, "guideVersion", as_of, "asOf")? else {
            return Ok(Some(Section::new(find_section_by_code(db, &code, "code").await?)));
        };
        let version =
            crate::validate::existing::<guide_version::Entity>(db, &version, NodeType::GuideVersion, field).await?;
        section_code(&code, "code")?;
        Ok(crate::revision::section_as_of(db, &code, &version).await?.map(Section::new))
    }
}

/// The id of the document of `kind`, as a subquery.
pub fn document_ids(kind: DocumentKind) -> sea_orm::sea_query::SelectStatement {
    document::Entity::find()
        .select_only()
        .column(document::Column::Id)
        .filter(document::Column::Kind.eq(kind))
        .into_query()
}

async fn section_condition(db: &impl ConnectionTrait, filter: SectionFilter) -> Result<Condition> {
    let mut condition = Condition::all();
    if let Some(kind) = filter.document {
        condition = condition.add(guide_section::Column::DocumentId.in_subquery(document_ids(kind)));
    }
    if let Some(f) = &filter.kind {
        condition = condition.add(f.condition(guide_section::Column::Kind));
    }
    if let Some(f) = &filter.code {
        condition = condition.add(f.condition(guide_section::Column::Code));
    }
    if let Some(f) = &filter.title {
        condition = condition.add(f.condition(guide_section::Column::Title));
    }
    if let Some(code) = &filter.parent_code {
        let parent = find_section_by_code(db, code, "filter.parentCode").await?;
        condition = condition.add(guide_section::Column::ParentId.eq(parent.id));
    }
    if filter.roots_only == Some(true) {
        condition = condition.add(guide_section::Column::ParentId.is_null());
    }
    let version = crate::validate::renamed(
        filter.guide_version,
        "filter.guideVersion",
        filter.present_in_version,
        "filter.presentInVersion",
    )?;
    if let Some((id, field)) = version {
        let version_id = expect_global_id(&id, NodeType::GuideVersion, field)?;
        let version = guide_version::Entity::find_by_id(version_id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::not_found("Guide version", field))?;
        let released_by = |column: guide_section::Column| {
            column.in_subquery(
                guide_version::Entity::find()
                    .select_only()
                    .column(guide_version::Column::Id)
                    .filter(guide_version::Column::ReleasedOn.lte(version.released_on))
                    .into_query(),
            )
        };
        condition = condition
            .add(guide_section::Column::DocumentId.eq(version.document_id))
            .add(
                Condition::any()
                    .add(guide_section::Column::IntroducedInId.is_null())
                    .add(released_by(guide_section::Column::IntroducedInId)),
            )
            .add(
                Condition::any()
                    .add(guide_section::Column::RetiredInId.is_null())
                    .add(sea_orm::sea_query::ExprTrait::not(released_by(guide_section::Column::RetiredInId))),
            );
    }
    Ok(condition)
}

fn section_code(code: &str, field: &str) -> Result<String> {
    let code = code.trim().to_ascii_uppercase();
    if code.is_empty() || code.len() > 32 {
        return Err(AppError::bad_input(field, "A section code has 1 to 32 characters"));
    }
    Ok(code)
}

/// Looks up every code of a list (case-insensitive, duplicates ignored) in one query and returns
/// the sections in the order given; an unknown code is `NOT_FOUND` on `field.i`.
pub async fn find_sections_by_codes(
    db: &impl ConnectionTrait,
    codes: &[String],
    field: &str,
) -> Result<Vec<guide_section::Model>> {
    let codes = codes
        .iter()
        .enumerate()
        .map(|(i, code)| section_code(code, &format!("{field}.{i}")))
        .collect::<Result<Vec<_>>>()?;
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let found = guide_section::Entity::find().filter(guide_section::Column::Code.is_in(codes.clone())).all(db).await?;
    let mut sections = Vec::with_capacity(found.len());
    for (i, code) in codes.iter().enumerate() {
        let section = found
            .iter()
            .find(|s| &s.code == code)
            .ok_or_else(|| AppError::not_found("Section", format!("{field}.{i}")))?;
        if !sections.iter().any(|s: &guide_section::Model| s.id == section.id) {
            sections.push(section.clone());
        }
    }
    Ok(sections)
}

/// Looks a section up by its code; the error names `field`.
pub async fn find_section_by_code(db: &impl ConnectionTrait, code: &str, field: &str) -> Result<guide_section::Model> {
    let code = section_code(code, field)?;
    guide_section::Entity::find()
        .filter(guide_section::Column::Code.eq(code))
        .one(db)
        .await?
        .ok_or_else(|| AppError::not_found("Section", field))
}
