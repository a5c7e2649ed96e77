//! sea-orm entities, one module per table. Enums are stored as their string values so the
//! database stays readable and the same migrations serve SQLite and PostgreSQL.

pub mod audit_log;
pub mod champion_term;
pub mod common;
pub mod contact;
pub mod country;
pub mod document;
pub mod event;
pub mod event_country;
pub mod event_participant;
pub mod event_section;
pub mod feedback;
pub mod feedback_section;
pub mod follow_up_action;
pub mod guide_section;
pub mod guide_version;
pub mod milestone;
pub mod pilot;
pub mod planned_use;
pub mod planned_use_country;
pub mod planned_use_event;
pub mod planned_use_section;
pub mod revision;
pub mod revision_feedback;
pub mod revision_section;
pub mod role_assignment;
pub mod stakeholder;
pub mod user_account;

pub mod prelude {
    pub use super::audit_log::Entity as AuditLog;
    pub use super::champion_term::Entity as ChampionTerm;
    pub use super::contact::Entity as Contact;
    pub use super::country::Entity as Country;
    pub use super::document::Entity as Document;
    pub use super::event::Entity as Event;
    pub use super::event_country::Entity as EventCountry;
    pub use super::event_participant::Entity as EventParticipant;
    pub use super::event_section::Entity as EventSection;
    pub use super::feedback::Entity as Feedback;
    pub use super::feedback_section::Entity as FeedbackSection;
    pub use super::follow_up_action::Entity as FollowUpAction;
    pub use super::guide_section::Entity as GuideSection;
    pub use super::guide_version::Entity as GuideVersion;
    pub use super::milestone::Entity as Milestone;
    pub use super::pilot::Entity as Pilot;
    pub use super::planned_use::Entity as PlannedUse;
    pub use super::planned_use_country::Entity as PlannedUseCountry;
    pub use super::planned_use_event::Entity as PlannedUseEvent;
    pub use super::planned_use_section::Entity as PlannedUseSection;
    pub use super::revision::Entity as Revision;
    pub use super::revision_feedback::Entity as RevisionFeedback;
    pub use super::revision_section::Entity as RevisionSection;
    pub use super::role_assignment::Entity as RoleAssignment;
    pub use super::stakeholder::Entity as Stakeholder;
    pub use super::user_account::Entity as UserAccount;
}
