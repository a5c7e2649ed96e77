use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use entity::champion_term::{self, ChampionTermKind, TermEnd};
use entity::common::{DatePrecision, Provenance};
use entity::role_assignment::{ChampionRole, RoleStatus};

use super::ChampionTerm;
use super::service::{self, Ending, NewFocalPoint, NewTerm, StatedDate, TermCorrections, Touched};
use crate::auth::guard::{Require, viewer};
use crate::bus::ActivityKind;
use crate::contact::Contact;
use crate::context::Access;
use crate::country::{Country, find_by_iso3};
use crate::error::{AppError, Result};
use crate::id::{NodeType, expect_global_id};
use crate::role::RoleAssignment;
use crate::scalars::Date;
use crate::user::User;
use crate::write::{Change, UnitOfWork, claim_version};

/// A new Champion country.
#[derive(InputObject)]
pub struct DesignateChampionInput {
    /// ISO3 code of the country; it must not be a Champion already.
    pub country: String,
    /// When it was designated, as the first day of its period; omit when no source dates it.
    pub designated_on: Option<Date>,
    /// How much of `designatedOn` is known (DAY when omitted).
    #[graphql(default_with = "DatePrecision::Day")]
    pub precision: DatePrecision,
    /// What the Secretariat notes, up to 20,000 characters.
    pub note: Option<String>,
    /// Where the fact comes from (a letter, a meeting summary), or which parts are stand-ins.
    pub source_note: Option<String>,
}

/// A co-chair term of a Champion country.
#[derive(InputObject)]
pub struct StartCoChairTermInput {
    /// ISO3 code of a Champion country that is not co-chair already.
    pub country: String,
    /// When the term began, as the first day of its period; omit when no source dates it.
    pub started_on: Option<Date>,
    /// How much of `startedOn` is known (DAY when omitted).
    #[graphql(default_with = "DatePrecision::Day")]
    pub precision: DatePrecision,
    /// What the Secretariat notes.
    pub note: Option<String>,
    /// Where the fact comes from.
    pub source_note: Option<String>,
}

/// Corrections to a term's record; fields left out stay as they are.
#[derive(InputObject)]
pub struct UpdateChampionTermInput {
    /// When it began; null when no source dates it.
    pub started_on: MaybeUndefined<Date>,
    /// How much of `startedOn` is known; with `startedOn`, DAY when left out.
    pub started_precision: Option<DatePrecision>,
    /// When it ended; only for a term that has ended.
    pub ended_on: Option<Date>,
    /// How much of `endedOn` is known; with `endedOn`, DAY when left out.
    pub ended_precision: Option<DatePrecision>,
    /// Set, or null to clear.
    pub note: MaybeUndefined<String>,
    /// Set, or null to clear.
    pub source_note: MaybeUndefined<String>,
    /// Whether the facts are sourced, illustrative or entered by a user.
    pub provenance: Option<Provenance>,
}

/// The person who acts for a Champion country: an account that signs in and the country's contact, made as one.
#[derive(InputObject)]
pub struct FocalPointInput {
    /// The person's name, shown on the account and the contact.
    pub name: String,
    /// Sign-in email, also the contact's email.
    pub email: String,
    /// At least 10 characters.
    pub password: String,
    /// Job title or function.
    pub title: Option<String>,
    /// Phone number as written.
    pub phone: Option<String>,
}

/// A focal point for a country that is a Champion already.
#[derive(InputObject)]
pub struct CreateFocalPointInput {
    /// ISO3 code of a Champion country.
    pub country: String,
    /// The person.
    pub person: FocalPointInput,
}

/// Everything the Secretariat records when a country joins: the designation, its focal point, its roles.
#[derive(InputObject)]
pub struct OnboardChampionInput {
    /// ISO3 code of the country; it must not be a Champion already.
    pub country: String,
    /// When it was designated, as the first day of its period; omit when no source dates it.
    pub designated_on: Option<Date>,
    /// How much of `designatedOn` is known (DAY when omitted).
    #[graphql(default_with = "DatePrecision::Day")]
    pub precision: DatePrecision,
    /// What the Secretariat notes on the designation.
    pub note: Option<String>,
    /// Where the fact comes from.
    pub source_note: Option<String>,
    /// The focal point; none when the country has not named one yet.
    pub focal_point: Option<FocalPointInput>,
    /// The roles the country takes on, each once.
    #[graphql(default)]
    pub roles: Vec<ChampionRole>,
    /// How the roles start: PROPOSED (default), COMMITTED, or ACTIVE (from the designation day).
    #[graphql(default_with = "RoleStatus::Proposed")]
    pub role_status: RoleStatus,
}

/// A focal point: the account and the contact that are the same person.
#[derive(SimpleObject)]
pub struct FocalPoint {
    /// The CHAMPION account.
    pub user: User,
    /// The country's contact, linked to the account (`Contact.account`, `User.contact`).
    pub contact: Contact,
}

