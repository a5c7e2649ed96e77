//! Relay connections over any sea-orm query (keyset cursors), and the filter vocabulary every
//! list shares.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, Enum, InputObject, InputType, Lookahead, OutputType, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDate;
use sea_orm::sea_query::NullOrdering;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, IdenStatic, ModelTrait, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select, Value as SeaValue,
};

use crate::error::{AppError, Result};
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

fn page_size(value: Option<i32>, field: &str) -> Result<Option<u64>> {
    match value {
        None => Ok(None),
        Some(n) if n < 0 => Err(AppError::bad_input(field, format!("`{field}` must not be negative"))),
        Some(n) if n as usize > MAX_PAGE_SIZE => {
            Err(AppError::bad_input(field, format!("`{field}` must be at most {MAX_PAGE_SIZE}")))
        }
        Some(n) => Ok(Some(n as u64)),
    }
}

/// A query in a total order: the client's orderings, then the primary key. It pages by keyset:
/// a cursor holds its row's values of the sort columns, and the next page starts after them, so
/// a page boundary stays put when rows are inserted or deleted before it, and a deep page costs
/// what the first does. NULLs sort last in either direction, on both databases alike.
pub struct Ordered<E: EntityTrait> {
    select: Select<E>,
    keys: Vec<(E::Column, OrderDirection)>,
}

/// Which rows a cursor bounds: those after it in the order, or those before it.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    After,
    Before,
}

/// Longest cursor accepted; the ones handed out are far shorter.
const MAX_CURSOR_CHARS: usize = 1_024;

impl<E: EntityTrait> Ordered<E> {
    /// `select` (which must not be ordered yet) in the order of `keys`, whose last key must be
    /// unique (the primary key).
    pub fn by(select: Select<E>, keys: impl IntoIterator<Item = (E::Column, OrderDirection)>) -> Self {
        Self { select, keys: keys.into_iter().collect() }
    }

    /// The query in its order, for callers that read every row.
    pub fn into_select(self) -> Select<E> {
        let keys = self.keys;
        Self::order(self.select, &keys, false)
    }

    fn order(mut select: Select<E>, keys: &[(E::Column, OrderDirection)], reversed: bool) -> Select<E> {
        for (column, direction) in keys {
            let (order, nulls) = match (direction, reversed) {
                (OrderDirection::Asc, false) => (Order::Asc, NullOrdering::Last),
                (OrderDirection::Desc, false) => (Order::Desc, NullOrdering::Last),
                (OrderDirection::Asc, true) => (Order::Desc, NullOrdering::First),
                (OrderDirection::Desc, true) => (Order::Asc, NullOrdering::First),
            };
            select = select.order_by_with_nulls(*column, order, nulls);
        }
        select
    }

    /// Names the order, so that a cursor of another order is refused rather than misread.
    fn fingerprint(&self) -> String {
        let keys: Vec<String> = self.keys.iter().map(|(c, d)| format!("{}:{d:?}", c.as_str())).collect();
        keys.join(",")
    }

    fn encode(&self, model: &E::Model) -> Result<String>
    where
        E::Model: ModelTrait<Entity = E>,
    {
        let values = self
            .keys
            .iter()
            .map(|(column, _)| {
                value_to_json(&model.get(*column))
                    .ok_or_else(|| AppError::internal(format!("no cursor form for the values of {}", column.as_str())))
            })
            .collect::<Result<Vec<_>>>()?;
        let cursor = serde_json::json!({ "o": self.fingerprint(), "k": values });
        Ok(URL_SAFE_NO_PAD.encode(cursor.to_string()))
    }

    fn decode(&self, cursor: &str, field: &str) -> Result<Vec<SeaValue>> {
        let invalid =
            || AppError::bad_input(field, "Invalid cursor: use one this connection returned, with the same `orderBy`");
        if cursor.len() > MAX_CURSOR_CHARS {
            return Err(invalid());
        }
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
        let parsed: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
        if parsed["o"].as_str() != Some(self.fingerprint().as_str()) {
            return Err(invalid());
        }
        let values = parsed["k"].as_array().filter(|values| values.len() == self.keys.len()).ok_or_else(invalid)?;
        values.iter().map(|value| json_to_value(value).ok_or_else(invalid)).collect()
    }

