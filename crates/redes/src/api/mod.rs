//! JSON API under `/api/v1`: schools and networks (list, get, create,
//! update), API tokens, and the OpenAPI document. Authentication by session
//! cookie (with the `X-CSRF-Token` header on writes) or `Authorization:
//! Bearer`. Permissions are the same `policy` checks the pages use.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::auth::tokens::{self, TokenInfo};
use crate::auth::{Refusal, Source, User};
use crate::error::AppError;
use crate::networks::model::{Network, NetworkInput};
use crate::networks::store as networks;
use crate::schools::model::{School, SchoolInput};
use crate::schools::store as schools;
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Redes API", version = "1", description = "Escuelas y redes de mejoramiento escolar."),
    paths(list_schools, get_school, create_school, update_school, list_networks, get_network, create_network, update_network, create_token, list_tokens, revoke_token),
    components(schemas(School, SchoolInput, Network, NetworkInput, SchoolPage, NetworkPage, ApiError, TokenRequest, TokenResponse, TokenInfo)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

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

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/schools", get(list_schools).post(create_school))
        .route("/schools/{id}", get(get_school).put(update_school))
        .route("/networks", get(list_networks).post(create_network))
        .route("/networks/{id}", get(get_network).put(update_network))
        .route("/tokens", get(list_tokens).post(create_token))
        .route("/tokens/{id}", axum::routing::delete(revoke_token))
        .fallback(crate::layout::not_found)
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
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

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Text in the name or code (at most 200 characters).
    #[param(max_length = 200)]
    q: String,
    /// `cl`, `co` or `mx` (at most 200 characters).
    #[param(max_length = 200)]
    country: String,
    /// Region, department or state, exactly as stored (at most 200 characters).
    #[param(max_length = 200)]
    region: String,
    /// Page number, from 1 (default 1); a page past the last one is empty.
    #[param(value_type = i64, minimum = 1)]
    page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct SchoolPage {
    items: Vec<School>,
    total: i64,
    page: i64,
    page_size: i64,
}

#[derive(Serialize, ToSchema)]
pub struct NetworkPage {
    items: Vec<Network>,
    total: i64,
    page: i64,
    page_size: i64,
}

#[utoipa::path(get, path = "/api/v1/schools", params(ListParams), security(("bearer" = [])),
    responses((status = 200, description = "The schools the account may see that match, one page", body = SchoolPage),
        (status = 400, description = "A query string or id that does not parse (e.g. `page=abc`, an id past the 64-bit range)", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 422, description = "A text filter that is too long or holds a NUL character; `fields` names it", body = ApiError)))]
async fn list_schools(
    User(p, _): User,
    State(state): State<AppState>,
    Query(q): Query<ListParams>,
) -> Result<Json<SchoolPage>, AppError> {
    let filter = schools::SchoolFilter {
        q: q.q,
        country: q.country,
        region: q.region,
        ..Default::default()
    };
    let page = crate::limits::page(q.page);
    let (items, total) = schools::list(&state.db, &p.visibility(), &filter, page).await?;
    Ok(Json(SchoolPage {
        items,
        total,
        page,
        page_size: schools::PAGE_SIZE,
    }))
}

