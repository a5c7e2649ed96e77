//! The demo data: facts from the two source documents (the guide's structure, its versions and
//! their dates, the 23 objectives, the 10 guiding principles, the Champion countries named in the
//! sources) plus a few records marked ILLUSTRATIVE in the data itself. Loading twice changes nothing.

use std::collections::HashMap;

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use entity::common::{DatePrecision, Provenance};
use entity::document::DocumentKind;
use entity::guide_section::SectionKind;
use entity::guide_version::VersionStage;
use entity::stakeholder::StakeholderKind;
use entity::user_account::UserRole;
use entity::{country, document, guide_section, guide_version, stakeholder, user_account};
use graphql::user::service::{NewUser, create_user};
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
    languages: String,
    notes: String,
    provenance: Provenance,
    source_note: String,
}

#[derive(Deserialize)]
struct ChampionData {
    iso3: String,
    since: NaiveDate,
    provenance: Provenance,
    note: String,
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
        create_user(
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
    if found.is_champion {
        return Ok(());
    }
    let version = found.version;
    let mut active: country::ActiveModel = found.into();
    active.is_champion = Set(true);
    active.champion_since = Set(Some(champion.since));
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
