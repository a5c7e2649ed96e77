//! The comment-response matrix of a version: every feedback given on it, with its sections, its
//! source and channel, and the decision each revision took on it. Served as a GraphQL connection
//! (`GuideVersion.commentResponseMatrix`) and as CSV (`/export/versions/{id}/comment-response.csv`),
//! both under the feedback read rules: a Champion sees its own country's rows (and collective ones).

use std::collections::HashMap;

use async_graphql::{Context, Object};
use chrono::NaiveDate;
use entity::feedback::{self, FeedbackChannel, FeedbackKind, FeedbackStatus};
use entity::revision::{self, RevisionKind, RevisionStatus};
use entity::revision_feedback::{self, Disposition};
use entity::{country, feedback_section, guide_section, guide_version, stakeholder};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use super::types::{FeedbackResponse, ResponsesToFeedback, Revision};
use crate::context::Viewer;
use crate::engine::loader::{children, linked, maybe_by_id};
use crate::engine::object_list::ObjectList;
use crate::error::Result;
use crate::feedback::{Feedback, FeedbackSections};
use crate::guide::Section;
use crate::id::{NodeType, global_id};
use crate::pagination::{OrderDirection, Ordered};
use crate::policy::visible_feedback;
use crate::scalars::Date;

/// Who gave a feedback, as one label, and what kind of source that is.
fn source_of(
    row: &feedback::Model,
    country: Option<&country::Model>,
    stakeholder: Option<&stakeholder::Model>,
) -> (&'static str, String) {
    match (country, stakeholder, &row.collective) {
        (Some(c), _, _) => ("COUNTRY", c.name.clone()),
        (_, Some(s), _) => ("STAKEHOLDER", s.name.clone()),
        (_, _, Some(group)) => ("COLLECTIVE", group.clone()),
        _ => ("UNKNOWN", String::new()),
    }
}

/// The feedback rows of a version the viewer may read, in matrix order.
pub fn matrix_select(viewer: &Viewer, version_id: i32) -> Result<Ordered<feedback::Entity>> {
    let select = feedback::Entity::find()
        .filter(feedback::Column::GuideVersionId.eq(version_id))
        .filter(visible_feedback(viewer)?);
    let order = [(feedback::Column::ReceivedOn, OrderDirection::Asc), (feedback::Column::Id, OrderDirection::Asc)];
    Ok(Ordered::by(select, order))
}

/// One row of the matrix: a feedback and the answer it received.
pub struct CommentResponse(pub feedback::Model);

/// One row of a version's comment-response matrix: a feedback given on it and the answer it received.
#[Object]
impl CommentResponse {
    /// The feedback itself.
    async fn feedback(&self) -> Feedback {
        Feedback(self.0.clone())
    }
    /// The day the feedback was received.
    async fn received_on(&self) -> Date {
        Date(self.0.received_on)
    }
    /// COUNTRY, STAKEHOLDER or COLLECTIVE.
    async fn source_type(&self, ctx: &Context<'_>) -> Result<&'static str> {
        Ok(self.source(ctx).await?.0)
    }
    /// The country's or stakeholder's name, or the collective's.
    async fn source_name(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(self.source(ctx).await?.1)
    }
    /// How it reached the Network.
    async fn channel(&self) -> FeedbackChannel {
        self.0.channel
    }
    /// What sort of comment it is.
    async fn kind(&self) -> FeedbackKind {
        self.0.kind
    }
    /// The feedback's text.
    async fn comment(&self) -> &str {
        &self.0.body
    }
    /// The sections it is about.
    async fn sections(&self, ctx: &Context<'_>) -> Result<ObjectList<Section>> {
        Ok(linked::<FeedbackSections>(ctx, self.0.id).await?.into_iter().map(Section).collect())
    }
    /// Its triage status now.
    async fn status(&self) -> FeedbackStatus {
        self.0.status
    }
    /// Every decision revisions took on it, oldest first.
    async fn responses(&self, ctx: &Context<'_>) -> Result<Vec<FeedbackResponse>> {
        Ok(children::<ResponsesToFeedback>(ctx, self.0.id).await?.into_iter().map(FeedbackResponse).collect())
    }
    /// The latest decision (the one recorded or changed last); null while no revision answered it.
    async fn disposition(&self, ctx: &Context<'_>) -> Result<Option<Disposition>> {
        Ok(self.latest(ctx).await?.map(|l| l.disposition))
    }
    /// The latest decision's rationale, or else the Network's response recorded at triage.
    async fn rationale(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(self.latest(ctx).await?.and_then(|l| l.rationale).or_else(|| self.0.response.clone()))
    }
    /// The revision of the latest decision.
    async fn revision(&self, ctx: &Context<'_>) -> Result<Option<Revision>> {
        let id = self.latest(ctx).await?.map(|l| l.revision_id);
        Ok(maybe_by_id::<revision::Entity>(ctx, id).await?.map(Revision))
    }
}

impl CommentResponse {
    async fn source(&self, ctx: &Context<'_>) -> Result<(&'static str, String)> {
        let country = maybe_by_id::<country::Entity>(ctx, self.0.country_id).await?;
        let stakeholder = maybe_by_id::<stakeholder::Entity>(ctx, self.0.stakeholder_id).await?;
        Ok(source_of(&self.0, country.as_ref(), stakeholder.as_ref()))
    }

