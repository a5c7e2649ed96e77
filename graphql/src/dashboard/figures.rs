//! The dashboard's SQL. Every figure is an aggregate computed by the database; what comes back
//! is one row per group, never the records counted. Each function is one or two statements,
//! whatever the data size.

use std::collections::BTreeMap;

use chrono::Utc;
use entity::common::DatePrecision;
use entity::feedback::{self, FeedbackChannel, FeedbackStatus};
use entity::planned_use::{self, PlannedUseKind, PlannedUseStatus};
use entity::role_assignment::{self, ChampionRole, RoleStatus};
use entity::{country, event, milestone, pilot};
use sea_orm::sea_query::{Expr, Func, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Statement,
};

use super::scope::{Scope, count_all, count_where};
use crate::error::Result;

/// Statuses still waiting for a decision.
pub const OPEN_STATUSES: [FeedbackStatus; 2] = [FeedbackStatus::Received, FeedbackStatus::UnderReview];
/// Statuses that carry the Network's response.
pub const RESPONDED_STATUSES: [FeedbackStatus; 4] =
    [FeedbackStatus::Accepted, FeedbackStatus::PartiallyAccepted, FeedbackStatus::Declined, FeedbackStatus::Addressed];

/// `SELECT column, COUNT(*) … GROUP BY column` over one table.
async fn count_by<E, T>(db: &impl ConnectionTrait, condition: Condition, column: E::Column) -> Result<Vec<(T, i64)>>
where
    E: EntityTrait,
    T: sea_orm::TryGetable,
{
    Ok(E::find()
        .select_only()
        .column(column)
        .column_as(count_all(), "n")
        .filter(condition)
        .group_by(column)
        .order_by_asc(column)
        .into_tuple()
        .all(db)
        .await?)
}

