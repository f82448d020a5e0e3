//! From the file's text to checked schools: encoding, delimiter, header,
//! quotes, control characters, then each row by its format. Every problem
//! names the line of the file where it is (the header is line 1), as an
//! editor numbers lines.

use std::collections::HashMap;

use super::chile::chile_row;
use super::medellin::{self, medellin_row};
use super::limits::{self, control_character};
use super::{ImportError, RowError};
use crate::schools::model::{NewSchool, SchoolInput};

/// The file's bytes as text: UTF-8 (with or without BOM). Anything else is
/// refused with the line of the first bad byte and what the file probably is.
pub fn decode(bytes: &[u8]) -> Result<String, ImportError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ImportError::Csv(UTF16.into()));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let line = Lines::new(&bytes[..e.valid_up_to()]).count();
            Err(ImportError::Csv(format!(
                "el archivo no está en UTF-8 (línea {line}); quizá está en Latin-1 o Windows-1252: guárdelo como «CSV UTF-8»"
            )))
        }
    }
}

const UTF16: &str =
    "el archivo está en UTF-16; guárdelo como «CSV UTF-8» (separado por comas o punto y coma)";

/// Where each line starts, to turn a byte offset into a line number.
/// `\n`, `\r\n` and a lone `\r` each end a line, as for the CSV reader.
pub(super) struct Lines(Vec<usize>);

impl Lines {
    pub(super) fn new(bytes: &[u8]) -> Lines {
        let mut starts = vec![0];
        // In "\r\n" the line ends at the '\r': the csv reader gives a
        // record's position as the '\n' it has not consumed yet, which
        // must count as the record's own line.
        for (i, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\r' || (b == b'\n' && (i == 0 || bytes[i - 1] != b'\r'));
            if ends_line {
                starts.push(i + 1);
            }
        }
        Lines(starts)
    }

    /// The line (from 1) holding byte `at`.
    pub(super) fn of(&self, at: usize) -> usize {
        self.0.partition_point(|&start| start <= at)
    }

    fn count(&self) -> usize {
        self.0.len()
    }
}

/// Line breaks in a field's text (only a quoted field can hold them).
fn breaks(text: &str) -> usize {
    Lines::new(text.as_bytes()).count() - 1
}

/// The line where a quoted field opens and never closes. The CSV reader
/// takes such a field to the end of the file without complaint, so the
/// file is scanned as it scans it: a quote opens a field only at its start,
/// `""` inside is a quote.
fn unclosed_quote(text: &[u8], delimiter: u8) -> Option<usize> {
    let mut field_start = true;
    let mut open = None;
    let mut i = 0;
    while i < text.len() {
        let b = text[i];
        if open.is_some() {
            if b == b'"' {
                if text.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    open = None;
                    field_start = false;
                }
            }
        } else if field_start && b == b'"' {
            open = Some(i);
        } else {
            field_start = b == delimiter || b == b'\n' || b == b'\r';
        }
        i += 1;
    }
    open.map(|at| Lines::new(text).of(at))
}

/// Delimiters a file may use, and how messages name them.
fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => "comas (,)",
        b';' => "punto y coma (;)",
        b'\t' => "tabuladores",
        _ => "barras verticales (|)",
    }
}

const ACCEPTED: &str = "Redes acepta archivos separados por comas (,) o por punto y coma (;)";

/// Why a header is not one Redes reads, with what to do about it.
fn unrecognised(header: &str) -> String {
    if header.contains('\0') {
        // UTF-16 without a BOM reads as UTF-8 with a NUL after each letter.
        return UTF16.into();
    }
    let count = |c: char| header.matches(c).count();
    let commas = count(',').max(count(';'));
    for (c, d) in [('\t', b'\t'), ('|', b'|')] {
        if count(c) > commas {
            return format!(
                "el archivo está separado por {}; {ACCEPTED}: guárdelo como «CSV UTF-8»",
                delimiter_name(d)
            );
        }
    }
    let mut message = format!(
        "encabezado no reconocido: se espera el directorio oficial de Chile (RBD;NOM_RBD;...), la lista de Medellín (cod_dane,nombre_institucion,...) o las columnas de Redes (country,official_code,name,...); {ACCEPTED}"
    );
    if let Some(problem) = control_character(header) {
        message.push_str(&format!("; el encabezado contiene {problem}"));
    }
    message
}

