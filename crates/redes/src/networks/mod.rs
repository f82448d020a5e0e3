//! Networks: the registry with the charter of seed 001, member schools
//! over time, and their yearly activity (counted by `census`).
//!
//! The worked example of a module (docs/architecture.md): `model.rs` holds
//! the types and the parsing of the form, `store.rs` every query and the
//! writes shared by pages, API and demo, `pages.rs` the HTML handlers,
//! `api.rs` the JSON handlers with their OpenAPI paths, `templates/` the
//! pages. This file tells the core what the module offers.

pub mod api;
pub mod model;
pub mod pages;
pub mod store;

use crate::auth::policy::Principal;
use crate::module::{
    signed_in, BoxFuture, HomeCard, HomeSection, HomeSectionData, Module, NavEntry,
};
use crate::AppState;

pub const MODULE: Module = Module {
    name: "networks",
    pages: pages::routes,
    api: api::routes,
    openapi: api::openapi,
    templates: &[
        ("networks/list.html", include_str!("templates/list.html")),
        (
            "networks/detail.html",
            include_str!("templates/detail.html"),
        ),
        ("networks/form.html", include_str!("templates/form.html")),
        ("networks/home.html", include_str!("templates/home.html")),
    ],
    home_sections: &[HomeSection {
        template: "networks/home.html",
        load: own_networks_and_schools,
    }],
    navigation: &[NavEntry {
        href: "/redes",
        label: "common-redes",
        visible: signed_in,
    }],
    home_cards: &[
        HomeCard {
            href: "/redes",
            title: "common-redes",
            text: "networks-vea-redes-alcance-escuelas-carta",
            visible: signed_in,
        },
        HomeCard {
            href: "/redes/nueva",
            title: "networks-crear-red-2",
            text: "networks-registre-red-carta-escuelas-integrantes",
            visible: |p| p.is_some_and(Principal::may_create_networks),
        },
    ],
    ..Module::EMPTY
};

/// "Sus redes y escuelas": the networks the person works in (by role or
/// through one of their schools) and their schools, with counts; hidden
/// for someone with neither (a ministry, a secretariat).
fn own_networks_and_schools<'a>(
    state: &'a AppState,
    p: &'a Principal,
) -> BoxFuture<'a, HomeSectionData> {
    Box::pin(async move {
        let mut network_ids = p.network_ids();
        network_ids.extend(p.school_network_ids.iter().copied());
        network_ids.sort_unstable_by_key(|n| n.0);
        network_ids.dedup();
        let school_ids = p.school_ids();
        if network_ids.is_empty() && school_ids.is_empty() {
            return Ok(None);
        }
        let networks = store::own(&state.db, &network_ids).await?;
        let schools = crate::schools::store::own(&state.db, &school_ids).await?;
        Ok(Some(minijinja::context! { networks, schools }))
    })
}
