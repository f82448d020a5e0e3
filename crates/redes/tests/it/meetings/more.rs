//! A recurring series created at once with rotating hosts, the print
//! views, and the JSON API (the same writes and checks as the pages).

use axum::http::StatusCode;
use serde_json::json;

use super::{fixture, schedule};
use crate::common::TestApp;

fn series<'a>(
    from: &'a str,
    to: &'a str,
    rotate: &'a str,
    place: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", "network_session"),
        ("title", "Sesión mensual de la red"),
        ("theme", "Plan de trabajo"),
        ("year", "2017"),
        ("weekday", "2"),
        ("nth", "1"),
        ("from_month", from),
        ("to_month", to),
        ("starts_at", "09:00"),
        ("ends_at", "12:00"),
        ("rotate_hosts", rotate),
        ("place", place),
    ]
}

both_databases!(
    a_series_creates_every_meeting_at_once_with_rotating_hosts,
    |app: TestApp| async move {
        let mut f = fixture(&app).await;
        let path = format!("/redes/{}/reuniones/serie", f.network);
        assert_eq!(f.coordinator.get(&path).await.status, StatusCode::OK);
        let backwards = f
            .coordinator
            .post_form(&path, &series("11", "3", "1", ""))
            .await;
        assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(backwards
            .body
            .contains("El mes de término no puede ser anterior al de inicio"));
        let late = {
            let mut fields = series("3", "11", "1", "");
            fields.retain(|(k, _)| *k != "ends_at");
            fields.push(("ends_at", "08:00"));
            f.coordinator.post_form(&path, &fields).await
        };
        assert!(late
            .body
            .contains("La hora de término debe ser posterior a la de inicio"));
        assert_eq!(app.count("SELECT COUNT(*) FROM meetings").await, 0);
        assert_eq!(
            f.teacher
                .post_form(&path, &series("3", "11", "1", ""))
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        // The first Tuesday of each month, March to November 2017.
        let created = f
            .coordinator
            .post_form(&path, &series("3", "11", "1", ""))
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM meetings WHERE series_id IS NOT NULL")
                .await,
            9
        );
        assert_eq!(
            app.count("SELECT COUNT(DISTINCT series_id) FROM meetings")
                .await,
            1
        );
        assert_eq!(
            app.text("SELECT MIN(held_on) FROM meetings").await,
            "2017-03-07"
        );
        assert_eq!(
            app.text("SELECT MAX(held_on) FROM meetings").await,
            "2017-11-07"
        );
        // Three schools take turns: three meetings each, never twice in a row.
        for school in f.schools {
            assert_eq!(
                app.count(&format!(
                    "SELECT COUNT(*) FROM meetings WHERE host_school_id = {school}"
                ))
                .await,
                3
            );
        }
        let hosts: Vec<i64> =
            sqlx::query_scalar("SELECT host_school_id FROM meetings ORDER BY held_on")
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        assert!(hosts.windows(2).all(|w| w[0] != w[1]), "{hosts:?}");
        // Each stays editable on its own.
        let one = app.count("SELECT MAX(id) FROM meetings").await;
        let mut fields =
            crate::meetings::meeting_fields("Sesión de noviembre: cierre", "2017-11-14", "");
        fields.retain(|(k, _)| *k != "place");
        fields.push(("place", "Municipalidad"));
        assert_eq!(
            f.coordinator
                .post_form(&format!("/reuniones/{one}"), &fields)
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM meetings WHERE held_on = '2017-11-14'")
                .await,
            1
        );
        // Without rotation: one place for all.
        let same = f
            .coordinator
            .post_form(&path, &series("3", "4", "0", "Salón municipal"))
            .await;
        assert_eq!(same.status, StatusCode::SEE_OTHER);
        assert_eq!(app.count("SELECT COUNT(*) FROM meetings WHERE place = 'Salón municipal' AND host_school_id IS NULL").await, 2);
    }
);

