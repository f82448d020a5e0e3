//! The printable agenda, attendance list (with a signature column) and
//! minutes of a meeting, one click from its page.

use axum::extract::{Path, State};
use axum::response::Response;
use minijinja::{context, Value};

use crate::auth::User;
use crate::error::AppError;
use crate::ids::MeetingId;
use crate::meetings::store::{self, agenda, attendance, minutes};
use crate::AppState;

/// `parte`: `programa`, `asistencia` or `acta` (the minutes need the right
/// to read them).
pub async fn print(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path((id, part)): Path<(MeetingId, String)>,
) -> Result<Response, AppError> {
    let g = store::viewable(&state.db, &p, id).await?;
    let title = match part.as_str() {
        "programa" => "meetings-programa-reunion",
        "asistencia" => "encounter-sessions-lista-asistencia",
        "acta" if p.can_view_minutes(&g.place()) => "meetings-acta",
        "acta" => return Err(AppError::Forbidden),
        _ => return Err(AppError::NotFound),
    };
    let versions = if part == "acta" {
        minutes::versions(&state.db, id).await?
    } else {
        Vec::new()
    };
    state.render(
        &ctx,
        "meetings/print.html",
        context! {
            part, part_title => title, meeting => super::row(&g.meeting),
            network => Value::from_serialize(&g.network.network),
            agenda => agenda::list(&state.db, id).await?,
            attendance => attendance::list(&state.db, id).await?,
            versions,
        },
    )
}
