//! Import of schools from CSV or Excel: Chile's official directory
//! (Mineduc's `directorio_oficial_ee` as published, `;`-separated with
//! decimal commas), Medellín's school list (Geoescuelas, as published) and Redes' own format (a header with the `SchoolInput`
//! field names, `,` or `;`). Every row is checked first (see `read` and
//! `limits`); a file with bad rows imports nothing unless `skip_invalid` is
//! set. Writing happens in one transaction.

mod chile;
pub mod limits;
mod medellin;
mod read;
mod xlsx;

use std::collections::{HashMap, HashSet};

pub use chile::{chile_region, title_case};
pub use read::decode;
pub use xlsx::xlsx_to_csv;

use super::model::NewSchool;
use super::store;
use crate::country::Country;
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
    #[error("el archivo tiene {} filas con errores; no se importó nada", .0.len())]
    InvalidRows(Vec<RowError>),
    #[error("no se pudo leer el archivo: {0}")]
    Csv(String),
    #[error(transparent)]
    Store(#[from] AppError),
}

impl From<crate::error::StoreError> for ImportError {
    fn from(e: crate::error::StoreError) -> ImportError {
        ImportError::Store(e.into())
    }
}

/// Parses a whole file into checked schools and per-row problems.
pub fn parse(text: &str) -> Result<(Vec<NewSchool>, Vec<RowError>), ImportError> {
    let parsed = read::parse_numbered(text)?;
    let schools = parsed.schools.into_iter().map(|(_, s)| s).collect();
    Ok((schools, parsed.errors))
}

/// Checks and writes a whole file. With `skip_invalid`, valid rows are
/// written and bad ones reported; without it, any bad row means nothing is written.
pub async fn import(db: &Db, text: &str, skip_invalid: bool) -> Result<ImportReport, ImportError> {
    let read::Parsed {
        schools: numbered,
        mut errors,
        refused: refused_codes,
    } = read::parse_numbered(text)?;
    let refused = check_parents(db, &numbered, &refused_codes, &mut errors).await?;
    let schools: Vec<(usize, NewSchool)> = numbered
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !refused.contains(i))
        .map(|(_, row)| row)
        .collect();
    errors.sort_by_key(|e| e.line);
    if !errors.is_empty() && !skip_invalid {
        return Err(ImportError::InvalidRows(errors));
    }
    let rows = schools.len() + errors.len();
    // One writer at a time, the write lock taken at once (see `Db::write`).
    let mut tx = db.write().await.map_err(AppError::from)?;
    let before = store::count_all(&mut tx).await?;
    let at = now();
    let rows_only: Vec<NewSchool> = schools.iter().map(|(_, s)| s.clone()).collect();
    for chunk in rows_only.chunks(store::batch_rows(db.backend)) {
        store::upsert_batch(&mut tx, chunk, &at).await?;
    }
    link_parents(&mut tx, &schools).await?;
    let after = store::count_all(&mut tx).await?;
    tx.commit().await.map_err(AppError::from)?;
    let inserted = usize::try_from(after - before).unwrap_or(0);
    Ok(ImportReport {
        rows,
        inserted,
        updated: schools.len().saturating_sub(inserted),
        skipped: errors,
    })
}

/// A sede must name an institution that will exist: a row of the file that
/// is itself accepted, or a school already registered. Refusing one row can
/// orphan others (a sede of a sede), so this runs until nothing changes.
/// Returns the indexes of the refused rows, each reported in `errors`.
async fn check_parents(
    db: &Db,
    numbered: &[(usize, NewSchool)],
    refused_rows: &HashMap<(String, String), usize>,
    errors: &mut Vec<RowError>,
) -> Result<HashSet<usize>, ImportError> {
    let in_file: HashMap<(Country, &str), usize> = numbered
        .iter()
        .enumerate()
        .map(|(i, (_, s))| ((s.country, s.official_code.as_str()), i))
        .collect();
    let mut registered: HashMap<(Country, String), bool> = HashMap::new();
    let mut refused = HashSet::new();
    loop {
        let mut changed = false;
        for (i, (line, s)) in numbered.iter().enumerate() {
            let Some(parent) = s.parent_code.as_deref() else {
                continue;
            };
            if refused.contains(&i) {
                continue;
            }
            let reason = if parent == s.official_code {
                Some(format!(
                    "parent_code: la sede {parent} no puede ser su propia institución"
                ))
            } else {
                match in_file.get(&(s.country, parent)) {
                    Some(p) if !refused.contains(p) => None,
                    in_file => {
                        let key = (s.country, parent.to_string());
                        let known = match registered.get(&key) {
                            Some(&known) => known,
                            None => {
                                let known =
                                    store::find_by_code(db, s.country, parent).await?.is_some();
                                registered.insert(key.clone(), known);
                                known
                            }
                        };
                        let with_errors = in_file.map(|&p| numbered[p].0).or_else(|| {
                            refused_rows
                                .get(&(key.0.code().to_string(), key.1.clone()))
                                .copied()
                        });
                        match (known, with_errors) {
                            (true, _) => None,
                            (false, Some(line)) => Some(format!(
                                "parent_code: la institución {parent} de la sede {} tiene errores (línea {line})",
                                s.official_code
                            )),
                            (false, None) => Some(format!(
                                "parent_code: la sede {} indica la institución {parent}, que no existe",
                                s.official_code
                            )),
                        }
                    }
                }
            };
            if let Some(reason) = reason {
                errors.push(RowError {
                    line: *line,
                    reason,
                });
                refused.insert(i);
                changed = true;
            }
        }
        if !changed {
            return Ok(refused);
        }
    }
}

/// Sedes name their institution by code; link them once all rows exist.
async fn link_parents(
    conn: &mut sqlx::AnyConnection,
    schools: &[(usize, NewSchool)],
) -> Result<(), ImportError> {
    for (line, s) in schools.iter().filter(|(_, s)| s.parent_code.is_some()) {
        let parent = s.parent_code.as_deref().unwrap_or_default();
        let linked = store::link_parent(conn, s.country, &s.official_code, parent).await?;
        // `check_parents` makes this unreachable; if it ever is, the
        // transaction is dropped and the row named.
        if !linked {
            return Err(ImportError::InvalidRows(vec![RowError {
                line: *line,
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
}
