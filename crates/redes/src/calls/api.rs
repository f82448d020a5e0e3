//! The JSON API of calls under `/api/v1`: the calls of the person's
//! territories, issuing one, the proposals of calls the person may see, a
//! network proposing one, and the authority putting a proposal under
//! consideration, issuing or declining it. Each write is the same store
//! function the pages call.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use utoipa::OpenApi;

use super::model::{
    Call, CallInput, CallProposal, DeclineInput, IssueInput, ProposalInput, ProposalStatus,
};
use super::store;
use crate::api::{ApiError, ApiJson};
use crate::auth::User;
use crate::error::AppError;
use crate::ids::{CallProposalId, NetworkId};
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(list_calls, issue_call, list_proposals, get_proposal, propose_call, consider_proposal,
        issue_proposal, decline_proposal),
    components(schemas(Call, CallInput, CallProposal, ProposalStatus, ProposalInput, IssueInput,
        DeclineInput))
)]
struct CallsDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    CallsDoc::openapi()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/calls", get(list_calls).post(issue_call))
        .route("/call-proposals", get(list_proposals))
        .route("/call-proposals/{id}", get(get_proposal))
        .route("/call-proposals/{id}/consider", post(consider_proposal))
        .route("/call-proposals/{id}/issue", post(issue_proposal))
        .route("/call-proposals/{id}/decline", post(decline_proposal))
        .route("/networks/{id}/call-proposals", post(propose_call))
}

#[utoipa::path(get, path = "/api/v1/calls", security(("bearer" = [])),
    responses((status = 200, description = "The latest calls of the person's territories (national calls of their countries, calls of their regions and provinces), newest first", body = [Call]),
        (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError)))]
async fn list_calls(User(p, _): User, State(state): State<AppState>) -> Result<Json<Vec<Call>>, AppError> {
    Ok(Json(store::list(&state.db, &p.call_audience()).await?))
}

#[utoipa::path(post, path = "/api/v1/calls", request_body = CallInput, security(("bearer" = [])),
    responses((status = 201, description = "Issued", body = Call),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Only ministries and secretariats issue calls, each in its own territory (networks propose them)", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "An unknown country, no title, missing or misordered dates, a province without its region, too long text; `fields` names each field and its problem", body = ApiError)))]
async fn issue_call(
    User(p, _): User,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<CallInput>,
) -> Result<Response, AppError> {
    let id = store::issue(&state.db, &p, &input).await?;
    Ok((StatusCode::CREATED, Json(store::get(&state.db, id).await?)).into_response())
}

#[utoipa::path(get, path = "/api/v1/call-proposals", security(("bearer" = [])),
    responses((status = 200, description = "The proposals of calls the person may see (of the networks they see, and addressed to the territories where they issue calls): pending ones first, newest first", body = [CallProposal]),
        (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError)))]
async fn list_proposals(
    User(p, _): User,
    State(state): State<AppState>,
) -> Result<Json<Vec<CallProposal>>, AppError> {
    Ok(Json(store::proposals(&state.db, &p.proposal_audience()).await?))
}

#[utoipa::path(get, path = "/api/v1/call-proposals/{id}", params(("id" = i64, Path, description = "The proposal's id", example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "The proposal, its state and the call issued from it", body = CallProposal),
        (status = 400, description = "An id that does not parse", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account sees neither the network nor the territory of the proposal", body = ApiError), (status = 404, description = "No proposal with this id", body = ApiError)))]
async fn get_proposal(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<CallProposalId>,
) -> Result<Json<CallProposal>, AppError> {
    Ok(Json(store::viewable_proposal(&state.db, &p, id).await?.0))
}

#[utoipa::path(post, path = "/api/v1/networks/{id}/call-proposals", params(("id" = i64, Path, description = "The network's id", example = 1)), request_body = ProposalInput, security(("bearer" = [])),
    responses((status = 201, description = "Proposed to the authority of the chosen territory", body = CallProposal),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Only the network's coordination proposes calls in its name", body = ApiError), (status = 404, description = "No network with this id", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "No title, missing or misordered dates, an unknown level or a province the network does not have; `fields` names each field and its problem", body = ApiError)))]
async fn propose_call(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
    ApiJson(input): ApiJson<ProposalInput>,
) -> Result<Response, AppError> {
    let proposal = store::propose(&state.db, &p, id, &input).await?;
    let proposal = store::get_proposal(&state.db, proposal).await?;
    Ok((StatusCode::CREATED, Json(proposal)).into_response())
}

#[utoipa::path(post, path = "/api/v1/call-proposals/{id}/consider", params(("id" = i64, Path, description = "The proposal's id", example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "Under consideration", body = CallProposal),
        (status = 400, description = "An id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Only the authority of the proposal's territory decides on it", body = ApiError), (status = 404, description = "No proposal with this id", body = ApiError), (status = 409, description = "The proposal is no longer just proposed (under consideration, issued or declined already)", body = ApiError)))]
async fn consider_proposal(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<CallProposalId>,
) -> Result<Json<CallProposal>, AppError> {
    store::consider(&state.db, &p, id).await?;
    Ok(Json(store::get_proposal(&state.db, id).await?))
}

#[utoipa::path(post, path = "/api/v1/call-proposals/{id}/issue", params(("id" = i64, Path, description = "The proposal's id", example = 1)), request_body = IssueInput, security(("bearer" = [])),
    responses((status = 201, description = "The call is issued in the proposal's territory, linked to it; the proposal is issued", body = Call),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Only the authority of the proposal's territory issues it", body = ApiError), (status = 404, description = "No proposal with this id", body = ApiError), (status = 409, description = "The proposal was issued or declined already", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "Dates that do not parse or are misordered, too long text; `fields` names each field and its problem", body = ApiError)))]
async fn issue_proposal(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<CallProposalId>,
    ApiJson(input): ApiJson<IssueInput>,
) -> Result<Response, AppError> {
    let call = store::issue_proposal(&state.db, &p, id, &input).await?;
    Ok((StatusCode::CREATED, Json(store::get(&state.db, call).await?)).into_response())
}

#[utoipa::path(post, path = "/api/v1/call-proposals/{id}/decline", params(("id" = i64, Path, description = "The proposal's id", example = 1)), request_body = DeclineInput, security(("bearer" = [])),
    responses((status = 200, description = "Declined, with the reason", body = CallProposal),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Only the authority of the proposal's territory declines it", body = ApiError), (status = 404, description = "No proposal with this id", body = ApiError), (status = 409, description = "The proposal was issued or declined already", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "No reason, or too long; `fields` names it", body = ApiError)))]
async fn decline_proposal(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<CallProposalId>,
    ApiJson(input): ApiJson<DeclineInput>,
) -> Result<Json<CallProposal>, AppError> {
    store::decline(&state.db, &p, id, &input).await?;
    Ok(Json(store::get_proposal(&state.db, id).await?))
}
