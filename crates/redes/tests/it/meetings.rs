//! Meetings of a network through their pages: scheduling with the proposed
//! host and the rotation, the meeting's page and its edit, bad input, who
//! may see and change them, and the home section. Attendance, agenda,
//! minutes, documents, series and the API are in `meetings/`.

mod more;
mod year;

use axum::http::StatusCode;

use crate::common::{self, grant, network_grant, school_grant, Client, TestApp};
use crate::registry::id_from;

/// A network of Valparaíso with three member schools, and its people.
pub struct Fixture {
    pub network: i64,
    pub schools: [i64; 3],
    pub coordinator: Client,
    pub coordinator_id: i64,
    pub director: Client,
    pub teacher: Client,
    pub teacher_id: i64,
    pub seremi: Client,
    pub outsider: Client,
}

pub async fn fixture(app: &TestApp) -> Fixture {
    let network = app.network("Red Liga Aprende", "Valparaíso").await;
    let mut schools = [0; 3];
    for (i, (code, name)) in [
        ("1122", "Escuela República de Venezuela"),
        ("11199", "Colegio Luis Cruz Martínez"),
        ("1132", "Escuela Básica Poza Verde"),
    ]
    .into_iter()
    .enumerate()
    {
        schools[i] = app.school("cl", code, name, "Valparaíso", "Petorca").await;
        let mut conn = app.db.pool.acquire().await.unwrap();
        redes::networks::store::add_member(
            &mut conn,
            redes::ids::NetworkId(network),
            redes::ids::SchoolId(schools[i]),
            Some("2015-03-01"),
        )
        .await
        .unwrap();
    }
    let other = app.network("Red de Talagante", "Metropolitana").await;
    let coordinator_id = app
        .person(
            "coordinador.liga",
            &[network_grant("network_coordinator", network)],
        )
        .await;
    let mut coordinator = app.client();
    coordinator
        .login("coordinador.liga", common::PASSWORD)
        .await;
    let director = app
        .signed_in(
            "directora.venezuela",
            &[school_grant("director", schools[0])],
        )
        .await;
    let teacher_id = app
        .person("docente.cruz", &[school_grant("teacher", schools[1])])
        .await;
    let mut teacher = app.client();
    teacher.login("docente.cruz", common::PASSWORD).await;
    let seremi = app
        .signed_in(
            "seremi.valpo",
            &[grant("regional_authority", "region", "Valparaíso")],
        )
        .await;
    let outsider = app
        .signed_in(
            "coordinadora.talagante",
            &[network_grant("network_coordinator", other)],
        )
        .await;
    Fixture {
        network,
        schools,
        coordinator,
        coordinator_id,
        director,
        teacher,
        teacher_id,
        seremi,
        outsider,
    }
}

/// The fields of a valid meeting.
pub fn meeting_fields<'a>(
    title: &'a str,
    held_on: &'a str,
    host: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("kind", "network_session"),
        ("title", title),
        ("theme", "Liderazgo distribuido"),
        ("held_on", held_on),
        ("starts_at", "09:00"),
        ("ends_at", "12:30"),
        ("host_school_id", host),
        ("place", ""),
        ("coordinator_id", ""),
    ]
}

