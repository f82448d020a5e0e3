//! End-to-end tests in real headless Chromium, driven through chromedriver
//! with fantoccini, against the whole application served on a local port,
//! on SQLite and on PostgreSQL.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`/usr/bin/chromium`,
//! `/usr/bin/chromedriver`). `CHROME_BIN` and `CHROMEDRIVER` override the
//! paths. A missing browser or driver fails the test: it is never skipped.
//!
//! Flows: a coordinator creates a network; a teacher cannot edit their
//! school; a form without a name shows the error; a zone supervisor plans an
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

mod common;
// The route table as written in the source, shared with the authorization
// matrix: every page route must be checked by axe-core.
#[allow(dead_code)]
#[path = "authorization/table.rs"]
mod table;

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

/// A school named like markup is shown as text on the map's tooltips,
/// never inserted as HTML (stored script injection found by the probe).
async fn a_school_name_is_shown_as_text_on_the_map(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    let hostile = "\"><img src=x onerror=\"window.__xss=1\">";
    let mut w = app.db.write().await.unwrap();
    for (code, name, level, lat) in [
        ("22DJN0901Z", hostile, "preescolar", 20.65),
        ("22DPR0902Z", "Primaria Vecina", "primaria", 20.651),
    ] {
        let input = redes::schools::model::SchoolInput {
            country: "mx".into(),
            official_code: code.into(),
            name: name.into(),
            levels: level.into(),
            region: ZONE_STATE.into(),
            province: "Ezequiel Montes".into(),
            commune: "Bernal".into(),
            shift: "matutino".into(),
            latitude: lat.to_string(),
            longitude: "-99.95".into(),
            teachers: "6".into(),
            classrooms: "6".into(),
            ..Default::default()
        };
        redes::schools::store::insert(&mut w, &input.parse().unwrap())
            .await
            .unwrap();
    }
    w.commit().await.unwrap();
    let supervisor = common::Grant {
        scope_name: "Ezequiel Montes",
        ..zone_supervisor()
    };
    app.person("supervisor.em", &[supervisor]).await;
    b.login("supervisor.em").await;
    b.goto("/encuentros").await;
    b.css("#f-place")
        .await
        .select_by_value(&format!("{ZONE_STATE}|Ezequiel Montes"))
        .await
        .expect("pick the municipality");
    b.css("form[action='/encuentros'] button[type='submit']")
        .await
        .click()
        .await
        .expect("click Planificar");
    b.css("#mapa .mapa-marca").await;
    let seen = b
        .client
        .execute(
            "document.querySelectorAll('#mapa .mapa-marca').forEach(function (p) { \
               p.dispatchEvent(new MouseEvent('mouseover', { bubbles: true })); }); \
             var tips = Array.from(document.querySelectorAll('.leaflet-tooltip')); \
             return { tips: tips.length, images: document.querySelectorAll('.leaflet-tooltip img').length, \
                      text: tips.map(function (t) { return t.textContent; }).join(' | '), \
                      ran: window.__xss === 1 };",
            vec![],
        )
        .await
        .expect("hover the markers");
    assert!(seen["tips"].as_u64().unwrap() >= 1, "{seen}");
    assert_eq!(
        seen["images"], 0,
        "markup in a name became an element: {seen}"
    );
    assert_eq!(seen["ran"], false, "{seen}");
    assert!(
        seen["text"].as_str().unwrap().contains("<img src=x"),
        "{seen}"
    );
    b.axe("plan: tooltips shown").await;
    ctx.screenshot(&b, "hostile-name").await;
}

/// The pages no other flow reaches: the lists of schools, calls, people
/// and the census, a person's page and form, the API tokens before and
/// after creating one, the 404 page, and a page in English. axe-core
/// checks each one.
async fn the_other_pages_pass_axe(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    let school = app
        .school("cl", "6101", "Escuela República de Chile", "Biobío", "Lota")
        .await;
    let network = app.network("Red Lota", "Biobío").await;
    // An administrator who is also the ministry (to issue calls).
    app.person("admin.a11y", &[grant("ministry", "national", "")])
        .await;
    b.login("admin.a11y").await;
    for (path, what) in [
        ("/escuelas", "list: schools"),
        ("/censo", "list: census"),
        ("/convocatorias", "list: calls"),
        ("/personas", "list: people"),
    ] {
        b.goto(path).await;
        b.css("main h1").await;
        b.axe(what).await;
        b.expect_reflow_at_320(what).await;
    }
    b.goto("/personas/nueva").await;
    b.axe("form: new person").await;
    b.css("form[action='/personas'] button[type='submit']")
        .await
        .click()
        .await
        .expect("submit an empty person");
    b.css("input#f-full_name[aria-invalid='true']").await;
    b.axe("form with errors: person").await;

    b.goto("/convocatorias/nueva").await;
    b.axe("form: new call").await;
    b.css("form[action='/convocatorias'] button[type='submit']")
        .await
        .click()
        .await
        .expect("submit an empty call");
    b.expect_error_summary("title", "Título: el título es obligatorio")
        .await;
    b.axe("form with errors: call").await;

    for (path, what) in [
        (format!("/escuelas/{school}/editar"), "form: edit a school"),
        (format!("/redes/{network}/editar"), "form: edit a network"),
    ] {
        b.goto(&path).await;
        b.css("main form button[type='submit']").await;
        b.axe(what).await;
    }

    b.goto("/personas").await;
    b.xpath("//table//a[normalize-space()='Persona admin.a11y']")
        .await
        .click()
        .await
        .expect("open the person");
    b.css("form[action$='/roles']").await;
    b.axe("detail: person").await;
    let person = b.client.current_url().await.unwrap();
    b.goto(&format!("{}/editar", person.path())).await;
    b.css("main form button[type='submit']").await;
    b.axe("form: edit a person").await;

    b.goto("/cuenta/tokens").await;
    b.css("form[action='/cuenta/tokens']").await;
    b.axe("tokens: none yet").await;
    b.type_into("#f-label", "Planilla de la red").await;
    b.css("form[action='/cuenta/tokens'] button[type='submit']")
        .await
        .click()
        .await
        .expect("create a token");
    b.css("main .notice[role='status'] code").await;
    b.axe("tokens: a new token shown").await;
    b.expect_reflow_at_320("the token page").await;

    // The favicon, so that no page asks for a missing /favicon.ico.
    let icon = b
        .client
        .execute_async(
            "var done = arguments[arguments.length - 1]; \
             var link = document.querySelector('link[rel=icon]'); \
             fetch(link.href).then(function (r) { done(r.status + ' ' + r.headers.get('content-type')); }, \
                                   function (e) { done(String(e)); });",
            vec![],
        )
        .await
        .expect("fetch the favicon");
    assert_eq!(icon, "200 image/svg+xml");

    b.goto("/no-existe").await;
    assert_eq!(
        b.css("main h1").await.text().await.unwrap(),
        "Página no encontrada"
    );
    b.axe("error page: 404").await;

    b.goto("/idioma/en?next=/redes").await;
    b.xpath("//html[@lang='en']").await;
    b.axe("list: networks in English").await;
}

