//! Synthetic data for benchmarks and load tests: countries, Champions, sections, role
//! assignments, feedback on one or two sections each, events, planned uses, milestones and
//! pilots, in the sizes asked for. The same seed gives the same data. Rows are written with
//! explicit keys in multi-row inserts, one transaction per table, so 100,000 feedback items load
//! in seconds. Everything it writes says `ILLUSTRATIVE` and carries [`SYNTHETIC_NOTE`].

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::{Datelike, NaiveDate, NaiveTime, TimeZone, Utc};
use entity::champion_term::{self, ChampionTermKind};
use entity::common::{DatePrecision, Provenance};
use entity::event::EventKind;
use entity::event_participant::ParticipationRole;
use entity::feedback::{FeedbackChannel, FeedbackKind, FeedbackStatus};
use entity::guide_section::SectionKind;
use entity::milestone::MilestoneStatus;
use entity::pilot::PilotStatus;
use entity::planned_use::{PlannedUseKind, PlannedUseStatus};
use entity::role_assignment::{ChampionRole, RoleStatus};
use entity::{
    country, event, event_participant, event_section, feedback, feedback_section, guide_section, guide_version,
    milestone, pilot, planned_use, planned_use_section, role_assignment, stakeholder,
};
use indicatif::{ProgressBar, ProgressStyle};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, Iterable,
    QueryFilter, QuerySelect, Set, TransactionTrait,
};

/// The `source_note` of every synthetic row: how a second load is detected and refused.
pub const SYNTHETIC_NOTE: &str = "Synthetic benchmark data";
/// The day the synthetic history is built around (not today, so a seed gives the same data on
/// any day); events and milestones run up to two years past it.
const ANCHOR: (i32, u32, u32) = (2026, 6, 30);
/// Rows per INSERT: well under SQLite's 32,766 bound variables for the widest table.
const BATCH: usize = 1_000;

#[derive(Clone, Debug)]
pub struct SyntheticSizes {
    pub countries: usize,
    pub champions: usize,
    pub sections: usize,
    pub roles: usize,
    pub feedback: usize,
    pub events: usize,
    pub planned_uses: usize,
    pub milestones: usize,
    pub pilots: usize,
    pub seed: u64,
}

impl Default for SyntheticSizes {
    fn default() -> Self {
        Self {
            countries: 200,
            champions: 60,
            sections: 80,
            roles: 300,
            feedback: 100_000,
            events: 500,
            planned_uses: 600,
            milestones: 100,
            pilots: 120,
            seed: 42,
        }
    }
}

/// What a load wrote, and how long it took.
#[derive(Debug, Default)]
pub struct SyntheticReport {
    pub countries_added: usize,
    pub champions: usize,
    pub sections_added: usize,
    pub roles: usize,
    pub feedback: usize,
    pub feedback_sections: usize,
    pub events: usize,
    pub planned_uses: usize,
    pub milestones: usize,
    pub pilots: usize,
    pub elapsed: Duration,
}

