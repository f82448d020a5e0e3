//! A good practice as a PDF: A4 pages of text set in the PDF's built-in
//! Helvetica (every reader has it, so nothing is embedded and a practice is
//! a few kilobytes), written with `lopdf`, which Redes already carries to
//! read attachments. Built-in fonts speak WinAnsi, which covers Spanish and
//! English; a character outside it prints as "?".

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Encoding, Object, Stream};

/// One piece of the document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Title(String),
    /// A line under the title: network, schools, stage.
    Meta(String),
    Heading(String),
    Paragraph(String),
}

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const FOOTER_Y: f32 = 32.0;

#[derive(Clone, Copy, PartialEq)]
enum Font {
    Regular,
    Bold,
}

struct Style {
    font: Font,
    size: f32,
    leading: f32,
    space_before: f32,
}

fn style(block: &Block) -> Style {
    match block {
        Block::Title(_) => Style { font: Font::Bold, size: 18.0, leading: 23.0, space_before: 0.0 },
        Block::Meta(_) => Style { font: Font::Regular, size: 10.0, leading: 14.0, space_before: 2.0 },
        Block::Heading(_) => Style { font: Font::Bold, size: 13.0, leading: 18.0, space_before: 12.0 },
        Block::Paragraph(_) => Style { font: Font::Regular, size: 11.0, leading: 15.0, space_before: 4.0 },
    }
}

/// A line placed on a page.
struct Line {
    font: Font,
    size: f32,
    y: f32,
    text: String,
}

/// The PDF of `blocks`, each page with `footer` and its number ("1 / 3").
pub fn render(document_title: &str, blocks: &[Block], footer: &str) -> Vec<u8> {
    let pages = lay_out(blocks);
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let regular = doc.add_object(font_dictionary("Helvetica"));
    let bold = doc.add_object(font_dictionary("Helvetica-Bold"));
    let resources = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => regular, "F2" => bold },
    });
    let total = pages.len();
    let mut kids: Vec<Object> = Vec::new();
    for (n, lines) in pages.iter().enumerate() {
        let mut operations = Vec::new();
        for line in lines {
            show(&mut operations, line.font, line.size, MARGIN, line.y, &line.text);
        }
        let page_label = format!("{footer} · {} / {total}", n + 1);
        show(&mut operations, Font::Regular, 8.0, MARGIN, FOOTER_Y, &page_label);
        let content = Content { operations };
        let stream = Stream::new(dictionary! {}, content.encode().unwrap_or_default());
        let content_id = doc.add_object(stream);
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => total as i64,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), PAGE_WIDTH.into(), PAGE_HEIGHT.into()],
        }),
    );
    let info = doc.add_object(dictionary! {
        "Title" => Object::string_literal(winansi(document_title)),
        "Producer" => Object::string_literal("Redes"),
    });
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    doc.compress();
    let mut bytes = Vec::new();
    // Writing to memory fails only if memory does.
    doc.save_to(&mut bytes).expect("a PDF in memory");
    bytes
}

fn font_dictionary(name: &str) -> lopdf::Dictionary {
    dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => name,
        "Encoding" => "WinAnsiEncoding",
    }
}

fn show(operations: &mut Vec<Operation>, font: Font, size: f32, x: f32, y: f32, text: &str) {
    let name = match font {
        Font::Regular => "F1",
        Font::Bold => "F2",
    };
    operations.extend([
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec![name.into(), size.into()]),
        Operation::new("Td", vec![x.into(), y.into()]),
        Operation::new("Tj", vec![Object::string_literal(winansi(text))]),
        Operation::new("ET", vec![]),
    ]);
}

fn winansi(text: &str) -> Vec<u8> {
    Document::encode_text(&Encoding::SimpleEncoding(b"WinAnsiEncoding"), text)
}

