//! The three encounter sessions of seed 003 on SQLite and PostgreSQL: an
//! approved plan creates them with rosters and checklists; attendance is
//! taken against the roster; duties are ticked by their people; observers'
//! records stay inside the plan's scope; each school's PEMC changes are
//! followed up in the next session; the attendance list prints.

use crate::common;

use axum::http::StatusCode;
use common::{seed_zone, zone_supervisor, Client, Grant, TestApp};

const DATES: [(&str, &str); 3] = [
    ("date_1", "2026-02-27"),
    ("date_2", "2026-04-24"),
    ("date_3", "2026-06-26"),
];

async fn school_id(app: &TestApp, code: &str) -> i64 {
    app.count(&format!(
        "SELECT id FROM schools WHERE official_code = '{code}'"
    ))
    .await
}

fn director_of(school_id: i64) -> Grant<'static> {
    Grant {
        role: "director",
        scope_kind: "school",
        country: "mx",
        school_id: Some(school_id),
        ..Default::default()
    }
}

/// Runs and approves a plan of the zone as the supervisor; returns its id.
async fn approved_plan(supervisor: &mut Client) -> i64 {
    let run = supervisor
        .post_form("/encuentros", &[("place", "Querétaro|Tequisquiapan")])
        .await;
    let url = run.location.unwrap();
    let approved = supervisor.post_form(&format!("{url}/aprobar"), &[]).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    url.rsplit('/').next().unwrap().parse().unwrap()
}

/// The id of session `n` of the group holding the school.
async fn session_of(app: &TestApp, code: &str, n: i64) -> i64 {
    let school = school_id(app, code).await;
    app.count(&format!(
        "SELECT MIN(m.id) FROM meetings m JOIN attendance a ON a.meeting_id = m.id
         WHERE a.school_id = {school} AND m.encounter_session = {n}"
    ))
    .await
}

