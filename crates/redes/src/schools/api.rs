//! The JSON API of schools: list, get, create and update, under
//! `/api/v1/schools`. Each write is the same function the pages call.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use super::model::{School, SchoolInput};
use super::store::{self, SchoolFilter};
use crate::api::{ApiError, ApiJson, ListParams};
use crate::auth::User;
use crate::error::AppError;
use crate::ids::SchoolId;
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(list_schools, get_school, create_school, update_school),
    components(schemas(School, SchoolInput, SchoolPage))
)]
struct SchoolsDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    SchoolsDoc::openapi()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/schools", get(list_schools).post(create_school))
        .route("/schools/{id}", get(get_school).put(update_school))
}

#[derive(Serialize, ToSchema)]
/// One page of schools.
pub struct SchoolPage {
    items: Vec<School>,
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
    let filter = SchoolFilter {
        q: q.q,
        country: q.country,
        region: q.region,
        ..Default::default()
    };
    let page = crate::limits::page(q.page);
    let (items, total) = store::list(&state.db, &p.visibility(), &filter, page).await?;
    Ok(Json(SchoolPage {
        items,
        total,
        page,
        page_size: store::PAGE_SIZE,
    }))
}

#[utoipa::path(get, path = "/api/v1/schools/{id}", params(("id" = i64, Path, description = "The school's id", example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "The school", body = School),
        (status = 400, description = "A query string or id that does not parse (e.g. `page=abc`, an id past the 64-bit range)", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not do it", body = ApiError), (status = 404, description = "No school with this id", body = ApiError)))]
async fn get_school(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<SchoolId>,
) -> Result<Json<School>, AppError> {
    Ok(Json(store::viewable(&state.db, &p, id).await?.school))
}

#[utoipa::path(post, path = "/api/v1/schools", request_body = SchoolInput, security(("bearer" = [])),
    responses((status = 201, description = "Created", body = School),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not do it", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "Invalid values; `fields` names each field and its problem", body = ApiError)))]
async fn create_school(
    User(p, _): User,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<SchoolInput>,
) -> Result<Response, AppError> {
    let id = store::register(&state.db, &p, &input).await?;
    Ok((StatusCode::CREATED, Json(store::get(&state.db, id).await?)).into_response())
}

#[utoipa::path(put, path = "/api/v1/schools/{id}", params(("id" = i64, Path, description = "The school's id", example = 1)), request_body = SchoolInput, security(("bearer" = [])),
    responses((status = 200, description = "Updated", body = School),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not do it", body = ApiError), (status = 404, description = "No school with this id", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "Invalid values; `fields` names each field and its problem", body = ApiError)))]
async fn update_school(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<SchoolId>,
    ApiJson(input): ApiJson<SchoolInput>,
) -> Result<Json<School>, AppError> {
    store::edit(&state.db, &p, id, &input).await?;
    Ok(Json(store::get(&state.db, id).await?))
}
