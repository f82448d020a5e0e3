//! Country profiles: the vocabulary and lists that differ between Chile,
//! Colombia and Mexico.

use serde::{Deserialize, Serialize};

/// A country Redes serves. Stored and sent as its code (`cl`, `co`, `mx`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Country {
    Cl,
    Co,
    Mx,
}

crate::stored_as_text!(Country);

impl Country {
    pub const ALL: [Country; 3] = [Country::Cl, Country::Co, Country::Mx];

    pub fn code(self) -> &'static str {
        match self {
            Country::Cl => "cl",
            Country::Co => "co",
            Country::Mx => "mx",
        }
    }

    /// The vocabulary and lists of this country.
    pub fn profile(self) -> &'static Profile {
        match self {
            Country::Cl => &COUNTRIES[0],
            Country::Co => &COUNTRIES[1],
            Country::Mx => &COUNTRIES[2],
        }
    }

    /// A country typed in a form or a query: its code, any case, spaces around.
    pub fn parse(text: &str) -> Option<Country> {
        text.trim().to_lowercase().parse().ok()
    }
}

impl std::str::FromStr for Country {
    type Err = UnknownCountry;
    fn from_str(code: &str) -> Result<Country, UnknownCountry> {
        Country::ALL
            .into_iter()
            .find(|c| c.code() == code)
            .ok_or(UnknownCountry)
    }
}

impl std::fmt::Display for Country {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A code that names none of the countries.
#[derive(Debug, thiserror::Error)]
#[error("país desconocido")]
pub struct UnknownCountry;

/// A country's vocabulary: names of territories, levels, codes and plans.
#[derive(Debug, Serialize)]
pub struct Profile {
    /// `cl`, `co` or `mx`.
    pub code: &'static str,
    pub name: &'static str,
    /// Names of the territory levels, from the widest to the narrowest.
    pub territory_levels: [&'static str; 3],
    /// School levels (keys stored in `schools.levels`, comma-separated).
    pub school_levels: &'static [&'static str],
    pub dependencies: &'static [&'static str],
    /// Name of the official school code (RBD, DANE, CCT).
    pub code_name: &'static str,
    /// Name of each school's improvement plan (PME, PMI, PEMC).
    pub plan_name: &'static str,
    /// What the technical head is called.
    pub technical_head: &'static str,
    /// What a school is called.
    pub school_word: &'static str,
}

pub const COUNTRIES: [Profile; 3] = [
    Profile {
        code: "cl",
        name: "Chile",
        territory_levels: ["Región", "Provincia (Deprov)", "Comuna"],
        school_levels: &[
            "parvularia",
            "básica",
            "media HC",
            "media TP",
            "adultos",
            "especial",
        ],
        dependencies: &[
            "Municipal",
            "Particular subvencionado",
            "Particular pagado",
            "Administración delegada",
            "Servicio Local de Educación",
        ],
        code_name: "RBD",
        plan_name: "PME",
        technical_head: "Jefe técnico (UTP)",
        school_word: "Establecimiento",
    },
    Profile {
        code: "co",
        name: "Colombia",
        territory_levels: ["Departamento", "Municipio", "Localidad"],
        school_levels: &[
            "preescolar",
            "básica primaria",
            "básica secundaria",
            "media",
        ],
        dependencies: &["Oficial", "No oficial"],
        code_name: "DANE",
        plan_name: "PMI",
        technical_head: "Coordinador académico",
        school_word: "Institución educativa / sede",
    },
    Profile {
        code: "mx",
        name: "México",
        territory_levels: ["Estado", "Municipio", "Localidad"],
        school_levels: &["inicial", "preescolar", "primaria", "secundaria", "CAM"],
        dependencies: &[
            "Federal",
            "Estatal",
            "Federal transferido",
            "Autónomo",
            "Particular",
        ],
        code_name: "CCT",
        plan_name: "PEMC",
        technical_head: "Subdirector académico",
        school_word: "Centro de trabajo",
    },
];

/// One choice of the schools list's level filter: a level as stored, or a
/// family of levels ("media" for "media HC" and "media TP"), which matches
/// every level of the family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelChoice {
    pub value: &'static str,
    pub family: bool,
}

/// The first word of a level ("media" of "media HC"): the family it belongs to.
fn family_of(level: &str) -> &str {
    level.split(' ').next().unwrap_or(level)
}

impl Profile {
    /// The level filter's choices in the profile's order, each family just
    /// before its first level. A family is a first word that two or more
    /// levels share, so "media" in Chile (HC and TP) and "básica" in
    /// Colombia (primaria and secundaria); a level that is a word of its own
    /// ("media" in Colombia) is already a choice.
    pub fn level_choices(&self) -> Vec<LevelChoice> {
        let mut choices = Vec::new();
        for level in self.school_levels {
            let family = family_of(level);
            let members = self
                .school_levels
                .iter()
                .filter(|l| family_of(l) == family)
                .count();
            let listed =
                |choices: &[LevelChoice], value: &str| choices.iter().any(|c| c.value == value);
            if members > 1 && family != *level && !listed(&choices, family) {
                choices.push(LevelChoice {
                    value: family,
                    family: true,
                });
            }
            if !listed(&choices, level) {
                choices.push(LevelChoice {
                    value: level,
                    family: false,
                });
            }
        }
        choices
    }
}