    /// The rows on `side` of the row whose sort values are `values`.
    fn beyond(&self, values: &[SeaValue], side: Side) -> Condition {
        let mut any = Condition::any();
        let mut same_so_far = Condition::all();
        for ((column, direction), value) in self.keys.iter().zip(values) {
            let is_null = !value.is_some();
            let strictly = match (side, is_null) {
                // NULLs come last: after a NULL there is nothing on this key, before it every value.
                (Side::After, true) => None,
                (Side::Before, true) => Some(Condition::all().add(column.is_not_null())),
                (Side::After, false) => {
                    let beyond = match direction {
                        OrderDirection::Asc => column.gt(value.clone()),
                        OrderDirection::Desc => column.lt(value.clone()),
                    };
                    Some(Condition::any().add(beyond).add(column.is_null()))
                }
                (Side::Before, false) => Some(Condition::all().add(match direction {
                    OrderDirection::Asc => column.lt(value.clone()),
                    OrderDirection::Desc => column.gt(value.clone()),
                })),
            };
            if let Some(strictly) = strictly {
                any = any.add(same_so_far.clone().add(strictly));
            }
            same_so_far = same_so_far.add(if is_null { column.is_null() } else { column.eq(value.clone()) });
        }
        any
    }
}

/// A sort value as it travels in a cursor: `[tag, value]`, `["null"]` for none; `None` for a
/// kind of value no sort column has.
fn value_to_json(value: &SeaValue) -> Option<serde_json::Value> {
    use serde_json::json;
    if !value.is_some() {
        return Some(json!(["null"]));
    }
    Some(match value {
        SeaValue::Int(Some(v)) => json!(["i", v]),
        SeaValue::BigInt(Some(v)) => json!(["l", v]),
        SeaValue::Bool(Some(v)) => json!(["b", v]),
        SeaValue::Double(Some(v)) => json!(["f", v]),
        SeaValue::String(Some(v)) => json!(["s", v]),
        SeaValue::ChronoDate(Some(v)) => json!(["d", v.to_string()]),
        SeaValue::ChronoDateTimeUtc(Some(v)) => json!(["t", v.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)]),
        _ => return None,
    })
}

fn json_to_value(value: &serde_json::Value) -> Option<SeaValue> {
    let tag = value.get(0)?.as_str()?;
    let item = value.get(1);
    Some(match tag {
        "null" => SeaValue::String(None),
        "i" => SeaValue::Int(Some(i32::try_from(item?.as_i64()?).ok()?)),
        "l" => SeaValue::BigInt(Some(item?.as_i64()?)),
        "b" => SeaValue::Bool(Some(item?.as_bool()?)),
        "f" => SeaValue::Double(Some(item?.as_f64()?)),
        "s" => SeaValue::String(Some(item?.as_str()?.to_owned())),
        "d" => SeaValue::ChronoDate(Some(item?.as_str()?.parse::<NaiveDate>().ok()?)),
        "t" => SeaValue::ChronoDateTimeUtc(Some(
            chrono::DateTime::parse_from_rfc3339(item?.as_str()?).ok()?.with_timezone(&chrono::Utc),
        )),
        _ => return None,
    })
}

/// Where one page lies in a keyed order, from the Relay arguments: the bounds (a cursor's key,
/// decoded), which way it reads, and how many rows to fetch beyond the one extra that tells
/// whether more follow.
pub struct Window<K> {
    pub after: Option<K>,
    pub before: Option<K>,
    /// `last` alone reads backwards from the end (or from `before`); otherwise forwards.
    pub backwards: bool,
    pub limit: u64,
    first: Option<u64>,
    last: Option<u64>,
}

impl<K> Window<K> {
    fn of(args: &PageArgs, decode: impl Fn(&str, &str) -> Result<K>) -> Result<Self> {
        let first = page_size(args.first, "first")?;
        let last = page_size(args.last, "last")?;
        let after = args.after.as_deref().map(|c| decode(c, "after")).transpose()?;
        let before = args.before.as_deref().map(|c| decode(c, "before")).transpose()?;
        let backwards = last.is_some() && first.is_none();
        let limit = if backwards { last } else { first }.unwrap_or(DEFAULT_PAGE_SIZE as u64);
        Ok(Self { after, before, backwards, limit, first, last })
    }