/// The lines of each page: blocks wrapped to the text width, a new page
/// when the next line would reach the footer. A heading never ends a page.
fn lay_out(blocks: &[Block]) -> Vec<Vec<Line>> {
    let top = PAGE_HEIGHT - MARGIN;
    let bottom = MARGIN;
    let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
    let mut y = top;
    for (i, block) in blocks.iter().enumerate() {
        let s = style(block);
        let text = match block {
            Block::Title(t) | Block::Meta(t) | Block::Heading(t) | Block::Paragraph(t) => t,
        };
        let mut lines: Vec<String> = text
            .lines()
            .flat_map(|paragraph| wrap(paragraph, s.font, s.size, TEXT_WIDTH))
            .collect();
        if lines.is_empty() {
            lines.push(String::new());
        }
        let keep_with_next = matches!(block, Block::Heading(_)) && i + 1 < blocks.len();
        let needed = s.leading * if keep_with_next { 3.0 } else { 1.0 };
        if y != top {
            y -= s.space_before;
        }
        if y - needed < bottom {
            pages.push(Vec::new());
            y = top;
        }
        for text in lines {
            if y - s.leading < bottom {
                pages.push(Vec::new());
                y = top;
            }
            y -= s.leading;
            let page = pages.last_mut().expect("a page");
            page.push(Line { font: s.font, size: s.size, y, text });
        }
    }
    pages
}

/// Greedy word wrap by the fonts' metrics; a word wider than the line is
/// cut where it overflows.
fn wrap(paragraph: &str, font: Font, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in paragraph.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if text_width(&candidate, font, size) <= width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut rest = word.to_string();
        while text_width(&rest, font, size) > width {
            let mut cut = String::new();
            for c in rest.chars() {
                if text_width(&format!("{cut}{c}"), font, size) > width {
                    break;
                }
                cut.push(c);
            }
            if cut.is_empty() {
                break;
            }
            rest = rest[cut.len()..].to_string();
            lines.push(cut);
        }
        line = rest;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn text_width(text: &str, font: Font, size: f32) -> f32 {
    let units: u32 = text.chars().map(|c| char_width(c, font)).sum();
    units as f32 * size / 1000.0
}

/// Advance widths of Helvetica and Helvetica-Bold (Adobe's font metrics,
/// in thousandths of the size) for printable ASCII; an accented letter
/// takes its base letter's width.
fn char_width(c: char, font: Font) -> u32 {
    const REGULAR: [u16; 95] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
        556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722,
        722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722,
        667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
        556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,
        500, 334, 260, 334, 584,
    ];
    const BOLD: [u16; 95] = [
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
        556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722,
        722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722,
        667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611,
        611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556,
        500, 389, 280, 389, 584,
    ];
    let base = match c {
        'á' | 'à' | 'ä' | 'â' => 'a',
        'é' | 'è' | 'ë' | 'ê' => 'e',
        'í' | 'ì' | 'ï' | 'î' => 'i',
        'ó' | 'ò' | 'ö' | 'ô' => 'o',
        'ú' | 'ù' | 'ü' | 'û' => 'u',
        'ñ' => 'n',
        'Á' | 'À' | 'Ä' => 'A',
        'É' | 'È' => 'E',
        'Í' => 'I',
        'Ó' | 'Ö' => 'O',
        'Ú' | 'Ü' => 'U',
        'Ñ' => 'N',
        '¿' => '?',
        '¡' => '!',
        c => c,
    };
    let table = match font {
        Font::Regular => &REGULAR,
        Font::Bold => &BOLD,
    };
    match base as u32 {
        code @ 32..=126 => u32::from(table[(code - 32) as usize]),
        _ => 556,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paragraphs_wrap_within_the_text_width_and_flow_to_new_pages() {
        let paragraph = "La red acompaña el aula entre pares con una pauta común. ".repeat(200);
        let blocks = vec![
            Block::Title("Acompañamiento al aula".into()),
            Block::Heading("Lo que se hizo".into()),
            Block::Paragraph(paragraph),
        ];
        let pages = lay_out(&blocks);
        assert!(pages.len() > 2, "{} pages", pages.len());
        for line in pages.iter().flatten() {
            assert!(text_width(&line.text, line.font, line.size) <= TEXT_WIDTH, "{}", line.text);
            assert!(line.y >= MARGIN, "{}", line.y);
        }
    }

    #[test]
    fn a_word_longer_than_the_line_is_cut() {
        let word = "x".repeat(400);
        let lines = wrap(&word, Font::Regular, 11.0, TEXT_WIDTH);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), word);
    }

    #[test]
    fn a_heading_is_kept_with_what_follows() {
        let filler = vec![Block::Paragraph("Texto.".into()); 46];
        let mut blocks = filler;
        blocks.push(Block::Heading("Resultados".into()));
        blocks.push(Block::Paragraph("Ochenta por ciento.".into()));
        let pages = lay_out(&blocks);
        let last = pages.last().unwrap();
        assert!(last.iter().any(|l| l.text == "Resultados"), "the heading moved with its text");
    }
}