/// One keyboard walk: the network form shown again with an error, then the
/// plan page from its top. Every stop is in the order of the page, shows
/// its focus with an outline of 3:1 or more against what surrounds it, and
/// the map's markers are never a stop.
async fn the_keyboard_reaches_a_form_and_the_plan_in_order(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    // The zone, unless the encounter flow already brought it.
    if app
        .count("SELECT COUNT(*) FROM schools WHERE official_code = '22DJN0001A'")
        .await
        == 0
    {
        seed_zone(app).await;
    }
    // Founds networks in Biobío and plans encounters in the zone.
    app.person(
        "teclado",
        &[
            grant("regional_authority", "region", "Biobío"),
            zone_supervisor(),
        ],
    )
    .await;
    b.login("teclado").await;

    // The form: the focus starts on the error summary, then every field
    // in the order shown, then Guardar.
    b.goto("/redes/nueva").await;
    b.css("form[action='/redes'] button[type='submit']")
        .await
        .click()
        .await
        .expect("submit an empty network");
    b.css("main .error-summary").await;
    assert!(
        b.wait_for_js("return document.activeElement.classList.contains('error-summary');")
            .await,
        "the focus is not on the error summary"
    );
    let expected = b.tab_order_in("main").await;
    assert_eq!(expected[0], "a#f-name→", "{expected:?}");
    let fields: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert!(
        fields.starts_with(&[
            "a#f-name→",
            "input#f-name",
            "select#f-kind",
            "select#f-country",
            "input#f-region",
            "input#f-province",
            "input#f-since_year",
            "textarea#f-who_forms",
        ]),
        "{fields:?}"
    );
    assert_eq!(fields.last(), Some(&"button Guardar"), "{fields:?}");
    let walked = b.tab_through(expected.len()).await;
    assert_eq!(walked, expected, "Tab does not follow the form's order");
    ctx.screenshot(&b, "keyboard-form").await;

    // The plan, from the top of the page.
    b.goto("/encuentros").await;
    b.css("form[action='/encuentros'] button[type='submit']")
        .await
        .click()
        .await
        .expect("click Planificar");
    b.css("#mapa .mapa-marca").await;
    let plan = b.client.current_url().await.unwrap();
    b.goto(plan.path()).await;
    b.css("#mapa .mapa-marca").await;
    let header = b.tab_order_in("header").await;
    let main = b.tab_order_in("main").await;
    // The skip link first, then the header, then the page up to the first
    // move: the map is one stop with its zoom buttons and attribution.
    let first_move = main
        .iter()
        .position(|s| s.starts_with("select#mover-"))
        .expect("a move select on the plan");
    let until_move = &main[..=first_move + 1];
    let stops: Vec<&str> = until_move.iter().map(String::as_str).collect();
    assert_eq!(
        &stops[..first_move],
        &[
            "a Encuentro entre escuelas",
            "a Listas para imprimir",
            "button Aprobar plan",
            "div#mapa",
            "a Acercar",
            "a Alejar",
            "a Leaflet",
        ],
        "{stops:?}"
    );
    assert!(
        stops[first_move + 1].starts_with("button Mover "),
        "{stops:?}"
    );
    let mut expected = vec!["a Saltar al contenido".to_string()];
    expected.extend(header.iter().cloned());
    expected.extend(until_move.iter().cloned());
    let walked = b.tab_through(expected.len()).await;
    assert_eq!(
        walked, expected,
        "Tab does not follow the plan page's order"
    );
    ctx.screenshot(&b, "keyboard-plan").await;

    // The skip link leads into the content.
    b.goto(plan.path()).await;
    b.css("#mapa .mapa-marca").await;
    assert_eq!(b.tab_through(1).await, ["a Saltar al contenido"]);
    b.press(Key::Enter).await;
    assert!(
        b.wait_for_js("return document.activeElement.id === 'contenido';")
            .await,
        "the skip link did not move the focus to the content"
    );
}

