//! Calendar export: a meeting's and a network's .ics, parsed back; the
//! private feed by token, refused once revoked; who may read which.

use crate::common;

use axum::http::StatusCode;
use common::{grant, network_grant, school_grant};
use redes::calendar::ics::parse;

fn events(text: &str) -> Vec<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut current: Option<Vec<(String, String)>> = None;
    for (name, value) in parse(text) {
        match name.as_str() {
            "BEGIN" if value == "VEVENT" => current = Some(Vec::new()),
            "END" if value == "VEVENT" => out.extend(current.take()),
            _ => {
                if let Some(e) = current.as_mut() {
                    e.push((name, value));
                }
            }
        }
    }
    out
}

fn field<'a>(event: &'a [(String, String)], name: &str) -> &'a str {
    &event.iter().find(|(n, _)| n == name).unwrap().1
}

both_databases!(
    meetings_export_as_icalendar_and_the_private_feed_can_be_revoked,
    |app: common::TestApp| async move {
        let (network, member, _, outsider, [march, april, _]) =
            crate::agreements::world(&app).await;
        sqlx::query("UPDATE meetings SET title = 'Sesión de marzo; pauta, acuerdos', place = 'Sala 2, segundo piso' WHERE id = $1")
            .bind(march)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let mut teacher = app
            .signed_in("docente", &[school_grant("teacher", member)])
            .await;
        let mut outsider_director = app
            .signed_in("director.fuera", &[school_grant("director", outsider)])
            .await;
        let mut coordinator = app
            .signed_in("coord", &[network_grant("network_coordinator", network)])
            .await;
        let mut maule = app
            .signed_in(
                "seremi.maule",
                &[grant("regional_authority", "region", "Maule")],
            )
            .await;

        // One meeting: CRLF, folded, escaped; March in Valparaíso is UTC−3.
        let one = teacher
            .get(&format!("/reuniones/{march}/calendario.ics"))
            .await;
        assert_eq!(one.status, StatusCode::OK, "{}", one.body);
        assert!(one.content_type.starts_with("text/calendar"));
        assert!(one.body.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(one.body.split("\r\n").all(|l| l.len() <= 75));
        assert!(one.body.contains("Sesión de marzo\\; pauta\\, acuerdos"));
        let list = events(&one.body);
        assert_eq!(list.len(), 1);
        let e = &list[0];
        assert_eq!(field(e, "UID"), format!("reunion-{march}@redes"));
        assert_eq!(field(e, "DTSTART"), "20260303T120000Z");
        assert_eq!(field(e, "DTEND"), "20260303T140000Z");
        assert!(
            field(e, "SUMMARY").starts_with("Sesión de marzo; pauta, acuerdos · Red Liga Aprende")
        );
        assert_eq!(field(e, "LOCATION"), "Sala 2, segundo piso");
        assert!(!field(e, "DTSTAMP").is_empty());

        // The network: its three meetings; April is after the change to UTC−4.
        let all = teacher
            .get(&format!("/redes/{network}/calendario.ics"))
            .await;
        let list = events(&all.body);
        assert_eq!(list.len(), 3);
        assert_eq!(field(&list[1], "DTSTART"), "20260407T130000Z");

        // Nobody outside the network reads them.
        for client in [&mut outsider_director, &mut maule] {
            assert_eq!(
                client
                    .get(&format!("/reuniones/{april}/calendario.ics"))
                    .await
                    .status,
                StatusCode::FORBIDDEN
            );
            assert_eq!(
                client
                    .get(&format!("/redes/{network}/calendario.ics"))
                    .await
                    .status,
                StatusCode::FORBIDDEN
            );
        }

        // The coordinator's private feed: shown once, works without a session.
        let page = coordinator.post_form("/cuenta/calendario", &[]).await;
        assert_eq!(page.status, StatusCode::CREATED, "{}", page.body);
        let url = page
            .body
            .split("<code>")
            .nth(1)
            .and_then(|s| s.split("</code>").next())
            .unwrap()
            .replace("&#x2f;", "/");
        let path = &url[url.find("/calendario/").unwrap()..];
        assert!(path.ends_with(".ics"));
        let token = path
            .trim_start_matches("/calendario/")
            .trim_end_matches(".ics");
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM calendar_feeds WHERE token_hash = '{token}'"
            ))
            .await,
            0,
            "the token is stored hashed"
        );
        let listed = coordinator.get("/cuenta/calendario").await;
        assert!(!listed.body.contains(token), "the token is shown only once");
        let mut anonymous = app.client();
        let feed = anonymous.get(path).await;
        assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
        assert_eq!(events(&feed.body).len(), 3);
        assert_eq!(
            anonymous.get(&path.replace(".ics", "")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            anonymous.get("/calendario/otro.ics").await.status,
            StatusCode::NOT_FOUND
        );

        // Someone else cannot revoke it; its owner can, and then it is gone.
        let id = app.count("SELECT MAX(id) FROM calendar_feeds").await;
        assert_eq!(
            teacher
                .post_form(&format!("/cuenta/calendario/{id}/revocar"), &[])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(anonymous.get(path).await.status, StatusCode::OK);
        let revoked = coordinator
            .post_form(&format!("/cuenta/calendario/{id}/revocar"), &[])
            .await;
        assert_eq!(revoked.status, StatusCode::SEE_OTHER);
        assert_eq!(anonymous.get(path).await.status, StatusCode::NOT_FOUND);
        assert!(coordinator
            .get("/cuenta/calendario")
            .await
            .body
            .contains("No tiene calendarios vigentes."));
    }
);
