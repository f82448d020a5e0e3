//! The encounter session pages: a plan's sessions (and the form that
//! creates them), a session with its roster, attendance, checklist,
//! observers' records and PEMC changes, and its printable attendance list.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use serde::Deserialize;

use super::model::{
    AttendanceInput, CreateSessionsInput, DutyRole, Mark, PemcInput, Presence, RecordInput,
    PHASES, RECORD_FIELDS,
};
use super::store;
use crate::auth::policy::Principal;
use crate::auth::{Ctx, User};
use crate::error::{AppError, FieldErrors};
use crate::ids::{AttendanceId, ChecklistItemId, MeetingId, PlanId};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/encuentros/{id}/sesiones",
            get(sessions).post(create_sessions),
        )
        .route("/sesiones-encuentro/{id}", get(session))
        .route("/sesiones-encuentro/{id}/asistencia", post(attendance))
        .route(
            "/sesiones-encuentro/{id}/tareas/{duty_id}",
            post(tick),
        )
        .route("/sesiones-encuentro/{id}/observaciones", post(add_record))
        .route("/sesiones-encuentro/{id}/pemc", post(pemc))
        .route("/sesiones-encuentro/{id}/imprimir", get(print))
}

async fn sessions_page(
    state: &AppState,
    ctx: &Ctx,
    p: &Principal,
    id: PlanId,
    input: &CreateSessionsInput,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let plan = store::plan_viewable(&state.db, p, id).await?;
    let sessions = store::of_plan(&state.db, id).await?;
    let may_create = p.can_create_encounter_sessions(plan.territory());
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let by_number: Vec<_> = (1..=3)
        .map(|n| {
            let of_n: Vec<_> = sessions
                .iter()
                .filter(|s| s.session.encounter_session == n)
                .collect();
            context! { number => n, sessions => of_n }
        })
        .collect();
    state.render_status(
        status,
        ctx,
        "encounter_sessions/sessions.html",
        context! {
            plan => context! { id => plan.id, region => plan.region, province => plan.province, zone => plan.zone, approved => plan.approved() },
            created => !sessions.is_empty(), by_number, may_create, input, errors,
        },
    )
}

async fn sessions(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<PlanId>,
) -> Result<Response, AppError> {
    sessions_page(
        &state,
        &ctx,
        &p,
        id,
        &CreateSessionsInput::default(),
        FieldErrors::new(),
    )
    .await
}

async fn create_sessions(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<PlanId>,
    Form(input): Form<CreateSessionsInput>,
) -> Result<Response, AppError> {
    match store::create_sessions(&state.db, &p, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/encuentros/{id}/sesiones")).into_response()),
        Err(AppError::Validation(errors)) => {
            sessions_page(&state, &ctx, &p, id, &input, errors).await
        }
        Err(e) => Err(e),
    }
}

async fn session_page(
    state: &AppState,
    ctx: &Ctx,
    p: &Principal,
    id: MeetingId,
    errors: FieldErrors,
    record: &RecordInput,
    pemc: &PemcInput,
) -> Result<Response, AppError> {
    let loaded = store::viewable(&state.db, p, id).await?;
    let place = loaded.place();
    let s = &loaded.session;
    let roster = store::roster(&state.db, id).await?;
    let coordinator = roster
        .iter()
        .find(|l| !s.coordinator_member.is_empty() && l.plan_member == s.coordinator_member)
        .map(|l| context! { name => l.person_name, role => l.role_label, school => l.school_name });
    let duties = store::duties(&state.db, id).await?;
    let phases: Vec<_> = PHASES
        .iter()
        .map(|(code, label)| {
            let roles: Vec<_> = DutyRole::ALL
                .iter()
                .filter_map(|role| {
                    let items: Vec<_> = duties
                        .iter()
                        .filter(|d| d.phase == *code && d.role == *role)
                        .map(|d| context! { can_tick => p.can_tick_duty(&place, d.role), ..minijinja::Value::from_serialize(d) })
                        .collect();
                    (!items.is_empty()).then(|| context! { label => role.label(), items })
                })
                .collect();
            context! { code, label, roles }
        })
        .collect();
    let can_read_records = p.can_read_observer_records(&place);
    let records = if can_read_records {
        store::records(&state.db, id).await?
    } else {
        Vec::new()
    };
    let changes = store::pemc_changes(&state.db, s, s.encounter_session).await?;
    let (own, earlier): (Vec<_>, Vec<_>) = changes
        .into_iter()
        .partition(|c| c.session == s.encounter_session);
    let schools = store::school_names(&state.db, &loaded.school_ids).await?;
    let pemc_schools: Vec<_> = schools
        .iter()
        .filter(|(school, _)| p.can_record_pemc_change(&place, *school))
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    let (cluster, group) = s.cluster_and_group();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let statuses: Vec<_> = Presence::TAKEN
        .iter()
        .map(|s| (s.code(), s.label()))
        .collect();
    state.render_status(
        status,
        ctx,
        "encounter_sessions/session.html",
        context! {
            session => s, cluster, group, coordinator, roster, statuses, phases,
            present => roster.iter().filter(|l| l.status == Presence::Present).count(),
            can_take => p.can_take_encounter_attendance(&place),
            can_read_records, records, can_write_record => p.can_write_observer_record(&place),
            record_fields => RECORD_FIELDS, record, own, earlier, pemc_schools, pemc, errors,
            plan => context! { id => loaded.plan.id, can_list => p.can_view_encounter_sessions(loaded.plan.territory()) },
        },
    )
}

