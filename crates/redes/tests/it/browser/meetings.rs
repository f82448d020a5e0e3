//! Flow: a coordinator schedules the network's meeting (the host the
//! rotation proposes is preselected), finds it on the network's meetings
//! page with the rotation, and edits it. Every meetings page passes axe.

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
    b.css("main form[method='post'] button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    b.css("h1").await;
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
    b.css("main form[method='post'] button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    b.css("dl.facts").await;
    assert!(b.main_text().await.contains("Sala de profesores"));

    // The agenda, attendance, the minutes, an amendment and the approval.
    let meeting = b.where_am_i().await;
    b.type_into("#nuevo-punto #f-title", "Plan de trabajo anual")
        .await;
    b.type_into("#nuevo-punto #f-minutes_allotted", "60").await;
    b.css("#nuevo-punto button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    b.css("details summary").await;
    let status = format!("#f-status-{coordinator}");
    b.css(&format!("{status} option[value='present']"))
        .await
        .click()
        .await
        .unwrap();
    b.css("form[action$='/asistencia'] button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    b.css(&format!("{status} option[value='present'][selected]"))
        .await;
    assert_eq!(b.value(&status).await, "present");
    b.axe("page: planned meeting with agenda and attendance")
        .await;
    b.css("form[action$='/estado'] button")
        .await
        .click()
        .await
        .unwrap();
    b.clear_and_type("#f-minutes", "Se acuerda el plan de trabajo.")
        .await;
    b.css("form[action$='/acta'] button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    b.css("input[name='minutes_version'][value='1']").await;
    b.css("form[action$='/estado'] button")
        .await
        .click()
        .await
        .unwrap();
    b.type_into("#f-body", "Precisar el año.").await;
    b.type_into("#f-proposed_text", "Se acuerda el plan de trabajo 2017.")
        .await;
    b.css("#comentar button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    b.css("form[action$='/incorporar'] button").await;
    b.axe("page: minutes in review").await;
    b.css("form[action$='/incorporar'] button")
        .await
        .click()
        .await
        .unwrap();
    b.css("input[name='minutes_version'][value='2']").await;
    b.css("form[action$='/aprobar'] button")
        .await
        .click()
        .await
        .unwrap();
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

    // A series: the first Tuesday of each month, March to November.
    b.goto(&format!("/redes/{network}/reuniones/serie")).await;
    b.axe("form: series of meetings").await;
    b.type_into("#f-title", "Sesión mensual").await;
    b.css("main form[method='post'] button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
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
