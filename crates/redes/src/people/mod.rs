//! People, accounts and memberships (role × scope × dates).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::context;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use crate::auth::policy::Role;
use crate::auth::{hash_password, User};
use crate::db::{now, today};
use crate::error::{is_unique_violation, AppError, FieldErrors};
use crate::sql::{contains_pattern, fold, Sql};
use crate::AppState;

pub const TEMPLATES: &[(&str, &str)] = &[
    ("people/list.html", include_str!("templates/list.html")),
    ("people/detail.html", include_str!("templates/detail.html")),
    ("people/form.html", include_str!("templates/form.html")),
    ("people/edit.html", include_str!("templates/edit.html")),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/personas", get(list).post(create))
        .route("/personas/nueva", get(new_form))
        .route("/personas/{id}", get(detail).post(update))
        .route("/personas/{id}/editar", get(edit_form))
        .route("/personas/{id}/archivar", post(archive))
        .route("/personas/{id}/roles", post(add_membership))
        .route(
            "/personas/{id}/roles/{membership_id}/terminar",
            post(end_membership),
        )
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Person {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub username: Option<String>,
    pub is_admin: i64,
    pub archived: i64,
}

/// A new account: checked input.
pub struct NewPerson {
    pub full_name: String,
    pub email: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub is_admin: bool,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PersonInput {
    pub full_name: String,
    pub email: String,
    pub username: String,
    pub password: String,
}

pub const MIN_PASSWORD: usize = 10;

/// Checks shared by the create and edit forms: a name, a plausible e-mail,
/// and (when one is set) a long enough password.
fn check_person_fields(
    full_name: &str,
    email: &str,
    password: Option<&str>,
    errors: &mut FieldErrors,
) {
    if full_name.trim().is_empty() {
        errors.insert("full_name".into(), "el nombre es obligatorio".into());
    }
    let email = email.trim();
    if !email.is_empty() && !email.contains('@') {
        errors.insert("email".into(), "el correo no es válido".into());
    }
    if password.is_some_and(|p| p.chars().count() < MIN_PASSWORD) {
        errors.insert(
            "password".into(),
            format!("la contraseña debe tener al menos {MIN_PASSWORD} caracteres"),
        );
    }
}

/// What the people search looks in.
fn search_text(full_name: &str, username: Option<&str>) -> String {
    fold(&format!("{full_name} {}", username.unwrap_or("")))
}

/// Ends every session of a person (new password, archived account).
/// Signs the person out everywhere: browser sessions and API tokens end
/// (on a new password, on archiving).
async fn end_sessions(conn: &mut AnyConnection, person_id: i64) -> Result<(), AppError> {
    for table in ["sessions", "api_tokens"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE person_id = $1"))
            .bind(person_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

impl PersonInput {
    pub fn parse(&self) -> Result<NewPerson, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let full_name = self.full_name.trim().to_string();
        let username = self.username.trim().to_lowercase();
        if !username.is_empty()
            && !username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c))
        {
            errors.insert(
                "username".into(),
                "use solo letras sin tilde, números, punto, guion o guion bajo".into(),
            );
        }
        // An account (a username) needs a password; a person without one does not.
        let password = (!username.is_empty()).then_some(self.password.as_str());
        check_person_fields(&full_name, &self.email, password, &mut errors);
        let email = self.email.trim().to_string();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewPerson {
            full_name,
            email,
            username: Some(username).filter(|u| !u.is_empty()),
            password: Some(self.password.clone()).filter(|p| !p.is_empty()),
            is_admin: false,
        })
    }
}

pub async fn insert(conn: &mut AnyConnection, p: &NewPerson) -> Result<i64, AppError> {
    let hash = match &p.password {
        Some(pw) => Some(hash_password(pw)?),
        None => None,
    };
    let at = now();
    sqlx::query_scalar(
        "INSERT INTO people (full_name, email, username, password_hash, is_admin, search_text, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(&p.full_name)
    .bind(&p.email)
    .bind(&p.username)
    .bind(hash)
    .bind(p.is_admin as i64)
    .bind(search_text(&p.full_name, p.username.as_deref()))
    .bind(at)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            AppError::field("username", format!("el usuario «{}» ya existe", p.username.as_deref().unwrap_or("")))
        } else {
            e.into()
        }
    })
}

/// A role to grant: scope given by kind and by name (region/province) or id.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct MembershipInput {
    pub role: String,
    pub country: String,
    /// Region or province name for territorial scopes.
    pub scope_name: String,
    /// School official code for school scopes.
    pub school_code: String,
    pub network_id: String,
    pub starts_on: String,
}

/// Grants a role in the scope kind the role normally has.
pub async fn grant(
    conn: &mut AnyConnection,
    person_id: i64,
    m: &MembershipInput,
) -> Result<(), AppError> {
    let role = Role::parse(&m.role).ok_or_else(|| AppError::field("role", "rol desconocido"))?;
    grant_with_kind(conn, person_id, m, role.scope_kind()).await
}

