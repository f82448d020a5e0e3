//! The school and network registry through its pages: create, edit,
//! archive, filters, search, pagination, sedes, charters, members over
//! time, the yearly census, and what bad input gets back.

use crate::common;

use axum::http::StatusCode;
use common::grant;

/// Undoes the HTML escaping of attribute values (`/` → `&#x2f;`, `&` → `&amp;`).
fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Ids of the schools linked from a list page, in order.
fn school_links(body: &str) -> Vec<i64> {
    body.split("href=\"/escuelas/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().and_then(|id| id.parse().ok()))
        .collect()
}

fn id_from(location: &Option<String>, prefix: &str) -> i64 {
    location
        .as_deref()
        .and_then(|l| l.strip_prefix(prefix))
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{location:?}"))
}

both_databases!(
    school_create_edit_archive_restore,
    |app: common::TestApp| async move {
        let mut seremi = app
            .signed_in("seremi", &[grant("regional_authority", "region", "Maule")])
            .await;
        assert_eq!(seremi.get("/escuelas/nueva").await.status, StatusCode::OK);
        let fields = [
            ("country", "cl"),
            ("official_code", "3250"),
            ("name", "Escuela Rural El Peñasco"),
            ("region", "Maule"),
            ("province", "Linares"),
            ("commune", "Yerbas Buenas"),
            ("levels", "parvularia, básica"),
            ("rural", "1"),
            ("latitude", "-35,84"),
            ("longitude", "-71.6"),
            ("students", "87"),
        ];
        let created = seremi.post_form("/escuelas", &fields).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let id = id_from(&created.location, "/escuelas/");
        let detail = seremi.get(&format!("/escuelas/{id}")).await;
        assert_eq!(detail.status, StatusCode::OK);
        for text in [
            "Escuela Rural El Peñasco",
            "3250",
            "Yerbas Buenas",
            "parvularia, básica",
            "-35.84, -71.6",
            "87",
            "rural",
        ] {
            assert!(detail.body.contains(text), "detail lacks {text}");
        }
        // The edit form comes pre-filled, and saving changes the record.
        let form = seremi.get(&format!("/escuelas/{id}/editar")).await;
        assert!(
            form.body.contains("value=\"Yerbas Buenas\""),
            "{}",
            form.body
        );
        let mut edited = fields.to_vec();
        edited[2] = ("name", "Escuela El Peñasco de Linares");
        edited[10] = ("students", "90");
        let saved = seremi.post_form(&format!("/escuelas/{id}"), &edited).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(
            app.text(&format!("SELECT name FROM schools WHERE id = {id}"))
                .await,
            "Escuela El Peñasco de Linares"
        );
        assert_eq!(
            app.count(&format!("SELECT students FROM schools WHERE id = {id}"))
                .await,
            90
        );
        assert!(seremi
            .get("/escuelas?q=linares")
            .await
            .body
            .contains("Escuela El Peñasco de Linares"));

        // Archive: kept with its history, hidden from the list, still reachable.
        let archived = seremi
            .post_form(&format!("/escuelas/{id}/archivar"), &[])
            .await;
        assert_eq!(archived.status, StatusCode::SEE_OTHER);
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 1);
        assert_eq!(
            app.count(&format!("SELECT archived FROM schools WHERE id = {id}"))
                .await,
            1
        );
        let list = seremi.get("/escuelas").await;
        assert!(
            !school_links(&list.body).contains(&id),
            "archived school listed"
        );
        assert!(list.body.contains("0 escuelas"));
        let detail = seremi.get(&format!("/escuelas/{id}")).await;
        assert_eq!(detail.status, StatusCode::OK);
        assert!(detail.body.contains("archivada") && detail.body.contains("/restaurar"));
        let with_archived = seremi.get("/escuelas?archived=true").await;
        assert_eq!(
            with_archived.status,
            StatusCode::OK,
            "{}",
            with_archived.body
        );
        assert!(school_links(&with_archived.body).contains(&id));
        assert_eq!(
            seremi
                .json("GET", "/api/v1/schools", None, None)
                .await
                .json()["total"],
            0
        );
        // Restore.
        let restored = seremi
            .post_form(&format!("/escuelas/{id}/restaurar"), &[])
            .await;
        assert_eq!(restored.status, StatusCode::SEE_OTHER);
        assert!(school_links(&seremi.get("/escuelas").await.body).contains(&id));
    }
);

