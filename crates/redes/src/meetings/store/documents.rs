//! Documents attached to a meeting, kept in the database: a size limit, a
//! list of allowed types recognised by their content (not by the name the
//! browser sends), and a sanitised file name.

use serde::Serialize;

use super::{editable, viewable};
use crate::auth::policy::Principal;
use crate::db::{now, Db};
use crate::error::{AppError, StoreError};
use crate::ids::{DocumentId, MeetingId};

/// Largest document: under the request limit (2 MiB) with room for the
/// rest of the form.
pub const MAX_DOCUMENT_BYTES: usize = 1_900 * 1024;

/// What the limit reads like in a message.
pub fn limit_label() -> String {
    format!("{:.1} MiB", MAX_DOCUMENT_BYTES as f64 / (1024.0 * 1024.0)).replace('.', ",")
}

/// The allowed types: extension, stored content type, name in messages.
const TYPES: [(&str, &str); 8] = [
    ("pdf", "application/pdf"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("txt", "text/plain; charset=utf-8"),
];

const ALLOWED: &str = "PDF, DOCX, XLSX, PPTX, ODT, PNG, JPEG o TXT";

fn contains(data: &[u8], needle: &[u8]) -> bool {
    data.windows(needle.len()).any(|w| w == needle)
}

/// The type of a file by its first bytes (and, for the zip-based office
/// formats, the entries they must hold); `None` for anything else.
pub fn sniff(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(b"%PDF-") {
        Some("pdf")
    } else if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if data.starts_with(b"\xff\xd8\xff") {
        Some("jpg")
    } else if data.starts_with(b"PK\x03\x04") {
        if data.get(30..38) == Some(b"mimetype") && contains(&data[..data.len().min(200)], b"opendocument.text") {
            Some("odt")
        } else if contains(data, b"[Content_Types].xml") {
            if contains(data, b"word/") {
                Some("docx")
            } else if contains(data, b"xl/") {
                Some("xlsx")
            } else if contains(data, b"ppt/") {
                Some("pptx")
            } else {
                None
            }
        } else {
            None
        }
    } else {
        let text = std::str::from_utf8(data).ok()?;
        (!text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))).then_some("txt")
    }
}

/// A file name safe to store and to send back: the last path segment,
/// letters, digits, spaces, dots, hyphens and underscores only, at most
/// 120 characters.
pub fn sanitise(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') { c } else { '_' })
        .collect();
    let clean = clean.trim().trim_start_matches('.').to_string();
    let count = clean.chars().count();
    if count > 120 {
        let (stem, ext) = clean.rsplit_once('.').unwrap_or((&clean, ""));
        let keep: String = stem.chars().take(110).collect();
        return format!("{keep}.{ext}");
    }
    clean
}

