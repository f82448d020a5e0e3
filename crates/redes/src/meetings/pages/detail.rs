//! The meeting's page: what, when and where, its agenda, attendance,
//! documents and minutes, and what the person may do with each. Everything
//! the page shows is one context struct (`MeetingPage`), filled by `load`,
//! so a block of another module (the network's open agreements) is one
//! more field and one more include in the template.

use axum::extract::{Path, State};
use axum::response::Response;
use minijinja::Value;
use serde::Serialize;

use crate::auth::policy::Principal;
use crate::auth::User;
use crate::error::AppError;
use crate::ids::MeetingId;
use crate::meetings::store::{self, Guarded};
use crate::AppState;

/// Everything the meeting page shows.
#[derive(Serialize)]
pub struct MeetingPage {
    pub meeting: Value,
    pub network: Value,
    pub can_edit: bool,
    pub can_view_minutes: bool,
    pub closed: bool,
}

/// Loads the page of a meeting the person may see.
pub async fn load(state: &AppState, p: &Principal, g: &Guarded) -> Result<MeetingPage, AppError> {
    let _ = state;
    let place = g.place();
    Ok(MeetingPage {
        meeting: super::row(&g.meeting),
        network: Value::from_serialize(&g.network.network),
        can_edit: p.can_edit_meetings(&place),
        can_view_minutes: p.can_view_minutes(&place),
        closed: g.meeting.status == crate::meetings::model::MeetingStatus::Closed,
    })
}

pub async fn page(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
) -> Result<Response, AppError> {
    let g = store::viewable(&state.db, &p, id).await?;
    let page = load(&state, &p, &g).await?;
    state.render(&ctx, "meetings/detail.html", Value::from_serialize(&page))
}
