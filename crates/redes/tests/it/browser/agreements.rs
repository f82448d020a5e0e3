//! Agreements in the browser: a coordinator records an agreement at a
//! meeting (after a refused try), finds it on the next meeting's agenda,
//! reviews it there and marks it kept; axe-core on every agreements page.

use super::*;

pub(crate) async fn coordinator_records_an_agreement_and_marks_it_kept(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    let (network, member, _, _, [march, april, _]) = crate::agreements::world(app).await;
    app.person(
        "coordinador.acuerdos",
        &[network_grant("network_coordinator", network)],
    )
    .await;
    b.login("coordinador.acuerdos").await;

    // March's meeting: a new agreement without its text is refused.
    b.goto(&format!("/reuniones/{march}/acuerdos")).await;
    b.axe("meeting: agreements").await;
    let form = format!("form[action='/reuniones/{march}/acuerdos']");
    b.css("#acuerdo-owner")
        .await
        .select_by_value(&format!("school:{member}"))
        .await
        .expect("pick the owner school");
    b.client
        .execute(
            "document.getElementById('acuerdo-due_on').value = '2026-03-31';",
            vec![],
        )
        .await
        .expect("set the due date");
    b.submit(&format!("{form} button[type='submit']")).await;
    let error = b.css("#acuerdo-e-body").await;
    assert_eq!(error.text().await.unwrap(), "Escriba el acuerdo");
    b.axe("meeting: agreements, refused").await;

    // With its text it is recorded.
    b.type_into("#acuerdo-body", "Compartir la pauta de observación de aula")
        .await;
    b.submit(&format!("{form} button[type='submit']")).await;
    b.xpath("//main//li[contains(., 'Compartir la pauta de observación de aula')]")
        .await;

    // April's meeting page lists it among the open agreements, with a
    // review form.
    b.goto(&format!("/reuniones/{april}")).await;
    let open = b
        .xpath("//main//ul[@class='agreements']/li[contains(., 'Compartir la pauta')]")
        .await;
    let note = open
        .find(Locator::Css("textarea[name='note']"))
        .await
        .expect("a review form on the next meeting");
    note.send_keys("Se aplicó en dos cursos.").await.unwrap();
    open.find(Locator::Css("select[name='status_after']"))
        .await
        .unwrap()
        .select_by_value("in_progress")
        .await
        .unwrap();
    b.axe("meeting: page with agreements carried from earlier meetings")
        .await;
    open.find(Locator::Css("button[type='submit']"))
        .await
        .unwrap()
        .click()
        .await
        .expect("save the review");
    b.xpath("//main//li[contains(., 'Se aplicó en dos cursos.')]")
        .await;

    // The network's list, then the agreement's page: marked kept.
    b.goto(&format!("/redes/{network}/acuerdos")).await;
    b.axe("list: agreements of a network").await;
    b.css("main table a[href^='/acuerdos/']")
        .await
        .click()
        .await
        .expect("open the agreement");
    b.css("#historia").await;
    b.axe("detail: agreement").await;
    b.css("form[action$='/estado'] #f-status")
        .await
        .select_by_value("kept")
        .await
        .expect("choose kept");
    b.submit("form[action$='/estado'] button[type='submit']")
        .await;
    b.xpath("//main//dd[contains(., 'Cumplido')]").await;
    let main = b.main_text().await;
    assert!(main.contains("En curso → Cumplido"), "{main}");
    assert!(main.contains("Se aplicó en dos cursos."), "{main}");
    ctx.screenshot(&b, "agreement-kept").await;

    // Kept: no longer on April's agenda.
    b.goto(&format!("/reuniones/{april}/acuerdos")).await;
    let main = b.main_text().await;
    assert!(
        main.contains("No hay acuerdos abiertos de reuniones anteriores."),
        "{main}"
    );

    // The private calendar: an address shown once.
    b.goto("/cuenta/calendario").await;
    b.axe("form: private calendar").await;
    b.submit("form[action='/cuenta/calendario'] button[type='submit']")
        .await;
    let code = b.css("main .notice code").await.text().await.unwrap();
    assert!(
        code.contains("/calendario/") && code.ends_with(".ics"),
        "{code}"
    );
    b.axe("page: private calendar address shown once").await;
}
