//! Redes: the working platform of school improvement networks.
//!
//! Layout: a thin core (`config`, `db`, `auth`, `layout`, `error`) and one
//! module per domain area (`schools`, `networks`, `people`, `calls`), each
//! holding its types, queries, handlers and templates; `encounters` puts
//! the pure planner crate (seed 003) on the registry. `api` exposes the
//! JSON API under `/api/v1`; `demo` loads the demonstration data; `cli`
//! implements the `redes` command.

pub mod api;
pub mod auth;
pub mod calls;
pub mod cli;
pub mod config;
pub mod country;
pub mod db;
pub mod demo;
pub mod encounters;
pub mod error;
pub mod layout;
pub mod limits;
pub mod networks;
pub mod people;
pub mod schools;
pub mod sql;
pub mod web;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use minijinja::Environment;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

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
}

impl AppState {
    pub fn new(db: db::Db, config: config::Config) -> AppState {
        AppState {
            db,
            templates: Arc::new(layout::environment()),
            config: Arc::new(config),
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
    Router::new()
        .merge(layout::routes())
        .merge(auth::routes())
        .merge(schools::routes())
        .merge(networks::routes())
        .merge(people::routes())
        .merge(calls::routes())
        .merge(encounters::routes())
        .nest("/api/v1", api::routes())
        .fallback(layout::not_found)
        .layer(axum::middleware::from_fn(web::input_guard))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::context_layer,
        ))
        // Inside `render_errors`, so that its 413 is rendered like any error.
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(move |req, next| {
            layout::render_errors(templates.clone(), req, next)
        }))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(move |req, next| {
            web::security_headers(csp.clone(), req, next)
        }))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