/// Schedules a meeting through the form; returns its id.
pub async fn schedule(
    client: &mut Client,
    network: i64,
    title: &str,
    held_on: &str,
    host: i64,
) -> i64 {
    let host = host.to_string();
    let created = client
        .post_form(
            &format!("/redes/{network}/reuniones"),
            &meeting_fields(title, held_on, &host),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    id_from(&created.location, "/reuniones/")
}

/// The `selected` option of a select in a page.
fn selected(body: &str, select: &str) -> String {
    let at = body.find(&format!("name=\"{select}\"")).expect("select");
    let rest = &body[at..body[at..].find("</select>").unwrap() + at];
    let option = rest
        .split("<option")
        .find(|o| o.contains(" selected"))
        .unwrap_or_default();
    option.split('"').nth(1).unwrap_or_default().to_string()
}

both_databases!(
    scheduling_proposes_the_school_that_hosted_least_recently,
    |app: TestApp| async move {
        let mut f = fixture(&app).await;
        let [venezuela, cruz, poza] = f.schools;
        let path = format!("/redes/{}/reuniones/nueva", f.network);
        // Nobody hosted yet: the first by name (Colegio Luis Cruz Martínez).
        let form = f.coordinator.get(&path).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        assert_eq!(selected(&form.body, "host_school_id"), cruz.to_string());
        let first = schedule(
            &mut f.coordinator,
            f.network,
            "Sesión de marzo",
            "2017-03-07",
            cruz,
        )
        .await;
        // Then the schools that never hosted, by name.
        let form = f.coordinator.get(&path).await;
        assert_eq!(selected(&form.body, "host_school_id"), poza.to_string());
        schedule(
            &mut f.coordinator,
            f.network,
            "Sesión de abril",
            "2017-04-04",
            poza,
        )
        .await;
        let form = f.director.get(&path).await;
        assert_eq!(
            selected(&form.body, "host_school_id"),
            venezuela.to_string()
        );
        schedule(
            &mut f.director,
            f.network,
            "Sesión de mayo",
            "2017-05-02",
            venezuela,
        )
        .await;
        // Everyone hosted once: the one that hosted longest ago.
        let form = f.coordinator.get(&path).await;
        assert_eq!(selected(&form.body, "host_school_id"), cruz.to_string());

        // The rotation so far on the network's meetings page.
        let list = f
            .coordinator
            .get(&format!("/redes/{}/reuniones", f.network))
            .await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("Rotación de escuelas anfitrionas"));
        assert!(
            list.body
                .contains("<td>Colegio Luis Cruz Martínez</td><td>1</td><td>2017-03-07</td>"),
            "{}",
            list.body
        );
        assert!(list.body.contains("Sesión de abril") && list.body.contains("3 reuniones"));

        // The meeting's page, and its coordinator defaults to who scheduled it.
        let page = f.coordinator.get(&format!("/reuniones/{first}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Sesión de marzo") && page.body.contains("Liderazgo distribuido")
        );
        assert!(
            page.body.contains("Colegio Luis Cruz Martínez")
                && page.body.contains("Persona coordinador.liga")
        );
        // Everyone of the roster is expected: coordinator, director, teacher.
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM attendance WHERE meeting_id = {first}"
            ))
            .await,
            3
        );
        let teacher = format!(
            "SELECT COUNT(*) FROM attendance WHERE meeting_id = {first} AND person_id = {}",
            f.teacher_id
        );
        assert_eq!(app.count(&teacher).await, 1);
        let coordinator = format!("SELECT coordinator_id FROM meetings WHERE id = {first}");
        assert_eq!(app.count(&coordinator).await, f.coordinator_id);

        // Edit it: another place, no school.
        let mut fields = meeting_fields("Sesión de marzo (reprogramada)", "2017-03-14", "");
        fields.retain(|(k, _)| *k != "place");
        fields.push(("place", "Salón municipal de La Ligua"));
        let edited = f
            .director
            .post_form(&format!("/reuniones/{first}"), &fields)
            .await;
        assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
        let page = f.teacher.get(&format!("/reuniones/{first}")).await;
        assert!(
            page.body.contains("reprogramada") && page.body.contains("Salón municipal de La Ligua")
        );
        assert!(
            !page.body.contains(&format!("/reuniones/{first}/editar")),
            "a teacher does not edit"
        );
    }
);

