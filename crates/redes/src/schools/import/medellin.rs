//! Rows of Medellín's school list (Geoescuelas: DANE code, name in small
//! letters without accents, sede flag, coordinates, sector, zone, shift and
//! level), imported as published.

use super::chile::title_case;
use super::limits::{self, shown};
use crate::country::Country;
use crate::schools::model::NewSchool;

/// The header columns that say a file is Medellín's list.
pub(super) const MARKERS: [&str; 2] = ["cod_dane", "nombre_institucion"];

/// The list's `nivel` as the Colombian profile's level keys. "Educación
/// media" is published for institutions that teach up to grade 11, so they
/// hold every level below it too.
fn levels(nivel: &str) -> &'static str {
    match nivel {
        "educación media" => "básica primaria,básica secundaria,media",
        "educación básica secundaria" => "básica primaria,básica secundaria",
        "educación básica primaria" => "básica primaria",
        _ => "",
    }
}

/// The list's `jornada` as the shifts Redes knows.
fn shift(jornada: &str) -> &'static str {
    match jornada {
        "mañana" => "matutino",
        "tarde" => "vespertino",
        "unica" | "única" | "completa" => "completo",
        "nocturna" => "nocturno",
        _ => "",
    }
}

fn coordinate(raw: &str, range: std::ops::RangeInclusive<f64>) -> Option<f64> {
    raw.parse::<f64>().ok().filter(|v| range.contains(v))
}

pub(super) fn medellin_row(get: &dyn Fn(&str) -> String) -> Result<NewSchool, String> {
    let code = get("cod_dane");
    crate::country::check_official_code(Country::Co, &code)
        .map_err(|rule| format!("cod_dane: {} no es válido: {rule}", shown(&code)))?;
    let name = get("nombre_institucion");
    if name.is_empty() {
        return Err("nombre_institucion: el nombre está vacío".into());
    }
    let too_long: Vec<String> = [("nombre_institucion", "name"), ("direccion", "address")]
        .iter()
        .filter_map(|(column, field)| limits::check_length(column, field, &get(column)))
        .collect();
    if !too_long.is_empty() {
        return Err(too_long.join("; "));
    }
    let (latitude, longitude) = match (
        coordinate(&get("latitud"), -90.0..=90.0),
        coordinate(&get("longitud"), -180.0..=180.0),
    ) {
        (Some(lat), Some(lon)) => (Some(lat), Some(lon)),
        _ => (None, None),
    };
    Ok(NewSchool {
        country: Country::Co,
        official_code: code,
        name: title_case(&name),
        parent_code: None,
        levels: levels(&get("nivel")).into(),
        dependency: match get("sector").as_str() {
            "oficial" => "Oficial".into(),
            "no oficial" | "privado" => "No oficial".into(),
            _ => String::new(),
        },
        modality: "general".into(),
        shift: shift(&get("jornada")).into(),
        rural: get("zona") == "rural",
        region: "Antioquia".into(),
        province: "Medellín".into(),
        commune: String::new(),
        colonia: String::new(),
        address: get("direccion"),
        supervision_zone: String::new(),
        latitude,
        longitude,
        classrooms: None,
        teachers: None,
        students: None,
        operating: true,
        synthetic: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_of_a_media_institution_include_the_basic_ones() {
        assert_eq!(
            levels("educación media"),
            "básica primaria,básica secundaria,media"
        );
        assert_eq!(levels(""), "");
        assert_eq!(shift("unica"), "completo");
    }
}
