//! The network pages: list, detail with charter and member schools, the
//! form.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use serde::Deserialize;

use super::model::{kinds, NetworkInput, CHARTER};
use super::store::{self, NetworkFilter, SchoolChoice, PAGE_SIZE};
use crate::auth::policy::{Principal, Role};
use crate::auth::{Ctx, User};
use crate::country::COUNTRIES;
use crate::error::{AppError, FieldErrors};
use crate::ids::{NetworkId, SchoolId};
use crate::people::model::{network_roles, InviteInput};
use crate::web::urlencode;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/redes", get(list).post(create))
        .route("/redes/nueva", get(new_form))
        .route("/redes/{id}", get(detail).post(update))
        .route("/redes/{id}/editar", get(edit_form))
        .route("/redes/{id}/archivar", post(archive))
        .route("/redes/{id}/escuelas", post(add_school))
        .route(
            "/redes/{id}/escuelas/{school_id}/retirar",
            post(remove_school),
        )
        .route("/redes/{id}/actividad", post(set_activity))
        .route("/redes/{id}/personas", post(invite))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    #[serde(flatten)]
    filter: NetworkFilter,
    pagina: Option<i64>,
}

async fn list(
    User(p, ctx): User,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let page = crate::limits::page(q.pagina);
    let (networks, total) = store::list(&state.db, &p.visibility(), &q.filter, page).await?;
    let f = &q.filter;
    let base = format!(
        "/redes?q={}&country={}&region={}&kind={}&year={}{}",
        urlencode(&f.q),
        urlencode(&f.country),
        urlencode(&f.region),
        urlencode(&f.kind),
        urlencode(&f.year),
        if f.synthetic { "&synthetic=1" } else { "" }
    );
    let networks: Vec<_> = networks
        .into_iter()
        .map(|n| context! { kind_label => n.kind.label(), ..minijinja::Value::from_serialize(&n) })
        .collect();
    state.render(
        &ctx,
        "networks/list.html",
        context! {
            networks, total, page, pages => (total + PAGE_SIZE - 1) / PAGE_SIZE, base, filter => f,
            kinds => kinds(), countries => COUNTRIES, may_create => p.may_create_networks(),
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DetailQuery {
    /// Text to look for schools to add.
    buscar: String,
}

async fn detail(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
    Query(q): Query<DetailQuery>,
) -> Result<Response, AppError> {
    let invite = Invitation {
        input: &InviteInput::default(),
        errors: &FieldErrors::new(),
    };
    show_detail(&state, &ctx, &p, id, &q.buscar, invite, StatusCode::OK).await
}

/// The invitation form as the network page shows it: empty, or as typed
/// with its problems.
#[derive(Clone, Copy)]
struct Invitation<'a> {
    input: &'a InviteInput,
    errors: &'a FieldErrors,
}

/// The network's page: charter, member schools, people, yearly activity.
async fn show_detail(
    state: &AppState,
    ctx: &Ctx,
    p: &Principal,
    id: NetworkId,
    search: &str,
    invite: Invitation<'_>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let network = store::viewable(&state.db, p, id).await?;
    let can_edit = p.can_edit_network(&network.policy());
    let can_invite = p.can_invite_to_network(&network.policy());
    let members = store::members(&state.db, id).await?;
    let years = store::active_years(&state.db, id).await?;
    let people = crate::people::store::in_network(&state.db, id).await?;
    // Named again at the top of the page: who to turn to.
    let coordinators: Vec<_> = people
        .iter()
        .filter(|x| x.role == Role::NetworkCoordinator && x.school_id.is_none())
        .cloned()
        .collect();
    let coordinators = crate::people::pages::listed(p, coordinators);
    let people = crate::people::pages::listed(p, people);
    crate::limits::search("buscar", search)?;
    let candidates = if can_edit && !search.trim().is_empty() {
        store::candidate_schools(&state.db, &p.visibility(), id, search).await?
    } else {
        Vec::new()
    };
    let charter: Vec<_> = CHARTER
        .iter()
        .map(|(field, title)| {
            let value = minijinja::Value::from_serialize(&network);
            context! { title => *title, text => value.get_attr(field).ok() }
        })
        .collect();
    state.render_status(status, ctx, "networks/detail.html", context! {
        network, kind_label => network.kind.label(), charter, members, years, can_edit, candidates,
        search, current_year => crate::db::current_year(), people, coordinators, can_invite,
        invite => invite.input, errors => invite.errors, roles => network_roles(),
    })
}

fn form_context(
    input: &NetworkInput,
    errors: &FieldErrors,
    action: &str,
    title: &str,
) -> minijinja::Value {
    let countries: Vec<(&str, &str)> = COUNTRIES.iter().map(|c| (c.code, c.name)).collect();
    context! { input, errors, action, title, countries, kinds => kinds(), charter => CHARTER }
}

fn form_again(
    state: &AppState,
    ctx: &Ctx,
    input: &NetworkInput,
    errors: FieldErrors,
    action: &str,
    title: &str,
) -> Result<Response, AppError> {
    state.render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        ctx,
        "networks/form.html",
        form_context(input, &errors, action, title),
    )
}

async fn new_form(User(p, ctx): User, State(state): State<AppState>) -> Result<Response, AppError> {
    if !p.may_create_networks() {
        return Err(AppError::Forbidden);
    }
    let (country, region) = p.home_place();
    let input = NetworkInput {
        country: country.code().to_string(),
        region,
        kind: "rme".into(),
        ..NetworkInput::default()
    };
    state.render(
        &ctx,
        "networks/form.html",
        form_context(&input, &FieldErrors::new(), "/redes", "networks-crear-red"),
    )
}

async fn create(
    User(p, ctx): User,
    State(state): State<AppState>,
    Form(input): Form<NetworkInput>,
) -> Result<Response, AppError> {
    if !p.may_create_networks() {
        return Err(AppError::Forbidden);
    }
    match store::create(&state.db, &p, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/redes/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            form_again(&state, &ctx, &input, errors, "/redes", "networks-crear-red")
        }
        // Shown next to the region, where it can be corrected.
        Err(AppError::Denied(_)) => {
            let errors = FieldErrors::from([(
                "region".to_string(),
                "networks-no-puede-crear-redes-este-territorio".to_string(),
            )]);
            form_again(&state, &ctx, &input, errors, "/redes", "networks-crear-red")
        }
        Err(e) => Err(e),
    }
}

