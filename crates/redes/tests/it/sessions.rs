//! Regression tests for the probe's findings on signing in and sessions
//! (issue 6, findings 6 to 9): redirects, throttling, API tokens, CSRF; on
//! SQLite and PostgreSQL. The other findings are in `security.rs`.

use crate::common;

use axum::http::StatusCode;
use common::{grant, PASSWORD};

// Finding 6: open redirects through `next`.
both_databases!(
    redirects_stay_on_the_site,
    |app: common::TestApp| async move {
        let mut client = app.client();
        for next in [
            "/%09/evil.example/x",
            "/%5Cevil.example/x",
            "//evil.example",
            "/%0a/evil.example",
        ] {
            let r = client.get(&format!("/idioma/en?next={next}")).await;
            assert_eq!(r.location.as_deref(), Some("/"), "{next}");
        }
        app.person("ana", &[]).await;
        let r = client
            .post_form(
                "/login",
                &[
                    ("username", "ana"),
                    ("password", PASSWORD),
                    ("next", "/\t/evil.example"),
                ],
            )
            .await;
        assert_eq!(r.location.as_deref(), Some("/"));
        let r = client.get("/idioma/es?next=/escuelas%3Fq%3Dliceo").await;
        assert_eq!(r.location.as_deref(), Some("/escuelas?q=liceo"));
    }
);

