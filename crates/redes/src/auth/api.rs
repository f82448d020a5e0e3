//! The token exchange of the JSON API: `POST /api/v1/tokens` trades a
//! username and password for a bearer token; its owner lists and revokes
//! tokens.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use super::tokens::{self, TokenInfo};
use super::{Refusal, Source, User};
use crate::api::{ApiError, ApiJson};
use crate::error::AppError;
use crate::ids::TokenId;
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(create_token, list_tokens, revoke_token),
    components(schemas(TokenRequest, TokenResponse, TokenInfo))
)]
struct TokensDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    TokensDoc::openapi()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tokens", get(list_tokens).post(create_token))
        .route("/tokens/{id}", axum::routing::delete(revoke_token))
}

#[derive(Deserialize, Serialize, ToSchema)]
pub struct TokenRequest {
    username: String,
    password: String,
    #[serde(default)]
    label: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <token>`. Shown only once.
    token: String,
}

/// Exchanges a username and password for a bearer token, valid for 90 days.
#[utoipa::path(post, path = "/api/v1/tokens", request_body = TokenRequest, security(()),
    responses((status = 201, description = "A new token", body = TokenResponse),
        (status = 400, description = "Malformed JSON, wrong JSON types, or a body that is not `application/json`", body = ApiError),
        (status = 401, description = "Unknown username or wrong password", body = ApiError),
        (status = 413, description = "Body larger than 2 MiB", body = ApiError),
        (status = 422, description = "A field that is too long or holds a NUL character; `fields` names it", body = ApiError),
        (status = 429, description = "Too many failed attempts for this account or from this address; wait and try again", body = ApiError)))]
async fn create_token(
    State(state): State<AppState>,
    Source(source): Source,
    ApiJson(req): ApiJson<TokenRequest>,
) -> Result<Response, AppError> {
    let errors = crate::limits::check(&req);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let person_id =
        match crate::auth::authenticate(&state, &req.username, &req.password, &source).await? {
            Ok(id) => id,
            Err(Refusal::Throttled(wait)) => {
                return Err(AppError::TooManyAttempts(wait.as_secs().div_ceil(60)))
            }
            Err(Refusal::WrongCredentials) => return Err(AppError::Unauthorized),
        };
    let token = tokens::issue(&state.db, person_id, &req.label).await?;
    Ok((StatusCode::CREATED, Json(TokenResponse { token })).into_response())
}

/// The signed-in person's tokens that still work (never their secrets).
#[utoipa::path(get, path = "/api/v1/tokens", security(("bearer" = [])),
    responses((status = 200, description = "The tokens that still work, newest first", body = [TokenInfo]),
        (status = 401, description = "Not signed in, or the token expired or was revoked", body = ApiError)))]
async fn list_tokens(
    User(p, _): User,
    State(state): State<AppState>,
) -> Result<Json<Vec<TokenInfo>>, AppError> {
    Ok(Json(tokens::list(&state.db, p.person_id).await?))
}

/// Revokes one of the person's own tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", params(("id" = i64, Path, description = "The token's id (from `GET /api/v1/tokens`)", example = 1)), security(("bearer" = [])),
    responses((status = 204, description = "Revoked"),
        (status = 400, description = "The id is not a number", body = ApiError),
        (status = 401, description = "Not signed in", body = ApiError),
        (status = 404, description = "No such token of yours", body = ApiError)))]
async fn revoke_token(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<TokenId>,
) -> Result<StatusCode, AppError> {
    tokens::revoke(&state.db, p.person_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