/// What `onboardChampion` recorded.
#[derive(SimpleObject)]
pub struct OnboardChampionPayload {
    /// The country, now a Champion.
    pub country: Country,
    /// The new Champion term.
    pub term: ChampionTerm,
    /// The focal point, when one was given.
    pub focal_point: Option<FocalPoint>,
    /// The roles assigned, in the order given.
    pub roles: Vec<RoleAssignment>,
}

fn stated(on: Option<Date>, precision: DatePrecision) -> Option<StatedDate> {
    on.map(|Date(on)| StatedDate { on, precision })
}

/// Writes the audit rows of the records a roster change touched beside its own.
async fn record_touched(work: &UnitOfWork<'_, '_>, touched: &[Touched]) -> Result<()> {
    for change in touched {
        match change {
            Touched::Country(change) => {
                let (before, after) = change.as_ref();
                work.record(Change::updated(NodeType::Country, after.id, before, after)).await?
            }
            Touched::Term(before, after) => {
                work.record(Change::updated(NodeType::ChampionTerm, after.id, before, after)).await?
            }
            Touched::Role(before, after) => {
                work.record(Change::updated(NodeType::RoleAssignment, after.id, before, after)).await?
            }
        }
    }
    Ok(())
}

async fn open_term(ctx: &Context<'_>, iso3: &str, new: NewTerm<'_>) -> Result<ChampionTerm> {
    let work = UnitOfWork::begin(ctx).await?;
    let country = find_by_iso3(work.txn(), iso3, "country").await?;
    let (term, touched) = service::open(work.txn(), &country, new).await?;
    record_touched(&work, &touched).await?;
    work.commit(Change::created(NodeType::ChampionTerm, term.id, &term)).await?;
    Ok(ChampionTerm(term))
}

#[derive(Default)]
pub struct RosterMutation;

