//! Property-based fuzzing of the school importer (CSV and Excel): real rows
//! of the published files, mutated (bytes inserted and removed, quotes,
//! delimiters, NUL, huge fields and numbers, truncated UTF-8, corrupted
//! workbooks). Whatever the input: no panic; a file imports whole or not at
//! all (the database says so); every rejected row is named by a line of the
//! file. `PROPTEST_CASES` sets the cases per property; the failures found
//! are kept in `import_fuzz.proptest-regressions` (replayed first on every
//! run) and as tests in `import_messages.rs`. `REDES_FUZZ_CENSUS=1` runs
//! every case without stopping and counts the failures by kind.

use crate::{common, fuzz, workbook};

use fuzz::{Bytes, Mutation};
use proptest::prelude::*;
use proptest::sample::Index;
use redes::db::Backend;
use redes::schools::import::{self, ImportError};

const SOURCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/import_fuzz.rs");
const CHILE: &str = include_str!("../fixtures/directorio_excerpt.csv");
const OWN: &str = include_str!("../fixtures/escuelas_redes.csv");
const WORKBOOK: &[u8] = include_bytes!("../fixtures/escuelas.xlsx");

/// Header and the first rows of each real file: small, so that cases are fast.
fn bases() -> Vec<(Vec<u8>, u8)> {
    let head = |text: &str, n: usize| {
        let lines: Vec<&str> = text.lines().take(n).collect();
        (lines.join("\n") + "\n").into_bytes()
    };
    vec![(head(CHILE, 8), b';'), (head(OWN, 12), b',')]
}

struct Harness {
    rt: tokio::runtime::Runtime,
    app: common::TestApp,
}

impl Harness {
    fn new(backend: Backend) -> Harness {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let app = rt.block_on(common::TestApp::new(backend));
        Harness { rt, app }
    }

    fn finish(self) {
        self.rt.block_on(self.app.finish());
    }

    /// Imports `bytes` into an empty registry and checks the properties.
    fn import(&self, bytes: &[u8], skip_invalid: bool) -> Result<(), String> {
        let text = match import::decode(bytes) {
            Ok(text) => text,
            Err(ImportError::Csv(m)) if !m.is_empty() => return Ok(()),
            Err(e) => return Err(format!("decode: {e:?}")),
        };
        self.import_text(&text, skip_invalid)
    }

    fn import_text(&self, text: &str, skip_invalid: bool) -> Result<(), String> {
        let db = &self.app.db;
        self.rt.block_on(async {
            sqlx::query("UPDATE schools SET parent_id = NULL")
                .execute(&db.pool)
                .await
                .unwrap();
            sqlx::query("DELETE FROM schools")
                .execute(&db.pool)
                .await
                .unwrap();
            let result = import::import(db, text, skip_invalid).await;
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM schools")
                .fetch_one(&db.pool)
                .await
                .unwrap();
            let lines = fuzz::line_count(text);
            let named = |rows: &[import::RowError]| {
                rows.iter()
                    .find(|r| r.line < 1 || r.line > lines || r.reason.is_empty())
                    .map_or(Ok(()), |r| {
                        Err(format!(
                            "rejection outside the file's {lines} lines or without reason: {r:?}"
                        ))
                    })
            };
            match result {
                Ok(report) => {
                    named(&report.skipped)?;
                    stored_values_are_sane(db).await?;
                    if count as usize != report.inserted || report.updated != 0 {
                        return Err(format!(
                            "report says {} inserted, {} updated; the table has {count}",
                            report.inserted, report.updated
                        ));
                    }
                    if report.inserted + report.skipped.len() != report.rows {
                        return Err(format!("rows unaccounted for: {report:?}"));
                    }
                    if !skip_invalid && !report.skipped.is_empty() {
                        return Err(format!("rows skipped without skip_invalid: {report:?}"));
                    }
                    Ok(())
                }
                Err(ImportError::InvalidRows(rows)) => {
                    named(&rows)?;
                    if rows.is_empty() {
                        return Err("refused with no row named".into());
                    }
                    if skip_invalid {
                        return Err(format!("skip_invalid still refused the file: {rows:?}"));
                    }
                    if count != 0 {
                        return Err(format!("refused but {count} rows were written"));
                    }
                    Ok(())
                }
                Err(ImportError::Csv(message)) => {
                    if count != 0 {
                        return Err(format!("refused ({message}) but {count} rows were written"));
                    }
                    Ok(())
                }
                Err(e) => Err(format!("error naming no row: {e}")),
            }
        })
    }
}

