//! A zone supervisor creates the three encounter sessions of an approved
//! plan (seed 003) and prints a group's attendance list.

use super::*;

/// The supervisor approves a plan, opens its sessions, is told about a
/// date out of order, creates the sessions, opens one (roster, checklist,
/// observers' records, PEMC changes), ticks one of the supervision's duties
/// and prints the group's attendance list with its signature column.
pub(crate) async fn supervisor_creates_the_encounter_sessions(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    // The zone was seeded by the planning flow, which runs before.
    app.person("supervisora.sesiones", &[zone_supervisor()])
        .await;
    b.login("supervisora.sesiones").await;
    b.goto("/encuentros").await;
    let value = format!("{ZONE_STATE}|{ZONE_MUNICIPALITY}");
    b.css("#f-place")
        .await
        .select_by_value(&value)
        .await
        .expect("pick the municipality");
    b.css("form[action='/encuentros'] button[type='submit']")
        .await
        .click()
        .await
        .expect("click Planificar");
    b.approve_button()
        .await
        .click()
        .await
        .expect("click Aprobar");
    // The approval asks for confirmation.
    if let Ok(alert) = b.client.get_alert_text().await {
        assert!(alert.contains("Aprobar"), "{alert}");
        b.client.accept_alert().await.expect("confirm");
    }
    b.submit("main .actions a[href$='/sesiones']").await;
    assert!(b.main_text().await.contains("Crear las sesiones"));
    b.axe("list: encounter sessions, before they exist").await;

    // Session 2 before session 1: the message is next to the field.
    for (field, date) in [
        ("date_1", "2026-04-24"),
        ("date_2", "2026-02-27"),
        ("date_3", "2026-06-26"),
    ] {
        set_date(&b, field, date).await;
    }
    b.submit("main form button[type='submit']").await;
    b.expect_error_summary(
        "date_2",
        "Fecha de la sesión 2: Debe ser posterior a la fecha de la sesión 1",
    )
    .await;
    b.axe("form with errors: encounter session dates").await;
    set_date(&b, "date_2", "2026-05-29").await;
    b.submit("main form button[type='submit']").await;

    // Three sessions per group, each a link.
    let links = b
        .wait_all("main table a[href^='/sesiones-encuentro/']")
        .await;
    assert_eq!(links.len(), 6, "two groups, three sessions each");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM meetings WHERE kind = 'encounter'")
            .await,
        6
    );
    b.axe("list: encounter sessions").await;
    b.expect_reflow_at_320("the sessions of a plan").await;
    b.click_to_new_page(links[0].clone(), "the first session")
        .await;

    let text = b.main_text().await;
    assert!(text.contains("Llegar quince minutos antes"), "{text}");
    assert!(text.contains("Cambios al PEMC de cada escuela"), "{text}");
    b.axe("detail: an encounter session").await;
    b.expect_reflow_at_320("an encounter session").await;
    // Tick the supervision's first duty of "Durante".
    let duty = app
        .count(
            "SELECT MIN(c.id) FROM session_checklist c WHERE c.role = 'supervision' AND c.phase = 'during'
               AND c.meeting_id = (SELECT MIN(id) FROM meetings WHERE kind = 'encounter')",
        )
        .await;
    b.submit(&format!("#tarea-{duty} button")).await;
    let item = b.css(&format!("#tarea-{duty}")).await.text().await.unwrap();
    assert!(item.contains("Persona supervisora.sesiones"), "{item}");

    b.submit("main .actions a[href$='/imprimir']").await;
    let rows = b.wait_all("section.sheet tbody tr").await;
    assert!(!rows.is_empty());
    assert_eq!(
        b.css_all("section.sheet tbody td.sign").await.len(),
        rows.len(),
        "a signature cell per line"
    );
    let head = b.css("section.sheet thead").await.text().await.unwrap();
    assert!(head.contains("Firma"), "{head}");
    b.axe("print: an encounter session's attendance list").await;
    b.expect_reflow_at_320("an attendance list").await;
    ctx.screenshot(&b, "encounter-session-print").await;
}

/// Sets a date field (typing into a date input depends on the browser's
/// locale).
async fn set_date(b: &Browser, field: &str, date: &str) {
    b.css(&format!("#f-{field}")).await;
    b.client
        .execute(
            "document.getElementById(arguments[0]).value = arguments[1];",
            vec![
                serde_json::json!(format!("f-{field}")),
                serde_json::json!(date),
            ],
        )
        .await
        .unwrap_or_else(|e| panic!("set {field}: {e}"));
}
