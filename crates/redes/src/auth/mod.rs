//! Authentication: passwords (argon2), server-side sessions, bearer tokens,
//! CSRF protection and login throttling. Authorization lives in `policy`.

pub mod api;
pub mod policy;
mod session;
pub mod store;
pub mod throttle;
pub mod tokens;

pub use session::{context_layer, Ctx, User};

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
use crate::ids::PersonId;
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

/// Checked against unknown usernames, so that a wrong username takes as
/// long to refuse as a wrong password and answers do not tell which
/// accounts exist.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("redes-no-such-account").unwrap_or_default())
}

/// Why a sign-in was refused.
pub enum Refusal {
    /// Too many failures: try again after this long.
    Throttled(std::time::Duration),
    WrongCredentials,
}

/// Longest username looked up; longer ones cannot exist.
const MAX_USERNAME: usize = 60;

/// Checks a username and password (login form and token exchange alike),
/// counting failures per account, source and both.
pub async fn authenticate(
    state: &AppState,
    username: &str,
    password: &str,
    source: &str,
) -> Result<Result<PersonId, Refusal>, AppError> {
    let username: String = username.trim().to_lowercase();
    let attempt = throttle::Attempt::new(&username, source);
    let started = match throttle::begin(&state.db, &attempt).await? {
        Ok(started) => started,
        Err(wait) => return Ok(Err(Refusal::Throttled(wait))),
    };
    let row = if username.chars().count() <= MAX_USERNAME {
        store::credentials(&state.db, &username).await?
    } else {
        None
    };
    let (id, hash) = match row {
        Some((id, Some(hash))) => (Some(id), hash),
        _ => (None, dummy_hash().to_string()),
    };
    // Argon2 is slow on purpose: off the async workers.
    let password = password.to_string();
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| anyhow::anyhow!(e))?;
    match id {
        Some(id) if matches => {
            throttle::succeeded(&state.db, &attempt, started).await?;
            Ok(Ok(id))
        }
        // The failure was counted when the attempt began.
        _ => Ok(Err(Refusal::WrongCredentials)),
    }
}

/// Handler argument: where the request comes from (see `source_of`).
pub struct Source(pub String);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Source {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0);
        Ok(Source(source_of(&parts.headers, peer)))
    }
}

/// Where a request comes from, for throttling: the peer address, or, when
/// the peer is a reverse proxy on this machine, the address it forwards.
pub fn source_of(headers: &axum::http::HeaderMap, peer: Option<std::net::SocketAddr>) -> String {
    // The last address of the last header line is the one our proxy added
    // (some proxies add a line rather than append to the client's).
    let forwarded = || {
        headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(|v| v.trim().chars().take(64).collect::<String>())
            .filter(|v| !v.is_empty())
    };
    match peer {
        Some(addr) if !addr.ip().is_loopback() => addr.ip().to_string(),
        Some(addr) => forwarded().unwrap_or_else(|| addr.ip().to_string()),
        None => forwarded().unwrap_or_else(|| "unknown".into()),
    }
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
    token_hash_bytes(token.as_bytes())
}

/// The SHA-256 of some bytes, in hex.
pub fn token_hash_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .merge(tokens::routes())
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
    Source(source): Source,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let username = form.username.trim().to_lowercase();
    let next = safe_next(form.next.as_deref());
    let again = |message: &str| {
        let shown: String = username.chars().take(MAX_USERNAME).collect();
        state.render_status(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            &ctx,
            "login.html",
            context! { next => next.clone(), username => shown, error => message },
        )
    };
    let person_id = match authenticate(&state, &username, &form.password, &source).await? {
        Ok(id) => id,
        Err(Refusal::Throttled(wait)) => {
            let minutes = wait.as_secs().div_ceil(60);
            return again(&crate::text::message(
                "common-demasiados-intentos-fallidos-espere-minutos-e",
                &[("minutes", &minutes)],
            ));
        }
        Err(Refusal::WrongCredentials) => return again("ui-usuario-contrasena-incorrectos"),
    };
    let token = create_session(&state, person_id).await?;
    let csrf = session::csrf_for_session(&token);
    let session_cookie = Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(ctx.secure)
        .build();
    // A new CSRF token with the new session: one seen before login is
    // worth nothing after it.
    let csrf_cookie = Cookie::build((CSRF_COOKIE, csrf))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(ctx.secure)
        .build();
    Ok((
        jar.add(session_cookie).add(csrf_cookie),
        Redirect::to(&next),
    )
        .into_response())
}

pub async fn create_session(state: &AppState, person_id: PersonId) -> Result<String, AppError> {
    let token = random_token();
    let expires = (time::OffsetDateTime::now_utc() + time::Duration::days(SESSION_DAYS))
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|e| anyhow::anyhow!(e))?;
    // Expired sessions are never accepted; forget them as new ones start.
    store::insert_session(&state.db, &token, person_id, &expires).await?;
    Ok(token)
}

async fn logout(State(state): State<AppState>, jar: CookieJar) -> Result<Response, AppError> {
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        store::delete_session(&state.db, cookie.value()).await?;
    }
    let jar = jar
        .remove(Cookie::build(SESSION_COOKIE).path("/"))
        .remove(Cookie::build(CSRF_COOKIE).path("/"));
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