both_databases!(
    school_list_filters_and_accent_insensitive_search,
    |app: common::TestApp| async move {
        let mut admin = app.signed_in("admin", &[]).await;
        let schools = [
            (
                "cl",
                "3250",
                "Escuela Rural El Peñasco",
                "Maule",
                "Linares",
                "parvularia,básica",
            ),
            (
                "cl",
                "4587",
                "Liceo Juan Martínez de Rozas",
                "Biobío",
                "Concepción",
                "media HC",
            ),
            (
                "cl",
                "4754",
                "Escuela Básica Cerro San Francisco",
                "Biobío",
                "Concepción",
                "básica",
            ),
            (
                "mx",
                "22DPR0001A",
                "Escuela Primaria Benito Juárez",
                "Querétaro",
                "Tequisquiapan",
                "primaria",
            ),
        ];
        for (country, code, name, region, province, levels) in schools {
            let r = admin
                .post_form(
                    "/escuelas",
                    &[
                        ("country", country),
                        ("official_code", code),
                        ("name", name),
                        ("region", region),
                        ("province", province),
                        ("commune", province),
                        ("levels", levels),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        let names = |body: &str| {
            schools
                .iter()
                .filter(|s| body.contains(s.2))
                .map(|s| s.1)
                .collect::<Vec<_>>()
        };
        for q in ["penasco", "PEÑASCO", "Peñasco", "el penasco", "3250"] {
            assert_eq!(
                names(
                    &admin
                        .get(&format!("/escuelas?q={}", common_encode(q)))
                        .await
                        .body
                ),
                ["3250"],
                "q={q}"
            );
        }
        assert_eq!(
            names(&admin.get("/escuelas?q=martinez").await.body),
            ["4587"]
        );
        assert_eq!(
            names(&admin.get("/escuelas?q=concepcion").await.body),
            ["4587", "4754"]
        );
        assert_eq!(
            names(&admin.get("/escuelas?q=juarez").await.body),
            ["22DPR0001A"]
        );
        assert_eq!(
            names(&admin.get("/escuelas?q=%25").await.body),
            Vec::<&str>::new(),
            "% is not a wildcard"
        );
        assert_eq!(
            names(&admin.get("/escuelas?region=Biob%C3%ADo").await.body),
            ["4587", "4754"]
        );
        assert_eq!(
            names(&admin.get("/escuelas?country=mx").await.body),
            ["22DPR0001A"]
        );
        assert_eq!(
            names(&admin.get("/escuelas?country=cl").await.body),
            ["3250", "4587", "4754"]
        );
        assert_eq!(
            names(&admin.get("/escuelas?level=b%C3%A1sica").await.body),
            ["3250", "4754"]
        );
        assert_eq!(
            names(&admin.get("/escuelas?level=media+HC").await.body),
            ["4587"]
        );
        assert_eq!(
            names(
                &admin
                    .get("/escuelas?level=b%C3%A1sica&region=Maule")
                    .await
                    .body
            ),
            ["3250"]
        );
        // The filters stay filled in.
        let page = admin.get("/escuelas?q=pe%C3%B1asco&country=cl").await;
        assert!(page.body.contains("value=\"peñasco\""), "{}", page.body);
        assert!(page.body.contains("<option value=\"cl\" selected>"));
        // The same filters through the API.
        let api = admin
            .json(
                "GET",
                "/api/v1/schools?q=concepcion&region=Biob%C3%ADo",
                None,
                None,
            )
            .await;
        assert_eq!(api.json()["total"], 2);
    }
);

fn common_encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

both_databases!(
    school_list_pages_through_120_schools,
    |app: common::TestApp| async move {
        for i in 1..=120 {
            app.school(
                "cl",
                &format!("{}", 1000 + i),
                &format!("Escuela Número {i:03}"),
                "Maule",
                "Talca",
            )
            .await;
        }
        let mut seremi = app
            .signed_in("seremi", &[grant("regional_authority", "region", "Maule")])
            .await;
        let first = seremi.get("/escuelas").await;
        assert!(first.body.contains("120 escuelas"));
        assert_eq!(school_links(&first.body).len(), 50);
        assert!(
            first.body.contains("Escuela Número 001") && first.body.contains("Escuela Número 050")
        );
        assert!(!first.body.contains("Escuela Número 051"));
        let links = unescape(&first.body);
        assert!(links.contains("Página 1 / 3"), "{links}");
        assert!(
            links.contains("href=\"/escuelas?q=&country=&region=&level=&pagina=2\" rel=\"next\""),
            "{links}"
        );
        assert!(!links.contains("rel=\"prev\""));

        let third = seremi.get("/escuelas?pagina=3").await;
        assert_eq!(school_links(&third.body).len(), 20);
        assert!(
            third.body.contains("Escuela Número 101") && third.body.contains("Escuela Número 120")
        );
        assert!(!third.body.contains("Escuela Número 100"));
        let links = unescape(&third.body);
        assert!(links.contains("Página 3 / 3"));
        assert!(links.contains("pagina=2\" rel=\"prev\""));
        assert!(!links.contains("rel=\"next\""));
        // Filters are kept in the pager links.
        let filtered = unescape(&seremi.get("/escuelas?q=numero+0&region=Maule").await.body);
        assert!(filtered.contains("99 escuelas"), "{filtered}");
        assert!(
            filtered
                .contains("href=\"/escuelas?q=numero%200&country=&region=Maule&level=&pagina=2\"")
                || filtered.contains(
                    "href=\"/escuelas?q=numero+0&country=&region=Maule&level=&pagina=2\""
                ),
            "{filtered}"
        );
        // Past the end: an empty page, not an error.
        let beyond = seremi.get("/escuelas?pagina=9").await;
        assert_eq!(beyond.status, StatusCode::OK);
        assert!(school_links(&beyond.body).is_empty());
        // API pages the same way.
        let api = seremi
            .json("GET", "/api/v1/schools?page=3", None, None)
            .await
            .json();
        assert_eq!(api["total"], 120);
        assert_eq!(api["items"].as_array().unwrap().len(), 20);
        assert_eq!(api["page"], 3);
    }
);

both_databases!(
    colombian_institution_shows_its_sedes,
    |app: common::TestApp| async move {
        let mut admin = app.signed_in("admin", &[]).await;
        let base = [
            ("country", "co"),
            ("region", "Tolima"),
            ("province", "Ibagué"),
            ("commune", "Ibagué"),
        ];
        let main = admin
            .post_form(
                "/escuelas",
                &[
                    &base[..],
                    &[
                        ("official_code", "173001001201"),
                        ("name", "Institución Educativa Técnica Los Ocobos"),
                    ],
                ]
                .concat(),
            )
            .await;
        assert_eq!(main.status, StatusCode::SEE_OTHER, "{}", main.body);
        let main_id = id_from(&main.location, "/escuelas/");
        for (code, name) in [
            ("17300100120102", "Sede Rural La Cima"),
            ("17300100120103", "Sede Juntas"),
        ] {
            let sede = admin
                .post_form(
                    "/escuelas",
                    &[
                        &base[..],
                        &[
                            ("official_code", code),
                            ("name", name),
                            ("parent_code", "173001001201"),
                        ],
                    ]
                    .concat(),
                )
                .await;
            assert_eq!(sede.status, StatusCode::SEE_OTHER, "{}", sede.body);
        }
        let detail = admin.get(&format!("/escuelas/{main_id}")).await;
        assert!(detail.body.contains("Sedes"));
        assert!(
            detail.body.contains("Sede Rural La Cima") && detail.body.contains("17300100120102")
        );
        assert!(detail.body.contains("Sede Juntas"));
        assert!(detail.body.contains("DANE"), "Colombian code name");
        let sede_id = app
            .count("SELECT id FROM schools WHERE official_code = '17300100120102'")
            .await;
        let sede = admin.get(&format!("/escuelas/{sede_id}")).await;
        assert!(
            sede.body.contains(&format!("href=\"/escuelas/{main_id}\"")),
            "sede links its institution"
        );
        // Its edit form names the institution by code.
        assert!(admin
            .get(&format!("/escuelas/{sede_id}/editar"))
            .await
            .body
            .contains("value=\"173001001201\""));
        // A sede of an institution that does not exist is refused.
        let orphan = admin
            .post_form(
                "/escuelas",
                &[
                    &base[..],
                    &[
                        ("official_code", "17300100999902"),
                        ("name", "Huérfana"),
                        ("parent_code", "173001009999"),
                    ],
                ]
                .concat(),
            )
            .await;
        assert_eq!(orphan.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            orphan
                .body
                .contains("no existe una institución con el código 173001009999"),
            "{}",
            orphan.body
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 3);
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
            .contains("no hay una escuela con el código 99999"));
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
            twice.body.contains("la escuela ya integra esta red"),
            "{}",
            twice.body
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM network_schools").await, 2);
        let list = seremi.get("/redes?q=talcahuano").await;
        assert!(list.body.contains("Red de Talcahuano"));
        assert!(list.body.contains("<td>2</td>"), "two current members");
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
            detail
                .body
                .contains(&format!("<td>{today}</td><td>{today}</td>")),
            "joined and left dates shown"
        );
        assert!(!seremi
            .get(&format!("/escuelas/{other}"))
            .await
            .body
            .contains(&format!("href=\"/redes/{id}\"")));
        assert!(seremi
            .get("/redes?q=talcahuano")
            .await
            .body
            .contains("<td>1</td>"));
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

both_databases!(
    duplicate_code_and_missing_name_keep_what_was_typed,
    |app: common::TestApp| async move {
        let mut seremi = app
            .signed_in("seremi", &[grant("regional_authority", "region", "Maule")])
            .await;
        let fields = [
            ("country", "cl"),
            ("official_code", "3250"),
            ("name", "Escuela El Peñasco"),
            ("region", "Maule"),
            ("province", "Linares"),
        ];
        assert_eq!(
            seremi.post_form("/escuelas", &fields).await.status,
            StatusCode::SEE_OTHER
        );
        let again = seremi
            .post_form(
                "/escuelas",
                &[
                    ("country", "cl"),
                    ("official_code", " 3250 "),
                    ("name", "Otra Escuela"),
                    ("region", "Maule"),
                ],
            )
            .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("<p class=\"error\" id=\"e-official_code\">ya existe una escuela con el código RBD 3250</p>"), "{}", again.body);
        assert!(again.body.contains("value=\"Otra Escuela\""));
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 1);
        // Editing another school onto an existing code: same message, nothing changed.
        let second = app
            .school("cl", "3251", "Escuela Vega", "Maule", "Linares")
            .await;
        let clash = seremi
            .post_form(
                &format!("/escuelas/{second}"),
                &[
                    ("country", "cl"),
                    ("official_code", "3250"),
                    ("name", "Escuela Vega"),
                    ("region", "Maule"),
                ],
            )
            .await;
        assert_eq!(clash.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(clash
            .body
            .contains("ya existe una escuela con el código RBD 3250"));
        assert_eq!(
            app.text(&format!(
                "SELECT official_code FROM schools WHERE id = {second}"
            ))
            .await,
            "3251"
        );

        let typed = [
            ("country", "cl"),
            ("official_code", "3260"),
            ("name", "   "),
            ("region", "Maule"),
            ("province", "Linares"),
            ("commune", "Yerbas Buenas"),
            ("address", "Camino a Linares km 5"),
            ("latitude", "-35,7"),
            ("students", "tres"),
        ];
        let r = seremi.post_form("/escuelas", &typed).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("role=\"alert\""));
        let name_input = r
            .body
            .split("<input id=\"f-name\"")
            .nth(1)
            .unwrap()
            .split('>')
            .next()
            .unwrap();
        assert!(
            name_input.contains("aria-invalid=\"true\"")
                && name_input.contains("aria-describedby=\"e-name\""),
            "{name_input}"
        );
        assert!(r
            .body
            .contains("<p class=\"error\" id=\"e-name\">el nombre es obligatorio</p>"));
        assert!(r.body.contains(
            "<p class=\"error\" id=\"e-students\">debe ser un número entero entre 0 y 100000</p>"
        ));
        assert!(r.body.contains(
            "<p class=\"error\" id=\"e-longitude\">indique latitud y longitud juntas</p>"
        ));
        for value in [
            "3260",
            "Linares",
            "Yerbas Buenas",
            "Camino a Linares km 5",
            "-35,7",
            "tres",
        ] {
            assert!(
                r.body.contains(&format!("value=\"{value}\"")),
                "lost {value}"
            );
        }
        let commune_input = r
            .body
            .split("<input id=\"f-commune\"")
            .nth(1)
            .unwrap()
            .split('>')
            .next()
            .unwrap();
        assert!(
            !commune_input.contains("aria-invalid"),
            "valid fields are not marked"
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 2);

        // The network form does the same, keeping the charter texts.
        let r = seremi
            .post_form(
                "/redes",
                &[
                    ("country", "cl"),
                    ("kind", "rme"),
                    ("name", ""),
                    ("region", "Maule"),
                    ("objective", "Leer mejor"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("el nombre de la red es obligatorio"));
        assert!(r.body.contains("aria-describedby=\"e-name\""));
        assert!(r.body.contains(">Leer mejor</textarea>"), "{}", r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM networks").await, 0);
    }
);

both_databases!(
    unknown_ids_and_routes_give_404,
    |app: common::TestApp| async move {
        let mut admin = app.signed_in("admin", &[]).await;
        for path in [
            "/escuelas/999999",
            "/escuelas/999999/editar",
            "/redes/999999",
            "/redes/999999/editar",
            "/no-existe",
            "/static/nada.css",
        ] {
            let r = admin.get(path).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
            assert!(
                r.content_type.starts_with("text/html"),
                "{path}: {}",
                r.content_type
            );
            assert!(r.body.contains("Página no encontrada"), "{path}");
        }
        for path in [
            "/escuelas/999999",
            "/redes/999999",
            "/redes/999999/archivar",
            "/escuelas/999999/archivar",
        ] {
            let r = admin
                .post_form(
                    path,
                    &[
                        ("country", "cl"),
                        ("name", "x"),
                        ("region", "Maule"),
                        ("official_code", "1"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "POST {path}");
        }
        // A non-numeric id is an unknown page too.
        let r = admin.get("/escuelas/abc").await;
        assert!(
            r.status == StatusCode::NOT_FOUND || r.status == StatusCode::BAD_REQUEST,
            "{}",
            r.status
        );
        assert!(
            r.content_type.starts_with("text/html"),
            "{}: {}",
            r.content_type,
            r.body
        );
        let school = app
            .school("cl", "3250", "Escuela El Peñasco", "Maule", "Linares")
            .await;
        let network = app.network("Red Linares", "Maule").await;
        let r = admin
            .post_form(
                &format!("/redes/{network}/escuelas"),
                &[("school_id", "999999")],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(app.count("SELECT COUNT(*) FROM network_schools").await, 0);
        let _ = school;
    }
);

both_databases!(
    oversized_form_is_refused,
    |app: common::TestApp| async move {
        let mut seremi = app
            .signed_in("seremi", &[grant("regional_authority", "region", "Maule")])
            .await;
        let big = "a".repeat(3 * 1024 * 1024);
        let r = seremi
            .post_form(
                "/escuelas",
                &[
                    ("country", "cl"),
                    ("official_code", "3250"),
                    ("name", "x"),
                    ("region", "Maule"),
                    ("address", &big),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 0);
    }
);

// On PostgreSQL a statement first run with a NULL latitude used to be cached
// with a `float4` parameter, and every later school with coordinates on that
// connection failed ("incorrect binary data format").
both_databases!(
    coordinates_save_after_a_school_without_them,
    |app: common::TestApp| async move {
        let mut conn = app.db.pool.acquire().await.unwrap();
        let mut ids = Vec::new();
        for (code, lat) in [
            ("3001", ""),
            ("3002", "-35.5"),
            ("3003", ""),
            ("3004", "-36.25"),
        ] {
            let input = redes::schools::model::SchoolInput {
                country: "cl".into(),
                official_code: code.into(),
                name: format!("Escuela {code}"),
                region: "Maule".into(),
                latitude: lat.into(),
                longitude: if lat.is_empty() {
                    String::new()
                } else {
                    "-71.5".into()
                },
                ..Default::default()
            };
            ids.push(
                redes::schools::store::insert(&mut conn, &input.parse().unwrap())
                    .await
                    .expect("insert"),
            );
        }
        for (id, lat) in ids.iter().zip([None, Some(-35.5), None, Some(-36.25)]) {
            let input = redes::schools::model::SchoolInput {
                country: "cl".into(),
                official_code: redes::schools::store::get(&app.db, *id)
                    .await
                    .unwrap()
                    .official_code,
                name: "Escuela editada".into(),
                region: "Maule".into(),
                latitude: lat.map(|v| v.to_string()).unwrap_or_default(),
                longitude: lat.map(|_| "-71.5".to_string()).unwrap_or_default(),
                ..Default::default()
            };
            redes::schools::store::update(&mut conn, *id, &input.parse().unwrap())
                .await
                .expect("update");
            assert_eq!(
                redes::schools::store::get(&app.db, *id)
                    .await
                    .unwrap()
                    .latitude,
                lat
            );
        }
    }
);