    /// The connection from the rows fetched for this window (in its reading direction, at most
    /// `limit + 1` of them).
    fn connection<T, N: OutputType>(
        &self,
        mut rows: Vec<T>,
        total: Option<u64>,
        cursor_of: impl Fn(&T) -> Result<String>,
        to_node: impl Fn(T) -> N,
    ) -> Result<AppConnection<N>> {
        let more = rows.len() as u64 > self.limit;
        rows.truncate(self.limit as usize);
        if self.backwards {
            rows.reverse();
        }
        let (mut has_previous, has_next) =
            if self.backwards { (more, self.before.is_some()) } else { (self.after.is_some(), more) };
        // `first` and `last` together: the last `last` of the first `first`.
        if let (Some(_), Some(last)) = (self.first, self.last)
            && rows.len() as u64 > last
        {
            rows.drain(..rows.len() - last as usize);
            has_previous = true;
        }
        let totals = ConnectionTotals { total_count: total.unwrap_or(0) };
        let mut connection = Connection::with_additional_fields(has_previous, has_next, totals);
        for row in rows {
            connection.edges.push(Edge::new(cursor_of(&row)?, to_node(row)));
        }
        Ok(connection)
    }
}

fn wants_total(ctx: &Context<'_>) -> bool {
    ctx.look_ahead().field("totalCount").exists()
}

/// Runs `ordered` as one page of a connection, paging by keyset (see [`Ordered`]).
pub async fn paginate<E, N, C>(
    ctx: &Context<'_>,
    db: &C,
    ordered: Ordered<E>,
    args: PageArgs,
    to_node: impl Fn(E::Model) -> N,
) -> Result<AppConnection<N>>
where
    E: EntityTrait,
    E::Model: Sync + crate::engine::rows::FromRows + ModelTrait<Entity = E>,
    N: OutputType,
    C: ConnectionTrait,
{
    let window = Window::of(&args, |cursor, field| ordered.decode(cursor, field))?;
    let total = if wants_total(ctx) { Some(ordered.select.clone().count(db).await?) } else { None };
    let mut select = ordered.select.clone();
    if let Some(after) = &window.after {
        select = select.filter(ordered.beyond(after, Side::After));
    }
    if let Some(before) = &window.before {
        select = select.filter(ordered.beyond(before, Side::Before));
    }
    let select = Ordered::order(select, &ordered.keys, window.backwards);
    let rows = crate::engine::rows::fetch_all(db, select.limit(window.limit + 1)).await?;
    window.connection(rows, total, |row| ordered.encode(row), to_node)
}

/// Keyset paging over any row source in a total order on `K` (the timeline's union): `fetch`
/// reads up to `limit + 1` rows of the window, forwards or backwards from its bounds; `key_of`
/// gives a row's key, which its cursor holds. `count` runs only when `totalCount` is selected.
pub async fn paginate_keyed<T, K, N>(
    ctx: &Context<'_>,
    args: PageArgs,
    order_name: &str,
    count: impl AsyncFnOnce() -> Result<u64>,
    fetch: impl AsyncFnOnce(&Window<K>) -> Result<Vec<T>>,
    key_of: impl Fn(&T) -> K,
    to_node: impl Fn(T) -> N,
) -> Result<AppConnection<N>>
where
    K: serde::Serialize + serde::de::DeserializeOwned,
    N: OutputType,
{
    let decode = |cursor: &str, field: &str| -> Result<K> {
        let invalid = || AppError::bad_input(field, "Invalid cursor: use one this connection returned");
        let bytes = (cursor.len() <= MAX_CURSOR_CHARS).then(|| URL_SAFE_NO_PAD.decode(cursor).ok()).flatten();
        let parsed: serde_json::Value = bytes.and_then(|b| serde_json::from_slice(&b).ok()).ok_or_else(invalid)?;
        if parsed["o"].as_str() != Some(order_name) {
            return Err(invalid());
        }
        serde_json::from_value(parsed["k"].clone()).map_err(|_| invalid())
    };
    let window = Window::of(&args, decode)?;
    let total = if wants_total(ctx) { Some(count().await?) } else { None };
    let rows = fetch(&window).await?;
    let cursor_of = |row: &T| {
        let cursor = serde_json::json!({ "o": order_name, "k": key_of(row) });
        Ok(URL_SAFE_NO_PAD.encode(cursor.to_string()))
    };
    window.connection(rows, total, cursor_of, to_node)
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

/// Client orderings, then the primary key so pages never overlap or skip rows.
pub fn apply_order<E: EntityTrait>(
    select: Select<E>,
    orderings: impl IntoIterator<Item = (E::Column, OrderDirection)>,
    id_column: E::Column,
) -> Ordered<E> {
    let mut keys: Vec<_> = orderings.into_iter().collect();
    keys.push((id_column, OrderDirection::Asc));
    Ordered::by(select, keys)
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
#[graphql(concrete(name = "ActionStatusFilter", params(entity::follow_up_action::ActionStatus)))]
#[graphql(concrete(name = "ChampionTermKindFilter", params(entity::champion_term::ChampionTermKind)))]
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
