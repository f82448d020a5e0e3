//! Importer for the SEP catalogue of active work centres of Querétaro
//! (`../shared/data/mexico/cct_queretaro_activos.csv`, comma-separated, UTF-8, header row).
//!
//! Kept: public schools (`SOSTENIMIENTO_C_CONTROL = PÚBLICO`) whose level
//! (`TIPONIVELSUB_C_SERVICION2`) is INICIAL, PREESCOLAR, PRIMARIA, SECUNDARIA or CAM;
//! supervisions, offices, libraries, upper-secondary and private schools are skipped.
//!
//! Mapping: service (`TIPONIVELSUB_C_SERVICION3`) → modality (INDÍGENA, INICIAL INDÍGENA →
//! indígena; COMUNITARIO → comunitario; TELESECUNDARIA; TÉCNICA; others general); shift from
//! `C_TUNO_1` (DISCONTINUO/CONTINUO → morning, NOCTURNO → vespertino); locality key
//! `{ent}-{mun}-{loc}`; colonia `INMUEBLE_C_NOM_ASEN` ("NINGUNO" = none); the placeholder
//! point 20.5934, -100.39 (and 0 or empty) means *missing* coordinates; supervision zone
//! `SUPERVISION_CV_CCT` (optional column; empty = unknown).
//!
//! **Context (rural or urban), derived from what the file says.** The catalogue has no rural
//! flag, and its characterisation columns (`CARACTERISTCA_C_CARACTERIZAN1/2`) only say
//! "NO APLICA", "SERVICIOS", "ATENCIÓN A PADRES" and the like, nothing about the context. So:
//! * a school is **rural** when its locality has fewer than [`URBAN_MIN_SCHOOLS`] (8) public
//!   basic-education schools in the file, or when it is a CONAFE community school
//!   (`COMUNITARIO`, a service for small rural communities by definition);
//! * every other school is **urban**, whether or not its locality is the municipal seat
//!   (Santa Rosa Jáuregui, 22-014-0108, is not the seat and is a town of dozens of schools);
//! * indigenous services (`INDÍGENA`, `INICIAL INDÍGENA`) become [`Modality::Indigena`], and
//!   rule 3 sends them to the morning whatever the context.
//!
//! The planner names every afternoon school that meets in the morning in a rule 3 exception,
//! with the reason (rural context, indigenous service, or no afternoon school of another
//! level near), so a supervisor sees each one.
//!
//! **Derived, not in the file** (deterministic from a hash of the CCT and level, so every
//! run gives the same instance):
//! * CTE size: inicial 4–12 (non-school and indigenous services 1–3); preescolar urban 3–8,
//!   rural 1–4, indígena 1–4, comunitario 1; primaria urban 8–20, rural 3–8, indígena 2–8,
//!   comunitario 1–2; secundaria general 15–45, técnica 20–50, telesecundaria 3–9 (urban
//!   6–12), comunitaria 1–3; CAM 8–20. One director each; a deputy from 20 teachers; an ATP
//!   from 25;
//! * multigrade: general primarias with fewer than 6 teachers (fewer teachers than grades);
//! * classrooms: one per teacher for multigrade and community schools; otherwise 60–100 % of
//!   the CTE size, at least 6 for urban primarias and secundarias.

use rustc_hash::FxHashMap as HashMap;

use crate::csv_check::{self, Lines};
use crate::cte::{self, CteCounts};
use crate::error::{FieldError, InputErrors};
use crate::model::{Level, Modality, School, Shift};

const COLUMNS: [&str; 17] = [
    "CV_CCT",
    "C_NOMBRE",
    "SOSTENIMIENTO_C_CONTROL",
    "TIPONIVELSUB_C_SERVICION2",
    "TIPONIVELSUB_C_SERVICION3",
    "C_TUNO_1",
    "INMUEBLE_CV_ENT",
    "INMUEBLE_C_NOM_ENT",
    "INMUEBLE_CV_MUN",
    "INMUEBLE_C_NOM_MUN",
    "INMUEBLE_CV_LOC",
    "INMUEBLE_C_NOM_ASEN",
    "INMUEBLE_LATITUD",
    "INMUEBLE_LONGITUD",
    "CV_TIPO",
    "INMUEBLE_C_NOM_LOC",
    "SOSTENIMIENTO_C_SUBCONTROL",
];

