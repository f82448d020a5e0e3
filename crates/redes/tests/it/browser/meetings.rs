//! Flow: a coordinator schedules the network's meeting (the host the
//! rotation proposes is preselected), edits it, builds its agenda, takes
//! attendance and records an agreement; the minutes go through review with
//! an amendment and are approved. The next meeting (the other school
//! proposed as host) has the agreement on its agenda, where it is marked
//! kept. Then a series, and the rotation on the network's meetings page.
//! Every meetings page passes axe. Each submit waits for the new page
//! (`Browser::submit`), never for an element the old page also has.

use super::*;

pub(crate) async fn coordinator_schedules_a_meeting(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    let network = app.network("Red Liga Aprende", "Valparaíso").await;
    let mut schools = Vec::new();
    for (code, name) in [
        ("1122", "Escuela República de Venezuela"),
        ("11199", "Colegio Luis Cruz Martínez"),
    ] {
        let id = app.school("cl", code, name, "Valparaíso", "Petorca").await;
        let mut conn = app.db.pool.acquire().await.unwrap();
        redes::networks::store::add_member(
            &mut conn,
            redes::ids::NetworkId(network),
            redes::ids::SchoolId(id),
            Some("2015-03-01"),
        )
        .await
        .unwrap();
        schools.push(id);
    }
    let coordinator = app
        .person(
            "coordinador.liga",
            &[network_grant("network_coordinator", network)],
        )
        .await;
    b.login("coordinador.liga").await;

    b.goto(&format!("/redes/{network}/reuniones")).await;
    b.axe("list: meetings of a network").await;
    b.css(&format!("a[href='/redes/{network}/reuniones/nueva']"))
        .await
        .click()
        .await
        .expect("click Programar reunión");
    // Nobody hosted yet: the first school by name is proposed.
    b.css("#f-title").await;
    assert_eq!(b.value("#f-host_school_id").await, schools[1].to_string());
    b.axe("form: new meeting").await;

    b.type_into("#f-title", "Sesión 1: plan de trabajo anual")
        .await;
    b.clear_and_type("#f-theme", "Distribuir el liderazgo")
        .await;
    b.submit("main form[method='post'] button[type='submit']")
        .await;
    b.css("dl.facts").await;
    assert!(
        b.main_text().await.contains("Distribuir el liderazgo"),
        "{}",
        b.main_text().await
    );
    assert!(b.main_text().await.contains("Colegio Luis Cruz Martínez"));
    b.axe("page: meeting").await;

    b.css("a[href$='/editar']").await.click().await.unwrap();
    b.css("#f-title").await;
    b.axe("form: edit meeting").await;
    b.clear_and_type("#f-place", "Sala de profesores").await;
    b.submit("main form[method='post'] button[type='submit']")
        .await;
    b.css("dl.facts").await;
    assert!(b.main_text().await.contains("Sala de profesores"));

    // The agenda, attendance, the minutes, an amendment and the approval.
    let meeting = b.where_am_i().await;
    b.type_into("#nuevo-punto #f-title", "Plan de trabajo anual")
        .await;
    b.type_into("#nuevo-punto #f-minutes_allotted", "60").await;
    b.submit("#nuevo-punto button[type='submit']").await;
    b.css("details summary").await;
    let status = format!("#f-status-{coordinator}");
    b.css(&format!("{status} option[value='present']"))
        .await
        .click()
        .await
        .unwrap();
    b.submit("form[action$='/asistencia'] button[type='submit']")
        .await;
    b.css(&format!("{status} option[value='present'][selected]"))
        .await;
    assert_eq!(b.value(&status).await, "present");
    b.axe("page: planned meeting with agenda and attendance")
        .await;

    // An agreement, recorded on the meeting's page, owned by the host
    // school, due on the meeting's day at the earliest.
    let agreement = "Compartir la pauta de observación de aula";
    b.type_into("#acuerdo-body", agreement).await;
    b.css("#acuerdo-owner")
        .await
        .select_by_value(&format!("school:{}", schools[1]))
        .await
        .expect("pick the owner school");
    b.client
        .execute(
            "const f = document.getElementById('acuerdo-due_on'); f.value = f.min;",
            vec![],
        )
        .await
        .expect("set the due date");
    b.submit("form[action$='/acuerdos'] button[type='submit']")
        .await;
    let taken = b
        .xpath(&format!(
            "//section[@id='acuerdos']//li[contains(., '{agreement}')]"
        ))
        .await;
    assert!(taken
        .text()
        .await
        .unwrap()
        .contains("Colegio Luis Cruz Martínez"));

    b.submit("form[action$='/estado'] button").await;
    b.clear_and_type("#f-minutes", "Se acuerda el plan de trabajo.")
        .await;
    b.submit("form[action$='/acta'] button[type='submit']")
        .await;
    b.css("input[name='minutes_version'][value='1']").await;
    b.submit("form[action$='/estado'] button").await;
    b.type_into("#f-body", "Precisar el año.").await;
    b.type_into("#f-proposed_text", "Se acuerda el plan de trabajo 2017.")
        .await;
    b.submit("#comentar button[type='submit']").await;
    b.css("form[action$='/incorporar'] button").await;
    b.axe("page: minutes in review").await;
    b.submit("form[action$='/incorporar'] button").await;
    b.css("input[name='minutes_version'][value='2']").await;
    b.submit("form[action$='/aprobar'] button").await;
    b.css("#versiones").await;
    assert!(b
        .main_text()
        .await
        .contains("Se acuerda el plan de trabajo 2017."));
    b.axe("page: closed meeting").await;
    assert!(meeting.contains("/reuniones/"), "{meeting}");

    // The printable attendance list, one click from the meeting's page.
    b.goto(&meeting.lines().next().unwrap().replace(&ctx.base, ""))
        .await;
    b.css("a[href$='/imprimir/asistencia']")
        .await
        .click()
        .await
        .unwrap();
    b.css("td.sign").await;
    b.axe("print: attendance list").await;

    // The next meeting: the school that has not hosted yet is proposed.
    b.goto(&format!("/redes/{network}/reuniones/nueva")).await;
    b.css("#f-title").await;
    assert_eq!(b.value("#f-host_school_id").await, schools[0].to_string());
    b.type_into("#f-title", "Sesión 2: articulación PEI y PME")
        .await;
    b.submit("main form[method='post'] button[type='submit']")
        .await;
    b.css("dl.facts").await;
    // The agreement is on its agenda, still open; it is marked kept there.
    let open = b
        .xpath(&format!(
            "//main//ul[@class='agreements']/li[contains(., '{agreement}')]"
        ))
        .await;
    open.find(Locator::Css("textarea[name='note']"))
        .await
        .expect("a review form on the next meeting")
        .send_keys("Las dos escuelas aplicaron la pauta.")
        .await
        .unwrap();
    open.find(Locator::Css("select[name='status_after']"))
        .await
        .unwrap()
        .select_by_value("kept")
        .await
        .unwrap();
    b.axe("page: next meeting with an open agreement on its agenda")
        .await;
    let id: String = open
        .find(Locator::Css("form"))
        .await
        .unwrap()
        .attr("action")
        .await
        .unwrap()
        .unwrap_or_default();
    b.submit(&format!("form[action='{id}'] button[type='submit']"))
        .await;
    let reviewed = b
        .xpath("//section[@id='acuerdos']//li[contains(., 'Las dos escuelas aplicaron la pauta.')]")
        .await;
    assert!(reviewed.text().await.unwrap().contains("Cumplido"));
    let section = b.css("#acuerdos").await.text().await.unwrap();
    assert!(
        section.contains("No hay acuerdos abiertos de reuniones anteriores."),
        "{section}"
    );

    // A series: the first Tuesday of each month, March to November.
    b.goto(&format!("/redes/{network}/reuniones/serie")).await;
    b.axe("form: series of meetings").await;
    b.type_into("#f-title", "Sesión mensual").await;
    b.submit("main form[method='post'] button[type='submit']")
        .await;
    b.css("#proximas").await;

    b.goto(&format!("/redes/{network}/reuniones")).await;
    let rotation = b
        .css("#rotacion + p + .table-wrap")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        rotation.contains("Colegio Luis Cruz Martínez"),
        "{rotation}"
    );
    ctx.screenshot(&b, "meetings").await;
}