/// Loads the synthetic data set on top of the demo structure (documents, versions, sections),
/// which must be loaded first. Refuses to load twice into one database.
pub async fn load_synthetic(db: &DatabaseConnection, sizes: &SyntheticSizes) -> anyhow::Result<SyntheticReport> {
    let started = Instant::now();
    let already = feedback::Entity::find().filter(feedback::Column::SourceNote.eq(SYNTHETIC_NOTE)).one(db).await?;
    if already.is_some() {
        bail!("this database already holds synthetic data; load it into a fresh database");
    }
    if sizes.countries == 0 || sizes.champions == 0 {
        bail!("--countries and --champions must be at least 1");
    }
    if sizes.champions > sizes.countries {
        bail!("--champions ({}) cannot exceed --countries ({})", sizes.champions, sizes.countries);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(sizes.seed);
    let mut report = SyntheticReport::default();

    let countries = ensure_countries(db, sizes.countries, &mut report).await?;
    let champions = choose_champions(db, &countries, sizes.champions, &mut rng).await?;
    report.champions = champions.len();
    ensure_sections(db, sizes.sections, &mut report).await?;
    let world = World::load(db, countries, champions).await?;

    report.roles = insert_roles(db, &world, sizes.roles, &mut rng).await?;
    report.events = insert_events(db, &world, sizes.events, &mut rng).await?;
    report.pilots = insert_pilots(db, &world, sizes.pilots, &mut rng).await?;
    report.planned_uses = insert_planned_uses(db, &world, sizes.planned_uses, &mut rng).await?;
    report.milestones = insert_milestones(db, &world, sizes.milestones, &mut rng).await?;
    let (feedback, links) = insert_feedback(db, &world, sizes.feedback, &mut rng).await?;
    report.feedback = feedback;
    report.feedback_sections = links;
    refresh_statistics(db).await?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// After a bulk load the planner knows nothing of the new rows until autovacuum gets round to
/// them, mid-benchmark: gather the statistics now (and, on PostgreSQL, the visibility map that
/// index-only scans rely on).
async fn refresh_statistics(db: &DatabaseConnection) -> anyhow::Result<()> {
    let statement = match db.get_database_backend() {
        DatabaseBackend::Postgres => "VACUUM ANALYZE",
        _ => "ANALYZE",
    };
    db.execute_unprepared(statement).await.context("refreshing the planner's statistics")?;
    Ok(())
}

/// What the generators pick from.
struct World {
    countries: Vec<i32>,
    champions: Vec<i32>,
    stakeholders: Vec<i32>,
    /// Released versions with the sections present in each.
    versions: Vec<(guide_version::Model, Vec<i32>)>,
    sections: Vec<i32>,
    /// The anchor day: "now" for the synthetic history.
    today: NaiveDate,
}

impl World {
    async fn load(db: &DatabaseConnection, countries: Vec<i32>, champions: Vec<i32>) -> anyhow::Result<Self> {
        let stakeholders = stakeholder::Entity::find().all(db).await?.into_iter().map(|s| s.id).collect();
        let all_versions = guide_version::Entity::find().all(db).await?;
        let released_on: HashMap<i32, NaiveDate> = all_versions.iter().map(|v| (v.id, v.released_on)).collect();
        let sections = guide_section::Entity::find().all(db).await?;
        let mut versions = Vec::new();
        for version in all_versions.into_iter().filter(|v| v.is_released) {
            let present: Vec<i32> = sections
                .iter()
                .filter(|s| s.document_id == version.document_id && s.retired_in_id.is_none())
                .filter(|s| {
                    s.introduced_in_id.and_then(|id| released_on.get(&id)).is_none_or(|d| *d <= version.released_on)
                })
                .map(|s| s.id)
                .collect();
            if !present.is_empty() {
                versions.push((version, present));
            }
        }
        if versions.is_empty() || champions.is_empty() {
            bail!("load the demo structure first (seed --demo): no released version or no Champion");
        }
        Ok(Self {
            countries,
            champions,
            stakeholders,
            versions,
            sections: sections.iter().map(|s| s.id).collect(),
            today: NaiveDate::from_ymd_opt(ANCHOR.0, ANCHOR.1, ANCHOR.2).context("anchor date")?,
        })
    }

    fn day_between(&self, rng: &mut ChaCha8Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(0);
        from + chrono::Days::new(rng.random_range(0..=span) as u64)
    }
}

fn progress(label: &'static str, total: usize) -> ProgressBar {
    let bar = ProgressBar::new(total as u64);
    let style = ProgressStyle::with_template("{prefix:>18} [{bar:40}] {pos}/{len} {elapsed}")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_prefix(label);
    bar
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    *items.choose(rng).expect("non-empty choice")
}

/// One of `choices`, each as likely as its weight (weights sum to 100).
fn weighted<T: Copy>(rng: &mut ChaCha8Rng, choices: &[(T, u32)]) -> T {
    let mut roll = rng.random_range(0..100);
    for (choice, weight) in choices {
        if roll < *weight {
            return *choice;
        }
        roll -= weight;
    }
    choices[choices.len() - 1].0
}

fn variants<E: Iterable>() -> Vec<E> {
    E::iter().collect()
}

/// The next free primary key of `E`.
async fn next_id<E: EntityTrait>(db: &impl ConnectionTrait, id: E::Column) -> anyhow::Result<i32> {
    let max: Option<Option<i32>> =
        E::find().select_only().column_as(Expr::expr(Func::max(Expr::col(id))), "m").into_tuple().one(db).await?;
    Ok(max.flatten().unwrap_or(0) + 1)
}

/// After inserting explicit keys, moves PostgreSQL's sequence past them (SQLite needs nothing).
async fn sync_sequence(db: &impl ConnectionTrait, table: &str) -> anyhow::Result<()> {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
        ))
        .await?;
    }
    Ok(())
}