/// Checks a file and gives its stored name and content type.
pub fn check(name: &str, data: &[u8]) -> Result<(String, &'static str), AppError> {
    if data.is_empty() {
        return Err(AppError::field("file", "meetings-elija-archivo"));
    }
    if data.len() > MAX_DOCUMENT_BYTES {
        return Err(AppError::field(
            "file",
            crate::text::message("meetings-archivo-pesa-mib-maximo-es", &[("arg1", &format!("{:.1}", data.len() as f64 / (1024.0 * 1024.0))), ("limit_label", &limit_label())]),
        ));
    }
    let mut file_name = sanitise(name);
    let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
    let extension = if extension == "jpeg" { "jpg".to_string() } else { extension };
    let Some(kind) = sniff(data) else {
        return Err(AppError::field("file", crate::text::message("meetings-tipo-archivo-no-permitido-aceptan", &[("ALLOWED", &ALLOWED)])));
    };
    if kind != extension {
        return Err(AppError::field(
            "file",
            crate::text::message("meetings-contenido-no-corresponde-archivo-aceptan", &[("extension", &extension), ("ALLOWED", &ALLOWED)]),
        ));
    }
    if file_name.is_empty() {
        file_name = format!("documento.{kind}");
    }
    let content_type = TYPES.iter().find(|(e, _)| *e == kind).map_or("application/octet-stream", |(_, t)| *t);
    Ok((file_name, content_type))
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Document {
    pub id: DocumentId,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_by_name: String,
    pub created_at: String,
}

pub async fn list(db: &Db, meeting_id: MeetingId) -> Result<Vec<Document>, StoreError> {
    db.remember(format!("meeting:{meeting_id}:documents"), || async {
        Ok(sqlx::query_as::<_, Document>(
            "SELECT d.id, d.file_name, d.content_type, d.size_bytes, p.full_name AS uploaded_by_name, d.created_at
             FROM meeting_documents d JOIN people p ON p.id = d.uploaded_by WHERE d.meeting_id = $1 ORDER BY d.id",
        )
        .bind(meeting_id)
        .fetch_all(&db.pool)
        .await?)
    })
    .await
}

/// Attaches a document to a meeting that is not closed.
pub async fn upload(db: &Db, p: &Principal, meeting_id: MeetingId, name: &str, data: &[u8]) -> Result<DocumentId, AppError> {
    editable(db, p, meeting_id).await?.open()?;
    let (file_name, content_type) = check(name, data)?;
    let mut tx = db.write().await?;
    let id = sqlx::query_scalar(
        "INSERT INTO meeting_documents (meeting_id, file_name, content_type, size_bytes, content, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(meeting_id)
    .bind(&file_name)
    .bind(content_type)
    .bind(data.len() as i64)
    .bind(data.to_vec())
    .bind(p.person_id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A document's name, type and content, for whoever reads the minutes.
pub async fn download(
    db: &Db,
    p: &Principal,
    meeting_id: MeetingId,
    id: DocumentId,
) -> Result<(String, String, Vec<u8>), AppError> {
    let g = viewable(db, p, meeting_id).await?;
    if !p.can_view_minutes(&g.place()) {
        return Err(AppError::Forbidden);
    }
    let row: Option<(String, String, Vec<u8>)> = sqlx::query_as(
        "SELECT file_name, content_type, content FROM meeting_documents WHERE id = $1 AND meeting_id = $2",
    )
    .bind(id)
    .bind(meeting_id)
    .fetch_optional(&db.pool)
    .await?;
    row.ok_or(AppError::NotFound)
}

/// Removes a document from a meeting that is not closed.
pub async fn remove(db: &Db, p: &Principal, meeting_id: MeetingId, id: DocumentId) -> Result<(), AppError> {
    editable(db, p, meeting_id).await?.open()?;
    let mut tx = db.write().await?;
    let done = sqlx::query("DELETE FROM meeting_documents WHERE id = $1 AND meeting_id = $2")
        .bind(id)
        .bind(meeting_id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_recognised_by_their_content_and_names_are_sanitised() {
        assert_eq!(sniff(b"%PDF-1.7 ..."), Some("pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some("png"));
        assert_eq!(sniff(b"MZ\x90\x00\x03"), None);
        assert_eq!(sniff("Acta de la sesión\n".as_bytes()), Some("txt"));
        assert!(check("acta.pdf", b"<html><script>").is_err(), "text is not a PDF");
        assert!(check("pagina.html", b"<html></html>").is_err(), "HTML is not allowed");
        assert!(check("virus.exe", b"MZ\x90\x00").is_err());
        let (name, kind) = check("../../C:\\tmp\\Acta <final>.txt", b"Acta").unwrap();
        assert_eq!(name, "Acta _final_.txt");
        assert_eq!(kind, "text/plain; charset=utf-8");
        let big = vec![b'a'; MAX_DOCUMENT_BYTES + 1];
        let message = format!("{:?}", check("grande.txt", &big).unwrap_err());
        assert!(message.contains("1,9 MiB"), "{message}");
    }
}
