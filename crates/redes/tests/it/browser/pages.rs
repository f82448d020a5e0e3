//! Flows: a school named like markup, the pages no other flow reaches, the
//! keyboard walk.

use super::*;

/// A school named like markup is shown as text on the map's tooltips,
/// never inserted as HTML (stored script injection found by the probe).
pub(crate) async fn a_school_name_is_shown_as_text_on_the_map(ctx: Flow, b: Browser) {
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
pub(crate) async fn the_other_pages_pass_axe(ctx: Flow, b: Browser) {
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
    b.expect_error_summary("title", "Título: El título es obligatorio")
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
    // What the reader sees in English holds no text of the Spanish file.
    for path in [
        "/",
        "/redes",
        "/escuelas",
        "/censo",
        "/redes/nueva",
        "/no-existe",
    ] {
        b.goto(path).await;
        let seen = b.css("body").await.text().await.unwrap();
        let left = crate::english::spanish_in(&seen);
        assert!(left.is_empty(), "{path} in English shows Spanish: {left:?}");
    }
    // A form refused in English: its messages are English too.
    b.goto("/redes/nueva").await;
    b.css("form[action='/redes'] button[type='submit']")
        .await
        .click()
        .await
        .expect("send the empty form");
    let summary = b.css(".error-summary").await.text().await.unwrap();
    assert!(
        summary.contains("The network's name is required"),
        "{summary}"
    );
    assert!(crate::english::spanish_in(&summary).is_empty(), "{summary}");
    ctx.screenshot(&b, "english-form-errors").await;
    b.goto("/idioma/es?next=/").await;
}

/// One keyboard walk: the network form shown again with an error, then the
/// plan page from its top. Every stop is in the order of the page, shows
/// its focus with an outline of 3:1 or more against what surrounds it, and
/// the map's markers are never a stop.
pub(crate) async fn the_keyboard_reaches_a_form_and_the_plan_in_order(ctx: Flow, b: Browser) {
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
