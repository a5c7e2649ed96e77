use async_graphql::{Context, Enum, InputObject, Object};
use entity::planned_use::{self, PlannedUseKind, PlannedUseStatus};
use entity::{country, planned_use_section};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use super::PlannedUse;
use crate::auth::guard::{Require, viewer};
use crate::context::{Access, db};
use crate::country::{find_by_iso3, readable_rows};
use crate::error::AppResult;
use crate::guide::find_section_by_code;
use crate::pagination::{
    AppConnection, DateFilter, EnumFilter, OrderDirection, PageArgs, StringFilter, apply_order, paginate,
};

#[derive(InputObject, Default)]
pub struct PlannedUseFilter {
    /// ISO3 code of the country.
    pub country: Option<String>,
    /// Continental region of the country, e.g. `Africa`.
    pub region: Option<String>,
    pub kind: Option<EnumFilter<PlannedUseKind>>,
    pub status: Option<EnumFilter<PlannedUseStatus>>,
    pub target_date: Option<DateFilter>,
    /// Only uses concerning the section with this code, e.g. `III.A`.
    pub section: Option<String>,
    /// Words in the description, ignoring case.
    pub search: Option<String>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum PlannedUseOrderField {
    TargetDate,
    Kind,
    Status,
    CreatedAt,
}

#[derive(InputObject)]
pub struct PlannedUseOrder {
    pub field: PlannedUseOrderField,
    #[graphql(default)]
    pub direction: OrderDirection,
}

impl PlannedUseFilter {
    async fn condition(&self, db: &impl ConnectionTrait) -> AppResult<Condition> {
        use planned_use::Column;
        let mut condition = Condition::all();
        if let Some(iso3) = &self.country {
            let country = find_by_iso3(db, iso3, "filter.country").await?;
            condition = condition.add(Column::CountryId.eq(country.id));
        }
        if let Some(region) = &self.region {
            let in_region = country::Entity::find()
                .select_only()
                .column(country::Column::Id)
                .filter(country::Column::Region.eq(region.trim()))
                .into_query();
            condition = condition.add(Column::CountryId.in_subquery(in_region));
        }
        if let Some(f) = &self.kind {
            condition = condition.add(f.condition(Column::Kind));
        }
        if let Some(f) = &self.status {
            condition = condition.add(f.condition(Column::Status));
        }
        if let Some(f) = &self.target_date {
            condition = condition.add(f.condition(Column::TargetDate));
        }
        if let Some(code) = &self.section {
            let section = find_section_by_code(db, code, "filter.section").await?;
            let linked = planned_use_section::Entity::find()
                .select_only()
                .column(planned_use_section::Column::PlannedUseId)
                .filter(planned_use_section::Column::SectionId.eq(section.id))
                .into_query();
            condition = condition.add(Column::Id.in_subquery(linked));
        }
        if let Some(text) = &self.search {
            let contains = StringFilter { contains: Some(text.clone()), ..Default::default() };
            condition = condition.add(contains.condition(Column::Description));
        }
        Ok(condition)
    }
}

#[derive(Default)]
pub struct PlannedUseQuery;

#[Object]
impl PlannedUseQuery {
    /// Planned uses the viewer may read (a Champion focal point: its own country's), oldest first by default.
    #[graphql(
        guard = "Require(Access::SignedIn)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn planned_uses(
        &self,
        ctx: &Context<'_>,
        filter: Option<PlannedUseFilter>,
        order_by: Option<Vec<PlannedUseOrder>>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<AppConnection<PlannedUse>> {
        use planned_use::Column;
        let db = db(ctx)?;
        let condition = Condition::all()
            .add(readable_rows(viewer(ctx), Column::CountryId)?)
            .add(filter.unwrap_or_default().condition(db).await?);
        let orderings = order_by.unwrap_or_default().into_iter().map(|o| {
            let column = match o.field {
                PlannedUseOrderField::TargetDate => Column::TargetDate,
                PlannedUseOrderField::Kind => Column::Kind,
                PlannedUseOrderField::Status => Column::Status,
                PlannedUseOrderField::CreatedAt => Column::CreatedAt,
            };
            (column, o.direction)
        });
        let select = apply_order(planned_use::Entity::find().filter(condition), orderings, Column::Id);
        Ok(paginate(ctx, db, select, PageArgs::new(after, before, first, last), PlannedUse).await?)
    }
}
