//! Work plans (issue 11, item 1) through their pages and API: a plan with
//! objectives, actions, indicators and measurements; its progress and late
//! actions; starting the next year from it; who may read and edit it; and
//! bad input that saves nothing.

use crate::common;

use axum::http::StatusCode;
use common::{network_grant, school_grant, Client, TestApp};
use serde_json::json;

/// A network of Biobío with two member schools, and the people around it.
struct World {
    app: TestApp,
    network: i64,
    school_a: i64,
    school_b: i64,
    outside_school: i64,
    teacher_id: i64,
}

async fn world(app: TestApp) -> World {
    let school_a = app
        .school(
            "cl",
            "4754",
            "Escuela Cerro San Francisco",
            "Biobío",
            "Concepción",
        )
        .await;
    let school_b = app
        .school(
            "cl",
            "4587",
            "Liceo Juan Martínez de Rozas",
            "Biobío",
            "Concepción",
        )
        .await;
    let outside_school = app
        .school("cl", "4590", "Escuela Lota Alto", "Biobío", "Concepción")
        .await;
    let network = app.network("Red Costa Biobío", "Biobío").await;
    let mut conn = app.db.pool.acquire().await.unwrap();
    for school in [school_a, school_b] {
        redes::networks::store::add_member(
            &mut conn,
            redes::ids::NetworkId(network),
            redes::ids::SchoolId(school),
            Some("2016-03-01"),
        )
        .await
        .unwrap();
    }
    drop(conn);
    let teacher_id = app
        .person("docente.a", &[school_grant("teacher", school_a)])
        .await;
    World {
        app,
        network,
        school_a,
        school_b,
        outside_school,
        teacher_id,
    }
}

impl World {
    async fn coordinator(&self) -> Client {
        self.app
            .signed_in(
                "coordinadora",
                &[network_grant("network_coordinator", self.network)],
            )
            .await
    }

    async fn client(&self, username: &str) -> Client {
        let mut client = self.app.client();
        client.login(username, common::PASSWORD).await;
        client
    }

    async fn count(&self, table: &str) -> i64 {
        self.app
            .count(&format!("SELECT COUNT(*) FROM {table}"))
            .await
    }
}

/// Posts a form and expects a redirect; returns where it went.
async fn ok(client: &mut Client, path: &str, fields: &[(&str, &str)]) -> String {
    let response = client.post_form(path, fields).await;
    assert_eq!(
        response.status,
        StatusCode::SEE_OTHER,
        "{path}: {}",
        response.body
    );
    response.location.unwrap()
}

/// The id after `#x-` in a redirect.
fn anchor_id(location: &str) -> i64 {
    location.rsplit('-').next().unwrap().parse().unwrap()
}

