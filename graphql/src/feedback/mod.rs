//! Feedback on the guidance: who gave it (a country, a stakeholder or a named collective), on
//! which draft, about which sections, through which channel — and how it was triaged.
//!
//! Visibility: the Secretariat and working-group leads read all feedback; a Champion focal point
//! reads its own country's feedback and collective feedback (e.g. "Champions"), never another
//! country's or a stakeholder's.

mod mutation;
mod prefetch;
mod query;
mod service;
mod types;

pub use mutation::FeedbackMutation;
pub use prefetch::prefetch;
pub use query::FeedbackQuery;
pub use types::{
    Feedback, FeedbackOfCountry, FeedbackOfEvent, FeedbackOfPilot, FeedbackSections, SectionFeedback, visible_children,
};
