//! Replications (issue 12 item 4) through the pages and the API: a school
//! outside the network adopts a practice only once it is published; a chain
//! A → B → C across networks and regions shows in the graph (JSON, SVG and
//! table) and on each school's page (what it gave, what it took); a person
//! records only for their own school; bad input is named by field and
//! nothing is saved.

use crate::common;

use axum::http::StatusCode;
use common::{network_grant, school_grant, TestApp};
use redes::ids::{NetworkId, PersonId, PracticeId, SchoolId};
use redes::practices::model::{NewPractice, PracticeStatus, Stage};
use redes::practices::store;
use serde_json::json;

/// A practice of `network` at `school`, moved up to `to`.
pub(super) async fn practice(
    app: &TestApp,
    network: i64,
    school: i64,
    author: i64,
    to: PracticeStatus,
) -> i64 {
    let net = redes::networks::store::get(&app.db, NetworkId(network))
        .await
        .unwrap();
    let new = NewPractice {
        title: "Acompañamiento al aula entre pares".into(),
        level: "Básica".into(),
        area: "Lenguaje".into(),
        context: "Escuelas de cerro.".into(),
        problem: "Poca observación entre docentes.".into(),
        objective: "Observar clases entre pares.".into(),
        steps: "Pauta común y visitas.".into(),
        results: "Veinte clases observadas.".into(),
        learnings: "La pauta ordena la conversación.".into(),
        pei_link: String::new(),
        plan_link: "Acción 2 del PME".into(),
        policy_link: String::new(),
        tags: "acompañamiento".into(),
        stage: Stage::Finished,
        school_ids: vec![SchoolId(school)],
        author_ids: vec![PersonId(author)],
    };
    let mut tx = app.db.write().await.unwrap();
    let id = store::insert(&mut tx, &net, &new, PersonId(author))
        .await
        .unwrap();
    for step in PracticeStatus::ALL.iter().skip(1).take_while(|s| **s <= to) {
        let current = store::load(&mut tx, id).await.unwrap();
        store::move_to(&mut tx, &current, *step, "", PersonId(author))
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    id.0
}

/// Moves a practice on to published.
async fn publish(app: &TestApp, id: i64, by: i64) {
    let mut tx = app.db.write().await.unwrap();
    for step in [PracticeStatus::UnderReview, PracticeStatus::Published] {
        let current = store::load(&mut tx, PracticeId(id)).await.unwrap();
        store::move_to(&mut tx, &current, step, "", PersonId(by))
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

/// Two more networks, in Maule and Biobío, with one school each:
/// `(talca, concepcion)`.
async fn elsewhere(app: &TestApp, talca: i64) -> i64 {
    let maule = app.network("Red Maule Sur", "Maule").await;
    let biobio = app.network("Red Biobío Costa", "Biobío").await;
    let concepcion = app
        .school("cl", "2004", "Liceo Concepción", "Biobío", "Concepción")
        .await;
    let mut tx = app.db.write().await.unwrap();
    for (network, school) in [(maule, talca), (biobio, concepcion)] {
        redes::networks::store::add_member(
            &mut tx,
            NetworkId(network),
            SchoolId(school),
            Some("2020-03-01"),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    concepcion
}

fn form<'a>(school: &'a str, from: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("school_id", school),
        ("from_school_id", from),
        ("adopted_on", "2026-04-01"),
        ("adaptation", "La pauta se redujo a cuatro criterios."),
        ("outcome", "Doce clases observadas en el semestre."),
    ]
}

both_databases!(
    an_outside_school_adopts_a_published_practice_and_the_chain_shows,
    |app: common::TestApp| async move {
        let (network, member, other, talca) = crate::practices::world(&app).await;
        let concepcion = elsewhere(&app, talca).await;
        let author = app
            .person("docente", &[school_grant("teacher", member)])
            .await;
        let id = practice(&app, network, member, author, PracticeStatus::Systematized).await;
        let mut talca_director = app
            .signed_in("director.talca", &[school_grant("director", talca)])
            .await;
        let mut coordinator = app
            .signed_in("coord", &[network_grant("network_coordinator", network)])
            .await;
        let (m, t, o) = (member.to_string(), talca.to_string(), other.to_string());
        let path = format!("/practicas/{id}/replicas");

        // Unpublished: outside the network it is not even seen; inside, it
        // is not yet replicated.
        let hidden = talca_director.post_form(&path, &form(&t, &m)).await;
        assert_eq!(hidden.status, StatusCode::FORBIDDEN);
        let early = coordinator.post_form(&path, &form(&o, &m)).await;
        assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM practice_replications")
                .await,
            0
        );

        publish(&app, id, author).await;
        let page = talca_director.get(&format!("/practicas/{id}")).await;
        assert!(page
            .body
            .contains("Ninguna escuela ha registrado aún que la adoptó"));
        assert!(
            page.body.contains("Registrar que una escuela la adoptó"),
            "{}",
            page.body
        );
        let recorded = talca_director.post_form(&path, &form(&t, &m)).await;
        assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
        assert_eq!(
            recorded.location.as_deref(),
            Some(format!("/practicas/{id}#replicas").as_str())
        );
        // The first replication moves the practice on, with its line of history.
        assert_eq!(
            app.text(&format!("SELECT status FROM practices WHERE id = {id}"))
                .await,
            "replicated"
        );
        let page = talca_director.get(&format!("/practicas/{id}")).await.body;
        assert!(
            page.contains(
                "Publicada → Replicada · Persona director.talca: Primera réplica: Escuela Talca"
            ),
            "{page}"
        );

        // Concepción takes it from Talca, through the API.
        app.person("director.conce", &[school_grant("director", concepcion)])
            .await;
        let token = app.token("director.conce").await;
        let mut client = app.client();
        let created = client
            .json(
                "POST",
                &format!("/api/v1/practices/{id}/replications"),
                Some(json!({"school_id": concepcion.to_string(), "from_school_id": t, "adopted_on": "2026-05-10",
                    "adaptation": "Se aplicó en media.", "outcome": ""})),
                Some(&token),
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(created.json()["from_school_name"], "Escuela Talca");

        // The graph: A → B → C, three regions, two beyond its own.
        let graph = client
            .json(
                "GET",
                &format!("/api/v1/practices/{id}/graph"),
                None,
                Some(&token),
            )
            .await
            .json();
        let edges: Vec<(i64, i64)> = graph["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["from"].as_i64().unwrap(), e["to"].as_i64().unwrap()))
            .collect();
        assert_eq!(edges, vec![(member, talca), (talca, concepcion)]);
        assert_eq!(graph["nodes"].as_array().unwrap().len(), 3);
        assert_eq!(graph["reach"]["schools"], 2);
        assert_eq!(graph["reach"]["regions"], 3);
        assert_eq!(graph["reach"]["new_regions"], 2);
        assert_eq!(graph["reach"]["new_networks"], 2);
        assert_eq!(graph["reach"]["generations"], 2);
        let listed = client
            .json(
                "GET",
                &format!("/api/v1/practices/{id}/replications"),
                None,
                Some(&token),
            )
            .await
            .json();
        assert_eq!(listed.as_array().unwrap().len(), 2);

        // The page draws it and lists every edge with networks and regions.
        let page = talca_director.get(&format!("/practicas/{id}")).await.body;
        assert!(
            page.contains("<svg")
                && page.contains("role=\"img\"")
                && page.contains("<title id=\"grafo-titulo\">")
        );
        assert!(
            page.contains("Escuela Valparaíso → Escuela Talca (2026-04-01)"),
            "{page}"
        );
        assert!(
            common::cells_in_a_row(
                &page,
                &[
                    &format!("<a href=\"/escuelas/{member}\">Escuela Valparaíso</a>"),
                    "Red Liga Aprende",
                    "Valparaíso",
                    &format!("<a href=\"/escuelas/{talca}\">Escuela Talca</a>"),
                    "Red Maule Sur",
                    "Maule",
                    "2026-04-01"
                ]
            ),
            "{page}"
        );
        assert!(
            common::cells_in_a_row(
                &page,
                &[
                    &format!("<a href=\"/escuelas/{talca}\">Escuela Talca</a>"),
                    "Red Maule Sur",
                    "Maule",
                    &format!("<a href=\"/escuelas/{concepcion}\">Liceo Concepción</a>"),
                    "Red Biobío Costa",
                    "Biobío",
                    "2026-05-10"
                ]
            ),
            "{page}"
        );
        assert!(
            page.contains("2 escuelas la adoptaron") && page.contains("3 regiones"),
            "{page}"
        );

        // Each school's page: what it gave and what it took.
        let school = talca_director.get(&format!("/escuelas/{talca}")).await.body;
        let took = &school[school.find("Lo que tomó").unwrap()..];
        let gave = &school[school.find("Lo que dio").unwrap()..school.find("Lo que tomó").unwrap()];
        assert!(
            gave.contains("Acompañamiento al aula entre pares")
                && gave.contains("Liceo Concepción"),
            "{gave}"
        );
        assert!(
            took.contains("Acompañamiento al aula entre pares")
                && took.contains("Escuela Valparaíso"),
            "{took}"
        );
        let mut author_client = app.client();
        author_client.login("docente", common::PASSWORD).await;
        let origin = author_client.get(&format!("/escuelas/{member}")).await.body;
        assert!(origin.contains("Esta escuela no ha registrado prácticas adoptadas."));
        let gave = &origin[origin.find("Lo que dio").unwrap()..];
        assert!(gave.contains("Escuela Talca"), "{gave}");
    }
);

both_databases!(
    only_a_school_records_its_own_and_bad_input_is_named,
    |app: common::TestApp| async move {
        let (network, member, other, talca) = crate::practices::world(&app).await;
        let concepcion = elsewhere(&app, talca).await;
        let author = app
            .person("docente", &[school_grant("teacher", member)])
            .await;
        let id = practice(&app, network, member, author, PracticeStatus::Published).await;
        let mut talca_director = app
            .signed_in("director.talca", &[school_grant("director", talca)])
            .await;
        let (m, t, c, o) = (
            member.to_string(),
            talca.to_string(),
            concepcion.to_string(),
            other.to_string(),
        );
        let path = format!("/practicas/{id}/replicas");

        // Not for a school that is not theirs, page or API.
        let not_theirs = talca_director.post_form(&path, &form(&c, &m)).await;
        assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
        let token = app.token("director.talca").await;
        let mut client = app.client();
        let api = client
            .json(
                "POST",
                &format!("/api/v1/practices/{id}/replications"),
                Some(json!({"school_id": c, "from_school_id": m, "adopted_on": "2026-04-01", "adaptation": "x"})),
                Some(&token),
            )
            .await;
        assert_eq!(api.status, StatusCode::FORBIDDEN);

        // Bad input: each field named, on the page next to the form.
        let long = "x".repeat(5_001);
        let bad = talca_director
            .post_form(
                &path,
                &[
                    ("school_id", t.as_str()),
                    ("from_school_id", "abc"),
                    ("adopted_on", "2026-02-30"),
                    ("adaptation", " "),
                    ("outcome", &long),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for message in [
            "Elija la escuela de la que tomó la práctica",
            "Escriba la fecha de adopción como AAAA-MM-DD",
            "Cuente cómo la escuela adaptó la práctica",
            "No puede superar 5000 caracteres",
        ] {
            assert!(bad.body.contains(message), "{message}: {}", bad.body);
        }
        let no_school = talca_director.post_form(&path, &form("", &m)).await;
        assert_eq!(no_school.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_school.body.contains("Elija la escuela que la adopta"));
        let future = talca_director
            .post_form(
                &path,
                &[
                    ("school_id", &*t),
                    ("from_school_id", &*m),
                    ("adopted_on", "2999-01-01"),
                    ("adaptation", "x"),
                ],
            )
            .await;
        assert!(
            future.body.contains("no puede ser futura"),
            "{}",
            future.body
        );
        // Taken from a school that does not apply it.
        let wrong_source = talca_director.post_form(&path, &form(&t, &o)).await;
        assert_eq!(wrong_source.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong_source
            .body
            .contains("Elija una escuela que ya aplica la práctica"));
        let api_bad = client
            .json(
                "POST",
                &format!("/api/v1/practices/{id}/replications"),
                Some(json!({"school_id": t, "from_school_id": m, "adopted_on": "ayer", "adaptation": ""})),
                Some(&token),
            )
            .await;
        assert_eq!(api_bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = api_bad.json()["fields"].clone();
        assert!(
            fields["adopted_on"].is_string() && fields["adaptation"].is_string(),
            "{fields}"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM practice_replications")
                .await,
            0
        );
        assert_eq!(
            app.text(&format!("SELECT status FROM practices WHERE id = {id}"))
                .await,
            "published"
        );

        // Once recorded, not twice; and a school of the practice adopts nothing.
        let ok = talca_director.post_form(&path, &form(&t, &m)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let twice = talca_director.post_form(&path, &form(&t, &m)).await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(twice.body.contains("ya registró que adoptó la práctica"));
        let mut member_director = app
            .signed_in("director.valpo", &[school_grant("director", member)])
            .await;
        let own = member_director.post_form(&path, &form(&m, &t)).await;
        assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(own
            .body
            .contains("es una de las que documentaron la práctica"));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM practice_replications")
                .await,
            1
        );
    }
);
