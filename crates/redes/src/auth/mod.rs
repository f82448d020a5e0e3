//! Authentication: passwords (argon2), server-side sessions, bearer tokens,
//! CSRF protection and login throttling. Authorization lives in `policy`.

pub mod policy;
mod session;
mod throttle;

pub use session::{context_layer, Ctx, User};
pub use throttle::Throttle;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use minijinja::context;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::AppState;

pub const SESSION_COOKIE: &str = "redes_session";
pub const CSRF_COOKIE: &str = "redes_csrf";
const SESSION_DAYS: i64 = 14;

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash password: {e}"))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A random URL-safe token (session ids, CSRF tokens, API tokens).
pub fn random_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

/// Sessions and API tokens are stored hashed, so a leaked database does not
/// hand out live credentials.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
}

#[derive(Deserialize, Default)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(
    ctx: Ctx,
    State(state): State<AppState>,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    state.render(
        &ctx,
        "login.html",
        context! { next => safe_next(q.next.as_deref()), username => "" },
    )
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

async fn login(
    ctx: Ctx,
    State(state): State<AppState>,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let username = form.username.trim().to_lowercase();
    let next = safe_next(form.next.as_deref());
    let again = |message: &str| {
        state.render_status(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            &ctx,
            "login.html",
            context! { next => next.clone(), username => username.clone(), error => message },
        )
    };
    if let Err(wait) = state.throttle.check(&username) {
        let minutes = wait.as_secs().div_ceil(60);
        return again(&format!(
            "Demasiados intentos fallidos. Espere {minutes} minutos e intente de nuevo."
        ));
    }
    let row: Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT id, password_hash FROM people WHERE username = $1 AND archived = 0")
            .bind(&username)
            .fetch_optional(&state.db.pool)
            .await?;
    let person_id = match row {
        Some((id, Some(hash))) if verify_password(&form.password, &hash) => id,
        _ => {
            state.throttle.fail(&username);
            return again("Usuario o contraseña incorrectos.");
        }
    };
    state.throttle.clear(&username);
    let token = create_session(&state, person_id).await?;
    let cookie = Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(ctx.secure)
        .build();
    Ok((jar.add(cookie), Redirect::to(&next)).into_response())
}

pub async fn create_session(state: &AppState, person_id: i64) -> Result<String, AppError> {
    let token = random_token();
    let expires = (time::OffsetDateTime::now_utc() + time::Duration::days(SESSION_DAYS))
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| anyhow::anyhow!(e))?;
    // Expired sessions are never accepted; forget them as new ones start.
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(crate::db::now())
        .execute(&state.db.pool)
        .await?;
    sqlx::query("INSERT INTO sessions (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash(&token))
        .bind(person_id)
        .bind(crate::db::now())
        .bind(expires)
        .execute(&state.db.pool)
        .await?;
    Ok(token)
}

async fn logout(State(state): State<AppState>, jar: CookieJar) -> Result<Response, AppError> {
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(cookie.value()))
            .execute(&state.db.pool)
            .await?;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok((jar, Redirect::to("/")).into_response())
}

/// Where to go after login or a language switch: only a path on this
/// site. Browsers drop tabs and new lines from URLs and read `\` as `/`, so
/// `/\t/host` or `/\\host` would leave the site; anything with such
/// characters, or that does not parse as a plain path, goes home instead.
pub fn safe_next(next: Option<&str>) -> String {
    let home = || "/".to_string();
    let Some(next) = next else { return home() };
    let plain = next.starts_with('/')
        && !next.starts_with("//")
        && !next
            .chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace());
    if !plain {
        return home();
    }
    match next.parse::<axum::http::uri::PathAndQuery>() {
        Ok(pq) if pq.path().starts_with('/') && !pq.path().starts_with("//") => next.to_string(),
        _ => home(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("clave-segura-1").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("clave-segura-1", &hash));
        assert!(!verify_password("clave-segura-2", &hash));
    }

    #[test]
    fn login_redirects_only_to_local_paths() {
        assert_eq!(safe_next(Some("/redes/3")), "/redes/3");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/escuelas?q=a%20b")), "/escuelas?q=a%20b");
    }

    #[test]
    fn characters_browsers_drop_or_turn_into_slashes_do_not_leave_the_site() {
        for next in [
            "/\t/host/x",
            "/\thost/x",
            "/\\host/x",
            "/\n/host",
            "/\r//host",
            " //host",
            "/ /host",
            "\\\\host",
            "/\u{0}/host",
        ] {
            assert_eq!(safe_next(Some(next)), "/", "{next:?}");
        }
    }
}
