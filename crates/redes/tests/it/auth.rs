//! Accounts: login, throttling, logout, session cookie, password hashes,
//! CSRF protection on forms and JSON, and the language switch.

use crate::common;

use axum::http::StatusCode;
use common::{grant, PASSWORD};

both_databases!(
    wrong_password_is_refused_without_a_session,
    |app: common::TestApp| async move {
        app.person("ana", &[grant("regional_authority", "region", "Maule")])
            .await;
        let mut client = app.client();
        let response = client.login("ana", "no-es-la-clave").await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            response.body.contains("Usuario o contraseña incorrectos."),
            "{}",
            response.body
        );
        // The typed username is kept, the password is not echoed.
        assert!(response.body.contains("value=\"ana\""), "{}", response.body);
        assert!(!response.body.contains("no-es-la-clave"));
        assert!(!client.has_session());
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
        // An unknown user gets the same message (no user enumeration).
        let unknown = client.login("nadie", PASSWORD).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.body.contains("Usuario o contraseña incorrectos."));
        // Pages still need a login.
        let page = client.get("/escuelas").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(page.location.as_deref(), Some("/login?next=%2Fescuelas"));
    }
);

both_databases!(
    five_failures_lock_the_username_even_with_the_right_password,
    |app: common::TestApp| async move {
        app.person("beto", &[]).await;
        app.person("carla", &[]).await;
        let mut client = app.client();
        for _ in 0..5 {
            let r = client.login("beto", "equivocada").await;
            assert!(r.body.contains("Usuario o contraseña incorrectos."));
        }
        let locked = client.login("beto", PASSWORD).await;
        assert_eq!(locked.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            locked.body.contains("Demasiados intentos fallidos"),
            "{}",
            locked.body
        );
        assert!(!client.has_session());
        // Case and spaces do not get around the lock.
        let locked = client.login(" BETO ", PASSWORD).await;
        assert!(locked.body.contains("Demasiados intentos fallidos"));
        // The token endpoint shares the lock.
        let api = app
            .client()
            .json(
                "POST",
                "/api/v1/tokens",
                Some(serde_json::json!({"username": "beto", "password": PASSWORD})),
                None,
            )
            .await;
        assert!(api.status.is_client_error(), "{}", api.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM api_tokens").await, 0);
        // Other usernames are not affected.
        let other = client.login("carla", PASSWORD).await;
        assert_eq!(other.status, StatusCode::SEE_OTHER);
        assert!(client.has_session());
    }
);

both_databases!(
    logout_ends_the_session_on_the_server,
    |app: common::TestApp| async move {
        let mut client = app
            .signed_in("dora", &[grant("regional_authority", "region", "Maule")])
            .await;
        let token = client.cookie("redes_session").expect("session cookie");
        assert_eq!(client.get("/escuelas").await.status, StatusCode::OK);
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
        let out = client.post_form("/logout", &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert!(!client.has_session());
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
        // Replaying the old cookie does not bring the session back.
        client.set_cookie("redes_session", Some(&token));
        let again = client.get("/escuelas").await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        assert!(again.location.unwrap().starts_with("/login"));
        let api = client.json("GET", "/api/v1/schools", None, None).await;
        assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    }
);

both_databases!(
    session_cookie_is_http_only_and_passwords_are_argon2id,
    |app: common::TestApp| async move {
        app.person("elena", &[]).await;
        let mut client = app.client();
        let response = client.login("elena", PASSWORD).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER);
        let cookies = response.set_cookies();
        let session = cookies
            .iter()
            .find(|c| c.starts_with("redes_session="))
            .expect("session cookie set");
        assert!(session.contains("HttpOnly"), "{session}");
        assert!(session.contains("SameSite=Lax"), "{session}");
        assert!(session.contains("Path=/"), "{session}");
        // The cookie holds a random token; the database only its hash.
        let value = client.cookie("redes_session").unwrap();
        assert!(value.len() >= 32);
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM sessions WHERE token_hash = '{value}'"
            ))
            .await,
            0
        );
        let hash = app
            .text("SELECT password_hash FROM people WHERE username = 'elena'")
            .await;
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(!hash.contains(PASSWORD));
    }
);

both_databases!(
    login_follows_only_local_next,
    |app: common::TestApp| async move {
        app.person("fabi", &[]).await;
        let mut client = app.client();
        let r = client
            .post_form(
                "/login",
                &[
                    ("username", "fabi"),
                    ("password", PASSWORD),
                    ("next", "https://evil.example/"),
                ],
            )
            .await;
        assert_eq!(r.location.as_deref(), Some("/"));
        let mut client = app.client();
        let r = client
            .post_form(
                "/login",
                &[
                    ("username", "fabi"),
                    ("password", PASSWORD),
                    ("next", "/redes"),
                ],
            )
            .await;
        assert_eq!(r.location.as_deref(), Some("/redes"));
    }
);

