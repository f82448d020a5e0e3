//! The JSON API of agreements under `/api/v1`: a network's agreements
//! (optionally by status), one agreement with its reviews and changes of
//! status, recording one at a meeting, reviewing it at a later meeting and
//! changing its status. Each write is the same store function the pages
//! (and the demo) call.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::model::{
    Agreement, AgreementInput, AgreementStatus, Review, ReviewInput, StatusChange, StatusInput,
};
use super::store::{self, StatusFilter};
use crate::api::{ApiError, ApiJson};
use crate::auth::User;
use crate::error::AppError;
use crate::ids::{AgreementId, MeetingId, NetworkId};
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(list_agreements, get_agreement, record_agreement, review_agreement, set_agreement_status),
    components(schemas(Agreement, AgreementStatus, AgreementDetail, AgreementInput, Review, ReviewInput,
        StatusChange, StatusInput))
)]
struct AgreementsDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    AgreementsDoc::openapi()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/networks/{id}/agreements", get(list_agreements))
        .route("/meetings/{id}/agreements", post(record_agreement))
        .route("/agreements/{id}", get(get_agreement))
        .route("/agreements/{id}/reviews", post(review_agreement))
        .route("/agreements/{id}/status", post(set_agreement_status))
}

/// An agreement with its history: every review at a meeting and every
/// change of status, oldest first.
#[derive(Serialize, ToSchema)]
pub struct AgreementDetail {
    agreement: Agreement,
    /// Open (or in progress) and past its due date.
    late: bool,
    reviews: Vec<Review>,
    status_changes: Vec<StatusChange>,
}

async fn detail(state: &AppState, agreement: Agreement) -> Result<AgreementDetail, AppError> {
    let reviews = store::reviews(&state.db, agreement.id).await?;
    let status_changes = store::status_changes(&state.db, agreement.id).await?;
    Ok(AgreementDetail {
        late: agreement.is_late(&crate::db::today()),
        agreement,
        reviews,
        status_changes,
    })
}

/// The filter of a network's agreements.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct AgreementListParams {
    /// `open`, `in_progress`, `kept`, `dropped`, or `active` (open or in
    /// progress); absent or empty for all.
    #[param(pattern = "^(open|in_progress|kept|dropped|active)?$", max_length = 20)]
    pub status: String,
}

#[utoipa::path(get, path = "/api/v1/networks/{id}/agreements", params(("id" = i64, Path, description = "The network's id", example = 1), AgreementListParams), security(("bearer" = [])),
    responses((status = 200, description = "The network's agreements: open ones first, then by due date", body = [Agreement]),
        (status = 400, description = "A query string or id that does not parse", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not see the network's agreements", body = ApiError), (status = 404, description = "No network with this id", body = ApiError), (status = 422, description = "An unknown `status`; `fields` names it", body = ApiError)))]
async fn list_agreements(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
    Query(q): Query<AgreementListParams>,
) -> Result<Json<Vec<Agreement>>, AppError> {
    crate::limits::search("status", &q.status)?;
    let filter = StatusFilter::from_api(&q.status).ok_or_else(|| {
        AppError::field(
            "status",
            "estado desconocido: open, in_progress, kept, dropped o active",
        )
    })?;
    store::viewable_network(&state.db, &p, id).await?;
    Ok(Json(store::of_network(&state.db, id, filter).await?))
}

#[utoipa::path(get, path = "/api/v1/agreements/{id}", params(("id" = i64, Path, description = "The agreement's id", example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "The agreement with its reviews and changes of status", body = AgreementDetail),
        (status = 400, description = "An id that does not parse", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not see the network's agreements", body = ApiError), (status = 404, description = "No agreement of a network with this id", body = ApiError)))]
async fn get_agreement(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<AgreementId>,
) -> Result<Json<AgreementDetail>, AppError> {
    let (agreement, _) = store::viewable(&state.db, &p, id).await?;
    Ok(Json(detail(&state, agreement).await?))
}

#[utoipa::path(post, path = "/api/v1/meetings/{id}/agreements", params(("id" = i64, Path, description = "The meeting's id", example = 1)), request_body = AgreementInput, security(("bearer" = [])),
    responses((status = 201, description = "Recorded, open", body = AgreementDetail),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but only the network's coordinators and the leaders of its member schools record agreements", body = ApiError), (status = 404, description = "No meeting of a network with this id", body = ApiError), (status = 409, description = "The meeting is closed", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "Empty or too long text, a due date before the meeting, an owner outside the network; `fields` names each field and its problem", body = ApiError)))]
async fn record_agreement(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
    ApiJson(input): ApiJson<AgreementInput>,
) -> Result<Response, AppError> {
    let agreement = store::record(&state.db, &p, id, &input).await?;
    let agreement = store::get(&state.db, agreement).await?;
    Ok((StatusCode::CREATED, Json(detail(&state, agreement).await?)).into_response())
}

#[utoipa::path(post, path = "/api/v1/agreements/{id}/reviews", params(("id" = i64, Path, description = "The agreement's id", example = 1)), request_body = ReviewInput, security(("bearer" = [])),
    responses((status = 200, description = "Reviewed; the agreement with its history", body = AgreementDetail),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but only the network's coordinators and the leaders of its member schools review agreements", body = ApiError), (status = 404, description = "No agreement of a network with this id", body = ApiError), (status = 409, description = "The agreement is already closed, or the meeting is", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "An empty note, a meeting of another network or before the one that took the agreement, an unknown status, dropping without a reason; `fields` names each field and its problem", body = ApiError)))]
async fn review_agreement(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<AgreementId>,
    ApiJson(input): ApiJson<ReviewInput>,
) -> Result<Json<AgreementDetail>, AppError> {
    store::review(&state.db, &p, id, &input).await?;
    let agreement = store::get(&state.db, id).await?;
    Ok(Json(detail(&state, agreement).await?))
}

#[utoipa::path(post, path = "/api/v1/agreements/{id}/status", params(("id" = i64, Path, description = "The agreement's id", example = 1)), request_body = StatusInput, security(("bearer" = [])),
    responses((status = 200, description = "Changed; the agreement with its history", body = AgreementDetail),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but only its owner (the person, or a leader of the owner school) or the coordination change its status", body = ApiError), (status = 404, description = "No agreement of a network with this id", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "An unknown status, or dropping without a reason; `fields` names each field and its problem", body = ApiError)))]
async fn set_agreement_status(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<AgreementId>,
    ApiJson(input): ApiJson<StatusInput>,
) -> Result<Json<AgreementDetail>, AppError> {
    store::set_status(&state.db, &p, id, &input).await?;
    let agreement = store::get(&state.db, id).await?;
    Ok(Json(detail(&state, agreement).await?))
}
