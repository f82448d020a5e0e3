//! School types and the parsing of user input into a valid school.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::country::{self, Country};
use crate::error::FieldErrors;
use crate::ids::SchoolId;

/// A school (establecimiento, institución educativa or sede, centro de trabajo).
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct School {
    pub id: SchoolId,
    /// `cl`, `co` or `mx`.
    pub country: Country,
    /// RBD, DANE or CCT.
    pub official_code: String,
    pub name: String,
    /// The institution this sede belongs to (Colombia).
    pub parent_id: Option<SchoolId>,
    /// Comma-separated level keys from the country profile.
    pub levels: String,
    pub dependency: String,
    pub modality: String,
    pub shift: String,
    pub rural: i64,
    pub region: String,
    pub province: String,
    pub commune: String,
    pub colonia: String,
    pub address: String,
    /// Mexico: the supervision zone (the zone's CCT, `SUPERVISION_CV_CCT`
    /// in the SEP catalogue); empty elsewhere.
    pub supervision_zone: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub classrooms: Option<i64>,
    pub teachers: Option<i64>,
    pub students: Option<i64>,
    pub operating: i64,
    pub synthetic: i64,
    pub archived: i64,
    /// What in the row needs a person's look, as codes (`placeholder_name`,
    /// `no_levels`), comma-separated; empty when the row reads well.
    pub review_note: String,
    pub created_at: String,
    pub updated_at: String,
}

pub const SCHOOL_COLUMNS: &str = "id, country, official_code, name, parent_id, levels, dependency, modality, shift, rural, region, province, commune, colonia, address, supervision_zone, latitude, longitude, classrooms, teachers, students, operating, synthetic, archived, review_note, created_at, updated_at";

pub const MODALITIES: [&str; 8] = [
    "general",
    "indígena",
    "técnica",
    "telesecundaria",
    "multigrado",
    "CAM",
    "comunitario",
    "especial",
];
pub const SHIFTS: [&str; 5] = ["", "matutino", "vespertino", "completo", "nocturno"];

/// What a person types in the school form or sends to the API. Every field
/// is text so that a rejected form shows exactly what was typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"country": "cl", "official_code": "99001", "name": "Escuela Básica Los Aromos",
    "levels": "básica", "modality": "general", "shift": "completo", "region": "Maule", "province": "Talca",
    "commune": "Talca", "address": "Los Aromos 123", "latitude": "-35.4264", "longitude": "-71.6554",
    "classrooms": "12", "teachers": "20", "students": "340"}))]
pub struct SchoolInput {
    /// `cl`, `co` or `mx`.
    #[schema(pattern = "^(cl|co|mx)$")]
    pub country: String,
    /// RBD (1 to 5 digits, Chile), DANE (12 to 14 digits, Colombia) or CCT
    /// (`22DPR0001A`, Mexico), matching `country`.
    #[schema(pattern = "^([0-9]{1,5}|[0-9]{12,14}|[0-9]{2}[A-Z]{3}[0-9]{4}[A-Z])$")]
    pub official_code: String,
    /// Required, at most 200 characters.
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub name: String,
    pub parent_code: String,
    pub levels: String,
    pub dependency: String,
    /// Empty means `general`.
    #[schema(
        pattern = "^(general|indígena|técnica|telesecundaria|multigrado|CAM|comunitario|especial)?$"
    )]
    pub modality: String,
    #[schema(pattern = "^(matutino|vespertino|completo|nocturno)?$")]
    pub shift: String,
    pub rural: String,
    /// Region, department or state; required.
    #[schema(pattern = "\\S")]
    pub region: String,
    pub province: String,
    pub commune: String,
    pub colonia: String,
    pub address: String,
    /// Mexico: the supervision zone's CCT (`22FZP0038B`); empty for none.
    #[schema(pattern = "^([0-9]{2}[A-Z]{3}[0-9]{4}[A-Z])?$")]
    pub supervision_zone: String,
    /// Decimal degrees, -90 to 90, with `longitude`; empty for none.
    #[schema(pattern = "^(-?[0-9]{1,2}([.,][0-9]+)?)?$")]
    pub latitude: String,
    /// Decimal degrees, -180 to 180, with `latitude`; empty for none.
    #[schema(pattern = "^(-?[0-9]{1,3}([.,][0-9]+)?)?$")]
    pub longitude: String,
    #[schema(pattern = "^[0-9]*$")]
    pub classrooms: String,
    #[schema(pattern = "^[0-9]*$")]
    pub teachers: String,
    #[schema(pattern = "^[0-9]*$")]
    pub students: String,
}

