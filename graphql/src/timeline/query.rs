use async_graphql::{Context, InputObject, Object};
use chrono::NaiveDate;
use entity::{champion_term, event, feedback, guide_version, milestone, pilot, planned_use, revision, role_assignment};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, Func, IntoIden, Order, Query, SelectStatement, SimpleExpr, UnionType,
};

use super::{TimelineEntry, TimelineKind};
use crate::auth::guard::{Require, viewer};
use crate::context::{Access, Viewer, db};
use crate::country::find_by_iso3;
use crate::error::{AppError, Result};
use crate::event::events_with_participant;
use crate::pagination::{AppConnection, PageArgs, Window, paginate_keyed};
use crate::policy::visible_feedback;
use crate::scalars::Date;

/// Which timeline entries to list; every condition given must hold.
#[derive(InputObject, Default, Clone)]
pub struct TimelineFilter {
    /// ISO3 code of a country: only what concerns it (its roles, pilots, feedback, planned uses,
    /// and the events it took part in).
    pub country: Option<String>,
    /// First day, inclusive.
    pub from: Option<Date>,
    /// Last day, inclusive.
    pub to: Option<Date>,
    /// Only these kinds of entries.
    pub kinds: Option<Vec<TimelineKind>>,
}

/// What one timeline query covers, after resolving the filter and the viewer's scope.
struct Scope {
    country_id: Option<i32>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    kinds: Vec<TimelineKind>,
    /// Set for a Champion focal point: private records of other countries stay out.
    private_country: Option<i32>,
    visible_feedback: sea_orm::Condition,
}

/// What a branch's date says of its precision: the record's precision column, or none.
enum Precision<C> {
    Column(C),
    Unrecorded,
}

/// One `SELECT kind, subject_id, day, precision, country_id` branch of the union.
fn branch<C: IntoIden>(
    kind: TimelineKind,
    table: impl IntoIden,
    id: impl IntoIden,
    day: impl IntoIden + Clone,
    precision: Precision<C>,
    country: SimpleExpr,
    scope: &Scope,
) -> SelectStatement {
    let precision = match precision {
        Precision::Column(column) => Expr::col(column),
        Precision::Unrecorded => Expr::cust("CAST(NULL AS TEXT)"),
    };
    let day_col = Expr::col(day.clone());
    let mut select = Query::select();
    // The tag is a fixed identifier from our own enum, not input: inlined so PostgreSQL can type it.
    select
        .expr_as(Expr::cust(format!("'{}'", kind.tag())), Alias::new("kind"))
        .expr_as(Expr::col(id), Alias::new("subject_id"))
        .expr_as(day_col.clone(), Alias::new("day"))
        .expr_as(precision, Alias::new("day_precision"))
        .expr_as(country, Alias::new("country_id"))
        .from(table)
        .and_where(day_col.clone().is_not_null());
    if let Some(from) = scope.from {
        select.and_where(Expr::col(day.clone()).gte(from));
    }
    if let Some(to) = scope.to {
        select.and_where(Expr::col(day).lte(to));
    }
    select
}

fn no_country() -> SimpleExpr {
    Expr::cust("CAST(NULL AS INTEGER)")
}