/// Flow 1: a network coordinator founds a network in their region, adds
/// two schools through the search, and finds the network in the list.
async fn coordinator_creates_a_network(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    let existing = app.network("Red Costa Biobío", "Biobío").await;
    app.school(
        "cl",
        "4501",
        "Liceo Enrique Molina Garmendia",
        "Biobío",
        "Concepción",
    )
    .await;
    app.school(
        "cl",
        "4502",
        "Escuela Lorenzo Arenas",
        "Biobío",
        "Concepción",
    )
    .await;
    app.person(
        "coordinadora",
        &[network_grant("network_coordinator", existing)],
    )
    .await;

    b.goto("/").await;
    b.axe("home: signed out").await;
    b.goto("/login").await;
    b.axe("login").await;
    b.login("coordinadora").await;
    b.axe("home: coordinator").await;

    // "Crear red" from the list of networks.
    b.goto("/redes").await;
    b.axe("list: networks").await;
    b.css("a[href='/redes/nueva']")
        .await
        .click()
        .await
        .expect("click Crear red");
    b.css("form[action='/redes'] #f-name").await;
    assert_eq!(b.css("h1").await.text().await.unwrap(), "Crear red");
    // The region comes from the coordinator's network.
    assert_eq!(b.value("#f-region").await, "Biobío");
    b.axe("form: new network").await;

    let name = "Red de Liceos Técnicos del Biobío Sur";
    b.type_into("#f-name", name).await;
    b.type_into("#f-province", "Concepción").await;
    b.type_into("#f-since_year", "2024").await;
    b.type_into(
        "#f-who_forms",
        "Directivos y jefes técnicos de liceos técnico-profesionales.",
    )
    .await;
    b.type_into(
        "#f-objective",
        "Mejorar la articulación entre liceos y empresas de la zona.",
    )
    .await;
    b.type_into("#f-key_idea", "Aprender juntos de la práctica.")
        .await;
    b.css("form[action='/redes'] button[type='submit']")
        .await
        .click()
        .await
        .expect("submit network");

    // The network's own page, with its charter.
    let title = b.xpath(&format!("//main//h1[contains(., '{name}')]")).await;
    assert!(title.text().await.unwrap().contains(name));
    let main = b.main_text().await;
    assert!(
        main.contains("Mejorar la articulación entre liceos y empresas de la zona."),
        "{main}"
    );
    assert!(main.contains("Aprender juntos de la práctica."), "{main}");
    assert!(main.contains("La red aún no tiene escuelas."), "{main}");
    let network_url = b.client.current_url().await.unwrap();
    assert!(network_url.path().starts_with("/redes/"), "{network_url}");
    b.axe("detail: network without schools").await;

    // Search and add two schools.
    for school in ["Liceo Enrique Molina Garmendia", "Escuela Lorenzo Arenas"] {
        let search = b.css("#f-buscar").await;
        search.clear().await.unwrap();
        search.send_keys(&school[..12]).await.unwrap();
        b.css("form#agregar button[type='submit']")
            .await
            .click()
            .await
            .expect("search school");
        let add = b
            .css(&format!("button[aria-label='Agregar {school}']"))
            .await;
        assert_eq!(add.text().await.unwrap(), "Agregar");
        b.axe("detail: network with search results").await;
        add.click().await.expect("click Agregar");
        b.xpath(&format!(
            "//h2[@id='escuelas']/following::table[1]//a[normalize-space()='{school}']"
        ))
        .await;
    }
    assert_eq!(
        b.css("h2#escuelas").await.text().await.unwrap(),
        "Escuelas integrantes"
    );
    let members = b.css_all("h2#escuelas + .table-wrap tbody tr").await;
    let mut rows = Vec::new();
    for row in &members {
        rows.push(row.text().await.unwrap());
    }
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter()
            .any(|r| r.contains("4501") && r.contains("Liceo Enrique Molina Garmendia")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("4502") && r.contains("Escuela Lorenzo Arenas")),
        "{rows:?}"
    );
    // Each "Retirar" says which school it takes out of the network.
    for school in ["Liceo Enrique Molina Garmendia", "Escuela Lorenzo Arenas"] {
        let remove = b
            .css(&format!("button[aria-label='Retirar {school}']"))
            .await;
        assert_eq!(remove.text().await.unwrap(), "Retirar");
    }
    b.axe("detail: network with members").await;
    b.expect_reflow_at_320("the network's page").await;
    ctx.screenshot(&b, "coordinator-network").await;

    // The list, searched by name.
    b.goto("/redes").await;
    b.type_into("#f-q", "liceos tecnicos").await;
    b.css("form[action='/redes'][role='search'] button[type='submit']")
        .await
        .click()
        .await
        .expect("filter");
    // The filtered page: the server echoes the search in the field's value
    // attribute (typing changes only the property), so this never matches
    // the unfiltered list, which also shows the network.
    b.css("form[role='search'] #f-q[value='liceos tecnicos']")
        .await;
    let link = b
        .xpath(&format!("//table//a[normalize-space()='{name}']"))
        .await;
    let row = b
        .xpath(&format!("//table//tr[td/a[normalize-space()='{name}']]"))
        .await;
    let cells = row.find_all(Locator::Css("td")).await.unwrap();
    assert_eq!(
        cells.last().unwrap().text().await.unwrap(),
        "2",
        "two member schools"
    );
    let rows = b.css_all("table tbody tr").await;
    assert_eq!(rows.len(), 1, "only the searched network is listed");
    b.axe("list: networks, searched").await;
    assert!(!b.main_text().await.contains("Red Costa Biobío"));
    link.click().await.unwrap();
    b.xpath(&format!("//main//h1[contains(., '{name}')]")).await;
    assert_eq!(
        b.client.current_url().await.unwrap().path(),
        network_url.path()
    );
}

/// Flow 2: a teacher opening the edit page of their own school is told
/// they are not allowed.
async fn teacher_cannot_edit_their_school(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    let school = app
        .school("cl", "5120", "Escuela Básica Los Aromos", "Maule", "Talca")
        .await;
    app.person("docente", &[school_grant("teacher", school)])
        .await;

    b.login("docente").await;
    // The school itself is visible to them.
    b.goto(&format!("/escuelas/{school}")).await;
    b.xpath("//main//h1[contains(., 'Escuela Básica Los Aromos')]")
        .await;
    b.axe("detail: school").await;

    b.goto(&format!("/escuelas/{school}/editar")).await;
    let h1 = b.css("main h1").await;
    assert_eq!(h1.text().await.unwrap(), "No permitido");
    assert!(b.client.title().await.unwrap().starts_with("No permitido"));
    assert!(b
        .css("main .notice[role='alert']")
        .await
        .is_displayed()
        .await
        .unwrap());
    let forms = b.css_all("main form").await;
    assert!(forms.is_empty(), "no edit form for a teacher");
    assert!(!b.main_text().await.contains("Guardar"));
    b.axe("error page: 403").await;
    ctx.screenshot(&b, "teacher-forbidden").await;
}

/// Flow 3: submitting the network form and the school form without a name
/// shows the error beside the name and keeps the other fields.
async fn form_without_name_shows_the_error(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    app.person("seremi", &[grant("regional_authority", "region", "Biobío")])
        .await;
    b.login("seremi").await;

    let networks_before = app.count("SELECT COUNT(*) FROM networks").await;
    let schools_before = app.count("SELECT COUNT(*) FROM schools").await;

    // The network form.
    b.goto("/redes/nueva").await;
    b.css("#f-name").await;
    b.clear_and_type("#f-region", "Biobío").await;
    b.type_into("#f-province", "Arauco").await;
    b.type_into("#f-since_year", "2016").await;
    b.type_into("#f-objective", "Compartir prácticas de lectura inicial.")
        .await;
    b.type_into("#f-key_idea", "Nadie mejora solo.").await;
    b.css("form[action='/redes'] button[type='submit']")
        .await
        .click()
        .await
        .expect("submit network");

    let error = b
        .css("div.field.has-error > input#f-name[aria-invalid='true'] ~ p.error")
        .await;
    assert_eq!(
        error.text().await.unwrap(),
        "el nombre de la red es obligatorio"
    );
    b.expect_error_next_to_name().await;
    assert_eq!(b.value("#f-name").await, "");
    assert_eq!(b.value("#f-region").await, "Biobío");
    assert_eq!(b.value("#f-province").await, "Arauco");
    assert_eq!(b.value("#f-since_year").await, "2016");
    assert_eq!(
        b.value("#f-objective").await,
        "Compartir prácticas de lectura inicial."
    );
    assert_eq!(b.value("#f-key_idea").await, "Nadie mejora solo.");
    b.expect_error_summary(
        "name",
        "Nombre de la red: el nombre de la red es obligatorio",
    )
    .await;
    // Every required field says so, and the asterisk is explained in words.
    for required in ["#f-name", "#f-country", "#f-region"] {
        let field = b.css(required).await;
        assert!(
            field.attr("required").await.unwrap().is_some(),
            "{required} is not marked required"
        );
    }
    assert_eq!(
        b.css("main p.required-note").await.text().await.unwrap(),
        "Los campos marcados con * son obligatorios."
    );
    assert_eq!(
        b.css_all(".has-error").await.len(),
        1,
        "only the name is wrong"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM networks").await,
        networks_before,
        "nothing written"
    );
    b.axe("form with errors: network").await;
    b.expect_reflow_at_320("the network form with an error")
        .await;
    ctx.screenshot(&b, "network-without-name").await;

    // The school form.
    b.goto("/escuelas/nueva").await;
    b.css("form[action='/escuelas'] #f-name").await;
    b.axe("form: new school").await;
    b.type_into("#f-official_code", "4777").await;
    b.clear_and_type("#f-region", "Biobío").await;
    b.type_into("#f-province", "Arauco").await;
    b.type_into("#f-commune", "Lebu").await;
    b.type_into("#f-address", "Av. Costanera 120").await;
    b.css("form[action='/escuelas'] button[type='submit']")
        .await
        .click()
        .await
        .expect("submit school");

    b.css("input#f-name[aria-invalid='true']").await;
    b.expect_error_next_to_name().await;
    b.expect_error_summary("name", "Nombre: el nombre es obligatorio")
        .await;
    for required in ["#f-country", "#f-official_code", "#f-name", "#f-region"] {
        let field = b.css(required).await;
        assert!(
            field.attr("required").await.unwrap().is_some(),
            "{required} is not marked required"
        );
    }
    assert_eq!(b.value("#f-name").await, "");
    assert_eq!(b.value("#f-official_code").await, "4777");
    assert_eq!(b.value("#f-region").await, "Biobío");
    assert_eq!(b.value("#f-province").await, "Arauco");
    assert_eq!(b.value("#f-commune").await, "Lebu");
    assert_eq!(b.value("#f-address").await, "Av. Costanera 120");
    b.axe("form with errors: school").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM schools").await,
        schools_before,
        "nothing written"
    );
}

