//! Country-owned private records (pilots, planned uses, contacts): resolving the country a write
//! is for. Who may read them is in [`crate::policy`].

use entity::country;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::find_by_iso3;
use crate::context::Viewer;
use crate::error::{AppError, Result};
use crate::validate::MAX_LINKS;

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

/// The Member States a planned use or an event reaches or supports, from their ISO3 codes (in any
/// case; duplicates ignored), in the order given. An unknown code is `NOT_FOUND` on `field.N`; a
/// record does not name its own country (`owner`).
pub async fn supported_countries(
    db: &impl ConnectionTrait,
    codes: &[String],
    field: &str,
    owner: Option<i32>,
) -> Result<Vec<i32>> {
    if codes.len() > MAX_LINKS {
        return Err(AppError::bad_input(field, format!("At most {MAX_LINKS} countries")));
    }
    let wanted: Vec<String> = codes.iter().map(|code| code.trim().to_ascii_uppercase()).collect();
    let found = country::Entity::find().filter(country::Column::Iso3.is_in(wanted.clone())).all(db).await?;
    let mut ids = Vec::new();
    for (i, code) in wanted.iter().enumerate() {
        let country = found
            .iter()
            .find(|c| &c.iso3 == code)
            .ok_or_else(|| AppError::not_found("Country", format!("{field}.{i}")))?;
        if Some(country.id) == owner {
            return Err(AppError::bad_input(
                format!("{field}.{i}"),
                "Name the other Member States reached or supported, not the record's own country",
            ));
        }
        if !ids.contains(&country.id) {
            ids.push(country.id);
        }
    }
    Ok(ids)
}