fn branches(scope: &Scope) -> Vec<SelectStatement> {
    let mut out = Vec::new();
    for kind in &scope.kinds {
        let statement = match kind {
            TimelineKind::RoleStarted | TimelineKind::RoleEnded => {
                use role_assignment::Column;
                let (day, precision) = match kind {
                    TimelineKind::RoleStarted => (Column::StartedOn, Precision::Column(Column::StartedPrecision)),
                    _ => (Column::EndedOn, Precision::Unrecorded),
                };
                let country = Expr::col(Column::CountryId);
                let mut s = branch(*kind, role_assignment::Entity, Column::Id, day, precision, country, scope);
                if let Some(country) = scope.country_id {
                    s.and_where(Expr::col(Column::CountryId).eq(country));
                }
                s
            }
            TimelineKind::PilotStarted | TimelineKind::PilotEnded => {
                use pilot::Column;
                let day = if *kind == TimelineKind::PilotStarted { Column::StartedOn } else { Column::EndedOn };
                let country = Expr::col(Column::CountryId);
                let mut s =
                    branch(*kind, pilot::Entity, Column::Id, day, Precision::<Column>::Unrecorded, country, scope);
                for country in [scope.country_id, scope.private_country].into_iter().flatten() {
                    s.and_where(Expr::col(Column::CountryId).eq(country));
                }
                s
            }
            TimelineKind::FeedbackReceived => {
                use feedback::Column;
                let mut s = branch(
                    *kind,
                    feedback::Entity,
                    Column::Id,
                    Column::ReceivedOn,
                    Precision::Column(Column::ReceivedPrecision),
                    Expr::col(Column::CountryId),
                    scope,
                );
                s.cond_where(scope.visible_feedback.clone());
                if let Some(country) = scope.country_id {
                    s.and_where(Expr::col(Column::CountryId).eq(country));
                }
                s
            }
            TimelineKind::PlannedUseTarget => {
                use planned_use::Column;
                let mut s = branch(
                    *kind,
                    planned_use::Entity,
                    Column::Id,
                    Column::TargetDate,
                    Precision::Column(Column::TargetPrecision),
                    Expr::col(Column::CountryId),
                    scope,
                );
                for country in [scope.country_id, scope.private_country].into_iter().flatten() {
                    s.and_where(Expr::col(Column::CountryId).eq(country));
                }
                s
            }
            TimelineKind::Event => {
                use event::Column;
                let no_country = no_country();
                let precision = Precision::Column(Column::DatePrecision);
                let mut s = branch(*kind, event::Entity, Column::Id, Column::StartsOn, precision, no_country, scope);
                if let Some(country) = scope.country_id {
                    let took_part = events_with_participant(country);
                    s.and_where(Expr::col(Column::Id).in_subquery(took_part));
                }
                s
            }
            // The Network's own milestones, releases and revisions concern no one country: a
            // country's timeline leaves them out.
            TimelineKind::MilestoneDue | TimelineKind::MilestoneDone if scope.country_id.is_none() => {
                use milestone::Column;
                let (day, precision) = match kind {
                    TimelineKind::MilestoneDue => (Column::DueOn, Precision::Column(Column::DuePrecision)),
                    _ => (Column::DoneOn, Precision::Unrecorded),
                };
                branch(*kind, milestone::Entity, Column::Id, day, precision, no_country(), scope)
            }
            TimelineKind::VersionReleased if scope.country_id.is_none() => {
                use guide_version::Column;
                let precision = Precision::Column(Column::ReleasedOnPrecision);
                let mut s = branch(
                    *kind,
                    guide_version::Entity,
                    Column::Id,
                    Column::ReleasedOn,
                    precision,
                    no_country(),
                    scope,
                );
                s.and_where(Expr::col(Column::IsReleased).eq(true));
                s
            }
            TimelineKind::RevisionDecided if scope.country_id.is_none() => {
                use revision::Column;
                let precision = Precision::<Column>::Unrecorded;
                branch(*kind, revision::Entity, Column::Id, Column::DecidedOn, precision, no_country(), scope)
            }
            TimelineKind::ChampionTermStarted | TimelineKind::ChampionTermEnded => {
                use champion_term::Column;
                let (day, precision) = match kind {
                    TimelineKind::ChampionTermStarted => (Column::StartedOn, Column::StartedPrecision),
                    _ => (Column::EndedOn, Column::EndedPrecision),
                };
                let country = Expr::col(Column::CountryId);
                let mut s =
                    branch(*kind, champion_term::Entity, Column::Id, day, Precision::Column(precision), country, scope);
                if let Some(country) = scope.country_id {
                    s.and_where(Expr::col(Column::CountryId).eq(country));
                }
                s
            }
            TimelineKind::MilestoneDue
            | TimelineKind::MilestoneDone
            | TimelineKind::VersionReleased
            | TimelineKind::RevisionDecided => continue,
        };
        out.push(statement);
    }
    out
}

fn union(scope: &Scope) -> Option<SelectStatement> {
    let mut parts = branches(scope).into_iter();
    let mut first = parts.next()?;
    for part in parts {
        first.union(UnionType::All, part);
    }
    Some(first)
}

