//! Rows of Chile's official directory (Mineduc's `directorio_oficial_ee`, as
//! published: `;`-separated, decimal commas, names in capitals).

use super::limits::{self, shown};
use crate::schools::model::NewSchool;

/// Chile's region names by the directory's COD_REG_RBD.
pub fn chile_region(code: &str) -> Option<&'static str> {
    Some(match code {
        "1" => "Tarapacá",
        "2" => "Antofagasta",
        "3" => "Atacama",
        "4" => "Coquimbo",
        "5" => "Valparaíso",
        "6" => "O'Higgins",
        "7" => "Maule",
        "8" => "Biobío",
        "9" => "La Araucanía",
        "10" => "Los Lagos",
        "11" => "Aysén",
        "12" => "Magallanes",
        "13" => "Metropolitana",
        "14" => "Los Ríos",
        "15" => "Arica y Parinacota",
        "16" => "Ñuble",
        _ => return None,
    })
}

/// COD_DEPE2 per the directory's codebook.
fn chile_dependency(code: &str) -> &'static str {
    match code {
        "1" => "Municipal",
        "2" => "Particular subvencionado",
        "3" => "Particular pagado",
        "4" => "Administración delegada",
        "5" => "Servicio Local de Educación",
        _ => "",
    }
}

/// Teaching codes (ENS_01..ENS_11) grouped into the country profile's levels.
fn chile_level(code: u32) -> Option<&'static str> {
    match code {
        10 => Some("parvularia"),
        110 => Some("básica"),
        160..=199 | 360..=399 => Some("adultos"),
        200..=299 => Some("especial"),
        310 => Some("media HC"),
        410..=999 if code % 100 >= 60 => Some("adultos"),
        410..=999 => Some("media TP"),
        _ => None,
    }
}

/// "LA FLORIDA" → "La Florida"; the directory writes names in capitals.
/// Roman numerals ("Siglo XXI", "Juan Pablo II") and codes with digits
/// ("Escuela D-471") keep their capitals, as people write them.
pub fn title_case(text: &str) -> String {
    const SMALL: [&str; 8] = ["de", "del", "la", "las", "los", "y", "el", "e"];
    text.split_whitespace()
        .enumerate()
        .map(|(i, word)| {
            let lower = word.to_lowercase();
            if i > 0 && SMALL.contains(&lower.as_str()) {
                return lower;
            }
            if is_roman_numeral(word) || word.chars().any(|c| c.is_ascii_digit()) {
                return word.to_uppercase();
            }
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// I to XXXIX, the numerals school names use (Juan XXIII, Siglo XXI, Pío
/// XII). "Mi" or "Di" are words, not numerals: only I, V and X count.
fn is_roman_numeral(word: &str) -> bool {
    let upper = word.to_uppercase();
    let rest = upper.trim_start_matches('X');
    let tens = upper.len() - rest.len();
    let units = matches!(
        rest,
        "" | "I" | "II" | "III" | "IV" | "V" | "VI" | "VII" | "VIII" | "IX"
    );
    units && tens <= 3 && !upper.is_empty()
}

/// The stored text columns of the directory and the school field each
/// becomes, for the length limits.
const TEXTS: [(&str, &str); 3] = [
    ("NOM_RBD", "name"),
    ("NOM_DEPROV_RBD", "province"),
    ("NOM_COM_RBD", "commune"),
];

pub(super) fn chile_row(get: &dyn Fn(&str) -> String) -> Result<NewSchool, String> {
    let rbd = get("RBD");
    if rbd.is_empty() || !rbd.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("RBD: {} no es un número", shown(&rbd)));
    }
    // The same rule as the school form (crate::country::check_official_code).
    if rbd.len() > 5 {
        return Err(format!("RBD: {} tiene más de 5 dígitos", shown(&rbd)));
    }
    let name = get("NOM_RBD");
    if name.is_empty() {
        return Err("NOM_RBD: el nombre está vacío".into());
    }
    let too_long: Vec<String> = TEXTS
        .iter()
        .filter_map(|(column, field)| limits::check_length(column, field, &get(column)))
        .collect();
    if !too_long.is_empty() {
        return Err(too_long.join("; "));
    }
    let region_code = get("COD_REG_RBD");
    let region = chile_region(&region_code)
        .ok_or_else(|| format!("COD_REG_RBD: región desconocida {}", shown(&region_code)))?;
    let coordinate = |field: &str, min: f64, max: f64| -> Result<Option<f64>, ()> {
        let raw = get(field).replace(',', ".");
        if raw.is_empty() || raw == "0" {
            return Ok(None);
        }
        match raw.parse::<f64>() {
            Ok(v) if (min..=max).contains(&v) => Ok(Some(v)),
            _ => Err(()),
        }
    };
    // The published directory has a few malformed coordinates (e.g.
    // «-70.8711003.17»): such a school is imported without a location
    // rather than refused, as the file must import as it is.
    let (latitude, longitude) = match (
        coordinate("LATITUD", -90.0, 90.0),
        coordinate("LONGITUD", -180.0, 180.0),
    ) {
        (Ok(Some(lat)), Ok(Some(lon))) => (Some(lat), Some(lon)),
        _ => (None, None),
    };
    let mut levels: Vec<&str> = Vec::new();
    for i in 1..=11 {
        let code: u32 = get(&format!("ENS_{i:02}")).parse().unwrap_or(0);
        if let Some(level) = chile_level(code) {
            if !levels.contains(&level) {
                levels.push(level);
            }
        }
    }
    // Blank or unreadable enrolment stays unknown, as published; an absurd
    // number is refused rather than stored.
    let students = get("MAT_TOTAL");
    if let Some(problem) = limits::check_count(&students) {
        return Err(format!("MAT_TOTAL: {problem}"));
    }
    let students = students.parse::<i64>().ok();
    Ok(NewSchool {
        country: crate::country::Country::Cl,
        official_code: rbd,
        name: title_case(&name),
        parent_code: None,
        levels: levels.join(","),
        dependency: chile_dependency(&get("COD_DEPE2")).into(),
        modality: if levels == ["especial"] {
            "especial".into()
        } else {
            "general".into()
        },
        shift: String::new(),
        rural: get("RURAL_RBD") == "1",
        region: region.into(),
        province: title_case(&get("NOM_DEPROV_RBD")),
        commune: title_case(&get("NOM_COM_RBD")),
        colonia: String::new(),
        supervision_zone: String::new(),
        address: String::new(),
        latitude,
        longitude,
        classrooms: None,
        teachers: None,
        students,
        operating: get("ESTADO_ESTAB") == "1",
        synthetic: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_case_keeps_small_words_lower() {
        assert_eq!(title_case("PEDRO AGUIRRE CERDA"), "Pedro Aguirre Cerda");
        assert_eq!(
            title_case("LA CISTERNA DE LOS ANDES"),
            "La Cisterna de los Andes"
        );
    }

    #[test]
    fn title_case_keeps_roman_numerals_and_codes_in_capitals() {
        assert_eq!(title_case("CENTRO EDUCATIVO SIGLO XXI"), "Centro Educativo Siglo XXI");
        assert_eq!(title_case("LICEO JUAN XXIII EL BELLOTO"), "Liceo Juan XXIII el Belloto");
        assert_eq!(title_case("colegio panal ii"), "Colegio Panal II");
        assert_eq!(title_case("ESCUELA D-471 MI CASITA"), "Escuela D-471 Mi Casita");
        assert_eq!(title_case("ESCUELA VIVA"), "Escuela Viva");
    }
}
