//! The demo data: facts from the two source documents (the guide's structure, its versions and
//! their dates, the 23 objectives, the 10 guiding principles, the Champion countries named in the
//! sources) plus a few records marked ILLUSTRATIVE in the data itself. Loading twice changes nothing.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use entity::champion_term::{self, ChampionTermKind};
use entity::common::{DatePrecision, Provenance};
use entity::document::DocumentKind;
use entity::event::EventKind;
use entity::feedback::{FeedbackChannel, FeedbackKind, FeedbackStatus};
use entity::guide_section::SectionKind;
use entity::guide_version::VersionStage;
use entity::milestone::MilestoneStatus;
use entity::planned_use::{PlannedUseKind, PlannedUseStatus};
use entity::revision::{RevisionKind, RevisionStatus};
use entity::revision_feedback::Disposition;
use entity::revision_section::{SectionChangeKind, SectionState};
use entity::role_assignment::{ChampionRole, RoleStatus};
use entity::stakeholder::StakeholderKind;
use entity::user_account::UserRole;
use entity::{
    country, document, event, event_participant, event_section, feedback, feedback_section, guide_section,
    guide_version, milestone, planned_use, planned_use_event, planned_use_section, revision, revision_feedback,
    revision_section, role_assignment, stakeholder, user_account,
};
use graphql::user::service::{NewUser, create_user_in};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use serde::Deserialize;

const DEMO_DATA: &str = include_str!("demo_data.json");

#[derive(Deserialize)]
struct DemoData {
    documents: Vec<DocumentData>,
    versions: Vec<VersionData>,
    champions: Vec<ChampionData>,
    stakeholders: Vec<StakeholderData>,
    accounts: Vec<AccountData>,
    events: Vec<EventData>,
    milestones: Vec<MilestoneData>,
    feedback: Vec<FeedbackData>,
    roles: Vec<RoleData>,
    planned_uses: Vec<PlannedUseData>,
    revisions: Vec<RevisionData>,
}

/// A change the Network decided on from the Champions' feedback, and the feedback behind it.
#[derive(Deserialize)]
struct RevisionData {
    document: DocumentKind,
    version: String,
    kind: RevisionKind,
    status: RevisionStatus,
    summary: String,
    details: String,
    decided_on: NaiveDate,
    sections: Vec<SectionChangeData>,
    feedback: Vec<DecisionData>,
    source_note: String,
}

#[derive(Deserialize)]
struct SectionChangeData {
    code: String,
    change: SectionChangeKind,
}

#[derive(Deserialize)]
struct DecisionData {
    /// The `key` of an entry of `feedback`.
    key: String,
    disposition: Disposition,
    rationale: String,
}

#[derive(Deserialize)]
struct EventData {
    title: String,
    kind: EventKind,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    precision: DatePrecision,
    location: Option<String>,
    online: bool,
    organizer: Option<String>,
    description: String,
    provenance: Provenance,
    source_note: String,
    /// Stakeholder names that hosted the event.
    hosts: Vec<String>,
    /// Codes of the sections discussed.
    sections: Vec<String>,
}

#[derive(Deserialize)]
struct MilestoneData {
    title: String,
    due_on: NaiveDate,
    precision: DatePrecision,
    done_on: Option<NaiveDate>,
    status: MilestoneStatus,
    /// Code of the Guide version it belongs to.
    version: Option<String>,
    description: String,
    source_note: String,
}

/// Requests the Champions made on the February 2021 draft, with what was done about each.
#[derive(Deserialize)]
struct FeedbackData {
    /// How revisions refer to this entry.
    key: String,
    body: String,
    kind: FeedbackKind,
    document: DocumentKind,
    sections: Vec<String>,
    status: FeedbackStatus,
    response: String,
    source_note: String,
}

#[derive(Deserialize)]
struct RoleData {
    iso3: String,
    role: ChampionRole,
    status: RoleStatus,
    started_on: Option<NaiveDate>,
    #[serde(default)]
    ended_on: Option<NaiveDate>,
    notes: String,
}

#[derive(Deserialize)]
struct PlannedUseData {
    iso3: String,
    kind: PlannedUseKind,
    description: String,
    status: PlannedUseStatus,
    target_date: Option<NaiveDate>,
    sections: Vec<String>,
    /// Titles of the events it is tied to.
    events: Vec<String>,
}

