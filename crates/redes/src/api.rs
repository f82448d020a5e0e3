//! The JSON API's core, under `/api/v1`: the OpenAPI document (built from
//! every module's paths), the JSON error body and the JSON extractor.
//! Each module serves its own endpoints from its `api.rs`; the token
//! exchange lives in `auth::api`. Authentication by session cookie (with
//! the `X-CSRF-Token` header on writes) or `Authorization: Bearer`.

use std::sync::OnceLock;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::error::AppError;
use crate::module::Module;
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Redes API", version = "1", description = "Escuelas y redes de mejoramiento escolar."),
    components(schemas(ApiError)),
    modifiers(&BearerAuth)
)]
struct CoreDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The OpenAPI document: the core's, the token exchange's and every
/// module's paths and schemas.
pub fn document(modules: &[&Module]) -> utoipa::openapi::OpenApi {
    let mut doc = CoreDoc::openapi();
    doc.merge(crate::auth::api::openapi());
    for m in modules {
        doc.merge((m.openapi)());
    }
    doc
}

/// Every module's JSON routes, nested under `/api/v1` by `app`.
pub fn routes(modules: &'static [&'static Module]) -> Router<AppState> {
    static DOCUMENT: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    let mut router = Router::new()
        .route(
            "/openapi.json",
            get(move || async move { Json(DOCUMENT.get_or_init(|| document(modules)).clone()) }),
        )
        .merge(crate::auth::api::routes());
    for m in modules {
        router = router.merge((m.api)());
    }
    router.fallback(crate::layout::not_found)
}

/// Error body: a message and, for invalid input, a message per field.
#[derive(Serialize, ToSchema)]
pub struct ApiError {
    pub error: String,
    pub fields: std::collections::BTreeMap<String, String>,
}

/// `Json` whose rejections (malformed JSON, wrong types) become JSON errors
/// naming the problem.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(AppError::TooLarge)
            }
            Err(rejection) => Err(AppError::BadRequest(format!(
                "JSON inválido: {}",
                rejection.body_text()
            ))),
        }
    }
}

/// The filters every list endpoint takes.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Text in the name or code (at most 200 characters).
    #[param(max_length = 200)]
    pub q: String,
    /// `cl`, `co` or `mx` (at most 200 characters).
    #[param(max_length = 200)]
    pub country: String,
    /// Region, department or state, exactly as stored (at most 200 characters).
    #[param(max_length = 200)]
    pub region: String,
    /// Page number, from 1 (default 1); a page past the last one is empty.
    #[param(value_type = i64, minimum = 1)]
    pub page: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two types of the same name would share one schema in the document
    /// (the last merged wins), and clients would read one module's answers
    /// against another's schema: each name belongs to one schema.
    #[test]
    fn no_two_parts_of_the_document_give_one_schema_name_different_schemas() {
        let mut parts = vec![
            ("core", CoreDoc::openapi()),
            ("auth", crate::auth::api::openapi()),
        ];
        parts.extend(crate::MODULES.iter().map(|m| (m.name, (m.openapi)())));
        let mut seen: std::collections::BTreeMap<String, (&str, serde_json::Value)> =
            Default::default();
        let mut clashes = Vec::new();
        for (part, doc) in &parts {
            let Some(components) = &doc.components else {
                continue;
            };
            for (name, schema) in &components.schemas {
                let schema = serde_json::to_value(schema).unwrap();
                match seen.get(name) {
                    Some((other, earlier)) if *earlier != schema => {
                        clashes.push(format!("{name}: {other} and {part}"))
                    }
                    Some(_) => {}
                    None => {
                        seen.insert(name.clone(), (part, schema));
                    }
                }
            }
        }
        assert!(clashes.is_empty(), "one name, two schemas: {clashes:?}");
    }
}
