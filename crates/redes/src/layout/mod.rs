//! Page layout: the template environment, the language switch, static
//! assets, the home page and the rendering of errors as pages or JSON.

mod home;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use minijinja::{context, Environment, State as TplState, Value};
use serde::Deserialize;

use crate::auth::Ctx;
use crate::error::{AppError, ErrorInfo};
use crate::module::{Module, StaticFile};
use crate::AppState;

/// Interface language: Spanish by default, English as a second language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Es,
    En,
}

impl Lang {
    pub fn from_cookie(value: Option<&str>) -> Lang {
        match value {
            Some("en") => Lang::En,
            _ => Lang::Es,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }
}

/// Spanish text → English text: the core's `en.json` and every module's
/// own. Templates are written in Spanish and call `t("...")`; a missing
/// entry falls back to the Spanish (a test lists them).
#[derive(Debug, Default)]
pub struct English(HashMap<String, String>);

impl English {
    pub fn of(modules: &[&Module]) -> English {
        let mut map: HashMap<String, String> =
            serde_json::from_str(include_str!("en.json")).expect("layout/en.json is valid");
        for m in modules {
            let own: HashMap<String, String> = serde_json::from_str(m.english)
                .unwrap_or_else(|e| panic!("{}/en.json: {e}", m.name));
            map.extend(own);
        }
        English(map)
    }

    pub fn translate(&self, lang: Lang, spanish: &str) -> String {
        match lang {
            Lang::Es => spanish.to_string(),
            Lang::En => self
                .0
                .get(spanish)
                .cloned()
                .unwrap_or_else(|| spanish.to_string()),
        }
    }

    pub fn has(&self, spanish: &str) -> bool {
        self.0.contains_key(spanish)
    }
}

/// The core's own templates (page frame, home, errors, sign-in, tokens).
const CORE_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("macros.html", include_str!("templates/macros.html")),
    ("home.html", include_str!("templates/home.html")),
    ("error.html", include_str!("templates/error.html")),
    ("login.html", include_str!("templates/login.html")),
    (
        "auth/tokens.html",
        include_str!("../auth/templates/tokens.html"),
    ),
];

/// The page's language, as the layout put it in the context.
fn lang_of(state: &TplState) -> Lang {
    let lang = state.lookup("lang");
    Lang::from_cookie(lang.as_ref().and_then(|v| v.as_str()))
}

/// Every template of the core and of the modules, by name.
fn all_templates(modules: &[&Module]) -> Vec<(&'static str, &'static str)> {
    let mut all = CORE_TEMPLATES.to_vec();
    for m in modules {
        all.extend_from_slice(m.templates);
    }
    all
}

/// The template environment of the core and the given modules, compiled once.
pub fn environment(modules: &[&Module]) -> Environment<'static> {
    let mut env = Environment::new();
    for (name, source) in all_templates(modules) {
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("template {name}: {e}"));
    }
    let english = Arc::new(English::of(modules));
    let counted = english.clone();
    env.add_function("t", move |state: &TplState, spanish: &str| {
        english.translate(lang_of(state), spanish)
    });
    // A count with its noun: `tn("red", "redes", n)` is "1 red", "3 redes"
    // ("1 network", "3 networks"): Spanish and English both take the
    // singular for exactly one.
    env.add_function(
        "tn",
        move |state: &TplState, one: &str, other: &str, n: i64| {
            let noun = if n == 1 { one } else { other };
            format!("{n} {}", counted.translate(lang_of(state), noun))
        },
    );
    env.add_function("limit", |field: &str| crate::limits::max_chars(field));
    // `asset("app.css")` → `/static/app.css?v=<hash of its content>`: the
    // browser may keep it for a year, since a new version has a new name.
    let assets: HashMap<&'static str, String> = static_files(modules)
        .map(|f| {
            (
                f.name,
                format!("/static/{}?v={}", f.name, fingerprint(f.body)),
            )
        })
        .collect();
    // Our own URL, not the visitor's text: written as it is, not escaped.
    env.add_function("asset", move |name: &str| {
        assets
            .get(name)
            .cloned()
            .map(Value::from_safe_string)
            .ok_or_else(|| {
                minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("no static file {name}"),
                )
            })
    });
    env.add_filter("paragraphs", paragraphs);
    env
}

/// Splits stored multi-line text into paragraphs and bullet lists ("- "
/// lines, as the seeds write them) for display.
fn paragraphs(text: &str) -> Value {
    let mut blocks: Vec<(bool, Vec<String>)> = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line.strip_prefix("- ") {
            Some(item) => match blocks.last_mut() {
                Some((true, items)) => items.push(item.to_string()),
                _ => blocks.push((true, vec![item.to_string()])),
            },
            None => blocks.push((false, vec![line.to_string()])),
        }
    }
    let blocks: Vec<Value> = blocks
        .into_iter()
        .map(|(list, items)| context! { list => list, items => items })
        .collect();
    Value::from(blocks)
}

