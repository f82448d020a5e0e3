//! A meeting's life through its page: the agenda (with its warning when it
//! runs past the end), attendance against the roster, guests, one's own
//! confirmation, the states, the minutes with their version check, review
//! with an amendment, approval, a closed meeting refusing edits, a
//! correction as a new version, and the items not reached moving on.

use axum::http::StatusCode;

use super::{fixture, schedule};
use crate::common::TestApp;

fn item<'a>(title: &'a str, minutes: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("presenter", "Coordinación"),
        ("minutes_allotted", minutes),
        ("notes", ""),
    ]
}

both_databases!(
    agenda_and_attendance_against_the_roster,
    |app: TestApp| async move {
        let mut f = fixture(&app).await;
        let id = schedule(
            &mut f.coordinator,
            f.network,
            "Sesión de marzo",
            "2017-03-07",
            f.schools[0],
        )
        .await;
        let page = format!("/reuniones/{id}");
        // 09:00–12:30 is 210 minutes: 120 + 100 runs past the end.
        for (title, minutes) in [
            ("Plan de trabajo anual", "120"),
            ("Calendario itinerante", "100"),
        ] {
            let added = f
                .director
                .post_form(&format!("{page}/programa"), &item(title, minutes))
                .await;
            assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        }
        let body = f.teacher.get(&page).await.body;
        assert!(body.contains("El programa excede el horario de la reunión: 220 minutos asignados, 210 minutos de reunión"), "{body}");
        let bad = f
            .director
            .post_form(&format!("{page}/programa"), &item("Otro", "mucho"))
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad
            .body
            .contains("Escriba los minutos como un número entero entre 0 y 600"));
        assert!(bad.body.contains("value=\"mucho\""), "the typed text stays");
        let teacher_adds = f
            .teacher
            .post_form(&format!("{page}/programa"), &item("Otro", "10"))
            .await;
        assert_eq!(teacher_adds.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM agenda_items WHERE meeting_id = {id}"
            ))
            .await,
            2
        );

        // A member confirms beforehand; the coordinator takes attendance.
        let confirmed = f
            .teacher
            .post_form(&format!("{page}/confirmar"), &[("coming", "1")])
            .await;
        assert_eq!(confirmed.status, StatusCode::SEE_OTHER);
        let teacher = f.teacher_id.to_string();
        let row = format!(
            "SELECT confirmed FROM attendance WHERE meeting_id = {id} AND person_id = {teacher}"
        );
        assert_eq!(app.count(&row).await, 1);
        let seremi_confirms = f
            .seremi
            .post_form(&format!("{page}/confirmar"), &[("coming", "1")])
            .await;
        assert_eq!(seremi_confirms.status, StatusCode::FORBIDDEN);
        let status_field = format!("status_{teacher}");
        let coordinator_field = format!("status_{}", f.coordinator_id);
        let taken = f
            .coordinator
            .post_form(
                &format!("{page}/asistencia"),
                &[(&status_field, "excused"), (&coordinator_field, "present")],
            )
            .await;
        assert_eq!(taken.status, StatusCode::SEE_OTHER, "{}", taken.body);
        let status = format!(
            "SELECT status FROM attendance WHERE meeting_id = {id} AND person_id = {teacher}"
        );
        assert_eq!(app.text(&status).await, "excused");
        // Someone not on the roster is refused with a message; nothing changes.
        let stranger = app.person("persona.ajena", &[]).await;
        let field = format!("status_{stranger}");
        let refused = f
            .coordinator
            .post_form(
                &format!("{page}/asistencia"),
                &[(&coordinator_field, "absent"), (&field, "present")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("no integra la nómina"),
            "{}",
            refused.body
        );
        let coordinator_status = format!(
            "SELECT status FROM attendance WHERE meeting_id = {id} AND person_id = {}",
            f.coordinator_id
        );
        assert_eq!(app.text(&coordinator_status).await, "present");
        let unknown = f
            .coordinator
            .post_form(
                &format!("{page}/asistencia"),
                &[(&coordinator_field, "tarde")],
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        // A guest with their institution.
        let no_name = f
            .coordinator
            .post_form(
                &format!("{page}/invitados"),
                &[("guest_name", " "), ("guest_institution", "DEPROV")],
            )
            .await;
        assert_eq!(no_name.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_name
            .body
            .contains("Escriba el nombre de la persona invitada"));
        let guest = f
            .coordinator
            .post_form(
                &format!("{page}/invitados"),
                &[
                    ("guest_name", "Supervisora DEPROV"),
                    ("guest_institution", "DEPROV Quillota"),
                ],
            )
            .await;
        assert_eq!(guest.status, StatusCode::SEE_OTHER);
        let body = f.seremi.get(&page).await.body;
        assert!(
            body.contains("Supervisora DEPROV")
                && body.contains("DEPROV Quillota")
                && body.contains("Ausente con aviso")
        );
    }
);