    async fn latest(&self, ctx: &Context<'_>) -> Result<Option<revision_feedback::Model>> {
        Ok(children::<ResponsesToFeedback>(ctx, self.0.id).await?.into_iter().max_by_key(|l| (l.updated_at, l.id)))
    }
}

/// One line of the CSV: a feedback with one decision on it (a feedback without any decision
/// gets one line with the decision columns empty; one with several gets a line per decision).
#[derive(Serialize)]
pub struct MatrixLine {
    pub row: usize,
    pub feedback_id: String,
    pub received_on: NaiveDate,
    pub source_type: &'static str,
    pub source: String,
    pub country_iso3: Option<String>,
    pub channel: FeedbackChannel,
    pub kind: FeedbackKind,
    pub language: String,
    /// Section codes separated by `; `.
    pub sections: String,
    pub comment: String,
    pub status: FeedbackStatus,
    pub disposition: Option<Disposition>,
    pub rationale: Option<String>,
    pub revision_id: Option<String>,
    pub revision_version: Option<String>,
    pub revision_kind: Option<RevisionKind>,
    pub revision_status: Option<RevisionStatus>,
    pub revision_summary: Option<String>,
    pub decided_on: Option<NaiveDate>,
}

impl MatrixLine {
    /// The column names, in field order: written even when the matrix is empty.
    pub const COLUMNS: [&'static str; 20] = [
        "row",
        "feedback_id",
        "received_on",
        "source_type",
        "source",
        "country_iso3",
        "channel",
        "kind",
        "language",
        "sections",
        "comment",
        "status",
        "disposition",
        "rationale",
        "revision_id",
        "revision_version",
        "revision_kind",
        "revision_status",
        "revision_summary",
        "decided_on",
    ];
}

/// The whole matrix of `version_id` for `viewer`, in a fixed number of queries.
pub async fn matrix_lines(db: &impl ConnectionTrait, viewer: &Viewer, version_id: i32) -> Result<Vec<MatrixLine>> {
    let rows = matrix_select(viewer, version_id)?.into_select().all(db).await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let section_links = feedback_section::Entity::find()
        .filter(feedback_section::Column::FeedbackId.is_in(ids.clone()))
        .all(db)
        .await?;
    let sections: HashMap<i32, guide_section::Model> = guide_section::Entity::find()
        .filter(guide_section::Column::Id.is_in(section_links.iter().map(|l| l.section_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let countries: HashMap<i32, country::Model> = country::Entity::find()
        .filter(country::Column::Id.is_in(rows.iter().filter_map(|r| r.country_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let stakeholders: HashMap<i32, stakeholder::Model> = stakeholder::Entity::find()
        .filter(stakeholder::Column::Id.is_in(rows.iter().filter_map(|r| r.stakeholder_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let decisions = revision_feedback::Entity::find()
        .filter(revision_feedback::Column::FeedbackId.is_in(ids))
        .order_by_asc(revision_feedback::Column::Id)
        .all(db)
        .await?;
    let revisions: HashMap<i32, revision::Model> = revision::Entity::find()
        .filter(revision::Column::Id.is_in(decisions.iter().map(|d| d.revision_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let version_codes: HashMap<i32, String> = guide_version::Entity::find()
        .select_only()
        .column(guide_version::Column::Id)
        .column(guide_version::Column::Code)
        .filter(guide_version::Column::Id.is_in(revisions.values().map(|r| r.guide_version_id)))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();

    let mut codes_of: HashMap<i32, Vec<&str>> = HashMap::new();
    for link in &section_links {
        if let Some(section) = sections.get(&link.section_id) {
            codes_of.entry(link.feedback_id).or_default().push(&section.code);
        }
    }
    let mut decisions_of: HashMap<i32, Vec<&revision_feedback::Model>> = HashMap::new();
    for decision in &decisions {
        decisions_of.entry(decision.feedback_id).or_default().push(decision);
    }

    let mut lines = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let country = row.country_id.and_then(|id| countries.get(&id));
        let (source_type, source) = source_of(row, country, row.stakeholder_id.and_then(|id| stakeholders.get(&id)));
        let mut codes = codes_of.remove(&row.id).unwrap_or_default();
        codes.sort_unstable();
        let base = || MatrixLine {
            row: index + 1,
            feedback_id: global_id(NodeType::Feedback, row.id).0,
            received_on: row.received_on,
            source_type,
            source: source.clone(),
            country_iso3: country.map(|c| c.iso3.clone()),
            channel: row.channel,
            kind: row.kind,
            language: row.language.clone(),
            sections: codes.join("; "),
            comment: row.body.clone(),
            status: row.status,
            disposition: None,
            rationale: row.response.clone(),
            revision_id: None,
            revision_version: None,
            revision_kind: None,
            revision_status: None,
            revision_summary: None,
            decided_on: None,
        };
        let answered = decisions_of.remove(&row.id).unwrap_or_default();
        if answered.is_empty() {
            lines.push(base());
        }
        for decision in answered {
            let revision = revisions.get(&decision.revision_id);
            lines.push(MatrixLine {
                disposition: Some(decision.disposition),
                rationale: decision.rationale.clone().or_else(|| row.response.clone()),
                revision_id: Some(global_id(NodeType::Revision, decision.revision_id).0),
                revision_version: revision.and_then(|r| version_codes.get(&r.guide_version_id)).cloned(),
                revision_kind: revision.map(|r| r.kind),
                revision_status: revision.map(|r| r.status),
                revision_summary: revision.map(|r| r.summary.clone()),
                decided_on: revision.map(|r| r.decided_on),
                ..base()
            });
        }
    }
    Ok(lines)
}

/// The version behind an export URL, when it exists.
pub async fn version_by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<guide_version::Model>> {
    Ok(guide_version::Entity::find_by_id(id).one(db).await?)
}
