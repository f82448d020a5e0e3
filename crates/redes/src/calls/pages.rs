//! The calls pages: the calls of the person's territories, the form to
//! issue one, the proposals of calls (the authority's page, where it puts
//! them under consideration, issues or declines them), one proposal, and a
//! network's proposals with the form its coordination proposes with.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::{context, Value};

use super::model::{
    phase_label, Call, CallInput, CallProposal, DeclineInput, IssueInput, ProposalInput,
};
use super::store;
use crate::auth::policy::Principal;
use crate::auth::{Ctx, User};
use crate::country::Country;
use crate::error::{AppError, FieldErrors};
use crate::ids::{CallProposalId, NetworkId};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/convocatorias", get(list).post(create))
        .route("/convocatorias/nueva", get(new_form))
        .route("/convocatorias/propuestas", get(proposals))
        .route("/convocatorias/propuestas/{id}", get(proposal))
        .route("/convocatorias/propuestas/{id}/estudio", post(consider))
        .route("/convocatorias/propuestas/{id}/emitir", post(issue))
        .route("/convocatorias/propuestas/{id}/declinar", post(decline))
        .route(
            "/redes/{id}/convocatorias",
            get(network_page).post(propose),
        )
}

/// "Chile · Biobío · Concepción", "Chile · Biobío", "Chile" (national):
/// place names only, the same in every language.
pub fn territory(country: Country, region: &str, province: &str) -> String {
    let name = country.profile().name;
    match (region, province) {
        ("", _) => name.to_string(),
        (region, "") => format!("{name} · {region}"),
        (region, province) => format!("{name} · {region} · {province}"),
    }
}

fn call_view(c: &Call, today: &str) -> Value {
    let phase = c.phase(today);
    context! {
        territory => territory(c.country, &c.region, &c.province),
        phase, phase_label => phase_label(phase),
        ..Value::from_serialize(c)
    }
}

fn proposal_view(p: &CallProposal) -> Value {
    context! {
        territory => territory(p.country, &p.region, &p.province),
        status_label => p.status.label(),
        pending => p.status.is_pending(),
        ..Value::from_serialize(p)
    }
}

async fn list(User(p, ctx): User, State(state): State<AppState>) -> Result<Response, AppError> {
    if !p.can_list_calls() {
        return Err(AppError::Forbidden);
    }
    let today = crate::db::today();
    let calls: Vec<Value> = store::list(&state.db, &p.call_audience())
        .await?
        .iter()
        .map(|c| call_view(c, &today))
        .collect();
    state.render(
        &ctx,
        "calls/list.html",
        context! { calls, may_issue => p.may_issue_calls() },
    )
}

async fn new_form(User(p, ctx): User, State(state): State<AppState>) -> Result<Response, AppError> {
    if !p.may_issue_calls() {
        return Err(AppError::Forbidden);
    }
    state.render(
        &ctx,
        "calls/form.html",
        context! { input => CallInput::default(), errors => FieldErrors::new() },
    )
}

async fn create(
    User(p, ctx): User,
    State(state): State<AppState>,
    Form(input): Form<CallInput>,
) -> Result<Response, AppError> {
    match store::issue(&state.db, &p, &input).await {
        Ok(_) => Ok(Redirect::to("/convocatorias").into_response()),
        Err(AppError::Validation(errors)) => state.render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ctx,
            "calls/form.html",
            context! { input, errors },
        ),
        Err(e) => Err(e),
    }
}

/// The proposals the person may see: for an authority, those addressed
/// to its territory, to decide on; for a network's people, their network's.
async fn proposals(User(p, ctx): User, State(state): State<AppState>) -> Result<Response, AppError> {
    let list: Vec<Value> = store::proposals(&state.db, &p.proposal_audience())
        .await?
        .iter()
        .map(proposal_view)
        .collect();
    state.render(
        &ctx,
        "calls/proposals.html",
        context! { proposals => list, may_issue => p.may_issue_calls() },
    )
}

