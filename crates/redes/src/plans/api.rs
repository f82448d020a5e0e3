//! The JSON API of work plans under `/api/v1`: a network's plan for a year
//! (nested objectives, actions, indicators and measurements), and the
//! writes: start a plan, add an objective, an action, an indicator or a
//! measurement, change an action's status, start the next year from a plan.
//! Each write is the same store function the pages call.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use utoipa::OpenApi;

use super::input::{
    ActionInput, IndicatorInput, MeasurementInput, ObjectiveInput, PlanInput, StatusInput,
};
use super::model::{Action, ActionStatus, Indicator, Measurement, Objective, WorkPlan, YEARS};
use super::store::{self, Part};
use super::view::{document, IndicatorView, ObjectiveView, PlanDocument, Progress};
use crate::api::{ApiError, ApiJson};
use crate::auth::User;
use crate::error::AppError;
use crate::ids::{ActionId, IndicatorId, NetworkId, ObjectiveId, WorkPlanId};
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(get_plan, create_plan, add_objective, add_action, add_indicator, add_measurement,
        set_action_status, copy_to_next_year),
    components(schemas(PlanDocument, Progress, ObjectiveView, IndicatorView, WorkPlan, Objective,
        Action, ActionStatus, Indicator, Measurement, PlanInput, ObjectiveInput, ActionInput,
        IndicatorInput, MeasurementInput, StatusInput))
)]
struct PlansDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    PlansDoc::openapi()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/networks/{id}/plans", post(create_plan))
        .route("/networks/{id}/plans/{year}", get(get_plan))
        .route("/plans/{id}/objectives", post(add_objective))
        .route("/plans/{id}/next-year", post(copy_to_next_year))
        .route("/objectives/{id}/actions", post(add_action))
        .route("/objectives/{id}/indicators", post(add_indicator))
        .route("/indicators/{id}/measurements", post(add_measurement))
        .route("/actions/{id}/status", patch(set_action_status))
}

async fn whole(state: &AppState, plan: WorkPlan) -> Result<PlanDocument, AppError> {
    let rows = store::rows(&state.db, plan.id).await?;
    Ok(document(plan, rows, &crate::db::today()))
}

fn created<T: serde::Serialize>(value: T) -> Response {
    (StatusCode::CREATED, Json(value)).into_response()
}

#[utoipa::path(get, path = "/api/v1/networks/{id}/plans/{year}",
    params(("id" = i64, Path, description = "The network's id", example = 1),
        ("year" = i64, Path, description = "The plan's year", example = 2017)),
    security(("bearer" = [])),
    responses((status = 200, description = "The network's plan for the year: objectives with their actions, indicators and measurements, and the progress", body = PlanDocument),
        (status = 400, description = "An id or year that does not parse", body = ApiError),
        (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError),
        (status = 403, description = "Signed in, but this account may not read the network's plans", body = ApiError),
        (status = 404, description = "No network with this id, or no plan for this year", body = ApiError)))]
async fn get_plan(
    User(p, _): User,
    State(state): State<AppState>,
    Path((id, year)): Path<(NetworkId, i64)>,
) -> Result<Json<PlanDocument>, AppError> {
    store::readable(&state.db, &p, id).await?;
    if !YEARS.contains(&year) {
        return Err(AppError::NotFound);
    }
    let plan = store::plan_of(&state.db, id, year)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(whole(&state, plan).await?))
}

#[utoipa::path(post, path = "/api/v1/networks/{id}/plans",
    params(("id" = i64, Path, description = "The network's id", example = 1)),
    request_body = PlanInput, security(("bearer" = [])),
    responses((status = 201, description = "The new, empty plan", body = WorkPlan),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError),
        (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError),
        (status = 403, description = "Signed in, but this account may not edit the network's plans", body = ApiError),
        (status = 404, description = "No network with this id", body = ApiError),
        (status = 413, description = "Body larger than 2 MiB", body = ApiError),
        (status = 422, description = "A year out of range, or a year that already has a plan; `fields` names it", body = ApiError)))]
async fn create_plan(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
    ApiJson(input): ApiJson<PlanInput>,
) -> Result<Response, AppError> {
    let plan_id = store::create_plan(&state.db, &p, id, &input).await?;
    Ok(created(store::get_plan(&state.db, plan_id).await?))
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/objectives",
    params(("id" = i64, Path, description = "The plan's id", example = 1)),
    request_body = ObjectiveInput, security(("bearer" = [])),
    responses((status = 201, description = "The new objective", body = Objective),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError),
        (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError),
        (status = 403, description = "Signed in, but this account may not edit the plan", body = ApiError),
        (status = 404, description = "No plan with this id", body = ApiError),
        (status = 413, description = "Body larger than 2 MiB", body = ApiError),
        (status = 422, description = "Invalid values (no title, a parent that is not a strategic objective of this plan); `fields` names each field and its problem", body = ApiError)))]
