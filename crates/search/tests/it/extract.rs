use std::io::Write;

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};
use proptest::prelude::*;
use redes_search::extract::{detect, docx_text, extract_text, pdf_text, ExtractError, Kind};

/// A real one-page PDF written by lopdf, with a WinAnsi Helvetica font so accents survive.
fn pdf(lines: &[&str]) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font_id } });
    let mut operations = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec!["F1".into(), 12.into()]),
        Operation::new("Td", vec![72.into(), 700.into()]),
    ];
    for line in lines {
        // WinAnsi is Latin-1 for the letters Spanish uses.
        let bytes: Vec<u8> = line.chars().map(|c| c as u32 as u8).collect();
        operations.push(Operation::new(
            "Tj",
            vec![Object::String(bytes, lopdf::StringFormat::Literal)],
        ));
        operations.push(Operation::new("Td", vec![0.into(), (-16).into()]));
    }
    operations.push(Operation::new("ET", vec![]));
    let content = Content { operations };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "Resources" => resources_id, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A DOCX as Word writes it, reduced to the parts that matter: a zip with
/// `[Content_Types].xml` and `word/document.xml`.
fn docx(document_xml: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#).unwrap();
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(document_xml.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

const WORD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>Evaluación</w:t></w:r><w:r><w:t xml:space="preserve"> formativa &amp; acompañamiento</w:t></w:r></w:p>
<w:p><w:r><w:t>Pasantías</w:t><w:tab/><w:t>&#233;xito</w:t></w:r></w:p>
</w:body></w:document>"#;

#[test]
fn docx_text_keeps_runs_paragraphs_and_entities() {
    let bytes = docx(WORD);
    assert_eq!(detect(&bytes), Some(Kind::Docx));
    assert_eq!(
        extract_text(&bytes).unwrap(),
        "Evaluación formativa & acompañamiento\nPasantías éxito"
    );
}

#[test]
fn pdf_text_is_read_with_its_accents() {
    let bytes = pdf(&[
        "Acompañamiento al aula",
        "Evaluación formativa en Pichidegua",
    ]);
    assert_eq!(detect(&bytes), Some(Kind::Pdf));
    let text = pdf_text(&bytes).unwrap();
    assert!(text.contains("Acompañamiento al aula"), "{text:?}");
    assert!(
        text.contains("Evaluación formativa en Pichidegua"),
        "{text:?}"
    );
}

#[test]
fn other_formats_are_refused() {
    assert_eq!(extract_text(b"hola"), Err(ExtractError::Unsupported));
    assert_eq!(extract_text(b""), Err(ExtractError::Unsupported));
    // A zip that is not a Word document.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("a.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"x").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert_eq!(docx_text(&bytes), Err(ExtractError::Unsupported));
}

#[test]
fn broken_files_are_errors_not_panics() {
    let good_pdf = pdf(&["Texto de prueba"]);
    let good_docx = docx(WORD);
    for good in [&good_pdf, &good_docx] {
        // Truncated at many points, and with bytes flipped through the file.
        for cut in (0..good.len()).step_by(good.len() / 40 + 1) {
            let _ = extract_text(&good[..cut]);
        }
        for at in (0..good.len()).step_by(good.len() / 60 + 1) {
            let mut bad = good.to_vec();
            bad[at] ^= 0xA5;
            let _ = extract_text(&bad);
        }
    }
    assert!(matches!(
        extract_text(b"%PDF-1.5 garbage"),
        Err(ExtractError::Malformed(_))
    ));
    assert!(matches!(
        extract_text(b"PK\x03\x04garbage"),
        Err(ExtractError::Malformed(_))
    ));
    // Broken XML inside a good zip keeps what was read before the break.
    let text = docx_text(&docx(
        "<w:document><w:body><w:p><w:t>Hola</w:t></w:p><w:p><w:t>",
    ))
    .unwrap();
    assert_eq!(text, "Hola");
}

#[test]
fn too_large_files_are_refused_before_reading() {
    let mut big = b"%PDF-1.5\n".to_vec();
    big.resize(redes_search::extract::MAX_INPUT_BYTES + 1, b' ');
    assert_eq!(extract_text(&big), Err(ExtractError::TooLarge));
}

#[test]
fn a_zip_bomb_is_cut_at_the_cap() {
    // 60 MB of one paragraph compresses to a few kB; reading stops at the cap.
    let mut xml = String::from("<w:document><w:body><w:p><w:t>");
    xml.push_str(&"evaluación ".repeat(6_000_000));
    xml.push_str("</w:t></w:p></w:body></w:document>");
    let bytes = docx(&xml);
    assert!(bytes.len() < 1_000_000);
    let text = docx_text(&bytes).unwrap();
    assert!(text.len() <= redes_search::extract::MAX_TEXT_BYTES);
    assert!(text.starts_with("evaluación evaluación"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn arbitrary_bytes_never_panic(mut bytes in proptest::collection::vec(any::<u8>(), 0..2048), kind in 0..3u8) {
        match kind {
            0 => { let mut v = b"%PDF-1.4\n".to_vec(); v.append(&mut bytes); let _ = extract_text(&v); }
            1 => { let mut v = b"PK\x03\x04".to_vec(); v.append(&mut bytes); let _ = extract_text(&v); }
            _ => { let _ = extract_text(&bytes); }
        }
    }

    #[test]
    fn mutated_real_files_never_panic(at in 0usize..4096, byte in any::<u8>(), pdf_or_docx in any::<bool>()) {
        let mut v = if pdf_or_docx { pdf(&["Acompañamiento"]) } else { docx(WORD) };
        let at = at % v.len();
        v[at] = byte;
        let _ = extract_text(&v);
    }
}
