//! Relation loading, written once: by primary key and by foreign key, for any entity. Every
//! relation field goes through these, so a request costs one query per relation level, not
//! one per row.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::engine::database::RequestDb;
use crate::engine::rows::{FromRows, fetch_all};

use crate::error::Result;

pub struct DbLoader {
    db: RequestDb,
}

impl DbLoader {
    pub fn new(db: RequestDb) -> Self {
        Self { db }
    }

    /// For loaders defined next to their domain.
    pub fn db(&self) -> &RequestDb {
        &self.db
    }
}

pub type AppLoader = DataLoader<DbLoader, HashMapCache>;

/// A request's loaders: one for single rows by key, one for relations that fan out (children,
/// links, newest-N). They differ in how long they wait for keys: a relation is asked for by every
/// item of a list, and async-graphql polls a list's items 32 at a time with yields in between, so
/// a short window splits its batch when the machine is busy; a lookup by key is asked for once,
/// and a long window would only add latency. Connections whose items' relations are known ahead
/// load them before any item resolves (`prime_*`), which needs no window at all.
pub struct RequestLoaders {
    pub by_key: AppLoader,
    pub relations: AppLoader,
    /// Whether loaded values are kept for the rest of the request (see [`request_loader`]).
    pub cached: bool,
}

/// An entity with an integer primary key.
pub trait Keyed: EntityTrait<Model: FromRows> {
    fn id_column() -> Self::Column;
    fn id_of(model: &Self::Model) -> i32;

    fn find_by_key(id: i32) -> sea_orm::Select<Self> {
        Self::find().filter(Self::id_column().eq(id))
    }
}

/// A [`Keyed`] entity with an optimistic-concurrency `version` and an `updated_at` column.
pub trait Versioned: Keyed {
    fn version_column() -> Self::Column;
    fn updated_at_column() -> Self::Column;
}

/// A foreign key `Entity.column → parent id`, used to load the children of many parents at once.
pub trait ForeignKey: 'static {
    type Entity: Keyed;
    fn column() -> <Self::Entity as EntityTrait>::Column;
    fn key_of(model: &<Self::Entity as EntityTrait>::Model) -> Option<i32>;
    /// Order of the children within one parent.
    fn order_column() -> <Self::Entity as EntityTrait>::Column {
        Self::Entity::id_column()
    }
}

macro_rules! phantom_key {
    ($name:ident, $bound:ident) => {
        pub struct $name<T>(pub i32, PhantomData<fn() -> T>);

        impl<T> $name<T> {
            pub fn new(id: i32) -> Self {
                Self(id, PhantomData)
            }
        }
        impl<T> Clone for $name<T> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<T> Copy for $name<T> {}
        impl<T> PartialEq for $name<T> {
            fn eq(&self, other: &Self) -> bool {
                self.0 == other.0
            }
        }
        impl<T> Eq for $name<T> {}
        impl<T> Hash for $name<T> {
            fn hash<H: Hasher>(&self, state: &mut H) {
                self.0.hash(state)
            }
        }
    };
}

phantom_key!(ById, Keyed);
phantom_key!(HasMany, ForeignKey);

impl<E> Loader<ById<E>> for DbLoader
where
    E: Keyed + 'static,
    E::Model: Clone + Send + Sync + 'static,
{
    type Value = E::Model;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[ById<E>]) -> Result<HashMap<ById<E>, E::Model>, Self::Error> {
        let rows = fetch_all(&self.db, E::find().filter(E::id_column().is_in(keys.iter().map(|key| key.0)))).await?;
        Ok(rows.into_iter().map(|row| (ById::new(E::id_of(&row)), row)).collect())
    }
}

impl<F> Loader<HasMany<F>> for DbLoader
where
    F: ForeignKey,
    <F::Entity as EntityTrait>::Model: Clone + Send + Sync + 'static,
{
    type Value = Vec<<F::Entity as EntityTrait>::Model>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[HasMany<F>]) -> Result<HashMap<HasMany<F>, Self::Value>, Self::Error> {
        let select = F::Entity::find()
            .filter(F::column().is_in(keys.iter().map(|key| key.0)))
            .order_by_asc(F::order_column())
            .order_by_asc(F::Entity::id_column());
        let rows = fetch_all(&self.db, select).await?;
        let mut grouped: HashMap<HasMany<F>, Self::Value> = keys.iter().map(|key| (*key, Vec::new())).collect();
        for row in rows {
            if let Some(parent) = F::key_of(&row) {
                grouped.entry(HasMany::new(parent)).or_default().push(row);
            }
        }
        Ok(grouped)
    }
}

