//! Networks through their pages: the charter, member schools over time
//! and the yearly census.

use crate::common;

use super::registry::id_from;
use axum::http::StatusCode;
use common::grant;

both_databases!(
    network_charter_members_over_time_and_census,
    |app: common::TestApp| async move {
        let penasco = app
            .school(
                "cl",
                "4754",
                "Escuela Básica Cerro San Francisco",
                "Biobío",
                "Concepción",
            )
            .await;
        let other = app
            .school(
                "cl",
                "4587",
                "Liceo Juan Martínez de Rozas",
                "Biobío",
                "Concepción",
            )
            .await;
        let mut seremi = app
            .signed_in("seremi", &[grant("regional_authority", "region", "Biobío")])
            .await;
        assert_eq!(seremi.get("/redes/nueva").await.status, StatusCode::OK);
        let mut fields = vec![
            ("country", "cl"),
            ("kind", "rme"),
            ("name", "Red de Talcahuano"),
            ("region", "Biobío"),
            ("province", "Concepción"),
            ("since_year", "2016"),
        ];
        // Sent in reverse order: the page order must come from the charter, not the form.
        fields.extend(CHARTER.iter().rev().map(|(f, _, text)| (*f, *text)));
        let created = seremi.post_form("/redes", &fields).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let id = id_from(&created.location, "/redes/");
        let detail = seremi.get(&format!("/redes/{id}")).await;
        assert_eq!(detail.status, StatusCode::OK);
        assert!(detail.body.contains("Red de Talcahuano") && detail.body.contains("desde 2016"));
        let mut last = 0;
        for (_, title, text) in CHARTER {
            let at = detail
                .body
                .find(&format!("<h2>{title}</h2>"))
                .unwrap_or_else(|| panic!("no section {title}"));
            assert!(at > last, "{title} out of seed-001 order");
            let body_at = detail.body[at..]
                .find(text)
                .unwrap_or_else(|| panic!("no text for {title}"));
            assert!(body_at < detail.body[at..].find("</section>").unwrap());
            last = at;
        }

        // Find a school and add it.
        let search = seremi.get(&format!("/redes/{id}?buscar=cerro+san")).await;
        assert!(search.body.contains("Escuela Básica Cerro San Francisco"));
        assert!(
            search
                .body
                .contains(&format!("name=\"school_id\" value=\"{penasco}\"")),
            "{}",
            search.body
        );
        assert!(!search.body.contains("Liceo Juan Martínez de Rozas"));
        let added = seremi
            .post_form(
                &format!("/redes/{id}/escuelas"),
                &[("school_id", &penasco.to_string())],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        // Or by its official code.
        let added = seremi
            .post_form(
                &format!("/redes/{id}/escuelas"),
                &[("official_code", "4587")],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let unknown = seremi
            .post_form(
                &format!("/redes/{id}/escuelas"),
                &[("official_code", "99999")],
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown
            .body
            .contains("No hay una escuela con el código 99999"));
        // A member is not offered again, and adding it twice says why.
        let search = seremi.get(&format!("/redes/{id}?buscar=cerro+san")).await;
        assert!(search
            .body
            .contains("No se encontraron escuelas disponibles."));
        let twice = seremi
            .post_form(
                &format!("/redes/{id}/escuelas"),
                &[("school_id", &penasco.to_string())],
            )
            .await;
        assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            twice.body.contains("La escuela ya integra esta red"),
            "{}",
            twice.body
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM network_schools").await, 2);
        let list = seremi.get("/redes?q=talcahuano").await;
        assert!(list.body.contains("Red de Talcahuano"));
        assert!(
            crate::common::cells(&list.body).contains(&"2"),
            "two current members"
        );
        assert!(seremi
            .get(&format!("/escuelas/{penasco}"))
            .await
            .body
            .contains(&format!("href=\"/redes/{id}\"")));

        // Remove one: it leaves, the history stays.
        let removed = seremi
            .post_form(&format!("/redes/{id}/escuelas/{other}/retirar"), &[])
            .await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER);
        assert_eq!(app.count("SELECT COUNT(*) FROM network_schools").await, 2);
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM network_schools WHERE school_id = {other} AND left_on IS NOT NULL")).await, 1);
        let today = redes::db::today();
        let detail = seremi.get(&format!("/redes/{id}")).await;
        assert!(
            detail.body.contains("Liceo Juan Martínez de Rozas"),
            "former member still shown"
        );
        assert!(
            crate::common::cells_in_a_row(&detail.body, &[&today, &today]),
            "joined and left dates shown"
        );
        assert!(!seremi
            .get(&format!("/escuelas/{other}"))
            .await
            .body
            .contains(&format!("href=\"/redes/{id}\"")));
        let list = seremi.get("/redes?q=talcahuano").await.body;
        assert!(
            crate::common::cells(&list).contains(&"1"),
            "one member left"
        );
        // It may join again later: a new period, the old one kept.
        let rejoin = seremi
            .post_form(
                &format!("/redes/{id}/escuelas"),
                &[("school_id", &other.to_string())],
            )
            .await;
        assert_eq!(rejoin.status, StatusCode::SEE_OTHER, "{}", rejoin.body);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM network_schools WHERE school_id = {other}"
            ))
            .await,
            2
        );

        // Search of networks: accent-insensitive, by region too.
        assert!(seremi
            .get("/redes?q=TALCAHUANO")
            .await
            .body
            .contains("Red de Talcahuano"));
        assert!(seremi
            .get("/redes?q=biobio")
            .await
            .body
            .contains("Red de Talcahuano"));
        assert!(!seremi
            .get("/redes?q=linares")
            .await
            .body
            .contains("Red de Talcahuano"));

        // Yearly activity and the census.
        let census = seremi.get("/censo").await;
        assert!(
            census
                .body
                .contains("<td data-year=\"2016\"><strong>1</strong>"),
            "{}",
            census.body
        );
        for (year, active) in [("2017", "1"), ("2018", "1"), ("2018", "0")] {
            let r = seremi
                .post_form(
                    &format!("/redes/{id}/actividad"),
                    &[("year", year), ("active", active)],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        let bad = seremi
            .post_form(
                &format!("/redes/{id}/actividad"),
                &[("year", "dos mil"), ("active", "1")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        let census = app.client().get("/censo").await;
        assert_eq!(census.status, StatusCode::OK, "the census is public");
        assert!(census
            .body
            .contains("<td data-year=\"2016\"><strong>1</strong>"));
        assert!(census
            .body
            .contains("<td data-year=\"2017\"><strong>1</strong>"));
        assert!(!census
            .body
            .contains("<td data-year=\"2018\"><strong>1</strong>"));
        assert!(census.body.contains("Biobío"));
        let detail = seremi.get(&format!("/redes/{id}")).await;
        assert!(
            detail
                .body
                .contains("2016: activa · 2017: activa · 2018: inactiva"),
            "{}",
            detail.body
        );
        assert!(seremi
            .get("/redes?year=2017")
            .await
            .body
            .contains("Red de Talcahuano"));
        assert!(!seremi
            .get("/redes?year=2018")
            .await
            .body
            .contains("Red de Talcahuano"));

        // Archive the network: hidden from the list, kept.
        let archived = seremi
            .post_form(&format!("/redes/{id}/archivar"), &[])
            .await;
        assert_eq!(archived.status, StatusCode::SEE_OTHER);
        assert!(!seremi
            .get("/redes")
            .await
            .body
            .contains("Red de Talcahuano"));
        assert_eq!(
            seremi.get(&format!("/redes/{id}")).await.status,
            StatusCode::OK
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM networks").await, 1);
    }
);

const CHARTER: [(&str, &str, &str); 8] = [
    (
        "who_forms",
        "Quiénes la conforman",
        "Once escuelas municipales de Talcahuano.",
    ),
    (
        "principles_needs",
        "Principios y necesidades",
        "Confianza y foco en la lectura.",
    ),
    (
        "objective",
        "Objetivo",
        "Mejorar la comprensión lectora en primer ciclo.",
    ),
    (
        "how_members_move",
        "Cómo los integrantes movilizan el objetivo",
        "Cada escuela lidera un taller.",
    ),
    (
        "collaboration",
        "Cómo se refleja el trabajo colaborativo",
        "Visitas de aula entre pares.",
    ),
    (
        "learnings_achievements",
        "Principales aprendizajes y logros",
        "Un banco común de planificaciones.",
    ),
    ("key_idea", "Idea clave", "Aprender juntos es más rápido."),
    (
        "projection_challenges",
        "Proyección y desafíos",
        "Sumar a los liceos de la comuna.",
    ),
];
