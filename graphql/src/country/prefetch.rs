//! Loads ahead the relations a list of countries was asked for: one statement per relation for
//! the whole list, whatever its length, instead of batches that depend on timing.

use async_graphql::{Context, Lookahead, Value};

use crate::engine::loader::{prime_children, prime_latest, selections_of};
use crate::error::Result;
use crate::feedback::FeedbackOfCountry;
use crate::role::RolesOfCountry;
use crate::roster::TermsOfCountry;

pub async fn prefetch(ctx: &Context<'_>, country: &Lookahead<'_>, country_ids: &[i32]) -> Result<()> {
    if country.field("roles").exists() {
        prime_children::<RolesOfCountry>(ctx, country_ids).await?;
    }
    if country.field("championTerms").exists() || country.field("isCoChair").exists() {
        prime_children::<TermsOfCountry>(ctx, country_ids).await?;
    }
    for (arguments, feedback) in selections_of(country, "feedback")? {
        let latest = arguments.iter().find(|(name, _)| name.as_str() == "latest").map(|(_, value)| value);
        let feedback_ids = match latest {
            None | Some(Value::Null) => prime_children::<FeedbackOfCountry>(ctx, country_ids).await?,
            Some(Value::Number(n)) => match n.as_u64().filter(|n| (1..=100).contains(n)) {
                Some(limit) => prime_latest::<FeedbackOfCountry>(ctx, country_ids, limit).await?,
                None => continue, // out of range: the field itself refuses it
            },
            Some(_) => continue,
        };
        crate::feedback::prefetch(ctx, &feedback, &feedback_ids).await?;
    }
    Ok(())
}
