//! Country-owned private records (pilots, planned uses, contacts): resolving the country a write
//! is for. Who may read them is in [`crate::policy`].

use entity::country;
use sea_orm::ConnectionTrait;

use super::find_by_iso3;
use crate::context::Viewer;
use crate::error::{AppError, Result};

/// Resolves the country a record is written for (`NOT_FOUND`/`BAD_USER_INPUT` on `field`) and
/// checks that the viewer may write that country's records (`FORBIDDEN`).
pub async fn writable_country(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    iso3: &str,
    field: &str,
) -> Result<country::Model> {
    viewer.principal()?;
    let country = find_by_iso3(db, iso3, field).await?;
    viewer.require_country_writer(country.id)?;
    Ok(country)
}

/// Pilots and planned uses belong to Champion countries.
pub fn require_champion(country: &country::Model, field: &str) -> Result<()> {
    if country.is_champion {
        Ok(())
    } else {
        Err(AppError::bad_input(field, format!("{} is not a Champion country", country.name)))
    }
}
