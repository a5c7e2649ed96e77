//! Lists of objects resolved in one pass over their plain fields.
//!
//! async-graphql resolves every field of every object as its own boxed future, polled through a
//! `FuturesUnordered`, even a field that only copies a value out of the row. On a list page (Q1 in
//! BENCHMARKS.md: about 3,700 fields) that machinery cost more than the fields themselves. An
//! [`ObjectList`] resolves the fields its item type declares plain ([`PlainFields`]) right away,
//! each through the type's own generated `resolve_field`, so guards and conversions are the same
//! as on any other path; only the other fields become futures, all the list's at once, so their
//! loads still batch. A selection this pass does not handle (fragments, directives, a response key
//! given twice) goes through async-graphql's own list resolution unchanged.
//!
//! The schema installs no extensions (see `gateway`): an extension's per-field hook would not
//! see the plain fields.

use std::borrow::Cow;
use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context as TaskContext, Poll, Waker};

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{Field, Selection};
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::{ContainerType, resolve_list};
use async_graphql::{Context, ContextSelectionSet, Name, OutputType, Positioned, ServerResult, Value};
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

/// A type's fields that resolve without waiting: computed from the object alone, no loads and no
/// queries. A listed field that does wait is still resolved correctly, only more slowly.
pub trait PlainFields {
    const PLAIN_FIELDS: &'static [&'static str];
}

/// Plain fields that waited when polled (see [`plain_fields_that_waited`]).
static PLAIN_FIELDS_THAT_WAITED: AtomicU64 = AtomicU64::new(0);

/// How many times, since the process started, a field listed in some type's [`PlainFields`] was
/// not ready when first polled. Each is a field listed by mistake: it is resolved again as a
/// future, correctly but at the cost the list was meant to save. The tests hold it at zero.
pub fn plain_fields_that_waited() -> u64 {
    PLAIN_FIELDS_THAT_WAITED.load(Ordering::Relaxed)
}

/// A list of `T`, the same type in the schema as `Vec<T>` (`[T!]!`).
pub struct ObjectList<T>(pub Vec<T>);

impl<T> FromIterator<T> for ObjectList<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl<T> OutputType for ObjectList<T>
where
    T: ContainerType + PlainFields + Send + Sync,
{
    fn type_name() -> Cow<'static, str> {
        Vec::<T>::type_name()
    }

    fn qualified_type_name() -> String {
        Vec::<T>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        Vec::<T>::create_type_info(registry)
    }

    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, field: &Positioned<Field>) -> ServerResult<Value> {
        match plan::<T>(ctx) {
            Some(plan) => Ok(resolve_planned(&self.0, ctx, &plan).await),
            None => resolve_list(ctx, field, &self.0, Some(self.0.len())).await,
        }
    }
}

/// One selected field of the list's items.
struct Planned<'a> {
    field: &'a Positioned<Field>,
    key: &'a Name,
    plain: bool,
}

/// The item fields of a selection this pass handles: plain fields with no directives, each
/// response key once; `None` for any other selection.
fn plan<'a, T: PlainFields>(ctx: &ContextSelectionSet<'a>) -> Option<Vec<Planned<'a>>> {
    let items = &ctx.item.node.items;
    let mut plan: Vec<Planned<'a>> = Vec::with_capacity(items.len());
    for selection in items {
        let Selection::Field(field) = &selection.node else { return None };
        if !field.node.directives.is_empty() {
            return None;
        }
        let key = &field.node.response_key().node;
        if plan.iter().any(|planned| planned.key == key) {
            return None;
        }
        let name = field.node.name.node.as_str();
        let plain = field.node.arguments.is_empty() && (name == "__typename" || T::PLAIN_FIELDS.contains(&name));
        plan.push(Planned { field, key, plain });
    }
    Some(plan)
}

type FieldFuture<'a> = Pin<Box<dyn Future<Output = (usize, usize, ServerResult<Option<Value>>)> + Send + 'a>>;