/// The forms of the proposal's page, as typed, with their messages.
#[derive(Default)]
struct Forms {
    issue: Option<IssueInput>,
    issue_errors: FieldErrors,
    decline: DeclineInput,
    decline_errors: FieldErrors,
}

async fn show_proposal(
    state: &AppState,
    ctx: &Ctx,
    p: &Principal,
    id: CallProposalId,
    forms: Forms,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (proposal, network) = store::viewable_proposal(&state.db, p, id).await?;
    let can_decide = proposal.status.is_pending() && p.can_decide_call_proposal(proposal.place());
    let issue = forms
        .issue
        .unwrap_or_else(|| IssueInput::from_proposal(&proposal));
    state.render_status(
        status,
        ctx,
        "calls/proposal.html",
        context! {
            proposal => proposal_view(&proposal), network, can_decide,
            can_consider => can_decide && proposal.status == super::model::ProposalStatus::Proposed,
            issue, issue_errors => forms.issue_errors,
            decline => forms.decline, decline_errors => forms.decline_errors,
        },
    )
}

async fn proposal(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<CallProposalId>,
) -> Result<Response, AppError> {
    show_proposal(&state, &ctx, &p, id, Forms::default(), StatusCode::OK).await
}

async fn consider(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<CallProposalId>,
) -> Result<Response, AppError> {
    store::consider(&state.db, &p, id).await?;
    Ok(Redirect::to(&format!("/convocatorias/propuestas/{id}")).into_response())
}

async fn issue(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<CallProposalId>,
    Form(input): Form<IssueInput>,
) -> Result<Response, AppError> {
    match store::issue_proposal(&state.db, &p, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/convocatorias/propuestas/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            let forms = Forms {
                issue: Some(input),
                issue_errors: errors,
                ..Forms::default()
            };
            show_proposal(&state, &ctx, &p, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e),
    }
}

async fn decline(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<CallProposalId>,
    Form(input): Form<DeclineInput>,
) -> Result<Response, AppError> {
    match store::decline(&state.db, &p, id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/convocatorias/propuestas/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            let forms = Forms {
                decline: input,
                decline_errors: errors,
                ..Forms::default()
            };
            show_proposal(&state, &ctx, &p, id, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e),
    }
}

/// The levels a network may propose for, as (code, label), from its own
/// territory.
fn levels(country: Country, region: &str, province: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if !province.is_empty() {
        out.push(("province".into(), territory(country, region, province)));
    }
    out.push(("region".into(), territory(country, region, "")));
    out.push(("country".into(), territory(country, "", "")));
    out
}

async fn show_network(
    state: &AppState,
    ctx: &Ctx,
    p: &Principal,
    id: NetworkId,
    input: &ProposalInput,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let network = crate::networks::store::viewable(&state.db, p, id).await?;
    let list: Vec<Value> = store::of_network(&state.db, id)
        .await?
        .iter()
        .map(proposal_view)
        .collect();
    let can_propose = p.can_propose_call(&network.policy());
    let levels = levels(network.country, &network.region, &network.province);
    let mut input = input.clone();
    if input.level.is_empty() {
        input.level = "region".into();
    }
    state.render_status(
        status,
        ctx,
        "calls/network.html",
        context! { network, proposals => list, can_propose, levels, input, errors },
    )
}

async fn network_page(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
) -> Result<Response, AppError> {
    let empty = (ProposalInput::default(), FieldErrors::new());
    show_network(&state, &ctx, &p, id, &empty.0, &empty.1, StatusCode::OK).await
}

async fn propose(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
    Form(input): Form<ProposalInput>,
) -> Result<Response, AppError> {
    match store::propose(&state.db, &p, id, &input).await {
        Ok(proposal) => {
            Ok(Redirect::to(&format!("/convocatorias/propuestas/{proposal}")).into_response())
        }
        Err(AppError::Validation(errors)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            show_network(&state, &ctx, &p, id, &input, &errors, status).await
        }
        Err(e) => Err(e),
    }
}