/// A whole file, checked row by row.
pub(super) struct Parsed {
    /// The valid schools, each with its line.
    pub schools: Vec<(usize, NewSchool)>,
    /// The problems of the other rows.
    pub errors: Vec<RowError>,
    /// The line of each refused row by (country, code), when it has one:
    /// a sede of such a row is told its institution has errors.
    pub refused: HashMap<(String, String), usize>,
}

/// Parses a whole file into checked schools and the problems of the other rows.
pub(super) fn parse_numbered(text: &str) -> Result<Parsed, ImportError> {
    let text = text.trim_start_matches('\u{feff}');
    let lines = Lines::new(text.as_bytes());
    let header = text
        .split(['\n', '\r'])
        .find(|line| !line.is_empty())
        .unwrap_or_default();
    let delimiter = if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    };
    let unclosed = unclosed_quote(text.as_bytes(), delimiter);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ImportError::Csv(e.to_string()))?
        .clone();
    let header_line = headers
        .position()
        .map_or(1, |p| lines.of(p.byte() as usize));
    if headers.iter().any(|h| breaks(h) > 0) || unclosed == Some(header_line) {
        return Err(ImportError::Csv(
            format!("comillas sin cerrar en el encabezado: el campo entre comillas que empieza en la línea {header_line} no se cierra en esa línea"),
        ));
    }
    let index: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_string(), i))
        .collect();
    let chile = index.contains_key("RBD") && index.contains_key("NOM_RBD");
    let medellin = medellin::MARKERS.iter().all(|m| index.contains_key(*m));
    let own_format = index.contains_key("official_code") && index.contains_key("name");
    if !chile && !medellin && !own_format {
        return Err(ImportError::Csv(unrecognised(header)));
    }
    let column = |i: usize| {
        headers
            .get(i)
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| format!("columna {}", i + 1))
    };
    let mut schools = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<(crate::country::Country, String), usize> = HashMap::new();
    let mut refused = HashMap::new();
    let mut records = reader.records().peekable();
    while let Some(record) = records.next() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e
                    .position()
                    .map_or(lines.count(), |p| lines.of(p.byte() as usize));
                errors.push(RowError {
                    line,
                    reason: format!("fila ilegible: {e}"),
                });
                continue;
            }
        };
        let line = record
            .position()
            .map_or(lines.count(), |p| lines.of(p.byte() as usize));
        let last = records.peek().is_none();
        if let Some(reason) =
            check_record(&record, line, last.then_some(unclosed).flatten(), &column)
        {
            errors.push(RowError { line, reason });
            continue;
        }
        if record.len() == 1 && headers.len() > 2 {
            if let Some(reason) = other_delimiter(&record[0], delimiter) {
                errors.push(RowError { line, reason });
                continue;
            }
        }
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
        } else if medellin {
            medellin_row(&get)
        } else {
            own_row(&get)
        };
        match parsed {
            Ok(school) => {
                let key = (school.country, school.official_code.clone());
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
            Err(reason) => {
                if own_format && !chile && !medellin {
                    let code = (
                        get("country").to_lowercase(),
                        get("official_code").to_uppercase(),
                    );
                    refused.entry(code).or_insert(line);
                }
                errors.push(RowError { line, reason })
            }
        }
    }
    Ok(Parsed {
        schools,
        errors,
        refused,
    })
}

