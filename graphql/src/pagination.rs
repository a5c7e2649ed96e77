//! Relay connections over any sea-orm query, and the filter vocabulary every list shares.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Enum, InputObject, InputType, Lookahead, OutputType, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, Order, PaginatorTrait, QueryOrder, QuerySelect, Select,
};

use crate::error::{AppError, AppResult};
use crate::scalars::Date;

/// Largest page a client may ask for; larger requests are refused, not silently truncated.
pub const MAX_PAGE_SIZE: usize = 100;
pub const DEFAULT_PAGE_SIZE: usize = 20;

#[derive(SimpleObject, Default)]
pub struct ConnectionTotals {
    /// Number of items matching the filter, across all pages.
    pub total_count: u64,
}

pub type AppConnection<N> = Connection<String, N, ConnectionTotals>;

/// The Relay arguments of a connection field.
#[derive(Debug, Default, Clone)]
pub struct PageArgs {
    pub after: Option<String>,
    pub before: Option<String>,
    pub first: Option<i32>,
    pub last: Option<i32>,
}

impl PageArgs {
    pub fn new(after: Option<String>, before: Option<String>, first: Option<i32>, last: Option<i32>) -> Self {
        Self { after, before, first, last }
    }
}

/// Complexity of a connection field: its items' cost times the page size it may return, so one
/// query cannot ask for many large pages of deeply nested objects.
pub fn page_complexity(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    let page = first.or(last).map_or(DEFAULT_PAGE_SIZE, |n| n.clamp(0, MAX_PAGE_SIZE as i32) as usize);
    1 + page.max(1) * child_complexity
}

fn encode_cursor(offset: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("offset:{offset}"))
}

fn decode_cursor(cursor: &str, field: &str) -> AppResult<u64> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("offset:").and_then(|n| n.parse::<u64>().ok()))
        // Offsets this server hands out stay far below this; larger ones are forged.
        .filter(|offset| *offset <= i32::MAX as u64)
        .ok_or_else(|| AppError::bad_input(field, "Invalid cursor"))
}

fn page_size(value: Option<i32>, field: &str) -> AppResult<Option<u64>> {
    match value {
        None => Ok(None),
        Some(n) if n < 0 => Err(AppError::bad_input(field, format!("`{field}` must not be negative"))),
        Some(n) if n as usize > MAX_PAGE_SIZE => {
            Err(AppError::bad_input(field, format!("`{field}` must be at most {MAX_PAGE_SIZE}")))
        }
        Some(n) => Ok(Some(n as u64)),
    }
}

/// Runs `select` as one page of a connection. Cursors are opaque offsets into the filtered,
/// ordered result; the caller must give `select` a total order (end with the primary key).
pub async fn paginate<E, N, C>(
    ctx: &Context<'_>,
    db: &C,
    select: Select<E>,
    args: PageArgs,
    to_node: impl Fn(E::Model) -> N,
) -> AppResult<AppConnection<N>>
where
    E: EntityTrait,
    E::Model: Sync + crate::rows::FromRows,
    N: OutputType,
    C: ConnectionTrait,
{
    let counted = select.clone();
    paginate_with(
        ctx,
        args,
        async || Ok(counted.count(db).await?),
        async |offset, limit| Ok(crate::rows::fetch_all(db, select.offset(offset).limit(limit)).await?),
        to_node,
    )
    .await
}