#[derive(Deserialize)]
struct DocumentData {
    kind: DocumentKind,
    title: String,
    description: String,
    sections: Vec<SectionData>,
}

#[derive(Deserialize)]
struct SectionData {
    code: String,
    title: String,
    kind: SectionKind,
    parent: Option<String>,
    provenance: Provenance,
    summary: Option<String>,
    source_note: Option<String>,
    introduced_in: Option<String>,
}

#[derive(Deserialize)]
struct VersionData {
    code: String,
    label: String,
    stage: VersionStage,
    released_on: NaiveDate,
    precision: DatePrecision,
    /// False for versions the sources only announce.
    released: bool,
    languages: String,
    notes: String,
    provenance: Provenance,
    source_note: String,
}

#[derive(Deserialize)]
struct ChampionData {
    iso3: String,
    since: Option<NaiveDate>,
    precision: DatePrecision,
    provenance: Provenance,
    note: String,
    /// Which of the facts are stand-ins, and where the others come from.
    source_note: Option<String>,
    co_chair: Option<CoChairData>,
}

#[derive(Deserialize)]
struct CoChairData {
    since: Option<NaiveDate>,
    precision: DatePrecision,
    note: String,
    source_note: Option<String>,
}

#[derive(Deserialize)]
struct StakeholderData {
    name: String,
    acronym: Option<String>,
    kind: StakeholderKind,
    country: Option<String>,
    provenance: Provenance,
    description: String,
    source_note: Option<String>,
}

#[derive(Deserialize)]
struct AccountData {
    email: String,
    name: String,
    role: UserRole,
    country: Option<String>,
}

/// An account the demo loader created just now, with its one-time password.
pub struct DemoAccount {
    pub email: String,
    pub role: UserRole,
    pub country: Option<String>,
    pub password: String,
}

