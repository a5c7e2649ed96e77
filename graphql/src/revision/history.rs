//! A document's revision trail in memory: versions in release order, every revision and every
//! section change. From it: a section as it stood in any version, the difference between two
//! versions, and which translations a revision left behind. A document has tens of sections and
//! at most hundreds of revisions, so the whole trail is three small queries.

use std::collections::HashMap;

use entity::guide_section;
use entity::guide_version;
use entity::revision::{self, RevisionKind, RevisionStatus};
use entity::revision_section::{self, SectionChangeKind};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::error::Result;

/// Where a version or a revision sits in the history: the version's release rank, then the
/// order revisions were recorded within it.
pub type Moment = (usize, i32);

pub struct Trail {
    /// The document's versions, oldest first (by release date, then by age).
    pub versions: Vec<guide_version::Model>,
    rank: HashMap<i32, usize>,
    pub revisions: HashMap<i32, revision::Model>,
    /// Each section's changes in the order they were applied, which is also version order:
    /// a change is refused when a later version already changed the same section.
    changes: HashMap<i32, Vec<revision_section::Model>>,
}

impl Trail {
    pub async fn load(db: &impl ConnectionTrait, document_id: i32) -> Result<Self> {
        let versions = guide_version::Entity::find()
            .filter(guide_version::Column::DocumentId.eq(document_id))
            .order_by_asc(guide_version::Column::ReleasedOn)
            .order_by_asc(guide_version::Column::Id)
            .all(db)
            .await?;
        let rank: HashMap<i32, usize> = versions.iter().enumerate().map(|(i, v)| (v.id, i)).collect();
        let revisions: HashMap<i32, revision::Model> = revision::Entity::find()
            .filter(revision::Column::GuideVersionId.is_in(rank.keys().copied()))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        let mut changes: HashMap<i32, Vec<revision_section::Model>> = HashMap::new();
        for change in revision_section::Entity::find()
            .filter(revision_section::Column::RevisionId.is_in(revisions.keys().copied()))
            .order_by_asc(revision_section::Column::Id)
            .all(db)
            .await?
        {
            changes.entry(change.section_id).or_default().push(change);
        }
        Ok(Self { versions, rank, revisions, changes })
    }

    /// The version's place in release order; `None` for a version of another document.
    pub fn rank(&self, version_id: i32) -> Option<usize> {
        self.rank.get(&version_id).copied()
    }

    pub fn revision_moment(&self, revision: &revision::Model) -> Moment {
        (self.rank(revision.guide_version_id).unwrap_or(usize::MAX), revision.id)
    }

    fn change_rank(&self, change: &revision_section::Model) -> usize {
        self.revisions.get(&change.revision_id).and_then(|r| self.rank(r.guide_version_id)).unwrap_or(usize::MAX)
    }

    /// The changes of one section, in the order they were applied.
    pub fn changes_of(&self, section_id: i32) -> &[revision_section::Model] {
        self.changes.get(&section_id).map_or(&[], Vec::as_slice)
    }

    /// Whether a change to the section in a version after `rank` exists.
    pub fn changed_after(&self, section_id: i32, rank: usize) -> bool {
        self.changes_of(section_id).iter().any(|c| self.change_rank(c) > rank)
    }

    /// The section as it stood in the version at `rank`, or `None` when it was not part of it.
    pub fn state_at(&self, section: &guide_section::Model, rank: usize) -> Option<guide_section::Model> {
        let version_rank = |id: Option<i32>| id.and_then(|id| self.rank(id));
        if version_rank(section.introduced_in_id).is_some_and(|introduced| introduced > rank) {
            return None;
        }
        if version_rank(section.retired_in_id).is_some_and(|retired| retired <= rank) {
            return None;
        }
        // The first change made after that version recorded the state just before it.
        match self.changes_of(section.id).iter().find(|c| self.change_rank(c) > rank) {
            Some(later) => later.before.as_ref().map(|state| state.apply_to(section.clone())),
            None => Some(section.clone()),
        }
    }

