//! Property-based fuzzing of the planner's CSV readers: the documented
//! planner format and SEP's CCT catalogue, from real Querétaro rows, mutated
//! (bytes inserted and removed, quotes, delimiters, NUL, huge fields and
//! numbers, truncated UTF-8). Whatever the input: no panic; an error names
//! rows that exist in the file; accepted schools carry no control
//! characters. `PROPTEST_CASES` sets the cases per property.

// The mutations and the runner are the school importer's (one copy for both crates).
#[path = "../../redes/tests/it/fuzz/mod.rs"]
mod fuzz;

use fuzz::Bytes;
use redes_planner::{parse_schools_csv, queretaro, InputErrors, School};

const SOURCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/csv_fuzz.rs");
const PLANNER: &str = include_str!("fixtures/planner_sample.csv");
const CATALOGUE: &str = include_str!("fixtures/queretaro_sample.csv");

/// The planner's readers take text: invalid UTF-8 arrives replaced, as
/// `String::from_utf8_lossy` would give it.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn check(text: &str, result: Result<Vec<School>, InputErrors>) -> Result<(), String> {
    let lines = fuzz::line_count(text);
    match result {
        Ok(schools) => {
            for s in &schools {
                let texts = [&s.code, &s.name, &s.state, &s.municipality, &s.locality];
                let colonia = s.colonia.iter();
                if let Some(bad) = texts
                    .into_iter()
                    .chain(colonia)
                    .find(|t| t.chars().any(char::is_control))
                {
                    return Err(format!("accepted a control character: {bad:?}"));
                }
            }
            Ok(())
        }
        Err(e) if e.errors.is_empty() => Err("error without rows".into()),
        Err(e) => match e
            .errors
            .iter()
            .find(|f| f.row < 1 || f.row > lines || f.field.is_empty() || f.message.is_empty())
        {
            Some(f) => Err(format!("error outside the file's {lines} lines: {f:?}")),
            None => Ok(()),
        },
    }
}

#[test]
fn planner_csv_never_panics_and_names_real_rows() {
    let bases = vec![(PLANNER.as_bytes().to_vec(), b',')];
    fuzz::check(
        "planner/csv",
        SOURCE,
        fuzz::cases(2_000),
        fuzz::mutated(bases),
        |Bytes(bytes)| {
            let text = text(&bytes);
            check(&text, parse_schools_csv(&text))
        },
    );
}

#[test]
fn cct_catalogue_never_panics_and_names_real_rows() {
    let head: Vec<&str> = CATALOGUE.lines().take(12).collect();
    let bases = vec![((head.join("\n") + "\n").into_bytes(), b',')];
    fuzz::check(
        "planner/catalogue",
        SOURCE,
        fuzz::cases(2_000),
        fuzz::mutated(bases),
        |Bytes(bytes)| {
            let text = text(&bytes);
            check(&text, queretaro::parse(&text))
        },
    );
}
