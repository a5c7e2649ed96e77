use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object};
use entity::contact;
use sea_orm::ModelTrait;

use super::Contact;
use super::service::{self, ContactChanges, NewContact};
use crate::auth::guard::{Require, viewer};
use crate::context::Access;
use crate::error::Result;
use crate::id::NodeType;
use crate::write::Change;
use crate::write::{UnitOfWork, claim_version};

/// A new contact, at a country or at a stakeholder.
#[derive(InputObject)]
pub struct CreateContactInput {
    /// The person's name, up to 200 characters.
    pub name: String,
    /// Email address.
    pub email: Option<String>,
    /// Job title or function, up to 200 characters.
    pub title: Option<String>,
    /// Phone number: digits, spaces and + - ( ) . only.
    pub phone: Option<String>,
    /// ISO3 code of the country the person works for; give this or `stakeholder`.
    pub country: Option<String>,
    /// Global id of the stakeholder the person works for; give this or `country`.
    pub stakeholder: Option<ID>,
    /// Free-text notes, up to 20,000 characters.
    pub notes: Option<String>,
}

/// The person's details; a contact stays with its country or stakeholder.
#[derive(InputObject)]
pub struct UpdateContactInput {
    /// New name, up to 200 characters.
    pub name: Option<String>,
    /// Set, or null to clear.
    pub email: MaybeUndefined<String>,
    /// Set, or null to clear.
    pub title: MaybeUndefined<String>,
    /// Set, or null to clear.
    pub phone: MaybeUndefined<String>,
    /// Set, or null to clear.
    pub notes: MaybeUndefined<String>,
}

#[derive(Default)]
pub struct ContactMutation;

#[Object]
impl ContactMutation {
    /// Adds a person at a country (the Secretariat, or that country's focal point) or at a
    /// stakeholder (the Secretariat).
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn create_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person and whom they work for.")] input: CreateContactInput,
    ) -> Result<Contact> {
        let work = UnitOfWork::begin(ctx).await?;
        let new = NewContact {
            name: &input.name,
            email: input.email.as_deref(),
            title: input.title.as_deref(),
            phone: input.phone.as_deref(),
            country: input.country.as_deref(),
            stakeholder: input.stakeholder.as_ref(),
            notes: input.notes.as_deref(),
            user_id: None,
        };
        let created = service::create(work.txn(), viewer(ctx), new).await?;
        work.commit(Change::created(NodeType::Contact, created.id, &created)).await?;
        Ok(Contact(created))
    }

    /// Changes a contact's name, email, title, phone or notes.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn update_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the contact.")] id: ID,
        #[graphql(desc = "The fields to change; those left out stay as they are.")] input: UpdateContactInput,
        #[graphql(desc = "The `version` you last read; if the record changed since, nothing is written (`CONFLICT`).")]
        expected_version: i32,
    ) -> Result<Contact> {
        let work = UnitOfWork::begin(ctx).await?;
        let current = service::writable(work.txn(), viewer(ctx), &id).await?;
        let claimed = claim_version::<contact::Entity>(work.txn(), current.id, expected_version, "Contact").await?;
        let before = claimed.clone();
        let changes = ContactChanges {
            name: input.name,
            email: input.email.into(),
            title: input.title.into(),
            phone: input.phone.into(),
            notes: input.notes.into(),
        };
        let updated = service::change(work.txn(), claimed, changes).await?;
        work.commit(Change::updated(NodeType::Contact, updated.id, &before, &updated)).await?;
        Ok(Contact(updated))
    }

    /// Removes a contact. Returns the removed contact's id.
    #[graphql(guard = "Require(Access::SignedIn)")]
    async fn delete_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id of the contact.")] id: ID,
    ) -> Result<ID> {
        let work = UnitOfWork::begin(ctx).await?;
        let contact = service::writable(work.txn(), viewer(ctx), &id).await?;
        let before = contact.clone();
        contact.delete(work.txn()).await?;
        work.commit(Change::deleted(NodeType::Contact, before.id, &before)).await?;
        Ok(id)
    }
}
