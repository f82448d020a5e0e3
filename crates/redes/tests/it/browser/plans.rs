//! Work plans in the browser: a coordinator adds an objective, an action,
//! an indicator and a measurement (after a refused one), and the plan page
//! shows the measurement against its goal, in the chart and in the table.
//! Every plan page and form passes axe-core.

use super::*;

/// Sets a field's value as a person picking it would (date pickers and
/// selects do not take typed text the same way in every locale).
async fn set(b: &Browser, selector: &str, value: &str) {
    b.css(selector).await;
    b.client
        .execute(
            "document.querySelector(arguments[0]).value = arguments[1];",
            vec![selector.into(), value.into()],
        )
        .await
        .unwrap_or_else(|e| panic!("set {selector}: {e}"));
}

async fn submit(b: &Browser, action: &str) {
    b.css(&format!(
        "main form[action='{action}'] button[type='submit']"
    ))
    .await
    .click()
    .await
    .unwrap_or_else(|e| panic!("submit {action}: {e}"));
}

pub(crate) async fn coordinator_measures_an_indicator_against_its_goal(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    let school = app
        .school(
            "cl",
            "4611",
            "Escuela Básica Lagunillas",
            "Biobío",
            "Coronel",
        )
        .await;
    let network = app.network("Red Coronel Aprende", "Biobío").await;
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
    app.person(
        "coordinador.plan",
        &[network_grant("network_coordinator", network)],
    )
    .await;
    b.login("coordinador.plan").await;

    // No plan yet: start 2017's.
    b.goto(&format!("/redes/{network}/plan")).await;
    b.axe("plan: work plan, none yet").await;
    b.clear_and_type("#f-year", "2017").await;
    submit(&b, &format!("/redes/{network}/plan")).await;
    b.xpath("//main//h1[contains(., 'Plan de trabajo 2017')]")
        .await;
    b.axe("plan: work plan 2017, empty").await;
    let plan = app.count("SELECT id FROM work_plans").await;

    b.css(&format!("a[href='/planes/{plan}/objetivos/nuevo']"))
        .await
        .click()
        .await
        .expect("Agregar objetivo");
    b.css("#f-title").await;
    b.axe("form: new objective").await;
    b.type_into("#f-title", "Mejorar la comprensión lectora")
        .await;
    submit(&b, &format!("/planes/{plan}/objetivos")).await;
    b.xpath("//main//h2[contains(., 'Mejorar la comprensión lectora')]")
        .await;
    let objective = app.count("SELECT id FROM plan_objectives").await;

    // An action whose due date comes before its start is refused.
    b.goto(&format!("/objetivos/{objective}/acciones/nueva"))
        .await;
    b.axe("form: new action").await;
    b.type_into("#f-title", "Pasantías de lectura entre cursos")
        .await;
    set(&b, "#f-owner_school_id", &school.to_string()).await;
    set(&b, "#f-due_on", "2017-02-01").await;
    submit(&b, &format!("/objetivos/{objective}/acciones")).await;
    b.expect_error_summary(
        "due_on",
        "Plazo: El plazo no puede ser anterior a la fecha de inicio",
    )
    .await;
    b.axe("form with errors: action").await;
    set(&b, "#f-due_on", "2017-06-30").await;
    submit(&b, &format!("/objetivos/{objective}/acciones")).await;
    b.xpath("//main//td[contains(., 'Pasantías de lectura entre cursos')]")
        .await;
    let action = app.count("SELECT id FROM plan_actions").await;

    b.goto(&format!("/objetivos/{objective}/indicadores/nuevo"))
        .await;
    b.axe("form: new indicator").await;
    b.type_into("#f-name", "Estudiantes que leen con fluidez")
        .await;
    b.type_into("#f-unit", "%").await;
    b.type_into("#f-baseline", "45").await;
    b.type_into("#f-goal", "70").await;
    submit(&b, &format!("/objetivos/{objective}/indicadores")).await;
    b.xpath("//main//h4[contains(., 'Estudiantes que leen con fluidez')]")
        .await;
    let indicator = app.count("SELECT id FROM plan_indicators").await;

    // A measurement with text in the number is refused with a message on the field.
    b.css(&format!(
        "a[href='/indicadores/{indicator}/mediciones/nueva']"
    ))
    .await
    .click()
    .await
    .expect("Agregar medición");
    b.css("#f-value").await;
    b.axe("form: new measurement").await;
    set(&b, "#f-measured_on", "2017-06-30").await;
    b.type_into("#f-value", "sesenta").await;
    submit(&b, &format!("/indicadores/{indicator}/mediciones")).await;
    b.expect_error_summary("value", "Valor: Escriba un número")
        .await;
    b.axe("form with errors: measurement").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM plan_measurements").await, 0);
    b.clear_and_type("#f-value", "62").await;
    b.type_into("#f-source", "Evaluación de fluidez de la red")
        .await;
    submit(&b, &format!("/indicadores/{indicator}/mediciones")).await;

    // The plan shows the measurement against its goal: in the chart's
    // name, its points and lines, and the table beside it.
    let chart = b.css(&format!("#i-{indicator} svg[role='img']")).await;
    let name = b.css(&format!("#c-{indicator}-t")).await;
    let name = name.prop("textContent").await.unwrap().unwrap_or_default();
    assert!(
        name.contains("Estudiantes que leen con fluidez: última medición 62 %, meta 70 %"),
        "{name}"
    );
    assert!(chart.find(Locator::Css("line.goal")).await.is_ok());
    assert!(chart.find(Locator::Css("circle.point")).await.is_ok());
    let row = b
        .xpath(&format!(
            "//div[@id='i-{indicator}']//table//tr[td[1]='2017-06-30']"
        ))
        .await;
    let row = row.text().await.unwrap();
    assert!(row.contains("62 %") && row.contains("70 %"), "{row}");
    let main = b.main_text().await;
    assert!(main.contains("Meta 70 %"), "{main}");
    b.axe("plan: work plan with a measurement").await;
    ctx.screenshot(&b, "work-plan").await;
    b.expect_reflow_at_320("the work plan").await;

    let measurement = app.count("SELECT id FROM plan_measurements").await;
    for (path, what) in [
        (
            format!("/objetivos/{objective}/editar"),
            "form: edit objective",
        ),
        (format!("/acciones/{action}/editar"), "form: edit action"),
        (
            format!("/indicadores/{indicator}/editar"),
            "form: edit indicator",
        ),
        (
            format!("/mediciones/{measurement}/editar"),
            "form: edit measurement",
        ),
        (
            format!("/objetivos/{objective}/borrar"),
            "form: delete objective",
        ),
        (format!("/acciones/{action}/borrar"), "form: delete action"),
        (
            format!("/indicadores/{indicator}/borrar"),
            "form: delete indicator",
        ),
        (
            format!("/mediciones/{measurement}/borrar"),
            "form: delete measurement",
        ),
    ] {
        b.goto(&path).await;
        b.css("main form button[type='submit']").await;
        b.axe(what).await;
    }
}