/// Quotes left open and control characters, before the row's meaning: such
/// a row cannot be trusted field by field.
fn check_record(
    record: &csv::StringRecord,
    line: usize,
    unclosed: Option<usize>,
    column: &dyn Fn(usize) -> String,
) -> Option<String> {
    // A quote open at the end of the file swallowed the rest of it: it is
    // this record's last field.
    if let Some(start) = unclosed {
        return Some(format!(
            "{}: comillas sin cerrar: el campo entre comillas que empieza en la línea {start} no se cierra antes del final del archivo",
            column(record.len().saturating_sub(1))
        ));
    }
    // The first field holding a line break starts on the record's line:
    // the fields before it hold none.
    for (i, field) in record.iter().enumerate() {
        let spans = breaks(field);
        if spans > 0 {
            return Some(format!(
                "{}: comillas sin cerrar: el campo entre comillas que empieza en la línea {line} sigue hasta la línea {} (un campo no puede tener saltos de línea)",
                column(i),
                line + spans
            ));
        }
    }
    let problems: Vec<String> = record
        .iter()
        .enumerate()
        .filter_map(|(i, field)| {
            control_character(field.trim())
                .map(|what| format!("{}: contiene {what}, que no se admite", column(i)))
        })
        .collect();
    (!problems.is_empty()).then(|| problems.join("; "))
}

/// A row of one field holding another delimiter: it was written with a
/// different separator than the header.
fn other_delimiter(field: &str, delimiter: u8) -> Option<String> {
    let other = [b'\t', b',', b';', b'|']
        .into_iter()
        .filter(|&d| d != delimiter)
        .max_by_key(|&d| field.bytes().filter(|&b| b == d).count())?;
    field.as_bytes().contains(&other).then(|| {
        format!(
            "la fila está separada por {} y el encabezado por {}",
            delimiter_name(other),
            delimiter_name(delimiter)
        )
    })
}

fn describe(errors: crate::error::FieldErrors) -> String {
    errors
        .into_iter()
        .map(|(f, m)| format!("{f}: {}", crate::text::es(&m)))
        .collect::<Vec<_>>()
        .join("; ")
}

const OWN_FIELDS: [&str; 20] = [
    "country",
    "official_code",
    "name",
    "parent_code",
    "levels",
    "dependency",
    "modality",
    "shift",
    "rural",
    "region",
    "province",
    "commune",
    "colonia",
    "supervision_zone",
    "address",
    "latitude",
    "longitude",
    "classrooms",
    "teachers",
    "students",
];

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
        supervision_zone: get("supervision_zone"),
        address: get("address"),
        latitude: get("latitude"),
        longitude: get("longitude"),
        classrooms: get("classrooms"),
        teachers: get("teachers"),
        students: get("students"),
    };
    let mut errors = limits::check_fields(get, &OWN_FIELDS);
    match input.parse() {
        Ok(school) if errors.is_empty() => Ok(school),
        Ok(_) => Err(describe(errors)),
        Err(form) => {
            // One message per field: the import's limits first.
            for (field, message) in form {
                errors.entry(field).or_insert(message);
            }
            Err(describe(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_as_an_editor_does() {
        let lines = Lines::new(b"a\nb\r\nc\rd");
        assert_eq!(lines.count(), 4);
        assert_eq!(
            [0, 2, 3, 5, 6, 7].map(|at| lines.of(at)),
            [1, 2, 2, 3, 3, 4]
        );
    }

    #[test]
    fn an_open_quote_is_found_where_the_csv_reader_opens_it() {
        assert_eq!(unclosed_quote(b"a,b\n1,\"x\"\"y\"\n", b','), None);
        assert_eq!(unclosed_quote(b"a,b\n1,2\n3,\"x\ny\n", b','), Some(3));
        // A quote inside an unquoted field is a character, not an opening.
        assert_eq!(unclosed_quote(b"a,b\n1,x\"y\n", b','), None);
        assert_eq!(unclosed_quote(b"a;b\n1;\"x;y\n", b';'), Some(2));
    }

    #[test]
    fn a_row_with_another_delimiter_is_named() {
        assert_eq!(
            other_delimiter("cl\t1\tEscuela", b','),
            Some("la fila está separada por tabuladores y el encabezado por comas (,)".into())
        );
        assert_eq!(other_delimiter("Escuela", b','), None);
    }
}
