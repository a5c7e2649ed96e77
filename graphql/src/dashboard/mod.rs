//! The dashboard: engagement at a glance for a period, a region and a version. Each field is
//! computed only when asked for, by SQL aggregates, and counts only what the viewer may read.
//! Field descriptions state each figure's exact definition.

mod figures;
mod scope;

use std::collections::BTreeMap;

use async_graphql::{Context, Object, SimpleObject};
use entity::feedback::{FeedbackChannel, FeedbackStatus};
use entity::pilot::PilotStatus;
use entity::planned_use::{PlannedUseKind, PlannedUseStatus};
use entity::role_assignment::{ChampionRole, RoleStatus};
use entity::{country, follow_up_action, guide_section};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};

use crate::auth::guard::{Require, viewer};
use crate::context::{Access, db};
use crate::country::Country;
use crate::engine::loader::many_by_id;
use crate::error::AppError;
use crate::error::Result;
use crate::event::Event;
use crate::follow_up::FollowUpAction;
use crate::guide::Section;
use crate::milestone::{Milestone, at_risk, overdue};
pub use scope::DashboardFilter;
use scope::Scope;

/// Most rows a top-N list returns.
const MAX_LIST: i32 = 100;

#[derive(Default)]
pub struct DashboardQuery;

#[Object]
impl DashboardQuery {
    /// Engagement figures for a period, a region and a version (every part optional). A
    /// Champion's dashboard counts only what it may read: its own country's feedback, planned uses
    /// and pilots, plus collective feedback.
    #[graphql(guard = "Require(Access::SignedIn)", complexity = "20 + child_complexity")]
    async fn dashboard(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to count; all the viewer may read when omitted.")] filter: Option<DashboardFilter>,
    ) -> Result<Dashboard> {
        let scope = Scope::new(db(ctx)?, viewer(ctx), filter.unwrap_or_default()).await?;
        Ok(Dashboard { scope, section_counts: tokio::sync::OnceCell::new() })
    }
}

pub struct Dashboard {
    scope: Scope,
    /// The per-section rollup, the heaviest figure: computed once for the fields that need it.
    section_counts: tokio::sync::OnceCell<BTreeMap<i32, figures::SectionCounts>>,
}

impl Dashboard {
    async fn section_counts(&self, ctx: &Context<'_>) -> Result<BTreeMap<i32, figures::SectionCounts>> {
        let counts = self
            .section_counts
            .get_or_try_init(|| async { figures::feedback_by_section(db(ctx)?, &self.scope).await })
            .await?;
        Ok(counts.clone())
    }
}

/// Feedback counted in one triage status.
#[derive(SimpleObject)]
pub struct FeedbackStatusCount {
    /// The triage status the counted feedback is in.
    pub status: FeedbackStatus,
    /// Feedback counted in that status.
    pub count: i64,
}

/// Feedback counted that came through one channel.
#[derive(SimpleObject)]
pub struct FeedbackChannelCount {
    /// The channel the counted feedback came through.
    pub channel: FeedbackChannel,
    /// Feedback counted that came through it.
    pub count: i64,
}

/// Feedback counted that one country gave.
#[derive(SimpleObject)]
pub struct CountryCount {
    /// The country that gave it.
    pub country: Country,
    /// Feedback counted from that country.
    pub count: i64,
}

/// Feedback counted that was received in one calendar month.
#[derive(SimpleObject)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    /// Feedback counted in that month.
    pub count: i64,
}

/// Pilots counted in one status.
#[derive(SimpleObject)]
pub struct PilotStatusCount {
    /// The status the counted pilots are in.
    pub status: PilotStatus,
    /// Pilots counted in that status.
    pub count: i64,
}

/// Planned uses counted of one kind in one status.
#[derive(SimpleObject)]
pub struct PlannedUseCount {
    /// The kind of the counted planned uses.
    pub kind: PlannedUseKind,
    /// The status the counted planned uses are in.
    pub status: PlannedUseStatus,
    /// Planned uses counted of that kind and status.
    pub count: i64,
}

/// Role assignments counted of one role in one status.
#[derive(SimpleObject)]
pub struct RoleCount {
    /// The role of the counted assignments.
    pub role: ChampionRole,
    /// The status the counted assignments are in.
    pub status: RoleStatus,
    /// Assignments counted of that role and status.
    pub count: i64,
}

