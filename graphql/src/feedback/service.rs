//! Feedback rules: one source, sections of the version's own document that exist in that
//! version, a pilot of the same country, dates not in the future, and who may write what.

use chrono::{NaiveDate, Utc};
use entity::common::{DatePrecision, Provenance};
use entity::feedback::{self, FeedbackChannel, FeedbackKind, FeedbackStatus};
use entity::user_account::UserRole;
use entity::{event, guide_version, pilot, stakeholder};
use std::collections::HashMap;

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::context::{Principal, Viewer};
use crate::country::find_by_iso3;
use crate::engine::loader::replace_links;
use crate::error::{AppError, Result};
use crate::guide::find_sections_by_codes;
use crate::id::NodeType;
use crate::validate::{MAX_LINKS, MAX_TEXT_CHARS, existing, language_code, optional_text, required_text};
use async_graphql::ID;

use super::FeedbackSections;

/// Longest name of a collective source (the column's width).
const MAX_COLLECTIVE_CHARS: usize = 200;

/// Who gave the feedback, as the client named it.
pub struct SourceInput {
    pub country: Option<String>,
    pub stakeholder: Option<ID>,
    pub collective: Option<String>,
}

pub struct Source {
    pub country_id: Option<i32>,
    pub stakeholder_id: Option<i32>,
    pub collective: Option<String>,
}

/// The content of a feedback, validated the same way on submit and on update.
pub struct Content {
    pub channel: FeedbackChannel,
    pub kind: FeedbackKind,
    pub body: String,
    pub language: String,
    pub guide_version: ID,
    pub sections: Vec<String>,
    pub pilot: Option<ID>,
    pub event: Option<ID>,
    pub received_on: NaiveDate,
    pub received_precision: DatePrecision,
}

struct CheckedContent {
    channel: FeedbackChannel,
    kind: FeedbackKind,
    body: String,
    language: String,
    guide_version_id: i32,
    section_ids: Vec<i32>,
    pilot_id: Option<i32>,
    event_id: Option<i32>,
    received_on: NaiveDate,
    received_precision: DatePrecision,
}

pub async fn resolve_source(db: &impl ConnectionTrait, viewer: &Viewer, input: SourceInput) -> Result<Source> {
    let principal = viewer.principal()?;
    let given = [input.country.is_some(), input.stakeholder.is_some(), input.collective.is_some()];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(AppError::bad_input(
            "country",
            "Give exactly one source: a country, a stakeholder or a collective",
        ));
    }
    let source = if let Some(iso3) = &input.country {
        let country = find_by_iso3(db, iso3, "country").await?;
        Source { country_id: Some(country.id), stakeholder_id: None, collective: None }
    } else if let Some(id) = &input.stakeholder {
        let stakeholder = existing::<stakeholder::Entity>(db, id, NodeType::Stakeholder, "stakeholder").await?;
        Source { country_id: None, stakeholder_id: Some(stakeholder.id), collective: None }
    } else {
        let collective =
            required_text(input.collective.as_deref().unwrap_or_default(), "collective", MAX_COLLECTIVE_CHARS)?;
        Source { country_id: None, stakeholder_id: None, collective: Some(collective) }
    };
    require_author(principal, source.country_id)?;
    Ok(source)
}

/// The Secretariat records feedback from anyone; a Champion focal point only its own country's.
fn require_author(principal: &Principal, country_id: Option<i32>) -> Result<()> {
    match principal.role {
        UserRole::Admin => Ok(()),
        UserRole::Champion if country_id.is_some() && principal.country_id == country_id => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

async fn check_content(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    source_country: Option<i32>,
    content: Content,
) -> Result<CheckedContent> {
    let body = required_text(&content.body, "body", MAX_TEXT_CHARS)?;
    let language = language_code(&content.language, "language")?;
    if content.received_on > Utc::now().date_naive() {
        return Err(AppError::bad_input("receivedOn", "`receivedOn` is in the future"));
    }
    let version =
        existing::<guide_version::Entity>(db, &content.guide_version, NodeType::GuideVersion, "guideVersion").await?;
    // Comments are on a draft someone was given: an open version has not gone out to anyone yet.
    if !version.is_released {
        return Err(AppError::bad_input(
            "guideVersion",
            format!(
                "Version {} has not been circulated (released) yet; comment on a version that went out",
                version.code
            ),
        ));
    }
    if content.sections.is_empty() {
        return Err(AppError::bad_input("sections", "Name at least one section the feedback is about"));
    }
    if content.sections.len() > MAX_LINKS {
        return Err(AppError::bad_input("sections", format!("At most {MAX_LINKS} sections")));
    }
    let found = find_sections_by_codes(db, &content.sections, "sections").await?;
    // Release dates of the document's versions, to check each section exists in this one.
    let released: HashMap<i32, NaiveDate> = guide_version::Entity::find()
        .filter(guide_version::Column::DocumentId.eq(version.document_id))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v.released_on))
        .collect();
    let mut section_ids = Vec::with_capacity(found.len());
    for (i, code) in content.sections.iter().enumerate() {
        let field = format!("sections.{i}");
        let code = code.trim().to_ascii_uppercase();
        let section =
            found.iter().find(|s| s.code == code).ok_or_else(|| AppError::not_found("Section", field.clone()))?;
        if section.document_id != version.document_id {
            return Err(AppError::bad_input(
                field,
                format!("Section {} belongs to the other document than the version the feedback is on", section.code),
            ));
        }
        let introduced = section.introduced_in_id.and_then(|id| released.get(&id));
        if introduced.is_some_and(|day| *day > version.released_on) {
            return Err(AppError::bad_input(
                field,
                format!("Section {} did not exist yet in that version", section.code),
            ));
        }
        let retired = section.retired_in_id.and_then(|id| released.get(&id));
        if retired.is_some_and(|day| *day <= version.released_on) {
            return Err(AppError::bad_input(field, format!("Section {} was no longer in that version", section.code)));
        }
        if !section_ids.contains(&section.id) {
            section_ids.push(section.id);
        }
    }
    let pilot = match &content.pilot {
        Some(id) => Some(existing::<pilot::Entity>(db, id, NodeType::Pilot, "pilot").await?),
        None => None,
    };
    // Another country's pilot is as unknown to a Champion as a missing one.
    if pilot.as_ref().is_some_and(|p| !viewer.can_read_country(Some(p.country_id))) {
        return Err(AppError::not_found("Pilot", "pilot"));
    }
    if let Some(pilot) = &pilot
        && source_country.is_some()
        && Some(pilot.country_id) != source_country
    {
        return Err(AppError::bad_input("pilot", "The pilot was run in another country than the feedback's"));
    }
    if content.channel == FeedbackChannel::Pilot && pilot.is_none() {
        return Err(AppError::bad_input("pilot", "Feedback through the PILOT channel names its pilot"));
    }
    let event_id = match &content.event {
        Some(id) => Some(existing::<event::Entity>(db, id, NodeType::Event, "event").await?.id),
        None => None,
    };
    if content.channel == FeedbackChannel::Event && event_id.is_none() {
        return Err(AppError::bad_input("event", "Feedback through the EVENT channel names its event"));
    }
    Ok(CheckedContent {
        channel: content.channel,
        kind: content.kind,
        body,
        language,
        guide_version_id: version.id,
        section_ids,
        pilot_id: pilot.map(|p| p.id),
        event_id,
        received_on: content.received_on,
        received_precision: content.received_precision,
    })
}

