//! Flow 4: a zone supervisor plans an encounter between schools.

use super::*;

/// Flow 4: a zone supervisor plans the encounter between the schools of
/// their municipality: runs the planner, moves a school so that a cluster
/// is left with one level (rule 1) and back, approves, and opens the
/// attendance lists. The map is drawn by the vendored Leaflet without tiles.
pub(crate) async fn supervisor_plans_an_encounter(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    seed_zone(app).await;
    app.person("supervisora", &[zone_supervisor()]).await;
    // A teacher of Primaria Norte in Redes: named on the printed rosters.
    let norte = app
        .count("SELECT id FROM schools WHERE official_code = '22DPR0001B'")
        .await;
    app.person(
        "docente.norte",
        &[common::Grant {
            country: "mx",
            ..school_grant("teacher", norte)
        }],
    )
    .await;
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
    // The map's legend: one entry per cluster, in its markers' colour, and
    // the shapes.
    let legend = b.css_all("#mapa-leyenda li").await.len();
    assert_eq!(legend, clusters.len() + 3, "clusters and three shapes");
    let mismatched = b
        .client
        .execute(
            "var bg = function (e) { return getComputedStyle(e).backgroundColor; }; \
             return Array.from(document.querySelectorAll('#mapa .mapa-marca:not(.mapa-sin)')).filter(function (m) { \
               var n = m.textContent.trim(); \
               var s = Array.from(document.querySelectorAll('#mapa-leyenda .swatch[class*=mapa-c]')).find(function (e) { return e.textContent.trim() === n; }); \
               return !s || bg(s) !== bg(m); }).map(function (m) { return m.textContent; });",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        mismatched,
        serde_json::json!([]),
        "markers unlike their legend"
    );
    b.axe("plan: draft").await;
    b.expect_reflow_at_320("the plan").await;
    ctx.screenshot(&b, "encounter-plan").await;
    b.client
        .execute(
            "document.getElementById('mapa-leyenda').scrollIntoView();",
            vec![],
        )
        .await
        .expect("scroll to the legend");
    ctx.screenshot(&b, "encounter-legend").await;
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
    // Rule 1, and rule 2 twice (the locality fits one venue but is split,
    // and the part left behind lacks primaria): all listed and counted.
    let text = b.main_text().await;
    assert!(text.contains("3 incumplimientos —"), "{text}");
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
    // The same plan in English: the rules and the validator's sentences too.
    let plan_path = plan_url.path().to_string();
    b.goto(&format!("/idioma/en?next={plan_path}")).await;
    b.xpath("//html[@lang='en']").await;
    let listed = b.css("main ul.violations").await.text().await.unwrap();
    assert!(
        listed.contains(&format!(
            "Rule 1: at least two levels (cluster {north}): school group {north} has CTEs of a single level"
        )),
        "{listed}"
    );
    let seen = b.main_text().await;
    let left = crate::english::spanish_in(&seen);
    assert!(
        left.is_empty(),
        "the plan in English shows Spanish: {left:?}"
    );
    ctx.screenshot(&b, "encounter-violation-en").await;
    b.goto(&format!("/idioma/es?next={plan_path}")).await;
    b.xpath("//html[@lang='es']").await;

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
    assert!(
        names.iter().any(|n| n == "Persona docente.norte"),
        "{names:?}"
    );
    // The lists use the page's width (the window is 1280 px wide).
    let wide = b
        .wait_for_js(
            "var t = document.querySelector('section.sheet table'); \
             return t.getBoundingClientRect().width >= document.documentElement.clientWidth - 40;",
        )
        .await;
    assert!(wide, "the attendance list does not use the page's width");
    assert_eq!(
        b.css_all("section.sheet tbody td.sign").await.len() as i64,
        3 * teachers
    );
    b.axe("print: attendance lists").await;
    b.expect_reflow_at_320("the attendance lists").await;
    ctx.screenshot(&b, "encounter-print").await;
}