async fn resolve_planned<T>(items: &[T], ctx: &ContextSelectionSet<'_>, plan: &[Planned<'_>]) -> Value
where
    T: ContainerType + Send + Sync,
{
    let item_contexts: Vec<ContextSelectionSet<'_>> = (0..items.len()).map(|index| ctx.with_index(index)).collect();
    let mut values: Vec<Vec<Option<Value>>> = Vec::with_capacity(items.len());
    let mut waiting: Vec<FieldFuture<'_>> = Vec::new();
    for (index, (item, item_ctx)) in items.iter().zip(&item_contexts).enumerate() {
        let mut row = Vec::with_capacity(plan.len());
        for (position, planned) in plan.iter().enumerate() {
            let resolved = if planned.plain { resolve_now(item, item_ctx, planned.field) } else { None };
            match resolved {
                Some(result) => row.push(accept(item_ctx, result)),
                None => {
                    row.push(None);
                    let field = planned.field;
                    waiting.push(Box::pin(async move {
                        (index, position, item.resolve_field(&item_ctx.with_field(field)).await)
                    }));
                }
            }
        }
        values.push(row);
    }
    for (index, position, result) in join(waiting).await {
        values[index][position] = accept(&item_contexts[index], result);
    }
    Value::List(values.into_iter().map(|row| object(plan, row)).collect())
}

/// Resolves one field if it is ready at once; `None` if it would wait.
fn resolve_now<T: ContainerType>(
    item: &T,
    item_ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
) -> Option<ServerResult<Option<Value>>> {
    if field.node.name.node == "__typename" {
        return Some(Ok(Some(Value::String(item.introspection_type_name().into_owned()))));
    }
    let field_ctx: Context<'_> = item_ctx.with_field(field);
    let future = pin!(item.resolve_field(&field_ctx));
    match future.poll(&mut TaskContext::from_waker(Waker::noop())) {
        Poll::Ready(result) => Some(result),
        // Dropped unfinished: a field that waits is not plain, and is resolved again as a future.
        Poll::Pending => {
            PLAIN_FIELDS_THAT_WAITED.fetch_add(1, Ordering::Relaxed);
            None
        }
    }
}

/// A field's value, or its error recorded on the response (the field is then left out, as
/// async-graphql's own object resolution does).
fn accept(ctx: &ContextSelectionSet<'_>, result: ServerResult<Option<Value>>) -> Option<Value> {
    match result {
        Ok(value) => Some(value.unwrap_or_default()),
        Err(error) => {
            ctx.add_error(error);
            None
        }
    }
}

fn object(plan: &[Planned<'_>], row: Vec<Option<Value>>) -> Value {
    let mut map = IndexMap::with_capacity(plan.len());
    for (planned, value) in plan.iter().zip(row) {
        if let Some(value) = value {
            map.insert(planned.key.clone(), value);
        }
    }
    if map.is_empty() { Value::Null } else { Value::Object(map) }
}

/// Runs the waiting fields together: each is polled once in turn, and only those still waiting
/// go into a `FuturesUnordered`.
async fn join<'a>(futures: Vec<FieldFuture<'a>>) -> Vec<(usize, usize, ServerResult<Option<Value>>)> {
    if futures.is_empty() {
        return Vec::new();
    }
    let mut done = Vec::with_capacity(futures.len());
    let mut pending = FuturesUnordered::new();
    let mut futures = Some(futures);
    // Moved in as `&mut`: `FuturesUnordered::push` takes `&self`, and a shared borrow held across
    // the await would need the futures to be `Sync`.
    let (first, ready, waiting) = (&mut futures, &mut done, &mut pending);
    poll_fn(move |cx| {
        for mut future in first.take().into_iter().flatten() {
            match future.as_mut().poll(cx) {
                Poll::Ready(output) => ready.push(output),
                Poll::Pending => waiting.push(future),
            }
        }
        Poll::Ready(())
    })
    .await;
    while let Some(output) = pending.next().await {
        done.push(output);
    }
    done
}

