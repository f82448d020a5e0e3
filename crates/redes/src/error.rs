//! The application's one error type. Handlers return `Result<_, AppError>`;
//! the `render_errors` middleware in `layout` turns the error into an HTML page
//! or, under `/api`, a JSON body.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Field name → message, shown next to the field or returned as JSON.
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("common-no-encontrado")]
    NotFound,
    #[error("common-debe-iniciar-sesion")]
    Unauthorized,
    #[error("common-no-tiene-permiso")]
    Forbidden,
    /// Forbidden, with the reason a person can act on.
    #[error("{0}")]
    Denied(String),
    /// The request conflicts with the object's state (already approved,
    /// changed by someone else).
    #[error("{0}")]
    Conflict(String),
    #[error("common-datos-invalidos")]
    Validation(FieldErrors),
    #[error("{0}")]
    BadRequest(String),
    /// Too many failed sign-ins: wait this many minutes.
    #[error("{}", too_many_attempts(*.0))]
    TooManyAttempts(u64),
    #[error("common-envio-supera-maximo")]
    TooLarge,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

fn too_many_attempts(minutes: u64) -> String {
    crate::text::message(
        "common-demasiados-intentos-fallidos-espere-minutos-e",
        &[("minutes", &minutes)],
    )
}

impl AppError {
    /// One field's problem.
    pub fn field(name: &str, message: impl Into<String>) -> AppError {
        AppError::Validation(BTreeMap::from([(name.to_string(), message.into())]))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Denied(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Database(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Why a store could not answer: the small error type of every `store.rs`
/// query (functions that also check input or decide permissions, such as
/// the writes and the guards, return `AppError`). Handlers
/// get it as an `AppError` through `?`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("common-no-encontrado")]
    NotFound,
    /// The stored state does not allow the change (approved already,
    /// changed by someone else meanwhile).
    #[error("{0}")]
    Conflict(String),
    /// A value the store refuses, named by its field (a duplicate code, an
    /// unknown institution).
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored document that no longer reads (a plan's JSON).
    #[error("internal error: {0}")]
    Internal(#[from] anyhow::Error),
}

impl StoreError {
    pub fn invalid(field: &str, message: impl Into<String>) -> StoreError {
        StoreError::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(message) => AppError::Conflict(message),
            StoreError::Invalid { field, message } => AppError::field(&field, message),
            StoreError::Database(e) => AppError::Database(e),
            StoreError::Internal(e) => AppError::Internal(e),
        }
    }
}

/// What the error middleware needs to render a page or JSON.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub message: String,
    pub fields: FieldErrors,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            AppError::Database(e) => {
                tracing::error!(error = %e, "database error");
                "common-error-interno-intente-nuevo".to_string()
            }
            AppError::Internal(e) => {
                tracing::error!(error = %format!("{e:#}"), "internal error");
                "common-error-interno-intente-nuevo".to_string()
            }
            other => other.to_string(),
        };
        let fields = match self {
            AppError::Validation(fields) => fields,
            _ => FieldErrors::new(),
        };
        let mut response = status.into_response();
        response
            .extensions_mut()
            .insert(ErrorInfo { message, fields });
        response
    }
}

/// True when a database error is a unique-constraint violation (both backends).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            db.is_unique_violation()
                || db.message().contains("UNIQUE constraint failed")
                || db.code().as_deref() == Some("23505")
        }
        _ => false,
    }
}
