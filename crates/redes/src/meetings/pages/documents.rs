//! A meeting's documents: upload (a form with a file), download (as an
//! attachment with its stored type), removal.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

use super::detail::again;
use crate::auth::User;
use crate::error::AppError;
use crate::ids::{DocumentId, MeetingId};
use crate::meetings::store::documents;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reuniones/{id}/documentos", post(upload))
        .route("/reuniones/{id}/documentos/{document_id}", get(download))
        .route("/reuniones/{id}/documentos/{document_id}/eliminar", post(remove))
}

async fn upload(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let parts = crate::web::multipart(content_type, &body)
        .ok_or_else(|| AppError::BadRequest("meetings-envie-documento-con-formulario-reunion".into()))?;
    let file = parts.into_iter().find(|part| part.name == "file");
    let (name, data) = file.map(|f| (f.filename.unwrap_or_default(), f.data)).unwrap_or_default();
    match documents::upload(&state.db, &p, id, &name, &data).await {
        Ok(_) => Ok(Redirect::to(&format!("/reuniones/{id}#documentos")).into_response()),
        Err(e) => again(&state, &ctx, &p, id, "document", &serde_json::json!({}), e).await,
    }
}

async fn download(
    User(p, _): User,
    State(state): State<AppState>,
    Path((id, document)): Path<(MeetingId, DocumentId)>,
) -> Result<Response, AppError> {
    let (name, content_type, content) = documents::download(&state.db, &p, id, document).await?;
    let ascii: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        crate::web::urlencode(&name)
    );
    let mut response = content.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

async fn remove(
    User(p, _): User,
    State(state): State<AppState>,
    Path((id, document)): Path<(MeetingId, DocumentId)>,
) -> Result<Response, AppError> {
    documents::remove(&state.db, &p, id, document).await?;
    Ok(Redirect::to(&format!("/reuniones/{id}#documentos")).into_response())
}