both_databases!(
    minutes_go_through_review_and_approval_and_a_closed_meeting_is_read_only,
    |app: TestApp| async move {
        let mut f = fixture(&app).await;
        let id = schedule(
            &mut f.coordinator,
            f.network,
            "Sesión de marzo",
            "2017-03-07",
            f.schools[0],
        )
        .await;
        let next = schedule(
            &mut f.coordinator,
            f.network,
            "Sesión de abril",
            "2017-04-04",
            f.schools[1],
        )
        .await;
        let page = format!("/reuniones/{id}");
        f.coordinator
            .post_form(&format!("{page}/programa"), &item("Plan anual", "60"))
            .await;
        f.coordinator
            .post_form(&format!("{page}/programa"), &item("Evidencia local", "30"))
            .await;
        let early = f
            .coordinator
            .post_form(
                &format!("{page}/acta"),
                &[("minutes", "Texto"), ("minutes_version", "0")],
            )
            .await;
        assert_eq!(
            early.status,
            StatusCode::CONFLICT,
            "minutes start with the meeting"
        );
        let started = f
            .coordinator
            .post_form(&format!("{page}/estado"), &[("status", "in_progress")])
            .await;
        assert_eq!(started.status, StatusCode::SEE_OTHER);
        let skip = f
            .coordinator
            .post_form(&format!("{page}/estado"), &[("status", "in_progress")])
            .await;
        assert_eq!(skip.status, StatusCode::CONFLICT);

        // Two people edit the same minutes: the second save is told.
        let saved = f
            .coordinator
            .post_form(
                &format!("{page}/acta"),
                &[
                    ("minutes", "Se acuerda el plan."),
                    ("doubts", "Plazos del PME"),
                    ("minutes_version", "0"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let stale = f
            .director
            .post_form(
                &format!("{page}/acta"),
                &[
                    ("minutes", "Mi versión del acta."),
                    ("minutes_version", "0"),
                ],
            )
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert!(stale.body.contains("Otra persona guardó el acta"));
        assert!(
            stale.body.contains("Mi versión del acta.")
                && stale.body.contains("Se acuerda el plan.")
        );
        assert!(stale.body.contains("name=\"minutes_version\" value=\"1\""));
        assert_eq!(
            app.text(&format!("SELECT minutes FROM meetings WHERE id = {id}"))
                .await,
            "Se acuerda el plan."
        );

        // The second point was not reached.
        let second = app
            .count(&format!(
                "SELECT MAX(id) FROM agenda_items WHERE meeting_id = {id}"
            ))
            .await;
        let mut not_reached = item("Evidencia local", "30");
        not_reached.push(("reached", "0"));
        not_reached.retain(|(k, _)| *k != "notes");
        not_reached.push(("notes", "Quedó pendiente la pauta."));
        let marked = f
            .coordinator
            .post_form(&format!("{page}/programa/{second}"), &not_reached)
            .await;
        assert_eq!(marked.status, StatusCode::SEE_OTHER);

        // Review: members comment and propose an amendment; authorities do not.
        f.coordinator
            .post_form(&format!("{page}/estado"), &[("status", "review")])
            .await;
        let comment = f
            .teacher
            .post_form(
                &format!("{page}/acta/comentarios"),
                &[
                    ("body", "Falta la fecha del próximo encuentro."),
                    ("proposed_text", ""),
                ],
            )
            .await;
        assert_eq!(comment.status, StatusCode::SEE_OTHER, "{}", comment.body);
        let amendment = f
            .director
            .post_form(
                &format!("{page}/acta/comentarios"),
                &[
                    ("body", "Precisar el acuerdo."),
                    ("proposed_text", "Se acuerda el plan de trabajo 2017."),
                ],
            )
            .await;
        assert_eq!(amendment.status, StatusCode::SEE_OTHER);
        let empty = f
            .teacher
            .post_form(
                &format!("{page}/acta/comentarios"),
                &[("body", ""), ("proposed_text", "")],
            )
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        let seremi = f
            .seremi
            .post_form(
                &format!("{page}/acta/comentarios"),
                &[("body", "Opino."), ("proposed_text", "")],
            )
            .await;
        assert_eq!(seremi.status, StatusCode::FORBIDDEN);
        let body = f.seremi.get(&page).await.body;
        assert!(
            body.contains("Falta la fecha del próximo encuentro.")
                && body.contains("propone una enmienda")
        );
        // Only the coordinator takes it in and approves.
        let amendment_id = app.count("SELECT MAX(id) FROM minutes_comments").await;
        let by_teacher = f
            .teacher
            .post_form(
                &format!("{page}/acta/comentarios/{amendment_id}/incorporar"),
                &[],
            )
            .await;
        assert_eq!(by_teacher.status, StatusCode::FORBIDDEN);
        let taken = f
            .coordinator
            .post_form(
                &format!("{page}/acta/comentarios/{amendment_id}/incorporar"),
                &[],
            )
            .await;
        assert_eq!(taken.status, StatusCode::SEE_OTHER);
        assert_eq!(
            f.director
                .post_form(&format!("{page}/acta/aprobar"), &[])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let approved = f
            .coordinator
            .post_form(&format!("{page}/acta/aprobar"), &[])
            .await;
        assert_eq!(approved.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.text(&format!("SELECT status FROM meetings WHERE id = {id}"))
                .await,
            "closed"
        );
        assert_eq!(
            app.text(&format!(
                "SELECT body FROM minutes_versions WHERE meeting_id = {id} AND version = 1"
            ))
            .await,
            "Se acuerda el plan de trabajo 2017."
        );
        // The point not reached moved to April's meeting with its notes.
        let carried = app
            .text(&format!("SELECT notes FROM agenda_items WHERE meeting_id = {next} AND carried_from_id = {second}"))
            .await;
        assert_eq!(carried, "Quedó pendiente la pauta.");

        // Closed: every edit is refused with a message (409), never a 500.
        for (path, fields) in [
            (
                page.clone(),
                crate::meetings::meeting_fields("Cambiada", "2017-03-07", ""),
            ),
            (format!("{page}/programa"), item("Nuevo", "10")),
            (
                format!("{page}/acta"),
                vec![("minutes", "Otro"), ("minutes_version", "2")],
            ),
            (format!("{page}/invitados"), vec![("guest_name", "Alguien")]),
        ] {
            let refused = f.coordinator.post_form(&path, &fields).await;
            assert_eq!(refused.status, StatusCode::CONFLICT, "{path}");
            assert!(
                refused.body.contains("La reunión está cerrada"),
                "{path}: {}",
                refused.body
            );
        }
        assert_eq!(
            f.coordinator.get(&format!("{page}/editar")).await.status,
            StatusCode::CONFLICT
        );
        // A correction is a new version, with its reason; the history shows both.
        let no_reason = f
            .coordinator
            .post_form(
                &format!("{page}/acta/correccion"),
                &[("minutes", "Corregida."), ("reason", "")],
            )
            .await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        let corrected = f
            .coordinator
            .post_form(
                &format!("{page}/acta/correccion"),
                &[
                    (
                        "minutes",
                        "Se acuerda el plan de trabajo 2017 y su calendario.",
                    ),
                    ("reason", "Faltaba el calendario"),
                ],
            )
            .await;
        assert_eq!(corrected.status, StatusCode::SEE_OTHER);
        let body = f.teacher.get(&page).await.body;
        assert!(
            body.contains("Versión 2")
                && body.contains("Faltaba el calendario")
                && body.contains("Versión 1")
        );
        assert!(body.contains("su calendario."));
        assert!(
            !body.contains("/acta/correccion"),
            "only the coordinator corrects"
        );
        // Nobody outside the network sees the minutes.
        assert_eq!(f.outsider.get(&page).await.status, StatusCode::FORBIDDEN);
    }
);

both_databases!(
    an_agenda_item_is_tied_to_an_action_of_the_networks_plan,
    |app: TestApp| async move {
        let mut f = fixture(&app).await;
        let id = schedule(
            &mut f.coordinator,
            f.network,
            "Sesión de marzo",
            "2017-03-07",
            f.schools[0],
        )
        .await;
        let pool = &app.db.pool;
        let plan: i64 = sqlx::query_scalar("INSERT INTO work_plans (network_id, year, created_at, updated_at) VALUES ($1, 2017, 'x', 'x') RETURNING id")
            .bind(f.network).fetch_one(pool).await.unwrap();
        let objective: i64 = sqlx::query_scalar("INSERT INTO plan_objectives (plan_id, title) VALUES ($1, 'Liderazgo distribuido') RETURNING id")
            .bind(plan).fetch_one(pool).await.unwrap();
        let action: i64 = sqlx::query_scalar("INSERT INTO plan_actions (objective_id, title, starts_on, due_on, updated_at) VALUES ($1, 'Sesiones itinerantes con hilo conductor', '2017-03-01', '2017-11-30', 'x') RETURNING id")
            .bind(objective).fetch_one(pool).await.unwrap();
        let page = format!("/reuniones/{id}");
        assert!(f
            .coordinator
            .get(&page)
            .await
            .body
            .contains("Sesiones itinerantes con hilo conductor"));
        let action_text = action.to_string();
        let mut fields = item("Hilo conductor del año", "30");
        fields.push(("plan_action_id", &action_text));
        let added = f
            .coordinator
            .post_form(&format!("{page}/programa"), &fields)
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        assert_eq!(
            app.count(&format!(
                "SELECT plan_action_id FROM agenda_items WHERE meeting_id = {id}"
            ))
            .await,
            action
        );
        assert!(f
            .teacher
            .get(&page)
            .await
            .body
            .contains("Acción del plan: Sesiones itinerantes con hilo conductor"));
        let mut other = item("Otro", "10");
        other.push(("plan_action_id", "999999"));
        let refused = f
            .coordinator
            .post_form(&format!("{page}/programa"), &other)
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused
            .body
            .contains("Elija una acción del plan de trabajo de la red"));
    }
);
