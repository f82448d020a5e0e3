//! The census of active networks per year and region (seed 001 publishes
//! 523, 505 and 481 for 2015–2017): a public page and its JSON.
//!
//! The smallest module, and the one to copy: its folder, its line in
//! `lib.rs`'s `MODULES`, and nothing else.

pub mod api;
pub mod model;
pub mod pages;
pub mod store;

use crate::auth::policy::Principal;
use crate::module::{BoxFuture, HomeCard, HomeSection, HomeSectionData, Module, NavEntry};
use crate::AppState;

pub const MODULE: Module = Module {
    name: "census",
    pages: pages::routes,
    api: api::routes,
    openapi: api::openapi,
    templates: &[
        ("census/census.html", include_str!("templates/census.html")),
        ("census/home.html", include_str!("templates/home.html")),
    ],
    home_sections: &[HomeSection {
        template: "census/home.html",
        load: own_territory,
    }],
    navigation: &[NavEntry {
        href: "/censo",
        label: "census-censo",
        visible: Principal::can_view_census,
    }],
    home_cards: &[HomeCard {
        href: "/censo",
        title: "census-censo-redes",
        text: "census-redes-activas-ano-region",
        visible: Principal::can_view_census,
    }],
    ..Module::EMPTY
};

/// "Su territorio": for a ministry, secretariat or supervision, the key
/// figures of each territory they oversee; hidden for everyone else.
fn own_territory<'a>(state: &'a AppState, p: &'a Principal) -> BoxFuture<'a, HomeSectionData> {
    Box::pin(async move {
        let mut figures = Vec::new();
        for grant in p.grants.iter().take(4) {
            if let Some(f) = store::territory(&state.db, &grant.scope).await? {
                if !figures.iter().any(|g: &model::TerritoryFigures| g.territory == f.territory) {
                    figures.push(f);
                }
            }
        }
        Ok((!figures.is_empty()).then(|| minijinja::Value::from_serialize(&figures)))
    })
}
