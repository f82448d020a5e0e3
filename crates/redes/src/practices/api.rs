//! The JSON API of good practices under `/api/v1`: the list (the same
//! filters and visibility as the page), one practice with its schools,
//! authors, evidence and history, creating and editing one, and moving it
//! along its lifecycle. Each write is the store function the pages (and the
//! demo) call.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::model::{
    Attachment, Named, Practice, PracticeInput, PracticeStatus, Stage, Transition,
    TransitionInput,
};
use super::model::replications::{
    Graph, GraphEdge, GraphNode, GraphSchool, Reach, Replication, ReplicationInput,
};
use super::model::PracticeFilter;
use super::search::{FacetCount, HitFacets, SearchHit, SearchInput, SearchResults};
use super::store;
use crate::api::{ApiError, ApiJson};
use crate::auth::{Ctx, User};
use crate::error::AppError;
use crate::ids::PracticeId;
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(list_practices, search_practices, get_practice, create_practice, update_practice, move_practice,
        list_replications, record_replication, replication_graph),
    components(schemas(Practice, PracticeStatus, Stage, PracticePage, PracticeDetail, PracticeInput,
        Named, Attachment, Transition, TransitionInput, Replication, ReplicationInput, Graph, GraphNode,
        GraphEdge, GraphSchool, Reach, SearchResults, SearchHit, HitFacets, FacetCount))
)]
struct PracticesDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    PracticesDoc::openapi()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/practices", get(list_practices).post(create_practice))
        .route("/practices/search", get(search_practices))
        .route("/practices/{id}", get(get_practice).put(update_practice))
        .route("/practices/{id}/transitions", post(move_practice))
        .route(
            "/practices/{id}/replications",
            get(list_replications).post(record_replication),
        )
        .route("/practices/{id}/graph", get(replication_graph))
}

/// One page of practices.
#[derive(Serialize, ToSchema)]
pub struct PracticePage {
    items: Vec<Practice>,
    total: i64,
    page: i64,
    page_size: i64,
}

/// A practice with its schools, authors, evidence (download each at
/// `/practicas/{id}/archivos/{file_id}`) and every move of its lifecycle.
#[derive(Serialize, ToSchema)]
pub struct PracticeDetail {
    practice: Practice,
    schools: Vec<Named>,
    authors: Vec<Named>,
    attachments: Vec<Attachment>,
    transitions: Vec<Transition>,
}

async fn detail(state: &AppState, practice: Practice) -> Result<PracticeDetail, AppError> {
    let db = &state.db;
    Ok(PracticeDetail {
        schools: store::schools(db, practice.id).await?,
        authors: store::authors(db, practice.id).await?,
        attachments: store::attachments(db, practice.id).await?,
        transitions: store::transitions(db, practice.id).await?,
        practice,
    })
}

/// The list's page number.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct PageParam {
    /// From 1.
    #[param(minimum = 1)]
    pub page: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/practices", params(PracticeFilter, PageParam), security(("bearer" = [])),
    responses((status = 200, description = "Every published practice and those of the networks the account sees that match, one page, newest change first", body = PracticePage),
        (status = 400, description = "A query string that does not parse", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 422, description = "An unknown status or stage, a network that is not a number, a filter too long; `fields` names it", body = ApiError)))]
async fn list_practices(
    User(p, _): User,
    State(state): State<AppState>,
    Query(filter): Query<PracticeFilter>,
    Query(q): Query<PageParam>,
) -> Result<Json<PracticePage>, AppError> {
    filter.check()?;
    let page = crate::limits::page(q.page);
    let (items, total) = store::list(&state.db, Some(&p.visibility()), &filter, page).await?;
    Ok(Json(PracticePage {
        items,
        total,
        page,
        page_size: store::PAGE_SIZE,
    }))
}

#[utoipa::path(get, path = "/api/v1/practices/search", params(SearchInput), security((), ("bearer" = [])),
    responses((status = 200, description = "The practices the caller may read that match, best first, one page of 20, with a highlighted snippet each (HTML: escaped text, the words found in `<mark>`) and the facets' counts among all matches. Without a session or token, published practices only; signed in, also the unpublished ones of the networks the practices list shows. Accents and plurals do not matter; a text over 200 characters is cut, and no text is an error", body = SearchResults),
        (status = 400, description = "A query string that does not parse (a page that is not a number)", body = ApiError), (status = 401, description = "An unknown bearer token", body = ApiError), (status = 422, description = "An unknown country, stage or score band, a filter too long or with control characters, a NUL character in `q`; `fields` names it", body = ApiError)))]
async fn search_practices(
    ctx: Ctx,
    State(state): State<AppState>,
    Query(input): Query<SearchInput>,
) -> Result<Json<SearchResults>, AppError> {
    let mut results = super::search::search(&state, ctx.principal.as_ref(), &input).await?;
    // The API answers in Spanish; the page shows the same labels in the
    // reader's language.
    for count in results.facets.values_mut().flatten() {
        count.label = crate::text::es(&count.label);
    }
    Ok(Json(results))
}

