//! What a dashboard counts: the filter, applied the same way to every figure, narrowed to what
//! the viewer may read.

use async_graphql::{ID, InputObject};
use chrono::NaiveDate;
use entity::{country, feedback, guide_version, pilot, planned_use, role_assignment};
use sea_orm::sea_query::{Expr, Func, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use crate::context::Viewer;
use crate::error::{AppError, Result};
use crate::id::{NodeType, expect_global_id};
use crate::policy::visible_feedback;
use crate::scalars::Date;

/// What a dashboard counts: a period, a region and a guide version, each optional.
#[derive(InputObject, Default, Clone)]
pub struct DashboardFilter {
    /// First day of the period (inclusive); open when omitted.
    pub from: Option<Date>,
    /// Last day of the period (inclusive); open when omitted.
    pub to: Option<Date>,
    /// Continental region, e.g. `Africa`: only figures about countries of that region.
    pub region: Option<String>,
    /// A guide version: only feedback given on it, pilots of it and milestones tied to it.
    pub guide_version: Option<ID>,
    /// Former name of `guideVersion`.
    #[graphql(deprecation = "Use `guideVersion`; this name goes in the next release.")]
    pub version: Option<ID>,
    /// The day the status figures are judged on (overdue and at-risk milestones), to see the dashboard as it stood
    /// then; today (UTC) when omitted.
    pub as_of: Option<Date>,
}

/// The checked filter plus the viewer's country scope.
#[derive(Clone)]
pub struct Scope {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub region: Option<String>,
    pub version_id: Option<i32>,
    /// The day overdue is judged on.
    pub as_of: NaiveDate,
    /// `Some(country)` for a Champion: private records of other countries are not counted.
    pub own_country: Option<i32>,
    pub feedback_visibility: Condition,
}

impl Scope {
    pub async fn new(db: &impl ConnectionTrait, viewer: &Viewer, filter: DashboardFilter) -> Result<Self> {
        let from = filter.from.map(|Date(d)| d);
        let to = filter.to.map(|Date(d)| d);
        crate::validate::date_order(from, to, "filter.to")?;
        let region = filter.region.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
        if let Some(region) = &region {
            let known = country::Entity::find().filter(country::Column::Region.eq(region.clone())).one(db).await?;
            if known.is_none() {
                return Err(AppError::bad_input("filter.region", format!("No country is in a region named {region}")));
            }
        }
        let version = crate::validate::renamed(
            filter.guide_version.clone(),
            "filter.guideVersion",
            filter.version.clone(),
            "filter.version",
        )?;
        let version_id = match version {
            Some((id, field)) => {
                let key = expect_global_id(&id, NodeType::GuideVersion, field)?;
                guide_version::Entity::find_by_id(key)
                    .one(db)
                    .await?
                    .ok_or_else(|| AppError::not_found("Guide version", field))?;
                Some(key)
            }
            None => None,
        };
        Ok(Self {
            from,
            to,
            region,
            version_id,
            as_of: filter.as_of.map_or_else(|| chrono::Utc::now().date_naive(), |Date(d)| d),
            own_country: viewer.country_scope()?,
            feedback_visibility: visible_feedback(viewer)?,
        })
    }

    /// Countries of the region, as a subquery.
    fn region_countries(&self, region: &str) -> SelectStatement {
        country::Entity::find()
            .select_only()
            .column(country::Column::Id)
            .filter(country::Column::Region.eq(region))
            .into_query()
    }

    /// Rows whose `column` date falls in the period.
    pub fn in_period<C: ColumnTrait>(&self, column: C) -> Condition {
        let mut condition = Condition::all();
        if let Some(from) = self.from {
            condition = condition.add(column.gte(from));
        }
        if let Some(to) = self.to {
            condition = condition.add(column.lte(to));
        }
        condition
    }

    /// Rows whose `[start, end]` (either end open when null) overlaps the period.
    pub fn overlapping<C: ColumnTrait>(&self, start: C, end: C) -> Condition {
        let mut condition = Condition::all();
        if let Some(to) = self.to {
            condition = condition.add(Condition::any().add(start.is_null()).add(start.lte(to)));
        }
        if let Some(from) = self.from {
            condition = condition.add(Condition::any().add(end.is_null()).add(end.gte(from)));
        }
        condition
    }

    pub fn has_period(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// A country column restricted to the region (when given).
    pub fn in_region<C: ColumnTrait>(&self, column: C) -> Condition {
        match &self.region {
            Some(region) => Condition::all().add(column.in_subquery(self.region_countries(region))),
            None => Condition::all(),
        }
    }

    /// A country column restricted to the region and, for a Champion, to its own country.
    pub fn private_to_country<C: ColumnTrait>(&self, column: C) -> Condition {
        let mut condition = self.in_region(column);
        if let Some(own) = self.own_country {
            condition = condition.add(column.eq(own));
        }
        condition
    }

    /// The feedback counted: readable by the viewer, received in the period, given on the
    /// version and, with a region, given by a country of that region.
    pub fn feedback(&self) -> Condition {
        let mut condition =
            Condition::all().add(self.feedback_visibility.clone()).add(self.in_period(feedback::Column::ReceivedOn));
        if let Some(version) = self.version_id {
            condition = condition.add(feedback::Column::GuideVersionId.eq(version));
        }
        condition.add(self.in_region(feedback::Column::CountryId))
    }

    /// The ids of the feedback counted, as a subquery.
    pub fn feedback_ids(&self) -> SelectStatement {
        feedback::Entity::find().select_only().column(feedback::Column::Id).filter(self.feedback()).into_query()
    }

    /// Role assignments in force at some time in the period, of countries in the region: started
    /// on or before `to` (one without a start date has not started, as for `asOf`), ended on or
    /// after `from` (an open end counting as in force). Unlike pilots, an open start does not count.
    pub fn roles(&self) -> Condition {
        use role_assignment::Column;
        let mut condition = Condition::all();
        if let Some(to) = self.to {
            condition = condition.add(Column::StartedOn.lte(to));
        }
        if let Some(from) = self.from {
            condition = condition.add(Condition::any().add(Column::EndedOn.is_null()).add(Column::EndedOn.gte(from)));
        }
        condition.add(self.in_region(Column::CountryId))
    }

    /// Planned uses the viewer may read, of countries in the region, due in the period (those
    /// without a target date count only when no period is given).
    pub fn planned_uses(&self) -> Condition {
        let mut condition = self.private_to_country(planned_use::Column::CountryId);
        if self.has_period() {
            condition = condition.add(self.in_period(planned_use::Column::TargetDate));
        }
        condition
    }

    /// Pilots the viewer may read, of countries in the region, running at some time in the
    /// period, on the version.
    pub fn pilots(&self) -> Condition {
        let mut condition = self
            .private_to_country(pilot::Column::CountryId)
            .add(self.overlapping(pilot::Column::StartedOn, pilot::Column::EndedOn));
        if let Some(version) = self.version_id {
            condition = condition.add(pilot::Column::GuideVersionId.eq(version));
        }
        condition
    }

    /// Champion countries of the region (only its own for a Champion viewer).
    pub fn champions(&self) -> Condition {
        self.private_to_country(country::Column::Id).add(country::Column::IsChampion.eq(true))
    }
}

/// `COUNT(*)` as a selectable expression.
pub fn count_all() -> sea_orm::sea_query::SimpleExpr {
    Expr::cust("COUNT(*)")
}

/// `SUM(CASE WHEN <condition> THEN 1 ELSE 0 END)`, zero on no rows. Built from expressions, not
/// a custom string with a `$1` placeholder: only the PostgreSQL builder substitutes `$1`; on SQLite
/// (placeholder `?`) the condition was dropped and `$1` left in the SQL as a parameter of its own.
pub fn count_where(condition: sea_orm::sea_query::SimpleExpr) -> sea_orm::sea_query::SimpleExpr {
    let ones = Expr::case(condition, Expr::cust("1")).finally(Expr::cust("0"));
    Func::coalesce([Expr::from(Func::sum(ones)), Expr::cust("0")]).into()
}