both_databases!(
    plan_progress_late_actions_and_next_year,
    |app: TestApp| async move {
        let w = world(app).await;
        let n = w.network;
        let mut c = w.coordinator().await;
        let empty = c.get(&format!("/redes/{n}/plan")).await;
        assert_eq!(empty.status, StatusCode::OK);
        assert!(empty
            .body
            .contains("La red no tiene plan de trabajo para este año."));
        assert!(c
            .get(&format!("/redes/{n}"))
            .await
            .body
            .contains(&format!("href=\"/redes/{n}/plan\"")));

        let at = ok(&mut c, &format!("/redes/{n}/plan"), &[("year", "2017")]).await;
        assert_eq!(at, format!("/redes/{n}/plan/2017"));
        let plan = w.app.count("SELECT id FROM work_plans").await;
        let strategic = anchor_id(
            &ok(
                &mut c,
                &format!("/planes/{plan}/objetivos"),
                &[
                    ("title", "Mejorar los aprendizajes en lectura"),
                    ("parent_id", ""),
                ],
            )
            .await,
        );
        let annual = anchor_id(
            &ok(
                &mut c,
                &format!("/planes/{plan}/objetivos"),
                &[
                    ("title", "Fluidez lectora en primer ciclo"),
                    ("parent_id", &strategic.to_string()),
                    ("description", "- Pasantías\n- Talleres"),
                ],
            )
            .await,
        );
        let (a, b, t) = (
            w.school_a.to_string(),
            w.school_b.to_string(),
            w.teacher_id.to_string(),
        );
        let action = |title: &'static str,
                      person: &str,
                      school: &str,
                      due: &'static str,
                      status: &'static str| {
            vec![
                ("title", title.to_string()),
                ("owner_person_id", person.to_string()),
                ("owner_school_id", school.to_string()),
                ("starts_on", "2017-03-15".to_string()),
                ("due_on", due.to_string()),
                ("status", status.to_string()),
                (
                    "school_plan_action",
                    if school.is_empty() {
                        String::new()
                    } else {
                        "PME 2017, acción 3".into()
                    },
                ),
            ]
        };
        let mut ids = Vec::new();
        for fields in [
            action(
                "Talleres de lectura compartida",
                "",
                &a,
                "2017-11-30",
                "pending",
            ),
            action("Pasantía de docentes", &t, "", "2017-04-30", "in_progress"),
            action("Jornada de evaluación", "", &b, "2017-06-30", "done"),
            action("Visita a Santiago", "", &b, "2017-05-30", "cancelled"),
        ] {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            ids.push(anchor_id(
                &ok(&mut c, &format!("/objetivos/{annual}/acciones"), &fields).await,
            ));
        }
        let indicator = anchor_id(
            &ok(
                &mut c,
                &format!("/objetivos/{annual}/indicadores"),
                &[
                    ("name", "Lectura fluida en 2° básico"),
                    ("unit", "%"),
                    ("baseline", "48"),
                    ("goal", "70"),
                ],
            )
            .await,
        );
        for (on, value) in [("2017-06-30", "55"), ("2017-11-30", "61,5")] {
            ok(
                &mut c,
                &format!("/indicadores/{indicator}/mediciones"),
                &[
                    ("measured_on", on),
                    ("value", value),
                    ("source", "Evaluación de la red"),
                ],
            )
            .await;
        }

        let page = c.get(&format!("/redes/{n}/plan/2017")).await;
        assert_eq!(page.status, StatusCode::OK);
        let body = &page.body;
        // One done of three that count (the cancelled one does not).
        assert!(body.contains("<strong>33 %</strong>"), "{body}");
        assert!(body.contains("1 canceladas, que no cuentan"));
        // Due dates passed: the two unfinished actions are late, with a text label.
        assert!(body.contains("2 atrasadas"));
        assert_eq!(
            body.matches("<strong class=\"late-label\">Atrasada</strong>")
                .count(),
            2
        );
        assert!(body.contains("PME: PME 2017, acción 3"));
        assert!(body.contains("Persona docente.a") && body.contains("Escuela Cerro San Francisco"));
        // The indicator: a chart named for screen readers and a table beside it.
        assert!(body.contains("<svg role=\"img\""));
        assert!(
            body.contains("Lectura fluida en 2° básico: última medición 61.5 %, meta 70 %</title>"),
            "{body}"
        );
        assert!(body.contains("<polyline class=\"series\""));
        assert!(body.contains(
            "<td>2017-11-30</td><td>61.5 %</td><td>70 %</td><td>Evaluación de la red</td>"
        ));
        assert!(body.contains("Línea base: 48 %"));
        // Strategic objective, then its annual objective.
        assert!(
            body.find("Mejorar los aprendizajes en lectura").unwrap()
                < body.find("Fluidez lectora en primer ciclo").unwrap()
        );

        // The owners find their unfinished actions on their home page, late first.
        let mut teacher = w.client("docente.a").await;
        let home = teacher.get("/").await;
        assert!(
            home.body.contains("Mis acciones del plan de trabajo"),
            "{}",
            home.body
        );
        assert!(home.body.contains("Atrasada:</strong> <a href=\"/redes/"));
        assert!(
            home.body.contains("Pasantía de docentes")
                && !home.body.contains("Talleres de lectura compartida")
        );
        w.app
            .person("director.a", &[school_grant("director", w.school_a)])
            .await;
        let home = w.client("director.a").await.get("/").await;
        assert!(
            home.body.contains("Talleres de lectura compartida")
                && !home.body.contains("Jornada de evaluación")
        );
        let home = c.get("/").await;
        assert!(
            !home.body.contains("Mis acciones del plan de trabajo"),
            "the coordinator owns none"
        );

        // In English: the page and the form's options.
        c.get("/idioma/en?next=/").await;
        let english = c.get(&format!("/redes/{n}/plan/2017")).await;
        assert!(english.body.contains("Work plan 2017") && english.body.contains(">Late</strong>"));
        let form = c.get(&format!("/objetivos/{annual}/acciones/nueva")).await;
        assert!(
            form.body.contains(">Pending</option>")
                && form.body.contains("Owner: a person or a member school")
        );
        c.get("/idioma/es?next=/").await;

        // Edit an action and a measurement.
        let edited = action(
            "Pasantía de docentes entre escuelas",
            &t,
            "",
            "2017-05-30",
            "in_progress",
        );
        let edited: Vec<(&str, &str)> = edited.iter().map(|(k, v)| (*k, v.as_str())).collect();
        ok(&mut c, &format!("/acciones/{}", ids[1]), &edited).await;
        assert_eq!(
            w.app
                .text(&format!(
                    "SELECT due_on FROM plan_actions WHERE id = {}",
                    ids[1]
                ))
                .await,
            "2017-05-30"
        );
        let m = w.app.count("SELECT MAX(id) FROM plan_measurements").await;
        ok(
            &mut c,
            &format!("/mediciones/{m}"),
            &[
                ("measured_on", "2017-11-30"),
                ("value", "64"),
                ("source", "SIMCE"),
            ],
        )
        .await;
        assert!(c
            .get(&format!("/redes/{n}/plan/2017"))
            .await
            .body
            .contains("última medición 64 %"));
        assert_eq!(
            c.get(&format!("/mediciones/{m}/editar")).await.status,
            StatusCode::OK
        );
        assert_eq!(
            c.get(&format!("/acciones/{}/editar", ids[1])).await.status,
            StatusCode::OK
        );

        // The owner of an action moves it along; not someone else's.
        let mut teacher = w.client("docente.a").await;
        ok(
            &mut teacher,
            &format!("/acciones/{}/estado", ids[1]),
            &[("status", "done")],
        )
        .await;
        let refused = teacher
            .post_form(
                &format!("/acciones/{}/estado", ids[0]),
                &[("status", "done")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let page = c.get(&format!("/redes/{n}/plan/2017")).await;
        assert!(
            page.body.contains("<strong>67 %</strong>"),
            "two of three done"
        );
        assert!(page.body.contains("1 atrasadas"));

        // Start 2018 from this plan.
        let next = ok(&mut c, &format!("/planes/{plan}/siguiente"), &[]).await;
        assert_eq!(next, format!("/redes/{n}/plan/2018"));
        let plan_2018 = w
            .app
            .count("SELECT id FROM work_plans WHERE year = 2018")
            .await;
        let in_2018 = |table: &str| {
            format!("SELECT COUNT(*) FROM {table} x JOIN plan_objectives o ON o.id = x.objective_id WHERE o.plan_id = {plan_2018}")
        };
        assert_eq!(w.app.count(&format!("SELECT COUNT(*) FROM plan_objectives WHERE plan_id = {plan_2018} AND parent_id IS NOT NULL")).await, 1);
        assert_eq!(w.app.count(&in_2018("plan_actions")).await, 4);
        assert_eq!(
            w.app
                .count(&format!(
                    "{} AND x.status = 'pending' AND x.starts_on = '2018-03-15'",
                    in_2018("plan_actions")
                ))
                .await,
            4
        );
        assert_eq!(
            w.app
                .count(&format!(
                    "{} AND x.baseline = 64 AND x.goal = 70",
                    in_2018("plan_indicators")
                ))
                .await,
            1
        );
        assert_eq!(
            w.count("plan_measurements").await,
            2,
            "measurements are not copied"
        );
        let page_2018 = c.get(&next).await;
        assert!(page_2018.body.contains("<strong>0 %</strong>"));
        assert!(page_2018
            .body
            .contains(&format!("href=\"/redes/{n}/plan/2017\"")));
        // The plan page of the network shows this year's or the latest plan.
        assert!(c
            .get(&format!("/redes/{n}/plan"))
            .await
            .body
            .contains("Plan de trabajo 2018"));
        let again = c.post_form(&format!("/planes/{plan}/siguiente"), &[]).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert!(
            again
                .body
                .contains("La red ya tiene un plan para 2018; no se copió nada."),
            "{}",
            again.body
        );
        assert_eq!(w.count("work_plans").await, 2);

        // Each delete is asked first, on a page that works without JavaScript.
        let ask = c.get(&format!("/objetivos/{strategic}/borrar")).await;
        assert_eq!(ask.status, StatusCode::OK);
        assert!(
            ask.body.contains("¿Borrar este objetivo?")
                && ask.body.contains("Mejorar los aprendizajes en lectura")
        );
        assert!(ask
            .body
            .contains("<button type=\"submit\" class=\"danger\">Borrar</button>"));
        assert!(c
            .get(&format!("/mediciones/{m}/borrar"))
            .await
            .body
            .contains("2017-11-30: 64"));
        assert_eq!(
            w.app
                .count(&format!(
                    "SELECT COUNT(*) FROM plan_objectives WHERE id = {strategic}"
                ))
                .await,
            1,
            "asking deletes nothing"
        );

        // Deletes: a measurement, an indicator, an action, then an objective with everything under it.
        ok(&mut c, &format!("/mediciones/{m}/borrar"), &[]).await;
        assert_eq!(w.count("plan_measurements").await, 1);
        ok(&mut c, &format!("/acciones/{}/borrar", ids[3]), &[]).await;
        assert_eq!(
            w.app
                .count(&format!(
                    "SELECT COUNT(*) FROM plan_actions WHERE id = {}",
                    ids[3]
                ))
                .await,
            0
        );
        ok(&mut c, &format!("/indicadores/{indicator}/borrar"), &[]).await;
        assert_eq!(
            w.app
                .count(&format!(
                    "SELECT COUNT(*) FROM plan_indicators WHERE id = {indicator}"
                ))
                .await,
            0
        );
        ok(&mut c, &format!("/objetivos/{strategic}/borrar"), &[]).await;
        assert_eq!(
            w.app
                .count(&format!(
                    "SELECT COUNT(*) FROM plan_objectives WHERE plan_id = {plan}"
                ))
                .await,
            0
        );
        assert_eq!(
            w.app
                .count(&format!(
                    "SELECT COUNT(*) FROM plan_objectives WHERE plan_id = {plan_2018}"
                ))
                .await,
            2,
            "the copy stays"
        );
        assert_eq!(w.count("plan_measurements").await, 0);

        // The meetings module lists a year's actions to tie agenda items to.
        let actions =
            redes::plans::store::actions_of_network(&w.app.db.pool, redes::ids::NetworkId(n), 2018)
                .await
                .unwrap();
        assert_eq!(actions.len(), 4);
        assert_eq!(
            actions[0].1, "Pasantía de docentes entre escuelas",
            "by due date"
        );
    }
);

both_databases!(who_reads_and_who_edits_a_plan, |app: TestApp| async move {
    let w = world(app).await;
    let n = w.network;
    let mut c = w.coordinator().await;
    ok(&mut c, &format!("/redes/{n}/plan"), &[("year", "2017")]).await;
    let plan = w.app.count("SELECT id FROM work_plans").await;
    let objective = anchor_id(
        &ok(
            &mut c,
            &format!("/planes/{plan}/objetivos"),
            &[("title", "Liderazgo pedagógico")],
        )
        .await,
    );
    let app = &w.app;
    app.person("director.a", &[school_grant("director", w.school_a)])
        .await;
    app.person("jefa.b", &[school_grant("technical_head", w.school_b)])
        .await;
    app.person(
        "director.fuera",
        &[school_grant("director", w.outside_school)],
    )
    .await;
    app.person(
        "seremi.biobio",
        &[common::grant("regional_authority", "region", "Biobío")],
    )
    .await;
    app.person(
        "seremi.maule",
        &[common::grant("regional_authority", "region", "Maule")],
    )
    .await;
    app.person(
        "coordinador.otra",
        &[network_grant(
            "network_coordinator",
            app.network("Otra red", "Biobío").await,
        )],
    )
    .await;
    let page = format!("/redes/{n}/plan/2017");
    let new_objective = format!("/planes/{plan}/objetivos");
    for (user, reads, edits) in [
        ("director.a", true, true),
        ("jefa.b", true, true),
        ("docente.a", true, false),
        ("seremi.biobio", true, false),
        ("seremi.maule", false, false),
        ("director.fuera", false, false),
        ("coordinador.otra", false, false),
    ] {
        let mut client = w.client(user).await;
        let read = client.get(&page).await;
        assert_eq!(
            read.status,
            if reads {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            },
            "{user} reads"
        );
        assert_eq!(
            read.body.contains("Agregar objetivo"),
            edits,
            "{user} sees the edit links"
        );
        let before = w.count("plan_objectives").await;
        let write = client
            .post_form(&new_objective, &[("title", &format!("Objetivo de {user}"))])
            .await;
        let expected = if edits {
            StatusCode::SEE_OTHER
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(write.status, expected, "{user} edits: {}", write.body);
        assert_eq!(w.count("plan_objectives").await, before + edits as i64);
        let form = client
            .get(&format!("/objetivos/{objective}/indicadores/nuevo"))
            .await;
        assert_eq!(
            form.status,
            if edits {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            },
            "{user}"
        );
        let api = client
            .json(
                "GET",
                &format!("/api/v1/networks/{n}/plans/2017"),
                None,
                None,
            )
            .await;
        assert_eq!(
            api.status,
            if reads {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            },
            "{user} API"
        );
    }
    // A school that left the network takes its leaders' rights with it.
    sqlx::query("UPDATE network_schools SET left_on = '2017-01-01' WHERE school_id = $1")
        .bind(w.school_a)
        .execute(&w.app.db.pool)
        .await
        .unwrap();
    let mut former = w.client("director.a").await;
    assert_eq!(
        former
            .post_form(&new_objective, &[("title", "Tarde")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Unknown ids and years are 404; anonymous visitors go to the login page.
    assert_eq!(
        c.get("/redes/999999/plan").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get(&format!("/redes/{n}/plan/1800")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get("/objetivos/999999/editar").await.status,
        StatusCode::NOT_FOUND
    );
    let anonymous = w.app.client().get(&page).await;
    assert!(anonymous.location.unwrap().starts_with("/login"));
});

both_databases!(
    bad_input_shows_a_message_and_saves_nothing,
    |app: TestApp| async move {
        let w = world(app).await;
        let n = w.network;
        let mut c = w.coordinator().await;
        let out_of_range = c
            .post_form(&format!("/redes/{n}/plan"), &[("year", "1800")])
            .await;
        assert_eq!(out_of_range.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(out_of_range
            .body
            .contains("Escriba un año entre 1990 y 2100"));
        assert_eq!(w.count("work_plans").await, 0);
        ok(&mut c, &format!("/redes/{n}/plan"), &[("year", "2017")]).await;
        let twice = c
            .post_form(&format!("/redes/{n}/plan"), &[("year", "2017")])
            .await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(twice.body.contains("La red ya tiene un plan para 2017"));
        let plan = w.app.count("SELECT id FROM work_plans").await;
        let objective = anchor_id(
            &ok(
                &mut c,
                &format!("/planes/{plan}/objetivos"),
                &[("title", "Convivencia escolar")],
            )
            .await,
        );
        let no_title = c
            .post_form(&format!("/planes/{plan}/objetivos"), &[("title", "  ")])
            .await;
        assert_eq!(no_title.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_title.body.contains("El objetivo necesita un título"));

        // Actions: due before the start; an owner school that is not a member; no owner.
        let action = |school: String, due: &'static str| {
            vec![
                ("title", "Taller de convivencia".to_string()),
                ("owner_school_id", school),
                ("starts_on", "2017-05-01".to_string()),
                ("due_on", due.to_string()),
            ]
        };
        for (fields, message) in [
            (
                action(w.school_a.to_string(), "2017-04-01"),
                "El plazo no puede ser anterior a la fecha de inicio",
            ),
            (
                action(w.outside_school.to_string(), "2017-06-01"),
                "Esa escuela no integra la red",
            ),
            (
                action(String::new(), "2017-06-01"),
                "Elija una persona o una escuela responsable",
            ),
        ] {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let refused = c
                .post_form(&format!("/objetivos/{objective}/acciones"), &fields)
                .await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{message}"
            );
            assert!(
                refused.body.contains(message),
                "{message}: {}",
                refused.body
            );
            assert!(refused.body.contains("aria-invalid=\"true\""));
            assert!(
                refused.body.contains("value=\"Taller de convivencia\""),
                "the form keeps what was typed"
            );
        }
        assert_eq!(w.count("plan_actions").await, 0);

        // Measurements: no value, text in the number.
        let indicator = anchor_id(
            &ok(
                &mut c,
                &format!("/objetivos/{objective}/indicadores"),
                &[("name", "Asistencia"), ("unit", "%"), ("goal", "90")],
            )
            .await,
        );
        for value in ["", "noventa"] {
            let refused = c
                .post_form(
                    &format!("/indicadores/{indicator}/mediciones"),
                    &[("measured_on", "2017-06-30"), ("value", value)],
                )
                .await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert!(
                refused.body.contains("Valor: Escriba un número"),
                "{}",
                refused.body
            );
            assert!(refused
                .body
                .contains("<p class=\"error\" id=\"e-value\">Escriba un número</p>"));
        }
        let bad_goal = c
            .post_form(
                &format!("/objetivos/{objective}/indicadores"),
                &[("name", "Asistencia"), ("goal", "mucho")],
            )
            .await;
        assert_eq!(bad_goal.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(w.count("plan_measurements").await, 0);
        assert_eq!(w.count("plan_indicators").await, 1);
        // An unknown status.
        let refused = c
            .post_form(
                &format!("/indicadores/{indicator}/mediciones"),
                &[("measured_on", "30/06/2017"), ("value", "88")],
            )
            .await;
        assert!(refused.body.contains("AAAA-MM-DD"));
    }
);

both_databases!(
    the_api_reads_and_writes_with_the_same_rules,
    |app: TestApp| async move {
        let w = world(app).await;
        let n = w.network;
        let mut c = w.coordinator().await;
        let created = c
            .json(
                "POST",
                &format!("/api/v1/networks/{n}/plans"),
                Some(json!({"year": "2017"})),
                None,
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let plan = created.json()["id"].as_i64().unwrap();
        let objective = c
            .json(
                "POST",
                &format!("/api/v1/plans/{plan}/objectives"),
                Some(json!({"title": "Lectura"})),
                None,
            )
            .await;
        assert_eq!(objective.status, StatusCode::CREATED, "{}", objective.body);
        let objective = objective.json()["id"].as_i64().unwrap();
        let action = c
        .json("POST", &format!("/api/v1/objectives/{objective}/actions"), Some(json!({
            "title": "Pasantías", "owner_school_id": w.school_a.to_string(), "starts_on": "2017-04-01", "due_on": "2017-06-30"
        })), None)
        .await;
        assert_eq!(action.status, StatusCode::CREATED, "{}", action.body);
        assert_eq!(action.json()["owner_name"], "Escuela Cerro San Francisco");
        let action = action.json()["id"].as_i64().unwrap();
        let indicator = c
            .json(
                "POST",
                &format!("/api/v1/objectives/{objective}/indicators"),
                Some(json!({"name": "Fluidez", "unit": "%", "baseline": "40", "goal": "70"})),
                None,
            )
            .await;
        assert_eq!(indicator.status, StatusCode::CREATED, "{}", indicator.body);
        let indicator = indicator.json()["id"].as_i64().unwrap();
        let bad = c
            .json(
                "POST",
                &format!("/api/v1/indicators/{indicator}/measurements"),
                Some(json!({"measured_on": "2017-06-30", "value": "abc"})),
                None,
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["fields"]["value"], "Escriba un número");
        let measured = c
            .json(
                "POST",
                &format!("/api/v1/indicators/{indicator}/measurements"),
                Some(json!({"measured_on": "2017-06-30", "value": "52.5", "source": "Red"})),
                None,
            )
            .await;
        assert_eq!(measured.status, StatusCode::CREATED, "{}", measured.body);
        let done = c
            .json(
                "PATCH",
                &format!("/api/v1/actions/{action}/status"),
                Some(json!({"status": "done"})),
                None,
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert_eq!(done.json()["status"], "done");

        let doc = c
            .json(
                "GET",
                &format!("/api/v1/networks/{n}/plans/2017"),
                None,
                None,
            )
            .await;
        assert_eq!(doc.status, StatusCode::OK);
        let doc = doc.json();
        assert_eq!(doc["progress"]["percent_done"], 100);
        assert_eq!(doc["objectives"][0]["level"], "strategic");
        assert_eq!(doc["objectives"][0]["actions"][0]["title"], "Pasantías");
        assert_eq!(
            doc["objectives"][0]["indicators"][0]["measurements"][0]["value"],
            52.5
        );
        assert_eq!(
            c.json(
                "GET",
                &format!("/api/v1/networks/{n}/plans/2019"),
                None,
                None
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );

        let next = c
            .json(
                "POST",
                &format!("/api/v1/plans/{plan}/next-year"),
                None,
                None,
            )
            .await;
        assert_eq!(next.status, StatusCode::CREATED, "{}", next.body);
        let next = next.json();
        assert_eq!(next["plan"]["year"], 2018);
        assert_eq!(next["objectives"][0]["actions"][0]["status"], "pending");
        assert_eq!(next["objectives"][0]["actions"][0]["due_on"], "2018-06-30");
        assert_eq!(next["objectives"][0]["indicators"][0]["baseline"], 52.5);
        let again = c
            .json(
                "POST",
                &format!("/api/v1/plans/{plan}/next-year"),
                None,
                None,
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);

        // A teacher of a member school reads but does not write.
        let mut teacher = w.client("docente.a").await;
        assert_eq!(
            teacher
                .json(
                    "GET",
                    &format!("/api/v1/networks/{n}/plans/2017"),
                    None,
                    None
                )
                .await
                .status,
            StatusCode::OK
        );
        let refused = teacher
            .json(
                "POST",
                &format!("/api/v1/plans/{plan}/objectives"),
                Some(json!({"title": "Otro"})),
                None,
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let refused = teacher
            .json(
                "PATCH",
                &format!("/api/v1/actions/{action}/status"),
                Some(json!({"status": "pending"})),
                None,
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(
            w.app
                .text(&format!(
                    "SELECT status FROM plan_actions WHERE id = {action}"
                ))
                .await,
            "done"
        );
    }
);

both_databases!(
    the_demo_has_a_2017_plan_for_three_networks,
    |app: TestApp| async move {
        redes::demo::load(&app.db, None).await.expect("demo loads");
        for (username, network) in [
            ("coordinador.liga", "Red Liga Aprende"),
            ("coordinadora.talagante", "Red de Talagante"),
            ("coordinador.ibanez", "Red Río Ibáñez"),
        ] {
            let id = app
                .count(&format!("SELECT id FROM networks WHERE name = '{network}'"))
                .await;
            let in_plan = |what: &str| {
                format!(
                "SELECT COUNT(*) FROM plan_actions a JOIN plan_objectives o ON o.id = a.objective_id
                 JOIN work_plans w ON w.id = o.plan_id WHERE w.network_id = {id} AND w.year = 2017 AND {what}"
            )
            };
            assert!(
                app.count(&in_plan("a.status = 'done'")).await >= 1,
                "{network}: done"
            );
            assert!(
                app.count(&in_plan("a.status IN ('pending', 'in_progress')"))
                    .await
                    >= 1,
                "{network}: late"
            );
            assert!(
                app.count(&in_plan("a.owner_school_id IS NOT NULL")).await >= 2,
                "{network}: school owners"
            );
            let measured = app
            .count(&format!(
                "SELECT COUNT(*) FROM plan_measurements m JOIN plan_indicators i ON i.id = m.indicator_id
                 JOIN plan_objectives o ON o.id = i.objective_id JOIN work_plans w ON w.id = o.plan_id
                 WHERE w.network_id = {id}"
            ))
            .await;
            assert!(
                (2..=12).contains(&measured),
                "{network}: {measured} measurements"
            );
            let mut coordinator = app.client();
            coordinator
                .login(username, redes::demo::DEMO_PASSWORD)
                .await;
            let page = coordinator.get(&format!("/redes/{id}/plan")).await;
            assert_eq!(page.status, StatusCode::OK, "{network}");
            assert!(page.body.contains("Plan de trabajo 2017"), "{network}");
            assert!(
                page.body.contains("Atrasada") && page.body.contains("Agregar objetivo"),
                "{network}"
            );
            assert!(
                page.body.contains("<polyline class=\"series\""),
                "{network}"
            );
        }
    }
);