#[Object]
impl RosterMutation {
    /// Makes a country a GCM Champion country from a date, opening its CHAMPION term. Only a Champion may have
    /// roles, pilots, planned uses and CHAMPION accounts.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn designate_champion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The country and when it was designated.")] input: DesignateChampionInput,
    ) -> Result<ChampionTerm> {
        let new = NewTerm {
            kind: ChampionTermKind::Champion,
            started: stated(input.designated_on, input.precision),
            note: input.note.as_deref(),
            source_note: input.source_note.as_deref(),
            provenance: Provenance::UserEntered,
        };
        open_term(ctx, &input.country, new).await
    }

    /// Opens a co-chair term of the Champions' initiative for a Champion country.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn start_co_chair_term(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The country and when its term began.")] input: StartCoChairTermInput,
    ) -> Result<ChampionTerm> {
        let new = NewTerm {
            kind: ChampionTermKind::CoChair,
            started: stated(input.started_on, input.precision),
            note: input.note.as_deref(),
            source_note: input.source_note.as_deref(),
            provenance: Provenance::UserEntered,
        };
        open_term(ctx, &input.country, new).await
    }

    /// Ends an open term. Ending a CHAMPION term also ends the country's co-chair term and its open roles on the same
    /// day (roles COMPLETED, or WITHDRAWN when the country withdrew); each change is in the audit log.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn end_champion_term(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the open term.")] id: ID,
        #[graphql(desc = "When it ended, as the first day of its period; not before it began.")] ended_on: Date,
        #[graphql(default_with = "DatePrecision::Day", desc = "How much of `endedOn` is known (DAY by default).")]
        precision: DatePrecision,
        #[graphql(default_with = "TermEnd::Ended", desc = "ENDED (default) or WITHDRAWN.")] reason: TermEnd,
        #[graphql(desc = "Replaces the term's note when given.")] note: Option<String>,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<ChampionTerm> {
        let key = expect_global_id(&id, NodeType::ChampionTerm, "id")?;
        let work = UnitOfWork::begin(ctx).await?;
        let current =
            claim_version::<champion_term::Entity>(work.txn(), key, expected_version, "Champion term").await?;
        let before = current.clone();
        let ending = Ending { ended: StatedDate { on: ended_on.0, precision }, reason, note: note.as_deref() };
        let (ended, touched) = service::end(work.txn(), current, ending).await?;
        record_touched(&work, &touched).await?;
        let committed = work.commit(Change::updated(NodeType::ChampionTerm, ended.id, &before, &ended)).await?;
        for change in &touched {
            if let Touched::Role(_, role) = change {
                committed.publish(ActivityKind::RoleEnded, role.id, Some(role.country_id), false).await;
            }
        }
        Ok(ChampionTerm(ended))
    }

    /// Corrects a term's dates, notes or provenance (an open term stays open; end it with `endChampionTerm`).
    #[graphql(guard = "Require(Access::Admin)")]
    async fn update_champion_term(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the term.")] id: ID,
        #[graphql(desc = "The fields to change; those left out stay as they are.")] input: UpdateChampionTermInput,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<ChampionTerm> {
        let key = expect_global_id(&id, NodeType::ChampionTerm, "id")?;
        let started = match input.started_on {
            MaybeUndefined::Undefined => {
                if input.started_precision.is_some() {
                    return Err(AppError::bad_input("startedPrecision", "Give `startedOn` with its precision"));
                }
                None
            }
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(on) => Some(stated(Some(on), input.started_precision.unwrap_or(DatePrecision::Day))),
        };
        if input.ended_on.is_none() && input.ended_precision.is_some() {
            return Err(AppError::bad_input("endedPrecision", "Give `endedOn` with its precision"));
        }
        let corrections = TermCorrections {
            started,
            ended: stated(input.ended_on, input.ended_precision.unwrap_or(DatePrecision::Day)),
            note: optional(input.note),
            source_note: optional(input.source_note),
            provenance: input.provenance,
        };
        let work = UnitOfWork::begin(ctx).await?;
        let current =
            claim_version::<champion_term::Entity>(work.txn(), key, expected_version, "Champion term").await?;
        let before = current.clone();
        let (corrected, touched) = service::correct(work.txn(), current, corrections).await?;
        record_touched(&work, &touched).await?;
        work.commit(Change::updated(NodeType::ChampionTerm, corrected.id, &before, &corrected)).await?;
        Ok(ChampionTerm(corrected))
    }

    /// Creates a Champion country's focal point as one person: a CHAMPION account for the country and the country's
    /// contact, linked to each other.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn create_focal_point(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The Champion country and the person.")] input: CreateFocalPointInput,
    ) -> Result<FocalPoint> {
        let work = UnitOfWork::begin(ctx).await?;
        let country = find_by_iso3(work.txn(), &input.country, "country").await?;
        let person = focal_point(&input.person);
        let (user, contact) = service::create_focal_point(work.txn(), viewer(ctx), &country, person).await?;
        work.record(Change::created(NodeType::User, user.id, &user)).await?;
        work.commit(Change::created(NodeType::Contact, contact.id, &contact)).await?;
        Ok(FocalPoint { user: User(user), contact: Contact(contact) })
    }

    /// Onboards a new Champion country in one step: designates it, creates its focal point (account and contact as
    /// one person) and assigns its roles. All of it is written, and audited record by record, or none of it.
    #[graphql(guard = "Require(Access::Admin)")]
    async fn onboard_champion(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The country, its designation, focal point and roles.")] input: OnboardChampionInput,
    ) -> Result<OnboardChampionPayload> {
        if input.role_status == RoleStatus::Active && input.designated_on.is_none() {
            return Err(AppError::bad_input(
                "roleStatus",
                "ACTIVE roles start on the designation day: give `designatedOn`",
            ));
        }
        let work = UnitOfWork::begin(ctx).await?;
        let country = find_by_iso3(work.txn(), &input.country, "country").await?;
        let new = NewTerm {
            kind: ChampionTermKind::Champion,
            started: stated(input.designated_on, input.precision),
            note: input.note.as_deref(),
            source_note: input.source_note.as_deref(),
            provenance: Provenance::UserEntered,
        };
        let (term, touched) = service::open(work.txn(), &country, new).await?;
        record_touched(&work, &touched).await?;
        let focal_point = match &input.focal_point {
            Some(person) => {
                let (user, contact) =
                    service::create_focal_point(work.txn(), viewer(ctx), &country, focal_point(person)).await?;
                work.record(Change::created(NodeType::User, user.id, &user)).await?;
                work.record(Change::created(NodeType::Contact, contact.id, &contact)).await?;
                Some(FocalPoint { user: User(user), contact: Contact(contact) })
            }
            None => None,
        };
        let started_on = match input.role_status {
            RoleStatus::Active => input.designated_on.map(|Date(d)| d),
            _ => None,
        };
        let roles =
            service::assign_roles(work.txn(), country.id, &input.roles, input.role_status, started_on, input.precision)
                .await?;
        for role in &roles {
            work.record(Change::created(NodeType::RoleAssignment, role.id, role)).await?;
        }
        let committed = work.commit(Change::created(NodeType::ChampionTerm, term.id, &term)).await?;
        for role in &roles {
            committed.publish(ActivityKind::RoleAssigned, role.id, Some(role.country_id), false).await;
        }
        let country = match touched.into_iter().next() {
            Some(Touched::Country(change)) => change.1,
            _ => country,
        };
        Ok(OnboardChampionPayload {
            country: Country(country),
            term: ChampionTerm(term),
            focal_point,
            roles: roles.into_iter().map(RoleAssignment).collect(),
        })
    }
}

fn focal_point(person: &FocalPointInput) -> NewFocalPoint<'_> {
    NewFocalPoint {
        name: &person.name,
        email: &person.email,
        password: person.password.clone(),
        title: person.title.as_deref(),
        phone: person.phone.as_deref(),
    }
}

fn optional(value: MaybeUndefined<String>) -> Option<Option<String>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}
