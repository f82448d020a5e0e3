//! The agreement pages: a network's agreements, an agreement with its
//! history, a meeting's agreements (also shown on the meeting's page,
//! `on_meeting`), and the forms to record, review and update them.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::{context, Value};
use serde::{Deserialize, Serialize};

use super::model::{statuses, Agreement, AgreementInput, ReviewInput, StatusInput};
use super::store::{self, StatusFilter};
use crate::auth::policy::Principal;
use crate::auth::{Ctx, User};
use crate::error::{AppError, FieldErrors};
use crate::ids::{AgreementId, MeetingId, NetworkId};
use crate::module::{BoxFuture, HomeSectionData};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/redes/{id}/acuerdos", get(network_list))
        .route("/acuerdos/{id}", get(detail))
        .route("/acuerdos/{id}/revisiones", post(review))
        .route("/acuerdos/{id}/estado", post(set_status))
        .route("/reuniones/{id}/acuerdos", get(meeting_page).post(record))
}

/// An agreement for a template: with its status's name and whether it is
/// late.
pub fn view(a: &Agreement, today: &str) -> Value {
    let short: String = if a.body.chars().count() > 140 {
        a.body.chars().take(140).collect::<String>() + "…"
    } else {
        a.body.clone()
    };
    context! {
        short,
        status_label => a.status.label(),
        late => a.is_late(today),
        open => a.status.is_open(),
        ..Value::from_serialize(a)
    }
}

fn views(list: &[Agreement]) -> Vec<Value> {
    let today = crate::db::today();
    list.iter().map(|a| view(a, &today)).collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    estado: String,
}

async fn network_list(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    crate::limits::search("estado", &q.estado)?;
    let network = store::viewable_network(&state.db, &p, id).await?;
    let list = store::of_network(&state.db, id, StatusFilter::parse(&q.estado)).await?;
    let late = list
        .iter()
        .filter(|a| a.is_late(&crate::db::today()))
        .count();
    state.render(
        &ctx,
        "agreements/network.html",
        context! {
            network, agreements => views(&list), late, estado => q.estado, statuses => statuses(),
        },
    )
}

/// What the agreement's page shows, with the forms as typed and their
/// messages.
async fn detail_context(
    state: &AppState,
    p: &Principal,
    id: AgreementId,
    review_input: &ReviewInput,
    review_errors: &FieldErrors,
    status_input: &StatusInput,
    status_errors: &FieldErrors,
) -> Result<Value, AppError> {
    let db = &state.db;
    let (agreement, network) = store::viewable(db, p, id).await?;
    let can_record = store::can_record(db, p, &network).await?;
    let can_update = p.can_update_agreement(&network.policy(), agreement.owner());
    let reviews = store::reviews(db, id).await?;
    let changes: Vec<Value> = store::status_changes(db, id)
        .await?
        .iter()
        .map(|c| {
            context! {
                before_label => c.status_before.label(), after_label => c.status_after.label(),
                ..Value::from_serialize(c)
            }
        })
        .collect();
    let reviews: Vec<Value> = reviews
        .iter()
        .map(|r| context! { status_label => r.status_after.label(), ..Value::from_serialize(r) })
        .collect();
    let meetings = if can_record && agreement.status.is_open() {
        store::meetings_from(db, network.id, &agreement.meeting_held_on).await?
    } else {
        Vec::new()
    };
    let meeting_choices: Vec<(String, String)> = meetings
        .iter()
        .map(|m| (m.id.to_string(), format!("{} · {}", m.held_on, m.title)))
        .collect();
    let mut status_input = status_input.clone();
    if status_input.status.is_empty() {
        status_input.status = agreement.status.code().to_string();
    }
    Ok(context! {
        agreement => view(&agreement, &crate::db::today()), network, reviews, changes, can_record, can_update,
        meeting_choices, statuses => statuses(),
        review_input, review_errors, status_input, status_errors,
    })
}

async fn detail(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<AgreementId>,
) -> Result<Response, AppError> {
    let none = FieldErrors::new();
    let extra = detail_context(
        &state,
        &p,
        id,
        &ReviewInput::default(),
        &none,
        &StatusInput::default(),
        &none,
    )
    .await?;
    state.render(&ctx, "agreements/detail.html", extra)
}

async fn detail_again(
    state: &AppState,
    p: &Principal,
    ctx: &Ctx,
    id: AgreementId,
    review: (&ReviewInput, &FieldErrors),
    status: (&StatusInput, &FieldErrors),
) -> Result<Response, AppError> {
    let extra = detail_context(state, p, id, review.0, review.1, status.0, status.1).await?;
    state.render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        ctx,
        "agreements/detail.html",
        extra,
    )
}

