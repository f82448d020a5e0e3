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
use fluent_bundle::{FluentArgs, FluentValue};
use minijinja::value::Kwargs;
use minijinja::{context, Environment, State as TplState, Value};
use serde::Deserialize;

use crate::auth::Ctx;
use crate::error::{AppError, ErrorInfo, FieldErrors};
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
    // `t("id")` or `t("id", n=3, name=...)`: the text in the page's
    // language (crate::text); anything that is no id passes through.
    env.add_function(
        "t",
        |state: &TplState, id: &str, kwargs: Kwargs| -> Result<String, minijinja::Error> {
            let lang = lang_of(state);
            let keys: Vec<String> = kwargs.args().map(str::to_string).collect();
            if keys.is_empty() {
                return Ok(crate::text::text(lang, id));
            }
            let mut args = FluentArgs::new();
            for key in keys {
                let value: Value = kwargs.get(&key)?;
                let value = match value.as_i64() {
                    Some(n) => FluentValue::from(n),
                    None => FluentValue::from(value.to_string()),
                };
                args.set(key, value);
            }
            Ok(crate::text::format(lang, id, Some(&args)).unwrap_or_else(|| id.to_string()))
        },
    );
    // `levels|labels`: a comma-separated list of data labels ("básica,media
    // HC"), each in the page's language; `role|labels(" · ")`: labels and
    // data between other separators ("Docente · 3°").
    env.add_filter(
        "labels",
        |state: &TplState, value: &str, separator: Option<&str>| -> String {
            let lang = lang_of(state);
            let (split, join) = match separator {
                Some(s) => (s.trim().to_string(), s.to_string()),
                None => (",".to_string(), ", ".to_string()),
            };
            value
                .split(split.as_str())
                .map(|label| crate::text::text(lang, label.trim()))
                .collect::<Vec<_>>()
                .join(&join)
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
        // The JSON API speaks Spanish, Redes' language, whatever the
        // interface's: its clients store and compare these texts.
        let fields: FieldErrors = info
            .fields
            .iter()
            .map(|(name, problem)| (name.clone(), crate::text::es(problem)))
            .collect();
        let body =
            Json(serde_json::json!({ "error": crate::text::es(&info.message), "fields": fields }));
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
        StatusCode::NOT_FOUND => "ui-pagina-no-encontrada",
        StatusCode::FORBIDDEN => "ui-no-permitido",
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => "ui-solicitud-no-valida",
        StatusCode::PAYLOAD_TOO_LARGE => "ui-envio-demasiado-grande",
        StatusCode::CONFLICT => "ui-conflicto",
        _ => "ui-error",
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

    /// The ids a template names: `t("id"` after something that is not
    /// part of a longer name (`select("...")` is no call of `t`).
    fn named_ids(source: &str) -> Vec<&str> {
        source
            .match_indices("t(\"")
            .filter(|(at, _)| {
                let before = source[..*at].chars().last().unwrap_or(' ');
                !(before.is_alphanumeric() || before == '_' || before == '.')
            })
            .filter_map(|(at, _)| source[at + 3..].split('"').next())
            .collect()
    }

    #[test]
    fn every_template_parses_and_names_only_ids_of_both_languages() {
        let env = environment(crate::MODULES);
        let mut missing = Vec::new();
        for (name, source) in all_templates(crate::MODULES) {
            assert!(env.get_template(name).is_ok(), "{name}");
            for id in named_ids(source) {
                for lang in [Lang::Es, Lang::En] {
                    if !crate::text::has(lang, id) {
                        missing.push(format!("{name}: {id} ({lang:?})"));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "texts missing:\n{}", missing.join("\n"));
    }

    /// The Rust sources that name texts: this crate's and the encounter
    /// planner's (its sentences are `planner-` ids).
    fn all_rust_sources() -> Vec<String> {
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources = rust_sources(&here.join("src"));
        sources.extend(rust_sources(&here.join("../planner/src")));
        sources
    }

    fn rust_sources(dir: &std::path::Path) -> Vec<String> {
        let mut sources = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                sources.extend(rust_sources(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push(std::fs::read_to_string(&path).unwrap());
            }
        }
        sources
    }

    #[test]
    fn every_text_is_used_somewhere() {
        let templates: String = all_templates(crate::MODULES)
            .iter()
            .map(|(_, s)| *s)
            .collect();
        let rust = all_rust_sources();
        let unused: Vec<&str> = crate::text::ids(crate::text::SPANISH)
            .into_iter()
            .filter(|id| !id.starts_with("label-"))
            .filter(|id| {
                let quoted = format!("\"{id}\"");
                !templates.contains(&quoted) && !rust.iter().any(|s| s.contains(&quoted))
            })
            .collect();
        assert!(unused.is_empty(), "texts no page uses: {unused:?}");
    }

    /// The data values the interface shows through `t()`: every level,
    /// dependency and territory level of the country profiles, and the
    /// schools' modalities and shifts.
    fn data_labels() -> Vec<&'static str> {
        let mut labels: Vec<&str> = Vec::new();
        for p in &crate::country::COUNTRIES {
            labels.extend(p.school_levels.iter().copied());
            labels.extend(p.level_choices().iter().map(|c| c.value));
            labels.extend(p.dependencies.iter().copied());
            labels.extend(p.territory_levels);
            labels.extend([p.technical_head, p.school_word]);
        }
        // Roles as meetings' attendance stores them (their Spanish label).
        labels.extend(
            crate::auth::policy::Role::ALL
                .map(|r| &*Box::leak(crate::text::es(r.label()).into_boxed_str())),
        );
        labels.extend(crate::schools::model::MODALITIES);
        labels.extend(crate::encounters::model::SEAT_LABELS);
        labels.extend(
            crate::schools::model::SHIFTS
                .iter()
                .filter(|s| !s.is_empty()),
        );
        labels
    }

    #[test]
    fn every_data_label_reads_in_both_languages_and_every_label_is_data() {
        let labels = data_labels();
        for label in &labels {
            let id = crate::text::label_id(label).unwrap();
            for lang in [Lang::Es, Lang::En] {
                assert!(crate::text::has(lang, &id), "{label}: no {id} ({lang:?})");
            }
            assert_eq!(crate::text::text(Lang::Es, label), *label);
        }
        let ids: Vec<String> = labels
            .iter()
            .filter_map(|l| crate::text::label_id(l))
            .collect();
        for id in crate::text::ids(crate::text::SPANISH) {
            assert!(
                !id.starts_with("label-") || ids.iter().any(|i| i == id),
                "{id} labels no data"
            );
        }
        assert_eq!(
            crate::text::text(Lang::En, "básica primaria"),
            "basic primary"
        );
    }

    /// Every id the Rust code names (a literal such as "people-correo-no-es-valido")
    /// is a message of both languages: a misspelt id would show as itself.
    #[test]
    fn the_rust_code_names_only_ids_of_both_languages() {
        let prefixes: Vec<String> = crate::text::ids(crate::text::SPANISH)
            .iter()
            .filter_map(|id| id.split('-').next())
            .map(|p| format!("\"{p}-"))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let rust = all_rust_sources();
        let mut missing = Vec::new();
        for source in &rust {
            for prefix in &prefixes {
                for (at, _) in source.match_indices(prefix.as_str()) {
                    let id: String = source[at + 1..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                        .collect();
                    let closed = source[at + 1 + id.len()..].starts_with('"');
                    let is_id = id.contains('-') && !id.ends_with('-') && closed;
                    if is_id
                        && !(crate::text::has(Lang::Es, &id) && crate::text::has(Lang::En, &id))
                    {
                        missing.push(id);
                    }
                }
            }
        }
        assert!(missing.is_empty(), "ids with no text: {missing:?}");
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
    fn a_page_text_reads_in_the_cookie_language() {
        let env = environment(crate::MODULES);
        let tpl = env
            .template_from_str("{{ t('common-guardar') }} · {{ t('census-count-redes', n=n) }} · {{ t('Liceo A-1') }}")
            .unwrap();
        let es = tpl.render(context! { lang => "es", n => 1 }).unwrap();
        let en = tpl.render(context! { lang => "en", n => 2 }).unwrap();
        assert_eq!(es, "Guardar · 1 red · Liceo A-1");
        assert_eq!(en, "Save · 2 networks · Liceo A-1");
    }

    #[test]
    fn every_role_menu_entry_and_home_card_is_a_text_of_both_languages() {
        let roles = crate::auth::policy::Role::ALL.map(crate::auth::policy::Role::label);
        let modules = crate::MODULES.iter().flat_map(|m| {
            m.navigation
                .iter()
                .map(|n| n.label)
                .chain(m.home_cards.iter().flat_map(|c| [c.title, c.text]))
        });
        let missing: Vec<&str> = roles
            .into_iter()
            .chain(modules)
            .chain(["ui-administracion"])
            .filter(|id| !crate::text::has(Lang::Es, id) || !crate::text::has(Lang::En, id))
            .collect();
        assert!(missing.is_empty(), "not texts: {missing:?}");
    }
}