/// Grants a role in an explicit scope kind (e.g. a district secretariat
/// whose territory is a municipality).
pub async fn grant_with_kind(
    conn: &mut AnyConnection,
    person_id: i64,
    m: &MembershipInput,
    kind: &str,
) -> Result<(), AppError> {
    let role = Role::parse(&m.role).ok_or_else(|| AppError::field("role", "rol desconocido"))?;
    let errors = crate::limits::check(m);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let country = m.country.trim().to_lowercase();
    let (school_id, network_id) = match kind {
        "school" => {
            let code = m.school_code.trim().to_uppercase();
            let id = crate::schools::store::id_by_code(conn, &country, &code).await?;
            let id = id.ok_or_else(|| {
                AppError::field(
                    "school_code",
                    "no existe una escuela con ese código en ese país",
                )
            })?;
            (Some(id), None)
        }
        "network" => {
            let id: i64 = m
                .network_id
                .trim()
                .parse()
                .map_err(|_| AppError::field("network_id", "indique el número de la red"))?;
            let found: Option<i64> = sqlx::query_scalar("SELECT id FROM networks WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?;
            found.ok_or_else(|| AppError::field("network_id", "no existe esa red"))?;
            (None, Some(id))
        }
        "region" | "province" if m.scope_name.trim().is_empty() => {
            return Err(AppError::field(
                "scope_name",
                "indique la región o provincia del rol",
            ));
        }
        _ => (None, None),
    };
    let starts_on = if m.starts_on.trim().is_empty() {
        today()
    } else {
        m.starts_on.trim().to_string()
    };
    sqlx::query(
        "INSERT INTO memberships (person_id, role, scope_kind, country, scope_name, school_id, network_id, starts_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(person_id)
    .bind(role.key())
    .bind(kind)
    .bind(country)
    .bind(m.scope_name.trim())
    .bind(school_id)
    .bind(network_id)
    .bind(starts_on)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    q: String,
    #[serde(deserialize_with = "crate::sql::flag")]
    archived: bool,
    pagina: Option<i64>,
}

const PAGE_SIZE: i64 = 50;

async fn list(
    User(p, ctx): User,
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    if !p.can_manage_people() {
        return Err(AppError::Forbidden);
    }
    let filter = |sql: &mut Sql| {
        if !q.archived {
            sql.push(" AND archived = 0");
        }
        if !q.q.trim().is_empty() {
            sql.push(" AND search_text LIKE ")
                .text(contains_pattern(&q.q))
                .push(" ESCAPE '\\'");
        }
    };
    crate::limits::search("q", &q.q)?;
    let mut count = Sql::new("SELECT COUNT(*) FROM people WHERE 1 = 1");
    filter(&mut count);
    let total: i64 = count.query_scalar().fetch_one(&state.db.pool).await?;
    let page = crate::limits::page(q.pagina);
    let mut sql = Sql::new(
        "SELECT id, full_name, email, username, is_admin, archived FROM people WHERE 1 = 1",
    );
    filter(&mut sql);
    sql.push(" ORDER BY full_name, id LIMIT ")
        .int(PAGE_SIZE)
        .push(" OFFSET ")
        .int((page - 1) * PAGE_SIZE);
    let people: Vec<Person> = sql.query_as().fetch_all(&state.db.pool).await?;
    let base = format!(
        "/personas?q={}&archived={}",
        crate::layout::urlencode(&q.q),
        q.archived
    );
    state.render(
        &ctx,
        "people/list.html",
        context! {
            people, q => q.q, archived => q.archived, total, page, base,
            pages => (total + PAGE_SIZE - 1) / PAGE_SIZE,
        },
    )
}

fn roles() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.key(), r.label())).collect()
}

async fn new_form(User(p, ctx): User, State(state): State<AppState>) -> Result<Response, AppError> {
    if !p.can_manage_people() {
        return Err(AppError::Forbidden);
    }
    state.render(
        &ctx,
        "people/form.html",
        context! { input => PersonInput::default(), errors => FieldErrors::new() },
    )
}

async fn create(
    User(p, ctx): User,
    State(state): State<AppState>,
    Form(input): Form<PersonInput>,
) -> Result<Response, AppError> {
    if !p.can_manage_people() {
        return Err(AppError::Forbidden);
    }
    let again = |errors: FieldErrors| {
        // The password is never sent back to the browser.
        let shown = input_without_password(&input);
        state.render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ctx,
            "people/form.html",
            context! { input => shown, errors },
        )
    };
    let person = match input.parse() {
        Ok(person) => person,
        Err(errors) => return again(errors),
    };
    let mut w = state.db.write().await?;
    match insert(&mut w, &person).await {
        Ok(id) => {
            w.commit().await?;
            Ok(Redirect::to(&format!("/personas/{id}")).into_response())
        }
        Err(AppError::Validation(errors)) => again(errors),
        Err(e) => Err(e),
    }
}

fn input_without_password(i: &PersonInput) -> PersonInput {
    PersonInput {
        full_name: i.full_name.clone(),
        email: i.email.clone(),
        username: i.username.clone(),
        password: String::new(),
    }
}