both_databases!(
    bad_meetings_are_refused_with_a_message_and_nothing_saved,
    |app: TestApp| async move {
        let mut f = fixture(&app).await;
        let path = format!("/redes/{}/reuniones", f.network);
        let host = f.schools[0].to_string();
        let mut fields = meeting_fields("Sesión", "2017-03-07", &host);
        fields.retain(|(k, _)| *k != "ends_at");
        fields.push(("ends_at", "08:30"));
        let late = f.coordinator.post_form(&path, &fields).await;
        assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(late
            .body
            .contains("La hora de término debe ser posterior a la de inicio"));
        // The typed text stays in the form.
        assert!(late.body.contains("value=\"08:30\""));
        let bad_date = f
            .coordinator
            .post_form(&path, &meeting_fields("Sesión", "7 de marzo", &host))
            .await;
        assert_eq!(bad_date.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_date.body.contains("AAAA-MM-DD"));
        let outside = app
            .school("cl", "2000", "Escuela de otra red", "Valparaíso", "Petorca")
            .await
            .to_string();
        let stranger = f
            .coordinator
            .post_form(&path, &meeting_fields("Sesión", "2017-03-07", &outside))
            .await;
        assert_eq!(stranger.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(stranger
            .body
            .contains("La escuela anfitriona debe integrar la red"));
        let nowhere = f
            .coordinator
            .post_form(&path, &meeting_fields("Sesión", "2017-03-07", ""))
            .await;
        assert!(nowhere
            .body
            .contains("Elija la escuela anfitriona o escriba otro lugar"));
        let long = "x".repeat(501);
        let mut fields = meeting_fields("Sesión", "2017-03-07", &host);
        fields.retain(|(k, _)| *k != "theme");
        fields.push(("theme", &long));
        let too_long = f.coordinator.post_form(&path, &fields).await;
        assert!(too_long.body.contains("No puede superar 500 caracteres"));
        assert_eq!(app.count("SELECT COUNT(*) FROM meetings").await, 0);
        assert_eq!(app.count("SELECT COUNT(*) FROM attendance").await, 0);
    }
);

both_databases!(
    who_sees_and_who_schedules_meetings,
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
        let list = format!("/redes/{}/reuniones", f.network);
        let new = format!("/redes/{}/reuniones/nueva", f.network);
        let page = format!("/reuniones/{id}");
        // Authorities in scope and members read; they do not schedule.
        for client in [&mut f.seremi, &mut f.teacher] {
            assert_eq!(client.get(&list).await.status, StatusCode::OK);
            assert_eq!(client.get(&page).await.status, StatusCode::OK);
            assert_eq!(client.get(&new).await.status, StatusCode::FORBIDDEN);
            let host = f.schools[1].to_string();
            let refused = client
                .post_form(&list, &meeting_fields("Otra", "2017-04-04", &host))
                .await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN);
            let edit = client
                .post_form(&page, &meeting_fields("Cambiada", "2017-04-04", &host))
                .await;
            assert_eq!(edit.status, StatusCode::FORBIDDEN);
        }
        // Outside the network: nothing.
        assert_eq!(f.outsider.get(&list).await.status, StatusCode::FORBIDDEN);
        assert_eq!(f.outsider.get(&page).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            f.coordinator.get("/reuniones/999999").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM meetings").await, 1);
        assert_eq!(
            app.text(&format!("SELECT title FROM meetings WHERE id = {id}"))
                .await,
            "Sesión de marzo"
        );
    }
);

both_databases!(
    the_home_page_lists_the_next_meetings_of_the_persons_networks,
    |app: TestApp| async move {
        let mut f = fixture(&app).await;
        schedule(
            &mut f.coordinator,
            f.network,
            "Sesión que ya pasó",
            "2017-03-07",
            f.schools[0],
        )
        .await;
        schedule(
            &mut f.coordinator,
            f.network,
            "Sesión del año próximo",
            "2099-03-03",
            f.schools[1],
        )
        .await;
        let home = f.teacher.get("/").await;
        assert!(home.body.contains("Próximas reuniones"), "{}", home.body);
        assert!(
            home.body.contains("Sesión del año próximo")
                && !home.body.contains("Sesión que ya pasó")
        );
        let home = f.outsider.get("/").await;
        assert!(!home.body.contains("Sesión del año próximo"));
    }
);

both_databases!(
    the_networks_page_leads_to_its_meetings,
    |app: TestApp| async move {
        let mut f = fixture(&app).await;
        let page = f.teacher.get(&format!("/redes/{}", f.network)).await;
        assert!(
            page.body
                .contains(&format!("href=\"/redes/{}/reuniones\"", f.network)),
            "{}",
            page.body
        );
    }
);
