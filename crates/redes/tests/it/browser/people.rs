//! Flow: a network's page lists its people (issue 8 item 2). The
//! coordinator sees the coordination and the people of the member schools,
//! invites a colleague by e-mail (after a typo the form says why, next to
//! the field), and the page is photographed 390 px wide, as on a phone.
//! The school's page lists its leadership and staff. Every page passes axe.

use super::*;

pub(crate) async fn a_network_page_lists_its_people(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    let network = app.network("Red Rural del Itata", "Ñuble").await;
    let mut schools = Vec::new();
    for (code, name) in [
        ("4801", "Escuela Rural Quirihue"),
        ("4802", "Liceo Bicentenario de Coelemu"),
    ] {
        let id = app.school("cl", code, name, "Ñuble", "Itata").await;
        let mut conn = app.db.pool.acquire().await.unwrap();
        redes::networks::store::add_member(
            &mut conn,
            redes::ids::NetworkId(network),
            redes::ids::SchoolId(id),
            Some("2016-03-01"),
        )
        .await
        .unwrap();
        schools.push(id);
    }
    app.person(
        "coordinadora.itata",
        &[network_grant("network_coordinator", network)],
    )
    .await;
    app.person(
        "directora.quirihue",
        &[school_grant("director", schools[0])],
    )
    .await;
    app.person("docente.quirihue", &[school_grant("teacher", schools[0])])
        .await;
    app.person(
        "jefe.coelemu",
        &[school_grant("technical_head", schools[1])],
    )
    .await;
    app.person("asesora.itata", &[]).await;
    sqlx::query(
        "UPDATE people SET email = 'asesora.itata@example.org' WHERE username = 'asesora.itata'",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();

    b.login("coordinadora.itata").await;
    let page = format!("/redes/{network}");
    b.goto(&page).await;
    let rows = b.wait_all("h2#personas ~ .table-wrap tbody tr").await;
    let mut listed = Vec::new();
    for row in &rows {
        let text = row.text().await.unwrap();
        listed.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    let expected = [
        "Persona coordinadora.itata Coordinación de red En la red",
        "Persona directora.quirihue Director(a) Escuela Rural Quirihue",
        "Persona docente.quirihue Docente Escuela Rural Quirihue",
        "Persona jefe.coelemu Jefatura técnica Liceo Bicentenario de Coelemu",
    ];
    assert_eq!(listed, expected, "{listed:?}");
    let coordination = b.css("p.coordination").await.text().await.unwrap();
    assert!(
        coordination.starts_with("Coordinación: Persona coordinadora.itata"),
        "{coordination}"
    );
    b.axe("detail: network with its people").await;

    // A typo: the form says why, next to the field, and keeps the text.
    b.type_into("#f-person", "asesora.itata@example.com").await;
    b.css("#f-role option[value='adviser']")
        .await
        .click()
        .await
        .expect("choose the role");
    let invite = format!("form[action='/redes/{network}/personas'] button[type='submit']");
    b.submit(&invite).await;
    let message = b.css("#e-person").await.text().await.unwrap();
    assert!(
        message.contains("Nadie en Redes tiene el usuario o el correo"),
        "{message}"
    );
    assert_eq!(b.value("#f-person").await, "asesora.itata@example.com");
    assert_eq!(b.value("#f-role").await, "adviser");
    b.axe("form with errors: invitation to a network").await;

    b.clear_and_type("#f-person", "asesora.itata@example.org")
        .await;
    b.submit(&invite).await;
    b.xpath(
        "//h2[@id='personas']/following::table[1]//td[normalize-space()='Persona asesora.itata']",
    )
    .await;
    let row = b
        .xpath("//td[normalize-space()='Persona asesora.itata']/..")
        .await
        .text()
        .await
        .unwrap();
    let row = row.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        row,
        "Persona asesora.itata Asesor técnico pedagógico En la red"
    );
    b.axe("detail: network after an invitation").await;

    // As on a phone: 390 px wide, the people in view.
    b.client
        .set_window_size(390, 844)
        .await
        .expect("phone-sized window");
    assert!(
        b.wait_for_js("return window.innerWidth === 390").await,
        "the window did not narrow to 390 px"
    );
    b.client
        .execute(
            "document.getElementById('personas').scrollIntoView();",
            vec![],
        )
        .await
        .expect("scroll to the people");
    ctx.screenshot(&b, "network-people-390").await;
    b.client
        .set_window_size(1280, 900)
        .await
        .expect("restore the window");

    // The school's page: its leadership, then its staff.
    b.goto(&format!("/escuelas/{}", schools[0])).await;
    let lists = b.wait_all("h2#personas ~ ul").await;
    assert!(lists.len() >= 2);
    assert_eq!(
        lists[0].text().await.unwrap(),
        "Persona directora.quirihue · Director(a)"
    );
    assert_eq!(
        lists[1].text().await.unwrap(),
        "Persona docente.quirihue · Docente"
    );
    b.axe("detail: school with its people").await;
}
