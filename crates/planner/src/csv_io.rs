//! CSV text in and out (no files: the caller reads and writes them).
//!
//! ## Input format ([`parse_schools_csv`])
//! Comma-separated, UTF-8, one row per school, a header row with these column names (any
//! order; values are case- and accent-insensitive):
//!
//! | column | required | values |
//! |---|---|---|
//! | `code` | yes | official code (CCT), unique |
//! | `name` | no | |
//! | `level` | yes | `inicial`, `preescolar`, `primaria`, `secundaria`, `cam` |
//! | `modality` | no (general) | `general`, `indigena`, `tecnica`, `telesecundaria`, `multigrado`, `comunitario` |
//! | `shift` | yes | `matutino`, `vespertino`, `completo`, `discontinuo`, `continuo` (the last three meet in the morning) |
//! | `rural` | no (no) | `si`/`no`, `1`/`0`, `true`/`false`, `rural`/`urbano` |
//! | `state`, `municipality` | no | |
//! | `locality` | yes | locality key, unique in the country (e.g. `22-014-0001`) |
//! | `colonia` | no | neighbourhood |
//! | `lat`, `lon` | no | decimal degrees; empty = unknown (the locality's centroid is used) |
//! | `classrooms` | no (= `cte_size`) | whole number ≥ 0 |
//! | `cte_size` | yes | teachers in the CTE, whole number ≥ 1, leaders included |
//! | `directors` | no (1) | whole number ≥ 0 |
//! | `subdirectors`, `atps` | no (0) | whole numbers ≥ 0 |
//! | `feeds` | no | code of the school this one sends most pupils to |
//! | `zone` | no | supervision zone code (listed per cluster in the plan) |
//!
//! CTE members are generated deterministically from the counts ([`crate::cte::generate`]):
//! ids `{code}-D1`, `{code}-S1`, `{code}-A1`, `{code}-T01`…, grades or subjects of the level.
//!
//! ## Output ([`plan_to_csv`])
//! One row per teacher: `cluster,session,host,group,school,level,teacher,assignment,role,
//! coordinates_s1,coordinates_s2,coordinates_s3` (the last three `si` or empty). Teachers of
//! unplaced schools have empty cluster, host and group.

use rustc_hash::FxHashMap as HashMap;

use crate::csv_check::{self, Lines};
use crate::cte::{self, CteCounts};
use crate::error::{FieldError, InputErrors};
use crate::model::{Level, Modality, Plan, Role, School, Session, Shift};

const REQUIRED: [&str; 5] = ["code", "level", "shift", "locality", "cte_size"];

/// Parses the documented CSV format. Every bad field is reported (row and column); if there
/// is any, no school is returned. Rows are numbered as lines of the file (the header is 1).
pub fn parse_schools_csv(text: &str) -> Result<Vec<School>, InputErrors> {
    let lines = Lines::new(text.as_bytes());
    let unclosed = csv_check::unclosed_quote(text.as_bytes());
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match rdr.headers() {
        Ok(h) => h
            .iter()
            .map(|s| s.trim_start_matches('\u{feff}').to_lowercase())
            .collect(),
        Err(e) => return Err(single(1, "encabezado", &e.to_string())),
    };
    let col: HashMap<&str, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.as_str(), i))
        .collect();
    let missing: Vec<FieldError> = REQUIRED
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
    let mut errors = Vec::new();
    let mut schools = Vec::new();
    let mut first_row: HashMap<String, usize> = HashMap::default();
    let mut records = rdr.records().peekable();
    while let Some(rec) = records.next() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                errors.push(FieldError {
                    row: lines.of_record(e.position()),
                    field: "fila".into(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        let row = lines.of_record(rec.position());
        let unclosed = records.peek().is_none().then_some(unclosed).flatten();
        if let Some(e) = csv_check::check_record(&rec, row, unclosed, &headers) {
            errors.push(e);
            continue;
        }
        let fields = Fields {
            rec: &rec,
            col: &col,
        };
        let mut row_errors = Vec::new();
        let parsed = parse_row(row, &fields, &mut row_errors);
        let code = fields.get("code");
        if !code.is_empty() {
            if let Some(prev) = first_row.get(code) {
                row_errors.push(FieldError {
                    row,
                    field: "code".into(),
                    message: format!("código duplicado (ya está en la fila {prev})"),
                });
            } else {
                first_row.insert(code.to_string(), row);
            }
        }
        if let (Some(s), true) = (parsed, row_errors.is_empty()) {
            schools.push(s);
        }
        errors.extend(row_errors);
    }
    if errors.is_empty() {
        Ok(schools)
    } else {
        Err(InputErrors { errors })
    }
}

fn single(row: usize, field: &str, message: &str) -> InputErrors {
    InputErrors {
        errors: vec![FieldError {
            row,
            field: field.into(),
            message: message.into(),
        }],
    }
}

/// The fields of one record, by column name.
struct Fields<'r> {
    rec: &'r csv::StringRecord,
    col: &'r HashMap<&'r str, usize>,
}