both_databases!(
    print_views_of_the_agenda_attendance_and_minutes,
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
        f.coordinator
            .post_form(
                &format!("/reuniones/{id}/programa"),
                &[("title", "Plan anual"), ("minutes_allotted", "45")],
            )
            .await;
        let page = f.teacher.get(&format!("/reuniones/{id}")).await.body;
        assert!(page.contains(&format!("/reuniones/{id}/imprimir/asistencia")));
        let list = f
            .teacher
            .get(&format!("/reuniones/{id}/imprimir/asistencia"))
            .await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("Lista de asistencia") && list.body.contains("<th>Firma</th>"));
        assert!(list.body.contains("Persona docente.cruz") && list.body.contains("class=\"sign\""));
        let agenda = f
            .seremi
            .get(&format!("/reuniones/{id}/imprimir/programa"))
            .await;
        assert!(agenda.body.contains("Plan anual") && agenda.body.contains("reuniones.css"));
        let minutes = f
            .seremi
            .get(&format!("/reuniones/{id}/imprimir/acta"))
            .await;
        assert!(minutes
            .body
            .contains("Borrador: el acta aún no está aprobada."));
        assert_eq!(
            f.teacher
                .get(&format!("/reuniones/{id}/imprimir/otra"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            f.outsider
                .get(&format!("/reuniones/{id}/imprimir/acta"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
);

both_databases!(
    the_api_schedules_takes_attendance_and_moves_states,
    |app: TestApp| async move {
        let f = fixture(&app).await;
        let token = app.token("coordinador.liga").await;
        let teacher_token = app.token("docente.cruz").await;
        let mut c = app.client();
        let base = format!("/api/v1/networks/{}/meetings", f.network);
        let body = json!({"title": "Sesión de marzo", "held_on": "2017-03-07", "starts_at": "09:00", "ends_at": "12:00",
            "host_school_id": f.schools[2].to_string()});
        let bad = c.json("POST", &base, Some(json!({"title": "X", "held_on": "2017-03-07", "starts_at": "10:00", "ends_at": "09:00", "place": "Sala"})), Some(&token)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.json()["fields"]["ends_at"]
            .as_str()
            .unwrap()
            .contains("posterior"));
        assert_eq!(
            c.json("POST", &base, Some(body.clone()), Some(&teacher_token))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let created = c.json("POST", &base, Some(body), Some(&token)).await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        let id = created.json()["id"].as_i64().unwrap();
        assert_eq!(created.json()["host_name"], "Escuela Básica Poza Verde");
        let list = c.json("GET", &base, None, Some(&teacher_token)).await;
        assert_eq!(list.json().as_array().unwrap().len(), 1);

        let meeting = format!("/api/v1/meetings/{id}");
        let patched = c
            .json(
                "PATCH",
                &meeting,
                Some(json!({"theme": "Liderazgo distribuido"})),
                Some(&token),
            )
            .await;
        assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
        assert_eq!(patched.json()["theme"], "Liderazgo distribuido");
        assert_eq!(patched.json()["title"], "Sesión de marzo");
        let item = c
            .json(
                "POST",
                &format!("{meeting}/agenda"),
                Some(json!({"title": "Plan anual", "minutes_allotted": "40"})),
                Some(&token),
            )
            .await;
        assert_eq!(item.status, StatusCode::CREATED);
        assert_eq!(item.json()[0]["minutes_allotted"], 40);
        // Attendance: a person of the roster, and one outside it.
        let teacher = format!("{meeting}/attendance/{}", f.teacher_id);
        let present = c
            .json(
                "PUT",
                &teacher,
                Some(json!({"status": "present"})),
                Some(&token),
            )
            .await;
        assert_eq!(present.status, StatusCode::OK, "{}", present.body);
        let stranger = app.person("persona.ajena", &[]).await;
        let outside = c
            .json(
                "PUT",
                &format!("{meeting}/attendance/{stranger}"),
                Some(json!({"status": "present"})),
                Some(&token),
            )
            .await;
        assert_eq!(outside.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(outside.body.contains("no integra la nómina"));
        let unknown = c
            .json(
                "PUT",
                &teacher,
                Some(json!({"status": "tarde"})),
                Some(&token),
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        let rows = c
            .json(
                "GET",
                &format!("{meeting}/attendance"),
                None,
                Some(&teacher_token),
            )
            .await
            .json();
        let row = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["person_id"] == f.teacher_id)
            .unwrap()
            .clone();
        assert_eq!(row["status"], "present");

        // States: in progress, review; closing needs minutes; then read-only.
        let status = format!("{meeting}/status");
        assert_eq!(
            c.json(
                "POST",
                &status,
                Some(json!({"status": "review"})),
                Some(&token)
            )
            .await
            .status,
            StatusCode::CONFLICT
        );
        assert_eq!(
            c.json(
                "POST",
                &status,
                Some(json!({"status": "in_progress"})),
                Some(&token)
            )
            .await
            .status,
            StatusCode::OK
        );
        assert_eq!(
            c.json(
                "POST",
                &status,
                Some(json!({"status": "review"})),
                Some(&token)
            )
            .await
            .status,
            StatusCode::OK
        );
        let empty = c
            .json(
                "POST",
                &status,
                Some(json!({"status": "closed"})),
                Some(&token),
            )
            .await;
        assert_eq!(
            empty.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            empty.body
        );
        // Through `Db::write`, as the application writes, so what the
        // server remembers of the meeting is renewed.
        let mut w = app.db.write().await.unwrap();
        sqlx::query("UPDATE meetings SET minutes = 'Acta.' WHERE id = $1")
            .bind(id)
            .execute(&mut *w)
            .await
            .unwrap();
        w.commit().await.unwrap();
        let closed = c
            .json(
                "POST",
                &status,
                Some(json!({"status": "closed"})),
                Some(&token),
            )
            .await;
        assert_eq!(closed.json()["status"], "closed");
        let refused = c
            .json(
                "PATCH",
                &meeting,
                Some(json!({"title": "Otra"})),
                Some(&token),
            )
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(refused.json()["error"]
            .as_str()
            .unwrap()
            .contains("cerrada"));
        let refused = c
            .json(
                "PUT",
                &teacher,
                Some(json!({"status": "absent"})),
                Some(&token),
            )
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        // Minutes are read by the network's people and authorities in scope only.
        assert_eq!(
            c.json("GET", &meeting, None, Some(&teacher_token))
                .await
                .json()["minutes"],
            "Acta."
        );
        let outsider = app.token("coordinadora.talagante").await;
        assert_eq!(
            c.json("GET", &meeting, None, Some(&outsider)).await.status,
            StatusCode::FORBIDDEN
        );
    }
);

both_databases!(
    documents_are_checked_by_size_and_content_and_downloaded_as_attachments,
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
        let path = format!("/reuniones/{id}/documentos");
        let sent = f
            .coordinator
            .post_file(
                &path,
                "file",
                "../../Acta <final>.txt",
                "Acta de la sesión".as_bytes(),
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let pdf = f
            .director
            .post_file(&path, "file", "pauta.pdf", b"%PDF-1.7\n...")
            .await;
        assert_eq!(pdf.status, StatusCode::SEE_OTHER);
        let page = f.teacher.get(&format!("/reuniones/{id}")).await.body;
        assert!(
            page.contains("Acta _final_.txt") && page.contains("pauta.pdf"),
            "{page}"
        );
        let doc = app.count("SELECT MIN(id) FROM meeting_documents").await;
        let download = f.teacher.get(&format!("{path}/{doc}")).await;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(download.body, "Acta de la sesión");
        assert_eq!(download.content_type, "text/plain; charset=utf-8");
        let disposition = download.headers["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            disposition.starts_with("attachment; filename=\"Acta _final_.txt\""),
            "{disposition}"
        );

        // Refused with a message next to the field; nothing saved.
        let big = vec![b'a'; 1_900 * 1024 + 1];
        let too_big = f
            .coordinator
            .post_file(&path, "file", "grande.txt", &big)
            .await;
        assert_eq!(too_big.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            too_big.body.contains("el máximo es 1,9 MiB"),
            "{}",
            too_big.body
        );
        let huge = vec![b'a'; 3 * 1024 * 1024];
        assert_eq!(
            f.coordinator
                .post_file(&path, "file", "enorme.txt", &huge)
                .await
                .status,
            StatusCode::PAYLOAD_TOO_LARGE
        );
        let exe = f
            .coordinator
            .post_file(&path, "file", "programa.exe", b"MZ\x90\x00\x03\x00")
            .await;
        assert_eq!(exe.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(exe.body.contains("Tipo de archivo no permitido"));
        let fake = f
            .coordinator
            .post_file(
                &path,
                "file",
                "informe.pdf",
                b"<html><script>alert(1)</script>",
            )
            .await;
        assert!(fake
            .body
            .contains("El contenido no corresponde a un archivo .pdf"));
        let empty = f.coordinator.post_file(&path, "file", "", b"").await;
        assert!(empty.body.contains("Elija un archivo"));
        assert_eq!(
            f.teacher
                .post_file(&path, "file", "a.txt", b"texto")
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            f.outsider.get(&format!("{path}/{doc}")).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM meeting_documents").await, 2);

        // Removal, and a closed meeting takes no documents.
        let removed = f
            .coordinator
            .post_form(&format!("{path}/{doc}/eliminar"), &[])
            .await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER);
        sqlx::query("UPDATE meetings SET status = 'closed' WHERE id = $1")
            .bind(id)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let closed = f
            .coordinator
            .post_file(&path, "file", "tarde.txt", b"texto")
            .await;
        assert_eq!(closed.status, StatusCode::CONFLICT);
        assert_eq!(app.count("SELECT COUNT(*) FROM meeting_documents").await, 1);
    }
);