/// The same paging over any row source: `count` gives the total, `fetch(offset, limit)` a slice
/// in a stable order. `count` runs only when `totalCount` or `last` without `before` needs it.
pub async fn paginate_with<T, N>(
    ctx: &Context<'_>,
    args: PageArgs,
    count: impl AsyncFnOnce() -> AppResult<u64>,
    fetch: impl AsyncFnOnce(u64, u64) -> AppResult<Vec<T>>,
    to_node: impl Fn(T) -> N,
) -> AppResult<AppConnection<N>>
where
    N: OutputType,
{
    let first = page_size(args.first, "first")?;
    let last = page_size(args.last, "last")?;
    let after = args.after.as_deref().map(|c| decode_cursor(c, "after")).transpose()?;
    let before = args.before.as_deref().map(|c| decode_cursor(c, "before")).transpose()?;

    let wants_total = ctx.look_ahead().field("totalCount").exists();
    let total = if wants_total || (last.is_some() && before.is_none()) { Some(count().await?) } else { None };

    let mut start = after.map_or(0, |a| a + 1);
    let mut end = before.or(total);
    if let Some(first) = first {
        end = Some(end.map_or(start + first, |e| Ord::min(e, start + first)));
    }
    if let (Some(last), Some(e)) = (last, end) {
        start = Ord::max(start, e.saturating_sub(last));
    }
    if first.is_none() && last.is_none() {
        end = Some(end.map_or(start + DEFAULT_PAGE_SIZE as u64, |e| Ord::min(e, start + DEFAULT_PAGE_SIZE as u64)));
    }
    let limit = end.map_or(0, |e| e.saturating_sub(start));

    // One extra row tells whether another page follows without a COUNT.
    let mut rows = fetch(start, limit + 1).await?;
    let has_next = match total {
        Some(total) => start + limit < total,
        None => rows.len() as u64 > limit,
    };
    rows.truncate(limit as usize);

    let mut connection =
        Connection::with_additional_fields(start > 0, has_next, ConnectionTotals { total_count: total.unwrap_or(0) });
    connection
        .edges
        .extend(rows.into_iter().enumerate().map(|(i, row)| Edge::new(encode_cursor(start + i as u64), to_node(row))));
    Ok(connection)
}

/// What the client selected of a connection's items, through `edges { node }` and `nodes`: a
/// connection resolver loads their relations ahead from it.
pub fn item_selections<'c>(ctx: &'c Context<'_>) -> Vec<Lookahead<'c>> {
    let connection = ctx.look_ahead();
    [connection.field("edges").field("node"), connection.field("nodes")].into_iter().filter(Lookahead::exists).collect()
}

/// Direction of one `orderBy` key.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq, Default)]
pub enum OrderDirection {
    /// Ascending: earliest date first, A to Z, enum fields by value name.
    #[default]
    Asc,
    /// Descending: latest date first, Z to A.
    Desc,
}

impl From<OrderDirection> for Order {
    fn from(direction: OrderDirection) -> Self {
        match direction {
            OrderDirection::Asc => Order::Asc,
            OrderDirection::Desc => Order::Desc,
        }
    }
}

/// Applies client orderings, then the primary key so pages never overlap or skip rows.
pub fn apply_order<E: EntityTrait>(
    mut select: Select<E>,
    orderings: impl IntoIterator<Item = (E::Column, OrderDirection)>,
    id_column: E::Column,
) -> Select<E> {
    for (column, direction) in orderings {
        select = select.order_by(column, direction.into());
    }
    select.order_by_asc(id_column)
}

/// Comparison on a text column. `contains` and `startsWith` ignore case.
#[derive(InputObject, Default, Clone, Debug)]
pub struct StringFilter {
    /// Exactly this text (case-sensitive).
    pub eq: Option<String>,
    /// Any text but this one (case-sensitive); rows without a value do not match.
    pub ne: Option<String>,
    /// One of these texts (case-sensitive).
    #[graphql(name = "in")]
    pub is_in: Option<Vec<String>>,
    /// None of these texts; rows without a value do not match.
    pub not_in: Option<Vec<String>>,
    /// Contains this text anywhere, ignoring case.
    pub contains: Option<String>,
    /// Starts with this text, ignoring case.
    pub starts_with: Option<String>,
    /// true: only rows without a value; false: only rows with one.
    pub is_null: Option<bool>,
}

