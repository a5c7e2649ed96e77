use std::collections::{HashMap, HashSet};

use async_graphql::{Context, Enum, ID, InputObject, Object};
use entity::feedback::{self, FeedbackChannel, FeedbackKind, FeedbackStatus};
use entity::{country, feedback_section, guide_section};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use super::Feedback;
use crate::auth::guard::{Require, viewer};
use crate::context::{Access, db};
use crate::error::Result;
use crate::guide::find_section_by_code;
use crate::id::{NodeType, expect_global_id};
use crate::pagination::{
    AppConnection, DateFilter, EnumFilter, OrderDirection, PageArgs, StringFilter, apply_order, item_selections,
    paginate,
};

/// Which feedback to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct FeedbackFilter {
    /// ISO3 codes of the countries that gave it.
    pub countries: Option<Vec<String>>,
    /// Continental region of the country that gave it, e.g. `Africa`.
    pub region: Option<String>,
    /// Code of a section the feedback is about, e.g. `III.A`.
    pub section: Option<String>,
    /// With `section`: also match feedback about any of its sub-sections (default true).
    #[graphql(default = true)]
    pub include_subsections: bool,
    /// Only feedback in these triage statuses.
    pub status: Option<EnumFilter<FeedbackStatus>>,
    /// Only feedback that came through these channels.
    pub channel: Option<EnumFilter<FeedbackChannel>>,
    /// Only feedback of these kinds.
    pub kind: Option<EnumFilter<FeedbackKind>>,
    /// The guide version it was given on.
    pub guide_version: Option<ID>,
    /// Global id of a stakeholder: only the feedback it gave.
    pub stakeholder: Option<ID>,
    /// Only collective feedback whose group name matches, e.g. `{eq: "Champions"}`.
    pub collective: Option<StringFilter>,
    /// Only feedback received on these days.
    pub received_on: Option<DateFilter>,
    /// Words in the body, ignoring case.
    pub search: Option<String>,
}

/// What a feedback list can be sorted by.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum FeedbackOrderField {
    /// By the day it was received.
    ReceivedOn,
    /// By triage status, in the alphabetical order of the value names (not the order of triage).
    Status,
    /// By when it was recorded in the tracker.
    CreatedAt,
    /// By when it last changed.
    UpdatedAt,
}

/// One sort key of a feedback list.
#[derive(InputObject)]
pub struct FeedbackOrder {
    /// What to sort by.
    pub field: FeedbackOrderField,
    /// ASC (default) or DESC.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// Ids of `root` and every section below it.
async fn section_and_descendants(db: &impl ConnectionTrait, root: i32) -> Result<Vec<i32>> {
    let pairs: Vec<(i32, Option<i32>)> = guide_section::Entity::find()
        .select_only()
        .column(guide_section::Column::Id)
        .column(guide_section::Column::ParentId)
        .into_tuple()
        .all(db)
        .await?;
    let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
    for (id, parent) in pairs {
        if let Some(parent) = parent {
            children.entry(parent).or_default().push(id);
        }
    }
    let mut found = vec![root];
    let mut seen = HashSet::from([root]);
    let mut i = 0;
    while i < found.len() {
        for child in children.get(&found[i]).into_iter().flatten() {
            if seen.insert(*child) {
                found.push(*child);
            }
        }
        i += 1;
    }
    Ok(found)
}

impl FeedbackFilter {
    async fn condition(&self, db: &impl ConnectionTrait) -> Result<Condition> {
        use feedback::Column;
        let mut condition = Condition::all();
        let country_ids = |inner: Condition| {
            country::Entity::find().select_only().column(country::Column::Id).filter(inner).into_query()
        };
        if let Some(codes) = &self.countries {
            let codes: Vec<String> = codes.iter().map(|c| c.trim().to_ascii_uppercase()).collect();
            condition = condition.add(
                Column::CountryId.in_subquery(country_ids(Condition::all().add(country::Column::Iso3.is_in(codes)))),
            );
        }
        if let Some(region) = &self.region {
            condition = condition.add(
                Column::CountryId
                    .in_subquery(country_ids(Condition::all().add(country::Column::Region.eq(region.trim())))),
            );
        }
        if let Some(code) = &self.section {
            let section = find_section_by_code(db, code, "filter.section").await?;
            let ids = if self.include_subsections {
                section_and_descendants(db, section.id).await?
            } else {
                vec![section.id]
            };
            let about = feedback_section::Entity::find()
                .select_only()
                .column(feedback_section::Column::FeedbackId)
                .filter(feedback_section::Column::SectionId.is_in(ids))
                .into_query();
            condition = condition.add(Column::Id.in_subquery(about));
        }
        if let Some(f) = &self.status {
            condition = condition.add(f.condition(Column::Status));
        }
        if let Some(f) = &self.channel {
            condition = condition.add(f.condition(Column::Channel));
        }
        if let Some(f) = &self.kind {
            condition = condition.add(f.condition(Column::Kind));
        }
        if let Some(id) = &self.guide_version {
            let version = expect_global_id(id, NodeType::GuideVersion, "filter.guideVersion")?;
            condition = condition.add(Column::GuideVersionId.eq(version));
        }
        if let Some(id) = &self.stakeholder {
            let stakeholder = expect_global_id(id, NodeType::Stakeholder, "filter.stakeholder")?;
            condition = condition.add(Column::StakeholderId.eq(stakeholder));
        }
        if let Some(f) = &self.collective {
            condition = condition.add(f.condition(Column::Collective));
        }
        if let Some(f) = &self.received_on {
            condition = condition.add(f.condition(Column::ReceivedOn));
        }
        if let Some(text) = self.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let contains = StringFilter { contains: Some(text.to_owned()), ..Default::default() };
            condition = condition.add(contains.condition(Column::Body));
        }
        Ok(condition)
    }
}

#[derive(Default)]
pub struct FeedbackQuery;

#[Object]
impl FeedbackQuery {
    /// Feedback the viewer may read, newest first by default.
    #[graphql(
        guard = "Require(Access::SignedIn)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    async fn feedback(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which feedback; all the viewer may read when omitted.")] filter: Option<FeedbackFilter>,
        #[graphql(
            desc = "Sort keys, the first one first; newest received first when omitted. Ties go by entry order."
        )]
        order_by: Option<Vec<FeedbackOrder>>,
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
    ) -> Result<AppConnection<Feedback>> {
        use feedback::Column;
        let db = db(ctx)?;
        let condition = Condition::all()
            .add(crate::policy::visible_feedback(viewer(ctx))?)
            .add(filter.unwrap_or_default().condition(db).await?);
        let orderings = order_by
            .unwrap_or_else(|| {
                vec![FeedbackOrder { field: FeedbackOrderField::ReceivedOn, direction: OrderDirection::Desc }]
            })
            .into_iter()
            .map(|o| {
                let column = match o.field {
                    FeedbackOrderField::ReceivedOn => Column::ReceivedOn,
                    FeedbackOrderField::Status => Column::Status,
                    FeedbackOrderField::CreatedAt => Column::CreatedAt,
                    FeedbackOrderField::UpdatedAt => Column::UpdatedAt,
                };
                (column, o.direction)
            });
        let select = apply_order(feedback::Entity::find().filter(condition), orderings, Column::Id);
        let connection = paginate(ctx, db, select, PageArgs::new(after, before, first, last), Feedback).await?;
        let ids: Vec<i32> = connection.edges.iter().map(|edge| edge.node.0.id).collect();
        for items in item_selections(ctx) {
            super::prefetch(ctx, &items, &ids).await?;
        }
        Ok(connection)
    }
}