async fn add_objective(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<WorkPlanId>,
    ApiJson(input): ApiJson<ObjectiveInput>,
) -> Result<Response, AppError> {
    let new = store::add_objective(&state.db, &p, id, &input).await?;
    Ok(created(store::get_objective(&state.db, new).await?))
}

#[utoipa::path(post, path = "/api/v1/objectives/{id}/actions",
    params(("id" = i64, Path, description = "The objective's id", example = 1)),
    request_body = ActionInput, security(("bearer" = [])),
    responses((status = 201, description = "The new action", body = Action),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError),
        (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError),
        (status = 403, description = "Signed in, but this account may not edit the plan", body = ApiError),
        (status = 404, description = "No objective with this id", body = ApiError),
        (status = 413, description = "Body larger than 2 MiB", body = ApiError),
        (status = 422, description = "Invalid values (a due date before the start, an owner school that is not a member, no owner); `fields` names each field and its problem", body = ApiError)))]
async fn add_action(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<ObjectiveId>,
    ApiJson(input): ApiJson<ActionInput>,
) -> Result<Response, AppError> {
    let new = store::add_action(&state.db, &p, id, &input).await?;
    Ok(created(store::get_action(&state.db, new).await?))
}

#[utoipa::path(post, path = "/api/v1/objectives/{id}/indicators",
    params(("id" = i64, Path, description = "The objective's id", example = 1)),
    request_body = IndicatorInput, security(("bearer" = [])),
    responses((status = 201, description = "The new indicator", body = Indicator),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError),
        (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError),
        (status = 403, description = "Signed in, but this account may not edit the plan", body = ApiError),
        (status = 404, description = "No objective with this id", body = ApiError),
        (status = 413, description = "Body larger than 2 MiB", body = ApiError),
        (status = 422, description = "Invalid values (no name, a goal or baseline that is not a number); `fields` names each field and its problem", body = ApiError)))]
async fn add_indicator(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<ObjectiveId>,
    ApiJson(input): ApiJson<IndicatorInput>,
) -> Result<Response, AppError> {
    let new = store::add_indicator(&state.db, &p, id, &input).await?;
    Ok(created(store::get_indicator(&state.db, new).await?))
}

#[utoipa::path(post, path = "/api/v1/indicators/{id}/measurements",
    params(("id" = i64, Path, description = "The indicator's id", example = 1)),
    request_body = MeasurementInput, security(("bearer" = [])),
    responses((status = 201, description = "The new measurement", body = Measurement),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError),
        (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError),
        (status = 403, description = "Signed in, but this account may not edit the plan", body = ApiError),
        (status = 404, description = "No indicator with this id", body = ApiError),
        (status = 413, description = "Body larger than 2 MiB", body = ApiError),
        (status = 422, description = "Invalid values (no value, text in the value, a date that is not a date); `fields` names each field and its problem", body = ApiError)))]
async fn add_measurement(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<IndicatorId>,
    ApiJson(input): ApiJson<MeasurementInput>,
) -> Result<Response, AppError> {
    let new = store::add_measurement(&state.db, &p, id, &input).await?;
    Ok(created(store::get_measurement(&state.db, new).await?))
}

#[utoipa::path(patch, path = "/api/v1/actions/{id}/status",
    params(("id" = i64, Path, description = "The action's id", example = 1)),
    request_body = StatusInput, security(("bearer" = [])),
    responses((status = 200, description = "The action with its new status", body = Action),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError),
        (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError),
        (status = 403, description = "Signed in, but this account neither edits the plan nor owns the action", body = ApiError),
        (status = 404, description = "No action with this id", body = ApiError),
        (status = 413, description = "Body larger than 2 MiB", body = ApiError),
        (status = 422, description = "An unknown status; `fields` names it", body = ApiError)))]
async fn set_action_status(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<ActionId>,
    ApiJson(input): ApiJson<StatusInput>,
) -> Result<Json<Action>, AppError> {
    store::set_action_status(&state.db, &p, id, &input).await?;
    Ok(Json(store::get_action(&state.db, id).await?))
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/next-year",
    params(("id" = i64, Path, description = "The plan's id", example = 1)),
    security(("bearer" = [])),
    responses((status = 201, description = "The next year's plan, copied from this one: objectives, actions (a year later, pending) and indicators (the last measurement as baseline)", body = PlanDocument),
        (status = 400, description = "An id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError),
        (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError),
        (status = 403, description = "Signed in, but this account may not edit the plan", body = ApiError),
        (status = 404, description = "No plan with this id", body = ApiError),
        (status = 409, description = "The next year already has a plan (nothing is copied), or it is out of range", body = ApiError)))]
async fn copy_to_next_year(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<WorkPlanId>,
) -> Result<Response, AppError> {
    let new = store::copy_to_next_year(&state.db, &p, id).await?;
    let plan = store::viewable_part(&state.db, &p, Part::Plan(new)).await?.1;
    Ok(created(whole(&state, plan).await?))
}