/// A school ready to be written: every value checked.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSchool {
    pub country: Country,
    pub official_code: String,
    pub name: String,
    pub parent_code: Option<String>,
    pub levels: String,
    pub dependency: String,
    pub modality: String,
    pub shift: String,
    pub rural: bool,
    pub region: String,
    pub province: String,
    pub commune: String,
    pub colonia: String,
    pub address: String,
    pub supervision_zone: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub classrooms: Option<i64>,
    pub teachers: Option<i64>,
    pub students: Option<i64>,
    pub operating: bool,
    pub synthetic: bool,
}

impl NewSchool {
    /// What a person should look at in this row (see `School::review_note`):
    /// a name with no letter in it (the directory's "..") or no levels.
    pub fn review_note(&self) -> String {
        let mut notes = Vec::new();
        if !self.name.chars().any(char::is_alphabetic) {
            notes.push("placeholder_name");
        }
        if self.levels.trim().is_empty() {
            notes.push("no_levels");
        }
        notes.join(",")
    }

    pub fn territory(&self) -> crate::auth::policy::Territory<'_> {
        crate::auth::policy::Territory {
            country: self.country,
            region: &self.region,
            province: &self.province,
            zone: &self.supervision_zone,
        }
    }
}

impl From<&School> for SchoolInput {
    fn from(s: &School) -> Self {
        let num = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
        let float = |v: Option<f64>| v.map(|n| n.to_string()).unwrap_or_default();
        SchoolInput {
            country: s.country.code().to_string(),
            official_code: s.official_code.clone(),
            name: s.name.clone(),
            parent_code: String::new(),
            levels: s.levels.clone(),
            dependency: s.dependency.clone(),
            modality: s.modality.clone(),
            shift: s.shift.clone(),
            rural: if s.rural != 0 {
                "1".into()
            } else {
                String::new()
            },
            region: s.region.clone(),
            province: s.province.clone(),
            commune: s.commune.clone(),
            colonia: s.colonia.clone(),
            address: s.address.clone(),
            supervision_zone: s.supervision_zone.clone(),
            latitude: float(s.latitude),
            longitude: float(s.longitude),
            classrooms: num(s.classrooms),
            teachers: num(s.teachers),
            students: num(s.students),
        }
    }
}

impl SchoolInput {
    /// Checks every field; on failure returns a message per field.
    pub fn parse(&self) -> Result<NewSchool, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let country = Country::parse(&self.country);
        if country.is_none() {
            errors.insert("country".into(), "schools-elija-chile-colombia-mexico".into());
        }
        let official_code = self.official_code.trim().to_uppercase();
        if official_code.is_empty() {
            errors.insert(
                "official_code".into(),
                "schools-codigo-oficial-es-obligatorio".into(),
            );
        } else if let Some(c) = country {
            if let Err(problem) = country::check_official_code(c, &official_code) {
                errors.insert("official_code".into(), problem);
            }
        }
        let name = self.name.trim().to_string();
        if name.is_empty() {
            errors.insert("name".into(), "schools-nombre-es-obligatorio".into());
        } else if name.chars().count() > 200 {
            errors.insert(
                "name".into(),
                "schools-nombre-no-puede-superar-200-caracteres".into(),
            );
        }
        let modality = if self.modality.trim().is_empty() {
            "general".to_string()
        } else {
            self.modality.trim().to_string()
        };
        if !MODALITIES.contains(&modality.as_str()) {
            errors.insert(
                "modality".into(),
                crate::text::message("schools-modalidad-desconocida", &[("modality", &modality)]),
            );
        }
        let shift = self.shift.trim().to_lowercase();
        if !SHIFTS.contains(&shift.as_str()) {
            errors.insert(
                "shift".into(),
                crate::text::message("schools-jornada-turno-desconocido", &[("shift", &shift)]),
            );
        }
        let latitude = parse_float(&self.latitude, "latitude", -90.0, 90.0, &mut errors);
        let longitude = parse_float(&self.longitude, "longitude", -180.0, 180.0, &mut errors);
        if latitude.is_some() != longitude.is_some()
            && !errors.contains_key("latitude")
            && !errors.contains_key("longitude")
        {
            errors.insert(
                "longitude".into(),
                "schools-indique-latitud-longitud-juntas".into(),
            );
        }
        let classrooms = parse_count(&self.classrooms, "classrooms", &mut errors);
        let teachers = parse_count(&self.teachers, "teachers", &mut errors);
        let students = parse_count(&self.students, "students", &mut errors);
        if self.region.trim().is_empty() {
            errors.insert(
                "region".into(),
                "schools-region-departamento-estado-es-obligatorio".into(),
            );
        }
        let supervision_zone = self.supervision_zone.trim().to_uppercase();
        if !supervision_zone.is_empty() {
            if country != Some(Country::Mx) {
                errors.insert(
                    "supervision_zone".into(),
                    "schools-solo-escuelas-mexico-tienen-zona-supervision".into(),
                );
            } else if country::check_official_code(Country::Mx, &supervision_zone).is_err() {
                errors.insert(
                    "supervision_zone".into(),
                    "schools-zona-indica-con-clave-centro-trabajo".into(),
                );
            }
        }
        let Some(country) = country.filter(|_| errors.is_empty()) else {
            return Err(errors);
        };
        let parent_code = Some(self.parent_code.trim().to_uppercase()).filter(|c| !c.is_empty());
        Ok(NewSchool {
            country,
            official_code,
            name,
            parent_code,
            levels: normalise_list(&self.levels),
            dependency: self.dependency.trim().to_string(),
            modality,
            shift,
            rural: matches!(self.rural.trim(), "1" | "on" | "true" | "sí" | "si"),
            region: self.region.trim().to_string(),
            province: self.province.trim().to_string(),
            commune: self.commune.trim().to_string(),
            colonia: self.colonia.trim().to_string(),
            address: self.address.trim().to_string(),
            supervision_zone,
            latitude,
            longitude,
            classrooms,
            teachers,
            students,
            operating: true,
            synthetic: false,
        })
    }
}