/// Flow 4: a zone supervisor plans the encounter between the schools of
/// their municipality: runs the planner, moves a school so that a cluster
/// is left with one level (rule 1) and back, approves, and opens the
/// attendance lists. The map is drawn by the vendored Leaflet without tiles.
async fn supervisor_plans_an_encounter(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    seed_zone(app).await;
    app.person("supervisora", &[zone_supervisor()]).await;
    let moved = "22DPR0001B"; // Primaria Norte, the north's only primaria.
    let teachers: i64 = ZONE_SCHOOLS.iter().map(|s| s.6).sum();

    b.login("supervisora").await;
    b.css("header nav a[href='/encuentros']")
        .await
        .click()
        .await
        .expect("click Encuentros");
    let place = b.css("form[action='/encuentros'] select#f-place").await;
    assert_eq!(
        b.css("main h1").await.text().await.unwrap(),
        "Encuentro entre escuelas"
    );
    b.axe("list: encounter plans").await;
    let value = format!("{ZONE_STATE}|{ZONE_MUNICIPALITY}");
    let option = b.css(&format!("#f-place option[value='{value}']")).await;
    assert_eq!(
        option.text().await.unwrap(),
        format!("{ZONE_MUNICIPALITY}, {ZONE_STATE} (4 escuelas)")
    );
    place
        .select_by_value(&value)
        .await
        .expect("pick the municipality");
    let run = b
        .css("form[action='/encuentros'] button[type='submit']")
        .await;
    assert_eq!(run.text().await.unwrap(), "Planificar");
    run.click().await.expect("click Planificar");

    // The plan: a draft, two clusters (one per locality), no violations.
    let badge = b.css("h1 #estado").await;
    assert_eq!(badge.text().await.unwrap(), "borrador");
    let plan_url = b.client.current_url().await.unwrap();
    assert!(plan_url.path().starts_with("/encuentros/"), "{plan_url}");
    b.expect_validator_clean().await;
    let clusters = b.css_all("section.cluster").await;
    assert_eq!(clusters.len(), 2, "one cluster per locality");
    let north = b.cluster_of(moved).await;
    let south = b.cluster_of("22DES0002D").await;
    assert_ne!(north, south);
    assert_eq!(b.cluster_of("22DJN0001A").await, north);
    assert_eq!(b.cluster_of("22DJN0002C").await, south);
    assert!(b.approve_button().await.is_enabled().await.unwrap());
    b.expect_map().await;
    let groups = b
        .css_all("section.cluster table.groups tbody tr")
        .await
        .len();
    assert!(groups >= 2, "at least one group per cluster");
    let mut hosts = Vec::new();
    for heading in b.css_all("section.cluster h3").await {
        let text = heading.text().await.unwrap();
        let host = text
            .split("sede: ")
            .nth(1)
            .expect("the host in the heading");
        hosts.push(host.split(" (").next().unwrap().to_string());
    }
    // Targets of 24 × 24 px at least; each move names its school.
    let small = b
        .client
        .execute(
            "return Array.from(document.querySelectorAll('form.move select, form.move button, .actions .button, .actions button')) \
               .map(function (e) { var r = e.getBoundingClientRect(); return { e: e.id || e.textContent.trim(), h: r.height, w: r.width }; }) \
               .filter(function (t) { return t.h < 24 || t.w < 24; });",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(small, serde_json::json!([]), "targets under 24 px");
    for (code, name) in [
        ("22DPR0001B", "Primaria Norte"),
        ("22DJN0002C", "Jardín Sur"),
    ] {
        b.css(&format!(
            "form.move select#mover-{code} + button[aria-label='Mover {name}']"
        ))
        .await;
    }
    b.axe("plan: draft").await;
    b.expect_reflow_at_320("the plan").await;
    ctx.screenshot(&b, "encounter-plan").await;
    b.client
        .execute(
            "document.querySelector('section.cluster').scrollIntoView();",
            vec![],
        )
        .await
        .expect("scroll to the clusters");
    ctx.screenshot(&b, "encounter-clusters").await;

    // Moving the north's primaria south leaves the north with one level.
    b.move_school(moved, south).await;
    let violations = b.css("main .notice[role='alert'] ul.violations").await;
    let listed = violations.text().await.unwrap();
    assert!(
        listed.contains(&format!(
            "Regla 1: al menos dos niveles (agrupamiento {north})"
        )),
        "{listed}"
    );
    assert!(b.main_text().await.contains("1 incumplimiento —"));
    assert!(b.css_all("main p.ok").await.is_empty());
    assert_eq!(b.cluster_of(moved).await, south);
    let approve = b.approve_button().await;
    assert!(!approve.is_enabled().await.unwrap(), "approve is disabled");
    assert_eq!(
        approve.attr("aria-disabled").await.unwrap().as_deref(),
        Some("true")
    );
    b.axe("plan: with a violation").await;
    ctx.screenshot(&b, "encounter-violation").await;

    // Moving it back makes the plan valid again.
    b.move_school(moved, north).await;
    b.expect_validator_clean().await;
    assert_eq!(b.cluster_of(moved).await, north);
    assert!(b.css_all("ul.violations").await.is_empty());

    // Approve, through the confirmation of /static/app.js.
    let approve = b.approve_button().await;
    assert!(approve.is_enabled().await.unwrap());
    approve.click().await.expect("click Aprobar plan");
    assert_eq!(
        b.client.get_alert_text().await.expect("a confirmation"),
        "¿Aprobar este plan? Después no se podrá modificar."
    );
    b.client
        .accept_alert()
        .await
        .expect("accept the confirmation");
    b.xpath("//h1/span[@id='estado'][normalize-space()='aprobado']")
        .await;
    assert_eq!(
        b.client.current_url().await.unwrap().path(),
        plan_url.path()
    );
    assert!(b.css_all("form.move").await.is_empty(), "no more moves");
    assert!(b.css_all("form[action$='/aprobar']").await.is_empty());
    assert!(!b.main_text().await.contains("Mover a"));
    b.expect_validator_clean().await;
    b.expect_map().await;
    assert_eq!(
        app.text("SELECT status FROM encounter_plans").await,
        "approved"
    );
    b.axe("plan: approved").await;

    // The attendance lists: one sheet per host school and group.
    b.css("main .actions a[href$='/imprimir']")
        .await
        .click()
        .await
        .expect("click Listas para imprimir");
    let sheets = b.wait_all("main section.sheet").await;
    assert_eq!(sheets.len(), groups, "one sheet per group");
    let mut numbers = std::collections::BTreeMap::<String, Vec<usize>>::new();
    for sheet in &sheets {
        let title = sheet
            .find(Locator::Css("h2"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let rest = title
            .strip_prefix("Sede: ")
            .unwrap_or_else(|| panic!("sheet title {title:?}"));
        let (host, group) = rest
            .split_once(" · Grupo ")
            .unwrap_or_else(|| panic!("sheet title {title:?}"));
        let host = host.split(" (").next().unwrap().to_string();
        numbers.entry(host).or_default().push(
            group
                .parse()
                .unwrap_or_else(|_: std::num::ParseIntError| panic!("sheet title {title:?}")),
        );
        let head = sheet
            .find(Locator::Css("thead"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(head.contains("Firma sesión 1"), "{head}");
        assert!(head.contains("Firma sesión 3"), "{head}");
    }
    hosts.sort();
    assert_eq!(numbers.keys().cloned().collect::<Vec<_>>(), hosts);
    for (host, groups) in &numbers {
        let expected: Vec<usize> = (1..=groups.len()).collect();
        assert_eq!(groups, &expected, "groups of {host} numbered from 1");
    }
    // Every teacher of the zone listed exactly once.
    let mut names = Vec::new();
    for cell in b.css_all("section.sheet tbody tr td:nth-child(2)").await {
        names.push(cell.text().await.unwrap());
    }
    assert_eq!(names.len() as i64, teachers, "{names:?}");
    let distinct: std::collections::BTreeSet<_> = names.iter().collect();
    assert_eq!(distinct.len(), names.len(), "a teacher listed twice");
    assert!(names.iter().all(|n| !n.is_empty()));
    assert_eq!(
        b.css_all("section.sheet tbody td.sign").await.len() as i64,
        3 * teachers
    );
    b.axe("print: attendance lists").await;
    b.expect_reflow_at_320("the attendance lists").await;
    ctx.screenshot(&b, "encounter-print").await;
}

/// A browser session on the application.
struct Browser {
    client: Client,
    base: String,
    checked: Arc<Mutex<Vec<String>>>,
}

/// axe-core, vendored from its npm package (see
/// `tests/fixtures/axe-core/README.md`): compiled in, so no network and no
/// Node are needed at run time, and a missing file fails the build.
const AXE_SOURCE: &str = include_str!("fixtures/axe-core/axe.min.js");
const AXE_VERSION: &str = "4.14.1";
/// WCAG 2.0, 2.1 and 2.2, levels A and AA, as axe-core tags its rules.
const AXE_TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// Whether a path (`/redes/12`) is one of a route (`/redes/{id}`).
fn route_matches(route: &str, path: &str) -> bool {
    let (route, path): (Vec<&str>, Vec<&str>) =
        (route.split('/').collect(), path.split('/').collect());
    route.len() == path.len()
        && route
            .iter()
            .zip(&path)
            .all(|(r, p)| r == p || (r.starts_with('{') && !p.is_empty()))
}

/// Helpers shared by the keyboard checks: `describe(e)` names an element
/// ("input#f-name", "button Guardar", "a#f-name→" for a link to a field),
/// `backgroundAround(e)` is the first opaque background behind the element
/// (white at the top), `contrast(a, b)` the WCAG contrast ratio of two CSS
/// colours.
const FOCUS_JS: &str = "\
function describe(e) { var tag = e.tagName.toLowerCase(); \
  var href = e.getAttribute('href'); \
  if (tag === 'a' && href && href.charAt(0) === '#' && href.length > 1 && href !== '#contenido' && document.getElementById(href.slice(1)) && !e.closest('.leaflet-container')) return 'a' + href + '→'; \
  if (e.id && tag !== 'a' && tag !== 'button') return tag + '#' + e.id; \
  return tag + ' ' + (e.getAttribute('aria-label') || e.textContent).trim().replace(/\\s+/g, ' '); } \
function rgb(c) { var m = c.match(/[\\d.]+/g).map(Number); return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 }; } \
function backgroundAround(e) { for (var n = e.parentElement; n; n = n.parentElement) { \
  var c = getComputedStyle(n).backgroundColor; if (rgb(c).a > 0.99) return c; } return 'rgb(255, 255, 255)'; } \
function lum(c) { var v = [c.r, c.g, c.b].map(function (x) { x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); }); \
  return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; } \
function contrast(a, b) { var x = lum(rgb(a)), y = lum(rgb(b)); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); } ";

/// Prints (and leaves in `target/tmp/axe-<database>.txt`) how many pages
/// axe-core checked, and fails when a kind of page was left out.
fn report_axe(label: &str, checked: &[String]) {
    let mut report = format!(
        "axe-core {AXE_VERSION} ({}): {} page checks on {label}, 0 violations\n",
        AXE_TAGS.join(", "),
        checked.len()
    );
    for page in checked {
        report.push_str(&format!("  {page}\n"));
    }
    println!("{report}");
    let _ = std::fs::write(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("axe-{label}.txt")),
        &report,
    );
    // Every page route of the source (`GET`, outside the JSON API) was
    // checked at least once, so a new page cannot be left out.
    let not_pages = ["/static/{file}", "/idioma/{code}"];
    let paths: Vec<&str> = checked
        .iter()
        .map(|c| c.rsplit(": ").next().unwrap())
        .collect();
    let pages: Vec<String> = table::source_routes()
        .into_iter()
        .filter(|(method, route)| {
            method == "GET" && !route.starts_with("/api/") && !not_pages.contains(&route.as_str())
        })
        .map(|(_, route)| route)
        .collect();
    assert!(
        pages.len() >= 20,
        "page routes read from the source: {pages:?}"
    );
    for route in pages {
        assert!(
            paths.iter().any(|p| route_matches(&route, p)),
            "axe-core never checked the page {route}: visit it in a flow and call `b.axe(..)`\n{report}"
        );
    }
    for kind in [
        "home",
        "login",
        "list",
        "detail",
        "form with errors",
        "plan",
        "print",
        "tokens",
        "error page",
    ] {
        assert!(
            checked.iter().any(|c| c.starts_with(kind)),
            "axe never checked a page of kind {kind:?}: {report}"
        );
    }
}

impl Browser {
    /// Runs axe-core on the page shown now and fails on any WCAG 2.2 A/AA
    /// violation, naming each rule and the selectors of the failing nodes.
    /// `what` names the page in the report ("detail: network").
    async fn axe(&self, what: &str) {
        let loaded = self
            .client
            .execute(
                &format!(
                    "if (!window.axe) {{\n{AXE_SOURCE}\n}}\n\
                     return window.axe && typeof window.axe.run === 'function' ? window.axe.version : null;"
                ),
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("could not inject axe-core into {what}: {e}"));
        assert_eq!(
            loaded.as_str(),
            Some(AXE_VERSION),
            "axe-core did not load on {what} ({})",
            self.where_am_i().await
        );
        let result = self
            .client
            .execute_async(
                "var done = arguments[arguments.length - 1];\
                 window.axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] })\
                   .then(function (r) { done({ violations: r.violations.map(function (v) {\
                     return { id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(function (n) {\
                       return { target: n.target.join(' '), summary: n.failureSummary, html: n.html.slice(0, 160) }; }) }; }) }); })\
                   .catch(function (e) { done({ error: String(e) }); });",
                vec![serde_json::json!(AXE_TAGS)],
            )
            .await
            .unwrap_or_else(|e| panic!("axe-core did not run on {what}: {e}"));
        assert!(
            result["error"].is_null(),
            "axe-core failed on {what}: {}",
            result["error"]
        );
        let path = self
            .client
            .current_url()
            .await
            .map(|u| u.path().to_string())
            .unwrap_or_default();
        let violations = result["violations"].as_array().expect("axe violations");
        if !violations.is_empty() {
            let mut message = format!(
                "axe-core found {} WCAG 2.2 A/AA violation(s) on {what} ({path}):\n",
                violations.len()
            );
            for v in violations {
                message.push_str(&format!(
                    "- {} ({}): {}\n",
                    v["id"].as_str().unwrap_or("?"),
                    v["impact"].as_str().unwrap_or("?"),
                    v["help"].as_str().unwrap_or("")
                ));
                for n in v["nodes"].as_array().into_iter().flatten() {
                    message.push_str(&format!(
                        "    {}\n      {}\n      {}\n",
                        n["target"].as_str().unwrap_or(""),
                        n["html"].as_str().unwrap_or(""),
                        n["summary"]
                            .as_str()
                            .unwrap_or("")
                            .replace('\n', "\n      ")
                    ));
                }
            }
            panic!("{message}");
        }
        self.checked.lock().unwrap().push(format!("{what}: {path}"));
    }

    async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    /// Waits for an element (pages load after clicks; never sleeps).
    async fn css(&self, selector: &str) -> Element {
        let found = self
            .client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css(selector))
            .await;
        match found {
            Ok(element) => element,
            Err(e) => panic!("no element {selector} on {}: {e}", self.where_am_i().await),
        }
    }

    async fn xpath(&self, path: &str) -> Element {
        let found = self
            .client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::XPath(path))
            .await;
        match found {
            Ok(element) => element,
            Err(e) => panic!("no element {path} on {}: {e}", self.where_am_i().await),
        }
    }

    async fn css_all(&self, selector: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(selector)).await.unwrap()
    }

    async fn type_into(&self, selector: &str, text: &str) {
        self.css(selector)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {selector}: {e}"));
    }

    async fn clear_and_type(&self, selector: &str, text: &str) {
        let field = self.css(selector).await;
        field.clear().await.unwrap();
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {selector}: {e}"));
    }

    /// What the field holds now (what the person sees in it).
    async fn value(&self, selector: &str) -> String {
        self.css(selector)
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    async fn main_text(&self) -> String {
        self.css("main").await.text().await.unwrap()
    }

    async fn login(&self, username: &str) {
        self.goto("/login").await;
        self.type_into("#f-username", username).await;
        self.type_into("#f-password", PASSWORD).await;
        self.css("form[action='/login'] button[type='submit']")
            .await
            .click()
            .await
            .expect("click Entrar");
        // Signed in: the header names the person.
        let who = self.css("header .session .who").await;
        assert!(who
            .text()
            .await
            .unwrap()
            .contains(&format!("Persona {username}")));
    }

    /// The name field is marked invalid, points at its message, and the
    /// message sits in the same field container.
    async fn expect_error_next_to_name(&self) {
        let input = self.css("#f-name").await;
        assert_eq!(
            input.attr("aria-invalid").await.unwrap().as_deref(),
            Some("true")
        );
        assert_eq!(
            input.attr("aria-describedby").await.unwrap().as_deref(),
            Some("e-name")
        );
        let container = self.xpath("//input[@id='f-name']/parent::div").await;
        assert!(container
            .attr("class")
            .await
            .unwrap()
            .unwrap_or_default()
            .contains("has-error"));
        let error = container
            .find(Locator::Css(".error"))
            .await
            .expect("error inside the name field");
        assert_eq!(error.attr("id").await.unwrap().as_deref(), Some("e-name"));
        assert!(error.is_displayed().await.unwrap());
        assert!(
            error.text().await.unwrap().contains("obligatorio"),
            "{}",
            error.text().await.unwrap()
        );
    }

    /// After a refused form the focus is on the error summary, which links
    /// the field (`name`) with its label and problem (`text`); following
    /// the link puts the focus in the field.
    async fn expect_error_summary(&self, name: &str, text: &str) {
        let summary = self.css("main .error-summary[tabindex='-1']").await;
        let focused = self
            .wait_for_js(
                "return document.activeElement && document.activeElement.classList.contains('error-summary');",
            )
            .await;
        assert!(focused, "the focus is not on the error summary");
        let link = summary
            .find(Locator::Css(&format!("li a[href='#f-{name}']")))
            .await
            .unwrap_or_else(|_| panic!("no link to #f-{name} in the error summary"));
        assert_eq!(link.text().await.unwrap(), text);
        link.click().await.expect("follow the summary's link");
        let focused = self
            .wait_for_js(&format!(
                "return document.activeElement && document.activeElement.id === 'f-{name}';"
            ))
            .await;
        assert!(
            focused,
            "the summary's link did not move the focus to #f-{name}"
        );
    }

    /// Polls a script until it returns true (at most 5 s); its last answer.
    async fn wait_for_js(&self, script: &str) -> bool {
        for _ in 0..50 {
            let answer = self.client.execute(script, vec![]).await.unwrap();
            if answer == true {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }

    /// Presses and releases one key.
    async fn press(&self, key: Key) {
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key.into() })
            .then(KeyAction::Up { value: key.into() });
        self.client
            .perform_actions(keys)
            .await
            .expect("press a key");
    }

    /// The elements a Tab reaches inside `container`, in the page's order
    /// (no positive tabindex anywhere), named as [`Browser::tab_through`]
    /// names them.
    async fn tab_order_in(&self, container: &str) -> Vec<String> {
        let names = self
            .client
            .execute(
                &format!(
                    "{FOCUS_JS} var root = document.querySelector(arguments[0]); \
                     if (document.querySelector('[tabindex]:not([tabindex=\"0\"]):not([tabindex^=\"-\"])')) return ['positive tabindex']; \
                     return Array.from(root.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')) \
                       .filter(function (e) {{ return e.tabIndex >= 0 && !e.disabled && e.type !== 'hidden' \
                         && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden'; }}) \
                       .map(describe);"
                ),
                vec![serde_json::json!(container)],
            )
            .await
            .expect("list the focusable elements");
        serde_json::from_value(names).unwrap()
    }

    /// Presses Tab `count` times and names each element that gets the
    /// focus ("input#f-name", "button Guardar", "a#f-name→" for a link to
    /// a field). Fails when the focused element shows no outline of at
    /// least 2 px, or its colour has less than 3:1 against the background
    /// around the element, or a map marker takes the focus.
    async fn tab_through(&self, count: usize) -> Vec<String> {
        let mut walked = Vec::new();
        for _ in 0..count {
            self.press(Key::Tab).await;
            let focus = self
                .client
                .execute(
                    &format!(
                        "{FOCUS_JS} var e = document.activeElement; var s = getComputedStyle(e); \
                         var r = e.getBoundingClientRect(); \
                         return {{ name: describe(e), style: s.outlineStyle, width: parseFloat(s.outlineWidth), \
                                  ratio: contrast(s.outlineColor, backgroundAround(e)), \
                                  marker: !!e.closest('.mapa-marca'), \
                                  inView: r.bottom > 0 && r.right > 0 && r.left < innerWidth && r.top < innerHeight }};"
                    ),
                    vec![],
                )
                .await
                .expect("inspect the focused element");
            let name = focus["name"].as_str().unwrap_or("?").to_string();
            assert_eq!(
                focus["marker"], false,
                "a map marker took the focus: {focus}"
            );
            assert!(
                focus["style"] != "none" && focus["width"].as_f64().unwrap_or(0.0) >= 2.0,
                "no visible focus outline on {name}: {focus} (after {walked:?})"
            );
            assert!(
                focus["ratio"].as_f64().unwrap_or(0.0) >= 3.0,
                "the focus outline of {name} has less than 3:1 against its background: {focus}"
            );
            assert_eq!(
                focus["inView"], true,
                "{name} has the focus out of view: {focus}"
            );
            walked.push(name);
        }
        walked
    }

    /// At 320 CSS pixels wide (1280 px at 400 % zoom) nothing makes the page
    /// scroll sideways: only a table's wrapper may.
    async fn expect_reflow_at_320(&self, what: &str) {
        self.client
            .set_window_size(320, 800)
            .await
            .expect("narrow window");
        let mut answer = serde_json::Value::Null;
        for _ in 0..50 {
            answer = self
                .client
                .execute(
                    "var wide = Array.from(document.body.querySelectorAll('*')).filter(function (e) { \
                       if (e.closest('.table-wrap, .leaflet-container')) return false; \
                       var r = e.getBoundingClientRect(); return r.width > 0 && r.right > document.documentElement.clientWidth + 1; }) \
                       .slice(0, 5).map(function (e) { return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + \
                         (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '') + \
                         ' right=' + Math.round(e.getBoundingClientRect().right); }); \
                     return { inner: window.innerWidth, client: document.documentElement.clientWidth, \
                              scroll: document.documentElement.scrollWidth, wide: wide };",
                    vec![],
                )
                .await
                .expect("measure the page");
            if answer["inner"] == 320 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.client
            .set_window_size(1280, 900)
            .await
            .expect("restore the window");
        assert_eq!(
            answer["inner"], 320,
            "the window did not narrow to 320 px: {answer}"
        );
        assert!(
            answer["scroll"].as_u64() <= answer["client"].as_u64()
                && answer["wide"].as_array().is_some_and(|w| w.is_empty()),
            "{what} scrolls sideways at 320 px: {answer}"
        );
    }

    /// Elements present once the page shows at least one of them.
    async fn wait_all(&self, selector: &str) -> Vec<Element> {
        self.css(selector).await;
        self.css_all(selector).await
    }

    /// The number of the cluster whose table lists a school (by code).
    async fn cluster_of(&self, code: &str) -> usize {
        let section = self
            .xpath(&format!(
                "//section[contains(@class, 'cluster')][.//td/small[normalize-space()='{code}']]"
            ))
            .await;
        let id = section.attr("id").await.unwrap().unwrap_or_default();
        id.strip_prefix("agrupamiento-")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("cluster section id {id:?}"))
    }

    /// Moves a school with its row's "Mover a" select and "Mover" button,
    /// and waits until the reloaded plan shows it in the new cluster.
    async fn move_school(&self, code: &str, cluster: usize) {
        let select = self.css(&format!("form.move select#mover-{code}")).await;
        select
            .select_by_value(&cluster.to_string())
            .await
            .unwrap_or_else(|e| panic!("choose cluster {cluster} for {code}: {e}"));
        let form = self
            .xpath(&format!(
                "//form[contains(@class, 'move')][.//select[@id='mover-{code}']]"
            ))
            .await;
        let button = form
            .find(Locator::Css("button[type='submit']"))
            .await
            .unwrap();
        assert_eq!(button.text().await.unwrap(), "Mover");
        button.click().await.expect("click Mover");
        self.xpath(&format!(
            "//section[@id='agrupamiento-{cluster}']//td/small[normalize-space()='{code}']"
        ))
        .await;
    }

    async fn approve_button(&self) -> Element {
        self.css("form[action$='/aprobar'][data-confirm] button[type='submit']")
            .await
    }

    async fn expect_validator_clean(&self) {
        let ok = self.css("main p.ok").await;
        assert_eq!(
            ok.text().await.unwrap(),
            "El validador no encontró incumplimientos."
        );
    }

    /// The map: Leaflet loaded from /static/leaflet.js, no tile layer, one
    /// circle marker per school with coordinates.
    async fn expect_map(&self) {
        let map = self.css("#mapa.map").await;
        assert!(map.is_displayed().await.unwrap());
        let points: serde_json::Value =
            serde_json::from_str(&map.attr("data-points").await.unwrap().unwrap()).unwrap();
        let with_coordinates = points
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["lat"].is_number() && p["lon"].is_number())
            .count();
        assert_eq!(with_coordinates, ZONE_SCHOOLS.len());
        // Waits for the first marker (the scripts are deferred).
        self.css("#mapa .mapa-marca").await;
        let drawn = self
            .client
            .execute(
                "var el = document.getElementById('mapa'); \
                 var marks = Array.from(el.querySelectorAll('.mapa-marca')); \
                 var stops = Array.from(el.querySelectorAll('a[href], button, input, select, [tabindex]')) \
                   .filter(function (n) { return n.tabIndex >= 0; }); \
                 return { leaflet: typeof window.L === 'object' && typeof window.L.map === 'function', \
                          markers: marks.length, \
                          focusable_markers: marks.filter(function (m) { return m.tabIndex >= 0 || m.getAttribute('role'); }).length, \
                          hidden_markers: marks.filter(function (m) { return m.getAttribute('aria-hidden') === 'true'; }).length, \
                          numbers: marks.map(function (m) { return m.textContent; }), \
                          squares: el.querySelectorAll('.mapa-marca.mapa-sede').length, \
                          stops: stops.map(function (n) { return n.getAttribute('aria-label') || n.textContent; }), \
                          role: el.getAttribute('role'), name: el.getAttribute('aria-label'), \
                          tiles: document.querySelectorAll('#mapa .leaflet-tile').length, \
                          scripts: Array.from(document.scripts).map(s => s.getAttribute('src')) };",
                vec![],
            )
            .await
            .expect("inspect the map");
        assert_eq!(drawn["leaflet"], true, "{drawn}");
        assert_eq!(drawn["markers"], with_coordinates, "{drawn}");
        // A labelled region; markers out of the tab order and hidden from
        // screen readers (the tables say the same); each shows its
        // cluster's number, host schools as squares; zoom in Spanish.
        assert_eq!(drawn["role"], "region", "{drawn}");
        assert_eq!(drawn["name"], "Mapa de los agrupamientos", "{drawn}");
        assert_eq!(drawn["focusable_markers"], 0, "{drawn}");
        assert_eq!(drawn["hidden_markers"], with_coordinates, "{drawn}");
        let mut numbers: Vec<String> = drawn["numbers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect();
        let mut expected: Vec<String> = points
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                p["cluster"]
                    .as_u64()
                    .map_or("–".to_string(), |c| c.to_string())
            })
            .collect();
        numbers.sort();
        expected.sort();
        assert_eq!(numbers, expected, "{drawn}");
        let hosts = points
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["host"] == true)
            .count();
        assert_eq!(drawn["squares"], hosts, "{drawn}");
        let stops: Vec<&str> = drawn["stops"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap_or(""))
            .collect();
        assert!(
            stops.starts_with(&["Acercar", "Alejar"]) && stops.len() <= 3,
            "tab stops in the map: {stops:?}"
        );
        assert_eq!(drawn["tiles"], 0, "no tiles configured: {drawn}");
        assert!(
            drawn["scripts"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s == "/static/leaflet.js"),
            "{drawn}"
        );
        assert!(map
            .attr("class")
            .await
            .unwrap()
            .unwrap_or_default()
            .contains("leaflet-container"));
    }

    async fn where_am_i(&self) -> String {
        let url = self
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let text = match self.client.find(Locator::Css("main")).await {
            Ok(main) => main.text().await.unwrap_or_default(),
            Err(_) => self.client.source().await.unwrap_or_default(),
        };
        format!(
            "{url}\n---\n{}",
            text.chars().take(1500).collect::<String>()
        )
    }
}