pub async fn submit(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    source: SourceInput,
    content: Content,
) -> Result<feedback::Model> {
    let user_id = viewer.principal()?.user_id;
    let source = resolve_source(db, viewer, source).await?;
    let checked = check_content(db, viewer, source.country_id, content).await?;
    let now = Utc::now();
    let row = feedback::ActiveModel {
        country_id: Set(source.country_id),
        stakeholder_id: Set(source.stakeholder_id),
        collective: Set(source.collective),
        channel: Set(checked.channel),
        kind: Set(checked.kind),
        body: Set(checked.body),
        language: Set(checked.language),
        guide_version_id: Set(checked.guide_version_id),
        pilot_id: Set(checked.pilot_id),
        event_id: Set(checked.event_id),
        status: Set(FeedbackStatus::Received),
        response: Set(None),
        responded_at: Set(None),
        received_on: Set(checked.received_on),
        received_precision: Set(checked.received_precision),
        submitted_by_id: Set(Some(user_id)),
        provenance: Set(Provenance::UserEntered),
        source_note: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    replace_links::<FeedbackSections>(db, row.id, &checked.section_ids).await?;
    Ok(row)
}

/// Who may edit or withdraw a feedback: the Secretariat always; its country's focal point while
/// nobody has started triaging it.
pub fn require_editor(viewer: &Viewer, row: &feedback::Model) -> Result<()> {
    let principal = viewer.principal()?;
    require_author(principal, row.country_id)?;
    if principal.role == UserRole::Champion && row.status != FeedbackStatus::Received {
        return Err(AppError::Conflict {
            field: Some("status".into()),
            message: "This feedback is already being triaged; ask the Secretariat to change it".into(),
        });
    }
    Ok(())
}

pub async fn update(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    current: feedback::Model,
    content: Content,
) -> Result<feedback::Model> {
    let checked = check_content(db, viewer, current.country_id, content).await?;
    let id = current.id;
    let mut row: feedback::ActiveModel = current.into();
    row.channel = Set(checked.channel);
    row.kind = Set(checked.kind);
    row.body = Set(checked.body);
    row.language = Set(checked.language);
    row.guide_version_id = Set(checked.guide_version_id);
    row.pilot_id = Set(checked.pilot_id);
    row.event_id = Set(checked.event_id);
    row.received_on = Set(checked.received_on);
    row.received_precision = Set(checked.received_precision);
    let row = row.update(db).await?;
    replace_links::<FeedbackSections>(db, id, &checked.section_ids).await?;
    Ok(row)
}

/// Triage: a decided status carries the response that explains it.
pub async fn set_status(
    db: &impl ConnectionTrait,
    current: feedback::Model,
    status: FeedbackStatus,
    response: Option<&str>,
) -> Result<feedback::Model> {
    let response = optional_text(response, "response", MAX_TEXT_CHARS)?;
    let decided = matches!(
        status,
        FeedbackStatus::Accepted
            | FeedbackStatus::PartiallyAccepted
            | FeedbackStatus::Declined
            | FeedbackStatus::Addressed
    );
    if decided && response.is_none() && current.response.is_none() {
        return Err(AppError::bad_input("response", "Explain the decision in `response`"));
    }
    let mut row: feedback::ActiveModel = current.into();
    row.status = Set(status);
    if let Some(response) = response {
        row.response = Set(Some(response));
        row.responded_at = Set(Some(Utc::now()));
    }
    Ok(row.update(db).await?)
}