pub async fn feedback_by_status(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<(FeedbackStatus, i64)>> {
    count_by::<feedback::Entity, _>(db, scope.feedback(), feedback::Column::Status).await
}

pub async fn feedback_by_channel(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<(FeedbackChannel, i64)>> {
    count_by::<feedback::Entity, _>(db, scope.feedback(), feedback::Column::Channel).await
}

/// Feedback given by each country (countries without any are left out), most first.
pub async fn feedback_by_country(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<(i32, i64)>> {
    Ok(feedback::Entity::find()
        .select_only()
        .column(feedback::Column::CountryId)
        .column_as(count_all(), "n")
        .filter(scope.feedback())
        .filter(feedback::Column::CountryId.is_not_null())
        .group_by(feedback::Column::CountryId)
        .order_by_desc(count_all())
        .order_by_asc(feedback::Column::CountryId)
        .into_tuple()
        .all(db)
        .await?)
}

/// Feedback received per calendar month (`YYYY-MM`), oldest first; months without any are left out.
pub async fn feedback_by_month(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<(String, i64)>> {
    let month = match db.get_database_backend() {
        DatabaseBackend::Postgres => "to_char(received_on, 'YYYY-MM')",
        _ => "strftime('%Y-%m', received_on)",
    };
    Ok(feedback::Entity::find()
        .select_only()
        .column_as(Expr::cust(month), "month")
        .column_as(count_all(), "n")
        .filter(scope.feedback())
        .group_by(Expr::cust(month))
        .order_by_asc(Expr::cust(month))
        .into_tuple()
        .all(db)
        .await?)
}

pub struct Responses {
    pub feedback: i64,
    pub responded: i64,
    pub median_days: Option<f64>,
    /// How many responded feedback items the median is over.
    pub timed: i64,
}

/// How many feedback items have a response, and the median days from receipt to response.
pub async fn responses(db: &impl ConnectionTrait, scope: &Scope) -> Result<Responses> {
    let responded = feedback::Column::Status.is_in(RESPONDED_STATUSES);
    let counts: Option<(i64, i64)> = feedback::Entity::find()
        .select_only()
        .column_as(count_all(), "n")
        .column_as(count_where(responded), "responded")
        .filter(scope.feedback())
        .into_tuple()
        .one(db)
        .await?;
    let (feedback_count, responded_count) = counts.unwrap_or((0, 0));
    // Days from receipt to the recorded response, over the responded feedback whose days are known.
    let days = match db.get_database_backend() {
        DatabaseBackend::Postgres => "CAST(CAST(responded_at AT TIME ZONE 'UTC' AS DATE) - received_on AS BIGINT)",
        _ => "CAST(julianday(date(responded_at)) - julianday(received_on) AS INTEGER)",
    };
    let timed = Condition::all()
        .add(scope.feedback())
        .add(feedback::Column::Status.is_in(RESPONDED_STATUSES))
        .add(feedback::Column::RespondedAt.is_not_null())
        // A response time counted from an invented day would be invented too: only feedback whose
        // day of receipt is known counts.
        .add(feedback::Column::ReceivedPrecision.eq(DatePrecision::Day));
    let timed_count: Option<i64> = feedback::Entity::find()
        .select_only()
        .column_as(count_all(), "n")
        .filter(timed.clone())
        .into_tuple()
        .one(db)
        .await?;
    let timed_count = timed_count.unwrap_or(0).max(0) as u64;
    let median_days = if timed_count == 0 {
        None
    } else {
        // The middle value, or the two middle values of an even count.
        let middle: Vec<i64> = feedback::Entity::find()
            .select_only()
            .column_as(Expr::cust(days), "days")
            .filter(timed)
            .order_by_asc(Expr::cust(days))
            .offset((timed_count - 1) / 2)
            .limit(2 - timed_count % 2)
            .into_tuple()
            .all(db)
            .await?;
        (!middle.is_empty()).then(|| middle.iter().sum::<i64>() as f64 / middle.len() as f64)
    };
    Ok(Responses { feedback: feedback_count, responded: responded_count, median_days, timed: timed_count as i64 })
}

/// Feedback counts of one section: about it exactly, and about it or any of its sub-sections.
#[derive(Clone, Default)]
pub struct SectionCounts {
    pub direct: BTreeMap<FeedbackStatus, i64>,
    pub total: BTreeMap<FeedbackStatus, i64>,
}

impl SectionCounts {
    pub fn sum(map: &BTreeMap<FeedbackStatus, i64>, statuses: Option<&[FeedbackStatus]>) -> i64 {
        map.iter().filter(|(s, _)| statuses.is_none_or(|wanted| wanted.contains(s))).map(|(_, n)| n).sum()
    }
}

#[derive(FromQueryResult)]
struct SectionRow {
    section_id: i32,
    status: String,
    total: i64,
    direct: i64,
}

/// Per section and status: distinct feedback about the section itself and about its subtree.
/// The section tree is walked by a recursive query, so a feedback about two sub-sections of one
/// part counts once for the part.
pub async fn feedback_by_section(db: &impl ConnectionTrait, scope: &Scope) -> Result<BTreeMap<i32, SectionCounts>> {
    let backend = db.get_database_backend();
    let inner = backend.build(&scope.feedback_ids());
    let (ids_sql, values) = (inner.sql, inner.values.map(|v| v.0).unwrap_or_default());
    let sql = format!(
        "WITH RECURSIVE lineage (section_id, ancestor_id) AS ( \
             SELECT id, id FROM guide_section \
             UNION ALL \
             SELECT lineage.section_id, parent.parent_id FROM lineage \
             JOIN guide_section parent ON parent.id = lineage.ancestor_id WHERE parent.parent_id IS NOT NULL) \
         SELECT lineage.ancestor_id AS section_id, feedback.status AS status, \
             COUNT(DISTINCT feedback_section.feedback_id) AS total, \
             COUNT(DISTINCT CASE WHEN lineage.section_id = lineage.ancestor_id \
                 THEN feedback_section.feedback_id END) AS direct \
         FROM feedback_section \
         JOIN lineage ON lineage.section_id = feedback_section.section_id \
         JOIN feedback ON feedback.id = feedback_section.feedback_id \
         WHERE feedback_section.feedback_id IN ({ids_sql}) \
         GROUP BY lineage.ancestor_id, feedback.status"
    );
    let rows = SectionRow::find_by_statement(Statement::from_sql_and_values(backend, sql, values)).all(db).await?;
    let mut counts: BTreeMap<i32, SectionCounts> = BTreeMap::new();
    for row in rows {
        let Some(status) = parse_status(&row.status) else { continue };
        let entry = counts.entry(row.section_id).or_default();
        entry.total.insert(status, row.total);
        if row.direct > 0 {
            entry.direct.insert(status, row.direct);
        }
    }
    Ok(counts)
}

fn parse_status(value: &str) -> Option<FeedbackStatus> {
    serde_json::from_value(serde_json::Value::String(value.to_owned())).ok()
}

/// The latest assignment of each country and role among those in force in the period: of the
/// current Champions and of former ones (roles are only ever given to Champions).
pub async fn role_matrix(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<role_assignment::Model>> {
    let countries = country::Entity::find()
        .select_only()
        .column(country::Column::Id)
        .filter(scope.private_to_country(country::Column::Id));
    let latest = role_assignment::Entity::find()
        .select_only()
        .column_as(Expr::expr(Func::max(Expr::col(role_assignment::Column::Id))), "id")
        .filter(scope.roles())
        .filter(role_assignment::Column::CountryId.in_subquery(countries.into_query()))
        .group_by(role_assignment::Column::CountryId)
        .group_by(role_assignment::Column::Role)
        .into_query();
    Ok(role_assignment::Entity::find()
        .filter(role_assignment::Column::Id.in_subquery(latest))
        .order_by_asc(role_assignment::Column::CountryId)
        .order_by_asc(role_assignment::Column::Role)
        .all(db)
        .await?)
}

pub async fn roles_by_role_and_status(
    db: &impl ConnectionTrait,
    scope: &Scope,
) -> Result<Vec<(ChampionRole, RoleStatus, i64)>> {
    Ok(role_assignment::Entity::find()
        .select_only()
        .column(role_assignment::Column::Role)
        .column(role_assignment::Column::Status)
        .column_as(count_all(), "n")
        .filter(scope.roles())
        .group_by(role_assignment::Column::Role)
        .group_by(role_assignment::Column::Status)
        .order_by_asc(role_assignment::Column::Role)
        .order_by_asc(role_assignment::Column::Status)
        .into_tuple()
        .all(db)
        .await?)
}

pub async fn planned_uses_by_kind_and_status(
    db: &impl ConnectionTrait,
    scope: &Scope,
) -> Result<Vec<(PlannedUseKind, PlannedUseStatus, i64)>> {
    Ok(planned_use::Entity::find()
        .select_only()
        .column(planned_use::Column::Kind)
        .column(planned_use::Column::Status)
        .column_as(count_all(), "n")
        .filter(scope.planned_uses())
        .group_by(planned_use::Column::Kind)
        .group_by(planned_use::Column::Status)
        .order_by_asc(planned_use::Column::Kind)
        .order_by_asc(planned_use::Column::Status)
        .into_tuple()
        .all(db)
        .await?)
}

/// Champion countries with no planned use other than dropped ones.
pub async fn champions_without_planned_use(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<country::Model>> {
    let with_use = Query::select()
        .column(planned_use::Column::CountryId)
        .from(planned_use::Entity)
        .and_where(planned_use::Column::Status.ne(PlannedUseStatus::Dropped))
        .to_owned();
    Ok(country::Entity::find()
        .filter(scope.champions())
        .filter(country::Column::Id.not_in_subquery(with_use))
        .order_by_asc(country::Column::Name)
        .all(db)
        .await?)
}

pub async fn pilots_by_status(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<(pilot::PilotStatus, i64)>> {
    count_by::<pilot::Entity, _>(db, scope.pilots(), pilot::Column::Status).await
}

/// Events starting today or later (and not before `from`, not after `to`), earliest first.
pub async fn upcoming_events(db: &impl ConnectionTrait, scope: &Scope, limit: u64) -> Result<Vec<event::Model>> {
    let today = Utc::now().date_naive();
    let start = scope.from.map_or(today, |from| from.max(today));
    let mut condition = Condition::all().add(event::Column::StartsOn.gte(start));
    if let Some(to) = scope.to {
        condition = condition.add(event::Column::StartsOn.lte(to));
    }
    Ok(event::Entity::find()
        .filter(condition)
        .order_by_asc(event::Column::StartsOn)
        .order_by_asc(event::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Milestones matching `which` (overdue or at risk as of today), due in the period, of the version.
pub async fn milestones(db: &impl ConnectionTrait, scope: &Scope, which: Condition) -> Result<Vec<milestone::Model>> {
    // `which` may be an OR (at risk: AT_RISK, SLIPPED or overdue): the period and the version
    // narrow it, so they are ANDed beside it, not added into it.
    let mut condition = Condition::all().add(which).add(scope.in_period(milestone::Column::DueOn));
    if let Some(version) = scope.version_id {
        condition = condition.add(milestone::Column::GuideVersionId.eq(version));
    }
    Ok(milestone::Entity::find()
        .filter(condition)
        .order_by_asc(milestone::Column::DueOn)
        .order_by_asc(milestone::Column::Id)
        .all(db)
        .await?)
}
