//! Redes: the working platform of school improvement networks.
//!
//! Layout: a thin core (`config`, `db`, `sql`, `auth` with the policy,
//! `layout`, `web`, `api`, `error`, `ids`, `module`) and one module per
//! domain area, each a folder of the same shape (`mod.rs` with its
//! `Module`, `model.rs`, `store.rs`, `pages.rs`, `api.rs`, `templates/`),
//! listed once in `MODULES`. `encounters` puts the pure planner crate (seed
//! 003) on the registry; `demo` loads the demonstration data; `cli`
//! implements the `redes` command. See docs/architecture.md.

pub mod api;
pub mod auth;
pub mod cli;
pub mod config;
pub mod country;
pub mod db;
pub mod demo;
pub mod error;
pub mod ids;
pub mod layout;
pub mod limits;
pub mod memo;
pub mod module;
pub mod sql;
pub mod text;
pub mod web;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, MatchedPath};
use axum::http::Request;
use axum::Router;
use minijinja::Environment;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use module::Module;

/// Declares each domain module (`pub mod name;`) and lists it in `MODULES`.
macro_rules! domain_modules {
    ($($name:ident),+ $(,)?) => {
        $(pub mod $name;)+

        /// Every domain module, once, in menu order: routes, API, templates,
        /// static files, menu and home cards are all built from this list.
        pub const MODULES: &[&Module] = &[$(&$name::MODULE),+];
    };
}

// The one line to change when a module is added.
domain_modules!(
    networks,
    meetings,
    schools,
    people,
    calls,
    encounters,
    encounter_sessions,
    census,
    plans,
    agreements,
    practices,
    calendar
);

/// Largest request body accepted (forms and JSON); bigger ones get 413.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Shared by every request handler.
#[derive(Clone)]
pub struct AppState {
    /// The store (SQLite or PostgreSQL).
    pub db: db::Db,
    /// All page templates, compiled once at start-up.
    pub templates: Arc<Environment<'static>>,
    /// Flags and environment settings.
    pub config: Arc<config::Config>,
    /// The domain modules (`MODULES`).
    pub modules: &'static [&'static Module],
    /// The full-text index of good practices, in `config.search_dir`: the
    /// one piece of a module's state the core carries, since it lives as
    /// long as the application (opened once, shared by every request).
    pub search: Arc<practices::search::Search>,
}

impl AppState {
    pub fn new(db: db::Db, config: config::Config) -> AppState {
        AppState {
            db,
            templates: Arc::new(layout::environment(MODULES)),
            search: Arc::new(practices::search::Search::new(config.search_dir.clone())),
            config: Arc::new(config),
            modules: MODULES,
        }
    }
}

/// The whole HTTP application: one merge point for every module's routes.
pub fn app(state: AppState) -> Router {
    let templates = state.templates.clone();
    let csp = axum::http::HeaderValue::from_str(&web::content_security_policy(
        &std::env::var("REDES_TILES_URL").unwrap_or_default(),
    ))
    .unwrap_or_else(|_| axum::http::HeaderValue::from_static("default-src 'self'"));
    let modules = state.modules;
    let mut router = Router::new().merge(layout::routes()).merge(auth::routes());
    for m in modules {
        router = router.merge((m.pages)());
    }
    router
        .nest("/api/v1", api::routes(modules))
        .fallback(layout::not_found)
        .layer(axum::middleware::from_fn(web::input_guard))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::context_layer,
        ))
        // Inside `render_errors`, so that its 413 is rendered like any error.
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(move |req, next| {
            layout::render_errors(templates.clone(), modules, req, next)
        }))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(move |req, next| {
            web::security_headers(csp.clone(), req, next)
        }))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(web::no_compression_across_sites))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}

/// Each request's span names its route and, once the session is read, the
/// signed-in person (`auth::context_layer` records `user`), so an error in
/// the log says where it happened and to whom.
fn request_span<B>(request: &Request<B>) -> tracing::Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(request.uri().path(), MatchedPath::as_str);
    tracing::info_span!(
        "request",
        method = %request.method(),
        route = %route,
        user = tracing::field::Empty,
    )
}