/// What was written respects the form's limits and holds no control
/// characters (NUL breaks PostgreSQL; the others make no sense in a field).
async fn stored_values_are_sane(db: &redes::db::Db) -> Result<(), String> {
    type Texts = (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    );
    let rows: Vec<Texts> = sqlx::query_as(
        "SELECT official_code, name, address, levels, dependency || modality || shift, region, province, commune || colonia
         FROM schools",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    for row in rows {
        let fields = [
            ("official_code", &row.0, 20),
            ("name", &row.1, 200),
            ("address", &row.2, 300),
            ("levels", &row.3, 120),
            ("dependency, modality, shift", &row.4, 360),
            ("region", &row.5, 120),
            ("province", &row.6, 120),
            ("commune, colonia", &row.7, 240),
        ];
        for (field, value, limit) in fields {
            if value.chars().count() > limit {
                return Err(format!(
                    "stored {field} of {} characters",
                    value.chars().count()
                ));
            }
            if let Some(c) = value.chars().find(|c| c.is_control()) {
                return Err(format!("stored {field} with control character {c:?}"));
            }
        }
    }
    let counts: Vec<(Option<i64>, Option<i64>, Option<i64>)> =
        sqlx::query_as("SELECT classrooms, teachers, students FROM schools")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    for (classrooms, teachers, students) in counts {
        for n in [classrooms, teachers, students].into_iter().flatten() {
            if !(0..=100_000).contains(&n) {
                return Err(format!("stored count {n}"));
            }
        }
    }
    Ok(())
}

fn csv_files(backend: Backend, name: &str, cases: u32) {
    let harness = Harness::new(backend);
    fuzz::check(
        name,
        SOURCE,
        fuzz::cases(cases),
        (fuzz::mutated(bases()), any::<bool>()),
        |(Bytes(bytes), skip)| harness.import(&bytes, skip),
    );
    harness.finish();
}

#[test]
fn csv_files_import_whole_or_not_at_all_sqlite() {
    csv_files(Backend::Sqlite, "csv/sqlite", 2000);
}

#[test]
fn csv_files_import_whole_or_not_at_all_postgres() {
    csv_files(Backend::Postgres, "csv/postgres", 2000);
}

/// Corrupted workbooks: bytes flipped, inserted, cut, zeroed, in the zip
/// directory or in the compressed sheets.
fn corrupted_workbook() -> impl Strategy<Value = Bytes> {
    // `None` overwrites one byte in place, which keeps the zip's offsets.
    let change = prop_oneof![
        3 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| (None, i, b)),
        2 => (fuzz::mutation(), any::<Index>()).prop_map(|(m, i)| (Some(m), i, 0)),
    ];
    proptest::collection::vec(change, 1..6).prop_map(|changes| {
        let mut bytes = WORKBOOK.to_vec();
        for (mutation, at, byte) in changes {
            match mutation {
                None if !bytes.is_empty() => {
                    let at = at.index(bytes.len());
                    bytes[at] = byte;
                }
                None => {}
                Some(m) => bytes = fuzz::apply(&bytes, b'\n', &[m]),
            }
        }
        Bytes(bytes)
    })
}

#[test]
fn corrupted_workbooks_are_refused_or_imported_whole() {
    let harness = Harness::new(Backend::Sqlite);
    fuzz::check(
        "xlsx/corrupted",
        SOURCE,
        fuzz::cases(2000),
        corrupted_workbook(),
        |Bytes(bytes)| match import::xlsx_to_csv(&bytes) {
            Ok(text) => harness.import_text(&text, false),
            Err(ImportError::Csv(m)) if m.contains("Excel") => Ok(()),
            Err(e) => Err(format!("unexpected error: {e:?}")),
        },
    );
    harness.finish();
}

/// The real own-format rows as cells, some replaced by hostile values.
fn generated_workbook() -> impl Strategy<Value = Vec<Vec<String>>> {
    let rows: Vec<Vec<String>> = OWN
        .lines()
        .map(|l| {
            csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(l.as_bytes())
                .records()
                .next()
                .unwrap()
                .unwrap()
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect();
    let change = (
        any::<Index>(),
        any::<Index>(),
        fuzz::mutation().prop_map(|m| match m {
            Mutation::Insert(_, t) | Mutation::Field(_, _, t) => {
                String::from_utf8_lossy(&t).into_owned()
            }
            _ => String::new(),
        }),
    );
    proptest::collection::vec(change, 1..5).prop_map(move |changes| {
        let mut rows = rows.clone();
        for (r, c, value) in changes {
            let r = r.index(rows.len());
            let c = c.index(rows[r].len());
            rows[r][c] = value;
        }
        rows
    })
}

#[test]
fn generated_workbooks_import_whole_or_not_at_all() {
    let harness = Harness::new(Backend::Sqlite);
    fuzz::check(
        "xlsx/cells",
        SOURCE,
        fuzz::cases(1000),
        generated_workbook(),
        |rows| match import::xlsx_to_csv(&workbook::xlsx(&rows)) {
            Ok(text) => harness.import_text(&text, false),
            Err(ImportError::Csv(m)) if m.contains("Excel") => Ok(()),
            Err(e) => Err(format!("unexpected error: {e:?}")),
        },
    );
    harness.finish();
}

#[test]
fn the_generated_workbook_reads_back_as_the_real_rows() {
    let rows: Vec<Vec<String>> = vec![
        vec![
            "country".into(),
            "official_code".into(),
            "name".into(),
            "region".into(),
        ],
        vec![
            "cl".into(),
            "4754".into(),
            "Escuela <Uno> & Dos".into(),
            "Biobío".into(),
        ],
    ];
    let text = import::xlsx_to_csv(&workbook::xlsx(&rows)).unwrap();
    assert_eq!(
        text,
        "country,official_code,name,region\ncl,4754,Escuela <Uno> & Dos,Biobío\n"
    );
}
