//! Text of attachments: PDF (lopdf) and DOCX (a zip of XML: zip + quick-xml).
//!
//! Attachments come from users, so every step is bounded and nothing here may panic or hang
//! on a crafted file: input size is capped, decompression is capped (zip entries, PDF
//! streams), the number of PDF pages read is capped, the text kept is capped, and the PDF
//! library runs under `catch_unwind` because a third-party parser's panic on a broken file
//! must cost the text of that file, not the request.

use std::io::{Cursor, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};

use quick_xml::events::Event;
use quick_xml::Reader;

/// Largest attachment read, in bytes.
pub const MAX_INPUT_BYTES: usize = 20 * 1024 * 1024;
/// Most text kept from one attachment, in bytes (about 150 pages of prose).
pub const MAX_TEXT_BYTES: usize = 500_000;
/// Most bytes decompressed from one DOCX part or one PDF page's content streams.
const MAX_DECOMPRESSED_BYTES: usize = 50 * 1024 * 1024;
/// Most PDF pages read.
const MAX_PDF_PAGES: usize = 300;

/// The formats whose text can be extracted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Docx,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("el archivo supera el tamaño máximo para extraer texto")]
    TooLarge,
    #[error("formato sin extracción de texto (solo PDF y DOCX)")]
    Unsupported,
    #[error("archivo dañado o ilegible: {0}")]
    Malformed(String),
}

/// The kind of file by its first bytes (never by its name, which the uploader chose).
pub fn detect(bytes: &[u8]) -> Option<Kind> {
    if bytes.starts_with(b"%PDF-") {
        Some(Kind::Pdf)
    } else if bytes.starts_with(b"PK\x03\x04") {
        // Any zip (DOCX, XLSX, ODT...) starts so; whether it is a Word document is known
        // only once `word/document.xml` is found in it.
        Some(Kind::Docx)
    } else {
        None
    }
}

/// Extracts the text of a PDF or DOCX, detected by its content.
pub fn extract_text(bytes: &[u8]) -> Result<String, ExtractError> {
    match detect(bytes) {
        Some(Kind::Pdf) => pdf_text(bytes),
        Some(Kind::Docx) => docx_text(bytes),
        None => Err(ExtractError::Unsupported),
    }
}

/// Text of a PDF, pages in order; pages whose text cannot be read are skipped.
pub fn pdf_text(bytes: &[u8]) -> Result<String, ExtractError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ExtractError::TooLarge);
    }
    let run = || -> Result<String, ExtractError> {
        let doc =
            lopdf::Document::load_mem(bytes).map_err(|e| ExtractError::Malformed(e.to_string()))?;
        let pages: Vec<u32> = doc
            .get_pages()
            .keys()
            .copied()
            .take(MAX_PDF_PAGES)
            .collect();
        let mut text = String::new();
        for chunk in doc
            .extract_text_chunks_with_limit(&pages, MAX_DECOMPRESSED_BYTES)
            .into_iter()
            .flatten()
        {
            text.push_str(&chunk);
            text.push('\n');
            if text.len() > MAX_TEXT_BYTES {
                break;
            }
        }
        Ok(tidy(&text))
    };
    match catch_unwind(AssertUnwindSafe(run)) {
        Ok(result) => result,
        Err(_) => Err(ExtractError::Malformed("el lector de PDF falló".into())),
    }
}

/// Text of a DOCX's main part (`word/document.xml`): the runs' text, a line per paragraph.
pub fn docx_text(bytes: &[u8]) -> Result<String, ExtractError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ExtractError::TooLarge);
    }
    let malformed = |e: &dyn std::fmt::Display| ExtractError::Malformed(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| malformed(&e))?;
    let part = archive
        .by_name("word/document.xml")
        .map_err(|_| ExtractError::Unsupported)?;
    // Read at most the cap whatever the entry claims its size is (a zip bomb lies).
    let mut xml = Vec::new();
    part.take(MAX_DECOMPRESSED_BYTES as u64)
        .read_to_end(&mut xml)
        .map_err(|e| malformed(&e))?;
    let xml = String::from_utf8_lossy(&xml);
    Ok(tidy(&wordml_text(&xml)))
}

/// The text of WordprocessingML: `<w:t>` contents, `<w:tab/>` as a tab, `<w:br/>` and the end
/// of each `<w:p>` as a newline.
fn wordml_text(xml: &str) -> String {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut in_text = false;
    // An XML error ends the reading; the text so far is kept.
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(e) if e.local_name().as_ref() == "t" => in_text = true,
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => out.push('\n'),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => out.push('\t'),
                "br" | "cr" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => out.push_str(&t.xml10_content()),
            Event::CData(t) if in_text => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    out.push_str(s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        if out.len() > MAX_TEXT_BYTES {
            break;
        }
    }
    out
}

/// Collapses runs of spaces, drops empty lines and cuts at [`MAX_TEXT_BYTES`] on a character
/// boundary.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_TEXT_BYTES));
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&words.join(" "));
        if out.len() >= MAX_TEXT_BYTES {
            break;
        }
    }
    if out.len() > MAX_TEXT_BYTES {
        let mut cut = MAX_TEXT_BYTES;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    out
}