/// The newest `limit` children of a parent along `F` (by `F::order_column`, then id, descending).
pub struct Latest<F> {
    parent_id: i32,
    limit: u64,
    _along: PhantomData<fn() -> F>,
}

impl<F> Clone for Latest<F> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<F> Copy for Latest<F> {}
impl<F> PartialEq for Latest<F> {
    fn eq(&self, other: &Self) -> bool {
        (self.parent_id, self.limit) == (other.parent_id, other.limit)
    }
}
impl<F> Eq for Latest<F> {}
impl<F> Hash for Latest<F> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.parent_id, self.limit).hash(state)
    }
}

impl<F> Loader<Latest<F>> for DbLoader
where
    F: ForeignKey,
    <F::Entity as EntityTrait>::Model: Clone + Send + Sync + 'static,
{
    type Value = Vec<<F::Entity as EntityTrait>::Model>;
    type Error = Arc<DbErr>;

    /// One statement per distinct limit, for any number of parents.
    async fn load(&self, keys: &[Latest<F>]) -> Result<HashMap<Latest<F>, Self::Value>, Self::Error> {
        let mut limits: Vec<u64> = keys.iter().map(|k| k.limit).collect();
        limits.sort_unstable();
        limits.dedup();
        let backend = self.db.get_database_backend();
        let mut grouped: HashMap<Latest<F>, Self::Value> = keys.iter().map(|key| (*key, Vec::new())).collect();
        for limit in limits {
            let parents: Vec<i32> = keys.iter().filter(|k| k.limit == limit).map(|k| k.parent_id).collect();
            let statement = sea_orm::Statement::from_string(backend, latest_sql::<F>(backend, &parents, limit));
            let rows = <F::Entity as EntityTrait>::Model::from_rows(self.db.query_all_raw(statement).await?)?;
            for row in rows {
                if let Some(parent) = F::key_of(&row) {
                    grouped.entry(Latest { parent_id: parent, limit, _along: PhantomData }).or_default().push(row);
                }
            }
        }
        Ok(grouped)
    }
}