#[derive(Debug, Serialize, sqlx::FromRow)]
struct MembershipRow {
    id: i64,
    role: String,
    scope_kind: String,
    country: String,
    scope_name: String,
    school_name: Option<String>,
    network_name: Option<String>,
    starts_on: String,
    ends_on: Option<String>,
}

async fn detail(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    if !p.can_manage_people() && p.person_id != id {
        return Err(AppError::Forbidden);
    }
    let person = get_person(&state, id).await?;
    let rows: Vec<MembershipRow> = sqlx::query_as(
        "SELECT m.id, m.role, m.scope_kind, m.country, m.scope_name, s.name AS school_name, n.name AS network_name, m.starts_on, m.ends_on
         FROM memberships m LEFT JOIN schools s ON s.id = m.school_id LEFT JOIN networks n ON n.id = m.network_id
         WHERE m.person_id = $1 ORDER BY m.starts_on",
    )
    .bind(id)
    .fetch_all(&state.db.pool)
    .await?;
    let memberships: Vec<_> = rows
        .iter()
        .map(|m| context! { role_label => Role::parse(&m.role).map(Role::label), ..minijinja::Value::from_serialize(m) })
        .collect();
    state.render(&ctx, "people/detail.html", context! {
        person, memberships, roles => roles(), can_manage => p.can_manage_people(), errors => FieldErrors::new(),
        input => MembershipInput { country: "cl".into(), ..Default::default() },
    })
}

async fn add_membership(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(input): Form<MembershipInput>,
) -> Result<Response, AppError> {
    if !p.can_manage_people() {
        return Err(AppError::Forbidden);
    }
    let mut w = state.db.write().await?;
    grant(&mut w, id, &input).await?;
    w.commit().await?;
    Ok(Redirect::to(&format!("/personas/{id}")).into_response())
}

async fn end_membership(
    User(p, _): User,
    State(state): State<AppState>,
    Path((id, membership_id)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    if !p.can_manage_people() {
        return Err(AppError::Forbidden);
    }
    let mut w = state.db.write().await?;
    sqlx::query(
        "UPDATE memberships SET ends_on = $1 WHERE id = $2 AND person_id = $3 AND ends_on IS NULL",
    )
    .bind(today())
    .bind(membership_id)
    .bind(id)
    .execute(&mut *w)
    .await?;
    w.commit().await?;
    Ok(Redirect::to(&format!("/personas/{id}")).into_response())
}

async fn get_person(state: &AppState, id: i64) -> Result<Person, AppError> {
    sqlx::query_as(
        "SELECT id, full_name, email, username, is_admin, archived FROM people WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// What an administrator may change on an account; a new password is optional.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
struct PersonEdit {
    full_name: String,
    email: String,
    password: String,
}

impl PersonEdit {
    fn check(&self) -> FieldErrors {
        let mut errors = crate::limits::check(self);
        // An empty password field keeps the current password.
        let password = (!self.password.is_empty()).then_some(self.password.as_str());
        check_person_fields(&self.full_name, &self.email, password, &mut errors);
        errors
    }
}

async fn edit_form(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    if !p.can_manage_people() {
        return Err(AppError::Forbidden);
    }
    let person = get_person(&state, id).await?;
    let input = PersonEdit {
        full_name: person.full_name.clone(),
        email: person.email.clone(),
        password: String::new(),
    };
    state.render(
        &ctx,
        "people/edit.html",
        context! { person, input, errors => FieldErrors::new() },
    )
}

async fn update(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(input): Form<PersonEdit>,
) -> Result<Response, AppError> {
    if !p.can_manage_people() {
        return Err(AppError::Forbidden);
    }
    let person = get_person(&state, id).await?;
    let errors = input.check();
    if !errors.is_empty() {
        // The password is never sent back to the browser.
        let shown = PersonEdit {
            password: String::new(),
            ..input
        };
        return state.render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ctx,
            "people/edit.html",
            context! { person, input => shown, errors },
        );
    }
    let full_name = input.full_name.trim();
    let mut tx = state.db.write().await?;
    sqlx::query("UPDATE people SET full_name = $1, email = $2, search_text = $3, updated_at = $4 WHERE id = $5")
        .bind(full_name)
        .bind(input.email.trim())
        .bind(search_text(full_name, person.username.as_deref()))
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if !input.password.is_empty() {
        sqlx::query("UPDATE people SET password_hash = $1 WHERE id = $2")
            .bind(hash_password(&input.password)?)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        // A new password signs the person out everywhere.
        end_sessions(&mut tx, id).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/personas/{id}")).into_response())
}

/// Archives (or restores) a person: an archived person cannot sign in and
/// their sessions end; their history stays.
async fn archive(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    if !p.can_manage_people() {
        return Err(AppError::Forbidden);
    }
    if id == p.person_id {
        return Err(AppError::BadRequest(
            "no puede archivar su propia cuenta".into(),
        ));
    }
    let person = get_person(&state, id).await?;
    let mut tx = state.db.write().await?;
    sqlx::query("UPDATE people SET archived = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(person.archived == 0))
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    end_sessions(&mut tx, id).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/personas/{id}")).into_response())
}
