//! Meetings of a network (issue 11): itinerant sessions with a "hilo
//! conductor", scheduled one by one or as a recurring series, with their
//! agenda, attendance against the network's roster, documents, and minutes
//! that go through review and approval. Encounter sessions (seed 003) are
//! meetings too, written by `encounter_sessions`.

pub mod api;
pub mod model;
pub mod pages;
pub mod store;

use crate::auth::policy::Principal;
use crate::module::{BoxFuture, HomeSection, HomeSectionData, Module, StaticFile};
use crate::AppState;

pub const MODULE: Module = Module {
    name: "meetings",
    pages: pages::routes,
    api: api::routes,
    openapi: api::openapi,
    templates: &[
        ("meetings/list.html", include_str!("templates/list.html")),
        ("meetings/form.html", include_str!("templates/form.html")),
        ("meetings/detail.html", include_str!("templates/detail.html")),
        ("meetings/home.html", include_str!("templates/home.html")),
        ("meetings/print.html", include_str!("templates/print.html")),
        ("meetings/series.html", include_str!("templates/series.html")),
    ],
    static_files: &[StaticFile {
        name: "reuniones.css",
        body: include_bytes!("static/reuniones.css"),
        content_type: "text/css; charset=utf-8",
    }],
    home_sections: &[HomeSection {
        template: "meetings/home.html",
        load: next_meetings,
    }],
    ..Module::EMPTY
};

/// "Próximas reuniones": the next meetings of the person's networks (those
/// they coordinate and those of their schools); hidden when there are none.
fn next_meetings<'a>(state: &'a AppState, p: &'a Principal) -> BoxFuture<'a, HomeSectionData> {
    Box::pin(async move {
        let mut networks = p.network_ids();
        networks.extend(p.school_network_ids.iter().copied());
        if networks.is_empty() {
            return Ok(None);
        }
        let meetings = store::next_for(&state.db, &networks).await?;
        Ok((!meetings.is_empty()).then(|| minijinja::Value::from_serialize(&meetings)))
    })
}
