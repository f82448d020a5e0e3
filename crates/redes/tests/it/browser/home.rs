//! Flow: the home page of three people (issue 8 item 1). A director sees
//! her network and her school with their counts; the network's coordinator
//! sees the network with links to its plan, meetings and agreements; the
//! regional authority sees her region's key figures. Each home passes axe
//! and is photographed.

use super::*;

pub(crate) async fn each_person_sees_their_own_home(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    let network = app.network("Red de Escuelas del Maule Sur", "Maule").await;
    let school = app
        .school("cl", "3601", "Escuela Rural Pelluhue", "Maule", "Cauquenes")
        .await;
    let mut conn = app.db.pool.acquire().await.unwrap();
    redes::networks::store::add_member(
        &mut conn,
        redes::ids::NetworkId(network),
        redes::ids::SchoolId(school),
        Some("2016-03-01"),
    )
    .await
    .unwrap();
    drop(conn);
    app.person("directora.pelluhue", &[school_grant("director", school)])
        .await;
    app.person(
        "coordinador.maule",
        &[network_grant("network_coordinator", network)],
    )
    .await;
    app.person(
        "seremi.maule",
        &[grant("regional_authority", "region", "Maule")],
    )
    .await;

    for (user, heading, expected) in [
        (
            "directora.pelluhue",
            "mis-redes",
            &[
                "Red de Escuelas del Maule Sur",
                "1 escuela integrante",
                "Escuela Rural Pelluhue",
                "1 red · 1 persona en Redes",
            ][..],
        ),
        (
            "coordinador.maule",
            "mis-redes",
            &[
                "Red de Escuelas del Maule Sur",
                "Plan de trabajo",
                "Reuniones",
                "Acuerdos",
            ][..],
        ),
        (
            "seremi.maule",
            "su-territorio",
            &[
                "Región: Maule (Chile)",
                "en funcionamiento",
                "en una red",
                "redes activas",
            ][..],
        ),
    ] {
        b.client.delete_all_cookies().await.expect("sign out");
        b.login(user).await;
        b.goto("/").await;
        let section = b
            .css(&format!("section[aria-labelledby='{heading}']"))
            .await
            .text()
            .await
            .unwrap();
        for text in expected {
            assert!(section.contains(text), "{user}: {text} in {section}");
        }
        ctx.screenshot(&b, &format!("home-{user}")).await;
        b.axe(&format!("home of {user}")).await;
    }
}
