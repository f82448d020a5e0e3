//! CSV import of schools: Chile's official directory (Mineduc's
//! `directorio_oficial_ee` as published, `;`-separated with decimal commas)
//! and Redes' own format (a header with the `SchoolInput` field names).
//! Every row is checked first; a file with bad rows imports nothing unless
//! `skip_invalid` is set. Writing happens in one transaction.

use std::collections::{HashMap, HashSet};

use super::model::{NewSchool, SchoolInput};
use super::store::search_text;
use crate::db::{now, Db};
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// Line number in the file (the header is line 1).
    pub line: usize,
    pub reason: String,
}

#[derive(Debug, Default)]
pub struct ImportReport {
    pub rows: usize,
    pub inserted: usize,
    pub updated: usize,
    pub skipped: Vec<RowError>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file has {} invalid rows; nothing was imported", .0.len())]
    InvalidRows(Vec<RowError>),
    #[error("cannot read the CSV: {0}")]
    Csv(String),
    #[error(transparent)]
    Store(#[from] AppError),
}

/// Turns the first sheet of an Excel workbook (.xlsx) into CSV text with the
/// same header, so that both formats go through one parser.
pub fn xlsx_to_csv(bytes: &[u8]) -> Result<String, ImportError> {
    use calamine::Reader;
    let unreadable = |e: &dyn std::fmt::Display| {
        ImportError::Csv(format!("no se pudo leer el libro Excel: {e}"))
    };
    let mut workbook = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| unreadable(&e))?;
    let sheet = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| ImportError::Csv("el libro Excel no tiene hojas".into()))?
        .map_err(|e| unreadable(&e))?;
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in sheet.rows() {
        out.write_record(row.iter().map(|cell| cell.to_string()))
            .map_err(|e| unreadable(&e))?;
    }
    let bytes = out.into_inner().map_err(|e| unreadable(&e))?;
    String::from_utf8(bytes).map_err(|e| unreadable(&e))
}

/// Parses a whole file into checked schools and per-row problems.
pub fn parse(text: &str) -> Result<(Vec<NewSchool>, Vec<RowError>), ImportError> {
    let (schools, errors) = parse_numbered(text)?;
    Ok((schools.into_iter().map(|(_, s)| s).collect(), errors))
}

/// Like `parse`, keeping each school's line number.
#[allow(clippy::type_complexity)]
fn parse_numbered(text: &str) -> Result<(Vec<(usize, NewSchool)>, Vec<RowError>), ImportError> {
    let text = text.trim_start_matches('\u{feff}');
    let header = text.lines().next().unwrap_or_default();
    let delimiter = if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ImportError::Csv(e.to_string()))?
        .clone();
    let index: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_string(), i))
        .collect();
    let chile = index.contains_key("RBD") && index.contains_key("NOM_RBD");
    let own_format = index.contains_key("official_code") && index.contains_key("name");
    if !chile && !own_format {
        return Err(ImportError::Csv(
            "encabezado no reconocido: se espera el directorio oficial de Chile (RBD;NOM_RBD;...) o columnas country,official_code,name,...".into(),
        ));
    }
    let mut schools = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(RowError {
                    line,
                    reason: format!("fila ilegible: {e}"),
                });
                continue;
            }
        };
        let get = |name: &str| {
            index
                .get(name)
                .and_then(|&i| record.get(i))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        let parsed = if chile {
            chile_row(&get)
        } else {
            own_row(&get)
        };
        match parsed {
            Ok(school) => {
                let key = (school.country.clone(), school.official_code.clone());
                if let Some(first) = seen.insert(key, line) {
                    errors.push(RowError {
                        line,
                        reason: format!(
                            "official_code: código {} repetido (ya en la línea {first})",
                            school.official_code
                        ),
                    });
                } else {
                    schools.push((line, school));
                }
            }
            Err(reason) => errors.push(RowError { line, reason }),
        }
    }
    Ok((schools, errors))
}

