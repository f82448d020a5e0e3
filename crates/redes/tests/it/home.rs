//! The personal home page (issue 8 item 1): each person sees their own
//! networks and schools with counts, and whoever oversees a territory its
//! key figures, in Spanish or English with the right plural.

use crate::common::{self, grant, network_grant, school_grant, TestApp};
use redes::ids::{NetworkId, SchoolId};

/// A network of two of Ñuble's four schools (one of them closed), a school
/// of Arica, and a director and a teacher of the network's first school.
async fn world(app: &TestApp) -> (i64, i64) {
    let network = app.network("Red Rural del Itata", "Ñuble").await;
    let first = app
        .school("cl", "4801", "Escuela Rural Quirihue", "Ñuble", "Itata")
        .await;
    let second = app
        .school("cl", "4802", "Liceo de Coelemu", "Ñuble", "Itata")
        .await;
    app.school("cl", "4803", "Escuela Ninhue", "Ñuble", "Itata")
        .await;
    let closed = app
        .school("cl", "4804", "Escuela Cerrada", "Ñuble", "Itata")
        .await;
    app.school("cl", "1301", "Escuela de Arica", "Arica", "Arica")
        .await;
    let mut w = app.db.write().await.unwrap();
    sqlx::query("UPDATE schools SET operating = 0 WHERE id = $1")
        .bind(closed)
        .execute(&mut *w)
        .await
        .unwrap();
    for school in [first, second] {
        redes::networks::store::add_member(
            &mut w,
            NetworkId(network),
            SchoolId(school),
            Some("2016-03-01"),
        )
        .await
        .unwrap();
    }
    redes::networks::store::set_active(&mut w, NetworkId(network), 2017, true)
        .await
        .unwrap();
    w.commit().await.unwrap();
    app.person("directora.quirihue", &[school_grant("director", first)])
        .await;
    app.person("docente.quirihue", &[school_grant("teacher", first)])
        .await;
    (network, first)
}

both_databases!(
    home_shows_a_person_their_networks_and_schools,
    |app: TestApp| async move {
        let (network, school) = world(&app).await;

        let mut director = app.client();
        director.login("directora.quirihue", common::PASSWORD).await;
        let home = director.get("/").await.body;
        assert!(home.contains("Sus redes y escuelas"), "{home}");
        assert!(home.contains(&format!("href=\"/redes/{network}\"")));
        assert!(home.contains("2 escuelas integrantes"), "{home}");
        assert!(home.contains(&format!("href=\"/escuelas/{school}\"")));
        // One network, and the director and the teacher in Redes.
        assert!(home.contains("1 red · 2 personas en Redes"), "{home}");
        assert!(!home.contains("Su territorio"));

        // In English, with the English plurals.
        director.get("/idioma/en?next=/").await;
        let home = director.get("/").await.body;
        assert!(home.contains("Your networks and schools"), "{home}");
        assert!(home.contains("2 member schools"), "{home}");
        assert!(home.contains("1 network · 2 people in Redes"), "{home}");
        // Her role too, in the header and in the greeting.
        assert!(home.contains("<small>(Principal)</small>"), "{home}");
        assert!(home.contains("Your roles: Principal"), "{home}");

        // The coordinator sees the network; someone with no role, nothing.
        let mut coordinator = app
            .signed_in(
                "coordinadora.itata",
                &[network_grant("network_coordinator", network)],
            )
            .await;
        let home = coordinator.get("/").await.body;
        assert!(home.contains("Red Rural del Itata"), "{home}");
        let mut nobody = app.signed_in("sin.rol", &[]).await;
        let home = nobody.get("/").await.body;
        assert!(!home.contains("Sus redes y escuelas"));
    }
);

both_databases!(
    home_shows_a_territory_its_key_figures,
    |app: TestApp| async move {
        let (network, _) = world(&app).await;
        let mut seremi = app
            .signed_in(
                "seremi.nuble",
                &[grant("regional_authority", "region", "Ñuble")],
            )
            .await;
        let home = seremi.get("/").await.body;
        assert!(home.contains("Región: Ñuble (Chile)"), "{home}");
        // Three operating schools of Ñuble (not the closed one, not
        // Arica's), two of them in a network, one network, active in 2017.
        for figure in [
            "3 escuelas en funcionamiento",
            "2 escuelas en una red",
            "67 %",
            "1 red<",
            "1 red activa",
            "en 2017",
        ] {
            assert!(home.contains(figure), "{figure}: {home}");
        }
        assert!(!home.contains("Sus redes y escuelas"));

        // A school joining the network shows at once (the figures are
        // remembered only until the next write).
        let third = app
            .count("SELECT id FROM schools WHERE official_code = '4803'")
            .await;
        let mut w = app.db.write().await.unwrap();
        redes::networks::store::add_member(
            &mut w,
            NetworkId(network),
            SchoolId(third),
            Some("2017-03-01"),
        )
        .await
        .unwrap();
        w.commit().await.unwrap();
        let home = seremi.get("/").await.body;
        assert!(home.contains("3 escuelas en una red"), "{home}");
    }
);