both_databases!(
    an_approved_plan_creates_its_three_sessions_once,
    |app: TestApp| async move {
        seed_zone(&app).await;
        let north = school_id(&app, "22DPR0001B").await;
        let director = app.person("directora.norte", &[director_of(north)]).await;
        let mut supervisor = app.signed_in("supervisora", &[zone_supervisor()]).await;
        let run = supervisor
            .post_form("/encuentros", &[("place", "Querétaro|Tequisquiapan")])
            .await;
        let plan_url = run.location.unwrap();
        let sessions_url = format!("{plan_url}/sesiones");

        // A draft creates nothing: a clear refusal.
        let refused = supervisor.post_form(&sessions_url, &DATES).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
        assert!(
            refused.body.contains("aún no está aprobado"),
            "{}",
            refused.body
        );
        supervisor
            .post_form(&format!("{plan_url}/aprobar"), &[])
            .await;
        let page = supervisor.get(&sessions_url).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Crear las sesiones"), "{}", page.body);

        // Dates out of order: the message is next to the field, nothing saved.
        let bad = supervisor
            .post_form(
                &sessions_url,
                &[
                    ("date_1", "2026-04-24"),
                    ("date_2", "2026-02-27"),
                    ("date_3", "mañana"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("posterior a la fecha de la sesión 1"),
            "{}",
            bad.body
        );
        assert!(bad.body.contains("AAAA-MM-DD"), "{}", bad.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM meetings").await, 0);

        let created = supervisor.post_form(&sessions_url, &DATES).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        // Two clusters of one group each: three sessions per group.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM meetings WHERE kind = 'encounter'")
                .await,
            6
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM meetings WHERE held_on = '2026-04-24' AND encounter_session = 2").await,
            2
        );
        // Every planned teacher is on the roster of each of their three sessions.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM attendance").await,
            3 * (6 + 12 + 5 + 20)
        );
        // The registered director holds her school's director place, and
        // coordinates the sessions the planner gave to that place.
        let first = session_of(&app, "22DPR0001B", 1).await;
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM attendance WHERE person_id = {director} AND plan_member = '22DPR0001B-D1'"
            ))
            .await,
            3
        );
        let coordinated = app
            .count(&format!(
                "SELECT COUNT(*) FROM meetings WHERE coordinator_id = {director}"
            ))
            .await;
        let planned = app
            .count("SELECT COUNT(*) FROM meetings WHERE coordinator_member = '22DPR0001B-D1'")
            .await;
        assert_eq!(coordinated, planned);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM session_checklist WHERE meeting_id = {first}"
            ))
            .await,
            redes::encounter_sessions::model::DUTIES.len() as i64
        );

        let list = supervisor.get(&sessions_url).await;
        assert!(list.body.contains("Sesión 3"), "{}", list.body);
        assert!(list.body.contains(&format!("/sesiones-encuentro/{first}")));
        let page = supervisor
            .get(&format!("/sesiones-encuentro/{first}"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Persona directora.norte"),
            "{}",
            page.body
        );
        assert!(page
            .body
            .contains("Llegar quince minutos antes y verificar que los participantes coincidan"));
        assert!(page.body.contains("<td>Docente · "), "{}", page.body);
        // In English, the roster's roles and the title read in English; the
        // seats' subjects are data and stay as the plan wrote them.
        supervisor.set_cookie("lang", Some("en"));
        for path in [
            format!("/sesiones-encuentro/{first}"),
            format!("/sesiones-encuentro/{first}/imprimir"),
        ] {
            let english = supervisor.get(&path).await.body;
            assert!(english.contains("<td>Teacher · "), "{english}");
            assert!(english.contains("Session 1 · "), "{english}");
            let spanish = crate::english::spanish_in(&english);
            assert!(spanish.is_empty(), "{path}: {spanish:?}");
            for word in ["Docente", "Director(a)", "Sesión"] {
                assert!(!english.contains(word), "{path}: {word} in {english}");
            }
        }
        supervisor.set_cookie("lang", None);

        // Sessions are created once.
        let again = supervisor.post_form(&sessions_url, &DATES).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert!(again.body.contains("ya fueron creadas"), "{}", again.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM meetings").await, 6);

        // Another municipality's supervisor creates and reads nothing here.
        let mut other = app
            .signed_in(
                "otro.supervisor",
                &[Grant {
                    role: "supervisor",
                    scope_kind: "province",
                    country: "mx",
                    scope_name: "Cadereyta de Montes",
                    ..Default::default()
                }],
            )
            .await;
        assert_eq!(other.get(&sessions_url).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            other
                .get(&format!("/sesiones-encuentro/{first}"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
);

both_databases!(
    attendance_is_taken_against_the_groups_roster,
    |app: TestApp| async move {
        seed_zone(&app).await;
        let north = school_id(&app, "22DPR0001B").await;
        let mut supervisor = app.signed_in("supervisora", &[zone_supervisor()]).await;
        let plan = approved_plan(&mut supervisor).await;
        supervisor
            .post_form(&format!("/encuentros/{plan}/sesiones"), &DATES)
            .await;
        let mut director = app.signed_in("director.norte", &[director_of(north)]).await;
        let session = session_of(&app, "22DPR0001B", 1).await;
        let url = format!("/sesiones-encuentro/{session}/asistencia");
        let line = app
            .count(&format!(
                "SELECT MIN(id) FROM attendance WHERE meeting_id = {session}"
            ))
            .await;
        let stranger = app
            .count(&format!(
                "SELECT MIN(id) FROM attendance WHERE meeting_id <> {session}"
            ))
            .await;

        let taken = director
            .post_form(&url, &[(&format!("a-{line}"), "present")])
            .await;
        assert_eq!(taken.status, StatusCode::SEE_OTHER, "{}", taken.body);
        assert_eq!(
            app.text(&format!("SELECT status FROM attendance WHERE id = {line}"))
                .await,
            "present"
        );

        // Someone not on this group's roster: refused, nothing saved.
        let refused = director
            .post_form(
                &url,
                &[
                    (&format!("a-{line}"), "absent"),
                    (&format!("a-{stranger}"), "present"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("no está en la lista de asistencia"),
            "{}",
            refused.body
        );
        assert_eq!(
            app.text(&format!("SELECT status FROM attendance WHERE id = {line}"))
                .await,
            "present"
        );
        assert_eq!(
            app.text(&format!(
                "SELECT status FROM attendance WHERE id = {stranger}"
            ))
            .await,
            ""
        );
        let unknown = director
            .post_form(&url, &[(&format!("a-{line}"), "tarde")])
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);

        // The supervision reads the roster but does not take attendance; a
        // director of a school outside the group neither.
        let page = supervisor
            .get(&format!("/sesiones-encuentro/{session}"))
            .await;
        assert!(page.body.contains("1 / "), "{}", page.body);
        let denied = supervisor
            .post_form(&url, &[(&format!("a-{line}"), "absent")])
            .await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        let south = school_id(&app, "22DES0002D").await;
        let mut other = app.signed_in("director.sur", &[director_of(south)]).await;
        assert_eq!(
            other
                .post_form(&url, &[(&format!("a-{line}"), "absent")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.text(&format!("SELECT status FROM attendance WHERE id = {line}"))
                .await,
            "present"
        );
    }
);

both_databases!(
    each_duty_is_ticked_by_its_people,
    |app: TestApp| async move {
        seed_zone(&app).await;
        let north = school_id(&app, "22DPR0001B").await;
        let mut supervisor = app.signed_in("supervisora", &[zone_supervisor()]).await;
        let supervisor_id = app
            .count("SELECT id FROM people WHERE username = 'supervisora'")
            .await;
        let plan = approved_plan(&mut supervisor).await;
        supervisor
            .post_form(&format!("/encuentros/{plan}/sesiones"), &DATES)
            .await;
        let session = session_of(&app, "22DPR0001B", 1).await;
        let duty = |role: &str| {
            format!(
                "SELECT MIN(id) FROM session_checklist WHERE meeting_id = {session} AND role = '{role}'"
            )
        };
        let supervision = app.count(&duty("supervision")).await;
        let director_duty = app.count(&duty("director")).await;
        let tick = |item: i64| format!("/sesiones-encuentro/{session}/tareas/{item}");

        let done = supervisor
            .post_form(&tick(supervision), &[("done", "1")])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert_eq!(
            app.count(&format!(
                "SELECT done_by FROM session_checklist WHERE id = {supervision} AND done_at IS NOT NULL"
            ))
            .await,
            supervisor_id
        );
        let page = supervisor
            .get(&format!("/sesiones-encuentro/{session}"))
            .await;
        assert!(page.body.contains("Persona supervisora,"), "{}", page.body);

        // A director's duty is not the supervision's.
        let refused = supervisor
            .post_form(&tick(director_duty), &[("done", "1")])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(
            refused.body.contains("Dirección de la escuela"),
            "{}",
            refused.body
        );
        let mut director = app.signed_in("director.norte", &[director_of(north)]).await;
        let done = director
            .post_form(&tick(director_duty), &[("done", "1")])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert_eq!(
            director
                .post_form(&tick(supervision), &[("done", "0")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        // Unticking clears who and when.
        supervisor
            .post_form(&tick(supervision), &[("done", "0")])
            .await;
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM session_checklist WHERE id = {supervision} AND done_by IS NULL AND done_at IS NULL"
            ))
            .await,
            1
        );
        // A duty of another session is not found through this one.
        let elsewhere = app
            .count(&format!(
                "SELECT MIN(id) FROM session_checklist WHERE meeting_id <> {session}"
            ))
            .await;
        assert_eq!(
            supervisor
                .post_form(&tick(elsewhere), &[("done", "1")])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
);

both_databases!(
    observers_records_and_pemc_changes,
    |app: TestApp| async move {
        seed_zone(&app).await;
        let north = school_id(&app, "22DPR0001B").await;
        let mut supervisor = app.signed_in("supervisora", &[zone_supervisor()]).await;
        let plan = approved_plan(&mut supervisor).await;
        supervisor
            .post_form(&format!("/encuentros/{plan}/sesiones"), &DATES)
            .await;
        let first = session_of(&app, "22DPR0001B", 1).await;
        let second = session_of(&app, "22DPR0001B", 2).await;
        let records = format!("/sesiones-encuentro/{first}/observaciones");

        let empty = supervisor.post_form(&records, &[("climate", "  ")]).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(empty.body.contains("Escriba al menos una observación"));
        let mut observer = app
            .signed_in(
                "observadora",
                &[Grant {
                    role: "observer",
                    scope_kind: "province",
                    country: "mx",
                    scope_name: "Tequisquiapan",
                    ..Default::default()
                }],
            )
            .await;
        let saved = observer
            .post_form(
                &records,
                &[
                    (
                        "participation",
                        "Preescolar y primaria comparten sus rúbricas de lectura.",
                    ),
                    ("climate", "Respetuoso y abierto"),
                    ("needs", "Tiempo para visitar las aulas del otro nivel"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let page = supervisor
            .get(&format!("/sesiones-encuentro/{first}"))
            .await;
        assert!(page.body.contains("Respetuoso y abierto"), "{}", page.body);

        // The schools' people read the session, never the observers' records.
        let mut director = app.signed_in("director.norte", &[director_of(north)]).await;
        let page = director.get(&format!("/sesiones-encuentro/{first}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("Respetuoso y abierto"));
        assert_eq!(
            director
                .post_form(&records, &[("climate", "Bien")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        // The director records her school's PEMC change after session 1;
        // session 2 of the same group shows it for follow-up.
        let pemc = format!("/sesiones-encuentro/{first}/pemc");
        let north_text = north.to_string();
        let recorded = director
            .post_form(
                &pemc,
                &[
                    ("school_id", &north_text),
                    (
                        "pemc_change",
                        "Lectura compartida con el jardín cada viernes",
                    ),
                ],
            )
            .await;
        assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM agreements WHERE meeting_id = {first} AND owner_school_id = {north} AND network_id IS NULL"
            ))
            .await,
            1
        );
        let next = director.get(&format!("/sesiones-encuentro/{second}")).await;
        assert!(
            next.body.contains("Acuerdos de sesiones anteriores"),
            "{}",
            next.body
        );
        assert!(next
            .body
            .contains("Lectura compartida con el jardín cada viernes"));
        // Not for another school (the kinder's director, registered after
        // the sessions were made, coordinates none), nor a school outside
        // the session.
        let kinder = school_id(&app, "22DJN0001A").await;
        let mut kinder_director = app
            .signed_in("director.jardin", &[director_of(kinder)])
            .await;
        assert_eq!(
            kinder_director
                .post_form(
                    &pemc,
                    &[("school_id", &north_text), ("pemc_change", "Otro cambio")]
                )
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let south = school_id(&app, "22DES0002D").await.to_string();
        let outside = supervisor
            .post_form(
                &pemc,
                &[("school_id", &south), ("pemc_change", "Otro cambio")],
            )
            .await;
        assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(outside.body.contains("no participa en esta sesión"));
        assert_eq!(app.count("SELECT COUNT(*) FROM agreements").await, 1);

        // The printable attendance list: one signature cell per roster line.
        let print = director
            .get(&format!("/sesiones-encuentro/{first}/imprimir"))
            .await;
        assert_eq!(print.status, StatusCode::OK);
        let lines = app
            .count(&format!(
                "SELECT COUNT(*) FROM attendance WHERE meeting_id = {first}"
            ))
            .await;
        assert_eq!(
            print.body.matches("<td class=\"sign\"></td>").count() as i64,
            lines
        );
        assert!(print.body.contains("Firma"));
    }
);

both_databases!(
    the_api_lists_reads_and_takes_attendance_like_the_pages,
    |app: TestApp| async move {
        seed_zone(&app).await;
        let north = school_id(&app, "22DPR0001B").await;
        let mut supervisor = app.signed_in("supervisora", &[zone_supervisor()]).await;
        let plan = approved_plan(&mut supervisor).await;
        supervisor
            .post_form(&format!("/encuentros/{plan}/sesiones"), &DATES)
            .await;
        let list = supervisor
            .json(
                "GET",
                &format!("/api/v1/encounter-plans/{plan}/sessions"),
                None,
                None,
            )
            .await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert_eq!(list.json().as_array().unwrap().len(), 6);
        let session = session_of(&app, "22DPR0001B", 1).await;
        let url = format!("/api/v1/encounter-sessions/{session}");
        let detail = supervisor.json("GET", &url, None, None).await.json();
        assert_eq!(
            detail["checklist"].as_array().unwrap().len(),
            redes::encounter_sessions::model::DUTIES.len()
        );
        let line = detail["roster"][0]["id"].as_i64().unwrap();
        let stranger = app
            .count(&format!(
                "SELECT MIN(id) FROM attendance WHERE meeting_id <> {session}"
            ))
            .await;
        let mut director = app.signed_in("director.norte", &[director_of(north)]).await;
        let body = |id: i64, status: &str| serde_json::json!({"marks": [{"attendance_id": id, "status": status}]});
        let refused = director
            .json(
                "PUT",
                &format!("{url}/attendance"),
                Some(body(stranger, "present")),
                None,
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.json()["fields"]["attendance_id"].is_string(),
            "{}",
            refused.body
        );
        let taken = director
            .json(
                "PUT",
                &format!("{url}/attendance"),
                Some(body(line, "excused")),
                None,
            )
            .await;
        assert_eq!(taken.status, StatusCode::OK, "{}", taken.body);
        assert_eq!(taken.json()["roster"][0]["status"], "excused");
        let denied = supervisor
            .json(
                "PUT",
                &format!("{url}/attendance"),
                Some(body(line, "absent")),
                None,
            )
            .await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);

        // The checklist: a duty is ticked by its people (the same store
        // function as the page's button), in their name; unticked again.
        let duty = |role: &str| {
            detail["checklist"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["role"] == role)
                .unwrap()["id"]
                .as_i64()
                .unwrap()
        };
        let supervision = format!("{url}/checklist/{}", duty("supervision"));
        let done = serde_json::json!({"done": true});
        let refused = director
            .json("PATCH", &supervision, Some(done.clone()), None)
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM session_checklist WHERE done_by IS NOT NULL")
                .await,
            0
        );
        let ticked = supervisor
            .json("PATCH", &supervision, Some(done.clone()), None)
            .await;
        assert_eq!(ticked.status, StatusCode::OK, "{}", ticked.body);
        let row = ticked.json()["checklist"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == duty("supervision"))
            .unwrap()
            .clone();
        assert_eq!(row["done_by_name"], "Persona supervisora");
        let own = director
            .json(
                "PATCH",
                &format!("{url}/checklist/{}", duty("director")),
                Some(done.clone()),
                None,
            )
            .await;
        assert_eq!(own.status, StatusCode::OK, "{}", own.body);
        let undone = supervisor
            .json(
                "PATCH",
                &supervision,
                Some(serde_json::json!({"done": false})),
                None,
            )
            .await;
        assert_eq!(undone.status, StatusCode::OK);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM session_checklist WHERE done_by IS NOT NULL")
                .await,
            1
        );
        // Bad input: `done` is a boolean; a duty of another session is not
        // this one's.
        let wrong = supervisor
            .json(
                "PATCH",
                &supervision,
                Some(serde_json::json!({"done": "sí"})),
                None,
            )
            .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        let elsewhere = app
            .count(&format!(
                "SELECT MIN(id) FROM session_checklist WHERE meeting_id <> {session}"
            ))
            .await;
        let missing = supervisor
            .json(
                "PATCH",
                &format!("{url}/checklist/{elsewhere}"),
                Some(done),
                None,
            )
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }
);