/// Where a form sends the person back: the meeting's page or this module's
/// page of the meeting's agreements (a fixed choice, never a free URL).
#[derive(Deserialize, Serialize, Default, Clone)]
#[serde(default)]
struct Back {
    volver: String,
}

impl Back {
    fn to_meeting(&self, meeting_id: MeetingId) -> String {
        match self.volver.as_str() {
            "reunion" => format!("/reuniones/{meeting_id}#acuerdos"),
            _ => format!("/reuniones/{meeting_id}/acuerdos"),
        }
    }
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct ReviewForm {
    #[serde(flatten)]
    input: ReviewInput,
    volver: String,
}

async fn review(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<AgreementId>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, AppError> {
    match store::review(&state.db, &p, id, &form.input).await {
        Ok(()) => {
            let to = match form.input.meeting_id.trim().parse::<i64>() {
                Ok(m) if !form.volver.is_empty() => Back {
                    volver: form.volver.clone(),
                }
                .to_meeting(MeetingId(m)),
                _ => format!("/acuerdos/{id}"),
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(AppError::Validation(errors)) => {
            let none = FieldErrors::new();
            detail_again(
                &state,
                &p,
                &ctx,
                id,
                (&form.input, &errors),
                (&StatusInput::default(), &none),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

async fn set_status(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<AgreementId>,
    Form(input): Form<StatusInput>,
) -> Result<Response, AppError> {
    match store::set_status(&state.db, &p, id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/acuerdos/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            let none = FieldErrors::new();
            detail_again(
                &state,
                &p,
                &ctx,
                id,
                (&ReviewInput::default(), &none),
                (&input, &errors),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// The agreements part of a meeting's page (`agreements/on_meeting.html`,
/// which reads it as `agreements`): the network's open agreements taken
/// before, each with a short review form; the reviews made at this meeting;
/// the agreements taken at it; and the form for a new one. `volver` is
/// where the forms send the person back ("reunion": the meeting's page).
pub async fn on_meeting(
    state: &AppState,
    p: &Principal,
    meeting_id: MeetingId,
    volver: &str,
) -> Result<Value, AppError> {
    on_meeting_with(
        state,
        p,
        meeting_id,
        volver,
        &AgreementInput::default(),
        &FieldErrors::new(),
    )
    .await
}

async fn on_meeting_with(
    state: &AppState,
    p: &Principal,
    meeting_id: MeetingId,
    volver: &str,
    input: &AgreementInput,
    errors: &FieldErrors,
) -> Result<Value, AppError> {
    let db = &state.db;
    let (meeting, network) = store::viewable_meeting(db, p, meeting_id).await?;
    let can_record = store::can_record(db, p, &network).await? && !meeting.is_closed();
    let open = store::open_for_network(db, network.id, &meeting).await?;
    let taken = store::taken_at(db, meeting_id).await?;
    let reviews: Vec<Value> = store::reviews_at(db, meeting_id)
        .await?
        .iter()
        .map(|r| context! { status_label => r.status_after.label(), ..Value::from_serialize(r) })
        .collect();
    let owners = if can_record {
        store::owner_choices(db, network.id).await?
    } else {
        Vec::new()
    };
    Ok(context! {
        meeting, network, open => views(&open), taken => views(&taken), reviews, owners,
        statuses => statuses(), can_record, input, errors, volver,
    })
}

async fn meeting_page(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
) -> Result<Response, AppError> {
    let agreements = on_meeting(&state, &p, id, "").await?;
    state.render(
        &ctx,
        "agreements/meeting.html",
        context! { agreements },
    )
}

#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct RecordForm {
    #[serde(flatten)]
    input: AgreementInput,
    volver: String,
}

async fn record(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
    Form(form): Form<RecordForm>,
) -> Result<Response, AppError> {
    let back = Back {
        volver: form.volver.clone(),
    };
    match store::record(&state.db, &p, id, &form.input).await {
        Ok(_) => Ok(Redirect::to(&back.to_meeting(id)).into_response()),
        Err(AppError::Validation(errors)) => {
            let agreements =
                on_meeting_with(&state, &p, id, &form.volver, &form.input, &errors).await?;
            state.render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ctx,
                "agreements/meeting.html",
                context! { agreements },
            )
        }
        Err(e) => Err(e),
    }
}

/// "Mis acuerdos" on the home page: the person's open agreements, late
/// ones first; hidden when there are none.
pub fn home_section<'a>(state: &'a AppState, p: &'a Principal) -> BoxFuture<'a, HomeSectionData> {
    Box::pin(async move {
        let mine = store::open_of_person(&state.db, p).await?;
        if mine.is_empty() {
            return Ok(None);
        }
        let late = mine
            .iter()
            .filter(|a| a.is_late(&crate::db::today()))
            .count();
        Ok(Some(context! { agreements => views(&mine), late }))
    })
}
