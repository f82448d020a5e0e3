//! Good practices in the browser (issue 12, item 10 without the search
//! step): a teacher documents a practice (after a refused try), attaches
//! evidence and systematizes it; the coordination sends it to review; the
//! regional authority assigns two peer reviewers, who score it with the
//! rubric (the first after a refused try without scores); the author
//! replies; the regional authority publishes it; the ministry gives a region
//! its own rubric. axe-core on every practices page, and the practice's
//! page photographed 390 px wide.

use super::*;

/// A network of Valparaíso with two member schools and its people:
/// `(network, member)`.
async fn world(app: &TestApp) -> (i64, i64) {
    let network = app.network("Red Costa Valparaíso", "Valparaíso").await;
    let member = app
        .school(
            "cl",
            "7101",
            "Escuela Costa Brava",
            "Valparaíso",
            "Valparaíso",
        )
        .await;
    let other = app
        .school(
            "cl",
            "7102",
            "Escuela Cerro Alegre",
            "Valparaíso",
            "Valparaíso",
        )
        .await;
    let mut conn = app.db.pool.acquire().await.unwrap();
    for school in [member, other] {
        redes::networks::store::add_member(
            &mut conn,
            redes::ids::NetworkId(network),
            redes::ids::SchoolId(school),
            Some("2020-03-01"),
        )
        .await
        .unwrap();
    }
    drop(conn);
    app.person("docente.practicas", &[school_grant("teacher", member)])
        .await;
    app.person(
        "coordinacion.practicas",
        &[network_grant("network_coordinator", network)],
    )
    .await;
    app.person(
        "seremi.practicas",
        &[grant("regional_authority", "region", "Valparaíso")],
    )
    .await;
    // A peer reviewer from the other school of the network; the ministry.
    app.person("revisora.practicas", &[school_grant("director", other)])
        .await;
    app.person("ministerio.practicas", &[grant("ministry", "national", "")])
        .await;
    // A school of another network and region, that will adopt it.
    let maule = app.network("Red Maule Sur", "Maule").await;
    let rio_claro = app
        .school("cl", "7103", "Escuela Río Claro", "Maule", "Talca")
        .await;
    let mut tx = app.db.write().await.unwrap();
    redes::networks::store::add_member(
        &mut tx,
        redes::ids::NetworkId(maule),
        redes::ids::SchoolId(rio_claro),
        Some("2020-03-01"),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    app.person("director.replica", &[school_grant("director", rio_claro)])
        .await;
    (network, member)
}

impl Browser {
    /// Submits the lifecycle's form that moves the practice to `to`.
    async fn move_practice(&self, to: &str) {
        self.submit(&format!(
            "form[action$='/estado']:has(input[name='to'][value='{to}']) button[type='submit']"
        ))
        .await;
        self.css("#ciclo").await;
    }

    /// The territory's reviewer assigns `username` to review the practice.
    async fn assign_reviewer(&self, app: &TestApp, username: &str) -> i64 {
        let person = app
            .count(&format!(
                "SELECT id FROM people WHERE username = '{username}'"
            ))
            .await;
        self.css(&format!("#f-reviewer_id option[value='{person}']"))
            .await
            .click()
            .await
            .expect("choose the reviewer");
        self.submit("form[action$='/revisiones'] button[type='submit']")
            .await;
        let review = app
            .count(&format!(
                "SELECT id FROM practice_reviews WHERE reviewer_id = {person}"
            ))
            .await;
        self.css(&format!("#revision-{review}")).await;
        review
    }

    /// The reviewer scores every criterion `score` and sends the review.
    async fn score_practice(&self, score: usize, comment: &str) {
        for n in 1..=8 {
            self.css(&format!("input[name='score_{n}'][value='{score}']"))
                .await
                .click()
                .await
                .expect("choose a level");
        }
        self.type_into("#f-comment", comment).await;
        self.submit("form.rubric-form button[type='submit']").await;
        self.css("#revision").await;
    }

    async fn sign_out_and_in(&self, username: &str) {
        self.submit("form[action='/logout'] button").await;
        self.login(username).await;
    }
}

pub(crate) async fn a_practice_is_documented_reviewed_and_published(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    let (_, member) = world(app).await;
    b.login("docente.practicas").await;

    b.goto("/practicas").await;
    b.axe("list: practices").await;
    b.goto("/practicas/nueva").await;
    b.axe("form: new practice").await;
    // Without a title it is refused, the message next to the field.
    b.css(&format!("input[name='school_ids'][value='{member}']"))
        .await
        .click()
        .await
        .expect("tick the school");
    b.submit("form[action='/practicas'] button[type='submit']")
        .await;
    b.expect_error_summary("title", "Título: Escriba el título de la práctica")
        .await;
    b.axe("form with errors: practice without a title").await;
    b.type_into("#f-title", "Talleres con familias en la costa")
        .await;
    for (field, text) in [
        (
            "#f-context",
            "Escuelas de cerro con familias que trabajan en el puerto.",
        ),
        ("#f-problem", "Las familias no participan en la escuela."),
        (
            "#f-objective",
            "Que las familias acompañen la lectura en casa.",
        ),
        ("#f-steps", "- Taller mensual\n- Préstamo de libros"),
        ("#f-results", "Sesenta familias asistieron a tres talleres."),
        ("#f-learnings", "El horario vespertino hace la diferencia."),
        ("#f-plan_link", "Acción de participación del PME."),
    ] {
        b.type_into(field, text).await;
    }
    b.submit("form[action='/practicas'] button[type='submit']")
        .await;
    b.xpath("//h1[contains(., 'Talleres con familias en la costa')]")
        .await;
    b.axe("detail: practice, identified").await;
    let id = app.count("SELECT MAX(id) FROM practices").await;
    b.goto(&format!("/practicas/{id}/editar")).await;
    b.axe("form: edit practice").await;
    b.goto(&format!("/practicas/{id}")).await;

    // Evidence: a file chosen from disk.
    let file = std::env::temp_dir().join(format!("redes-asistencia-{}.txt", ctx.label));
    std::fs::write(&file, "Asistencia a los talleres: 60 familias.").unwrap();
    b.css("#f-file")
        .await
        .send_keys(file.to_str().unwrap())
        .await
        .expect("choose the file");
    b.submit("form[action$='/archivos'] button[type='submit']")
        .await;
    b.xpath(&format!(
        "//main//a[contains(., 'redes-asistencia-{}.txt')]",
        ctx.label
    ))
    .await;
    b.move_practice("documented").await;
    b.move_practice("systematized").await;

    // The coordination sends it to review; the regional authority publishes.
    b.sign_out_and_in("coordinacion.practicas").await;
    b.goto(&format!("/practicas/{id}")).await;
    b.move_practice("under_review").await;
    b.sign_out_and_in("seremi.practicas").await;
    b.goto(&format!("/practicas/{id}")).await;
    b.axe("detail: practice under review, for its reviewer")
        .await;
    // Publication needs two peer reviews: the regional authority assigns them.
    let main = b.main_text().await;
    assert!(
        main.contains("2 revisiones de pares terminadas (tiene 0)"),
        "{main}"
    );
    let first = b.assign_reviewer(app, "revisora.practicas").await;
    let second = b.assign_reviewer(app, "coordinacion.practicas").await;

    // The first reviewer sends nothing first: every criterion is named.
    b.sign_out_and_in("revisora.practicas").await;
    b.goto(&format!("/practicas/{id}")).await;
    let write = b
        .css(&format!("a[href='/practicas/{id}/revisiones/{first}']"))
        .await;
    b.click_to_new_page(write, "the review form").await;
    b.axe("form: peer review with the rubric").await;
    b.submit("form.rubric-form button[type='submit']").await;
    b.expect_error_summary("score_1", "Pertinente: Elija un nivel de 1 a 4")
        .await;
    let main = b.main_text().await;
    assert!(
        main.contains("Sostenible: Elija un nivel de 1 a 4"),
        "{main}"
    );
    b.axe("form with errors: peer review without scores").await;
    b.score_practice(4, "Bien documentada; falta medir la lectura en casa.")
        .await;
    b.sign_out_and_in("coordinacion.practicas").await;
    b.goto(&format!("/practicas/{id}/revisiones/{second}"))
        .await;
    b.score_practice(3, "Sostenible si se mantiene el horario.")
        .await;

    // The author reads the scores and replies to the first review.
    b.sign_out_and_in("docente.practicas").await;
    b.goto(&format!("/practicas/{id}")).await;
    let main = b.main_text().await;
    assert!(main.contains("Puntaje combinado: 3,5 de 4"), "{main}");
    b.type_into(
        &format!("#f-reply-{first}"),
        "Mediremos la lectura en casa con una encuesta en junio.",
    )
    .await;
    b.submit(&format!(
        "form[action$='/revisiones/{first}/respuesta'] button[type='submit']"
    ))
    .await;
    b.xpath(&format!(
        "//section[@id='revision-{first}']//div[@class='reply']//p[contains(., 'encuesta en junio')]"
    ))
    .await;
    b.axe("detail: practice with its reviews and a reply").await;

    b.sign_out_and_in("seremi.practicas").await;
    b.goto(&format!("/practicas/{id}")).await;
    b.move_practice("published").await;
    let main = b.main_text().await;
    for line in [
        "Identificada → Documentada",
        "Sistematizada → En revisión",
        "En revisión → Publicada",
    ] {
        assert!(main.contains(line), "{line}: {main}");
    }
    b.axe("detail: practice, published").await;

    // Published, it is found by anyone: typed without accents and in the
    // plural, a query finds the words of its record ("Acción de
    // participación", "El horario vespertino"), marked, with the facets
    // beside.
    b.goto("/practicas/buscar").await;
    b.type_into("#s-q", "participacion horarios vespertinos")
        .await;
    b.submit("form[action='/practicas/buscar'] button[type='submit']")
        .await;
    b.xpath("//ol[@class='results']//a[contains(., 'Talleres con familias en la costa')]")
        .await;
    b.css("ol.results mark").await;
    b.css("nav.facets a").await;
    b.axe("search: practices, found with facets").await;
    ctx.screenshot(&b, "practice-search").await;

    // A director of Maule records that their school adopted it: refused
    // without the adaptation, then drawn in the graph and listed.
    b.sign_out_and_in("director.replica").await;
    b.goto(&format!("/practicas/{id}")).await;
    b.submit("form[action$='/replicas'] button[type='submit']")
        .await;
    b.expect_error_summary(
        "adaptation",
        "Cómo la adaptó: Cuente cómo la escuela adaptó la práctica",
    )
    .await;
    b.axe("detail: practice, replication form with errors")
        .await;
    b.type_into(
        "#f-adaptation",
        "Talleres los sábados, con apoderados del internado.",
    )
    .await;
    b.submit("form[action$='/replicas'] button[type='submit']")
        .await;
    b.xpath("//table[@id='tabla-replicas']//td[contains(., 'Escuela Río Claro')]")
        .await;
    b.css("svg[role='img'] title#grafo-titulo").await;
    let main = b.main_text().await;
    assert!(main.contains("1 escuela la adoptó"), "{main}");
    assert!(main.contains("Publicada → Replicada"), "{main}");
    b.axe("detail: practice, replicated, with its graph").await;

    // As on a phone: 390 px wide.
    b.client
        .set_window_size(390, 844)
        .await
        .expect("phone-sized window");
    assert!(
        b.wait_for_js("return window.innerWidth === 390").await,
        "the window did not narrow to 390 px"
    );
    ctx.screenshot(&b, "practice-390").await;
    b.client
        .set_window_size(1280, 900)
        .await
        .expect("restore the window");

    // Published, it is read by everyone: the public list, its printable
    // page with the link to its PDF.
    b.goto("/buenas-practicas").await;
    b.css(&format!("a[href='/buenas-practicas/{id}']"))
        .await
        .click()
        .await
        .expect("open the printable practice");
    b.css(&format!("a[href='/buenas-practicas/{id}/pdf']"))
        .await;
    b.axe("print: practice, printable page").await;
    b.goto("/buenas-practicas").await;
    b.axe("list: published practices").await;

    // The ministry gives Valparaíso its own rubric, from the base one.
    b.sign_out_and_in("ministerio.practicas").await;
    b.goto("/practicas/rubricas").await;
    b.axe("list: review rubrics").await;
    b.css("#f-place option[value='cl|Valparaíso']")
        .await
        .click()
        .await
        .expect("choose Valparaíso");
    b.submit("form[action='/practicas/rubricas'] button[type='submit']")
        .await;
    b.xpath("//h1[contains(., 'Valparaíso')]").await;
    b.axe("form: review rubric of a region").await;
    let name = b.value("#f-name_1").await;
    assert_eq!(name, "Pertinente");
}