impl AppState {
    pub fn render(&self, ctx: &Ctx, name: &str, extra: Value) -> Result<Response, AppError> {
        self.render_status(StatusCode::OK, ctx, name, extra)
    }

    pub fn render_status(
        &self,
        status: StatusCode,
        ctx: &Ctx,
        name: &str,
        extra: Value,
    ) -> Result<Response, AppError> {
        let html = render_html(&self.templates, self.modules, ctx, name, extra)?;
        Ok((status, Html(html)).into_response())
    }
}

fn render_html(
    env: &Environment<'static>,
    modules: &[&Module],
    ctx: &Ctx,
    name: &str,
    extra: Value,
) -> Result<String, AppError> {
    let principal = ctx.principal.as_ref();
    let user = principal.map(|p| {
        context! {
            name => p.full_name,
            roles => p.role_labels(),
        }
    });
    let navigation: Vec<Value> = modules
        .iter()
        .flat_map(|m| m.navigation)
        .filter(|entry| (entry.visible)(principal))
        .map(|entry| context! { href => entry.href, label => entry.label })
        .collect();
    let base = context! {
        lang => ctx.lang.code(),
        csrf => ctx.csrf,
        path => ctx.path,
        user => user,
        navigation => navigation,
    };
    env.get_template(name)
        .and_then(|tpl| tpl.render(context! { ..extra, ..base }))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("template {name}: {e:#}")))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/idioma/{code}", get(switch_language))
        .route("/static/{file}", get(static_file))
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Sets the language cookie and returns to the page the person was on.
async fn switch_language(
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
    jar: CookieJar,
) -> Response {
    let lang = if code == "en" { "en" } else { "es" };
    let next = crate::auth::safe_next(q.next.as_deref());
    let cookie = Cookie::build(("lang", lang))
        .path("/")
        .max_age(time::Duration::days(365))
        .secure(ctx.secure)
        .build();
    (jar.add(cookie), Redirect::to(&next)).into_response()
}

/// The core's own static files; modules add theirs in their `Module`.
const CORE_STATIC: &[StaticFile] = &[
    StaticFile {
        name: "app.css",
        body: include_bytes!("static/app.css"),
        content_type: "text/css; charset=utf-8",
    },
    StaticFile {
        name: "app.js",
        body: include_bytes!("static/app.js"),
        content_type: "text/javascript; charset=utf-8",
    },
    StaticFile {
        name: "favicon.svg",
        body: include_bytes!("static/favicon.svg"),
        content_type: "image/svg+xml",
    },
];

/// Every static file: the core's and each module's.
fn static_files<'a>(modules: &'a [&'a Module]) -> impl Iterator<Item = &'static StaticFile> + 'a {
    CORE_STATIC
        .iter()
        .chain(modules.iter().flat_map(|m| m.static_files))
}

/// The first 12 hex digits of the SHA-256 of a file: its version in URLs.
fn fingerprint(body: &[u8]) -> String {
    crate::auth::token_hash_bytes(body)[..12].to_string()
}

#[derive(Deserialize)]
struct AssetVersion {
    v: Option<String>,
}

async fn static_file(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(version): Query<AssetVersion>,
) -> Result<Response, AppError> {
    let found = static_files(state.modules)
        .find(|f| f.name == file)
        .ok_or(AppError::NotFound)?;
    // Only a URL naming this very content may be kept for good; any other
    // (an old page's link, a hand-typed one) is checked again soon.
    let cache = if version.v.as_deref() == Some(fingerprint(found.body).as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(found.content_type),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        found.body,
    )
        .into_response())
}