fn escape_like(text: &str) -> String {
    text.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

fn lower(column: impl ColumnTrait) -> SimpleExpr {
    Func::lower(column.into_expr()).into()
}

impl StringFilter {
    pub fn condition(&self, column: impl ColumnTrait) -> Condition {
        let mut condition = Condition::all();
        if let Some(v) = &self.eq {
            condition = condition.add(column.eq(v.clone()));
        }
        if let Some(v) = &self.ne {
            condition = condition.add(column.ne(v.clone()));
        }
        if let Some(v) = &self.is_in {
            condition = condition.add(column.is_in(v.clone()));
        }
        if let Some(v) = &self.not_in {
            condition = condition.add(column.is_not_in(v.clone()));
        }
        if let Some(v) = &self.contains {
            let pattern = LikeExpr::new(format!("%{}%", escape_like(v))).escape('\\');
            condition = condition.add(Expr::expr(lower(column)).like(pattern));
        }
        if let Some(v) = &self.starts_with {
            let pattern = LikeExpr::new(format!("{}%", escape_like(v))).escape('\\');
            condition = condition.add(Expr::expr(lower(column)).like(pattern));
        }
        if let Some(is_null) = self.is_null {
            condition = condition.add(if is_null { column.is_null() } else { column.is_not_null() });
        }
        condition
    }
}

/// Comparison on a date column. Bounds are inclusive.
#[derive(InputObject, Default, Clone, Debug)]
pub struct DateFilter {
    /// On this day.
    pub eq: Option<Date>,
    /// After this day.
    pub gt: Option<Date>,
    /// On or after this day.
    pub gte: Option<Date>,
    /// Before this day.
    pub lt: Option<Date>,
    /// On or before this day.
    pub lte: Option<Date>,
    /// true: only rows without this date; false: only rows with one.
    pub is_null: Option<bool>,
}

impl DateFilter {
    pub fn condition(&self, column: impl ColumnTrait) -> Condition {
        let mut condition = Condition::all();
        for (value, make) in [
            (self.eq, ColumnTrait::eq as fn(&_, NaiveDate) -> SimpleExpr),
            (self.gt, ColumnTrait::gt),
            (self.gte, ColumnTrait::gte),
            (self.lt, ColumnTrait::lt),
            (self.lte, ColumnTrait::lte),
        ] {
            if let Some(Date(value)) = value {
                condition = condition.add(make(&column, value));
            }
        }
        if let Some(is_null) = self.is_null {
            condition = condition.add(if is_null { column.is_null() } else { column.is_not_null() });
        }
        condition
    }
}

/// Comparison on an enum column; one concrete input type per enum (e.g. `SectionKindFilter`).
#[derive(InputObject, Clone, Debug)]
#[graphql(concrete(name = "SectionKindFilter", params(entity::guide_section::SectionKind)))]
#[graphql(concrete(name = "VersionStageFilter", params(entity::guide_version::VersionStage)))]
#[graphql(concrete(name = "StakeholderKindFilter", params(entity::stakeholder::StakeholderKind)))]
#[graphql(concrete(name = "UserRoleFilter", params(entity::user_account::UserRole)))]
#[graphql(concrete(name = "ChampionRoleFilter", params(entity::role_assignment::ChampionRole)))]
#[graphql(concrete(name = "RoleStatusFilter", params(entity::role_assignment::RoleStatus)))]
#[graphql(concrete(name = "PilotStatusFilter", params(entity::pilot::PilotStatus)))]
#[graphql(concrete(name = "EventKindFilter", params(entity::event::EventKind)))]
#[graphql(concrete(name = "ParticipationRoleFilter", params(entity::event_participant::ParticipationRole)))]
#[graphql(concrete(name = "MilestoneStatusFilter", params(entity::milestone::MilestoneStatus)))]
#[graphql(concrete(name = "FeedbackChannelFilter", params(entity::feedback::FeedbackChannel)))]
#[graphql(concrete(name = "FeedbackKindFilter", params(entity::feedback::FeedbackKind)))]
#[graphql(concrete(name = "FeedbackStatusFilter", params(entity::feedback::FeedbackStatus)))]
#[graphql(concrete(name = "PlannedUseKindFilter", params(entity::planned_use::PlannedUseKind)))]
#[graphql(concrete(name = "PlannedUseStatusFilter", params(entity::planned_use::PlannedUseStatus)))]
#[graphql(concrete(name = "RevisionKindFilter", params(entity::revision::RevisionKind)))]
#[graphql(concrete(name = "RevisionStatusFilter", params(entity::revision::RevisionStatus)))]
pub struct EnumFilter<T: InputType> {
    /// Exactly this value.
    pub eq: Option<T>,
    /// Any value but this one.
    pub ne: Option<T>,
    /// One of these values.
    #[graphql(name = "in")]
    pub is_in: Option<Vec<T>>,
    /// None of these values.
    pub not_in: Option<Vec<T>>,
}

impl<T> EnumFilter<T>
where
    T: InputType + sea_orm::ActiveEnum + Clone,
{
    pub fn condition(&self, column: impl ColumnTrait) -> Condition {
        let mut condition = Condition::all();
        if let Some(v) = &self.eq {
            condition = condition.add(column.eq(v.clone().into_value()));
        }
        if let Some(v) = &self.ne {
            condition = condition.add(column.ne(v.clone().into_value()));
        }
        if let Some(v) = &self.is_in {
            condition = condition.add(column.is_in(v.iter().map(|x| x.clone().into_value())));
        }
        if let Some(v) = &self.not_in {
            condition = condition.add(column.is_not_in(v.iter().map(|x| x.clone().into_value())));
        }
        condition
    }
}
