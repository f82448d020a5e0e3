//! JSON API under `/api/v1`: schools and networks (list, get, create,
//! update), API tokens, and the OpenAPI document. Authentication by session
//! cookie (with the `X-CSRF-Token` header on writes) or `Authorization:
//! Bearer`. Permissions are the same `policy` checks the pages use.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::auth::{verify_password, User};
use crate::error::AppError;
use crate::networks::model::{Network, NetworkInput};
use crate::networks::store as networks;
use crate::schools::model::{School, SchoolInput};
use crate::schools::store as schools;
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Redes API", version = "1", description = "Escuelas y redes de mejoramiento escolar."),
    paths(list_schools, get_school, create_school, update_school, list_networks, get_network, create_network, update_network, create_token),
    components(schemas(School, SchoolInput, Network, NetworkInput, SchoolPage, NetworkPage, ApiError, TokenRequest, TokenResponse)),
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
        .route("/tokens", post(create_token))
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
    let page = q.page.unwrap_or(1).max(1);
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
    let school = input.parse().map_err(AppError::Validation)?;
    if !p.can_create_school(&school.country, &school.region, &school.province) {
        return Err(AppError::Forbidden);
    }
    let mut conn = state.db.pool.acquire().await?;
    let id = schools::insert(&mut conn, &school).await?;
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
    let place = schools::place(&state.db, id).await?;
    if !p.can_edit_school(&place.policy()) {
        return Err(AppError::Forbidden);
    }
    let school = input.parse().map_err(AppError::Validation)?;
    if (school.region != place.school.region || school.country != place.school.country)
        && !p.can_create_school(&school.country, &school.region, &school.province)
    {
        return Err(AppError::Forbidden);
    }
    let mut conn = state.db.pool.acquire().await?;
    schools::update(&mut conn, id, &school).await?;
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
    let page = q.page.unwrap_or(1).max(1);
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
    let current = networks::get(&state.db, id).await?;
    if !p.can_edit_network(&current.policy()) {
        return Err(AppError::Forbidden);
    }
    let network = input.parse().map_err(AppError::Validation)?;
    let moved = network.input.region != current.region || network.input.country != current.country;
    if moved
        && !p.can_create_network(
            &network.input.country,
            &network.input.region,
            &network.input.province,
        )
    {
        return Err(AppError::Forbidden);
    }
    networks::update(&state.db, id, &network).await?;
    Ok(Json(networks::get(&state.db, id).await?))
}

#[derive(Deserialize, ToSchema)]
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

/// Exchanges a username and password for a bearer token.
#[utoipa::path(post, path = "/api/v1/tokens", request_body = TokenRequest, security(()),
    responses((status = 201, description = "A new token", body = TokenResponse),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, or too many failed attempts for this username", body = ApiError),
        (status = 401, description = "Unknown username or wrong password", body = ApiError),
        (status = 413, description = "Body larger than 2 MiB", body = ApiError),
        (status = 422, description = "A field that is too long or holds a NUL character; `fields` names it", body = ApiError)))]
async fn create_token(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<TokenRequest>,
) -> Result<Response, AppError> {
    let username = req.username.trim().to_lowercase();
    if state.throttle.check(&username).is_err() {
        return Err(AppError::BadRequest(
            "demasiados intentos fallidos; espere 15 minutos".into(),
        ));
    }
    let row: Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT id, password_hash FROM people WHERE username = $1 AND archived = 0")
            .bind(&username)
            .fetch_optional(&state.db.pool)
            .await?;
    let person_id = match row {
        Some((id, Some(hash))) if verify_password(&req.password, &hash) => id,
        _ => {
            state.throttle.fail(&username);
            return Err(AppError::Unauthorized);
        }
    };
    state.throttle.clear(&username);
    let token = crate::auth::random_token();
    sqlx::query(
        "INSERT INTO api_tokens (person_id, label, token_hash, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(person_id)
    .bind(if req.label.is_empty() {
        "api".to_string()
    } else {
        req.label
    })
    .bind(crate::auth::token_hash(&token))
    .bind(crate::db::now())
    .execute(&state.db.pool)
    .await?;
    Ok((StatusCode::CREATED, Json(TokenResponse { token })).into_response())
}
