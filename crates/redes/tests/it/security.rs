//! Regression tests for the outside probe's findings (issue 6): each test
//! names the finding it keeps fixed, on SQLite and PostgreSQL.

use crate::common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::{grant, network_grant, school_grant, PASSWORD};
use serde_json::json;

fn chile_school(code: &str, name: &str, region: &str, province: &str) -> serde_json::Value {
    json!({"country": "cl", "official_code": code, "name": name, "region": region,
           "province": province, "commune": province})
}

// Finding 1: eight clients writing schools at once stalled SQLite's pool
// (a handler held one connection while asking for another) and a read
// meanwhile waited for 27 s. Every write must succeed.
both_databases!(
    parallel_school_writes_do_not_exhaust_the_pool,
    |app: common::TestApp| async move {
        app.person("admin", &[]).await;
        let token = app.token("admin").await;
        let mut tasks = Vec::new();
        for client_no in 0..8 {
            let mut client = app.client();
            let token = token.clone();
            tasks.push(tokio::spawn(async move {
                let mut statuses = Vec::new();
                for i in 0..6 {
                    let code = format!("{}", 70000 + client_no * 100 + i);
                    let created = client
                        .json(
                            "POST",
                            "/api/v1/schools",
                            Some(chile_school(&code, "Escuela", "Maule", "Talca")),
                            Some(&token),
                        )
                        .await;
                    statuses.push(created.status);
                    let id = created.json()["id"].as_i64().unwrap_or(0);
                    let updated = client
                        .json(
                            "PUT",
                            &format!("/api/v1/schools/{id}"),
                            Some(chile_school(&code, "Escuela nueva", "Maule", "Talca")),
                            Some(&token),
                        )
                        .await;
                    statuses.push(updated.status);
                }
                statuses
            }));
        }
        let mut reader = app.client();
        let read = reader
            .json("GET", "/api/v1/networks", None, Some(&token))
            .await;
        assert_eq!(read.status, StatusCode::OK);
        for task in tasks {
            for status in task.await.unwrap() {
                assert!(status.is_success(), "{status}");
            }
        }
        assert_eq!(
            app.count("SELECT COUNT(*) FROM schools WHERE name = 'Escuela nueva'")
                .await,
            48
        );
    }
);

