//! Every UN Member State, from the `keshvar` country data set.

use std::collections::HashSet;

use chrono::Utc;
use entity::country;
use keshvar::CountryIterator;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, QuerySelect, Set};

/// Inserts the UN Member States that are not in the table yet; returns how many were added.
pub async fn load_countries(db: &impl ConnectionTrait) -> anyhow::Result<usize> {
    let existing: HashSet<String> = country::Entity::find()
        .select_only()
        .column(country::Column::Iso3)
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let now = Utc::now();
    let missing: Vec<country::ActiveModel> = CountryIterator::new()
        .filter(|c| c.un_member())
        .filter(|c| !existing.contains(&c.alpha3().to_string()))
        .map(|c| country::ActiveModel {
            iso3: Set(c.alpha3().to_string()),
            iso2: Set(c.alpha2().to_string()),
            name: Set(c.iso_short_name().to_owned()),
            official_name: Set(c.iso_long_name().to_owned()),
            region: Set(c.maybe_region().map(|r| region_name(&r.to_string())).unwrap_or_else(|| "Unknown".into())),
            subregion: Set(c.maybe_subregion().map(|r| region_name(&r.to_string()))),
            is_champion: Set(false),
            champion_since: Set(None),
            champion_provenance: Set(None),
            champion_note: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        })
        .collect();
    if missing.is_empty() {
        return Ok(0);
    }
    // Several instances may start together on one empty database: let the first insert win.
    let inserted = country::Entity::insert_many(missing)
        .on_conflict(OnConflict::column(country::Column::Iso3).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(inserted as usize)
}

/// keshvar's slugs as UN M49 names: `"south-eastern-asia"` → `"South-eastern Asia"`.
fn region_name(slug: &str) -> String {
    let words: Vec<String> = slug
        .split('-')
        .enumerate()
        .map(|(i, word)| {
            if i > 0 && word == "and" {
                return word.to_owned();
            }
            let mut chars = word.chars();
            chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
        })
        .collect();
    words.join(" ").replace("South Eastern", "South-eastern")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_regions_as_m49_does() {
        assert_eq!(region_name("south-eastern-asia"), "South-eastern Asia");
        assert_eq!(region_name("australia-and-new-zealand"), "Australia and New Zealand");
        assert_eq!(region_name("americas"), "Americas");
    }

    #[test]
    fn data_set_has_every_un_member_state() {
        let members = CountryIterator::new().filter(|c| c.un_member()).count();
        assert_eq!(members, 193);
    }
}
