//! sea-orm entities, one module per table. Enums are stored as their string values so the
//! database stays readable and the same migrations serve SQLite and PostgreSQL.

pub mod common;
pub mod country;
pub mod document;
pub mod guide_section;
pub mod guide_version;
pub mod stakeholder;
pub mod user_account;

pub mod prelude {
    pub use super::country::Entity as Country;
    pub use super::document::Entity as Document;
    pub use super::guide_section::Entity as GuideSection;
    pub use super::guide_version::Entity as GuideVersion;
    pub use super::stakeholder::Entity as Stakeholder;
    pub use super::user_account::Entity as UserAccount;
}