async fn count(db: &impl ConnectionTrait, scope: &Scope) -> Result<u64> {
    let Some(all) = union(scope) else { return Ok(0) };
    let statement = Query::select()
        .expr_as(Func::count(Expr::cust("*")), Alias::new("n"))
        .from_subquery(all, Alias::new("timeline"))
        .to_owned();
    let row = db.query_one(&statement).await?.ok_or_else(|| AppError::internal("COUNT returned no row"))?;
    let n: i64 = row.try_get("", "n")?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// A timeline entry's place in the timeline's order, which its cursor holds.
type EntryKey = (NaiveDate, String, i32);

fn key_of(entry: &TimelineEntry) -> EntryKey {
    (entry.date, entry.kind.tag().to_owned(), entry.subject_id)
}

/// `(day, kind, subject_id)` compared with `key` as a row value, which both databases order
/// as the timeline is ordered.
fn compared(key: &EntryKey, after: bool) -> SimpleExpr {
    let columns = Expr::tuple(["day", "kind", "subject_id"].map(|c| Expr::col(Alias::new(c))));
    let (day, kind, subject) = key.clone();
    let values = Expr::tuple([Expr::val(day), Expr::val(kind), Expr::val(subject)]);
    if after { columns.gt(values) } else { columns.lt(values) }
}

async fn fetch(db: &impl ConnectionTrait, scope: &Scope, window: &Window<EntryKey>) -> Result<Vec<TimelineEntry>> {
    let Some(all) = union(scope) else { return Ok(Vec::new()) };
    let order = if window.backwards { Order::Desc } else { Order::Asc };
    let mut statement = Query::select()
        .columns([
            Alias::new("kind"),
            Alias::new("subject_id"),
            Alias::new("day"),
            Alias::new("day_precision"),
            Alias::new("country_id"),
        ])
        .from_subquery(all, Alias::new("timeline"))
        .order_by(Alias::new("day"), order.clone())
        .order_by(Alias::new("kind"), order.clone())
        .order_by(Alias::new("subject_id"), order)
        .limit(window.limit + 1)
        .to_owned();
    if let Some(after) = &window.after {
        statement.and_where(compared(after, true));
    }
    if let Some(before) = &window.before {
        statement.and_where(compared(before, false));
    }
    let rows = db.query_all(&statement).await?;
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        let tag: String = row.try_get("", "kind")?;
        let kind =
            TimelineKind::from_tag(&tag).ok_or_else(|| AppError::internal(format!("unknown timeline kind {tag}")))?;
        entries.push(TimelineEntry {
            kind,
            subject_id: row.try_get("", "subject_id")?,
            date: row.try_get("", "day")?,
            precision: row
                .try_get::<Option<String>>("", "day_precision")?
                .and_then(|tag| serde_json::from_value(serde_json::Value::String(tag)).ok()),
            country_id: row.try_get("", "country_id")?,
        });
    }
    Ok(entries)
}

async fn scope(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    filter: TimelineFilter,
    country_id: Option<i32>,
) -> Result<Scope> {
    let country_id = match (country_id, &filter.country) {
        (Some(id), _) => Some(id),
        (None, Some(iso3)) => Some(find_by_iso3(db, iso3, "filter.country").await?.id),
        (None, None) => None,
    };
    let from = filter.from.map(|Date(d)| d);
    let to = filter.to.map(|Date(d)| d);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(AppError::bad_input("filter.to", "`to` is before `from`"));
    }
    let mut kinds = filter.kinds.unwrap_or_else(|| TimelineKind::ALL.to_vec());
    let mut seen = std::collections::HashSet::new();
    kinds.retain(|kind| seen.insert(*kind));
    Ok(Scope {
        country_id,
        from,
        to,
        kinds,
        private_country: viewer.country_scope()?,
        visible_feedback: visible_feedback(viewer)?,
    })
}

/// A page of the timeline; `country_id` pins it to one country (for `Country.timeline`).
pub async fn timeline_connection(
    ctx: &Context<'_>,
    filter: TimelineFilter,
    country_id: Option<i32>,
    args: PageArgs,
) -> Result<AppConnection<TimelineEntry>> {
    let db = db(ctx)?;
    let scope = scope(db, viewer(ctx), filter, country_id).await?;
    paginate_keyed(
        ctx,
        args,
        "timeline",
        async || count(db, &scope).await,
        async |window| fetch(db, &scope, window).await,
        key_of,
        |e| e,
    )
    .await
}

#[derive(Default)]
pub struct TimelineQuery;

#[Object]
impl TimelineQuery {
    /// Everything dated that the viewer may see, oldest first: role changes, pilots, feedback, planned-use target
    /// dates, events, milestones due and done, version releases, revisions decided and the roster's terms, each with
    /// its date's precision.
    #[graphql(
        guard = "Require(Access::SignedIn)",
        complexity = "crate::pagination::page_complexity(first, last, child_complexity)"
    )]
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which entries; everything the viewer may see when omitted.")] filter: Option<TimelineFilter>,
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
    ) -> Result<AppConnection<TimelineEntry>> {
        timeline_connection(ctx, filter.unwrap_or_default(), None, PageArgs::new(after, before, first, last)).await
    }
}
