//! Checks shared by the CSV readers ([`crate::csv_io`], [`crate::queretaro`]):
//! line numbers as an editor shows them, quotes left open, control
//! characters and a file written with another delimiter. A row failing
//! them is reported as a whole, not field by field: its fields cannot be
//! trusted.

use crate::error::FieldError;

/// Where each line starts, to turn a byte offset into a line number.
/// `\n`, `\r\n` and a lone `\r` each end a line, as for the CSV reader.
pub(crate) struct Lines(Vec<usize>);

impl Lines {
    pub(crate) fn new(bytes: &[u8]) -> Lines {
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        Lines(starts)
    }

    /// The line (from 1) holding byte `at`.
    pub(crate) fn of(&self, at: usize) -> usize {
        self.0.partition_point(|&start| start <= at)
    }

    /// The line where a record starts (the last line if it has no position).
    pub(crate) fn of_record(&self, position: Option<&csv::Position>) -> usize {
        position.map_or(self.0.len(), |p| self.of(p.byte() as usize))
    }
}

fn breaks(text: &str) -> usize {
    Lines::new(text.as_bytes()).0.len() - 1
}

/// The line where a quoted field opens and never closes: the CSV reader
/// takes such a field to the end of the file without complaint. Scans as
/// it does: a quote opens a field only at its start, `""` inside is a quote.
pub(crate) fn unclosed_quote(text: &[u8]) -> Option<usize> {
    let (mut field_start, mut open, mut i) = (true, None, 0);
    while i < text.len() {
        let b = text[i];
        if open.is_some() {
            if b == b'"' && text.get(i + 1) == Some(&b'"') {
                i += 1;
            } else if b == b'"' {
                open = None;
                field_start = false;
            }
        } else if field_start && b == b'"' {
            open = Some(i);
        } else {
            field_start = matches!(b, b',' | b'\n' | b'\r');
        }
        i += 1;
    }
    open.map(|at| Lines::new(text).of(at))
}

/// The problem of a record that cannot be read field by field, if any.
/// `unclosed` is the line of a quote left open, given for the last record.
pub(crate) fn check_record(
    record: &csv::StringRecord,
    row: usize,
    unclosed: Option<usize>,
    headers: &[String],
) -> Option<FieldError> {
    let column = |i: usize| {
        headers
            .get(i)
            .filter(|h| !h.is_empty())
            .cloned()
            .unwrap_or_else(|| format!("columna {}", i + 1))
    };
    let error = |i: usize, message: String| FieldError {
        row,
        field: column(i),
        message,
    };
    if let Some(start) = unclosed {
        return Some(error(
            record.len().saturating_sub(1),
            format!("comillas sin cerrar: el campo entre comillas que empieza en la fila {start} no se cierra antes del final del archivo"),
        ));
    }
    // The first field holding a line break starts on the record's line.
    if let Some((i, f)) = record.iter().enumerate().find(|(_, f)| breaks(f) > 0) {
        return Some(error(
            i,
            format!(
                "comillas sin cerrar: el campo entre comillas que empieza en la fila {row} sigue hasta la fila {}",
                row + breaks(f)
            ),
        ));
    }
    if record.len() == 1 && headers.len() > 2 {
        let field = &record[0];
        for (d, name) in [('\t', "tabuladores"), (';', "punto y coma (;)")] {
            if field.contains(d) {
                return Some(error(
                    0,
                    format!("la fila está separada por {name} y el encabezado por comas (,)"),
                ));
            }
        }
    }
    record.iter().enumerate().find_map(|(i, f)| {
        let c = f.trim().chars().find(|c| c.is_control())?;
        let what = match c {
            '\0' => "un carácter nulo (NUL)".to_string(),
            '\t' => "un tabulador".to_string(),
            c => format!("un carácter de control (U+{:04X})", c as u32),
        };
        Some(error(i, format!("contiene {what}, que no se admite")))
    })
}

/// Why a header lacks the expected columns, when it is the delimiter: the
/// readers take comma-separated files only.
pub(crate) fn delimiter_problem(header: &str) -> Option<FieldError> {
    let commas = header.matches(',').count();
    let problem = [('\t', "tabuladores"), (';', "punto y coma (;)")]
        .into_iter()
        .find(|&(d, _)| header.matches(d).count() > commas)?;
    Some(FieldError {
        row: 1,
        field: "encabezado".into(),
        message: format!(
            "el archivo está separado por {}; el planificador lee archivos separados por comas (,)",
            problem.1
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_quotes_and_delimiters() {
        let lines = Lines::new(b"a\nb\r\nc\rd");
        assert_eq!([0, 2, 5, 7].map(|at| lines.of(at)), [1, 2, 3, 4]);
        assert_eq!(unclosed_quote(b"a,b\n1,\"x\"\"y\"\n"), None);
        assert_eq!(unclosed_quote(b"a,b\n1,2\n3,\"x\ny\n"), Some(3));
        assert!(delimiter_problem("code\tname\tlevel").is_some());
        assert!(delimiter_problem("code,name,level").is_none());
    }
}