/// Feedback about one section.
#[derive(SimpleObject)]
pub struct SectionFeedbackCount {
    /// The section the figures are about.
    pub section: Section,
    /// Distinct feedback counted about this section or any of its sub-sections.
    pub total: i64,
    /// Distinct feedback counted about this section itself.
    pub direct: i64,
    /// Of `total`, feedback still RECEIVED or UNDER_REVIEW.
    pub open: i64,
    /// Of `direct`, feedback still RECEIVED or UNDER_REVIEW.
    pub direct_open: i64,
    /// `total` split by feedback status.
    pub by_status: Vec<FeedbackStatusCount>,
}

/// Whether the Network has answered the feedback counted, and how fast.
#[derive(SimpleObject)]
pub struct ResponseFigures {
    /// Feedback counted.
    pub feedback: i64,
    /// Of those, feedback with a response: status ACCEPTED, PARTIALLY_ACCEPTED, DECLINED or ADDRESSED.
    pub responded: i64,
    /// `responded / feedback`, between 0 and 1; null when no feedback is counted.
    pub rate: Option<f64>,
    /// Median, over responded feedback whose response time is recorded and whose day of receipt is known
    /// (`receivedPrecision` DAY: a comment received "in February 2021" has no day to count from), of the whole days
    /// from `receivedOn` to the day (UTC) of `respondedAt`; the mean of the two middle values for an even count; null
    /// when there is none.
    pub median_days_to_response: Option<f64>,
    /// How many feedback items `medianDaysToResponse` is over.
    pub median_over: i64,
}

/// One Champion country's roles: the latest assignment of each role in force in the period.
#[derive(SimpleObject)]
pub struct RoleCoverageRow {
    /// The Champion country.
    pub country: Country,
    /// One cell per role (PARTNER, TESTER, PROMOTER, CONVENOR), in that order.
    pub cells: Vec<RoleCell>,
}

/// One cell of the role coverage matrix: a role and the status a country holds it in.
#[derive(SimpleObject)]
pub struct RoleCell {
    /// The role this cell is for.
    pub role: ChampionRole,
    /// Status of the latest assignment (highest id) of this role in force at some time in the
    /// period; null when there is none.
    pub status: Option<RoleStatus>,
}

/// Which Champion countries hold which roles, and how many assignments are in each status.
#[derive(SimpleObject)]
pub struct RoleCoverage {
    /// Every Champion country of the region (a Champion viewer: its own), and every former Champion whose roles were
    /// in force in the period (`country.isChampion` tells them apart), by name, with its roles.
    pub matrix: Vec<RoleCoverageRow>,
    /// Role assignments in force at some time in the period (start on or before `to`, end on or
    /// after `from`, an open end counting as in force), of countries of the region, by role and status.
    pub by_role_and_status: Vec<RoleCount>,
}

/// Engagement figures for the period, region and version of the dashboard's filter, counted over what the viewer may
/// read. Each figure is computed only when asked for.
#[Object]
impl Dashboard {
    /// The Champion countries × roles matrix and the assignment counts by role and status.
    async fn role_coverage(&self, ctx: &Context<'_>) -> Result<RoleCoverage> {
        let db = db(ctx)?;
        let cells = figures::role_matrix(db, &self.scope).await?;
        // Every role counted has its row: former Champions whose roles were in force in the period too.
        let with_roles: Vec<i32> = cells.iter().map(|a| a.country_id).collect();
        let rows = Condition::any().add(self.scope.champions()).add(country::Column::Id.is_in(with_roles));
        let champions = country::Entity::find().filter(rows).order_by_asc(country::Column::Name).all(db).await?;
        let roles = [ChampionRole::Partner, ChampionRole::Tester, ChampionRole::Promoter, ChampionRole::Convenor];
        let matrix = champions
            .into_iter()
            .map(|c| {
                let cells = roles
                    .iter()
                    .map(|role| RoleCell {
                        role: *role,
                        status: cells.iter().find(|a| a.country_id == c.id && a.role == *role).map(|a| a.status),
                    })
                    .collect();
                RoleCoverageRow { country: Country(c), cells }
            })
            .collect();
        let counts = figures::roles_by_role_and_status(db, &self.scope).await?;
        Ok(RoleCoverage {
            matrix,
            by_role_and_status: counts
                .into_iter()
                .map(|(role, status, count)| RoleCount { role, status, count })
                .collect(),
        })
    }

