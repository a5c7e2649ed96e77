use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::country;
use entity::user_account::{self, UserRole};

use crate::audit;
use crate::auth::guard::viewer;
use crate::contact::{Contact, ContactOfUser};
use crate::country::Country;
use crate::engine::loader::{children, maybe_by_id};
use crate::error::Result;
use crate::id::{NodeType, global_id};

/// A person who signs in. Visible to themselves and to the Secretariat.
pub struct User(pub user_account::Model);

/// A person who signs in: a Secretariat administrator, a working-group lead or a Champion country's focal point.
/// Visible to the person themself and to the Secretariat.
#[Object]
impl User {
    /// Opaque global id; refetch the object with `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id(NodeType::User, self.0.id)
    }
    /// Sign-in email, in lower case.
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// Name shown for the person; the email when none was given.
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    /// What the account may do.
    async fn role(&self) -> UserRole {
        self.0.role
    }
    /// The Champion country a CHAMPION account acts for.
    async fn country(&self, ctx: &Context<'_>) -> Result<Option<Country>> {
        Ok(maybe_by_id::<country::Entity>(ctx, self.0.country_id).await?.map(Country))
    }
    /// The person's contact record, when the account is a focal point linked to one; null when
    /// there is none or you may not read it.
    async fn contact(&self, ctx: &Context<'_>) -> Result<Option<Contact>> {
        let found = children::<ContactOfUser>(ctx, self.0.id).await?.into_iter().next();
        Ok(found.filter(|contact| crate::policy::can_read_contact(viewer(ctx), contact)).map(Contact))
    }
    /// Whether the account may sign in; a deactivated account's tokens stop working.
    async fn active(&self) -> bool {
        self.0.active
    }
    /// When the account last signed in; null if never.
    async fn last_login_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_login_at
    }
    /// When the record was created in the tracker.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the record last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Every recorded change to this account, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> Result<Vec<audit::AuditEntry>> {
        audit::history(ctx, NodeType::User, self.0.id).await
    }
    /// Optimistic-concurrency version; pass it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// An access token and the account it is for.
#[derive(SimpleObject)]
pub struct LoginPayload {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// When the token stops working.
    pub expires_at: DateTime<Utc>,
    /// The signed-in account.
    pub user: User,
}
