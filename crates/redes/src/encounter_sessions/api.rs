//! The JSON API of encounter sessions under `/api/v1`: a plan's sessions,
//! one session with its roster and checklist, and taking attendance (the
//! same store functions as the pages).

use axum::extract::{Path, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use super::model::{AttendanceInput, Duty, Mark, Presence, RosterLine, Session};
use super::store::{self, SessionSummary};
use crate::api::{ApiError, ApiJson};
use crate::auth::User;
use crate::error::AppError;
use crate::ids::{MeetingId, PlanId};
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(plan_sessions, get_session, take_attendance),
    components(schemas(SessionSummary, Session, SessionDetail, RosterLine, Duty, AttendanceInput, Mark, Presence))
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
        checklist: store::duties(&state.db, id).await?,
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
