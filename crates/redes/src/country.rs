//! Country profiles: the vocabulary and lists that differ between Chile,
//! Colombia and Mexico.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Country {
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

pub const COUNTRIES: [Country; 3] = [
    Country {
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
    Country {
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
    Country {
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

pub fn find(code: &str) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.code == code)
}

/// Checks an official code's shape for its country; returns the Spanish
/// problem description when it does not fit.
pub fn check_official_code(country: &str, code: &str) -> Result<(), String> {
    let ok = match country {
        // RBD: the Mineduc number, 1 to 5 digits.
        "cl" => (1..=5).contains(&code.len()) && code.chars().all(|c| c.is_ascii_digit()),
        // DANE: 12 digits (institution) or 12+ for a sede.
        "co" => (12..=14).contains(&code.len()) && code.chars().all(|c| c.is_ascii_digit()),
        // CCT: 2 digits (state), 3 letters, 4 digits, 1 check letter.
        "mx" => {
            let b = code.as_bytes();
            b.len() == 10
                && b[..2].iter().all(u8::is_ascii_digit)
                && b[2..5].iter().all(u8::is_ascii_uppercase)
                && b[5..9].iter().all(u8::is_ascii_digit)
                && b[9].is_ascii_uppercase()
        }
        _ => return Err("país desconocido".into()),
    };
    if ok {
        return Ok(());
    }
    Err(match country {
        "cl" => "el RBD debe tener de 1 a 5 dígitos".into(),
        "co" => "el código DANE debe tener 12 dígitos (o hasta 14 para una sede)".into(),
        _ => {
            "la CCT debe tener la forma 22DPR0001A (2 dígitos, 3 letras, 4 dígitos, 1 letra)".into()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_codes_follow_each_country_shape() {
        assert!(check_official_code("cl", "8523").is_ok());
        assert!(check_official_code("cl", "85A3").is_err());
        assert!(check_official_code("co", "173001000123").is_ok());
        assert!(check_official_code("co", "1730").is_err());
        assert!(check_official_code("mx", "22DPR0001A").is_ok());
        assert!(check_official_code("mx", "22dpr0001a").is_err());
        assert!(check_official_code("pe", "1").is_err());
    }

    #[test]
    fn profiles_name_plans_and_codes() {
        assert_eq!(find("mx").unwrap().plan_name, "PEMC");
        assert_eq!(find("co").unwrap().code_name, "DANE");
        assert_eq!(find("cl").unwrap().technical_head, "Jefe técnico (UTP)");
    }
}