impl<'r> Fields<'r> {
    fn get(&self, name: &str) -> &'r str {
        self.col
            .get(name)
            .and_then(|&i| self.rec.get(i))
            .unwrap_or("")
            .trim()
    }
}

fn parse_row(row: usize, f: &Fields, errors: &mut Vec<FieldError>) -> Option<School> {
    let get = |name: &str| f.get(name);
    let mut err = |field: &str, message: String| {
        errors.push(FieldError {
            row,
            field: field.into(),
            message,
        })
    };
    let code = get("code").to_string();
    if code.is_empty() {
        err("code", "falta el código".into());
    }
    let level = parse_level(get("level"));
    if level.is_none() {
        err(
            "level",
            format!(
                "nivel desconocido {:?} (inicial, preescolar, primaria, secundaria o cam)",
                get("level")
            ),
        );
    }
    let modality = parse_modality(get("modality"));
    if modality.is_none() {
        err(
            "modality",
            format!("modalidad desconocida {:?}", get("modality")),
        );
    }
    let shift = parse_shift(get("shift"));
    if shift.is_none() {
        err(
            "shift",
            format!(
                "turno desconocido {:?} (matutino, vespertino, completo, discontinuo o continuo)",
                get("shift")
            ),
        );
    }
    let rural = parse_bool(get("rural"));
    if rural.is_none() {
        err(
            "rural",
            format!("valor no válido {:?} (sí o no)", get("rural")),
        );
    }
    let locality = get("locality").to_string();
    if locality.is_empty() {
        err("locality", "falta la localidad".into());
    }
    let lat = parse_coord(get("lat"), 90.0).map_err(|m| err("lat", m));
    let lon = parse_coord(get("lon"), 180.0).map_err(|m| err("lon", m));
    let size = match get("cte_size") {
        "" => {
            err("cte_size", "falta el tamaño del CTE".into());
            None
        }
        v => parse_count(v, "cte_size", errors_sink(&mut err)).and_then(|n| {
            if n == 0 {
                err("cte_size", "el CTE debe tener al menos 1 docente".into());
                None
            } else {
                Some(n)
            }
        }),
    };
    let mut count = |field: &str, default: u32| match get(field) {
        "" => Some(default),
        v => parse_count(v, field, errors_sink(&mut err)),
    };
    let directors = count("directors", 1);
    let subdirectors = count("subdirectors", 0);
    let atps = count("atps", 0);
    let classrooms = count("classrooms", size.unwrap_or(1));
    let (level, modality, shift, rural, size) = (level?, modality?, shift?, rural?, size?);
    let (directors, subdirectors, atps, classrooms) =
        (directors?, subdirectors?, atps?, classrooms?);
    let (lat, lon) = (lat.ok()?, lon.ok()?);
    if directors.min(size) + subdirectors + atps > size {
        err("cte_size", format!("{size} docentes no alcanzan para {directors} directores, {subdirectors} subdirectores y {atps} ATP"));
        return None;
    }
    if code.is_empty() || locality.is_empty() {
        return None;
    }
    let counts = CteCounts {
        size,
        directors: directors.min(size),
        subdirectors,
        atps,
    };
    let opt = |name: &str| Some(get(name).to_string()).filter(|s| !s.is_empty());
    Some(School {
        cte: cte::generate(&code, level, modality, counts),
        name: get("name").to_string(),
        level,
        modality,
        shift,
        rural,
        state: get("state").to_string(),
        municipality: get("municipality").to_string(),
        locality,
        colonia: opt("colonia"),
        lat,
        lon,
        classrooms,
        feeds: opt("feeds"),
        zone: opt("zone"),
        code,
    })
}

fn errors_sink(err: &mut dyn FnMut(&str, String)) -> &mut dyn FnMut(&str, String) {
    err
}

fn parse_count(v: &str, field: &str, err: &mut dyn FnMut(&str, String)) -> Option<u32> {
    match v.parse::<i64>() {
        Ok(n) if n < 0 => {
            err(field, format!("no puede ser negativo ({n})"));
            None
        }
        Ok(n) if n > 100_000 => {
            err(field, format!("valor demasiado grande ({n})"));
            None
        }
        Ok(n) => Some(n as u32),
        Err(_) => {
            err(field, format!("no es un número entero: {v:?}"));
            None
        }
    }
}