// Finding 3: a regional authority issued a nationwide call with an empty
// (or blank) region.
both_databases!(
    a_regional_authority_cannot_issue_a_national_call,
    |app: common::TestApp| async move {
        let mut seremi = app
            .signed_in("seremi", &[grant("regional_authority", "region", "Biobío")])
            .await;
        for region in ["", "   "] {
            let refused = seremi
                .post_form(
                    "/convocatorias",
                    &[
                        ("country", "cl"),
                        ("region", region),
                        ("title", "Nacional"),
                        ("opens_on", "2027-03-01"),
                        ("closes_on", "2027-03-31"),
                    ],
                )
                .await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{region:?}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM calls").await, 0);
        let own = seremi
            .post_form(
                "/convocatorias",
                &[
                    ("country", "cl"),
                    ("region", "Biobío"),
                    ("title", "Regional"),
                    ("opens_on", "2027-03-01"),
                    ("closes_on", "2027-03-31"),
                ],
            )
            .await;
        assert_eq!(own.status, StatusCode::SEE_OTHER, "{}", own.body);
    }
);

// Finding 14: every signed-in role saw every call of every country.
both_databases!(
    calls_are_listed_to_the_territory_they_concern,
    |app: common::TestApp| async move {
        let mut ministry = app
            .signed_in("ministerio", &[grant("ministry", "national", "")])
            .await;
        for (region, title) in [("", "Llamado nacional"), ("Maule", "Llamado del Maule")] {
            let r = ministry
                .post_form(
                    "/convocatorias",
                    &[
                        ("country", "cl"),
                        ("region", region),
                        ("title", title),
                        ("opens_on", "2027-03-01"),
                        ("closes_on", "2027-03-31"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        }
        let mut biobio = app
            .signed_in("seremi", &[grant("regional_authority", "region", "Biobío")])
            .await;
        let page = biobio.get("/convocatorias").await.body;
        assert!(page.contains("Llamado nacional"), "{page}");
        assert!(!page.contains("Llamado del Maule"), "{page}");
        let mut colombia = app
            .signed_in(
                "sec",
                &[common::Grant {
                    country: "co",
                    ..grant("secretariat", "region", "Bolívar")
                }],
            )
            .await;
        let page = colombia.get("/convocatorias").await.body;
        assert!(!page.contains("Llamado nacional") && !page.contains("Maule"));
        assert!(ministry
            .get("/convocatorias")
            .await
            .body
            .contains("Llamado del Maule"));
    }
);

// Finding 4: a province change was never authorised, so a provincial
// office, a director or a coordinator could move a school or network out
// of reach.
both_databases!(
    moving_to_another_province_needs_rights_there,
    |app: common::TestApp| async move {
        let school = app
            .school("cl", "4754", "Escuela Cerro", "Biobío", "Concepción")
            .await;
        let network = app.network("Red de Talcahuano", "Biobío").await;
        let movers = [
            (
                "deprov",
                vec![grant("provincial_office", "province", "Concepción")],
            ),
            ("director", vec![school_grant("director", school)]),
            ("coord", vec![network_grant("network_coordinator", network)]),
        ];
        for (name, grants) in movers {
            app.person(name, &grants).await;
            let token = app.token(name).await;
            let mut client = app.client();
            let moved = client
                .json(
                    "PUT",
                    &format!("/api/v1/schools/{school}"),
                    Some(chile_school("4754", "Escuela Cerro", "Biobío", "Arauco")),
                    Some(&token),
                )
                .await;
            assert_eq!(
                moved.status,
                StatusCode::FORBIDDEN,
                "{name}: {}",
                moved.body
            );
            let moved = client
                .json(
                    "PUT",
                    &format!("/api/v1/networks/{network}"),
                    Some(json!({"country": "cl", "name": "Red de Talcahuano", "region": "Biobío", "province": "Arauco"})),
                    Some(&token),
                )
                .await;
            assert_eq!(
                moved.status,
                StatusCode::FORBIDDEN,
                "{name}: {}",
                moved.body
            );
        }
        // A province grant names no region: keeping the province name while
        // changing the region is a move out of the region too.
        let deprov = app.token("deprov").await;
        let crossed = app
            .client()
            .json(
                "PUT",
                &format!("/api/v1/schools/{school}"),
                Some(chile_school("4754", "Escuela Cerro", "Maule", "Concepción")),
                Some(&deprov),
            )
            .await;
        assert_eq!(crossed.status, StatusCode::FORBIDDEN, "{}", crossed.body);
        assert_eq!(
            app.text(&format!("SELECT province FROM schools WHERE id = {school}"))
                .await,
            "Concepción"
        );
        assert_eq!(
            app.text(&format!(
                "SELECT province FROM networks WHERE id = {network}"
            ))
            .await,
            ""
        );
        // Editing without moving stays allowed, and the region's authority
        // may move within its region.
        let mut director = app.client();
        director.login("director", PASSWORD).await;
        let kept = director
            .post_form(
                &format!("/escuelas/{school}"),
                &[
                    ("country", "cl"),
                    ("official_code", "4754"),
                    ("name", "Escuela Cerro Alto"),
                    ("region", "Biobío"),
                    ("province", "Concepción"),
                    ("commune", "Talcahuano"),
                ],
            )
            .await;
        assert_eq!(kept.status, StatusCode::SEE_OTHER, "{}", kept.body);
        let mut seremi = app
            .signed_in("seremi", &[grant("regional_authority", "region", "Biobío")])
            .await;
        let moved = seremi
            .json(
                "PUT",
                &format!("/api/v1/schools/{school}"),
                Some(chile_school(
                    "4754",
                    "Escuela Cerro Alto",
                    "Biobío",
                    "Arauco",
                )),
                None,
            )
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    }
);

// Finding 5: a director made their school a sede of any institution.
both_databases!(
    attaching_to_an_institution_needs_rights_on_both,
    |app: common::TestApp| async move {
        let own = app
            .school("co", "173001001201", "IE Los Ocobos", "Tolima", "Ibagué")
            .await;
        let foreign = app
            .school("co", "105001000001", "IE Medellín", "Antioquia", "Medellín")
            .await;
        let sede_of_own = app
            .school("co", "173001001202", "Sede Ocobos", "Tolima", "Ibagué")
            .await;
        let mut rector = app
            .signed_in(
                "rector",
                &[common::Grant {
                    country: "co",
                    ..school_grant("director", own)
                }],
            )
            .await;
        let body = |parent: &str| {
            json!({"country": "co", "official_code": "173001001201", "name": "IE Los Ocobos",
                   "region": "Tolima", "province": "Ibagué", "parent_code": parent})
        };
        let refused = rector
            .json(
                "PUT",
                &format!("/api/v1/schools/{own}"),
                Some(body("105001000001")),
                None,
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM schools WHERE parent_id = {foreign}"
            ))
            .await,
            0
        );
        // Finding 14: the rector sees and edits the sedes of their institution.
        let mut seremi = app
            .signed_in(
                "sec",
                &[common::Grant {
                    country: "co",
                    ..grant("secretariat", "region", "Tolima")
                }],
            )
            .await;
        let attach = json!({"country": "co", "official_code": "173001001202", "name": "Sede Ocobos",
                            "region": "Tolima", "province": "Ibagué", "parent_code": "173001001201"});
        let attached = seremi
            .json(
                "PUT",
                &format!("/api/v1/schools/{sede_of_own}"),
                Some(attach),
                None,
            )
            .await;
        assert_eq!(attached.status, StatusCode::OK, "{}", attached.body);
        let sede = rector.get(&format!("/escuelas/{sede_of_own}")).await;
        assert_eq!(sede.status, StatusCode::OK);
        assert!(sede
            .body
            .contains(&format!("/escuelas/{sede_of_own}/editar")));
        let listed = rector.get("/escuelas?q=sede").await;
        assert!(listed.body.contains("Sede Ocobos"), "{}", listed.body);
    }
);

// Findings 10 and 11: long searches, NUL bytes and huge page numbers gave
// 500; only the name had a length limit.
both_databases!(
    bad_input_is_refused_naming_the_field,
    |app: common::TestApp| async move {
        app.person("admin", &[]).await;
        let token = app.token("admin").await;
        let mut api = app.client();
        let long = "a".repeat(50_000);
        let r = api
            .json(
                "GET",
                &format!("/api/v1/schools?q={long}"),
                None,
                Some(&token),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.json()["fields"]["q"].is_string());
        let r = api
            .json(
                "GET",
                &format!("/api/v1/schools?q={}", "a".repeat(300)),
                None,
                Some(&token),
            )
            .await;
        assert!(r.json()["fields"]["q"].as_str().unwrap().contains("200"));
        let r = api
            .json(
                "GET",
                "/api/v1/schools?page=9223372036854775807",
                None,
                Some(&token),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = api
            .json("GET", "/api/v1/networks?q=a%00b", None, Some(&token))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let mut nul = chile_school("4754", "Escuela", "Maule", "Talca");
        nul["address"] = json!("calle\u{0}1");
        let r = api
            .json("POST", "/api/v1/schools", Some(nul), Some(&token))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.json()["fields"]["address"].is_string());
        // Anonymously, at the door.
        let mut anon = app.client();
        let r = anon
            .json(
                "POST",
                "/api/v1/tokens",
                Some(json!({"username": "a\u{0}", "password": "x"})),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.json()["fields"]["username"].is_string());
        let r = anon
            .post_form("/login", &[("username", "ana\0"), ("password", "x")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        // Every field has a limit, and counts a ceiling.
        let mut big = chile_school("4755", "Escuela", "Maule", "Talca");
        big["address"] = json!("x".repeat(1_900_000));
        big["classrooms"] = json!("9223372036854775807");
        let r = api
            .json("POST", "/api/v1/schools", Some(big), Some(&token))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            &r.body[..200.min(r.body.len())]
        );
        let fields = &r.json()["fields"];
        assert!(fields["address"].as_str().unwrap().contains("300"));
        assert!(fields["classrooms"].is_string());
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 0);
        // The form shows the limit next to the field.
        let mut admin = app.client();
        admin.login("admin", PASSWORD).await;
        let form = admin.get("/escuelas/nueva").await.body;
        assert!(
            form.contains("name=\"address\" type=\"text\" value=\"\" maxlength=\"300\""),
            "{form}"
        );
        assert!(form.contains("máx.</") || form.contains("(máx. 300)"));
    }
);

// Finding 13: security headers and Secure cookies behind HTTPS.
both_databases!(
    responses_carry_security_headers,
    |app: common::TestApp| async move {
        let mut client = app.client();
        for path in ["/login", "/no-existe", "/api/v1/openapi.json"] {
            let r = client.get(path).await;
            let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
            assert!(
                csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
                "{csp}"
            );
            assert!(csp.contains("frame-ancestors 'none'"));
            assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
            assert_eq!(r.headers[header::X_FRAME_OPTIONS], "DENY");
            assert!(r.headers.contains_key(header::REFERRER_POLICY));
        }
        let plain = app.client().get("/login").await;
        assert!(plain.set_cookies().iter().all(|c| !c.contains("Secure")));
        let mut behind_proxy = app.client();
        let r = behind_proxy
            .send(
                Request::get("/login")
                    .header("x-forwarded-proto", "https")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert!(r
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("redes_csrf") && c.contains("Secure")));
    }
);