/// Serves the application on a free local port for the browser.
async fn serve(app: &TestApp) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a local port");
    let addr = listener.local_addr().unwrap();
    let router = redes::app(app.state.clone());
    tokio::spawn(async move {
        axum::serve(listener, router).await.expect("serve");
    });
    format!("http://{addr}")
}

fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

fn chrome_binary() -> String {
    let bin = std::env::var("CHROME_BIN").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&bin).exists(),
        "Chromium not found at {bin}: install it (`apt-get install chromium chromium-driver`) or set CHROME_BIN"
    );
    bin
}

/// A WebDriver session in a fresh headless Chromium.
async fn new_session(driver: &str, profile: &Path) -> Client {
    let options = serde_json::json!({
        "binary": chrome_binary(),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            format!("--user-data-dir={}", profile.display()),
            "--window-size=1280,900",
        ],
    });
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    ClientBuilder::native()
        .capabilities(caps)
        .connect(driver)
        .await
        .unwrap_or_else(|e| {
            panic!("could not open a Chromium session through chromedriver at {driver}: {e}")
        })
}

/// chromedriver as a child process, killed (with the browsers it started)
/// when dropped, also when a test panics.
struct Chromedriver {
    child: Child,
    url: String,
    _log_dir: tempfile::TempDir,
}

