//! The forms of the meeting's page: attendance, guests, one's own
//! confirmation, the agenda, the states, the minutes and their review.
//! Each handler calls the store's write and goes back to the page; bad
//! input shows the page again with the form as sent (`detail::again`).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Form, Router};
use serde::Deserialize;

use super::detail::again;
use crate::auth::User;
use crate::error::AppError;
use crate::ids::{AgendaItemId, MeetingId, PersonId};
use crate::meetings::model::MeetingStatus;
use crate::meetings::store::{agenda, attendance, minutes};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reuniones/{id}/asistencia", post(take_attendance))
        .route("/reuniones/{id}/invitados", post(add_guest))
        .route("/reuniones/{id}/confirmar", post(confirm))
        .route("/reuniones/{id}/programa", post(add_item))
        .route("/reuniones/{id}/programa/{item_id}", post(edit_item))
        .route("/reuniones/{id}/programa/{item_id}/mover", post(move_item))
        .route("/reuniones/{id}/programa/{item_id}/eliminar", post(remove_item))
        .route("/reuniones/{id}/estado", post(change_status))
        .route("/reuniones/{id}/acta", post(save_minutes))
        .route("/reuniones/{id}/acta/comentarios", post(comment))
        .route("/reuniones/{id}/acta/comentarios/{comment_id}/incorporar", post(accept))
        .route("/reuniones/{id}/acta/aprobar", post(approve))
        .route("/reuniones/{id}/acta/correccion", post(correct))
}

fn back(id: MeetingId, anchor: &str) -> Response {
    Redirect::to(&format!("/reuniones/{id}#{anchor}")).into_response()
}

/// The attendance form: `status_<person id>` for each person of the roster.
async fn take_attendance(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let mut entries = Vec::new();
    for (name, value) in fields {
        let Some(person) = name.strip_prefix("status_") else {
            continue;
        };
        let person = person
            .parse::<i64>()
            .map_err(|_| AppError::BadRequest(crate::text::message("meetings-campo-desconocido", &[("name", &name)])))?;
        if value.chars().count() > 20 {
            return Err(AppError::field("status", "meetings-estado-asistencia-desconocido"));
        }
        entries.push((PersonId(person), value));
    }
    attendance::take(&state.db, &p, id, &entries).await?;
    Ok(back(id, "asistencia"))
}

async fn add_guest(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
    Form(input): Form<attendance::GuestInput>,
) -> Result<Response, AppError> {
    match attendance::add_guest(&state.db, &p, id, &input).await {
        Ok(_) => Ok(back(id, "asistencia")),
        Err(e) => again(&state, &ctx, &p, id, "guest", &input, e).await,
    }
}

#[derive(Deserialize)]
struct ConfirmForm {
    /// `1` to confirm, `0` to withdraw.
    #[serde(default)]
    coming: String,
}

async fn confirm(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    attendance::confirm(&state.db, &p, id, form.coming != "0").await?;
    Ok(back(id, "asistencia"))
}

async fn add_item(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
    Form(input): Form<agenda::AgendaInput>,
) -> Result<Response, AppError> {
    match agenda::add(&state.db, &p, id, &input).await {
        Ok(_) => Ok(back(id, "programa")),
        Err(e) => again(&state, &ctx, &p, id, "agenda-new", &input, e).await,
    }
}

async fn edit_item(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path((id, item)): Path<(MeetingId, AgendaItemId)>,
    Form(input): Form<agenda::AgendaInput>,
) -> Result<Response, AppError> {
    match agenda::edit(&state.db, &p, id, item, &input).await {
        Ok(()) => Ok(back(id, "programa")),
        Err(e) => again(&state, &ctx, &p, id, &format!("agenda-{item}"), &input, e).await,
    }
}

#[derive(Deserialize)]
struct MoveForm {
    #[serde(default)]
    direction: String,
}

async fn move_item(
    User(p, _): User,
    State(state): State<AppState>,
    Path((id, item)): Path<(MeetingId, AgendaItemId)>,
    Form(form): Form<MoveForm>,
) -> Result<Response, AppError> {
    agenda::shift(&state.db, &p, id, item, form.direction != "down").await?;
    Ok(back(id, "programa"))
}

async fn remove_item(
    User(p, _): User,
    State(state): State<AppState>,
    Path((id, item)): Path<(MeetingId, AgendaItemId)>,
) -> Result<Response, AppError> {
    agenda::remove(&state.db, &p, id, item).await?;
    Ok(back(id, "programa"))
}

#[derive(Deserialize)]
struct StatusForm {
    #[serde(default)]
    status: String,
}

async fn change_status(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let to = form
        .status
        .parse::<MeetingStatus>()
        .map_err(|()| AppError::field("status", "estado desconocido"))?;
    minutes::transition(&state.db, &p, id, to).await?;
    Ok(back(id, "estado"))
}

async fn save_minutes(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
    Form(input): Form<minutes::MinutesInput>,
) -> Result<Response, AppError> {
    match minutes::save(&state.db, &p, id, &input).await {
        Ok(_) => Ok(back(id, "acta")),
        Err(e) => again(&state, &ctx, &p, id, "minutes", &input, e).await,
    }
}

async fn comment(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
    Form(input): Form<minutes::CommentInput>,
) -> Result<Response, AppError> {
    match minutes::comment(&state.db, &p, id, &input).await {
        Ok(()) => Ok(back(id, "revision")),
        Err(e) => again(&state, &ctx, &p, id, "comment", &input, e).await,
    }
}

async fn accept(
    User(p, _): User,
    State(state): State<AppState>,
    Path((id, comment_id)): Path<(MeetingId, i64)>,
) -> Result<Response, AppError> {
    minutes::accept_amendment(&state.db, &p, id, comment_id).await?;
    Ok(back(id, "acta"))
}

async fn approve(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
) -> Result<Response, AppError> {
    minutes::approve(&state.db, &p, id).await?;
    Ok(back(id, "acta"))
}

async fn correct(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
    Form(input): Form<minutes::CorrectionInput>,
) -> Result<Response, AppError> {
    match minutes::correct(&state.db, &p, id, &input).await {
        Ok(_) => Ok(back(id, "versiones")),
        Err(e) => again(&state, &ctx, &p, id, "correction", &input, e).await,
    }
}
