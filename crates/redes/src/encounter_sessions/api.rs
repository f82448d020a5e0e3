//! The JSON API of encounter sessions under `/api/v1`: a plan's sessions,
//! one session with its roster and checklist, taking attendance and ticking
//! a duty of the checklist (the same store functions as the pages).

use axum::extract::{Path, State};
use axum::routing::{get, patch, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use super::model::{AttendanceInput, Duty, Mark, Presence, RosterLine, Session};
use super::store::{self, SessionSummary};
use crate::api::{ApiError, ApiJson};
use crate::auth::User;
use crate::error::AppError;
use crate::ids::{ChecklistItemId, MeetingId, PlanId};
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(plan_sessions, get_session, take_attendance, tick_duty),
    components(schemas(SessionSummary, Session, SessionDetail, RosterLine, Duty, AttendanceInput, Mark, Presence,
        DutyInput))
)]
struct SessionsDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    SessionsDoc::openapi()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/encounter-plans/{id}/sessions", get(plan_sessions))
        .route("/encounter-sessions/{id}", get(get_session))
        .route("/encounter-sessions/{id}/attendance", put(take_attendance))
        .route("/encounter-sessions/{id}/checklist/{duty_id}", patch(tick_duty))
}

/// A session with its roster (and attendance) and its checklist.
#[derive(Serialize, ToSchema)]
pub struct SessionDetail {
    session: Session,
    roster: Vec<RosterLine>,
    checklist: Vec<Duty>,
}

#[utoipa::path(get, path = "/api/v1/encounter-plans/{id}/sessions", params(("id" = i64, Path, description = "The encounter plan's id", example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "The plan's encounter sessions with their counts", body = [SessionSummary]),
        (status = 400, description = "An id that does not parse", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not do it", body = ApiError), (status = 404, description = "No plan with this id", body = ApiError)))]
async fn plan_sessions(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<PlanId>,
) -> Result<Json<Vec<SessionSummary>>, AppError> {
    store::plan_viewable(&state.db, &p, id).await?;
    Ok(Json(store::of_plan(&state.db, id).await?))
}

async fn detail(state: &AppState, id: MeetingId, session: Session) -> Result<SessionDetail, AppError> {
    Ok(SessionDetail {
        session,
        roster: store::roster(&state.db, id).await?,
        // The API speaks Spanish: a duty is stored as its text's id.
        checklist: store::duties(&state.db, id)
            .await?
            .into_iter()
            .map(|d| Duty {
                body: crate::text::es(&d.body),
                ..d
            })
            .collect(),
    })
}

#[utoipa::path(get, path = "/api/v1/encounter-sessions/{id}", params(("id" = i64, Path, description = "The session's id", example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "The session with its roster, attendance and checklist", body = SessionDetail),
        (status = 400, description = "An id that does not parse", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not do it", body = ApiError), (status = 404, description = "No encounter session with this id", body = ApiError)))]
async fn get_session(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
) -> Result<Json<SessionDetail>, AppError> {
    let loaded = store::viewable(&state.db, &p, id).await?;
    Ok(Json(detail(&state, id, loaded.session).await?))
}

#[utoipa::path(put, path = "/api/v1/encounter-sessions/{id}/attendance", params(("id" = i64, Path, description = "The session's id", example = 1)), request_body = AttendanceInput, security(("bearer" = [])),
    responses((status = 200, description = "Taken; the session as it is now", body = SessionDetail),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not do it", body = ApiError), (status = 404, description = "No encounter session with this id", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "A line not on this group's roster, or an unknown status; `fields` names it", body = ApiError)))]
async fn take_attendance(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
    ApiJson(input): ApiJson<AttendanceInput>,
) -> Result<Json<SessionDetail>, AppError> {
    store::take_attendance(&state.db, &p, id, &input).await?;
    let session = store::get(&state.db, id).await?;
    Ok(Json(detail(&state, id, session).await?))
}

/// A duty of the checklist, done or not.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
pub struct DutyInput {
    /// `true` ticks the duty (in the caller's name), `false` unticks it.
    pub done: bool,
}

#[utoipa::path(patch, path = "/api/v1/encounter-sessions/{id}/checklist/{duty_id}", params(("id" = i64, Path, description = "The session's id", example = 1), ("duty_id" = i64, Path, description = "A duty of the session's checklist", example = 1)), request_body = DutyInput, security(("bearer" = [])),
    responses((status = 200, description = "Ticked or unticked; the session as it is now", body = SessionDetail),
        (status = 400, description = "Malformed JSON, wrong JSON types (`done` is a boolean), a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but the duty belongs to another role (the state authority, the supervision, the directors or the session's coordinator)", body = ApiError), (status = 404, description = "No encounter session with this id, or no such duty in its checklist", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError),
        (status = 422, description = "A text in the body (a key or a value) holds a NUL character; `fields` names it", body = ApiError)))]
async fn tick_duty(
    User(p, _): User,
    State(state): State<AppState>,
    Path((id, duty)): Path<(MeetingId, ChecklistItemId)>,
    ApiJson(input): ApiJson<DutyInput>,
) -> Result<Json<SessionDetail>, AppError> {
    store::tick(&state.db, &p, id, duty, input.done).await?;
    let session = store::get(&state.db, id).await?;
    Ok(Json(detail(&state, id, session).await?))
}
