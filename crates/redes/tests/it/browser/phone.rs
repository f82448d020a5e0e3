//! Flow: the three main lists on a phone (issue 8 item 4). At 390 px the
//! networks list, the schools list and a network's member schools become
//! stacked cards: nothing scrolls sideways, every column (region,
//! dependency, since, until) is on screen with its name, and the "Retirar"
//! action is within reach. The menu folds behind one button. Each page is
//! photographed and passes axe at that width.

use super::*;

/// What a phone shows of a list: the page's and the first card's width,
/// the labelled cells of the first row that are on screen, and whether an
/// action button lies fully on screen.
const MEASURE: &str = "var row = document.querySelector('table.stack tbody tr'); \
  var inView = function (e) { var r = e.getBoundingClientRect(); \
    return r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= window.innerWidth + 1; }; \
  var labels = row ? Array.from(row.querySelectorAll('td[data-label]')).filter(inView) \
    .map(function (td) { return td.getAttribute('data-label'); }) : []; \
  var action = document.querySelector('table.stack td.row-actions button'); \
  return { inner: window.innerWidth, scroll: document.documentElement.scrollWidth, \
           labels: labels, action: action ? inView(action) : null, \
           header: document.querySelector('header.top').getBoundingClientRect().height };";

pub(crate) async fn the_main_lists_fit_a_phone(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    let network = app.network("Red de Escuelas de Chiloé", "Los Lagos").await;
    for (code, name) in [
        ("5101", "Escuela Rural Llingua"),
        ("5102", "Liceo Politécnico de Castro"),
    ] {
        let id = app.school("cl", code, name, "Los Lagos", "Chiloé").await;
        let mut conn = app.db.pool.acquire().await.unwrap();
        redes::networks::store::add_member(
            &mut conn,
            redes::ids::NetworkId(network),
            redes::ids::SchoolId(id),
            Some("2016-03-01"),
        )
        .await
        .unwrap();
    }
    app.person(
        "coordinador.chiloe",
        &[network_grant("network_coordinator", network)],
    )
    .await;
    b.login("coordinador.chiloe").await;

    b.client
        .set_window_size(390, 844)
        .await
        .expect("phone-sized window");
    assert!(
        b.wait_for_js("return window.innerWidth === 390").await,
        "the window did not narrow to 390 px"
    );
    for (path, shot, columns, action) in [
        (
            "/redes".to_string(),
            "phone-networks-390",
            &["Tipo", "Región", "Desde", "Escuelas"][..],
            false,
        ),
        (
            "/escuelas".to_string(),
            "phone-schools-390",
            &["Código", "Comuna", "Región", "Dependencia"][..],
            false,
        ),
        (
            format!("/redes/{network}"),
            "phone-network-members-390",
            &["Código", "Comuna", "Dependencia", "Desde", "Hasta"][..],
            true,
        ),
    ] {
        b.goto(&path).await;
        b.wait_all("table.stack tbody tr").await;
        let seen = b.client.execute(MEASURE, vec![]).await.expect("measure");
        assert_eq!(seen["inner"], 390, "{path}: {seen}");
        assert!(
            seen["scroll"].as_u64() <= Some(390),
            "{path} scrolls sideways on a phone: {seen}"
        );
        let labels: Vec<&str> = seen["labels"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|l| l.as_str())
            .collect();
        assert_eq!(labels, columns, "{path}: the columns on screen");
        if action {
            assert_eq!(seen["action"], true, "{path}: 'Retirar' off screen");
        }
        // The folded header leaves the list in view.
        assert!(
            seen["header"].as_f64().unwrap() < 80.0,
            "{path}: the header takes {} px",
            seen["header"]
        );
        if path.starts_with("/redes/") {
            b.client
                .execute(
                    "document.querySelector('table.stack').scrollIntoView();",
                    vec![],
                )
                .await
                .expect("scroll to the members");
        }
        ctx.screenshot(&b, shot).await;
        b.axe(&format!("{path} at 390 px")).await;
    }

    // The published practices, for anyone, fit too.
    b.goto("/buenas-practicas").await;
    let seen = b.client.execute(MEASURE, vec![]).await.expect("measure");
    assert!(
        seen["scroll"].as_u64() <= Some(390),
        "/buenas-practicas scrolls sideways on a phone: {seen}"
    );
    ctx.screenshot(&b, "phone-published-practices-390").await;

    // The menu opens from its button, and its links are then on screen.
    let toggle = b.css("button.menu-toggle").await;
    assert_eq!(
        toggle.attr("aria-expanded").await.unwrap().as_deref(),
        Some("false")
    );
    let hidden = b
        .client
        .execute(
            "return document.querySelector('#menu nav a').getBoundingClientRect().height === 0;",
            vec![],
        )
        .await
        .expect("menu folded");
    assert_eq!(hidden, true, "the menu is open before it is asked for");
    toggle.click().await.expect("open the menu");
    assert!(
        b.wait_for_js(
            "var a = document.querySelector('#menu nav a'); \
             return a.getBoundingClientRect().height > 0 && \
               document.querySelector('button.menu-toggle').getAttribute('aria-expanded') === 'true';"
        )
        .await,
        "the menu did not open"
    );
    ctx.screenshot(&b, "phone-menu-open-390").await;
    b.axe("menu open at 390 px").await;

    b.client
        .set_window_size(1280, 900)
        .await
        .expect("restore the window");
    // On a wide screen the menu is always there, with no button.
    b.goto("/redes").await;
    assert!(
        b.wait_for_js(
            "return window.innerWidth === 1280 && \
               getComputedStyle(document.querySelector('button.menu-toggle')).display === 'none' && \
               document.querySelector('#menu nav a').getBoundingClientRect().height > 0;"
        )
        .await,
        "the wide menu is not shown as it was"
    );
}
