use async_graphql::ID;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::{AppError, Result};

/// The object types that have global ids. The name is part of the id, so ids never collide
/// across types even though table keys do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeType {
    AuditEntry,
    ChampionTerm,
    Contact,
    Country,
    Document,
    Event,
    EventParticipant,
    Feedback,
    FollowUpAction,
    GuideVersion,
    Milestone,
    Pilot,
    PlannedUse,
    Revision,
    RoleAssignment,
    Section,
    Stakeholder,
    User,
}

impl NodeType {
    pub const ALL: [NodeType; 18] = [
        Self::AuditEntry,
        Self::ChampionTerm,
        Self::Contact,
        Self::Country,
        Self::Document,
        Self::Event,
        Self::EventParticipant,
        Self::Feedback,
        Self::FollowUpAction,
        Self::GuideVersion,
        Self::Milestone,
        Self::Pilot,
        Self::PlannedUse,
        Self::Revision,
        Self::RoleAssignment,
        Self::Section,
        Self::Stakeholder,
        Self::User,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::AuditEntry => "AuditEntry",
            Self::ChampionTerm => "ChampionTerm",
            Self::Contact => "Contact",
            Self::Country => "Country",
            Self::Event => "Event",
            Self::EventParticipant => "EventParticipant",
            Self::Feedback => "Feedback",
            Self::FollowUpAction => "FollowUpAction",
            Self::Milestone => "Milestone",
            Self::Pilot => "Pilot",
            Self::PlannedUse => "PlannedUse",
            Self::Revision => "Revision",
            Self::RoleAssignment => "RoleAssignment",
            Self::Document => "Document",
            Self::GuideVersion => "GuideVersion",
            Self::Section => "Section",
            Self::Stakeholder => "Stakeholder",
            Self::User => "User",
        }
    }
}

pub fn global_id(kind: NodeType, id: i32) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.name())))
}

pub fn decode_global_id(id: &ID, field: &str) -> Result<(NodeType, i32)> {
    let invalid = || AppError::bad_input(field, "Not a valid id");
    let text =
        URL_SAFE_NO_PAD.decode(id.as_str()).ok().and_then(|bytes| String::from_utf8(bytes).ok()).ok_or_else(invalid)?;
    let (name, key) = text.split_once(':').ok_or_else(invalid)?;
    let kind = NodeType::ALL.into_iter().find(|k| k.name() == name).ok_or_else(invalid)?;
    let key = key.parse::<i32>().map_err(|_| invalid())?;
    Ok((kind, key))
}

/// Decodes an id that must name an object of type `expected`.
pub fn expect_global_id(id: &ID, expected: NodeType, field: &str) -> Result<i32> {
    match decode_global_id(id, field)? {
        (kind, key) if kind == expected => Ok(key),
        _ => Err(AppError::bad_input(field, format!("Expected the id of a {}", expected.name()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_round_trips_and_names_are_unique() {
        let names: std::collections::HashSet<_> = NodeType::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names.len(), NodeType::ALL.len());
        for kind in NodeType::ALL {
            // Exhaustive: a new variant must be added to ALL, or this match stops compiling.
            match kind {
                NodeType::AuditEntry
                | NodeType::ChampionTerm
                | NodeType::Contact
                | NodeType::Country
                | NodeType::Document
                | NodeType::Event
                | NodeType::EventParticipant
                | NodeType::Feedback
                | NodeType::FollowUpAction
                | NodeType::GuideVersion
                | NodeType::Milestone
                | NodeType::Pilot
                | NodeType::PlannedUse
                | NodeType::Revision
                | NodeType::RoleAssignment
                | NodeType::Section
                | NodeType::Stakeholder
                | NodeType::User => {}
            }
            assert_eq!(decode_global_id(&global_id(kind, 42), "id"), Ok((kind, 42)));
        }
        assert!(decode_global_id(&ID("bm9wZTox".into()), "id").is_err());
    }
}