impl Chromedriver {
    fn start() -> Chromedriver {
        let program = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| {
            if Path::new("/usr/bin/chromedriver").exists() {
                "/usr/bin/chromedriver".into()
            } else {
                "chromedriver".into()
            }
        });
        let port = free_port();
        let log_dir = tempfile::tempdir().expect("temp dir");
        let log = std::fs::File::create(log_dir.path().join("chromedriver.log")).expect("log file");
        let mut command = Command::new(&program);
        command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        // Its own process group, so the browsers it starts can be killed too.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command.spawn().unwrap_or_else(|e| {
            panic!(
                "cannot start chromedriver ({program}): {e}. The browser tests need Chromium and its driver: \
                 install them with `apt-get install chromium chromium-driver` (or set CHROMEDRIVER)"
            )
        });
        let mut driver = Chromedriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            _log_dir: log_dir,
        };
        driver.wait_until_listening(port);
        driver
    }

    fn wait_until_listening(&mut self, port: u16) {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        for _ in 0..300 {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                let log = std::fs::read_to_string(self._log_dir.path().join("chromedriver.log"))
                    .unwrap_or_default();
                panic!("chromedriver exited at start ({status}): {log}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("chromedriver did not listen on port {port}");
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The whole process group: chromedriver and any Chromium left behind.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .expect("free port")
        .local_addr()
        .unwrap()
        .port()
}