/// The level filter's choices for a country, or for every country (each
/// value once, in the countries' order) when none is chosen.
pub fn level_choices(country: Option<Country>) -> Vec<LevelChoice> {
    match country {
        Some(c) => c.profile().level_choices(),
        None => {
            let mut all: Vec<LevelChoice> = Vec::new();
            for choice in COUNTRIES.iter().flat_map(Profile::level_choices) {
                match all.iter_mut().find(|c| c.value == choice.value) {
                    // "básica" is a level in Chile and a family in Colombia:
                    // as a filter it matches both, so it reads as a family.
                    Some(seen) => seen.family |= choice.family,
                    None => all.push(choice),
                }
            }
            all
        }
    }
}

/// The level or family a filter names, as stored (any case or accents,
/// spaces around: "basica" is "básica"), or `None` when no country knows it.
pub fn level_filter(text: &str) -> Option<&'static str> {
    let wanted = crate::sql::fold(text.trim());
    level_choices(None)
        .into_iter()
        .map(|c| c.value)
        .find(|v| crate::sql::fold(v) == wanted)
}

pub fn find(code: &str) -> Option<&'static Profile> {
    COUNTRIES.iter().find(|c| c.code == code)
}

/// Checks an official code's shape for its country; returns the Spanish
/// problem description when it does not fit.
pub fn check_official_code(country: Country, code: &str) -> Result<(), String> {
    let digits = |range: std::ops::RangeInclusive<usize>| {
        range.contains(&code.len()) && code.chars().all(|c| c.is_ascii_digit())
    };
    let (ok, rule) = match country {
        // RBD: the Mineduc number, 1 to 5 digits.
        Country::Cl => (digits(1..=5), "common-rbd-debe-tener-1-5-digitos"),
        // DANE: 12 digits (institution) or 12+ for a sede.
        Country::Co => (digits(12..=14), "common-codigo-dane-debe-tener-12-digitos"),
        // CCT: 2 digits (state), 3 letters, 4 digits, 1 check letter.
        Country::Mx => {
            let b = code.as_bytes();
            let ok = b.len() == 10
                && b[..2].iter().all(u8::is_ascii_digit)
                && b[2..5].iter().all(u8::is_ascii_uppercase)
                && b[5..9].iter().all(u8::is_ascii_digit)
                && b[9].is_ascii_uppercase();
            (ok, "common-cct-debe-tener-forma-22dpr0001a-2")
        }
    };
    if ok {
        Ok(())
    } else {
        Err(rule.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_codes_follow_each_country_shape() {
        assert!(check_official_code(Country::Cl, "8523").is_ok());
        assert!(check_official_code(Country::Cl, "85A3").is_err());
        assert!(check_official_code(Country::Co, "173001000123").is_ok());
        assert!(check_official_code(Country::Co, "1730").is_err());
        assert!(check_official_code(Country::Mx, "22DPR0001A").is_ok());
        assert!(check_official_code(Country::Mx, "22dpr0001a").is_err());
        assert!("pe".parse::<Country>().is_err());
    }

    #[test]
    fn level_families_come_before_their_levels() {
        let chile: Vec<(&str, bool)> = Country::Cl
            .profile()
            .level_choices()
            .into_iter()
            .map(|c| (c.value, c.family))
            .collect();
        assert_eq!(
            chile,
            [
                ("parvularia", false),
                ("básica", false),
                ("media", true),
                ("media HC", false),
                ("media TP", false),
                ("adultos", false),
                ("especial", false)
            ]
        );
        let colombia = Country::Co.profile().level_choices();
        assert!(colombia.contains(&LevelChoice {
            value: "básica",
            family: true
        }));
        // Colombia's "media" is a level of its own, listed once.
        assert_eq!(colombia.iter().filter(|c| c.value == "media").count(), 1);
        let all = level_choices(None);
        assert_eq!(all.iter().filter(|c| c.value == "básica").count(), 1);
        assert!(all.iter().any(|c| c.value == "básica" && c.family));
        assert_eq!(level_filter(" MEDIA hc "), Some("media HC"));
        assert_eq!(level_filter("cam"), Some("CAM"));
        assert_eq!(level_filter("media"), Some("media"));
        assert_eq!(level_filter("Basica"), Some("básica"));
        assert_eq!(level_filter("universitaria"), None);
    }

    #[test]
    fn profiles_name_plans_and_codes() {
        assert_eq!(find("mx").unwrap().plan_name, "PEMC");
        assert_eq!(find("co").unwrap().code_name, "DANE");
        assert_eq!(find("cl").unwrap().technical_head, "Jefe técnico (UTP)");
    }
}
