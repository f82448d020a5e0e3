//! End-to-end tests in real headless Chromium, driven through chromedriver
//! with fantoccini, against the whole application served on a local port,
//! on SQLite and on PostgreSQL.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`/usr/bin/chromium`,
//! `/usr/bin/chromedriver`). `CHROME_BIN` and `CHROMEDRIVER` override the
//! paths. A missing browser or driver fails the test: it is never skipped.
//!
//! Flows: a coordinator creates a network; a teacher cannot edit their
//! school; a form without a name shows the error; a network's page lists
//! its people and invites one (390 px screenshot); a network proposes a call
//! that the secretariat issues (390 px screenshots); a zone supervisor plans an
//! encounter between schools (run → move → approve → print); a school named
//! like markup stays text on the map; the pages no other flow reaches; a
//! keyboard walk through a form and the plan.
//!
//! Accessibility (WCAG 2.2 AA): every page a flow shows is checked with
//! axe-core (vendored in `tests/fixtures/axe-core/`, injected through
//! WebDriver, which the page's CSP does not restrict) for the rules tagged
//! wcag2a, wcag2aa, wcag21a, wcag21aa and wcag22aa; any violation fails with
//! its rule id and the selectors of the nodes. Each database's run prints
//! the number of page checks (also left in `target/tmp/axe-<database>.txt`)
//! and fails when a page route of the source was never checked. The main
//! pages are also measured at 320 px wide (nothing but a table's wrapper may
//! scroll sideways), and the keyboard walk checks the tab order, that focus
//! is visible with 3:1 against its surroundings and that map markers are
//! never a stop.
//!
//! One chromedriver per test (per database); every flow gets a fresh browser
//! session with its own profile directory. Each flow leaves a screenshot in
//! `target/tmp/browser-screenshots/`.

mod agreements;
mod calls;
mod driver;
mod encounter;
mod encounter_sessions;
mod home;
mod meetings;
mod pages;
mod people;
mod phone;
mod plans;
mod practices;
mod registry;
mod session;
mod waits;
use agreements::*;
use calls::*;
use driver::*;
use encounter::*;
use encounter_sessions::*;
use home::*;
use meetings::*;
use pages::*;
use people::*;
use phone::*;
use plans::*;
use practices::*;
use registry::*;
use session::*;

// The route table as written in the source, shared with the authorization
// matrix: every page route must be checked by axe-core.
use crate::authorization::table;
use crate::common;

use std::future::Future;
use std::net::{SocketAddr, TcpListener as StdListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{
    grant, network_grant, school_grant, seed_zone, zone_supervisor, TestApp, PASSWORD,
    ZONE_MUNICIPALITY, ZONE_SCHOOLS, ZONE_STATE,
};
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use redes::db::Backend;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    run_flows(Backend::Sqlite, "sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    run_flows(Backend::Postgres, "postgres").await;
}

/// Starts chromedriver and the application, then runs every flow.
async fn run_flows(backend: Backend, label: &'static str) {
    let driver = Chromedriver::start();
    let app = TestApp::new(backend).await;
    let base = serve(&app).await;
    let shots = screenshot_dir();
    let checked = Arc::new(Mutex::new(Vec::new()));

    let ctx = Flow {
        app: app.clone(),
        base,
        driver: driver.url.clone(),
        shots,
        label,
        checked: checked.clone(),
    };
    ctx.run("coordinator", coordinator_creates_a_network).await;
    ctx.run("teacher", teacher_cannot_edit_their_school).await;
    ctx.run("missing-name", form_without_name_shows_the_error)
        .await;
    ctx.run("encounter", supervisor_plans_an_encounter).await;
    ctx.run("hostile-name", a_school_name_is_shown_as_text_on_the_map)
        .await;
    ctx.run("meetings", coordinator_schedules_a_meeting).await;
    ctx.run(
        "work-plan",
        coordinator_measures_an_indicator_against_its_goal,
    )
    .await;
    ctx.run(
        "agreements",
        coordinator_records_an_agreement_and_marks_it_kept,
    )
    .await;
    ctx.run(
        "encounter-sessions",
        supervisor_creates_the_encounter_sessions,
    )
    .await;
    ctx.run("practices", a_practice_is_documented_reviewed_and_published)
        .await;
    ctx.run("network-people", a_network_page_lists_its_people)
        .await;
    ctx.run("calls", a_network_proposes_a_call_the_secretariat_issues)
        .await;
    ctx.run("phone", the_main_lists_fit_a_phone).await;
    ctx.run("home", each_person_sees_their_own_home).await;
    ctx.run("other-pages", the_other_pages_pass_axe).await;
    ctx.run(
        "keyboard",
        the_keyboard_reaches_a_form_and_the_plan_in_order,
    )
    .await;

    report_axe(label, &checked.lock().unwrap());
    app.finish().await;
    drop(driver);
}

/// What every flow receives.
#[derive(Clone)]
struct Flow {
    app: TestApp,
    /// The application, e.g. `http://127.0.0.1:41234`.
    base: String,
    /// chromedriver's WebDriver endpoint.
    driver: String,
    shots: PathBuf,
    label: &'static str,
    /// Every page axe-core checked, as "what: path".
    checked: Arc<Mutex<Vec<String>>>,
}

impl Flow {
    /// Runs one flow in a fresh browser session; the session is closed even
    /// when the flow panics, and the panic is then passed on.
    async fn run<F, Fut>(&self, name: &str, flow: F)
    where
        F: FnOnce(Flow, Browser) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let profile = tempfile::tempdir().expect("temp dir for the browser profile");
        let client = new_session(&self.driver, profile.path()).await;
        let browser = Browser {
            client: client.clone(),
            base: self.base.clone(),
            checked: self.checked.clone(),
        };
        let result = tokio::spawn(flow(self.clone(), browser)).await;
        if result.is_err() {
            // Leave a picture of what the person saw when it failed.
            if let Ok(png) = client.screenshot().await {
                let _ = std::fs::write(
                    self.shots.join(format!("{}-{name}-FAILED.png", self.label)),
                    png,
                );
            }
        }
        let _ = client.close().await;
        if let Err(e) = result {
            match e.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(e) => panic!("flow {name} on {}: {e}", self.label),
            }
        }
    }

    async fn screenshot(&self, browser: &Browser, name: &str) {
        let png = browser.client.screenshot().await.expect("screenshot");
        std::fs::write(self.shots.join(format!("{}-{name}.png", self.label)), png)
            .expect("write screenshot");
    }
}