fn describe(errors: crate::error::FieldErrors) -> String {
    errors
        .into_iter()
        .map(|(f, m)| format!("{f}: {m}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn own_row(get: &dyn Fn(&str) -> String) -> Result<NewSchool, String> {
    let input = SchoolInput {
        country: get("country"),
        official_code: get("official_code"),
        name: get("name"),
        parent_code: get("parent_code"),
        levels: get("levels"),
        dependency: get("dependency"),
        modality: get("modality"),
        shift: get("shift"),
        rural: get("rural"),
        region: get("region"),
        province: get("province"),
        commune: get("commune"),
        colonia: get("colonia"),
        address: get("address"),
        latitude: get("latitude"),
        longitude: get("longitude"),
        classrooms: get("classrooms"),
        teachers: get("teachers"),
        students: get("students"),
    };
    input.parse().map_err(describe)
}

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
pub fn title_case(text: &str) -> String {
    const SMALL: [&str; 8] = ["de", "del", "la", "las", "los", "y", "el", "e"];
    text.split_whitespace()
        .enumerate()
        .map(|(i, word)| {
            let lower = word.to_lowercase();
            if i > 0 && SMALL.contains(&lower.as_str()) {
                return lower;
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

fn chile_row(get: &dyn Fn(&str) -> String) -> Result<NewSchool, String> {
    let rbd = get("RBD");
    if rbd.is_empty() || !rbd.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("RBD: «{rbd}» no es un número"));
    }
    let name = get("NOM_RBD");
    if name.is_empty() {
        return Err("NOM_RBD: el nombre está vacío".into());
    }
    let region_code = get("COD_REG_RBD");
    let region = chile_region(&region_code)
        .ok_or_else(|| format!("COD_REG_RBD: región desconocida «{region_code}»"))?;
    let coordinate = |field: &str, min: f64, max: f64| -> Result<Option<f64>, String> {
        let raw = get(field).replace(',', ".");
        if raw.is_empty() || raw == "0" {
            return Ok(None);
        }
        match raw.parse::<f64>() {
            Ok(v) if (min..=max).contains(&v) => Ok(Some(v)),
            _ => Err(format!("{field}: «{raw}» no es una coordenada válida")),
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
    let students = get("MAT_TOTAL").parse::<i64>().ok();
    Ok(NewSchool {
        country: "cl".into(),
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

/// Rows per INSERT statement, measured on Chile's whole directory (16,768
/// rows): sqlx's SQLite driver slows down sharply with many bound values
/// per statement (400 rows: 6.5 s; 25 rows: 0.6 s), while PostgreSQL gains
/// from fewer round trips (400 rows: 0.9 s).
fn batch_rows(backend: crate::db::Backend) -> usize {
    match backend {
        crate::db::Backend::Sqlite => 25,
        crate::db::Backend::Postgres => 400,
    }
}
const COLUMNS: usize = 23;

/// Checks and writes a whole file. With `skip_invalid`, valid rows are
/// written and bad ones reported; without it, any bad row means nothing is written.
pub async fn import(db: &Db, text: &str, skip_invalid: bool) -> Result<ImportReport, ImportError> {
    let (numbered, mut errors) = parse_numbered(text)?;
    // A sede must name an institution of the file or one already registered.
    let codes: HashSet<(String, String)> = numbered
        .iter()
        .map(|(_, s)| (s.country.clone(), s.official_code.clone()))
        .collect();
    let mut schools = Vec::with_capacity(numbered.len());
    for (line, s) in numbered {
        if let Some(parent) = &s.parent_code {
            let known = codes.contains(&(s.country.clone(), parent.clone()))
                || super::store::find_by_code(db, &s.country, parent)
                    .await?
                    .is_some();
            if !known {
                errors.push(RowError {
                    line,
                    reason: format!(
                        "parent_code: la sede {} indica la institución {parent}, que no existe",
                        s.official_code
                    ),
                });
                continue;
            }
        }
        schools.push(s);
    }
    errors.sort_by_key(|e| e.line);
    if !errors.is_empty() && !skip_invalid {
        return Err(ImportError::InvalidRows(errors));
    }
    let rows = schools.len() + errors.len();
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM schools")
        .fetch_one(&db.pool)
        .await
        .map_err(AppError::from)?;
    let mut tx = db.pool.begin().await.map_err(AppError::from)?;
    let at = now();
    for chunk in schools.chunks(batch_rows(db.backend)) {
        upsert_batch(&mut tx, chunk, &at).await?;
    }
    link_parents(&mut tx, &schools).await?;
    tx.commit().await.map_err(AppError::from)?;
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM schools")
        .fetch_one(&db.pool)
        .await
        .map_err(AppError::from)?;
    let inserted = (after - before) as usize;
    Ok(ImportReport {
        rows,
        inserted,
        updated: schools.len() - inserted,
        skipped: errors,
    })
}

async fn upsert_batch(
    conn: &mut sqlx::AnyConnection,
    chunk: &[NewSchool],
    at: &str,
) -> Result<(), AppError> {
    let mut sql = String::from(
        "INSERT INTO schools (country, official_code, name, levels, dependency, modality, shift, rural, region, province,
         commune, colonia, address, latitude, longitude, classrooms, teachers, students, operating, synthetic,
         search_text, created_at, updated_at) VALUES ",
    );
    for row in 0..chunk.len() {
        if row > 0 {
            sql.push_str(", ");
        }
        let placeholders: Vec<String> = (1..=COLUMNS)
            .map(|c| format!("${}", row * COLUMNS + c))
            .collect();
        sql.push('(');
        sql.push_str(&placeholders.join(", "));
        sql.push(')');
    }
    sql.push_str(
        " ON CONFLICT (country, official_code) DO UPDATE SET name = excluded.name, levels = excluded.levels,
          dependency = excluded.dependency, rural = excluded.rural, region = excluded.region,
          province = excluded.province, commune = excluded.commune, latitude = excluded.latitude,
          longitude = excluded.longitude, students = excluded.students, operating = excluded.operating,
          search_text = excluded.search_text, updated_at = excluded.updated_at",
    );
    let mut query = sqlx::query(&sql);
    for s in chunk {
        query = query
            .bind(s.country.clone())
            .bind(s.official_code.clone())
            .bind(s.name.clone())
            .bind(s.levels.clone())
            .bind(s.dependency.clone())
            .bind(s.modality.clone())
            .bind(s.shift.clone())
            .bind(s.rural as i64)
            .bind(s.region.clone())
            .bind(s.province.clone())
            .bind(s.commune.clone())
            .bind(s.colonia.clone())
            .bind(s.address.clone())
            .bind(crate::db::Float(s.latitude))
            .bind(crate::db::Float(s.longitude))
            .bind(s.classrooms)
            .bind(s.teachers)
            .bind(s.students)
            .bind(s.operating as i64)
            .bind(s.synthetic as i64)
            .bind(search_text(s))
            .bind(at.to_string())
            .bind(at.to_string());
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// Sedes name their institution by code; link them once all rows exist.
async fn link_parents(
    conn: &mut sqlx::AnyConnection,
    schools: &[NewSchool],
) -> Result<(), ImportError> {
    for s in schools.iter().filter(|s| s.parent_code.is_some()) {
        let parent = s.parent_code.as_deref().unwrap_or_default();
        let done = sqlx::query(
            "UPDATE schools SET parent_id = (SELECT p.id FROM schools p WHERE p.country = $1 AND p.official_code = $2)
             WHERE country = $1 AND official_code = $3 AND EXISTS (SELECT 1 FROM schools p WHERE p.country = $1 AND p.official_code = $2)",
        )
        .bind(&s.country)
        .bind(parent)
        .bind(&s.official_code)
        .execute(&mut *conn)
        .await
        .map_err(AppError::from)?;
        if done.rows_affected() == 0 {
            return Err(ImportError::InvalidRows(vec![RowError {
                line: 0,
                reason: format!(
                    "parent_code: la sede {} indica la institución {parent}, que no existe",
                    s.official_code
                ),
            }]));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHILE: &str = "AGNO;RBD;DGV_RBD;NOM_RBD;P_JURIDICA;COD_REG_RBD;NOM_REG_RBD_A;COD_PRO_RBD;COD_COM_RBD;NOM_COM_RBD;COD_DEPROV_RBD;NOM_DEPROV_RBD;COD_DEPE;COD_DEPE2;RURAL_RBD;LATITUD;LONGITUD;ENS_01;ENS_02;MAT_TOTAL;ESTADO_ESTAB
2025;1;9;LICEO POLITECNICO ARICA;1;15;AYP;151;15101;ARICA;151;ARICA;6;5;0;-18,4872;-70,295212;310;410;1086;1
2025;167;8;ESCUELA CAMINA;1;1;TPCA;14;1402;CAMIÑA;11;IQUIQUE;2;1;1;-19,3118;-69,42;10;110;40;1
";

    #[test]
    fn chile_directory_rows_keep_code_territory_and_coordinates() {
        let (schools, errors) = parse(CHILE).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(schools.len(), 2);
        let camina = &schools[1];
        assert_eq!(camina.official_code, "167");
        assert_eq!(camina.name, "Escuela Camina");
        assert_eq!(camina.region, "Tarapacá");
        assert_eq!(camina.commune, "Camiña");
        assert_eq!(camina.province, "Iquique");
        assert_eq!(camina.dependency, "Municipal");
        assert!(camina.rural);
        assert_eq!(camina.levels, "parvularia,básica");
        assert_eq!(camina.latitude, Some(-19.3118));
        assert_eq!(schools[0].levels, "media HC,media TP");
    }

    #[test]
    fn bad_rows_are_reported_by_line_and_reason() {
        let text = "country,official_code,name,region,latitude\ncl,123,Escuela Uno,Maule,\ncl,12A,Escuela Dos,Maule,\ncl,123,Escuela Tres,Maule,\ncl,77,,Maule,-95\n";
        let (schools, errors) = parse(text).unwrap();
        assert_eq!(schools.len(), 1);
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5]);
        assert!(errors[0].reason.contains("official_code"));
        assert!(errors[1].reason.contains("repetido"));
        assert!(errors[2].reason.contains("name") && errors[2].reason.contains("latitude"));
    }

    #[test]
    fn an_unknown_header_is_refused_with_a_clear_message() {
        assert!(
            matches!(parse("a,b\n1,2\n"), Err(ImportError::Csv(m)) if m.contains("encabezado"))
        );
    }

    #[test]
    fn title_case_keeps_small_words_lower() {
        assert_eq!(title_case("PEDRO AGUIRRE CERDA"), "Pedro Aguirre Cerda");
        assert_eq!(
            title_case("LA CISTERNA DE LOS ANDES"),
            "La Cisterna de los Andes"
        );
    }
}