fn parse_coord(v: &str, limit: f64) -> Result<Option<f64>, String> {
    if v.is_empty() {
        return Ok(None);
    }
    match v.replace(',', ".").parse::<f64>() {
        Ok(x) if x.is_finite() && x.abs() <= limit => Ok(Some(x)),
        _ => Err(format!("coordenada no válida: {v:?}")),
    }
}

/// Lowercase without accents, for tolerant matching of Spanish values.
pub(crate) fn fold(v: &str) -> String {
    v.trim()
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' | 'ü' => 'u',
            c => c,
        })
        .collect()
}

pub(crate) fn parse_level(v: &str) -> Option<Level> {
    Some(match fold(v).as_str() {
        "inicial" | "educacion inicial" => Level::Inicial,
        "preescolar" => Level::Preescolar,
        "primaria" => Level::Primaria,
        "secundaria" => Level::Secundaria,
        "cam" => Level::Cam,
        _ => return None,
    })
}

pub(crate) fn parse_modality(v: &str) -> Option<Modality> {
    Some(match fold(v).as_str() {
        "" | "general" => Modality::General,
        "indigena" => Modality::Indigena,
        "tecnica" => Modality::Tecnica,
        "telesecundaria" => Modality::Telesecundaria,
        "multigrado" => Modality::Multigrado,
        "comunitario" | "comunitaria" => Modality::Comunitario,
        _ => return None,
    })
}

pub(crate) fn parse_shift(v: &str) -> Option<Shift> {
    Some(match fold(v).as_str() {
        "matutino" => Shift::Matutino,
        "vespertino" => Shift::Vespertino,
        "completo" | "tiempo completo" | "jornada ampliada" => Shift::Completo,
        "discontinuo" | "continuo" => Shift::Discontinuo,
        _ => return None,
    })
}

fn parse_bool(v: &str) -> Option<bool> {
    match fold(v).as_str() {
        "" | "no" | "0" | "false" | "urbano" | "urbana" => Some(false),
        "si" | "1" | "true" | "rural" => Some(true),
        _ => None,
    }
}

/// One row per teacher (see the module docs).
pub fn plan_to_csv(plan: &Plan) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let by_code: HashMap<&str, &School> =
        plan.schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let member = |school: &str, teacher: &str| {
        by_code.get(school).and_then(|s| {
            s.cte
                .iter()
                .find(|m| m.teacher_id == teacher)
                .map(|m| (s, m))
        })
    };
    let header = [
        "cluster",
        "session",
        "host",
        "group",
        "school",
        "level",
        "teacher",
        "assignment",
        "role",
        "coordinates_s1",
        "coordinates_s2",
        "coordinates_s3",
    ];
    // Writing to a Vec cannot fail.
    let _ = w.write_record(header);
    for c in &plan.clusters {
        let session = match c.session {
            Session::Morning => "matutina",
            Session::Afternoon => "vespertina",
        };
        for (gi, g) in c.groups.iter().enumerate() {
            for m in &g.members {
                let (level, assignment, role) = member(&m.school, &m.teacher)
                    .map(|(s, t)| (s.level.name_es(), t.assignment.as_str(), role_es(t.role)))
                    .unwrap_or(("", "", ""));
                let flag = |k: usize| {
                    if g.coordinators[k] == m.teacher {
                        "si"
                    } else {
                        ""
                    }
                };
                let _ = w.write_record([
                    c.id.to_string().as_str(),
                    session,
                    &c.host,
                    (gi + 1).to_string().as_str(),
                    &m.school,
                    level,
                    &m.teacher,
                    assignment,
                    role,
                    flag(0),
                    flag(1),
                    flag(2),
                ]);
            }
        }
    }
    for e in plan.exceptions.iter().filter(|e| e.unplaced) {
        for code in &e.schools {
            let Some(s) = by_code.get(code.as_str()) else {
                continue;
            };
            for t in &s.cte {
                let _ = w.write_record([
                    "",
                    "",
                    "",
                    "",
                    code.as_str(),
                    s.level.name_es(),
                    &t.teacher_id,
                    &t.assignment,
                    role_es(t.role),
                    "",
                    "",
                    "",
                ]);
            }
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn role_es(r: Role) -> &'static str {
    match r {
        Role::Director => "director",
        Role::Subdirector => "subdirector",
        Role::Atp => "ATP",
        Role::Teacher => "docente",
    }
}