#[utoipa::path(get, path = "/api/v1/practices/{id}", params(("id" = i64, Path, description = "The practice's id", example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "The practice with its schools, authors, evidence and history", body = PracticeDetail),
        (status = 400, description = "An id that does not parse", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Not published, and the account does not see its network", body = ApiError), (status = 404, description = "No practice with this id", body = ApiError)))]
async fn get_practice(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<PracticeId>,
) -> Result<Json<PracticeDetail>, AppError> {
    let (practice, _) = store::viewable(&state.db, Some(&p), id).await?;
    Ok(Json(detail(&state, practice).await?))
}

const BAD_BODY: &str = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`";

#[utoipa::path(post, path = "/api/v1/practices", request_body = PracticeInput, security(("bearer" = [])),
    responses((status = 201, description = "Documented, identified", body = PracticeDetail),
        (status = 400, description = BAD_BODY, body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Only the network's coordination and the people of its member schools document its practices", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "No such network, an empty title, an unknown stage, a text too long, no school or author, or ones outside the network; `fields` names each field and its problem", body = ApiError)))]
async fn create_practice(
    User(p, _): User,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<PracticeInput>,
) -> Result<Response, AppError> {
    let id = store::create(&state.db, &p, &input).await?;
    let practice = store::get(&state.db, id).await?;
    Ok((StatusCode::CREATED, Json(detail(&state, practice).await?)).into_response())
}

#[utoipa::path(put, path = "/api/v1/practices/{id}", params(("id" = i64, Path, description = "The practice's id", example = 1)), request_body = PracticeInput, security(("bearer" = [])),
    responses((status = 200, description = "Changed; `network_id` is ignored (a practice keeps its network)", body = PracticeDetail),
        (status = 400, description = BAD_BODY, body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Only its authors and the network's coordination edit it", body = ApiError), (status = 404, description = "No practice with this id", body = ApiError), (status = 409, description = "Already sent to review: its record no longer changes", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "An empty title, an unknown stage, a text too long, no school or author, or ones outside the network; `fields` names each field and its problem", body = ApiError)))]
async fn update_practice(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<PracticeId>,
    ApiJson(input): ApiJson<PracticeInput>,
) -> Result<Json<PracticeDetail>, AppError> {
    store::edit(&state.db, &p, id, &input).await?;
    let practice = store::get(&state.db, id).await?;
    Ok(Json(detail(&state, practice).await?))
}

#[utoipa::path(post, path = "/api/v1/practices/{id}/transitions", params(("id" = i64, Path, description = "The practice's id", example = 1)), request_body = TransitionInput, security(("bearer" = [])),
    responses((status = 200, description = "Moved; the practice with its history", body = PracticeDetail),
        (status = 400, description = BAD_BODY, body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Not this account's step: authors and coordination document and systematize, the coordination sends to review, a reviewer of the territory publishes or sends back", body = ApiError), (status = 404, description = "No practice with this id", body = ApiError), (status = 409, description = "Not a step that follows from its status", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "An unknown status, what the next status needs and the practice lacks (listed under `to`), or sending back without a comment", body = ApiError)))]
async fn move_practice(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<PracticeId>,
    ApiJson(input): ApiJson<TransitionInput>,
) -> Result<Json<PracticeDetail>, AppError> {
    store::transition(&state.db, &p, id, &input).await?;
    let practice = store::get(&state.db, id).await?;
    Ok(Json(detail(&state, practice).await?))
}

#[utoipa::path(get, path = "/api/v1/practices/{id}/replications", params(("id" = i64, Path, description = "The practice's id", example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "Every school that adopted the practice, from which school, how it adapted it and what happened, in the order they happened", body = Vec<Replication>),
        (status = 400, description = "An id that does not parse", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Not published, and the account does not see its network", body = ApiError), (status = 404, description = "No practice with this id", body = ApiError)))]
async fn list_replications(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<PracticeId>,
) -> Result<Json<Vec<Replication>>, AppError> {
    store::viewable(&state.db, Some(&p), id).await?;
    Ok(Json(store::replications::list(&state.db, id).await?))
}

#[utoipa::path(post, path = "/api/v1/practices/{id}/replications", params(("id" = i64, Path, description = "The practice's id", example = 1)), request_body = ReplicationInput, security(("bearer" = [])),
    responses((status = 201, description = "Recorded; the first replication moves the practice to `replicated`", body = Replication),
        (status = 400, description = BAD_BODY, body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "The account does not see the practice, or has no role in the adopting school and does not coordinate one of its networks", body = ApiError), (status = 404, description = "No practice with this id", body = ApiError), (status = 409, description = "The practice is not published", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "No such school, a date that does not parse or is in the future, no adaptation, a text too long, a school of the practice or one that already adopted it, or taken from a school that does not apply it; `fields` names each field and its problem", body = ApiError)))]
async fn record_replication(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<PracticeId>,
    ApiJson(input): ApiJson<ReplicationInput>,
) -> Result<Response, AppError> {
    let rid = store::replications::record(&state.db, &p, id, &input).await?;
    let replication = store::replications::get(&state.db, rid).await?;
    Ok((StatusCode::CREATED, Json(replication)).into_response())
}

#[utoipa::path(get, path = "/api/v1/practices/{id}/graph", params(("id" = i64, Path, description = "The practice's id", example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "The replication graph: the practice's schools (`origin`) and every school that adopted it as nodes, with their networks and regions; one edge per adoption, from the school it was taken from; and how far it travelled (`reach`). `x`, `y` and the size are the page's drawing", body = Graph),
        (status = 400, description = "An id that does not parse", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Not published, and the account does not see its network", body = ApiError), (status = 404, description = "No practice with this id", body = ApiError)))]
async fn replication_graph(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<PracticeId>,
) -> Result<Json<Graph>, AppError> {
    store::viewable(&state.db, Some(&p), id).await?;
    Ok(Json(store::replications::graph(&state.db, id).await?))
}