#[utoipa::path(get, path = "/api/v1/schools/{id}", params(("id" = i64, Path, description = "The school's id", example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "The school", body = School),
        (status = 400, description = "A query string or id that does not parse (e.g. `page=abc`, an id past the 64-bit range)", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not do it", body = ApiError), (status = 404, description = "No school with this id", body = ApiError)))]
async fn get_school(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<School>, AppError> {
    let place = schools::place(&state.db, id).await?;
    if !p.can_view_school(&place.policy()) {
        return Err(AppError::Forbidden);
    }
    Ok(Json(place.school))
}

#[utoipa::path(post, path = "/api/v1/schools", request_body = SchoolInput, security(("bearer" = [])),
    responses((status = 201, description = "Created", body = School),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not do it", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "Invalid values; `fields` names each field and its problem", body = ApiError)))]
async fn create_school(
    User(p, _): User,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<SchoolInput>,
) -> Result<Response, AppError> {
    let id = schools::register(&state.db, &p, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(schools::get(&state.db, id).await?),
    )
        .into_response())
}

#[utoipa::path(put, path = "/api/v1/schools/{id}", params(("id" = i64, Path, description = "The school's id", example = 1)), request_body = SchoolInput, security(("bearer" = [])),
    responses((status = 200, description = "Updated", body = School),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not do it", body = ApiError), (status = 404, description = "No school with this id", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "Invalid values; `fields` names each field and its problem", body = ApiError)))]
async fn update_school(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SchoolInput>,
) -> Result<Json<School>, AppError> {
    schools::edit(&state.db, &p, id, &input).await?;
    Ok(Json(schools::get(&state.db, id).await?))
}

#[utoipa::path(get, path = "/api/v1/networks", params(ListParams), security(("bearer" = [])),
    responses((status = 200, description = "The networks the account may see that match, one page", body = NetworkPage),
        (status = 400, description = "A query string or id that does not parse (e.g. `page=abc`, an id past the 64-bit range)", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 422, description = "A text filter that is too long or holds a NUL character; `fields` names it", body = ApiError)))]
async fn list_networks(
    User(p, _): User,
    State(state): State<AppState>,
    Query(q): Query<ListParams>,
) -> Result<Json<NetworkPage>, AppError> {
    let filter = networks::NetworkFilter {
        q: q.q,
        country: q.country,
        region: q.region,
        ..Default::default()
    };
    let page = crate::limits::page(q.page);
    let (rows, total) = networks::list(&state.db, &p.visibility(), &filter, page).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        items.push(networks::get(&state.db, row.id).await?);
    }
    Ok(Json(NetworkPage {
        items,
        total,
        page,
        page_size: networks::PAGE_SIZE,
    }))
}

#[utoipa::path(get, path = "/api/v1/networks/{id}", params(("id" = i64, Path, description = "The network's id", example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "The network with its charter", body = Network),
        (status = 400, description = "A query string or id that does not parse (e.g. `page=abc`, an id past the 64-bit range)", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not do it", body = ApiError), (status = 404, description = "No network with this id", body = ApiError)))]
async fn get_network(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<Network>, AppError> {
    let network = networks::get(&state.db, id).await?;
    if !p.can_view_network(&network.policy()) {
        return Err(AppError::Forbidden);
    }
    Ok(Json(network))
}

#[utoipa::path(post, path = "/api/v1/networks", request_body = NetworkInput, security(("bearer" = [])),
    responses((status = 201, description = "Created", body = Network),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not do it", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "Invalid values; `fields` names each field and its problem", body = ApiError)))]
async fn create_network(
    User(p, _): User,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<NetworkInput>,
) -> Result<Response, AppError> {
    let network = input.parse().map_err(AppError::Validation)?;
    if !p.can_create_network(
        &network.input.country,
        &network.input.region,
        &network.input.province,
    ) {
        return Err(AppError::Forbidden);
    }
    let id = networks::found(&state.db, &p, &network).await?;
    Ok((
        StatusCode::CREATED,
        Json(networks::get(&state.db, id).await?),
    )
        .into_response())
}

#[utoipa::path(put, path = "/api/v1/networks/{id}", params(("id" = i64, Path, description = "The network's id", example = 1)), request_body = NetworkInput, security(("bearer" = [])),
    responses((status = 200, description = "Updated", body = Network),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not do it", body = ApiError), (status = 404, description = "No network with this id", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "Invalid values; `fields` names each field and its problem", body = ApiError)))]
async fn update_network(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<NetworkInput>,
) -> Result<Json<Network>, AppError> {
    networks::edit(&state.db, &p, id, &input).await?;
    Ok(Json(networks::get(&state.db, id).await?))
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
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    tokens::revoke(&state.db, p.person_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