/// The newest `limit` rows of each parent as one statement, each parent's rows a short index range
/// scan (a window function over all the parents' rows would read every one of them). PostgreSQL
/// takes a `LATERAL` join over the parent keys; SQLite, which has none, a `UNION ALL` of one
/// `ORDER BY … LIMIT` branch per parent. Keys and limits are integers, so they are written inline.
fn latest_sql<F: ForeignKey>(backend: sea_orm::DatabaseBackend, parents: &[i32], limit: u64) -> String {
    use sea_orm::sea_query::{PostgresQueryBuilder, SqliteQueryBuilder};
    use sea_orm::{DatabaseBackend, EntityName, IdenStatic, QuerySelect, QueryTrait};
    let branch = |filter: sea_orm::Select<F::Entity>| {
        filter.order_by_desc(F::order_column()).order_by_desc(F::Entity::id_column()).limit(limit).into_query()
    };
    match backend {
        DatabaseBackend::Postgres => {
            let keys: Vec<String> = parents.iter().map(|p| format!("({p})")).collect();
            // The branch's key filter names the parent row of the lateral join.
            let inner = branch(F::Entity::find().filter(sea_orm::sea_query::Expr::cust(format!(
                "{}.{} = parent.id",
                F::Entity::default().table_name(),
                F::column().as_str()
            ))))
            .to_string(PostgresQueryBuilder);
            format!(
                "SELECT latest.* FROM (VALUES {}) AS parent (id) CROSS JOIN LATERAL ({inner}) AS latest",
                keys.join(", ")
            )
        }
        _ => parents
            .iter()
            .map(|p| {
                format!(
                    "SELECT * FROM ({}) AS branch",
                    branch(F::Entity::find().filter(F::column().eq(*p))).to_string(SqliteQueryBuilder)
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL "),
    }
}

/// The loaders the transport put into the request data (see [`request_loader`]).
fn loaders<'a>(ctx: &'a Context<'_>) -> Result<&'a RequestLoaders> {
    ctx.data::<RequestLoaders>().map_err(|_| crate::error::AppError::internal("data loaders missing from request data"))
}

/// The loader for single rows by key.
pub fn loader<'a>(ctx: &'a Context<'_>) -> Result<&'a AppLoader> {
    Ok(&loaders(ctx)?.by_key)
}

/// The loader for relations that fan out over a list.
fn relation_loader<'a>(ctx: &'a Context<'_>) -> Result<&'a AppLoader> {
    Ok(&loaders(ctx)?.relations)
}

/// Loads one row by id through the request's loader.
pub async fn by_id<E>(ctx: &Context<'_>, id: i32) -> Result<Option<E::Model>>
where
    E: Keyed + 'static,
    E::Model: Clone + Send + Sync + 'static,
{
    Ok(loader(ctx)?.load_one(ById::<E>::new(id)).await?)
}

/// Loads one row by id at once, without the loader's batch window: for a lookup that has nothing
/// to batch with, such as a root field asking for one object.
pub async fn by_id_now<E>(ctx: &Context<'_>, id: i32) -> Result<Option<E::Model>>
where
    E: Keyed + 'static,
    E::Model: Clone + Send + Sync + 'static,
{
    let key = ById::<E>::new(id);
    Ok(loader(ctx)?.loader().load(&[key]).await?.remove(&key))
}

/// Loads an optional foreign-key target.
pub async fn maybe_by_id<E>(ctx: &Context<'_>, id: Option<i32>) -> Result<Option<E::Model>>
where
    E: Keyed + 'static,
    E::Model: Clone + Send + Sync + 'static,
{
    match id {
        Some(id) => by_id::<E>(ctx, id).await,
        None => Ok(None),
    }
}

/// Loads many rows by id, in the order asked, skipping ids that do not exist.
pub async fn many_by_id<E>(ctx: &Context<'_>, ids: impl IntoIterator<Item = i32>) -> Result<HashMap<i32, E::Model>>
where
    E: Keyed + 'static,
    E::Model: Clone + Send + Sync + 'static,
{
    let found = loader(ctx)?.load_many(ids.into_iter().map(ById::<E>::new)).await?;
    Ok(found.into_iter().map(|(key, model)| (key.0, model)).collect())
}

/// Loads the children of `parent_id` along the foreign key `F`.
pub async fn children<F>(ctx: &Context<'_>, parent_id: i32) -> Result<Vec<<F::Entity as EntityTrait>::Model>>
where
    F: ForeignKey,
    <F::Entity as EntityTrait>::Model: Clone + Send + Sync + 'static,
{
    Ok(relation_loader(ctx)?.load_one(HasMany::<F>::new(parent_id)).await?.unwrap_or_default())
}

/// Loads the newest `limit` children of `parent_id` along `F`, newest first.
pub async fn latest_children<F>(
    ctx: &Context<'_>,
    parent_id: i32,
    limit: u64,
) -> Result<Vec<<F::Entity as EntityTrait>::Model>>
where
    F: ForeignKey,
    <F::Entity as EntityTrait>::Model: Clone + Send + Sync + 'static,
{
    let key = Latest::<F> { parent_id, limit, _along: PhantomData };
    Ok(relation_loader(ctx)?.load_one(key).await?.unwrap_or_default())
}

/// Runs the relation loader's batch for all `keys` at once and keeps the result in the request's
/// cache, so each item's own field finds its value there instead of waiting on a batch window.
/// Returns the ids of the rows loaded, to prime their relations in turn. A request that does not
/// cache loads nothing ahead: its fields load as usual.
async fn prime<K, M>(ctx: &Context<'_>, keys: Vec<K>, id_of: impl Fn(&M) -> i32) -> Result<Vec<i32>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    DbLoader: Loader<K, Value = Vec<M>, Error = Arc<DbErr>>,
{
    let loaders = loaders(ctx)?;
    if !loaders.cached || keys.is_empty() {
        return Ok(Vec::new());
    }
    let values = loaders.relations.loader().load(&keys).await?;
    let ids = values.values().flatten().map(id_of).collect();
    loaders.relations.feed_many(values).await;
    Ok(ids)
}

/// Loads the children along `F` of all `parent_ids` ahead (see `prime`).
pub async fn prime_children<F>(ctx: &Context<'_>, parent_ids: &[i32]) -> Result<Vec<i32>>
where
    F: ForeignKey,
    <F::Entity as EntityTrait>::Model: Clone + Send + Sync + 'static,
{
    prime(ctx, parent_ids.iter().map(|id| HasMany::<F>::new(*id)).collect(), F::Entity::id_of).await
}

/// Loads the newest `limit` children along `F` of all `parent_ids` ahead (see `prime`).
pub async fn prime_latest<F>(ctx: &Context<'_>, parent_ids: &[i32], limit: u64) -> Result<Vec<i32>>
where
    F: ForeignKey,
    <F::Entity as EntityTrait>::Model: Clone + Send + Sync + 'static,
{
    let keys = parent_ids.iter().map(|id| Latest::<F> { parent_id: *id, limit, _along: PhantomData }).collect();
    prime(ctx, keys, F::Entity::id_of).await
}

/// Loads the targets linked through `L` to all `owner_ids` ahead (see `prime`).
pub async fn prime_linked<L>(ctx: &Context<'_>, owner_ids: &[i32]) -> Result<Vec<i32>>
where
    L: LinkTable,
    <L::Link as EntityTrait>::Model: FromRows + Send + Sync,
    <L::Target as EntityTrait>::Model: Clone + Send + Sync + 'static,
{
    prime(ctx, owner_ids.iter().map(|id| Linked::<L>::new(*id)).collect(), |row: &Arc<_>| L::Target::id_of(row)).await
}

/// Each selection of `field` (one per alias): its arguments, with variables resolved, and what it
/// selects, so that what one alias asks for is loaded for that alias alone.
#[allow(clippy::type_complexity)]
pub fn selections_of<'a>(
    selection: &async_graphql::Lookahead<'a>,
    field: &str,
) -> Result<Vec<(Vec<(async_graphql::Name, async_graphql::Value)>, async_graphql::Lookahead<'a>)>> {
    selection
        .field(field)
        .selection_fields()
        .into_iter()
        .map(|selected| {
            let arguments = selected.arguments().map_err(|e| crate::error::AppError::bad_input(field, e.message))?;
            Ok((arguments, async_graphql::Lookahead::from(selected)))
        })
        .collect()
}

/// Implements [`Keyed`] and [`Versioned`] for entities with `id`, `version` and `updated_at` columns.
#[macro_export]
macro_rules! keyed {
    ($($module:ident),+ $(,)?) => {
        $(
            impl $crate::engine::loader::Keyed for entity::$module::Entity {
                fn id_column() -> Self::Column {
                    entity::$module::Column::Id
                }
                fn id_of(model: &Self::Model) -> i32 {
                    model.id
                }
            }
            impl $crate::engine::loader::Versioned for entity::$module::Entity {
                fn version_column() -> Self::Column {
                    entity::$module::Column::Version
                }
                fn updated_at_column() -> Self::Column {
                    entity::$module::Column::UpdatedAt
                }
            }
        )+
    };
}

keyed!(
    champion_term,
    contact,
    country,
    document,
    event,
    event_participant,
    feedback,
    follow_up_action,
    guide_section,
    guide_version,
    milestone,
    pilot,
    planned_use,
    revision,
    revision_feedback,
    revision_section,
    role_assignment,
    stakeholder,
    user_account
);

/// A many-to-many link table `owner ↔ target` (e.g. feedback ↔ section).
pub trait LinkTable: 'static {
    type Link: EntityTrait;
    type Target: Keyed;
    fn owner_column() -> <Self::Link as EntityTrait>::Column;
    fn target_column() -> <Self::Link as EntityTrait>::Column;
    fn owner_of(link: &<Self::Link as EntityTrait>::Model) -> i32;
    fn target_of(link: &<Self::Link as EntityTrait>::Model) -> i32;
}

phantom_key!(Linked, LinkTable);

impl<L> Loader<Linked<L>> for DbLoader
where
    L: LinkTable,
    <L::Link as EntityTrait>::Model: FromRows + Send + Sync,
    <L::Target as EntityTrait>::Model: Clone + Send + Sync + 'static,
{
    /// Shared: many owners link to the same few targets (500 feedback items to 80 sections).
    type Value = Vec<Arc<<L::Target as EntityTrait>::Model>>;
    type Error = Arc<DbErr>;

    /// Two queries for any number of owners: the links, then their targets.
    async fn load(&self, keys: &[Linked<L>]) -> Result<HashMap<Linked<L>, Self::Value>, Self::Error> {
        let mut links =
            fetch_all(&self.db, L::Link::find().filter(L::owner_column().is_in(keys.iter().map(|key| key.0)))).await?;
        let target_ids: std::collections::HashSet<i32> = links.iter().map(L::target_of).collect();
        let select =
            L::Target::find().filter(L::Target::id_column().is_in(target_ids)).order_by_asc(L::Target::id_column());
        let targets: HashMap<i32, Arc<<L::Target as EntityTrait>::Model>> = fetch_all(&self.db, select)
            .await?
            .into_iter()
            .map(|model| (L::Target::id_of(&model), Arc::new(model)))
            .collect();
        let mut grouped: HashMap<Linked<L>, Self::Value> = keys.iter().map(|key| (*key, Vec::new())).collect();
        links.sort_by_key(|link| (L::owner_of(link), L::target_of(link)));
        for link in links {
            if let Some(target) = targets.get(&L::target_of(&link)) {
                grouped.entry(Linked::new(L::owner_of(&link))).or_default().push(Arc::clone(target));
            }
        }
        Ok(grouped)
    }
}

/// Loads the targets linked to `owner_id` through `L`, ordered by target id. The rows are shared
/// with the request's cache; `Arc::unwrap_or_clone` gives an owned one.
pub async fn linked<L>(ctx: &Context<'_>, owner_id: i32) -> Result<Vec<Arc<<L::Target as EntityTrait>::Model>>>
where
    L: LinkTable,
    <L::Link as EntityTrait>::Model: FromRows + Send + Sync,
    <L::Target as EntityTrait>::Model: Clone + Send + Sync + 'static,
{
    Ok(relation_loader(ctx)?.load_one(Linked::<L>::new(owner_id)).await?.unwrap_or_default())
}

/// Makes `owner_id`'s links through `L` exactly `target_ids` (inside the caller's transaction).
pub async fn replace_links<L: LinkTable>(db: &impl ConnectionTrait, owner_id: i32, target_ids: &[i32]) -> Result<()> {
    L::Link::delete_many().filter(L::owner_column().eq(owner_id)).exec(db).await?;
    if target_ids.is_empty() {
        return Ok(());
    }
    let mut insert = sea_orm::sea_query::Query::insert();
    insert.into_table(L::Link::default()).columns([L::owner_column(), L::target_column()]);
    for target in target_ids {
        insert.values([owner_id.into(), (*target).into()]).map_err(crate::error::AppError::internal)?;
    }
    db.execute(&insert).await?;
    Ok(())
}

/// Fresh loaders for one request (or one WebSocket connection): they batch its loads without
/// mixing them, or their failures, with other requests'. With `cached`, a row or relation loaded
/// once is reused for the rest of the request, and connections may load their items' relations
/// ahead (see [`prime_children`]); only a read-only HTTP request may use that, since a
/// WebSocket connection lives on and a mutation changes what was loaded.
pub fn request_loader(db: &RequestDb, cached: bool) -> RequestLoaders {
    let new = || DataLoader::with_cache(DbLoader::new(db.clone()), tokio::spawn, HashMapCache::default());
    let loaders = RequestLoaders { by_key: new(), relations: new().delay(RELATION_WINDOW), cached };
    loaders.by_key.enable_all_cache(cached);
    loaders.relations.enable_all_cache(cached);
    loaders
}

/// How long a relation loader waits after the first key before querying (see `RequestLoaders`).
const RELATION_WINDOW: std::time::Duration = std::time::Duration::from_millis(5);
