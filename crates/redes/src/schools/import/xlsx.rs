//! Excel workbooks (.xlsx): the first sheet becomes CSV text with the same
//! header, so that both formats go through one parser and one set of checks.

use super::ImportError;

/// Turns the first sheet of an Excel workbook (.xlsx) into CSV text.
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
        out.write_record(row.iter().map(|cell| one_line(cell.to_string())))
            .map_err(|e| unreadable(&e))?;
    }
    let bytes = out.into_inner().map_err(|e| unreadable(&e))?;
    let text = String::from_utf8(bytes).map_err(|e| unreadable(&e))?;
    // A sheet whose table starts lower down: blank lines (skipped by the
    // reader) keep the reported line numbers equal to Excel's row numbers.
    let first_row = sheet.start().map_or(0, |(row, _)| row as usize);
    Ok("\n".repeat(first_row) + &text)
}

/// A line break typed in a cell (Alt+Enter) is a space in a one-line field;
/// keeping it would make the CSV line numbers differ from the sheet's rows.
fn one_line(cell: String) -> String {
    if cell.contains(['\n', '\r']) {
        cell.replace("\r\n", " ").replace(['\n', '\r'], " ")
    } else {
        cell
    }
}