/// Unknown routes get the 404 page (or JSON under /api).
pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// Turns `AppError` responses into an HTML page, a login redirect, or JSON
/// under `/api`. Runs outermost so it also renders CSRF and auth failures.
pub async fn render_errors(
    templates: Arc<Environment<'static>>,
    modules: &'static [&'static Module],
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    let query = request
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let jar = CookieJar::from_headers(request.headers());
    let lang = Lang::from_cookie(jar.get("lang").map(|c| c.value()));
    let response = next.run(request).await;
    let ctx = response.extensions().get::<Ctx>().cloned();
    let status = response.status();
    let info = match response.extensions().get::<ErrorInfo>().cloned() {
        Some(info) => info,
        // Rejections of axum's extractors (an id that is not a number, a
        // bad query string) and of the body limit arrive as plain text:
        // they get the same page, or JSON under /api, as any other error.
        None if (status.is_client_error() || status.is_server_error())
            && response
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_none_or(|v| v.starts_with("text/plain")) =>
        {
            let bytes = axum::body::to_bytes(response.into_body(), 64 * 1024)
                .await
                .unwrap_or_default();
            ErrorInfo {
                message: String::from_utf8_lossy(&bytes).trim().to_string(),
                fields: Default::default(),
            }
        }
        None => return response,
    };
    if path.starts_with("/api/") {
        let body = Json(serde_json::json!({ "error": info.message, "fields": info.fields }));
        return (status, body).into_response();
    }
    if status == StatusCode::UNAUTHORIZED {
        let next = crate::web::urlencode(&format!("{path}{query}"));
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }
    let ctx = ctx.unwrap_or(Ctx {
        principal: None,
        csrf: String::new(),
        lang,
        path,
        secure: false,
        via_token: false,
    });
    let title = match status {
        StatusCode::NOT_FOUND => "Página no encontrada",
        StatusCode::FORBIDDEN => "No permitido",
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => "Solicitud no válida",
        StatusCode::PAYLOAD_TOO_LARGE => "Envío demasiado grande",
        StatusCode::CONFLICT => "Conflicto",
        _ => "Error",
    };
    let extra = context! { title => title, message => info.message, fields => info.fields, status => status.as_u16() };
    match render_html(&templates, modules, &ctx, "error.html", extra) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, info.message).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses_and_every_spanish_text_has_an_english_entry() {
        let env = environment(crate::MODULES);
        let english = English::of(crate::MODULES);
        let mut missing = Vec::new();
        for (name, source) in all_templates(crate::MODULES) {
            assert!(env.get_template(name).is_ok(), "{name}");
            for (at, _) in source.match_indices("t(\"") {
                // Only the `t` function, not e.g. `select("...")`.
                let before = source[..at].chars().last().unwrap_or(' ');
                if before.is_alphanumeric() || before == '_' || before == '.' {
                    continue;
                }
                let rest = &source[at + 3..];
                let text = rest.split("\")").next().unwrap_or_default();
                if !english.has(text) {
                    missing.push(format!("{name}: {text}"));
                }
            }
            // Both nouns of every count: tn("red", "redes", n).
            for (at, _) in source.match_indices("tn(\"") {
                for noun in source[at + 3..].split(", ").take(2) {
                    let noun = noun.trim_matches('"');
                    if !english.has(noun) {
                        missing.push(format!("{name}: {noun}"));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "missing English for:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn bullet_lines_become_one_list() {
        let blocks = paragraphs("Intro\n- uno\n- dos\nCierre");
        let rendered = format!("{blocks}");
        assert_eq!(blocks.len(), Some(3), "{rendered}");
        assert!(rendered.contains("uno") && rendered.contains("dos"));
        let list = blocks.get_item_by_index(1).unwrap();
        assert_eq!(list.get_attr("items").unwrap().len(), Some(2));
    }

    #[test]
    fn english_falls_back_to_spanish_when_untranslated() {
        let english = English::of(crate::MODULES);
        assert_eq!(english.translate(Lang::En, "Escuelas"), "Schools");
        assert_eq!(english.translate(Lang::Es, "Escuelas"), "Escuelas");
        assert_eq!(
            english.translate(Lang::En, "texto sin traducir"),
            "texto sin traducir"
        );
        // A module's own file: the census page's title.
        assert_eq!(
            english.translate(Lang::En, "Censo de redes activas"),
            "Census of active networks"
        );
    }

    #[test]
    fn every_role_has_english() {
        let english = English::of(crate::MODULES);
        let labels = crate::auth::policy::Role::ALL.map(crate::auth::policy::Role::label);
        let missing: Vec<&str> = labels
            .into_iter()
            .chain(["Administración"])
            .filter(|l| !english.has(l))
            .collect();
        assert!(missing.is_empty(), "missing English for {missing:?}");
    }

    #[test]
    fn every_menu_entry_and_home_card_of_every_module_has_english() {
        let english = English::of(crate::MODULES);
        let texts = crate::MODULES.iter().flat_map(|m| {
            m.navigation
                .iter()
                .map(|n| n.label)
                .chain(m.home_cards.iter().flat_map(|c| [c.title, c.text]))
        });
        let missing: Vec<&str> = texts.filter(|t| !english.has(t)).collect();
        assert!(missing.is_empty(), "missing English for {missing:?}");
    }
}