/// A locality with at least this many public basic-education schools in the catalogue is
/// urban (about the size of a town with a full primaria–secundaria path and more than one
/// school per level); below it, rural.
pub const URBAN_MIN_SCHOOLS: usize = 8;

/// The placeholder point used by the catalogue for unknown locations.
const PLACEHOLDER: (f64, f64) = (20.5934, -100.39);

/// One kept row before the derived fields.
struct Row {
    code: String,
    name: String,
    level: Level,
    service: String,
    shift: Shift,
    state: String,
    municipality: String,
    locality: String,
    colonia: Option<String>,
    zone: Option<String>,
    coords: Option<(f64, f64)>,
}

/// Parses the catalogue text into schools (see the module docs for what is derived).
pub fn parse(text: &str) -> Result<Vec<School>, InputErrors> {
    let lines = Lines::new(text.as_bytes());
    let unclosed = csv_check::unclosed_quote(text.as_bytes());
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| header_error("encabezado", &e.to_string()))?
        .clone();
    let col: HashMap<&str, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim_start_matches('\u{feff}'), i))
        .collect();
    let missing: Vec<FieldError> = COLUMNS
        .iter()
        .filter(|c| !col.contains_key(*c))
        .map(|c| FieldError {
            row: 1,
            field: c.to_string(),
            message: "falta la columna".into(),
        })
        .collect();
    if !missing.is_empty() {
        let header = text.split(['\n', '\r']).next().unwrap_or_default();
        return Err(InputErrors {
            errors: csv_check::delimiter_problem(header).map_or(missing, |e| vec![e]),
        });
    }
    let names: Vec<String> = headers
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut records = rdr.records().peekable();
    while let Some(rec) = records.next() {
        match rec {
            Ok(rec) => {
                let row = lines.of_record(rec.position());
                let unclosed = records.peek().is_none().then_some(unclosed).flatten();
                // Every row is checked, kept or not: a broken row may be a
                // school whose level or control the damage hides.
                if let Some(e) = csv_check::check_record(&rec, row, unclosed, &names) {
                    errors.push(e);
                } else if let Some(r) = keep(&rec, &col) {
                    rows.push(r);
                }
            }
            Err(e) => errors.push(FieldError {
                row: lines.of_record(e.position()),
                field: "fila".into(),
                message: e.to_string(),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(InputErrors { errors });
    }
    let mut per_locality: HashMap<&str, usize> = HashMap::default();
    for r in &rows {
        *per_locality.entry(r.locality.as_str()).or_default() += 1;
    }
    let rural: Vec<bool> = rows
        .iter()
        .map(|r| {
            r.service == "COMUNITARIO" || per_locality[r.locality.as_str()] < URBAN_MIN_SCHOOLS
        })
        .collect();
    Ok(rows
        .into_iter()
        .zip(rural)
        .map(|(r, rural)| derive(r, rural))
        .collect())
}

fn header_error(field: &str, message: &str) -> InputErrors {
    InputErrors {
        errors: vec![FieldError {
            row: 1,
            field: field.into(),
            message: message.into(),
        }],
    }
}

fn field<'r>(rec: &'r csv::StringRecord, col: &HashMap<&str, usize>, c: &str) -> &'r str {
    col.get(c).and_then(|&i| rec.get(i)).unwrap_or("").trim()
}

