//! Calendar export: a meeting's, a network's and a person's private feed
//! (`/calendario/{token}.ics`, no sign-in: the token is the key), and the
//! page where the person creates, sees once and revokes their feeds.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use minijinja::context;
use time::macros::format_description;
use time::{Date, PrimitiveDateTime, Time, UtcOffset};

use super::ics::{self, Event};
use super::store::{self, CalendarMeeting};
use crate::auth::User;
use crate::country::Country;
use crate::error::AppError;
use crate::ids::{FeedId, MeetingId, NetworkId};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reuniones/{id}/calendario.ics", get(meeting_ics))
        .route("/redes/{id}/calendario.ics", get(network_ics))
        // `{token}.ics`: the router matches whole segments; the handler
        // requires the suffix.
        .route("/calendario/{token}", get(feed_ics))
        .route("/cuenta/calendario", get(feeds_page).post(create_feed))
        .route("/cuenta/calendario/{id}/revocar", post(revoke_feed))
}

const UTC_FORMAT: &[time::format_description::FormatItem<'static>] =
    format_description!("[year][month][day]T[hour][minute][second]Z");

/// The meeting's local date and hour in UTC, as iCalendar writes it.
fn utc(country: Country, region: &str, day: Date, hour: &str) -> Option<String> {
    let hour = Time::parse(hour.trim(), format_description!("[hour]:[minute]")).ok()?;
    let offset = UtcOffset::from_hms(super::zone::utc_offset_hours(country, region, day), 0, 0).ok()?;
    PrimitiveDateTime::new(day, hour)
        .assume_offset(offset)
        .to_offset(UtcOffset::UTC)
        .format(UTC_FORMAT)
        .ok()
}

/// A meeting as an event; `None` for a meeting whose date or hours do not read.
pub fn event(m: &CalendarMeeting) -> Option<Event> {
    let day = Date::parse(&m.held_on, format_description!("[year]-[month]-[day]")).ok()?;
    let country = Country::parse(&m.country).unwrap_or(Country::Cl);
    let start = utc(country, &m.region, day, &m.starts_at)?;
    let end = utc(country, &m.region, day, &m.ends_at)?;
    let stamp = time::OffsetDateTime::parse(
        &m.updated_at,
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap_or_else(|_| time::OffsetDateTime::now_utc())
    .to_offset(UtcOffset::UTC)
    .format(UTC_FORMAT)
    .ok()?;
    let summary = if m.network_name.is_empty() {
        m.title.clone()
    } else {
        format!("{} · {}", m.title, m.network_name)
    };
    let location = [m.host_name.as_str(), m.place.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let mut description = format!("Hora local: {}–{}", m.starts_at, m.ends_at);
    if !m.theme.is_empty() {
        description = format!("{}\n{description}", m.theme);
    }
    Some(Event {
        uid: format!("reunion-{}@redes", m.id),
        stamp,
        start,
        end,
        summary,
        location,
        description,
    })
}

fn ics_response(name: &str, file: &str, meetings: &[CalendarMeeting]) -> Response {
    let events: Vec<Event> = meetings.iter().filter_map(event).collect();
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{file}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        ics::calendar(name, &events),
    )
        .into_response()
}

async fn meeting_ics(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
) -> Result<Response, AppError> {
    crate::meetings::store::viewable(&state.db, &p, id).await?;
    let m = store::meeting(&state.db, id).await?;
    let name = m.title.clone();
    Ok(ics_response(&name, &format!("reunion-{id}.ics"), &[m]))
}

async fn network_ics(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
) -> Result<Response, AppError> {
    let network = crate::networks::store::viewable(&state.db, &p, id).await?;
    let meetings = store::of_networks(&state.db, &[id], None).await?;
    Ok(ics_response(&network.name, &format!("red-{id}.ics"), &meetings))
}

/// A person's private feed: the meetings of all their networks and those
/// where they are on the roster. An unknown or revoked token is not found.
async fn feed_ics(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let token = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    if token.is_empty() || token.len() > 128 {
        return Err(AppError::NotFound);
    }
    let person = store::feed_owner(&state.db, token)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = crate::auth::store::principal(&state.db, person)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut networks = p.network_ids();
    networks.extend(p.school_network_ids.iter().copied());
    let meetings = store::of_networks(&state.db, &networks, Some(person)).await?;
    Ok(ics_response(
        &format!("Reuniones de {}", p.full_name),
        "reuniones.ics",
        &meetings,
    ))
}

fn feed_base(headers: &HeaderMap, secure: bool) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .unwrap_or("localhost");
    format!("{}://{host}", if secure { "https" } else { "http" })
}

async fn render_feeds(
    state: &AppState,
    p: &crate::auth::policy::Principal,
    ctx: &crate::auth::Ctx,
    new_url: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let feeds = store::feeds(&state.db, p.person_id).await?;
    state.render_status(
        status,
        ctx,
        "calendar/feeds.html",
        context! { feeds, new_url },
    )
}

async fn feeds_page(User(p, ctx): User, State(state): State<AppState>) -> Result<Response, AppError> {
    render_feeds(&state, &p, &ctx, None, StatusCode::OK).await
}

async fn create_feed(
    User(p, ctx): User,
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if !p.can_manage_own_tokens(ctx.via_token) {
        return Err(AppError::Forbidden);
    }
    let token = store::create_feed(&state.db, p.person_id).await?;
    let url = format!("{}/calendario/{token}.ics", feed_base(&headers, ctx.secure));
    // Shown once, on this answer; a reload does not create another.
    render_feeds(&state, &p, &ctx, Some(url), StatusCode::CREATED).await
}

async fn revoke_feed(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<FeedId>,
) -> Result<Response, AppError> {
    if !p.can_manage_own_tokens(ctx.via_token) {
        return Err(AppError::Forbidden);
    }
    store::revoke(&state.db, p.person_id, id).await?;
    Ok(Redirect::to("/cuenta/calendario").into_response())
}
