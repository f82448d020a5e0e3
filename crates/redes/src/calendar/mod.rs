//! Calendar export (issue 11, item 2): iCalendar files of a meeting, of a
//! network's meetings, and a person's private feed of the meetings of all
//! their networks, behind a revocable random token (stored hashed). `ics`
//! writes RFC 5545; `zone` turns the meetings' local hours into UTC.

pub mod ics;
pub mod pages;
pub mod store;
pub mod zone;

use crate::module::{HomeCard, Module};

pub const MODULE: Module = Module {
    name: "calendar",
    pages: pages::routes,
    templates: &[("calendar/feeds.html", include_str!("templates/feeds.html"))],
    home_cards: &[HomeCard {
        href: "/cuenta/calendario",
        title: "calendar-calendario-privado",
        text: "calendar-suscribase-reuniones-redes-desde-programa",
        visible: crate::module::signed_in,
    }],
    ..Module::EMPTY
};
