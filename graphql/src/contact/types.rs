use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::{contact, country, stakeholder, user_account};

use crate::auth::guard::viewer;
use crate::country::Country;
use crate::engine::loader::{ForeignKey, maybe_by_id};
use crate::error::Result;
use crate::id::{NodeType, global_id};
use crate::stakeholder::Stakeholder;
use crate::user::User;

/// A person at a country or at a stakeholder.
pub struct Contact(pub contact::Model);

/// A person at a country's government or at a stakeholder; personal data. A country's contacts are private to it, like
/// its pilots; a stakeholder's are read by the Secretariat and working-group leads and written by the Secretariat.
#[Object]
impl Contact {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::Contact, self.0.id)
    }
    /// The person's name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Email address, in lower case.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    /// Job title or function, e.g. `Director of Migration Policy`.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    /// Phone number as written, e.g. `+41 22 917 1234`.
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    /// The country the person works for (null for a stakeholder's contact).
    async fn country(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        Ok(maybe_by_id::<country::Entity>(ctx, self.0.country_id).await?.map(Country))
    }
    /// The stakeholder the person works for (null for a country's contact).
    async fn stakeholder(&self, ctx: &Context<'_>) -> Result<Option<Stakeholder>> {
        Ok(maybe_by_id::<stakeholder::Entity>(ctx, self.0.stakeholder_id).await?.map(Stakeholder))
    }
    /// Free-text notes.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    /// The person's own account, when the contact signs in too (a focal point made by
    /// `onboardChampion` or `createFocalPoint`); null when there is none or you may not read it.
    async fn account(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let account = maybe_by_id::<user_account::Entity>(ctx, self.0.user_id).await?;
        Ok(account.filter(|user| crate::policy::can_read_user(viewer(ctx), user)).map(User))
    }
    /// When the record was created in the tracker.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Every recorded change to this record, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<crate::audit::AuditEntry>> {
        crate::audit::history(ctx, NodeType::Contact, self.0.id).await
    }
    /// Optimistic-concurrency version; pass it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

pub struct ContactsOfCountry;

impl ForeignKey for ContactsOfCountry {
    type Entity = contact::Entity;
    fn column() -> contact::Column {
        contact::Column::CountryId
    }
    fn key_of(model: &contact::Model) -> Option<i32> {
        model.country_id
    }
    fn order_column() -> contact::Column {
        contact::Column::Name
    }
}

pub struct ContactsOfStakeholder;

impl ForeignKey for ContactsOfStakeholder {
    type Entity = contact::Entity;
    fn column() -> contact::Column {
        contact::Column::StakeholderId
    }
    fn key_of(model: &contact::Model) -> Option<i32> {
        model.stakeholder_id
    }
    fn order_column() -> contact::Column {
        contact::Column::Name
    }
}

/// user → the contact record that is the same person (at most one: `contact.user_id` is unique).
pub struct ContactOfUser;

impl ForeignKey for ContactOfUser {
    type Entity = contact::Entity;
    fn column() -> contact::Column {
        contact::Column::UserId
    }
    fn key_of(model: &contact::Model) -> Option<i32> {
        model.user_id
    }
}