    /// Feedback counted, by status. Feedback counted: what the viewer may read, received in the
    /// period (`receivedOn` between `from` and `to`), given on `version`, and with `region` given
    /// by a country of that region. Statuses without feedback are left out.
    async fn feedback_by_status(&self, ctx: &Context<'_>) -> Result<Vec<FeedbackStatusCount>> {
        let rows = figures::feedback_by_status(db(ctx)?, &self.scope).await?;
        Ok(rows.into_iter().map(|(status, count)| FeedbackStatusCount { status, count }).collect())
    }

    /// Feedback counted (see `feedbackByStatus`), by channel; channels without feedback are left out.
    async fn feedback_by_channel(&self, ctx: &Context<'_>) -> Result<Vec<FeedbackChannelCount>> {
        let rows = figures::feedback_by_channel(db(ctx)?, &self.scope).await?;
        Ok(rows.into_iter().map(|(channel, count)| FeedbackChannelCount { channel, count }).collect())
    }

    /// Feedback counted (see `feedbackByStatus`) that a country gave, by country, most first (ties
    /// by country id); stakeholder and collective feedback is not in this list.
    async fn feedback_by_country(&self, ctx: &Context<'_>) -> Result<Vec<CountryCount>> {
        let rows = figures::feedback_by_country(db(ctx)?, &self.scope).await?;
        let countries = many_by_id::<country::Entity>(ctx, rows.iter().map(|(id, _)| *id).collect::<Vec<_>>()).await?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, count)| countries.get(&id).map(|c| CountryCount { country: Country(c.clone()), count }))
            .collect())
    }

    /// Feedback counted (see `feedbackByStatus`) by the calendar month of `receivedOn`, oldest
    /// first; months without feedback are left out.
    async fn feedback_by_month(&self, ctx: &Context<'_>) -> Result<Vec<MonthCount>> {
        let rows = figures::feedback_by_month(db(ctx)?, &self.scope).await?;
        Ok(rows.into_iter().map(|(month, count)| MonthCount { month, count }).collect())
    }

    /// Feedback counted (see `feedbackByStatus`) per section, rolled up the section tree: every
    /// section with any, in document order.
    async fn feedback_by_section(&self, ctx: &Context<'_>) -> Result<Vec<SectionFeedbackCount>> {
        section_counts(ctx, self.section_counts(ctx).await?).await
    }

    /// The sections with the most open feedback about them directly (`directOpen`: RECEIVED or
    /// UNDER_REVIEW, of the feedback counted), most first, ties in document order; up to `limit`.
    async fn sections_with_most_open_feedback(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 5, desc = "How many sections at most, 1 to 100.")] limit: i32,
    ) -> Result<Vec<SectionFeedbackCount>> {
        let limit = check_limit(limit)?;
        let mut rows = section_counts(ctx, self.section_counts(ctx).await?).await?;
        rows.retain(|r| r.direct_open > 0);
        rows.sort_by_key(|r| std::cmp::Reverse(r.direct_open));
        rows.truncate(limit);
        Ok(rows)
    }

    /// Response rate and median time to respond, over the feedback counted (see `feedbackByStatus`).
    async fn responses(&self, ctx: &Context<'_>) -> Result<ResponseFigures> {
        let figures = figures::responses(db(ctx)?, &self.scope).await?;
        Ok(ResponseFigures {
            feedback: figures.feedback,
            responded: figures.responded,
            rate: (figures.feedback > 0).then(|| figures.responded as f64 / figures.feedback as f64),
            median_days_to_response: figures.median_days,
            median_over: figures.timed,
        })
    }

    /// Planned uses by kind and status: those the viewer may read, of countries of the region,
    /// with a target date in the period (without a period, all, including those with no target date).
    async fn planned_uses_by_kind_and_status(&self, ctx: &Context<'_>) -> Result<Vec<PlannedUseCount>> {
        let rows = figures::planned_uses_by_kind_and_status(db(ctx)?, &self.scope).await?;
        Ok(rows.into_iter().map(|(kind, status, count)| PlannedUseCount { kind, status, count }).collect())
    }

    /// Champion countries of the region (a Champion viewer: its own) with no planned use other
    /// than DROPPED ones, whatever the period; by name.
    async fn champions_without_planned_use(&self, ctx: &Context<'_>) -> Result<Vec<Country>> {
        Ok(figures::champions_without_planned_use(db(ctx)?, &self.scope).await?.into_iter().map(Country).collect())
    }

    /// Pilots by status: those the viewer may read, of countries of the region, on `version`,
    /// running at some time in the period (started on or before `to`, ended on or after `from`,
    /// open dates counting as running).
    async fn pilots_by_status(&self, ctx: &Context<'_>) -> Result<Vec<PilotStatusCount>> {
        let rows = figures::pilots_by_status(db(ctx)?, &self.scope).await?;
        Ok(rows.into_iter().map(|(status, count)| PilotStatusCount { status, count }).collect())
    }

    /// Events starting today or later, not before `from` and not after `to`, earliest first; up
    /// to `limit`. Not narrowed by region or version.
    async fn upcoming_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 5, desc = "How many events at most, 1 to 100.")] limit: i32,
    ) -> Result<Vec<Event>> {
        let limit = check_limit(limit)? as u64;
        Ok(figures::upcoming_events(db(ctx)?, &self.scope, limit).await?.into_iter().map(Event).collect())
    }

    /// Milestones not done by the filter's `asOf` (today when omitted) and due in a period that ended before it (a
    /// MONTH due date is late once its month is over), due in the period and tied to `version` when given; earliest
    /// due first.
    async fn overdue_milestones(&self, ctx: &Context<'_>) -> Result<Vec<Milestone>> {
        let as_of = self.scope.as_of;
        Ok(figures::milestones(db(ctx)?, &self.scope, overdue(as_of)).await?.into_iter().map(Milestone).collect())
    }

    /// Follow-up actions of events not finished by the filter's `asOf` (today when omitted) and due in a period that
    /// had ended by then; with a region, only those owned by its countries. Earliest due first.
    async fn overdue_follow_up_actions(&self, ctx: &Context<'_>) -> Result<Vec<FollowUpAction>> {
        let within = self.scope.in_region(follow_up_action::Column::OwnerCountryId);
        let rows = crate::follow_up::overdue_actions(db(ctx)?, self.scope.as_of, within).await?;
        Ok(rows.into_iter().map(FollowUpAction).collect())
    }

    /// Milestones AT_RISK or SLIPPED, or overdue (see `overdueMilestones`), due in the period and
    /// tied to `version` when given; earliest due first.
    async fn at_risk_milestones(&self, ctx: &Context<'_>) -> Result<Vec<Milestone>> {
        let as_of = self.scope.as_of;
        Ok(figures::milestones(db(ctx)?, &self.scope, at_risk(as_of)).await?.into_iter().map(Milestone).collect())
    }
}