const SCHOOL: [(&str, &str); 5] = [
    ("country", "cl"),
    ("official_code", "3250"),
    ("name", "Escuela El Peñasco"),
    ("region", "Maule"),
    ("province", "Linares"),
];

both_databases!(
    form_posts_without_a_valid_csrf_token_are_refused,
    |app: common::TestApp| async move {
        let mut client = app
            .signed_in("gabi", &[grant("regional_authority", "region", "Maule")])
            .await;
        let missing = client.post_form_raw("/escuelas", &SCHOOL, None).await;
        assert_eq!(missing.status, StatusCode::BAD_REQUEST);
        assert!(missing.body.contains("CSRF"), "{}", missing.body);
        let wrong = client
            .post_form_raw("/escuelas", &SCHOOL, Some("0123456789abcdef"))
            .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 0);
        // Logout is a form too: without the token the session survives.
        let out = client.post_form_raw("/logout", &[], None).await;
        assert_eq!(out.status, StatusCode::BAD_REQUEST);
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
        // Login forms need it as well (login CSRF).
        let mut stranger = app.client();
        let login = stranger
            .post_form_raw(
                "/login",
                &[("username", "gabi"), ("password", PASSWORD)],
                None,
            )
            .await;
        assert_eq!(login.status, StatusCode::BAD_REQUEST);
        assert!(!stranger.has_session());
        // With the token the same form works.
        let ok = client.post_form("/escuelas", &SCHOOL).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 1);
    }
);

both_databases!(
    json_with_a_session_needs_the_csrf_header_but_bearer_does_not,
    |app: common::TestApp| async move {
        let mut client = app
            .signed_in("hugo", &[grant("regional_authority", "region", "Maule")])
            .await;
        let body = serde_json::json!({"country": "cl", "official_code": "3251", "name": "Escuela Vega", "region": "Maule"}).to_string();
        let refused = client.json_raw("POST", "/api/v1/schools", &body, &[]).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
        assert!(refused.json()["error"].as_str().unwrap().contains("CSRF"));
        let wrong = client
            .json_raw(
                "POST",
                "/api/v1/schools",
                &body,
                &[("x-csrf-token", "nope")],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        // A form-encoded body cannot sneak past the JSON route either.
        let form = client
            .post_form_raw("/api/v1/schools", &[("name", "x")], None)
            .await;
        assert_eq!(form.status, StatusCode::BAD_REQUEST);
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 0);
        // Session plus header: accepted.
        let csrf = client.cookie("redes_csrf").unwrap();
        let ok = client
            .json_raw("POST", "/api/v1/schools", &body, &[("x-csrf-token", &csrf)])
            .await;
        assert_eq!(ok.status, StatusCode::CREATED, "{}", ok.body);
        // Bearer token, no cookies, no CSRF: accepted.
        let token = app.token("hugo").await;
        let mut api = app.client();
        let body2 = serde_json::json!({"country": "cl", "official_code": "3252", "name": "Escuela Lomas", "region": "Maule"});
        let created = api
            .json("POST", "/api/v1/schools", Some(body2), Some(&token))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 2);
        // A made-up bearer token is refused outright.
        let bad = app
            .client()
            .json("GET", "/api/v1/schools", None, Some("not-a-token"))
            .await;
        assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
        assert!(bad.json()["error"].is_string());
    }
);

both_databases!(
    language_switch_renders_pages_in_english,
    |app: common::TestApp| async move {
        let mut client = app.client();
        let spanish = client.get("/login").await;
        assert!(spanish.body.contains("<html lang=\"es\">"));
        assert!(spanish.body.contains("Iniciar sesión"));
        let switch = client.get("/idioma/en?next=/login").await;
        assert_eq!(switch.status, StatusCode::SEE_OTHER);
        assert_eq!(switch.location.as_deref(), Some("/login"));
        assert!(switch
            .set_cookies()
            .iter()
            .any(|c| c.starts_with("lang=en")));
        assert_eq!(client.cookie("lang").as_deref(), Some("en"));
        let english = client.get("/login").await;
        assert!(
            english.body.contains("<html lang=\"en\">"),
            "{}",
            english.body
        );
        assert!(english.body.contains("Sign in"), "{}", english.body);
        assert!(!english.body.contains("Iniciar sesión"));
        // Errors are translated too, and the switch back works.
        let failed = client.login("nadie", "x").await;
        assert!(failed.body.contains("<html lang=\"en\">"));
        // An external `next` is not followed.
        let external = client.get("/idioma/es?next=//evil.example").await;
        assert_eq!(external.location.as_deref(), Some("/"));
        assert!(client
            .get("/login")
            .await
            .body
            .contains("<html lang=\"es\">"));
    }
);
