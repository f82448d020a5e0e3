//! The demonstration data: seed 001's 15 RME with their schools, the
//! 2015–2017 census, the Colombian and Mexican examples, demo accounts,
//! the networks' good practices along their cycle.

use crate::common;

use axum::http::StatusCode;
use redes::demo::{load, DEMO_PASSWORD};

both_databases!(
    demo_census_networks_and_accounts,
    |app: common::TestApp| async move {
        let loaded = load(&app.db, None).await.expect("demo loads");

        // The census page shows the published figures.
        let census = app.client().get("/censo").await;
        assert_eq!(census.status, StatusCode::OK);
        for (year, active) in [(2015, 523), (2016, 505), (2017, 481)] {
            assert!(
                census.body.contains(&format!(
                    "<td data-year=\"{year}\"><strong>{active}</strong>"
                )),
                "{year}: {}",
                census.body
            );
        }
        assert!(
            census.body.contains("sintéticas"),
            "generated networks are declared"
        );

        // The 15 RME of seed 001, each with its member schools.
        assert_eq!(app.count("SELECT COUNT(*) FROM networks WHERE country = 'cl' AND kind = 'rme' AND synthetic = 0").await, 15);
        let with_schools = app
        .count(
            "SELECT COUNT(*) FROM (SELECT n.id FROM networks n JOIN network_schools m ON m.network_id = n.id
             WHERE n.country = 'cl' AND n.kind = 'rme' AND n.synthetic = 0 AND m.left_on IS NULL
             GROUP BY n.id HAVING COUNT(*) >= 2) x",
        )
        .await;
        assert_eq!(with_schools, 15);
        // Every generated network is marked synthetic and says so in its name.
        let synthetic = app
            .count("SELECT COUNT(*) FROM networks WHERE synthetic = 1")
            .await;
        assert!(synthetic >= 523 - 15, "{synthetic}");
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM networks WHERE synthetic = 1 AND name NOT LIKE '%sintética%'"
            )
            .await,
            0
        );
        // Talcahuano with its seed schools and charter.
        let talcahuano = app
            .count("SELECT id FROM networks WHERE name = 'Red de Talcahuano'")
            .await;
        let members = app
            .count(&format!(
                "SELECT COUNT(*) FROM network_schools WHERE network_id = {talcahuano}"
            ))
            .await;
        assert_eq!(members, 11);
        assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM network_schools m JOIN schools s ON s.id = m.school_id
             WHERE m.network_id = {talcahuano} AND s.official_code = '4754' AND s.commune = 'Talcahuano'"
        ))
        .await,
        1
    );
        // Colombia: the Cartagena teacher network and the Ibagué institution with sedes.
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM networks WHERE country = 'co' AND kind = 'teacher_network'"
            )
            .await,
            1
        );
        let ibague = app
            .count("SELECT id FROM schools WHERE official_code = '173001001201'")
            .await;
        assert!(
            app.count(&format!(
                "SELECT COUNT(*) FROM schools WHERE parent_id = {ibague}"
            ))
            .await
                >= 2
        );
        // Mexico: a zone with schools of four or more levels.
        assert!(
            app.count("SELECT COUNT(DISTINCT levels) FROM schools WHERE country = 'mx'")
                .await
                >= 4
        );

        // The year's agreements of Liga Aprende, Talagante and Río Ibáñez
        // (seed 001): some kept, one dropped, some late (open past their
        // due date), some reviewed at two later meetings while still open.
        let demo_networks = "(SELECT id FROM networks WHERE name IN ('Red Liga Aprende', 'Red de Talagante', 'Red Río Ibáñez'))";
        let per_network = app
            .count(&format!(
                "SELECT COUNT(DISTINCT network_id) FROM agreements WHERE network_id IN {demo_networks}"
            ))
            .await;
        assert_eq!(per_network, 3);
        let by_status = |status: &'static str| {
            format!("SELECT COUNT(*) FROM agreements WHERE network_id IN {demo_networks} AND status = '{status}'")
        };
        assert_eq!(app.count(&by_status("kept")).await, 9);
        assert_eq!(app.count(&by_status("dropped")).await, 1);
        let late = app
            .count(&format!(
                "SELECT COUNT(*) FROM agreements WHERE network_id IN {demo_networks}
                 AND status IN ('open', 'in_progress') AND due_on < '2026-01-01'"
            ))
            .await;
        assert_eq!(late, 7);
        let carried_twice = app
            .count(&format!(
                "SELECT COUNT(*) FROM agreements a WHERE a.network_id IN {demo_networks}
                 AND a.status IN ('open', 'in_progress')
                 AND (SELECT COUNT(*) FROM agreement_reviews r WHERE r.agreement_id = a.id
                      AND r.status_after IN ('open', 'in_progress')) >= 2"
            ))
            .await;
        assert_eq!(carried_twice, 4);
        // Every review is at a later meeting of the same network.
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM agreement_reviews r JOIN agreements a ON a.id = r.agreement_id
                 JOIN meetings taken ON taken.id = a.meeting_id JOIN meetings m ON m.id = r.meeting_id
                 WHERE m.network_id <> a.network_id OR m.held_on <= taken.held_on"
            )
            .await,
            0
        );
        // Liga Aprende's planned September session has the open ones on its
        // agenda, late; its coordinator sees them on the network's list.
        let mut liga = app.client();
        liga.login("coordinador.liga", DEMO_PASSWORD).await;
        let liga_id = app
            .count("SELECT id FROM networks WHERE name = 'Red Liga Aprende'")
            .await;
        let september = app
            .count(&format!(
                "SELECT id FROM meetings WHERE network_id = {liga_id} AND status = 'planned'"
            ))
            .await;
        let page = liga.get(&format!("/reuniones/{september}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let open_part = page
            .body
            .split("Acuerdos tomados en esta reunión")
            .next()
            .unwrap();
        assert!(
            open_part.contains("Invitar a la red de la comuna vecina"),
            "{}",
            page.body
        );
        assert!(open_part.contains("Atrasado"));
        assert!(!open_part.contains("Aplicar la pauta de observación entre pares"));
        let list = liga
            .get(&format!("/redes/{liga_id}/acuerdos?estado=abiertos"))
            .await;
        assert!(list.body.contains("3 atrasados"), "{}", list.body);

        // Seed 003: the Tequisquiapan zone's encounter plan, approved, with
        // three sessions per group, the supervision's duties ticked before
        // and during each first session, and an observer's record there.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM encounter_plans WHERE status = 'approved' AND zone = '22FIZ0041F'")
                .await,
            1
        );
        let groups = app
            .count("SELECT COUNT(DISTINCT encounter_group) FROM meetings WHERE kind = 'encounter'")
            .await;
        assert!(groups >= 1);
        for n in 1..=3 {
            assert_eq!(
                app.count(&format!(
                    "SELECT COUNT(*) FROM meetings WHERE kind = 'encounter' AND encounter_session = {n}"
                ))
                .await,
                groups
            );
        }
        let ticked = app
            .count(
                "SELECT COUNT(*) FROM session_checklist c JOIN meetings m ON m.id = c.meeting_id
                 WHERE c.done_by IS NOT NULL AND m.encounter_session = 1 AND c.role = 'supervision'",
            )
            .await;
        assert_eq!(
            ticked,
            groups * 10,
            "the supervision's duties before and during"
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM session_checklist WHERE done_by IS NOT NULL")
                .await,
            ticked
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM observer_records").await,
            groups
        );
        let first = app
            .count(
                "SELECT MIN(id) FROM meetings WHERE kind = 'encounter' AND encounter_session = 1",
            )
            .await;
        let mut supervisor = app.client();
        supervisor.login("supervisor.qro", DEMO_PASSWORD).await;
        let session = supervisor
            .get(&format!("/sesiones-encuentro/{first}"))
            .await;
        assert_eq!(session.status, StatusCode::OK, "{}", session.body);
        assert!(
            session.body.contains("Ambiente de respeto y confianza"),
            "{}",
            session.body
        );
        assert!(session.body.contains("Guadalupe Reséndiz Olvera"));

        practices(&app).await;

        // Every demo account logs in with the demo password.
        assert_eq!(loaded.people.len(), 19);
        for person in &loaded.people {
            let mut client = app.client();
            let r = client.login(&person.username, DEMO_PASSWORD).await;
            assert_eq!(
                r.status,
                StatusCode::SEE_OTHER,
                "{} cannot log in: {}",
                person.username,
                r.body
            );
            assert!(client.has_session());
            let home = client.get("/").await;
            assert!(home.body.contains(&person.full_name), "{}", person.username);
        }

        // The demo teacher sees their school and its network, nothing else.
        let mut docente = app.client();
        docente.login("docente", DEMO_PASSWORD).await;
        let list = docente
            .json("GET", "/api/v1/schools", None, None)
            .await
            .json();
        assert_eq!(list["total"], 1, "{list}");
        assert_eq!(list["items"][0]["official_code"], "4754");
        let school_id = list["items"][0]["id"].as_i64().unwrap();
        let page = docente.get("/escuelas").await;
        assert!(
            page.body.contains("Escuela Basica Cerro San Francisco")
                || page.body.contains("Escuela Básica Cerro San Francisco"),
            "{}",
            page.body
        );
        assert!(page.body.contains("1 escuelas"));
        let detail = docente.get(&format!("/escuelas/{school_id}")).await;
        assert_eq!(detail.status, StatusCode::OK);
        assert!(detail.body.contains("Red de Talcahuano"));
        assert_eq!(
            docente.get(&format!("/redes/{talcahuano}")).await.status,
            StatusCode::OK
        );
        assert_eq!(
            docente
                .get(&format!("/escuelas/{school_id}/editar"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let networks = docente
            .json("GET", "/api/v1/networks", None, None)
            .await
            .json();
        assert_eq!(networks["total"], 1);

        // The demo coordinator may not issue a call; the Cartagena secretariat may.
        let mut coordinator = app.client();
        coordinator.login("coordinador.rme", DEMO_PASSWORD).await;
        let refused = coordinator
            .post_form(
                "/convocatorias",
                &[
                    ("country", "cl"),
                    ("region", "Biobío"),
                    ("title", "Convocatoria"),
                    ("opens_on", "2027-03-01"),
                    ("closes_on", "2027-03-31"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let mut secretariat = app.client();
        secretariat.login("sec.cartagena", DEMO_PASSWORD).await;
        let issued = secretariat
            .post_form(
                "/convocatorias",
                &[
                    ("country", "co"),
                    ("region", "Bolívar"),
                    ("province", "Cartagena de Indias"),
                    ("title", "Convocatoria distrital"),
                    ("opens_on", "2027-03-01"),
                    ("closes_on", "2027-03-31"),
                ],
            )
            .await;
        assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM calls").await, 1);
    }
);

/// Seed 001's good practices (`demo/practices/`): at least 20, at every
/// point of the cycle, the published ones with the reviews the rubric
/// needs, never reviewed by an author, replicated across regions and in
/// chains; the signed-out list holds only the published ones.
async fn practices(app: &common::TestApp) {
    assert!(app.count("SELECT COUNT(*) FROM practices").await >= 20);
    let statuses = app
        .count("SELECT COUNT(DISTINCT status) FROM practices")
        .await;
    assert!(statuses >= 5, "{statuses} states");
    for status in [
        "identified",
        "documented",
        "systematized",
        "under_review",
        "published",
        "replicated",
    ] {
        let n = app
            .count(&format!(
                "SELECT COUNT(*) FROM practices WHERE status = '{status}'"
            ))
            .await;
        assert!(n >= 2, "{status}: {n}");
    }
    // Seed 001's networks, in at least eight regions.
    assert!(
        app.count("SELECT COUNT(DISTINCT region) FROM practices WHERE country = 'cl'")
            .await
            >= 8
    );
    // Published and replicated: seed 002's rubric needs two finished
    // reviews, each scored on its eight criteria.
    let public = "p.status IN ('published', 'replicated')";
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM practices p WHERE {public} AND (SELECT COUNT(*) FROM practice_reviews r
             WHERE r.practice_id = p.id AND r.submitted_at IS NOT NULL) < 2"
        ))
        .await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM practice_reviews r WHERE r.submitted_at IS NOT NULL
             AND (SELECT COUNT(*) FROM practice_review_scores s WHERE s.review_id = r.id AND s.score BETWEEN 1 AND 4) <> 8"
        )
        .await,
        0
    );
    assert!(
        app.count("SELECT COUNT(*) FROM practice_review_scores WHERE comment <> ''")
            .await
            > 0
    );
    // Reviews in progress (assigned, not sent), authors' replies, and
    // never an author reviewing their own practice.
    assert!(
        app.count(
            "SELECT COUNT(*) FROM practice_reviews r JOIN practices p ON p.id = r.practice_id
             WHERE p.status = 'under_review' AND r.submitted_at IS NULL"
        )
        .await
            >= 2
    );
    assert!(
        app.count("SELECT COUNT(*) FROM practice_reviews WHERE reply <> ''")
            .await
            >= 3
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM practice_reviews r JOIN practice_authors a
             ON a.practice_id = r.practice_id AND a.person_id = r.reviewer_id"
        )
        .await,
        0
    );
    // Evidence on every practice past systematized.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM practices p WHERE p.status IN ('under_review', 'published', 'replicated')
             AND NOT EXISTS (SELECT 1 FROM practice_attachments a WHERE a.practice_id = p.id)"
        )
        .await,
        0
    );
    // Replications: one crosses regions, one chain has two generations
    // (A → B → C), and every adoption is dated in the past.
    assert!(
        app.count(
            "SELECT COUNT(*) FROM practice_replications r JOIN schools s ON s.id = r.school_id
             JOIN schools f ON f.id = r.from_school_id WHERE s.region <> f.region"
        )
        .await
            >= 1
    );
    let chained = app
        .count(
            "SELECT MIN(r.practice_id) FROM practice_replications r JOIN practice_replications before
             ON before.practice_id = r.practice_id AND before.school_id = r.from_school_id",
        )
        .await;
    assert!(chained > 0, "no chain of two generations");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM practice_replications WHERE adopted_on > '2018-12-31'")
            .await,
        0
    );
    // A practice's life is dated before its first adoption: published
    // (and every earlier step) before any school adopted it, replicated on
    // the day the first one did.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM practice_replications r JOIN practice_transitions t
             ON t.practice_id = r.practice_id WHERE t.status_after <> 'replicated'
             AND substr(t.changed_at, 1, 10) >= r.adopted_on"
        )
        .await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM practice_transitions t WHERE t.status_after = 'replicated'
             AND substr(t.changed_at, 1, 10) <> (SELECT MIN(r.adopted_on)
             FROM practice_replications r WHERE r.practice_id = t.practice_id)"
        )
        .await,
        0
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM practices p JOIN practice_transitions t ON t.practice_id = p.id
             WHERE t.status_after = 'published' AND p.published_at <> t.changed_at"
        )
        .await,
        0,
        "the publication date is its transition's"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM practices WHERE created_at > '2018-12-31'")
            .await,
        0
    );
    // Steps are days apart, in the order they happened.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM practice_transitions a JOIN practice_transitions b
             ON b.practice_id = a.practice_id AND b.id > a.id
             WHERE substr(b.changed_at, 1, 10) <= substr(a.changed_at, 1, 10)"
        )
        .await,
        0
    );
    let mut ministry = app.client();
    ministry.login("ministerio", DEMO_PASSWORD).await;
    let graph = ministry
        .json(
            "GET",
            &format!("/api/v1/practices/{chained}/graph"),
            None,
            None,
        )
        .await
        .json();
    assert!(graph["reach"]["generations"].as_i64() >= Some(2), "{graph}");
    assert!(graph["reach"]["new_regions"].as_i64() >= Some(1), "{graph}");
    // Every practice's page shows, for the ministry, with its history.
    let last = app.count("SELECT MAX(id) FROM practices").await;
    let first = app.count("SELECT MIN(id) FROM practices").await;
    for id in first..=last {
        let page = ministry.get(&format!("/practicas/{id}")).await;
        assert_eq!(page.status, StatusCode::OK, "{id}: {}", page.body);
    }

    // Signed out, the list holds the published and replicated only; so
    // does it for an account that sees none of these networks.
    let published = app
        .count(&format!("SELECT COUNT(*) FROM practices p WHERE {public}"))
        .await;
    let everything = redes::practices::model::PracticeFilter::default();
    let (_, total) = redes::practices::store::list(&app.db, None, &everything, 1)
        .await
        .unwrap();
    assert_eq!(total, published);
    // The search, open to anyone: signed out it finds the published
    // accompaniment practices (Pichidegua's, Río Bueno's) and none of the
    // unpublished ones that speak of it too.
    let mut anonymous = app.client();
    let found = anonymous
        .json(
            "GET",
            "/api/v1/practices/search?q=acompanamiento%20al%20aula",
            None,
            None,
        )
        .await
        .json();
    let hits = found["hits"].as_array().unwrap();
    assert!(hits.len() >= 2, "{found}");
    for hit in hits {
        assert!(
            ["published", "replicated"].contains(&hit["status"].as_str().unwrap()),
            "{hit}"
        );
    }
    let mut outsider = app.client();
    outsider.login("supervisor.qro", DEMO_PASSWORD).await;
    let list = outsider
        .json("GET", "/api/v1/practices", None, None)
        .await
        .json();
    assert_eq!(list["total"].as_i64(), Some(published), "{list}");
    for item in list["items"].as_array().unwrap() {
        assert!(
            ["published", "replicated"].contains(&item["status"].as_str().unwrap()),
            "{item}"
        );
    }
}
