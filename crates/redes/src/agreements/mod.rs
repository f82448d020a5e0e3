//! Agreements (issue 11): what a network agrees at a meeting, who takes
//! charge of it (a person or a member school) and by when; followed from
//! meeting to meeting until it is kept or dropped. Every open agreement is
//! on the agenda of the network's next meetings (`pages::on_meeting`, shown
//! on the meeting's page), its page shows every review and change of
//! status, and the home page lists a person's open agreements.

pub mod api;
pub mod model;
pub mod pages;
pub mod store;

use crate::module::{HomeSection, Module};

pub const MODULE: Module = Module {
    name: "agreements",
    pages: pages::routes,
    api: api::routes,
    openapi: api::openapi,
    templates: &[
        (
            "agreements/network.html",
            include_str!("templates/network.html"),
        ),
        (
            "agreements/detail.html",
            include_str!("templates/detail.html"),
        ),
        (
            "agreements/meeting.html",
            include_str!("templates/meeting.html"),
        ),
        (
            "agreements/on_meeting.html",
            include_str!("templates/on_meeting.html"),
        ),
        ("agreements/home.html", include_str!("templates/home.html")),
    ],
    home_sections: &[HomeSection {
        template: "agreements/home.html",
        load: pages::home_section,
    }],
    ..Module::EMPTY
};