// Finding 7: throttling by username only, in memory; anyone could lock
// any account; 40 usernames × 1 attempt were never throttled.
both_databases!(
    login_throttling_counts_sources_and_does_not_lock_the_owner_out,
    |app: common::TestApp| async move {
        app.person("ana", &[]).await;
        let mut attacker = app.client();
        let from = |ip: &'static str| [("x-forwarded-for", ip)];
        for _ in 0..5 {
            let r = attacker
                .post_form_with(
                    "/login",
                    &[("username", "ana"), ("password", "mala")],
                    &from("203.0.113.9"),
                )
                .await;
            assert!(r.body.contains("incorrectos"));
        }
        let locked = attacker
            .post_form_with(
                "/login",
                &[("username", "ana"), ("password", PASSWORD)],
                &from("203.0.113.9"),
            )
            .await;
        assert!(
            locked.body.contains("Demasiados intentos"),
            "{}",
            locked.body
        );
        // The owner, elsewhere, still signs in.
        let mut owner = app.client();
        let ok = owner
            .post_form_with(
                "/login",
                &[("username", "ana"), ("password", PASSWORD)],
                &from("198.51.100.7"),
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        // One source trying many usernames is stopped too.
        let mut sprayer = app.client();
        let mut stopped = false;
        for i in 0..40 {
            let user = format!("nadie{i}");
            let r = sprayer
                .post_form_with(
                    "/login",
                    &[("username", &user), ("password", "x")],
                    &from("192.0.2.44"),
                )
                .await;
            stopped |= r.body.contains("Demasiados intentos");
        }
        assert!(
            stopped,
            "40 usernames from one address were never throttled"
        );
        // Whatever is typed, a failure is a fixed-size row in the database.
        let huge = "u".repeat(100_000);
        attacker
            .post_form_with(
                "/login",
                &[("username", &huge), ("password", "x")],
                &from("203.0.113.10"),
            )
            .await;
        assert_eq!(
            app.count("SELECT COUNT(*) FROM login_failures WHERE LENGTH(key) <> 64")
                .await,
            0
        );
    }
);

// Finding 8: API tokens never expired, could not be listed or revoked,
// and outlived a password change.
both_databases!(
    api_tokens_expire_are_revoked_and_end_with_the_password,
    |app: common::TestApp| async move {
        let admin = app.signed_in("admin", &[]).await;
        drop(admin);
        let id = app.person("ana", &[]).await;
        let token = app.token("ana").await;
        let mut api = app.client();
        let listed = api.json("GET", "/api/v1/tokens", None, Some(&token)).await;
        assert_eq!(listed.status, StatusCode::OK);
        let items = listed.json();
        assert_eq!(items.as_array().unwrap().len(), 1);
        assert!(items[0]["expires_at"].as_str().unwrap() > "2026");
        assert!(!listed.body.contains(&token));
        // Revoked from the person's page: the token stops working.
        let mut ana = app.client();
        ana.login("ana", PASSWORD).await;
        let page = ana.get("/cuenta/tokens").await;
        assert!(page.body.contains("/revocar"), "{}", page.body);
        let token_id = items[0]["id"].as_i64().unwrap();
        let revoked = ana
            .post_form(&format!("/cuenta/tokens/{token_id}/revocar"), &[])
            .await;
        assert_eq!(revoked.status, StatusCode::SEE_OTHER);
        let after = api.json("GET", "/api/v1/schools", None, Some(&token)).await;
        assert_eq!(after.status, StatusCode::UNAUTHORIZED);
        // Expired tokens are refused.
        let old = app.token("ana").await;
        sqlx::query("UPDATE api_tokens SET expires_at = '2020-01-01T00:00:00Z'")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let expired = api.json("GET", "/api/v1/schools", None, Some(&old)).await;
        assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
        // A new password ends every token.
        let fresh = app.token("ana").await;
        let mut admin = app.client();
        admin.login("admin", PASSWORD).await;
        let changed = admin
            .post_form(
                &format!("/personas/{id}"),
                &[
                    ("full_name", "Ana"),
                    ("email", ""),
                    ("password", "otra-clave-segura-9"),
                ],
            )
            .await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
        let ended = api.json("GET", "/api/v1/schools", None, Some(&fresh)).await;
        assert_eq!(ended.status, StatusCode::UNAUTHORIZED);
        // Nobody revokes another person's token.
        let other = app.token("admin").await;
        let other_id: i64 = app.count("SELECT MAX(id) FROM api_tokens").await;
        let mut ana = app.client();
        ana.login("ana", "otra-clave-segura-9").await;
        let refused = ana
            .post_form(&format!("/cuenta/tokens/{other_id}/revocar"), &[])
            .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        let works = api.json("GET", "/api/v1/schools", None, Some(&other)).await;
        assert_eq!(works.status, StatusCode::OK);
    }
);

// Finding 9: the CSRF token was not bound to the session, did not rotate
// at login, and no Origin was checked.
both_databases!(
    csrf_is_bound_to_the_session_and_to_this_site,
    |app: common::TestApp| async move {
        app.person("ana", &[grant("regional_authority", "region", "Maule")])
            .await;
        let mut client = app.client();
        let before = client.csrf().await;
        client.login("ana", PASSWORD).await;
        let after = client.cookie("redes_csrf").unwrap();
        assert_ne!(before, after, "the token rotates at login");
        // The token seen before login no longer works.
        let stale = client
            .post_form_raw(
                "/convocatorias",
                &[
                    ("country", "cl"),
                    ("region", "Maule"),
                    ("title", "x"),
                    ("opens_on", "2027-03-01"),
                    ("closes_on", "2027-03-31"),
                ],
                Some(&before),
            )
            .await;
        assert_eq!(stale.status, StatusCode::BAD_REQUEST);
        // Another session's token does not work in this one.
        let mut other = app.client();
        other.login("ana", PASSWORD).await;
        let foreign = other.cookie("redes_csrf").unwrap();
        assert_ne!(foreign, after);
        let r = client
            .post_form_raw(
                "/convocatorias",
                &[
                    ("country", "cl"),
                    ("region", "Maule"),
                    ("title", "x"),
                    ("opens_on", "2027-03-01"),
                    ("closes_on", "2027-03-31"),
                ],
                Some(&foreign),
            )
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        // A request another site makes is refused even with the token.
        for headers in [
            [("origin", "https://evil.example")],
            [("sec-fetch-site", "cross-site")],
        ] {
            let r = client
                .post_form_with(
                    "/convocatorias",
                    &[
                        ("country", "cl"),
                        ("title", "x"),
                        ("opens_on", "2027-03-01"),
                        ("closes_on", "2027-03-31"),
                    ],
                    &headers,
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{headers:?}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM calls").await, 0);
        let same = client
            .post_form_with(
                "/convocatorias",
                &[
                    ("country", "cl"),
                    ("region", "Maule"),
                    ("title", "Propia"),
                    ("opens_on", "2027-03-01"),
                    ("closes_on", "2027-03-31"),
                ],
                &[("sec-fetch-site", "same-origin")],
            )
            .await;
        assert_eq!(same.status, StatusCode::SEE_OTHER, "{}", same.body);
    }
);

// The review after the fix: attempts sent at once all passed the check
// before any failure was counted.
both_databases!(
    simultaneous_attempts_are_counted_before_the_password_is_checked,
    |app: common::TestApp| async move {
        app.person("ana", &[]).await;
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let mut client = app.client();
            tasks.push(tokio::spawn(async move {
                client
                    .post_form_with(
                        "/login",
                        &[("username", "ana"), ("password", "mala")],
                        &[("x-forwarded-for", "203.0.113.50")],
                    )
                    .await
                    .body
            }));
        }
        let mut checked = 0;
        for task in tasks {
            if task.await.unwrap().contains("incorrectos") {
                checked += 1;
            }
        }
        assert!(
            checked <= 5,
            "{checked} of 20 simultaneous guesses were checked"
        );
    }
);

// A token cannot mint its own successor on the token page.
both_databases!(
    a_token_cannot_create_or_revoke_tokens,
    |app: common::TestApp| async move {
        app.person("ana", &[]).await;
        let token = app.token("ana").await;
        let mut api = app.client();
        let r = api
            .send(
                axum::http::Request::post("/cuenta/tokens")
                    .header("authorization", format!("Bearer {token}"))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(axum::body::Body::from("label=otro"))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        assert_eq!(app.count("SELECT COUNT(*) FROM api_tokens").await, 1);
    }
);
