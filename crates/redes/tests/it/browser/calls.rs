//! Flow: a network proposes a call that the secretariat issues (issue 8
//! item 8). The coordinator of a Cartagena teachers' network proposes a
//! call to the secretariat of Bolívar (an empty form first says why, next
//! to the field); the secretariat finds it among the proposals of its
//! territory, puts it under consideration and issues it with a later
//! closing date; the call is listed with the network that proposed it and
//! the network sees its proposal issued. Every page passes axe; the calls
//! and the network's proposals are photographed 390 px wide.

use super::*;

/// Sets a date field by script: typing into a date input depends on the
/// browser's locale.
async fn set_date(b: &Browser, id: &str, value: &str) {
    b.client
        .execute(
            "document.getElementById(arguments[0]).value = arguments[1];",
            vec![id.into(), value.into()],
        )
        .await
        .expect("set a date");
}

async fn at_390(ctx: &Flow, b: &Browser, name: &str) {
    b.client
        .set_window_size(390, 844)
        .await
        .expect("phone-sized window");
    assert!(
        b.wait_for_js("return window.innerWidth === 390").await,
        "the window did not narrow to 390 px"
    );
    ctx.screenshot(b, name).await;
    b.client
        .set_window_size(1280, 900)
        .await
        .expect("restore the window");
}

pub(crate) async fn a_network_proposes_a_call_the_secretariat_issues(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    let input = redes::networks::model::NetworkInput {
        country: "co".into(),
        kind: "teacher_network".into(),
        name: "Red de Maestros de Ciencias".into(),
        region: "Bolívar".into(),
        province: "Cartagena de Indias".into(),
        ..Default::default()
    };
    let mut conn = app.db.pool.acquire().await.unwrap();
    let network = redes::networks::store::insert(&mut conn, &input.parse().unwrap(), None, false)
        .await
        .unwrap()
        .0;
    drop(conn);
    app.person(
        "coordinador.ciencias",
        &[network_grant("network_coordinator", network)],
    )
    .await;
    app.person(
        "secretaria.bolivar",
        &[common::Grant {
            country: "co",
            ..grant("secretariat", "region", "Bolívar")
        }],
    )
    .await;

    // The coordinator proposes, from the network's page.
    b.login("coordinador.ciencias").await;
    b.goto(&format!("/redes/{network}")).await;
    let link = b
        .css(&format!("a[href='/redes/{network}/convocatorias']"))
        .await;
    b.click_to_new_page(link, "the network's proposed calls")
        .await;
    b.css("main h1").await;
    b.axe("network: proposed calls").await;
    let form = format!("form[action='/redes/{network}/convocatorias'] button[type='submit']");
    b.submit(&form).await;
    b.expect_error_summary("title", "Título: El título es obligatorio")
        .await;
    b.axe("form with errors: proposal of a call").await;
    b.type_into("#f-title", "Feria distrital de ciencia escolar")
        .await;
    b.css("#f-level option[value='region']")
        .await
        .click()
        .await
        .expect("choose the region");
    set_date(&b, "f-opens_on", "2027-03-01").await;
    set_date(&b, "f-closes_on", "2027-04-15").await;
    b.type_into(
        "#f-body",
        "Proponemos convocar a las instituciones del departamento a presentar sus proyectos.",
    )
    .await;
    b.submit(&form).await;
    let state = b.css("main .badge").await.text().await.unwrap();
    assert_eq!(state, "Propuesta");
    b.axe("proposal of a call: proposed").await;
    let proposal = b.client.current_url().await.unwrap().path().to_string();

    // The secretariat of Bolívar finds it among its territory's proposals.
    b.client.delete_all_cookies().await.expect("sign out");
    b.login("secretaria.bolivar").await;
    b.goto("/convocatorias/propuestas").await;
    let link = b
        .xpath("//main//article//a[normalize-space()='Feria distrital de ciencia escolar']")
        .await;
    b.axe("list: proposals of calls").await;
    b.expect_reflow_at_320("list: proposals of calls").await;
    b.click_to_new_page(link, "the proposal").await;
    b.submit(&format!("form[action='{proposal}/estudio'] button"))
        .await;
    assert_eq!(
        b.css("main .badge").await.text().await.unwrap(),
        "En estudio"
    );
    b.axe("proposal of a call: under consideration").await;
    set_date(&b, "f-closes_on", "2027-04-30").await;
    b.submit(&format!("form[action='{proposal}/emitir'] button"))
        .await;
    assert_eq!(b.css("main .badge").await.text().await.unwrap(), "Emitida");
    b.axe("proposal of a call: issued").await;

    // The call is listed, with its dates and the network that proposed it.
    b.goto("/convocatorias").await;
    let call = b
        .xpath("//main//article[contains(., 'Feria distrital de ciencia escolar')]")
        .await
        .text()
        .await
        .unwrap();
    for part in [
        "Colombia · Bolívar",
        "abre 2027-03-01 · cierra 2027-04-30",
        "a propuesta de Red de Maestros de Ciencias",
    ] {
        assert!(call.contains(part), "{part}: {call}");
    }
    b.axe("list: calls with an issued proposal").await;
    at_390(&ctx, &b, "calls-390").await;

    // The network sees its proposal issued.
    b.client.delete_all_cookies().await.expect("sign out");
    b.login("coordinador.ciencias").await;
    b.goto(&format!("/redes/{network}/convocatorias")).await;
    let listed = b.css("main article.call").await.text().await.unwrap();
    assert!(listed.contains("Emitida"), "{listed}");
    b.axe("network: proposed calls, one issued").await;
    at_390(&ctx, &b, "call-proposals-390").await;
}
