//! The per-request context: who is signed in (session cookie or bearer
//! token), the CSRF token, and the interface language. One middleware builds
//! it and rejects state-changing requests whose CSRF token does not match.

use axum::body::{to_bytes, Body};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};

use super::policy::Principal;
use super::{random_token, token_hash, CSRF_COOKIE, SESSION_COOKIE};
use crate::error::AppError;
use crate::layout::Lang;
use crate::AppState;

/// What every handler may know about the request.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub principal: Option<Principal>,
    pub csrf: String,
    pub lang: Lang,
    pub path: String,
    /// Served over HTTPS (directly or behind a proxy that says so): cookies
    /// are marked `Secure`.
    pub secure: bool,
    /// Signed in with an API token rather than a browser session.
    pub via_token: bool,
}

/// A handler argument that requires a signed-in person.
pub struct User(pub Principal, pub Ctx);

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("context middleware missing")))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for User {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        match ctx.principal.clone() {
            Some(p) => Ok(User(p, ctx)),
            None => Err(AppError::Unauthorized),
        }
    }
}

/// Builds the `Ctx`, enforces CSRF on unsafe methods, and sets the CSRF
/// cookie the first time a browser visits.
pub async fn context_layer(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let jar = CookieJar::from_headers(request.headers());
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_string);
    let principal = match load_principal(&state, &jar, bearer.as_deref()).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    if bearer.is_some() && principal.is_none() {
        return AppError::Unauthorized.into_response();
    }
    let existing_csrf = jar.get(CSRF_COOKIE).map(|c| c.value().to_string());
    // Signed in through a session, the CSRF token is derived from it: bound
    // to that session and new at every login. Before login, a random token
    // in a cookie protects the login form itself.
    let session = jar.get(SESSION_COOKIE).map(|c| c.value().to_string());
    let csrf = match (&principal, &session, &bearer) {
        (Some(_), Some(token), None) => csrf_for_session(token),
        _ => existing_csrf.clone().unwrap_or_else(random_token),
    };
    let lang = Lang::from_cookie(jar.get("lang").map(|c| c.value()));
    let path = request.uri().path().to_string();
    let secure = state.config.secure_cookies || crate::web::is_https(request.headers());

    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    // Bearer-token calls carry no ambient credentials, and an anonymous JSON
    // call (token exchange) cannot be forged cross-site without a CORS
    // preflight; everything else that changes state must prove its origin.
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| {
            v.starts_with("application/x-www-form-urlencoded")
                || v.starts_with("multipart/")
                || v.starts_with("text/plain")
        });
    let needs_csrf = unsafe_method && bearer.is_none() && (session.is_some() || is_form);
    let request = if needs_csrf {
        if cross_site(request.headers()) {
            return AppError::Denied("common-solicitud-rechazada-viene-otro-sitio-use".into())
                .into_response();
        }
        match check_csrf(request, &csrf).await {
            Ok(r) => r,
            Err(e) => return e.into_response(),
        }
    } else {
        request
    };

    let mut request = request;
    let ctx = Ctx {
        principal,
        csrf: csrf.clone(),
        lang,
        path,
        secure,
        via_token: bearer.is_some(),
    };
    request.extensions_mut().insert(ctx.clone());
    let mut response = next.run(request).await;
    // The error renderer (outside this layer) shows the page header with the
    // signed-in person.
    response.extensions_mut().insert(ctx);
    // Login and logout set their own CSRF cookie.
    let handled = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.as_bytes().starts_with(CSRF_COOKIE.as_bytes()));
    if existing_csrf.as_deref() == Some(csrf.as_str()) || handled {
        return response;
    }
    let cookie = Cookie::build((CSRF_COOKIE, csrf))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build();
    (CookieJar::new().add(cookie), response).into_response()
}

/// The CSRF token of a session: a hash of its secret token, so it needs
/// no storage, cannot be guessed without the session, and changes with it.
pub fn csrf_for_session(session_token: &str) -> String {
    token_hash(&format!("csrf:{session_token}"))
}

/// True when the browser says the request was made by another site
/// (`Sec-Fetch-Site`, or an `Origin` other than this host). Clients that
/// send neither (older browsers, scripts) still need the CSRF token.
fn cross_site(headers: &axum::http::HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = text("origin") else {
        return false;
    };
    // Behind a proxy that rewrites Host, the public host it forwards.
    let host = text("x-forwarded-host")
        .or_else(|| text("host"))
        .unwrap_or("");
    let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
    origin == "null" || origin_host != host
}

/// The token in the form field `_csrf` (or the `X-CSRF-Token` header) must
/// equal the expected one: the session's, or before login the cookie's.
async fn check_csrf(request: Request, expected: &str) -> Result<Request, AppError> {
    let refused =
        || AppError::BadRequest("common-sesion-formulario-expiro-csrf-recargue-pagina".into());
    let cookie = expected;
    if let Some(h) = request.headers().get("x-csrf-token") {
        return if h.as_bytes() == cookie.as_bytes() {
            Ok(request)
        } else {
            Err(refused())
        };
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    // A form with a file (a meeting's document) carries the token as a part.
    let is_multipart = content_type.starts_with("multipart/form-data");
    if !is_form && !is_multipart {
        return Err(refused());
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, crate::MAX_BODY_BYTES)
        .await
        .map_err(|_| AppError::TooLarge)?;
    let token = if is_multipart {
        crate::web::multipart(&content_type, &bytes)
            .and_then(|all| all.into_iter().find(|p| p.name == "_csrf"))
            .and_then(|p| String::from_utf8(p.data).ok())
    } else {
        form_urlencoded::parse(&bytes)
            .find(|(k, _)| k == "_csrf")
            .map(|(_, v)| v.into_owned())
    };
    if token.as_deref() != Some(cookie) {
        return Err(refused());
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// The signed-in person of a session cookie or API token. Remembered
/// until the next committed write (`Db::remember`), since every page asks
/// and most requests write nothing; the expiry is checked on every use.
async fn load_principal(
    state: &AppState,
    jar: &CookieJar,
    bearer: Option<&str>,
) -> Result<Option<Principal>, AppError> {
    let (kind, token) = match (bearer, jar.get(SESSION_COOKIE)) {
        (Some(token), _) => (Credential::Token, token),
        (None, Some(cookie)) => (Credential::Session, cookie.value()),
        (None, None) => return Ok(None),
    };
    let key = format!("principal:{kind:?}:{}", token_hash(token));
    let found: Option<(Principal, String)> = state
        .db
        .remember(key, || async {
            let owner = match kind {
                Credential::Token => super::store::token_owner(&state.db, token).await?,
                Credential::Session => super::store::session_owner(&state.db, token).await?,
            };
            let Some((person_id, expires_at)) = owner else {
                return Ok::<_, AppError>(None);
            };
            let principal = super::store::principal(&state.db, person_id).await?;
            Ok(principal.map(|p| (p, expires_at)))
        })
        .await?;
    let principal = found
        .filter(|(_, expires_at)| expires_at.as_str() > crate::db::now().as_str())
        .map(|(p, _)| p);
    if let Some(p) = &principal {
        tracing::Span::current().record("user", p.person_id.0);
    }
    Ok(principal)
}

#[derive(Debug, Clone, Copy)]
enum Credential {
    Session,
    Token,
}
