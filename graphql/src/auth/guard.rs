//! The one authorization mechanism at field level: `#[graphql(guard = "Require(Access::…)")]`.

use async_graphql::{Context, Guard};

use crate::context::{Access, Viewer};

pub struct Require(pub Access);

impl Guard for Require {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        viewer(ctx).require(self.0)?;
        Ok(())
    }
}

/// The request's viewer; anonymous when the transport set none (e.g. schema tooling).
pub fn viewer<'a>(ctx: &'a Context<'_>) -> &'a Viewer {
    static ANONYMOUS: Viewer = Viewer::Anonymous;
    ctx.data_opt::<Viewer>().unwrap_or(&ANONYMOUS)
}