/// Loads the demo data; returns the accounts created by this call (none on a second run).
pub async fn load_demo(db: &DatabaseConnection) -> anyhow::Result<Vec<DemoAccount>> {
    let data: DemoData = serde_json::from_str(DEMO_DATA).context("parsing the bundled demo data")?;
    #[allow(clippy::disallowed_methods)] // The demo loader writes reference records, not changes anyone made.
    let txn = db.begin().await?;
    for doc in &data.documents {
        let document_id = ensure_document(&txn, doc).await?;
        let versions = ensure_versions(&txn, document_id, &data.versions).await?;
        ensure_sections(&txn, document_id, &doc.sections, &versions).await?;
    }
    let countries: HashMap<String, i32> =
        country::Entity::find().all(&txn).await?.into_iter().map(|c| (c.iso3, c.id)).collect();
    for champion in &data.champions {
        ensure_champion(&txn, champion).await?;
    }
    for s in &data.stakeholders {
        ensure_stakeholder(&txn, s, &countries).await?;
    }
    let sections: HashMap<String, i32> =
        guide_section::Entity::find().all(&txn).await?.into_iter().map(|s| (s.code, s.id)).collect();
    let versions = versions_by_document(&txn).await?;
    for e in &data.events {
        ensure_event(&txn, e, &sections).await?;
    }
    for m in &data.milestones {
        ensure_milestone(&txn, m, &versions).await?;
    }
    for f in &data.feedback {
        ensure_feedback(&txn, f, &sections, &versions).await?;
    }
    for r in &data.roles {
        ensure_role(&txn, r, &countries).await?;
    }
    for p in &data.planned_uses {
        ensure_planned_use(&txn, p, &countries, &sections).await?;
    }
    for r in &data.revisions {
        ensure_revision(&txn, r, &data.feedback, &sections, &versions).await?;
    }
    txn.commit().await?;

    let mut created = Vec::new();
    for account in data.accounts {
        let exists = user_account::Entity::find()
            .filter(user_account::Column::Email.eq(account.email.clone()))
            .one(db)
            .await?
            .is_some();
        if exists {
            continue;
        }
        let password = uuid::Uuid::new_v4().simple().to_string()[..20].to_owned();
        // Reference accounts, like the demo's other records, have no audit rows.
        create_user_in(
            db,
            NewUser {
                email: account.email.clone(),
                display_name: Some(account.name),
                password: password.clone(),
                role: account.role,
                country_iso3: account.country.clone(),
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("creating demo account {}: {}", account.email, e.message()))?;
        created.push(DemoAccount { email: account.email, role: account.role, country: account.country, password });
    }
    Ok(created)
}

async fn ensure_document(db: &impl ConnectionTrait, doc: &DocumentData) -> anyhow::Result<i32> {
    if let Some(existing) = document::Entity::find().filter(document::Column::Kind.eq(doc.kind)).one(db).await? {
        return Ok(existing.id);
    }
    let now = Utc::now();
    let inserted = document::ActiveModel {
        kind: Set(doc.kind),
        title: Set(doc.title.clone()),
        description: Set(Some(doc.description.clone())),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(inserted.id)
}

/// Every version exists for both documents: Guide and Booklet were drafted, translated,
/// revised and published together.
async fn ensure_versions(
    db: &impl ConnectionTrait,
    document_id: i32,
    versions: &[VersionData],
) -> anyhow::Result<HashMap<String, i32>> {
    let mut ids: HashMap<String, i32> = guide_version::Entity::find()
        .filter(guide_version::Column::DocumentId.eq(document_id))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.code, v.id))
        .collect();
    for v in versions {
        if ids.contains_key(&v.code) {
            continue;
        }
        let now = Utc::now();
        let inserted = guide_version::ActiveModel {
            document_id: Set(document_id),
            code: Set(v.code.clone()),
            label: Set(v.label.clone()),
            stage: Set(v.stage),
            released_on: Set(v.released_on),
            released_on_precision: Set(v.precision),
            is_released: Set(v.released),
            released_at: Set(None),
            languages: Set(v.languages.clone()),
            notes: Set(Some(v.notes.clone())),
            provenance: Set(v.provenance),
            source_note: Set(Some(v.source_note.clone())),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(db)
        .await?;
        ids.insert(v.code.clone(), inserted.id);
    }
    Ok(ids)
}

async fn ensure_sections(
    db: &impl ConnectionTrait,
    document_id: i32,
    sections: &[SectionData],
    versions: &HashMap<String, i32>,
) -> anyhow::Result<()> {
    let mut ids: HashMap<String, i32> =
        guide_section::Entity::find().all(db).await?.into_iter().map(|s| (s.code, s.id)).collect();
    let mut positions: HashMap<Option<String>, i32> = HashMap::new();
    for s in sections {
        let position = positions.entry(s.parent.clone()).or_insert(0);
        *position += 1;
        if ids.contains_key(&s.code) {
            continue;
        }
        let parent_id = match &s.parent {
            Some(code) => Some(*ids.get(code).with_context(|| format!("section {} before its parent {code}", s.code))?),
            None => None,
        };
        let introduced_in_id = match &s.introduced_in {
            Some(code) => Some(*versions.get(code).with_context(|| format!("unknown version {code}"))?),
            None => None,
        };
        let now = Utc::now();
        let inserted = guide_section::ActiveModel {
            document_id: Set(document_id),
            code: Set(s.code.clone()),
            title: Set(s.title.clone()),
            title_fr: Set(None),
            title_es: Set(None),
            kind: Set(s.kind),
            parent_id: Set(parent_id),
            position: Set(*position),
            summary: Set(s.summary.clone()),
            introduced_in_id: Set(introduced_in_id),
            retired_in_id: Set(None),
            provenance: Set(s.provenance),
            source_note: Set(s.source_note.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(db)
        .await?;
        ids.insert(s.code.clone(), inserted.id);
    }
    Ok(())
}

async fn ensure_champion(db: &impl ConnectionTrait, champion: &ChampionData) -> anyhow::Result<()> {
    let found = country::Entity::find()
        .filter(country::Column::Iso3.eq(champion.iso3.clone()))
        .one(db)
        .await?
        .with_context(|| format!("Champion country {} is not a UN Member State in the data set", champion.iso3))?;
    let has_terms =
        champion_term::Entity::find().filter(champion_term::Column::CountryId.eq(found.id)).one(db).await?.is_some();
    if has_terms {
        return Ok(());
    }
    let term = |kind, since: Option<NaiveDate>, precision, note: &str, source_note: &Option<String>| {
        let now = Utc::now();
        champion_term::ActiveModel {
            country_id: Set(found.id),
            kind: Set(kind),
            started_on: Set(since),
            started_precision: Set(since.map(|_| precision)),
            ended_on: Set(None),
            ended_precision: Set(None),
            end_reason: Set(None),
            note: Set(Some(note.to_owned())),
            provenance: Set(champion.provenance),
            source_note: Set(source_note.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
    };
    let kind = ChampionTermKind::Champion;
    term(kind, champion.since, champion.precision, &champion.note, &champion.source_note).insert(db).await?;
    if let Some(co_chair) = &champion.co_chair {
        let kind = ChampionTermKind::CoChair;
        term(kind, co_chair.since, co_chair.precision, &co_chair.note, &co_chair.source_note).insert(db).await?;
    }
    // The country row says what its open CHAMPION term says (as the roster service keeps it).
    let version = found.version;
    let mut active: country::ActiveModel = found.into();
    active.is_champion = Set(true);
    active.champion_since = Set(champion.since);
    active.champion_since_precision = Set(champion.since.map(|_| champion.precision));
    active.champion_provenance = Set(Some(champion.provenance));
    active.champion_note = Set(Some(champion.note.clone()));
    active.updated_at = Set(Utc::now());
    active.version = Set(version + 1);
    active.update(db).await?;
    Ok(())
}

async fn ensure_stakeholder(
    db: &impl ConnectionTrait,
    s: &StakeholderData,
    countries: &HashMap<String, i32>,
) -> anyhow::Result<()> {
    let exists =
        stakeholder::Entity::find().filter(stakeholder::Column::Name.eq(s.name.clone())).one(db).await?.is_some();
    if exists {
        return Ok(());
    }
    let country_id = match &s.country {
        Some(iso3) => Some(*countries.get(iso3).with_context(|| format!("unknown country {iso3}"))?),
        None => None,
    };
    let now = Utc::now();
    stakeholder::ActiveModel {
        name: Set(s.name.clone()),
        acronym: Set(s.acronym.clone()),
        kind: Set(s.kind),
        country_id: Set(country_id),
        description: Set(Some(s.description.clone())),
        provenance: Set(s.provenance),
        source_note: Set(s.source_note.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// (document kind, version code) → version id.
async fn versions_by_document(db: &impl ConnectionTrait) -> anyhow::Result<HashMap<(DocumentKind, String), i32>> {
    let documents: HashMap<i32, DocumentKind> =
        document::Entity::find().all(db).await?.into_iter().map(|d| (d.id, d.kind)).collect();
    let mut out = HashMap::new();
    for v in guide_version::Entity::find().all(db).await? {
        if let Some(kind) = documents.get(&v.document_id) {
            out.insert((*kind, v.code), v.id);
        }
    }
    Ok(out)
}

fn section_ids(codes: &[String], sections: &HashMap<String, i32>) -> anyhow::Result<Vec<i32>> {
    codes.iter().map(|code| sections.get(code).copied().with_context(|| format!("unknown section {code}"))).collect()
}

fn timestamp(day: NaiveDate) -> chrono::DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc()
}

async fn ensure_event(db: &impl ConnectionTrait, e: &EventData, sections: &HashMap<String, i32>) -> anyhow::Result<()> {
    let exists = event::Entity::find().filter(event::Column::Title.eq(e.title.clone())).one(db).await?.is_some();
    if exists {
        return Ok(());
    }
    let now = Utc::now();
    let row = event::ActiveModel {
        title: Set(e.title.clone()),
        kind: Set(e.kind),
        starts_on: Set(e.starts_on),
        ends_on: Set(e.ends_on),
        date_precision: Set(e.precision),
        location: Set(e.location.clone()),
        online: Set(e.online),
        organizer: Set(e.organizer.clone()),
        description: Set(Some(e.description.clone())),
        provenance: Set(e.provenance),
        source_note: Set(Some(e.source_note.clone())),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for host in &e.hosts {
        let stakeholder = stakeholder::Entity::find()
            .filter(stakeholder::Column::Name.eq(host.clone()))
            .one(db)
            .await?
            .with_context(|| format!("unknown host {host}"))?;
        event_participant::ActiveModel {
            event_id: Set(row.id),
            country_id: Set(None),
            stakeholder_id: Set(Some(stakeholder.id)),
            role: Set(event_participant::ParticipationRole::Host),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    let links: Vec<event_section::ActiveModel> = section_ids(&e.sections, sections)?
        .into_iter()
        .map(|section_id| event_section::ActiveModel { event_id: Set(row.id), section_id: Set(section_id) })
        .collect();
    if !links.is_empty() {
        event_section::Entity::insert_many(links).exec_without_returning(db).await?;
    }
    Ok(())
}

async fn ensure_milestone(
    db: &impl ConnectionTrait,
    m: &MilestoneData,
    versions: &HashMap<(DocumentKind, String), i32>,
) -> anyhow::Result<()> {
    let exists =
        milestone::Entity::find().filter(milestone::Column::Title.eq(m.title.clone())).one(db).await?.is_some();
    if exists {
        return Ok(());
    }
    let guide_version_id = match &m.version {
        Some(code) => Some(
            *versions.get(&(DocumentKind::Guide, code.clone())).with_context(|| format!("unknown version {code}"))?,
        ),
        None => None,
    };
    let now = Utc::now();
    milestone::ActiveModel {
        title: Set(m.title.clone()),
        description: Set(Some(m.description.clone())),
        due_on: Set(m.due_on),
        due_precision: Set(m.precision),
        done_on: Set(m.done_on),
        status: Set(m.status),
        guide_version_id: Set(guide_version_id),
        provenance: Set(Provenance::Sourced),
        source_note: Set(Some(m.source_note.clone())),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

const CHAMPIONS: &str = "Champions";
/// The Champions' requests were made on the draft presented to them in February 2021.
const CHAMPIONS_DRAFT: &str = "2021-02-CHAMPIONS-DRAFT";

async fn ensure_feedback(
    db: &impl ConnectionTrait,
    f: &FeedbackData,
    sections: &HashMap<String, i32>,
    versions: &HashMap<(DocumentKind, String), i32>,
) -> anyhow::Result<()> {
    let exists = feedback::Entity::find()
        .filter(feedback::Column::Collective.eq(CHAMPIONS))
        .filter(feedback::Column::Body.eq(f.body.clone()))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(());
    }
    let version_id = *versions
        .get(&(f.document, CHAMPIONS_DRAFT.to_owned()))
        .with_context(|| format!("no {CHAMPIONS_DRAFT} version"))?;
    let discussion = event::Entity::find()
        .filter(event::Column::Kind.eq(EventKind::TechnicalDiscussion))
        .one(db)
        .await?
        .map(|e| e.id);
    let now = Utc::now();
    let feb_2021 = NaiveDate::from_ymd_opt(2021, 2, 1).context("valid date")?;
    let update_day = NaiveDate::from_ymd_opt(2021, 11, 3).context("valid date")?;
    let row = feedback::ActiveModel {
        country_id: Set(None),
        stakeholder_id: Set(None),
        collective: Set(Some(CHAMPIONS.to_owned())),
        channel: Set(FeedbackChannel::TechnicalDiscussion),
        kind: Set(f.kind),
        body: Set(f.body.clone()),
        language: Set("en".into()),
        guide_version_id: Set(version_id),
        pilot_id: Set(None),
        event_id: Set(discussion),
        status: Set(f.status),
        response: Set(Some(f.response.clone())),
        responded_at: Set(Some(timestamp(update_day))),
        received_on: Set(feb_2021),
        // The source says "in February 2021"; the day is not known.
        received_precision: Set(DatePrecision::Month),
        submitted_by_id: Set(None),
        provenance: Set(Provenance::Sourced),
        source_note: Set(Some(f.source_note.clone())),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let links: Vec<feedback_section::ActiveModel> = section_ids(&f.sections, sections)?
        .into_iter()
        .map(|section_id| feedback_section::ActiveModel { feedback_id: Set(row.id), section_id: Set(section_id) })
        .collect();
    feedback_section::Entity::insert_many(links).exec_without_returning(db).await?;
    Ok(())
}

async fn ensure_role(db: &impl ConnectionTrait, r: &RoleData, countries: &HashMap<String, i32>) -> anyhow::Result<()> {
    let country_id = *countries.get(&r.iso3).with_context(|| format!("unknown country {}", r.iso3))?;
    let exists = role_assignment::Entity::find()
        .filter(role_assignment::Column::CountryId.eq(country_id))
        .filter(role_assignment::Column::Role.eq(r.role))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(());
    }
    let now = Utc::now();
    role_assignment::ActiveModel {
        country_id: Set(country_id),
        role: Set(r.role),
        status: Set(r.status),
        started_on: Set(r.started_on),
        started_precision: Set(r.started_on.map(|_| DatePrecision::Day)),
        ended_on: Set(r.ended_on),
        notes: Set(Some(r.notes.clone())),
        provenance: Set(Provenance::Illustrative),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

async fn ensure_planned_use(
    db: &impl ConnectionTrait,
    p: &PlannedUseData,
    countries: &HashMap<String, i32>,
    sections: &HashMap<String, i32>,
) -> anyhow::Result<()> {
    let country_id = *countries.get(&p.iso3).with_context(|| format!("unknown country {}", p.iso3))?;
    let exists = planned_use::Entity::find()
        .filter(planned_use::Column::CountryId.eq(country_id))
        .filter(planned_use::Column::Description.eq(p.description.clone()))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(());
    }
    let now = Utc::now();
    let row = planned_use::ActiveModel {
        country_id: Set(country_id),
        kind: Set(p.kind),
        description: Set(p.description.clone()),
        status: Set(p.status),
        target_date: Set(p.target_date),
        target_precision: Set(p.target_date.map(|_| DatePrecision::Day)),
        provenance: Set(Provenance::Illustrative),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let links: Vec<planned_use_section::ActiveModel> = section_ids(&p.sections, sections)?
        .into_iter()
        .map(|section_id| planned_use_section::ActiveModel { planned_use_id: Set(row.id), section_id: Set(section_id) })
        .collect();
    if !links.is_empty() {
        planned_use_section::Entity::insert_many(links).exec_without_returning(db).await?;
    }
    for title in &p.events {
        let event = event::Entity::find()
            .filter(event::Column::Title.eq(title.clone()))
            .one(db)
            .await?
            .with_context(|| format!("unknown event {title}"))?;
        planned_use_event::ActiveModel { planned_use_id: Set(row.id), event_id: Set(event.id) }.insert(db).await?;
    }
    Ok(())
}

/// A revision with its section changes and feedback decisions. The sections' current rows are
/// already in their revised state (the seed describes the guide as it is now), so each change
/// records that state; a section the revision added has no "before".
async fn ensure_revision(
    db: &impl ConnectionTrait,
    r: &RevisionData,
    feedback_data: &[FeedbackData],
    sections: &HashMap<String, i32>,
    versions: &HashMap<(DocumentKind, String), i32>,
) -> anyhow::Result<()> {
    let version_id =
        *versions.get(&(r.document, r.version.clone())).with_context(|| format!("unknown version {}", r.version))?;
    let exists = revision::Entity::find()
        .filter(revision::Column::GuideVersionId.eq(version_id))
        .filter(revision::Column::Summary.eq(r.summary.clone()))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(());
    }
    let now = Utc::now();
    let row = revision::ActiveModel {
        guide_version_id: Set(version_id),
        kind: Set(r.kind),
        status: Set(r.status),
        summary: Set(r.summary.clone()),
        details: Set(Some(r.details.clone())),
        language: Set(None),
        decided_on: Set(r.decided_on),
        recorded_by_id: Set(None),
        provenance: Set(Provenance::Sourced),
        source_note: Set(Some(r.source_note.clone())),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    for change in &r.sections {
        let section_id = *sections.get(&change.code).with_context(|| format!("unknown section {}", change.code))?;
        let section = guide_section::Entity::find_by_id(section_id).one(db).await?.context("section just listed")?;
        let state = SectionState::of(&section);
        let before = (change.change != SectionChangeKind::Added).then(|| state.clone());
        revision_section::ActiveModel {
            revision_id: Set(row.id),
            section_id: Set(section_id),
            change: Set(change.change),
            before: Set(before),
            after: Set(Some(state)),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    for decision in &r.feedback {
        let body = &feedback_data
            .iter()
            .find(|f| f.key == decision.key)
            .with_context(|| format!("unknown feedback key {}", decision.key))?
            .body;
        let feedback_row = feedback::Entity::find()
            .filter(feedback::Column::Collective.eq(CHAMPIONS))
            .filter(feedback::Column::Body.eq(body.clone()))
            .one(db)
            .await?
            .with_context(|| format!("feedback {} not loaded", decision.key))?;
        revision_feedback::ActiveModel {
            revision_id: Set(row.id),
            feedback_id: Set(feedback_row.id),
            disposition: Set(decision.disposition),
            rationale: Set(Some(decision.rationale.clone())),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