/// Inserts `rows` in multi-row statements, advancing `bar`.
async fn insert_all<A>(db: &impl ConnectionTrait, rows: Vec<A>, bar: &ProgressBar) -> anyhow::Result<()>
where
    A: ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(BATCH).collect();
        let n = chunk.len();
        <A::Entity as EntityTrait>::insert_many(chunk).exec_without_returning(db).await?;
        bar.inc(n as u64);
    }
    Ok(())
}

/// The UN Member States plus, beyond 193, user-assigned codes (`XAA`…) named as synthetic.
async fn ensure_countries(
    db: &DatabaseConnection,
    wanted: usize,
    report: &mut SyntheticReport,
) -> anyhow::Result<Vec<i32>> {
    let mut existing = country::Entity::find().all(db).await?;
    existing.sort_by_key(|c| c.id);
    let taken: HashSet<String> = existing.iter().map(|c| c.iso3.clone()).collect();
    let now = Utc::now();
    // User-assigned ISO codes (XAA…XAZ, XA…XZ) cannot clash with a real country.
    let extra: Vec<country::ActiveModel> = ('A'..='Z')
        .map(|letter| (format!("XA{letter}"), format!("X{letter}")))
        .filter(|(iso3, _)| !taken.contains(iso3))
        .take(wanted.saturating_sub(existing.len()))
        .enumerate()
        .map(|(i, (iso3, iso2))| country::ActiveModel {
            iso3: Set(iso3.clone()),
            iso2: Set(iso2),
            name: Set(format!("Synthetic country {iso3}")),
            official_name: Set(format!("Synthetic country {iso3}")),
            region: Set(["Africa", "Americas", "Asia", "Europe", "Oceania"][i % 5].to_owned()),
            subregion: Set(None),
            is_champion: Set(false),
            champion_since: Set(None),
            champion_provenance: Set(None),
            champion_note: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        })
        .collect();
    report.countries_added = extra.len();
    if !extra.is_empty() {
        country::Entity::insert_many(extra).exec_without_returning(db).await?;
    }
    let mut all: Vec<i32> = country::Entity::find().all(db).await?.into_iter().map(|c| c.id).collect();
    all.sort_unstable();
    all.truncate(wanted);
    Ok(all)
}

