//! The JSON API of meetings under `/api/v1`: a network's meetings (list,
//! schedule), a meeting (read, change), its agenda, its attendance (read,
//! set a person's status) and its state. Each write is the same store
//! function the pages call.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use super::model::{Meeting, MeetingInput, MeetingKind, MeetingStatus};
use super::store::{self, agenda, attendance, minutes};
use crate::api::{ApiError, ApiJson};
use crate::auth::User;
use crate::error::AppError;
use crate::ids::{MeetingId, NetworkId, PersonId};
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(list_meetings, create_meeting, get_meeting, update_meeting, list_agenda, add_agenda_item,
        list_attendance, set_attendance, change_status),
    components(schemas(Meeting, MeetingInput, MeetingKind, MeetingStatus, MeetingPatch, agenda::AgendaItem,
        agenda::AgendaInput, attendance::AttendanceRow, AttendanceInput, MeetingStatusInput))
)]
struct MeetingsDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    MeetingsDoc::openapi()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/networks/{id}/meetings", get(list_meetings).post(create_meeting))
        .route("/meetings/{id}", get(get_meeting).patch(update_meeting))
        .route("/meetings/{id}/agenda", get(list_agenda).post(add_agenda_item))
        .route("/meetings/{id}/attendance", get(list_attendance))
        .route("/meetings/{id}/attendance/{person_id}", put(set_attendance))
        .route("/meetings/{id}/status", post(change_status))
}

