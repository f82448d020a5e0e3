//! What the planner's CSV readers say about broken files: control
//! characters, the wrong delimiter, quotes left open, and rows numbered as
//! lines of the file. Includes the smallest failures `csv_fuzz.rs` found
//! (their seeds are in `csv_fuzz.proptest-regressions`).

use redes_planner::{parse_schools_csv, queretaro, FieldError};

const PLANNER: &str = include_str!("fixtures/planner_sample.csv");
const CATALOGUE: &str = include_str!("fixtures/queretaro_sample.csv");

/// The first `n` lines of a fixture, with line `line` (1 = header) changed.
fn with(text: &str, n: usize, line: usize, from: &str, to: &str) -> String {
    let mut lines: Vec<String> = text.lines().take(n).map(String::from).collect();
    lines[line - 1] = lines[line - 1].replacen(from, to, 1);
    lines.join("\n") + "\n"
}

fn errors(
    result: Result<Vec<redes_planner::School>, redes_planner::InputErrors>,
) -> Vec<FieldError> {
    result.expect_err("the file must be refused").errors
}

fn error(row: usize, field: &str, message: &str) -> FieldError {
    FieldError {
        row,
        field: field.into(),
        message: message.into(),
    }
}

#[test]
fn control_characters_are_refused_by_row_and_column() {
    // Found by the fuzzer: a tab inside the code was accepted.
    let text = with(PLANNER, 6, 2, "22DBA0460Q", "2\t2DBA0460Q");
    assert_eq!(
        errors(parse_schools_csv(&text)),
        vec![error(2, "code", "contiene un tabulador, que no se admite")]
    );
    let text = with(PLANNER, 6, 4, "ENRIQUE", "ENRI\0QUE");
    assert_eq!(
        errors(parse_schools_csv(&text)),
        vec![error(
            4,
            "name",
            "contiene un carácter nulo (NUL), que no se admite"
        )]
    );
    // Found by the fuzzer: an escape character in the locality of the catalogue.
    let text = with(
        CATALOGUE,
        12,
        6,
        ",22,QUERÉTARO,018,",
        ",\x1b22,QUERÉTARO,018,",
    );
    let got = errors(queretaro::parse(&text));
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].row, got[0].field.as_str()), (6, "INMUEBLE_CV_ENT"));
    assert_eq!(
        got[0].message,
        "contiene un carácter de control (U+001B), que no se admite"
    );
}

#[test]
fn a_tab_separated_file_is_named_as_such() {
    let tabs: String = PLANNER
        .lines()
        .take(3)
        .collect::<Vec<_>>()
        .join("\n")
        .replace(',', "\t");
    assert_eq!(
        errors(parse_schools_csv(&tabs)),
        vec![error(
            1,
            "encabezado",
            "el archivo está separado por tabuladores; el planificador lee archivos separados por comas (,)"
        )]
    );
    let semicolons = CATALOGUE
        .lines()
        .take(3)
        .collect::<Vec<_>>()
        .join("\n")
        .replace(',', ";");
    let got = errors(queretaro::parse(&semicolons));
    assert_eq!(got.len(), 1);
    assert!(got[0].message.contains("punto y coma (;)"), "{got:?}");
    // A row with another delimiter than the header.
    let mut lines: Vec<String> = PLANNER.lines().take(4).map(String::from).collect();
    lines[2] = lines[2].replace(',', ";");
    let text = lines.join("\n") + "\n";
    assert_eq!(
        errors(parse_schools_csv(&text)),
        vec![error(
            3,
            "code",
            "la fila está separada por punto y coma (;) y el encabezado por comas (,)"
        )]
    );
}

#[test]
fn a_quote_left_open_is_reported_where_it_starts() {
    // Closed by the next quote, two lines later.
    let text = with(PLANNER, 8, 3, ",CERRO", ",\"CERRO");
    let text = text.replacen(",ROSARIO", ",\"ROSARIO\"", 1);
    assert_eq!(
        errors(parse_schools_csv(&text)),
        vec![error(
            3,
            "name",
            "comillas sin cerrar: el campo entre comillas que empieza en la fila 3 sigue hasta la fila 5"
        )]
    );
    // Never closed.
    let text = with(PLANNER, 8, 7, ",ADOLFO", ",\"ADOLFO");
    let got = errors(parse_schools_csv(&text));
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].row, 7);
    assert!(
        got[0]
            .message
            .ends_with("no se cierra antes del final del archivo"),
        "{got:?}"
    );
    let text = with(CATALOGUE, 12, 7, ",SECUNDARIA,", ",\"SECUNDARIA,");
    let got = errors(queretaro::parse(&text));
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].row, 7);
    assert!(got[0].message.starts_with("comillas sin cerrar"), "{got:?}");
}

#[test]
fn rows_are_numbered_as_lines_of_the_file() {
    // A blank line and a lone carriage return before the bad row.
    let lines: Vec<&str> = PLANNER.lines().collect();
    let text = format!(
        "{}\n{}\n\n{}\r{}\n{}\n",
        lines[0],
        lines[1],
        lines[2],
        lines[3],
        lines[4].replace(",preescolar,", ",kinder,")
    );
    let got = errors(parse_schools_csv(&text));
    assert_eq!((got[0].row, got[0].field.as_str()), (6, "level"), "{got:?}");
}
