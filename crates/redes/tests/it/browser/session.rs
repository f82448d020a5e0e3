//! The browser session the flows drive: navigation, waits, axe-core and
//! the keyboard helpers.

use super::*;

/// A browser session on the application.
pub(crate) struct Browser {
    pub(crate) client: Client,
    pub(crate) base: String,
    pub(crate) checked: Arc<Mutex<Vec<String>>>,
}

/// axe-core, vendored from its npm package (see
/// `tests/fixtures/axe-core/README.md`): compiled in, so no network and no
/// Node are needed at run time, and a missing file fails the build.
pub(crate) const AXE_SOURCE: &str = include_str!("../../fixtures/axe-core/axe.min.js");
pub(crate) const AXE_VERSION: &str = "4.14.1";
/// WCAG 2.0, 2.1 and 2.2, levels A and AA, as axe-core tags its rules.
pub(crate) const AXE_TAGS: [&str; 5] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// Whether a path (`/redes/12`) is one of a route (`/redes/{id}`).
pub(crate) fn route_matches(route: &str, path: &str) -> bool {
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
pub(crate) const FOCUS_JS: &str = "\
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
pub(crate) fn report_axe(label: &str, checked: &[String]) {
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
    // Not pages: a meeting's document (a download), calendars (iCalendar),
    // a practice's attachment and its PDF.
    let not_pages = [
        "/static/{file}",
        "/idioma/{code}",
        "/reuniones/{id}/documentos/{document_id}",
        "/practicas/{id}/archivos/{file_id}",
        "/buenas-practicas/{id}/pdf",
        "/calendario/{token}",
    ];
    let paths: Vec<&str> = checked
        .iter()
        .map(|c| c.rsplit(": ").next().unwrap())
        .collect();
    let pages: Vec<String> = table::source_routes()
        .into_iter()
        .filter(|(method, route)| {
            method == "GET"
                && !route.starts_with("/api/")
                && !route.ends_with(".ics")
                && !not_pages.contains(&route.as_str())
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
    pub(crate) async fn axe(&self, what: &str) {
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

    pub(crate) async fn goto(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    /// Waits for an element (pages load after clicks; never sleeps).
    pub(crate) async fn css(&self, selector: &str) -> Element {
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

    pub(crate) async fn xpath(&self, path: &str) -> Element {
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

    pub(crate) async fn css_all(&self, selector: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(selector)).await.unwrap()
    }

    pub(crate) async fn type_into(&self, selector: &str, text: &str) {
        self.css(selector)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {selector}: {e}"));
    }

    pub(crate) async fn clear_and_type(&self, selector: &str, text: &str) {
        let field = self.css(selector).await;
        field.clear().await.unwrap();
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {selector}: {e}"));
    }

    /// What the field holds now (what the person sees in it).
    pub(crate) async fn value(&self, selector: &str) -> String {
        self.css(selector)
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    pub(crate) async fn main_text(&self) -> String {
        self.css("main").await.text().await.unwrap()
    }

    pub(crate) async fn login(&self, username: &str) {
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
    pub(crate) async fn expect_error_next_to_name(&self) {
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
    pub(crate) async fn expect_error_summary(&self, name: &str, text: &str) {
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
    pub(crate) async fn wait_for_js(&self, script: &str) -> bool {
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
    pub(crate) async fn press(&self, key: Key) {
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
    pub(crate) async fn tab_order_in(&self, container: &str) -> Vec<String> {
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
    pub(crate) async fn tab_through(&self, count: usize) -> Vec<String> {
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
    pub(crate) async fn expect_reflow_at_320(&self, what: &str) {
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
    pub(crate) async fn wait_all(&self, selector: &str) -> Vec<Element> {
        self.css(selector).await;
        self.css_all(selector).await
    }

    /// The number of the cluster whose table lists a school (by code).
    pub(crate) async fn cluster_of(&self, code: &str) -> usize {
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
    pub(crate) async fn move_school(&self, code: &str, cluster: usize) {
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

    pub(crate) async fn approve_button(&self) -> Element {
        self.css("form[action$='/aprobar'][data-confirm] button[type='submit']")
            .await
    }

    pub(crate) async fn expect_validator_clean(&self) {
        let ok = self.css("main p.ok").await;
        assert_eq!(
            ok.text().await.unwrap(),
            "El validador no encontró incumplimientos."
        );
    }

    /// The map: Leaflet loaded from /static/leaflet.js, no tile layer, one
    /// circle marker per school with coordinates.
    pub(crate) async fn expect_map(&self) {
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
            drawn["scripts"].as_array().unwrap().iter().any(|s| s
                .as_str()
                .is_some_and(|s| s.starts_with("/static/leaflet.js?v="))),
            "{drawn}"
        );
        assert!(map
            .attr("class")
            .await
            .unwrap()
            .unwrap_or_default()
            .contains("leaflet-container"));
    }

    pub(crate) async fn where_am_i(&self) -> String {
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