fn normalise_list(text: &str) -> String {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_float(
    text: &str,
    field: &str,
    min: f64,
    max: f64,
    errors: &mut FieldErrors,
) -> Option<f64> {
    let text = text.trim().replace(',', ".");
    if text.is_empty() {
        return None;
    }
    match text.parse::<f64>() {
        Ok(v) if (min..=max).contains(&v) => Some(v),
        Ok(_) => {
            errors.insert(field.into(), crate::text::message("schools-debe-estar-entre", &[("min", &min), ("max", &max)]));
            None
        }
        Err(_) => {
            errors.insert(field.into(), "schools-debe-ser-numero".into());
            None
        }
    }
}

fn parse_count(text: &str, field: &str, errors: &mut FieldErrors) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let max = crate::limits::MAX_COUNT;
    match text.parse::<i64>() {
        Ok(v) if (0..=max).contains(&v) => Some(v),
        _ => {
            errors.insert(
                field.into(),
                crate::text::message("schools-debe-ser-numero-entero-entre-0", &[("max", &max)]),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> SchoolInput {
        SchoolInput {
            country: "cl".into(),
            official_code: "4587".into(),
            name: "Liceo Juan Martínez de Rozas".into(),
            region: "Biobío".into(),
            latitude: "-36,82".into(),
            longitude: "-73.05".into(),
            classrooms: "24".into(),
            ..SchoolInput::default()
        }
    }

    #[test]
    fn a_valid_form_becomes_a_school_with_decimal_commas_accepted() {
        let school = valid().parse().unwrap();
        assert_eq!(school.latitude, Some(-36.82));
        assert_eq!(school.classrooms, Some(24));
        assert_eq!(school.modality, "general");
    }

    #[test]
    fn each_bad_field_is_named_with_its_problem() {
        let input = SchoolInput {
            name: " ".into(),
            official_code: "ABC".into(),
            latitude: "120".into(),
            classrooms: "-3".into(),
            shift: "madrugada".into(),
            ..valid()
        };
        let errors = input.parse().unwrap_err();
        assert_eq!(crate::text::es(&errors["name"]), "El nombre es obligatorio");
        assert!(crate::text::es(&errors["official_code"]).contains("RBD"));
        assert!(crate::text::es(&errors["latitude"]).contains("entre -90 y 90"));
        assert!(crate::text::es(&errors["classrooms"]).contains("entero"));
        assert!(crate::text::es(&errors["shift"]).contains("madrugada"));
    }

    #[test]
    fn a_supervision_zone_is_a_mexican_cct() {
        let mexican = SchoolInput {
            country: "mx".into(),
            official_code: "22DPR0001A".into(),
            region: "Querétaro".into(),
            supervision_zone: " 22fiz0041f ".into(),
            ..valid()
        };
        assert_eq!(mexican.parse().unwrap().supervision_zone, "22FIZ0041F");
        let bad = SchoolInput {
            supervision_zone: "zona 4".into(),
            ..mexican.clone()
        };
        assert!(crate::text::es(&bad.parse().unwrap_err()["supervision_zone"]).contains("22FZP0038B"));
        let chilean = SchoolInput {
            supervision_zone: "22FIZ0041F".into(),
            ..valid()
        };
        assert!(crate::text::es(&chilean.parse().unwrap_err()["supervision_zone"]).contains("México"));
    }
}

/// One of a person's schools on their home page.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OwnSchool {
    pub id: SchoolId,
    pub name: String,
    pub commune: String,
    /// Networks it belongs to today.
    pub networks: i64,
    /// People with a role in it today.
    pub people: i64,
}