/// Keeps the existing Champions and makes more, chosen by the seed, up to `wanted`.
async fn choose_champions(
    db: &DatabaseConnection,
    countries: &[i32],
    wanted: usize,
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<Vec<i32>> {
    let current: Vec<i32> = country::Entity::find()
        .filter(country::Column::IsChampion.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let mut candidates: Vec<i32> = countries.iter().copied().filter(|id| !current.contains(id)).collect();
    candidates.shuffle(rng);
    let new: Vec<i32> = candidates.into_iter().take(wanted.saturating_sub(current.len())).collect();
    if !new.is_empty() {
        country::Entity::update_many()
            .col_expr(country::Column::IsChampion, Expr::value(true))
            .col_expr(country::Column::ChampionSince, Expr::value(NaiveDate::from_ymd_opt(2021, 1, 1)))
            .col_expr(country::Column::ChampionSincePrecision, Expr::value(DatePrecision::Day))
            .col_expr(country::Column::ChampionProvenance, Expr::value(Provenance::Illustrative))
            .col_expr(country::Column::ChampionNote, Expr::value(SYNTHETIC_NOTE))
            .filter(country::Column::Id.is_in(new.clone()))
            .exec(db)
            .await?;
        // The roster's record of each, as the country rows now say.
        let now = Utc::now();
        let terms = new.iter().map(|&country_id| champion_term::ActiveModel {
            country_id: Set(country_id),
            kind: Set(ChampionTermKind::Champion),
            started_on: Set(NaiveDate::from_ymd_opt(2021, 1, 1)),
            started_precision: Set(Some(DatePrecision::Day)),
            ended_on: Set(None),
            ended_precision: Set(None),
            end_reason: Set(None),
            note: Set(Some(SYNTHETIC_NOTE.to_owned())),
            provenance: Set(Provenance::Illustrative),
            source_note: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        });
        champion_term::Entity::insert_many(terms).exec_without_returning(db).await?;
    }
    Ok(current.into_iter().chain(new).collect())
}

/// Adds synthetic sub-sections under the Guide's parts until the documents hold `wanted` sections.
async fn ensure_sections(db: &DatabaseConnection, wanted: usize, report: &mut SyntheticReport) -> anyhow::Result<()> {
    let sections = guide_section::Entity::find().all(db).await?;
    let parts: Vec<&guide_section::Model> = sections.iter().filter(|s| s.kind == SectionKind::Part).collect();
    if sections.len() >= wanted || parts.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let rows: Vec<guide_section::ActiveModel> = (0..wanted - sections.len())
        .map(|i| {
            let part = parts[i % parts.len()];
            guide_section::ActiveModel {
                document_id: Set(part.document_id),
                code: Set(format!("{}.S{:03}", part.code, i + 1)),
                title: Set(format!("Synthetic section {} of part {}", i + 1, part.code)),
                title_fr: Set(None),
                title_es: Set(None),
                kind: Set(SectionKind::Section),
                parent_id: Set(Some(part.id)),
                position: Set(100 + i as i32),
                summary: Set(None),
                introduced_in_id: Set(None),
                retired_in_id: Set(None),
                provenance: Set(Provenance::Illustrative),
                source_note: Set(Some(SYNTHETIC_NOTE.to_owned())),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
        })
        .collect();
    report.sections_added = rows.len();
    #[allow(clippy::disallowed_methods)] // Synthetic data for load tests, loaded in bulk.
    let txn = db.begin().await?;
    insert_all(&txn, rows, &ProgressBar::hidden()).await?;
    txn.commit().await?;
    Ok(())
}

/// Role assignments over Champion × role pairs: the first of a pair is open (unless the pair
/// already has an open one), later ones ended before it started.
async fn insert_roles(
    db: &DatabaseConnection,
    world: &World,
    count: usize,
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<usize> {
    let open_now: HashSet<(i32, ChampionRole)> = role_assignment::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|r| r.status.is_open())
        .map(|r| (r.country_id, r.role))
        .collect();
    let mut pairs: Vec<(i32, ChampionRole)> =
        world.champions.iter().flat_map(|c| variants::<ChampionRole>().into_iter().map(move |r| (*c, r))).collect();
    pairs.shuffle(rng);
    let now = Utc::now();
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).context("date")?;
    let rows: Vec<role_assignment::ActiveModel> = (0..count)
        .map(|i| {
            let (country_id, role) = pairs[i % pairs.len()];
            let round = i / pairs.len();
            let open = round == 0 && !open_now.contains(&(country_id, role));
            let started = world.day_between(rng, start, world.today);
            let (status, started_on, ended_on) = if open {
                (pick(rng, &[RoleStatus::Proposed, RoleStatus::Committed, RoleStatus::Active]), Some(started), None)
            } else {
                let begun = start - chrono::Days::new(400 * (round as u64 + 1));
                let ended = begun + chrono::Days::new(rng.random_range(30..365));
                (pick(rng, &[RoleStatus::Completed, RoleStatus::Withdrawn]), Some(begun), Some(ended))
            };
            role_assignment::ActiveModel {
                country_id: Set(country_id),
                role: Set(role),
                status: Set(status),
                started_on: Set(started_on),
                ended_on: Set(ended_on),
                notes: Set(Some(SYNTHETIC_NOTE.to_owned())),
                provenance: Set(Provenance::Illustrative),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
        })
        .collect();
    #[allow(clippy::disallowed_methods)] // Synthetic data for load tests, loaded in bulk.
    let txn = db.begin().await?;
    insert_all(&txn, rows, &progress("role assignments", count)).await?;
    txn.commit().await?;
    Ok(count)
}

async fn insert_events(
    db: &DatabaseConnection,
    world: &World,
    count: usize,
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<usize> {
    let first_id = next_id::<event::Entity>(db, event::Column::Id).await?;
    let now = Utc::now();
    let (from, to) = (NaiveDate::from_ymd_opt(2020, 1, 1).context("date")?, world.today + chrono::Days::new(700));
    let kinds = variants::<EventKind>();
    let mut events = Vec::with_capacity(count);
    let mut participants = Vec::new();
    let mut sections = Vec::new();
    for i in 0..count {
        let id = first_id + i as i32;
        let starts_on = world.day_between(rng, from, to);
        events.push(event::ActiveModel {
            id: Set(id),
            title: Set(format!("Synthetic event {}", i + 1)),
            kind: Set(pick(rng, &kinds)),
            starts_on: Set(starts_on),
            ends_on: Set(rng.random_bool(0.3).then(|| starts_on + chrono::Days::new(rng.random_range(1..4)))),
            date_precision: Set(DatePrecision::Day),
            location: Set(None),
            online: Set(rng.random_bool(0.5)),
            organizer: Set(None),
            description: Set(None),
            provenance: Set(Provenance::Illustrative),
            source_note: Set(Some(SYNTHETIC_NOTE.to_owned())),
            held_on: Set(None),
            attendee_count: Set(None),
            outcome_report: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        });
        let mut seen = HashSet::new();
        for _ in 0..rng.random_range(1..=4) {
            let country_id = pick(rng, &world.champions);
            if seen.insert(country_id) {
                participants.push(event_participant::ActiveModel {
                    event_id: Set(id),
                    country_id: Set(Some(country_id)),
                    stakeholder_id: Set(None),
                    role: Set(pick(
                        rng,
                        &[ParticipationRole::Host, ParticipationRole::Speaker, ParticipationRole::Attendee],
                    )),
                    created_at: Set(now),
                    updated_at: Set(now),
                    version: Set(1),
                    ..Default::default()
                });
            }
        }
        let mut linked = HashSet::new();
        for _ in 0..rng.random_range(1..=3) {
            let section_id = pick(rng, &world.sections);
            if linked.insert(section_id) {
                sections.push(event_section::ActiveModel { event_id: Set(id), section_id: Set(section_id) });
            }
        }
    }
    #[allow(clippy::disallowed_methods)] // Synthetic data for load tests, loaded in bulk.
    let txn = db.begin().await?;
    insert_all(&txn, events, &progress("events", count)).await?;
    insert_all(&txn, participants, &ProgressBar::hidden()).await?;
    insert_all(&txn, sections, &ProgressBar::hidden()).await?;
    sync_sequence(&txn, "event").await?;
    txn.commit().await?;
    Ok(count)
}

async fn insert_pilots(
    db: &DatabaseConnection,
    world: &World,
    count: usize,
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<usize> {
    let now = Utc::now();
    let statuses = variants::<PilotStatus>();
    let rows: Vec<pilot::ActiveModel> = (0..count)
        .map(|i| {
            let (version, _) = &world.versions[rng.random_range(0..world.versions.len())];
            let started_on = world.day_between(rng, version.released_on, world.today);
            let status = pick(rng, &statuses);
            let ended_on = matches!(status, PilotStatus::Completed | PilotStatus::Cancelled)
                .then(|| started_on + chrono::Days::new(rng.random_range(30..240)));
            pilot::ActiveModel {
                country_id: Set(pick(rng, &world.champions)),
                guide_version_id: Set(version.id),
                title: Set(format!("Synthetic pilot {}", i + 1)),
                status: Set(status),
                started_on: Set(Some(started_on)),
                ended_on: Set(ended_on),
                summary: Set(None),
                outcome: Set(None),
                provenance: Set(Provenance::Illustrative),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
        })
        .collect();
    #[allow(clippy::disallowed_methods)] // Synthetic data for load tests, loaded in bulk.
    let txn = db.begin().await?;
    insert_all(&txn, rows, &progress("pilots", count)).await?;
    txn.commit().await?;
    Ok(count)
}

async fn insert_planned_uses(
    db: &DatabaseConnection,
    world: &World,
    count: usize,
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<usize> {
    let first_id = next_id::<planned_use::Entity>(db, planned_use::Column::Id).await?;
    let now = Utc::now();
    let (kinds, statuses) = (variants::<PlannedUseKind>(), variants::<PlannedUseStatus>());
    let (from, to) = (NaiveDate::from_ymd_opt(2021, 1, 1).context("date")?, world.today + chrono::Days::new(900));
    let mut rows = Vec::with_capacity(count);
    let mut links = Vec::new();
    for i in 0..count {
        let id = first_id + i as i32;
        let target_date = rng.random_bool(0.9).then(|| world.day_between(rng, from, to));
        rows.push(planned_use::ActiveModel {
            id: Set(id),
            country_id: Set(pick(rng, &world.champions)),
            kind: Set(pick(rng, &kinds)),
            description: Set(format!("Synthetic planned use {}", i + 1)),
            status: Set(pick(rng, &statuses)),
            target_date: Set(target_date),
            target_precision: Set(target_date.map(|_| DatePrecision::Day)),
            provenance: Set(Provenance::Illustrative),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        });
        let first = pick(rng, &world.sections);
        links.push(planned_use_section::ActiveModel { planned_use_id: Set(id), section_id: Set(first) });
    }
    #[allow(clippy::disallowed_methods)] // Synthetic data for load tests, loaded in bulk.
    let txn = db.begin().await?;
    insert_all(&txn, rows, &progress("planned uses", count)).await?;
    insert_all(&txn, links, &ProgressBar::hidden()).await?;
    sync_sequence(&txn, "planned_use").await?;
    txn.commit().await?;
    Ok(count)
}

async fn insert_milestones(
    db: &DatabaseConnection,
    world: &World,
    count: usize,
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<usize> {
    let now = Utc::now();
    let statuses = variants::<MilestoneStatus>();
    let (from, to) = (NaiveDate::from_ymd_opt(2020, 6, 1).context("date")?, world.today + chrono::Days::new(700));
    let rows: Vec<milestone::ActiveModel> = (0..count)
        .map(|i| {
            let due_on = world.day_between(rng, from, to);
            let status = pick(rng, &statuses);
            let done_on = (status == MilestoneStatus::Done).then_some(due_on.min(world.today));
            milestone::ActiveModel {
                title: Set(format!("Synthetic milestone {}", i + 1)),
                description: Set(None),
                due_on: Set(due_on),
                due_precision: Set(DatePrecision::Day),
                done_on: Set(done_on),
                status: Set(status),
                guide_version_id: Set(rng
                    .random_bool(0.5)
                    .then(|| world.versions[rng.random_range(0..world.versions.len())].0.id)),
                provenance: Set(Provenance::Illustrative),
                source_note: Set(Some(SYNTHETIC_NOTE.to_owned())),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
        })
        .collect();
    #[allow(clippy::disallowed_methods)] // Synthetic data for load tests, loaded in bulk.
    let txn = db.begin().await?;
    insert_all(&txn, rows, &progress("milestones", count)).await?;
    txn.commit().await?;
    Ok(count)
}

/// Feedback from Champions (most), other countries, stakeholders and collectives, each on one or
/// two sections of the version it was given on; about half of it answered.
async fn insert_feedback(
    db: &DatabaseConnection,
    world: &World,
    count: usize,
    rng: &mut ChaCha8Rng,
) -> anyhow::Result<(usize, usize)> {
    let first_id = next_id::<feedback::Entity>(db, feedback::Column::Id).await?;
    let events: Vec<i32> = event::Entity::find().select_only().column(event::Column::Id).into_tuple().all(db).await?;
    let now = Utc::now();
    let channels = [
        FeedbackChannel::WrittenComment,
        FeedbackChannel::TechnicalDiscussion,
        FeedbackChannel::OnlineDiscussion,
        FeedbackChannel::Bilateral,
        FeedbackChannel::Event,
    ];
    let kinds = variants::<FeedbackKind>();
    let statuses = [
        (FeedbackStatus::Received, 30),
        (FeedbackStatus::UnderReview, 20),
        (FeedbackStatus::Accepted, 20),
        (FeedbackStatus::PartiallyAccepted, 10),
        (FeedbackStatus::Declined, 10),
        (FeedbackStatus::Addressed, 10),
    ];
    let bar = progress("feedback", count);
    #[allow(clippy::disallowed_methods)] // Synthetic data for load tests, loaded in bulk.
    let txn = db.begin().await?;
    let mut links_total = 0;
    let mut done = 0;
    while done < count {
        let n = BATCH.min(count - done);
        let mut rows = Vec::with_capacity(n);
        let mut links = Vec::with_capacity(n * 2);
        for i in done..done + n {
            let id = first_id + i as i32;
            let (version, present) = &world.versions[rng.random_range(0..world.versions.len())];
            let received_on = world.day_between(
                rng,
                version.released_on,
                world.today.min(version.released_on + chrono::Days::new(500)),
            );
            let roll = rng.random_range(0..100);
            let (country_id, stakeholder_id, collective) = match roll {
                0..85 => (Some(pick(rng, &world.champions)), None, None),
                85..90 => (Some(pick(rng, &world.countries)), None, None),
                90..95 if !world.stakeholders.is_empty() => (None, Some(pick(rng, &world.stakeholders)), None),
                _ => (None, None, Some("Champions".to_owned())),
            };
            let status = weighted(rng, &statuses);
            let answered = !matches!(status, FeedbackStatus::Received | FeedbackStatus::UnderReview);
            let responded_at = answered.then(|| {
                let day = received_on + chrono::Days::new(rng.random_range(1..120));
                Utc.from_utc_datetime(&day.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default()))
            });
            let channel = if events.is_empty() { FeedbackChannel::WrittenComment } else { pick(rng, &channels) };
            rows.push(feedback::ActiveModel {
                id: Set(id),
                country_id: Set(country_id),
                stakeholder_id: Set(stakeholder_id),
                collective: Set(collective),
                channel: Set(channel),
                kind: Set(pick(rng, &kinds)),
                body: Set(format!("Synthetic feedback {} received in {}", i + 1, received_on.year())),
                language: Set(pick(rng, &["en", "en", "en", "fr", "es"]).to_owned()),
                guide_version_id: Set(version.id),
                pilot_id: Set(None),
                event_id: Set((channel == FeedbackChannel::Event).then(|| pick(rng, &events))),
                status: Set(status),
                response: Set(answered.then(|| "Synthetic response".to_owned())),
                responded_at: Set(responded_at),
                received_on: Set(received_on),
                received_precision: Set(DatePrecision::Day),
                submitted_by_id: Set(None),
                provenance: Set(Provenance::Illustrative),
                source_note: Set(Some(SYNTHETIC_NOTE.to_owned())),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
            });
            let first = pick(rng, present);
            links.push(feedback_section::ActiveModel { feedback_id: Set(id), section_id: Set(first) });
            if rng.random_bool(0.4) {
                let second = pick(rng, present);
                if second != first {
                    links.push(feedback_section::ActiveModel { feedback_id: Set(id), section_id: Set(second) });
                }
            }
        }
        links_total += links.len();
        feedback::Entity::insert_many(rows).exec_without_returning(&txn).await?;
        insert_all(&txn, links, &ProgressBar::hidden()).await?;
        done += n;
        bar.set_position(done as u64);
    }
    sync_sequence(&txn, "feedback").await?;
    txn.commit().await?;
    bar.finish();
    Ok((count, links_total))
}
