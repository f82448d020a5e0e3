//! The meeting's page: what, when and where, its agenda, attendance and
//! minutes, and what the person may do with each. Everything the page
//! shows is one context struct (`MeetingPage`), filled by `load`, so a
//! block of another module (the network's open agreements) is one more
//! field and one more include in the template. A form of the page sent
//! with bad input comes back on the same page (`Sent`), its text kept and
//! its messages next to its fields.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use minijinja::Value;
use serde::Serialize;

use crate::auth::policy::Principal;
use crate::auth::{Ctx, User};
use crate::error::{AppError, FieldErrors};
use crate::ids::MeetingId;
use crate::meetings::model::MeetingStatus;
use crate::meetings::store::{self, agenda, attendance, documents, minutes, Guarded};
use crate::AppState;

/// A form of the page as it was sent, shown again with its messages.
#[derive(Serialize, Default)]
pub struct Sent {
    /// Which form: `agenda-new`, `agenda-<id>`, `guest`, `minutes`,
    /// `comment`, `correction`.
    pub form: String,
    pub input: Value,
    pub errors: FieldErrors,
    /// A message for the whole form (a conflict).
    pub message: String,
}

/// Everything the meeting page shows.
#[derive(Serialize)]
pub struct MeetingPage {
    pub meeting: Value,
    pub network: Value,
    pub status: &'static str,
    pub can_edit: bool,
    pub can_view_minutes: bool,
    pub can_comment: bool,
    pub can_approve: bool,
    pub closed: bool,
    pub next_status: Option<(&'static str, &'static str)>,
    pub agenda: Vec<agenda::AgendaItem>,
    pub agenda_minutes: i64,
    /// The network's plan actions for the meeting's year, as (id, title).
    pub plan_actions: Vec<(i64, String)>,
    pub length_minutes: i64,
    pub attendance: Vec<attendance::AttendanceRow>,
    pub presences: Vec<(&'static str, &'static str)>,
    /// Some(confirmed) when the person is on the roster.
    pub own_confirmation: Option<bool>,
    pub comments: Vec<minutes::Comment>,
    pub versions: Vec<minutes::Version>,
    /// Shown to whoever reads the minutes.
    pub documents: Vec<documents::Document>,
    pub document_limit: String,
    pub sent: Sent,
    /// The network's open agreements, those taken here and the forms
    /// (`agreements/on_meeting.html`); none for a meeting of no network.
    pub agreements: Option<Value>,
}

/// Loads the page of a meeting the person may see.
pub async fn load(state: &AppState, p: &Principal, g: &Guarded, sent: Sent) -> Result<MeetingPage, AppError> {
    let db = &state.db;
    let place = g.place();
    let m = &g.meeting;
    let can_view_minutes = p.can_view_minutes(&place);
    let agenda = agenda::list(db, m.id).await?;
    let (comments, versions, documents) = if can_view_minutes {
        (
            minutes::comments(db, m.id).await?,
            minutes::versions(db, m.id).await?,
            documents::list(db, m.id).await?,
        )
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    let agreements = match m.network_id {
        Some(_) => Some(crate::agreements::pages::on_meeting(state, p, m.id, "reunion").await?),
        None => None,
    };
    Ok(MeetingPage {
        agreements,
        meeting: super::row(m),
        network: Value::from_serialize(&g.network.network),
        status: m.status.code(),
        can_edit: p.can_edit_meetings(&place),
        can_view_minutes,
        can_comment: p.can_comment_minutes(&place) && m.status == MeetingStatus::Review,
        can_approve: p.can_approve_minutes(&place),
        closed: m.status == MeetingStatus::Closed,
        next_status: m.status.next().filter(|s| *s != MeetingStatus::Closed).map(|s| (s.code(), s.label())),
        agenda_minutes: agenda.iter().map(|i| i.minutes_allotted).sum(),
        plan_actions: agenda::plan_actions(db, g).await?,
        agenda,
        length_minutes: m.length_minutes(),
        attendance: attendance::list(db, m.id).await?,
        presences: attendance::presences(),
        own_confirmation: attendance::own(db, m.id, p.person_id).await?,
        comments,
        versions,
        documents,
        document_limit: documents::limit_label(),
        sent,
    })
}

pub async fn page(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
) -> Result<Response, AppError> {
    let g = store::viewable(&state.db, &p, id).await?;
    let page = load(&state, &p, &g, Sent::default()).await?;
    state.render(&ctx, "meetings/detail.html", Value::from_serialize(&page))
}

/// The page again with a form's input and its problems (422 for bad input,
/// 409 for a conflict), or the error itself when it is not the form's.
pub async fn again<T: Serialize>(
    state: &AppState,
    ctx: &Ctx,
    p: &Principal,
    id: MeetingId,
    form: &str,
    input: &T,
    error: AppError,
) -> Result<Response, AppError> {
    let (status, errors, message) = match error {
        AppError::Validation(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors, String::new()),
        AppError::Conflict(message) if form == "minutes" => (StatusCode::CONFLICT, FieldErrors::new(), message),
        other => return Err(other),
    };
    let g = store::viewable(&state.db, p, id).await?;
    let sent = Sent {
        form: form.to_string(),
        input: Value::from_serialize(input),
        errors,
        message,
    };
    let page = load(state, p, &g, sent).await?;
    state.render_status(status, ctx, "meetings/detail.html", Value::from_serialize(&page))
}