async fn edit_form(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
) -> Result<Response, AppError> {
    let network = store::editable(&state.db, &p, id).await?;
    let action = format!("/redes/{id}");
    state.render(
        &ctx,
        "networks/form.html",
        form_context(
            &NetworkInput::from(&network),
            &FieldErrors::new(),
            &action,
            "networks-editar-red",
        ),
    )
}

async fn update(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
    Form(input): Form<NetworkInput>,
) -> Result<Response, AppError> {
    let action = format!("/redes/{id}");
    match store::edit(&state.db, &p, id, &input).await {
        Ok(()) => Ok(Redirect::to(&action).into_response()),
        Err(AppError::Validation(errors)) => {
            form_again(&state, &ctx, &input, errors, &action, "networks-editar-red")
        }
        Err(e) => Err(e),
    }
}

async fn archive(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
) -> Result<Response, AppError> {
    store::toggle_archived(&state.db, &p, id).await?;
    Ok(Redirect::to(&format!("/redes/{id}")).into_response())
}

#[derive(Deserialize, serde::Serialize)]
struct AddSchoolForm {
    /// Official code typed by hand, or
    #[serde(default)]
    official_code: String,
    /// a school chosen from the search results.
    #[serde(default)]
    school_id: Option<SchoolId>,
}

async fn add_school(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
    Form(form): Form<AddSchoolForm>,
) -> Result<Response, AppError> {
    let errors = crate::limits::check(&form);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let choice = match form.school_id {
        Some(school_id) => SchoolChoice::Id(school_id),
        None => SchoolChoice::Code(&form.official_code),
    };
    store::add_school(&state.db, &p, id, choice).await?;
    Ok(Redirect::to(&format!("/redes/{id}#escuelas")).into_response())
}

async fn remove_school(
    User(p, _): User,
    State(state): State<AppState>,
    Path((id, school_id)): Path<(NetworkId, SchoolId)>,
) -> Result<Response, AppError> {
    store::remove_member(&state.db, &p, id, school_id).await?;
    Ok(Redirect::to(&format!("/redes/{id}#escuelas")).into_response())
}

#[derive(Deserialize)]
struct ActivityForm {
    year: String,
    #[serde(default)]
    active: String,
}

async fn set_activity(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
    Form(form): Form<ActivityForm>,
) -> Result<Response, AppError> {
    store::record_activity(&state.db, &p, id, &form.year, form.active == "1").await?;
    Ok(Redirect::to(&format!("/redes/{id}#censo")).into_response())
}

/// Adds a person to the network by username or e-mail; a problem is shown
/// next to its field, on the network's page, with what was typed.
async fn invite(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<NetworkId>,
    Form(input): Form<InviteInput>,
) -> Result<Response, AppError> {
    match crate::people::store::invite_to_network(&state.db, &p, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/redes/{id}#personas")).into_response()),
        Err(AppError::Validation(errors)) => {
            let invite = Invitation {
                input: &input,
                errors: &errors,
            };
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            show_detail(&state, &ctx, &p, id, "", invite, status).await
        }
        Err(e) => Err(e),
    }
}
