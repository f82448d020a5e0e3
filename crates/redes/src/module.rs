//! What a domain module tells the core about itself. `lib.rs` lists every
//! module once (`MODULES`); the route table, the JSON API and its OpenAPI
//! document, the template environment, the static files, the navigation and
//! the home page are all built by walking that list, so adding a module
//! touches only its own folder, that list and its migrations.

use axum::Router;

use crate::auth::policy::Principal;
use crate::AppState;

/// One domain module: `schools`, `networks`, `people`, ...
pub struct Module {
    /// Short English name, used in logs and tests.
    pub name: &'static str,
    /// HTML pages and form posts.
    pub pages: fn() -> Router<AppState>,
    /// JSON routes, nested under `/api/v1`.
    pub api: fn() -> Router<AppState>,
    /// The OpenAPI paths and schemas of `api`.
    pub openapi: fn() -> utoipa::openapi::OpenApi,
    /// Templates by name (`"networks/list.html"` → source).
    pub templates: &'static [(&'static str, &'static str)],
    /// Files served under `/static/`.
    pub static_files: &'static [StaticFile],
    /// Entries of the main menu, in order.
    pub navigation: &'static [NavEntry],
    /// Cards of the home page: what the person can do here.
    pub home_cards: &'static [HomeCard],
    /// Parts of a signed-in person's own home page (their agreements, their
    /// next meetings, ...), loaded from the module's store.
    pub home_sections: &'static [HomeSection],
}

impl Module {
    /// A module with nothing in it, to fill the fields a module does not use
    /// (`..Module::EMPTY`).
    pub const EMPTY: Module = Module {
        name: "",
        pages: Router::new,
        api: Router::new,
        openapi: no_paths,
        templates: &[],
        static_files: &[],
        navigation: &[],
        home_cards: &[],
        home_sections: &[],
    };
}

fn no_paths() -> utoipa::openapi::OpenApi {
    utoipa::openapi::OpenApiBuilder::new().build()
}

/// A boxed future, for the loaders of home sections.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// What a home section's loader gives: the data for its template, or
/// `None` to hide it.
pub type HomeSectionData = Result<Option<minijinja::Value>, crate::error::AppError>;

/// Loads a home section for one person.
pub type HomeSectionLoader =
    for<'a> fn(&'a AppState, &'a Principal) -> BoxFuture<'a, HomeSectionData>;

/// A part of a signed-in person's home page. `load` reads what this person
/// should see (`None` hides the section); `template` (one of the module's
/// templates) shows it, receiving the loaded value as `data`.
pub struct HomeSection {
    pub template: &'static str,
    pub load: HomeSectionLoader,
}

/// A file served under `/static/{name}`, cached for a long time.
pub struct StaticFile {
    pub name: &'static str,
    pub body: &'static [u8],
    pub content_type: &'static str,
}

/// Who sees a menu entry or a home card: a policy method.
pub type Audience = fn(Option<&Principal>) -> bool;

/// A menu entry (label in Spanish; translated in the template).
pub struct NavEntry {
    pub href: &'static str,
    pub label: &'static str,
    pub visible: Audience,
}

/// A home-page card: a link with a short explanation.
pub struct HomeCard {
    pub href: &'static str,
    pub title: &'static str,
    pub text: &'static str,
    pub visible: Audience,
}

/// Anyone signed in.
pub fn signed_in(p: Option<&Principal>) -> bool {
    p.is_some()
}
