//! The work plans of the authorization world: a 2017 plan for red-a and
//! one for red-b, each with a strategic objective, an action, an indicator
//! and a measurement (red-a's action is owned by the teacher of school-x,
//! who may move it along); the request bodies of the plan routes; and the
//! snapshot that puts the plans back after an allowed write.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::common::TestApp;
use redes::ids::{NetworkId, PersonId, SchoolId};
use redes::plans::input::{NewAction, NewIndicator, NewMeasurement, NewObjective};
use redes::plans::model::ActionStatus;
use redes::plans::store;

/// Builds the plans of red-a and red-b; `teacher` owns red-a's action.
pub async fn build(
    app: &TestApp,
    ids: &mut HashMap<String, i64>,
    names: &mut HashMap<String, String>,
    teacher: i64,
) {
    let mut conn = app.db.pool.acquire().await.unwrap();
    for (suffix, network, school) in [("a", "red-a", "school-x"), ("b", "red-b", "school-m")] {
        let plan = store::insert_plan(&mut conn, NetworkId(ids[network]), 2017, None)
            .await
            .unwrap();
        let title = format!("Objetivo estratégico de {network}");
        let objective = store::insert_objective(
            &mut conn,
            plan,
            &NewObjective {
                title: title.clone(),
                description: String::new(),
                parent_id: None,
            },
        )
        .await
        .unwrap();
        let (person, school) = match suffix {
            "a" => (Some(PersonId(teacher)), None),
            _ => (None, Some(SchoolId(ids[school]))),
        };
        let action = store::insert_action(
            &mut conn,
            objective,
            &NewAction {
                title: format!("Acción de {network}"),
                owner_person_id: person,
                owner_school_id: school,
                starts_on: "2017-03-01".into(),
                due_on: "2017-06-30".into(),
                status: ActionStatus::Pending,
                school_plan_action: String::new(),
            },
        )
        .await
        .unwrap();
        let indicator = store::insert_indicator(&mut conn, objective, &indicator())
            .await
            .unwrap();
        let measurement = store::insert_measurement(
            &mut conn,
            indicator,
            &NewMeasurement {
                measured_on: "2017-06-30".into(),
                value: 55.0,
                source: "Evaluación de la red".into(),
            },
        )
        .await
        .unwrap();
        for (kind, id) in [
            ("wplan", plan.0),
            ("objective", objective.0),
            ("action", action.0),
            ("indicator", indicator.0),
            ("measurement", measurement.0),
        ] {
            ids.insert(format!("{kind}-{suffix}"), id);
        }
        names.insert(format!("objective-{suffix}"), title);
    }
}

fn indicator() -> NewIndicator {
    NewIndicator {
        name: "Lectura fluida".into(),
        unit: "%".into(),
        baseline: Some(40.0),
        goal: 70.0,
    }
}

/// The body of a plan route, as the input struct's fields (`None`: the
/// route takes no body).
pub fn input(world: &super::world::World, path: &str) -> Option<Value> {
    let school = world.ids["school-x"].to_string();
    Some(match path {
        "/redes/{id}/plan" | "/api/v1/networks/{id}/plans" => json!({"year": "2019"}),
        "/planes/{id}/objetivos" | "/objetivos/{id}" | "/api/v1/plans/{id}/objectives" => {
            json!({"title": "Objetivo nuevo", "description": "", "parent_id": ""})
        }
        "/objetivos/{id}/acciones" | "/acciones/{id}" | "/api/v1/objectives/{id}/actions" => {
            json!({
                "title": "Acción nueva", "owner_person_id": "", "owner_school_id": school,
                "starts_on": "2017-04-01", "due_on": "2017-05-30", "status": "pending", "school_plan_action": ""
            })
        }
        "/acciones/{id}/estado" | "/api/v1/actions/{id}/status" => json!({"status": "done"}),
        "/objetivos/{id}/indicadores"
        | "/indicadores/{id}"
        | "/api/v1/objectives/{id}/indicators" => {
            json!({"name": "Asistencia", "unit": "%", "baseline": "80", "goal": "90"})
        }
        "/indicadores/{id}/mediciones"
        | "/mediciones/{id}"
        | "/api/v1/indicators/{id}/measurements" => {
            json!({"measured_on": "2017-09-30", "value": "60", "source": "Red"})
        }
        _ => return None,
    })
}

/// A route of the plans module (pages or API).
pub fn is_plan_route(path: &str) -> bool {
    [
        "/redes/{id}/plan",
        "/planes/",
        "/objetivos/",
        "/acciones/",
        "/indicadores/",
        "/mediciones/",
        "/api/v1/networks/{id}/plans",
        "/api/v1/plans/",
        "/api/v1/objectives/",
        "/api/v1/actions/",
        "/api/v1/indicators/",
    ]
    .iter()
    .any(|prefix| path.starts_with(prefix))
}

