//! Translation status of a version: for each language, which sections' translations follow the
//! current wording, which are stale (the section was revised after it) and which are missing.

use entity::guide_section;
use entity::guide_version;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::history::{Trail, TranslationState};
use super::types::{SectionTranslation, TranslationStatus};
use crate::error::{AppError, Result};
use crate::guide::{GuideVersion, Section};
use crate::validate::language_code;

/// The language the guidance is written in; its text is never stale against itself.
const SOURCE_LANGUAGE: &str = "en";

pub async fn translation_status(
    db: &impl ConnectionTrait,
    version: &guide_version::Model,
    languages: &[String],
) -> Result<Vec<TranslationStatus>> {
    if languages.len() > 10 {
        return Err(AppError::bad_input("languages", "At most 10 languages"));
    }
    let languages = languages
        .iter()
        .enumerate()
        .map(|(i, code)| language_code(code, &format!("languages.{i}")))
        .collect::<Result<Vec<_>>>()?;
    let trail = Trail::load(db, version.document_id).await?;
    let rank = trail.rank(version.id).ok_or_else(|| AppError::internal("version missing from its trail"))?;
    let sections = guide_section::Entity::find()
        .filter(guide_section::Column::DocumentId.eq(version.document_id))
        .order_by_asc(guide_section::Column::Id)
        .all(db)
        .await?;
    let present: Vec<(guide_section::Model, guide_section::Model)> =
        sections.into_iter().filter_map(|s| trail.state_at(&s, rank).map(|state| (s, state))).collect();
    let mut statuses = Vec::with_capacity(languages.len());
    for language in languages {
        // The latest version up to this one that was published in the language.
        let published = trail.versions[..=rank].iter().rposition(|v| v.language_list().contains(&language));
        let mut status =
            TranslationStatus { language: language.clone(), current: 0, stale: 0, missing: 0, sections: vec![] };
        for (section, state) in &present {
            let finding = if language == SOURCE_LANGUAGE {
                super::history::TranslationFinding {
                    state: TranslationState::Current,
                    translated_in: None,
                    changed_in: None,
                }
            } else {
                trail.translation_of(section, &language, rank, published)
            };
            match finding.state {
                TranslationState::Current => status.current += 1,
                TranslationState::Stale => status.stale += 1,
                TranslationState::Missing => status.missing += 1,
            }
            status.sections.push(SectionTranslation {
                section: Section::new(state.clone()),
                state: finding.state,
                translated_in: finding.translated_in.map(GuideVersion),
                changed_in: finding.changed_in.map(GuideVersion),
            });
        }
        statuses.push(status);
    }
    Ok(statuses)
}