fn keep(rec: &csv::StringRecord, col: &HashMap<&str, usize>) -> Option<Row> {
    let get = |c: &str| field(rec, col, c);
    if get("SOSTENIMIENTO_C_CONTROL") != "PÚBLICO" {
        return None;
    }
    let level = match get("TIPONIVELSUB_C_SERVICION2") {
        "INICIAL" => Level::Inicial,
        "PREESCOLAR" => Level::Preescolar,
        "PRIMARIA" => Level::Primaria,
        "SECUNDARIA" => Level::Secundaria,
        "CAM" => Level::Cam,
        _ => return None,
    };
    let shift = match get("C_TUNO_1") {
        s if s.starts_with("VESPERTINO") || s == "NOCTURNO" => Shift::Vespertino,
        "DISCONTINUO" | "CONTINUO" => Shift::Discontinuo,
        _ => Shift::Matutino,
    };
    let lat = get("INMUEBLE_LATITUD").parse::<f64>().ok();
    let lon = get("INMUEBLE_LONGITUD").parse::<f64>().ok();
    let coords = match (lat, lon) {
        (Some(a), Some(b))
            if (a - PLACEHOLDER.0).abs() < 1e-4 && (b - PLACEHOLDER.1).abs() < 1e-4 =>
        {
            None
        }
        (Some(a), Some(b)) if a != 0.0 && b != 0.0 => Some((a, b)),
        _ => None,
    };
    let colonia = match get("INMUEBLE_C_NOM_ASEN") {
        "" | "NINGUNO" => None,
        c => Some(c.to_string()),
    };
    Some(Row {
        code: get("CV_CCT").to_string(),
        name: get("C_NOMBRE").to_string(),
        level,
        service: get("TIPONIVELSUB_C_SERVICION3").to_string(),
        shift,
        state: get("INMUEBLE_C_NOM_ENT").to_string(),
        municipality: get("INMUEBLE_C_NOM_MUN").to_string(),
        locality: format!(
            "{}-{}-{}",
            get("INMUEBLE_CV_ENT"),
            get("INMUEBLE_CV_MUN"),
            get("INMUEBLE_CV_LOC")
        ),
        colonia,
        zone: Some(get("SUPERVISION_CV_CCT").to_string()).filter(|z| !z.is_empty()),
        coords,
    })
}

/// FNV-1a: stable across platforms and Rust versions (unlike `DefaultHasher`).
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    })
}

fn derive(r: Row, rural: bool) -> School {
    let h = fnv(&format!("{}|{:?}", r.code, r.level));
    let pick = |salt: u64, lo: u32, hi: u32| {
        lo + ((h.rotate_left(salt as u32 * 13) ^ salt) % (hi - lo + 1) as u64) as u32
    };
    let mut modality = match r.service.as_str() {
        "INDÍGENA" | "INICIAL INDÍGENA" => Modality::Indigena,
        "COMUNITARIO" => Modality::Comunitario,
        "TELESECUNDARIA" => Modality::Telesecundaria,
        "TÉCNICA" => Modality::Tecnica,
        _ => Modality::General,
    };
    let (lo, hi) = size_range(r.level, modality, &r.service, rural);
    let size = pick(1, lo, hi);
    if r.level == Level::Primaria && modality == Modality::General && size < 6 {
        modality = Modality::Multigrado;
    }
    let classrooms = match (r.level, modality) {
        (_, Modality::Multigrado | Modality::Comunitario) => size,
        (Level::Primaria | Level::Secundaria, _) if !rural => {
            (size * pick(2, 60, 100) / 100).max(6)
        }
        _ => (size * pick(2, 60, 100) / 100).max(1),
    };
    let counts = CteCounts {
        size,
        directors: 1,
        subdirectors: (size >= 20) as u32,
        atps: (size >= 25) as u32,
    };
    School {
        cte: cte::generate(&r.code, r.level, modality, counts),
        name: r.name,
        level: r.level,
        modality,
        shift: r.shift,
        rural,
        state: r.state,
        municipality: r.municipality,
        locality: r.locality,
        colonia: r.colonia,
        lat: r.coords.map(|c| c.0),
        lon: r.coords.map(|c| c.1),
        classrooms,
        feeds: None,
        zone: r.zone,
        code: r.code,
    }
}

fn size_range(level: Level, modality: Modality, service: &str, rural: bool) -> (u32, u32) {
    match (level, modality) {
        (Level::Inicial, _) if service == "LACTANTE Y MATERNAL" => (4, 12),
        (Level::Inicial, _) => (1, 3),
        (Level::Preescolar, Modality::Comunitario) => (1, 1),
        (Level::Preescolar, Modality::Indigena) => (1, 4),
        (Level::Preescolar, _) if rural => (1, 4),
        (Level::Preescolar, _) => (3, 8),
        (Level::Primaria, Modality::Comunitario) => (1, 2),
        (Level::Primaria, Modality::Indigena) => (2, 8),
        (Level::Primaria, _) if rural => (3, 8),
        (Level::Primaria, _) => (8, 20),
        (Level::Secundaria, Modality::Comunitario) => (1, 3),
        (Level::Secundaria, Modality::Telesecundaria) if rural => (3, 9),
        (Level::Secundaria, Modality::Telesecundaria) => (6, 12),
        (Level::Secundaria, Modality::Tecnica) => (20, 50),
        (Level::Secundaria, _) => (15, 45),
        (Level::Cam, _) => (8, 20),
    }
}
