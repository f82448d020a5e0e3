//! The school registry through its pages: create, edit, archive, filters,
//! search, pagination and sedes (networks: `networks.rs`; bad input:
//! `bad_input.rs`).

use crate::common;

use axum::http::StatusCode;
use common::grant;

/// Undoes the HTML escaping of attribute values (`/` → `&#x2f;`, `&` → `&amp;`).
pub(crate) fn unescape(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Ids of the schools linked from a list page, in order.
pub(crate) fn school_links(body: &str) -> Vec<i64> {
    body.split("href=\"/escuelas/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next().and_then(|id| id.parse().ok()))
        .collect()
}

pub(crate) fn id_from(location: &Option<String>, prefix: &str) -> i64 {
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

pub(crate) fn common_encode(text: &str) -> String {
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
                .contains("No existe una institución con el código 173001009999"),
            "{}",
            orphan.body
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 3);
    }
);
