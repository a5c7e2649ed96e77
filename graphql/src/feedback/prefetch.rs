//! Loads ahead the relations a list of feedback items was asked for (see `country::prefetch`).

use async_graphql::{Context, Lookahead};

use super::FeedbackSections;
use crate::engine::loader::prime_linked;
use crate::error::Result;

pub async fn prefetch(ctx: &Context<'_>, feedback: &Lookahead<'_>, feedback_ids: &[i32]) -> Result<()> {
    if feedback.field("sections").exists() {
        prime_linked::<FeedbackSections>(ctx, feedback_ids).await?;
    }
    Ok(())
}