fn check_limit(limit: i32) -> Result<usize> {
    if !(1..=MAX_LIST).contains(&limit) {
        return Err(AppError::bad_input("limit", format!("`limit` is between 1 and {MAX_LIST}")));
    }
    Ok(limit as usize)
}

async fn section_counts(
    ctx: &Context<'_>,
    counts: BTreeMap<i32, figures::SectionCounts>,
) -> Result<Vec<SectionFeedbackCount>> {
    let sections = guide_section::Entity::find()
        .filter(guide_section::Column::Id.is_in(counts.keys().copied()))
        .order_by_asc(guide_section::Column::Id)
        .all(db(ctx)?)
        .await?;
    let open = Some(&figures::OPEN_STATUSES[..]);
    Ok(sections
        .into_iter()
        .filter_map(|section| {
            let c = counts.get(&section.id)?;
            Some(SectionFeedbackCount {
                total: figures::SectionCounts::sum(&c.total, None),
                direct: figures::SectionCounts::sum(&c.direct, None),
                open: figures::SectionCounts::sum(&c.total, open),
                direct_open: figures::SectionCounts::sum(&c.direct, open),
                by_status: c
                    .total
                    .iter()
                    .map(|(status, count)| FeedbackStatusCount { status: *status, count: *count })
                    .collect(),
                section: Section::new(section),
            })
        })
        .collect())
}