#[cfg(test)]
mod tests {
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema};
    use serde_json::json;

    use super::{ObjectList, PlainFields, plain_fields_that_waited};

    struct Item(i32);

    #[Object]
    impl Item {
        async fn id(&self) -> i32 {
            self.0
        }
        async fn label(&self) -> String {
            format!("item {}", self.0)
        }
        /// Listed as plain but waits: must still resolve, as a future.
        async fn waits(&self) -> i32 {
            tokio::task::yield_now().await;
            self.0 * 10
        }
        async fn later(&self) -> i32 {
            tokio::task::yield_now().await;
            self.0 + 100
        }
        async fn fails(&self) -> async_graphql::Result<i32> {
            if self.0 % 2 == 0 { Err("even".into()) } else { Ok(self.0) }
        }
        async fn scaled(&self, by: i32) -> i32 {
            self.0 * by
        }
        async fn children(&self) -> ObjectList<Item> {
            (1..self.0).map(|n| Item(self.0 * 10 + n)).collect()
        }
    }

    impl PlainFields for Item {
        const PLAIN_FIELDS: &'static [&'static str] = &["id", "label", "waits", "fails", "scaled"];
    }

    struct Query;

    #[Object]
    impl Query {
        async fn listed(&self) -> ObjectList<Item> {
            (1..=4).map(Item).collect()
        }
        async fn vector(&self) -> Vec<Item> {
            (1..=4).map(Item).collect()
        }
    }

    /// The same selection through `ObjectList` and through async-graphql's `Vec`, under one
    /// alias and with field names of one length, so that error paths and locations compare too.
    /// Returns the `ObjectList` response as text, in which the order of keys shows.
    async fn both(selection: &str) -> (serde_json::Value, String) {
        let schema = Schema::new(Query, EmptyMutation, EmptySubscription);
        let run = |field: &str| {
            let query = format!("{{ list: {field} {selection} }}");
            let schema = schema.clone();
            async move { serde_json::to_string(&schema.execute(query).await).expect("serializes") }
        };
        let (listed, vector) = (run("listed").await, run("vector").await);
        let parse = |text: &str| serde_json::from_str::<serde_json::Value>(text).expect("parses");
        assert_eq!(parse(&listed), parse(&vector), "{selection}");
        (parse(&listed), listed)
    }

    #[tokio::test]
    async fn resolves_as_async_graphql_does() {
        let waited = plain_fields_that_waited();
        let (fast, text) =
            both("{ __typename id name: label waits later fails scaled(by: 3) children { id later label } }").await;
        // `waits` is listed as plain but waits, on each of the four items; nothing else waited.
        // (Other tests of this module may run at the same time and add their own.)
        assert!(plain_fields_that_waited() - waited >= 4, "the counter missed a plain field that waited");
        // In the order selected, as the GraphQL spec asks (async-graphql's own order is the order
        // in which the fields finish).
        assert!(
            text.contains(r#"{"__typename":"Item","id":1,"name":"item 1","waits":10,"later":101,"fails":1,"#),
            "{text}"
        );
        assert_eq!(fast["data"]["list"][0]["waits"], json!(10));
        assert_eq!(fast["data"]["list"][2]["children"][1], json!({"id": 32, "later": 132, "label": "item 32"}));
        assert_eq!(fast["errors"].as_array().map(Vec::len), Some(2), "fails on items 2 and 4: {fast}");
        assert_eq!(fast["errors"][0]["path"], json!(["list", 1, "fails"]));
    }

    #[tokio::test]
    async fn selections_it_does_not_plan_go_the_standard_way() {
        for selection in [
            "{ id ... on Item { label } }",
            "{ id label @include(if: false) later }",
            "{ id later id }",
            "{ id children { id } children { label } }",
        ] {
            let (fast, _) = both(selection).await;
            assert!(fast["errors"].is_null(), "{selection}: {fast}");
        }
    }

    #[tokio::test]
    async fn an_empty_list_is_empty() {
        let (fast, _) = both("{ id children { id } }").await;
        assert_eq!(fast["data"]["list"][0]["children"], json!([]));
    }
}
