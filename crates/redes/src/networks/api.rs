//! The JSON API of networks: list, get, create and update, under
//! `/api/v1/networks`. Each write is the same function the pages call.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use super::model::{Network, NetworkInput};
use super::store::{self, NetworkFilter};
use crate::api::{ApiError, ApiJson, ListParams};
use crate::auth::User;
use crate::error::AppError;
use crate::ids::NetworkId;
use crate::people::model::{InviteInput, Invited};
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(list_networks, get_network, create_network, update_network, invite_person),
    components(schemas(Network, NetworkInput, NetworkPage, InviteInput, Invited))
)]
struct NetworksDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    NetworksDoc::openapi()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/networks", get(list_networks).post(create_network))
        .route("/networks/{id}", get(get_network).put(update_network))
        .route("/networks/{id}/people", post(invite_person))
}

#[derive(Serialize, ToSchema)]
/// One page of networks.
pub struct NetworkPage {
    items: Vec<Network>,
    total: i64,
    page: i64,
    page_size: i64,
}

#[utoipa::path(get, path = "/api/v1/networks", params(ListParams), security(("bearer" = [])),
    responses((status = 200, description = "The networks the account may see that match, one page", body = NetworkPage),
        (status = 400, description = "A query string or id that does not parse (e.g. `page=abc`, an id past the 64-bit range)", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 422, description = "A text filter that is too long or holds a NUL character; `fields` names it", body = ApiError)))]
async fn list_networks(
    User(p, _): User,
    State(state): State<AppState>,
    Query(q): Query<ListParams>,
) -> Result<Json<NetworkPage>, AppError> {
    let filter = NetworkFilter {
        q: q.q,
        country: q.country,
        region: q.region,
        // The API lists every network, generated ones too: each item says
        // whether it is `synthetic`, and scripts count what the census counts.
        synthetic: true,
        ..Default::default()
    };
    let page = crate::limits::page(q.page);
    let (items, total) = store::list_full(&state.db, &p.visibility(), &filter, page).await?;
    Ok(Json(NetworkPage {
        items,
        total,
        page,
        page_size: store::PAGE_SIZE,
    }))
}

#[utoipa::path(get, path = "/api/v1/networks/{id}", params(("id" = i64, Path, description = "The network's id", example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "The network with its charter", body = Network),
        (status = 400, description = "A query string or id that does not parse (e.g. `page=abc`, an id past the 64-bit range)", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not do it", body = ApiError), (status = 404, description = "No network with this id", body = ApiError)))]
async fn get_network(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
) -> Result<Json<Network>, AppError> {
    Ok(Json(store::viewable(&state.db, &p, id).await?))
}

#[utoipa::path(post, path = "/api/v1/networks", request_body = NetworkInput, security(("bearer" = [])),
    responses((status = 201, description = "Created", body = Network),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not do it", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "Invalid values; `fields` names each field and its problem", body = ApiError)))]
async fn create_network(
    User(p, _): User,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<NetworkInput>,
) -> Result<Response, AppError> {
    let id = store::create(&state.db, &p, &input).await?;
    Ok((StatusCode::CREATED, Json(store::get(&state.db, id).await?)).into_response())
}

#[utoipa::path(put, path = "/api/v1/networks/{id}", params(("id" = i64, Path, description = "The network's id", example = 1)), request_body = NetworkInput, security(("bearer" = [])),
    responses((status = 200, description = "Updated", body = Network),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not do it", body = ApiError), (status = 404, description = "No network with this id", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "Invalid values; `fields` names each field and its problem", body = ApiError)))]
async fn update_network(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
    ApiJson(input): ApiJson<NetworkInput>,
) -> Result<Json<Network>, AppError> {
    store::edit(&state.db, &p, id, &input).await?;
    Ok(Json(store::get(&state.db, id).await?))
}

#[utoipa::path(post, path = "/api/v1/networks/{id}/people", params(("id" = i64, Path, description = "The network's id", example = 1)), request_body = InviteInput, security(("bearer" = [])),
    responses((status = 201, description = "The person now holds the role in the network", body = Invited),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Only the network's coordination and administrators invite people", body = ApiError), (status = 404, description = "No network with this id", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "No such person, several people with that e-mail, already in the network, or a role a network does not give; `fields` names the field", body = ApiError)))]
/// Adds a person who is already in Redes to the network with a role.
///
/// The person is found by username or e-mail; the same write as the
/// network's page.
async fn invite_person(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
    ApiJson(input): ApiJson<InviteInput>,
) -> Result<Response, AppError> {
    let invited = crate::people::store::invite_to_network(&state.db, &p, id, &input).await?;
    Ok((StatusCode::CREATED, Json(invited)).into_response())
}