async fn session(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
) -> Result<Response, AppError> {
    session_page(
        &state,
        &ctx,
        &p,
        id,
        FieldErrors::new(),
        &RecordInput::default(),
        &PemcInput::default(),
    )
    .await
}

/// The attendance form: `a-{line}` = status for each line taken.
async fn attendance(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let mut marks = Vec::new();
    for (name, value) in fields {
        let Some(line) = name.strip_prefix("a-") else {
            continue;
        };
        if value.is_empty() {
            continue;
        }
        let Ok(line) = line.parse::<i64>() else {
            return Err(AppError::field(
                "attendance_id",
                "encounter-sessions-linea-asistencia-invalida",
            ));
        };
        marks.push(Mark {
            attendance_id: AttendanceId(line),
            status: value,
        });
    }
    match store::take_attendance(&state.db, &p, id, &AttendanceInput { marks }).await {
        Ok(_) => Ok(Redirect::to(&format!("/sesiones-encuentro/{id}#asistencia")).into_response()),
        Err(AppError::Validation(errors)) => {
            session_page(
                &state,
                &ctx,
                &p,
                id,
                errors,
                &RecordInput::default(),
                &PemcInput::default(),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct TickForm {
    #[serde(default)]
    done: String,
}

async fn tick(
    User(p, _): User,
    State(state): State<AppState>,
    Path((id, item)): Path<(MeetingId, ChecklistItemId)>,
    Form(form): Form<TickForm>,
) -> Result<Response, AppError> {
    store::tick(&state.db, &p, id, item, form.done != "0").await?;
    Ok(Redirect::to(&format!("/sesiones-encuentro/{id}#tarea-{item}")).into_response())
}

async fn add_record(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
    Form(input): Form<RecordInput>,
) -> Result<Response, AppError> {
    match store::add_record(&state.db, &p, id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/sesiones-encuentro/{id}#observaciones")).into_response()),
        Err(AppError::Validation(errors)) => {
            session_page(&state, &ctx, &p, id, errors, &input, &PemcInput::default()).await
        }
        Err(e) => Err(e),
    }
}

async fn pemc(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
    Form(input): Form<PemcInput>,
) -> Result<Response, AppError> {
    match store::record_pemc_change(&state.db, &p, id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/sesiones-encuentro/{id}#pemc")).into_response()),
        Err(AppError::Validation(errors)) => {
            session_page(&state, &ctx, &p, id, errors, &RecordInput::default(), &input).await
        }
        Err(e) => Err(e),
    }
}

async fn print(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<MeetingId>,
) -> Result<Response, AppError> {
    let loaded = store::viewable(&state.db, &p, id).await?;
    let roster = store::roster(&state.db, id).await?;
    let (cluster, group) = loaded.session.cluster_and_group();
    state.render(
        &ctx,
        "encounter_sessions/print.html",
        context! { session => loaded.session, cluster, group, roster, standalone => false },
    )
}