#[utoipa::path(get, path = "/api/v1/networks/{id}/meetings", params(("id" = i64, Path, description = "The network's id", example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "The network's meetings in date order", body = [Meeting]),
        (status = 400, description = "An id that does not parse", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not see the network", body = ApiError), (status = 404, description = "No network with this id", body = ApiError)))]
async fn list_meetings(User(p, _): User, State(state): State<AppState>, Path(id): Path<NetworkId>) -> Result<Json<Vec<Meeting>>, AppError> {
    store::network_viewable(&state.db, &p, id).await?;
    Ok(Json(store::of_network(&state.db, id).await?))
}

#[utoipa::path(post, path = "/api/v1/networks/{id}/meetings", params(("id" = i64, Path, description = "The network's id", example = 1)), request_body = MeetingInput, security(("bearer" = [])),
    responses((status = 201, description = "Scheduled, with its roster", body = Meeting),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not schedule the network's meetings", body = ApiError), (status = 404, description = "No network with this id", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "Invalid values (an end before the start, a host outside the network); `fields` names each field and its problem", body = ApiError)))]
async fn create_meeting(User(p, _): User, State(state): State<AppState>, Path(id): Path<NetworkId>, ApiJson(input): ApiJson<MeetingInput>) -> Result<Response, AppError> {
    let meeting = store::create(&state.db, &p, id, &input).await?;
    Ok((StatusCode::CREATED, Json(store::get(&state.db, meeting).await?)).into_response())
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}", params(("id" = i64, Path, description = "The meeting's id", example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "The meeting; its minutes are empty for whoever may not read them", body = Meeting),
        (status = 400, description = "An id that does not parse", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not see the meeting", body = ApiError), (status = 404, description = "No meeting of a network with this id", body = ApiError)))]
async fn get_meeting(User(p, _): User, State(state): State<AppState>, Path(id): Path<MeetingId>) -> Result<Json<Meeting>, AppError> {
    let g = store::viewable(&state.db, &p, id).await?;
    let mut meeting = g.meeting.clone();
    if !p.can_view_minutes(&g.place()) {
        for text in [&mut meeting.minutes, &mut meeting.doubts, &mut meeting.needs, &mut meeting.expectations] {
            text.clear();
        }
    }
    Ok(Json(meeting))
}

/// The fields of a meeting to change; those left out keep their value.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct MeetingPatch {
    pub title: Option<String>,
    pub theme: Option<String>,
    pub held_on: Option<String>,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub host_school_id: Option<String>,
    pub place: Option<String>,
    pub coordinator_id: Option<String>,
}

#[utoipa::path(patch, path = "/api/v1/meetings/{id}", params(("id" = i64, Path, description = "The meeting's id", example = 1)), request_body = MeetingPatch, security(("bearer" = [])),
    responses((status = 200, description = "Changed", body = Meeting),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not edit the meeting", body = ApiError), (status = 404, description = "No meeting of a network with this id", body = ApiError), (status = 409, description = "The meeting is closed: it no longer changes", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "Invalid values; `fields` names each field and its problem", body = ApiError)))]
async fn update_meeting(User(p, _): User, State(state): State<AppState>, Path(id): Path<MeetingId>, ApiJson(patch): ApiJson<MeetingPatch>) -> Result<Json<Meeting>, AppError> {
    let g = store::editable(&state.db, &p, id).await?.open()?;
    let mut input = MeetingInput::from(&g.meeting);
    let pairs = [
        (&mut input.title, patch.title),
        (&mut input.theme, patch.theme),
        (&mut input.held_on, patch.held_on),
        (&mut input.starts_at, patch.starts_at),
        (&mut input.ends_at, patch.ends_at),
        (&mut input.host_school_id, patch.host_school_id),
        (&mut input.place, patch.place),
        (&mut input.coordinator_id, patch.coordinator_id),
    ];
    for (field, value) in pairs {
        if let Some(value) = value {
            *field = value;
        }
    }
    store::edit(&state.db, &p, id, &input).await?;
    Ok(Json(store::get(&state.db, id).await?))
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}/agenda", params(("id" = i64, Path, description = "The meeting's id", example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "The agenda in order", body = [agenda::AgendaItem]),
        (status = 400, description = "An id that does not parse", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not see the meeting", body = ApiError), (status = 404, description = "No meeting of a network with this id", body = ApiError)))]
async fn list_agenda(User(p, _): User, State(state): State<AppState>, Path(id): Path<MeetingId>) -> Result<Json<Vec<agenda::AgendaItem>>, AppError> {
    store::viewable(&state.db, &p, id).await?;
    Ok(Json(agenda::list(&state.db, id).await?))
}

#[utoipa::path(post, path = "/api/v1/meetings/{id}/agenda", params(("id" = i64, Path, description = "The meeting's id", example = 1)), request_body = agenda::AgendaInput, security(("bearer" = [])),
    responses((status = 201, description = "Added at the end; the whole agenda", body = [agenda::AgendaItem]),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not edit the meeting", body = ApiError), (status = 404, description = "No meeting of a network with this id", body = ApiError), (status = 409, description = "The meeting is closed", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "Invalid values; `fields` names each field and its problem", body = ApiError)))]
async fn add_agenda_item(User(p, _): User, State(state): State<AppState>, Path(id): Path<MeetingId>, ApiJson(input): ApiJson<agenda::AgendaInput>) -> Result<Response, AppError> {
    agenda::add(&state.db, &p, id, &input).await?;
    Ok((StatusCode::CREATED, Json(agenda::list(&state.db, id).await?)).into_response())
}

#[utoipa::path(get, path = "/api/v1/meetings/{id}/attendance", params(("id" = i64, Path, description = "The meeting's id", example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "The roster with each status, then the guests", body = [attendance::AttendanceRow]),
        (status = 400, description = "An id that does not parse", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not see the meeting", body = ApiError), (status = 404, description = "No meeting of a network with this id", body = ApiError)))]
async fn list_attendance(User(p, _): User, State(state): State<AppState>, Path(id): Path<MeetingId>) -> Result<Json<Vec<attendance::AttendanceRow>>, AppError> {
    store::viewable(&state.db, &p, id).await?;
    Ok(Json(attendance::list(&state.db, id).await?))
}

/// A person's attendance.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AttendanceInput {
    /// `present`, `excused`, `absent`, or empty (not recorded).
    #[schema(pattern = "^(present|excused|absent)?$")]
    pub status: String,
}

#[utoipa::path(put, path = "/api/v1/meetings/{id}/attendance/{person_id}", params(("id" = i64, Path, description = "The meeting's id", example = 1), ("person_id" = i64, Path, description = "A person of the meeting's roster", example = 1)), request_body = AttendanceInput, security(("bearer" = [])),
    responses((status = 200, description = "Recorded; the whole attendance", body = [attendance::AttendanceRow]),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not take attendance", body = ApiError), (status = 404, description = "No meeting of a network with this id", body = ApiError), (status = 409, description = "The meeting is closed", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "An unknown status, or a person not on the roster", body = ApiError)))]
async fn set_attendance(User(p, _): User, State(state): State<AppState>, Path((id, person)): Path<(MeetingId, PersonId)>, ApiJson(input): ApiJson<AttendanceInput>) -> Result<Json<Vec<attendance::AttendanceRow>>, AppError> {
    if let Some(problem) = crate::limits::problem("status", &input.status) {
        return Err(AppError::field("status", problem));
    }
    attendance::take(&state.db, &p, id, &[(person, input.status)]).await?;
    Ok(Json(attendance::list(&state.db, id).await?))
}

/// The state to move a meeting to.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct MeetingStatusInput {
    /// The next state: `in_progress`, `review`, or `closed` (approves the
    /// minutes).
    #[schema(pattern = "^(planned|in_progress|review|closed)$")]
    pub status: String,
}

#[utoipa::path(post, path = "/api/v1/meetings/{id}/status", params(("id" = i64, Path, description = "The meeting's id", example = 1)), request_body = MeetingStatusInput, security(("bearer" = [])),
    responses((status = 200, description = "Moved; the meeting", body = Meeting),
        (status = 400, description = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`", body = ApiError), (status = 401, description = "No session and no bearer token, or an unknown token", body = ApiError), (status = 403, description = "Signed in, but this account may not move the meeting (closing needs the coordinator)", body = ApiError), (status = 404, description = "No meeting of a network with this id", body = ApiError), (status = 409, description = "Not the next state, or the meeting is closed", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "An unknown state, or empty minutes to approve", body = ApiError)))]
async fn change_status(User(p, _): User, State(state): State<AppState>, Path(id): Path<MeetingId>, ApiJson(input): ApiJson<MeetingStatusInput>) -> Result<Json<Meeting>, AppError> {
    let to = input.status.trim().parse::<MeetingStatus>().map_err(|()| AppError::field("status", "estado desconocido"))?;
    minutes::transition(&state.db, &p, id, to).await?;
    Ok(Json(store::get(&state.db, id).await?))
}