    /// The changes of `section_id` made in versions after `from` up to and including `to`.
    pub fn changes_between(&self, section_id: i32, from: usize, to: usize) -> Vec<&revision_section::Model> {
        self.changes_of(section_id)
            .iter()
            .filter(|c| {
                let rank = self.change_rank(c);
                rank > from && rank <= to
            })
            .collect()
    }

    /// Whether `revision` is part of what changed from the version at `from` to the one at `to`:
    /// it was carried out (DONE), in a version after `from` up to `to`, and that version went out.
    /// An open draft in between changed nothing a reader of a released `to` received; when `to` is
    /// itself open, the drafts up to it count, since that comparison asks what they change so far.
    pub fn counts_between(&self, revision: &revision::Model, from: usize, to: usize) -> bool {
        let to_is_released = self.versions.get(to).is_some_and(|v| v.is_released);
        revision.status == RevisionStatus::Done
            && self.rank(revision.guide_version_id).is_some_and(|rank| {
                rank > from && rank <= to && (!to_is_released || self.versions.get(rank).is_some_and(|v| v.is_released))
            })
    }

    /// The revisions that count between the versions at `from` and `to` ([`Self::counts_between`]),
    /// in history order.
    pub fn revisions_between(&self, from: usize, to: usize) -> Vec<&revision::Model> {
        let mut found: Vec<&revision::Model> =
            self.revisions.values().filter(|r| self.counts_between(r, from, to)).collect();
        found.sort_by_key(|r| self.revision_moment(r));
        found
    }

    /// Translation state of `section` in `language` as of the version at `rank`.
    /// `translated_at` is the latest version at or before `rank` published in that language.
    pub fn translation_of(
        &self,
        section: &guide_section::Model,
        language: &str,
        rank: usize,
        published_in_language: Option<usize>,
    ) -> TranslationFinding {
        // A version published in the language covers everything recorded in it.
        let mut translated: Option<Moment> = published_in_language.map(|r| (r, i32::MAX));
        // A section seeded with its version of introduction counts as added at that version's start.
        let mut added: Option<Moment> = section.introduced_in_id.and_then(|id| self.rank(id)).map(|r| (r, i32::MIN));
        let mut changed: Option<Moment> = added;
        for change in self.changes_of(section.id) {
            let Some(revision) = self.revisions.get(&change.revision_id) else { continue };
            let moment = self.revision_moment(revision);
            if moment.0 > rank {
                continue;
            }
            match revision.kind {
                RevisionKind::Translation => {
                    if revision.language.as_deref() == Some(language) {
                        translated = translated.max(Some(moment));
                    }
                }
                // Editing and layout leave the wording, and so its translations, as they were.
                RevisionKind::Layout => {}
                _ if change.change == SectionChangeKind::Moved => {}
                _ => {
                    changed = changed.max(Some(moment));
                    if change.change == SectionChangeKind::Added {
                        added = added.max(Some(moment));
                    }
                }
            }
        }
        let version_at = |moment: Option<Moment>| moment.and_then(|(rank, _)| self.versions.get(rank)).cloned();
        let state = match translated {
            None => TranslationState::Missing,
            Some(t) if added.is_some_and(|a| a > t) => TranslationState::Missing,
            Some(t) if changed.is_some_and(|c| c > t) => TranslationState::Stale,
            Some(_) => TranslationState::Current,
        };
        let translated_in = match state {
            TranslationState::Missing => None,
            _ => version_at(translated),
        };
        TranslationFinding { state, translated_in, changed_in: version_at(changed) }
    }
}

/// Whether a section's translation into one language follows its current wording.
#[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum TranslationState {
    /// Translated after the section's last change of wording.
    Current,
    /// Translated once, but the section's wording changed since.
    Stale,
    /// Never translated in the version's history (or added after the last translation).
    Missing,
}

pub struct TranslationFinding {
    pub state: TranslationState,
    pub translated_in: Option<guide_version::Model>,
    pub changed_in: Option<guide_version::Model>,
}