/// What of the plans a request may change, one line per row.
pub const FINGERPRINT: [&str; 5] = [
    "SELECT 'work plan ' || CAST(id AS TEXT) || ' ' || CAST(network_id AS TEXT) || ' ' || CAST(year AS TEXT) || ' ' || updated_at FROM work_plans ORDER BY id",
    "SELECT 'objective ' || CAST(id AS TEXT) || ' ' || CAST(plan_id AS TEXT) || ' ' || COALESCE(CAST(parent_id AS TEXT), '-') || ' ' || title FROM plan_objectives ORDER BY id",
    "SELECT 'action ' || CAST(id AS TEXT) || ' ' || CAST(objective_id AS TEXT) || ' ' || title || ' ' || status || ' ' || due_on || ' ' || updated_at FROM plan_actions ORDER BY id",
    "SELECT 'indicator ' || CAST(id AS TEXT) || ' ' || CAST(objective_id AS TEXT) || ' ' || name || ' ' || CAST(goal AS TEXT) FROM plan_indicators ORDER BY id",
    "SELECT 'measurement ' || CAST(id AS TEXT) || ' ' || CAST(indicator_id AS TEXT) || ' ' || measured_on || ' ' || CAST(value AS TEXT) FROM plan_measurements ORDER BY id",
];

type PlanRow = (i64, i64, i64, Option<i64>, String, String);
type ObjectiveRow = (i64, i64, Option<i64>, String, String);
type ActionRow = (
    i64,
    i64,
    String,
    Option<i64>,
    Option<i64>,
    String,
    String,
    String,
    String,
    String,
);
type IndicatorRow = (i64, i64, String, String, Option<f64>, f64);
type MeasurementRow = (i64, i64, String, f64, String);

/// Every plan row of the world as built.
pub struct Snapshot {
    plans: Vec<PlanRow>,
    objectives: Vec<ObjectiveRow>,
    actions: Vec<ActionRow>,
    indicators: Vec<IndicatorRow>,
    measurements: Vec<MeasurementRow>,
}

pub async fn take(app: &TestApp) -> Snapshot {
    let pool = &app.db.pool;
    Snapshot {
        plans: sqlx::query_as("SELECT id, network_id, year, created_by, created_at, updated_at FROM work_plans")
            .fetch_all(pool)
            .await
            .unwrap(),
        objectives: sqlx::query_as("SELECT id, plan_id, parent_id, title, description FROM plan_objectives")
            .fetch_all(pool)
            .await
            .unwrap(),
        actions: sqlx::query_as(
            "SELECT id, objective_id, title, owner_person_id, owner_school_id, starts_on, due_on, status, school_plan_action, updated_at FROM plan_actions",
        )
        .fetch_all(pool)
        .await
        .unwrap(),
        indicators: sqlx::query_as("SELECT id, objective_id, name, unit, baseline, goal FROM plan_indicators")
            .fetch_all(pool)
            .await
            .unwrap(),
        measurements: sqlx::query_as("SELECT id, indicator_id, measured_on, value, source FROM plan_measurements")
            .fetch_all(pool)
            .await
            .unwrap(),
    }
}

/// Puts every plan back as built: all plan rows go, the snapshot's come
/// back with their ids.
pub async fn restore(conn: &mut sqlx::AnyConnection, s: &Snapshot) {
    for table in [
        "plan_measurements",
        "plan_indicators",
        "plan_actions",
        "plan_objectives",
        "work_plans",
    ] {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    for (id, network, year, by, created, updated) in &s.plans {
        sqlx::query("INSERT INTO work_plans (id, network_id, year, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id).bind(network).bind(year).bind(by).bind(created).bind(updated)
            .execute(&mut *conn).await.unwrap();
    }
    for (id, plan, parent, title, description) in &s.objectives {
        sqlx::query("INSERT INTO plan_objectives (id, plan_id, parent_id, title, description) VALUES ($1, $2, $3, $4, $5)")
            .bind(id).bind(plan).bind(parent).bind(title).bind(description)
            .execute(&mut *conn).await.unwrap();
    }
    for (id, objective, title, person, school, starts, due, status, school_plan, updated) in
        &s.actions
    {
        sqlx::query("INSERT INTO plan_actions (id, objective_id, title, owner_person_id, owner_school_id, starts_on, due_on, status, school_plan_action, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(id).bind(objective).bind(title).bind(person).bind(school).bind(starts).bind(due).bind(status).bind(school_plan).bind(updated)
            .execute(&mut *conn).await.unwrap();
    }
    for (id, objective, name, unit, baseline, goal) in &s.indicators {
        sqlx::query("INSERT INTO plan_indicators (id, objective_id, name, unit, baseline, goal) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id).bind(objective).bind(name).bind(unit).bind(redes::db::Float(*baseline)).bind(goal)
            .execute(&mut *conn).await.unwrap();
    }
    for (id, indicator, on, value, source) in &s.measurements {
        sqlx::query("INSERT INTO plan_measurements (id, indicator_id, measured_on, value, source) VALUES ($1, $2, $3, $4, $5)")
            .bind(id).bind(indicator).bind(on).bind(value).bind(source)
            .execute(&mut *conn).await.unwrap();
    }
}
