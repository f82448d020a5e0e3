//! The meeting pages: a network's meetings with the rotation of hosts, the
//! forms to schedule and edit a meeting, and the meeting's own page
//! (`detail.rs`).

mod actions;
mod detail;
mod documents;
mod print;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use minijinja::{context, Value};
use serde::Deserialize;

use super::model::{kinds, rotation, Meeting, MeetingInput};
use super::store::{self, NetworkMeetings, SeriesInput, PAGE_SIZE};
use crate::auth::{Ctx, User};
use crate::error::{AppError, FieldErrors};
use crate::ids::{MeetingId, NetworkId};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/redes/{id}/reuniones", get(list).post(create))
        .route("/redes/{id}/reuniones/nueva", get(new_form))
        .route("/reuniones/{id}", get(detail::page).post(update))
        .route("/reuniones/{id}/editar", get(edit_form))
        .route("/reuniones/{id}/imprimir/{part}", get(print::print))
        .route("/redes/{id}/reuniones/serie", get(series_form).post(create_series))
        .merge(actions::routes())
        .merge(documents::routes())
}

/// A meeting in a list, with its labels.
pub(super) fn row(m: &Meeting) -> Value {
    context! {
        kind_label => m.kind.label(), status_label => m.status.label(), where_label => m.where_label(),
        ..Value::from_serialize(m)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    pagina: Option<i64>,
}

async fn list(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let n = store::network_viewable(&state.db, &p, id).await?;
    let page = crate::limits::page(q.pagina);
    let upcoming: Vec<Value> = store::upcoming(&state.db, id).await?.iter().map(row).collect();
    let (past, total) = store::past(&state.db, id, page).await?;
    let past: Vec<Value> = past.iter().map(row).collect();
    let rotation = store::rotation(&state.db, id).await?;
    state.render(
        &ctx,
        "meetings/list.html",
        context! {
            network => n.network, upcoming, past, total, page, rotation,
            pages => (total + PAGE_SIZE - 1) / PAGE_SIZE,
            base => format!("/redes/{id}/reuniones?"),
            can_edit => p.can_edit_meetings(&n.place()),
        },
    )
}

/// What the meeting form offers: the kinds, the member schools (the
/// proposed host first) and the people of the roster.
async fn form_context(
    state: &AppState,
    n: &NetworkMeetings,
    input: &MeetingInput,
    errors: &FieldErrors,
    action: &str,
    title: &str,
) -> Result<Value, AppError> {
    let turns = store::rotation(&state.db, n.network.id).await?;
    let proposed = rotation(&turns, 1).first().copied();
    let people = store::current_roster(&state.db, n.network.id).await?;
    Ok(context! {
        network => n.network, input, errors, action, title, kinds => kinds(), turns, people,
        proposed => proposed.map(|s| s.to_string()),
        proposed_name => turns.iter().find(|t| Some(t.school_id) == proposed).map(|t| t.name.clone()),
    })
}

async fn form_again(
    state: &AppState,
    ctx: &Ctx,
    n: &NetworkMeetings,
    input: &MeetingInput,
    errors: FieldErrors,
    action: &str,
    title: &str,
) -> Result<Response, AppError> {
    let context = form_context(state, n, input, &errors, action, title).await?;
    state.render_status(StatusCode::UNPROCESSABLE_ENTITY, ctx, "meetings/form.html", context)
}

async fn new_form(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
) -> Result<Response, AppError> {
    let n = store::network_editable(&state.db, &p, id).await?;
    let turns = store::rotation(&state.db, id).await?;
    let input = MeetingInput {
        kind: "network_session".into(),
        held_on: crate::db::today(),
        starts_at: "09:00".into(),
        ends_at: "12:00".into(),
        host_school_id: rotation(&turns, 1).first().map(|s| s.to_string()).unwrap_or_default(),
        ..Default::default()
    };
    let action = format!("/redes/{id}/reuniones");
    let context = form_context(&state, &n, &input, &FieldErrors::new(), &action, "meetings-programar-reunion").await?;
    state.render(&ctx, "meetings/form.html", context)
}

async fn create(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
    Form(input): Form<MeetingInput>,
) -> Result<Response, AppError> {
    match store::create(&state.db, &p, id, &input).await {
        Ok(meeting) => Ok(Redirect::to(&format!("/reuniones/{meeting}")).into_response()),
        Err(AppError::Validation(errors)) => {
            let n = store::network_editable(&state.db, &p, id).await?;
            let action = format!("/redes/{id}/reuniones");
            form_again(&state, &ctx, &n, &input, errors, &action, "meetings-programar-reunion").await
        }
        Err(e) => Err(e),
    }
}

async fn edit_form(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
) -> Result<Response, AppError> {
    let g = store::editable(&state.db, &p, id).await?.open()?;
    let action = format!("/reuniones/{id}");
    let input = MeetingInput::from(&g.meeting);
    let context = form_context(&state, &g.network, &input, &FieldErrors::new(), &action, "meetings-editar-reunion").await?;
    state.render(&ctx, "meetings/form.html", context)
}

async fn update(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
    Form(input): Form<MeetingInput>,
) -> Result<Response, AppError> {
    let action = format!("/reuniones/{id}");
    match store::edit(&state.db, &p, id, &input).await {
        Ok(()) => Ok(Redirect::to(&action).into_response()),
        Err(AppError::Validation(errors)) => {
            let g = store::editable(&state.db, &p, id).await?;
            form_again(&state, &ctx, &g.network, &input, errors, &action, "meetings-editar-reunion").await
        }
        Err(e) => Err(e),
    }
}

const WEEKDAYS: [&str; 7] = ["meetings-lunes", "meetings-martes", "meetings-miercoles", "meetings-jueves", "meetings-viernes", "meetings-sabado", "meetings-domingo"];
const NTHS: [&str; 5] = ["meetings-primera", "meetings-segunda", "meetings-tercera", "meetings-cuarta", "meetings-ultima"];
const MONTHS: [&str; 12] = [
    "meetings-enero", "meetings-febrero", "meetings-marzo", "meetings-abril", "meetings-mayo", "meetings-junio", "meetings-julio", "meetings-agosto", "meetings-septiembre", "meetings-octubre",
    "meetings-noviembre", "meetings-diciembre",
];

fn series_page(
    state: &AppState,
    ctx: &Ctx,
    status: StatusCode,
    n: &NetworkMeetings,
    input: &SeriesInput,
    errors: &FieldErrors,
) -> Result<Response, AppError> {
    state.render_status(
        status,
        ctx,
        "meetings/series.html",
        context! {
            network => n.network, input, errors, weekdays => WEEKDAYS, nths => NTHS, months => MONTHS,
        },
    )
}

async fn series_form(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
) -> Result<Response, AppError> {
    let n = store::network_editable(&state.db, &p, id).await?;
    // The first Tuesday of each month, March to November (seed 001's year).
    let input = SeriesInput {
        meeting: MeetingInput {
            starts_at: "09:00".into(),
            ends_at: "12:00".into(),
            ..Default::default()
        },
        year: crate::db::current_year().to_string(),
        weekday: "2".into(),
        nth: "1".into(),
        from_month: "3".into(),
        to_month: "11".into(),
        rotate_hosts: "1".into(),
    };
    series_page(&state, &ctx, StatusCode::OK, &n, &input, &FieldErrors::new())
}

async fn create_series(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
    Form(input): Form<SeriesInput>,
) -> Result<Response, AppError> {
    match store::create_series(&state.db, &p, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/redes/{id}/reuniones#proximas")).into_response()),
        Err(AppError::Validation(errors)) => {
            let n = store::network_editable(&state.db, &p, id).await?;
            series_page(&state, &ctx, StatusCode::UNPROCESSABLE_ENTITY, &n, &input, &errors)
        }
        Err(e) => Err(e),
    }
}
