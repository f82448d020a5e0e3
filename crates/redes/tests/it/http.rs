//! Integration tests through the real router, on SQLite and PostgreSQL.

use crate::common;

use axum::http::StatusCode;
use common::grant;

both_databases!(login_logout_and_home, |app: common::TestApp| async move {
    let mut client = app
        .signed_in("ana", &[grant("regional_authority", "region", "Maule")])
        .await;
    assert!(client.has_session());
    let home = client.get("/").await;
    assert!(home.body.contains("Persona ana"), "{}", home.body);
    let out = client.post_form("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(client.get("/escuelas").await.status, StatusCode::SEE_OTHER);
});

both_databases!(
    school_lifecycle_and_duplicate_code,
    |app: common::TestApp| async move {
        let mut client = app
            .signed_in("seremi", &[grant("regional_authority", "region", "Maule")])
            .await;
        let fields = [
            ("country", "cl"),
            ("official_code", "3250"),
            ("name", "Escuela Rural El Peñasco"),
            ("region", "Maule"),
            ("province", "Linares"),
            ("latitude", "-35,84"),
            ("longitude", "-71.6"),
        ];
        let created = client.post_form("/escuelas", &fields).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let again = client.post_form("/escuelas", &fields).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            again
                .body
                .contains("Ya existe una escuela con el código RBD 3250"),
            "{}",
            again.body
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 1);
        let list = client.get("/escuelas?q=penasco").await;
        assert!(list.body.contains("Escuela Rural El Peñasco"));
    }
);

both_databases!(
    administrators_create_accounts_and_grant_roles,
    |app: common::TestApp| async move {
        let school = app
            .school(
                "cl",
                "4754",
                "Escuela Cerro San Francisco",
                "Biobío",
                "Concepción",
            )
            .await;
        let mut admin = app.signed_in("admin.redes", &[]).await;
        let short = admin
            .post_form(
                "/personas",
                &[
                    ("full_name", "Rosa Díaz"),
                    ("username", "rosa.diaz"),
                    ("password", "corta"),
                ],
            )
            .await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            short.body.contains("al menos 10 caracteres"),
            "{}",
            short.body
        );
        assert!(
            short.body.contains("value=\"rosa.diaz\""),
            "the username is kept"
        );
        assert!(
            !short.body.contains("corta"),
            "the password is never echoed"
        );

        let fields = [
            ("full_name", "Rosa Díaz"),
            ("username", "rosa.diaz"),
            ("password", "una-clave-larga"),
        ];
        let created = admin.post_form("/personas", &fields).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let again = admin.post_form("/personas", &fields).await;
        assert!(
            again.body.contains("El usuario «rosa.diaz» ya existe"),
            "{}",
            again.body
        );
        let person = created.location.unwrap();
        let granted = admin
            .post_form(
                &format!("{person}/roles"),
                &[
                    ("role", "teacher"),
                    ("country", "cl"),
                    ("school_code", "4754"),
                ],
            )
            .await;
        assert_eq!(granted.status, StatusCode::SEE_OTHER, "{}", granted.body);
        let unknown = admin
            .post_form(
                &format!("{person}/roles"),
                &[
                    ("role", "teacher"),
                    ("country", "cl"),
                    ("school_code", "99999"),
                ],
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown
                .body
                .contains("No existe una escuela con ese código"),
            "{}",
            unknown.body
        );

        // The new teacher signs in and sees her school, and is not an administrator.
        let mut rosa = app.client();
        rosa.login("rosa.diaz", "una-clave-larga").await;
        assert!(rosa
            .get("/escuelas")
            .await
            .body
            .contains("Escuela Cerro San Francisco"));
        assert_eq!(
            rosa.get(&format!("/escuelas/{school}")).await.status,
            StatusCode::OK
        );
        assert_eq!(rosa.get("/personas").await.status, StatusCode::FORBIDDEN);
        let refused = rosa
            .post_form("/personas", &[("full_name", "Intrusa")])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(app.count("SELECT COUNT(*) FROM people").await, 2);
    }
);

both_databases!(
    expired_sessions_are_refused_and_forgotten,
    |app: common::TestApp| async move {
        let id = app
            .person("beatriz", &[grant("regional_authority", "region", "Maule")])
            .await;
        sqlx::query("INSERT INTO sessions (token_hash, person_id, created_at, expires_at) VALUES ($1, $2, '2020-01-01T00:00:00Z', '2020-01-15T00:00:00Z')")
        .bind(redes::auth::token_hash("old-token"))
        .bind(id)
        .execute(&app.db.pool)
        .await
        .unwrap();
        let mut stale = app.client();
        stale.set_cookie("redes_session", Some("old-token"));
        assert_eq!(
            stale.get("/escuelas").await.status,
            StatusCode::SEE_OTHER,
            "an expired session is not accepted"
        );
        let mut fresh = app.client();
        fresh.login("beatriz", common::PASSWORD).await;
        assert!(fresh.has_session());
        assert_eq!(
            app.count("SELECT COUNT(*) FROM sessions WHERE expires_at < '2021-01-01'")
                .await,
            0
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 1);
    }
);

both_databases!(
    people_are_edited_archived_and_paged,
    |app: common::TestApp| async move {
        let mut admin = app.signed_in("admin.redes", &[]).await;
        let ana = app
            .person(
                "ana.perez",
                &[grant("regional_authority", "region", "Maule")],
            )
            .await;
        let mut ana_client = app.client();
        ana_client.login("ana.perez", common::PASSWORD).await;
        assert!(ana_client.has_session());
        // Her session is now known (and remembered, see `memo`): each write
        // below must still be seen on her very next request.
        assert_eq!(ana_client.get("/escuelas").await.status, StatusCode::OK);

        let bad = admin
            .post_form(
                &format!("/personas/{ana}"),
                &[
                    ("full_name", " "),
                    ("email", "ana@maule.cl"),
                    ("password", ""),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("El nombre es obligatorio") && bad.body.contains("ana@maule.cl"),
            "{}",
            bad.body
        );
        let renamed = admin
            .post_form(
                &format!("/personas/{ana}"),
                &[
                    ("full_name", "Ana Pérez Soto"),
                    ("email", "ana@maule.cl"),
                    ("password", "otra-clave-larga"),
                ],
            )
            .await;
        assert_eq!(renamed.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.text(&format!("SELECT full_name FROM people WHERE id = {ana}"))
                .await,
            "Ana Pérez Soto"
        );
        // A new password ends her open sessions; the new one works.
        assert_eq!(
            ana_client.get("/escuelas").await.status,
            StatusCode::SEE_OTHER
        );
        let mut again = app.client();
        again.login("ana.perez", "otra-clave-larga").await;
        assert!(again.has_session());
        assert_eq!(again.get("/escuelas").await.status, StatusCode::OK);

        let archived = admin
            .post_form(&format!("/personas/{ana}/archivar"), &[])
            .await;
        assert_eq!(archived.status, StatusCode::SEE_OTHER);
        assert_eq!(
            again.get("/escuelas").await.status,
            StatusCode::SEE_OTHER,
            "an archived person is signed out"
        );
        let mut locked = app.client();
        assert!(!locked
            .login("ana.perez", "otra-clave-larga")
            .await
            .body
            .is_empty());
        assert!(!locked.has_session(), "an archived person cannot sign in");
        assert!(
            !admin
                .get("/personas?q=perez")
                .await
                .body
                .contains("Ana Pérez Soto"),
            "archived people are hidden by default"
        );
        assert!(admin
            .get("/personas?q=perez&archived=true")
            .await
            .body
            .contains("Ana Pérez Soto"));
        let own = admin
            .post_form(
                &format!(
                    "/personas/{}/archivar",
                    app.count("SELECT id FROM people WHERE username = 'admin.redes'")
                        .await
                ),
                &[],
            )
            .await;
        assert_eq!(
            own.status,
            StatusCode::BAD_REQUEST,
            "nobody archives their own account"
        );

        for i in 0..55 {
            app.person(&format!("persona.{i:02}"), &[]).await;
        }
        let first = admin.get("/personas").await;
        assert!(
            first.body.contains("56 personas"),
            "55 new plus the administrator: {}",
            first.body
        );
        assert!(first.body.contains("pagina=2"));
        let second = admin.get("/personas?q=&archived=false&pagina=2").await;
        assert_eq!(
            second.body.matches("<tr><td><a href=\"/personas/").count(),
            6
        );
    }
);

/// Everything the application logs, kept for the test to read.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// A log line says which route it happened on and for whom: the request's
/// span carries the matched route (not the raw path) and the person's id.
#[tokio::test]
async fn each_request_logs_its_route_and_person() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("redes=info,tower_http=debug")
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    // This thread only: the test's runtime runs every request on it.
    let _guard = tracing::subscriber::set_default(subscriber);
    let app = common::TestApp::new(redes::db::Backend::Sqlite).await;
    let network = app.network("Red Talca", "Maule").await;
    let person = app
        .person("ana", &[grant("regional_authority", "region", "Maule")])
        .await;
    let mut client = app.client();
    client.login("ana", common::PASSWORD).await;
    // The other tests of the binary run at the same time without a
    // subscriber; a log call site they reached first may remember "nobody
    // listens". By now every call site of a request is registered: look
    // again, for this thread's subscriber.
    tracing::callsite::rebuild_interest_cache();
    let page = client.get(&format!("/redes/{network}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let line = log
        .lines()
        .find(|l| l.contains("route=/redes/{id}") && l.contains("finished processing request"))
        .unwrap_or_else(|| panic!("no line for the network page in:\n{log}"));
    assert!(line.contains(&format!("user={person}")), "{line}");
    // Without a session there is no person to name.
    client.post_form("/logout", &[]).await;
    client.get("/censo").await;
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let anonymous = log
        .lines()
        .find(|l| l.contains("route=/censo") && l.contains("finished processing request"))
        .unwrap_or_else(|| panic!("no line for the census in:\n{log}"));
    assert!(!anonymous.contains("user="), "{anonymous}");
    app.finish().await;
}

both_databases!(
    pages_are_compressed_and_assets_cached_by_version,
    |app: common::TestApp| async move {
        let mut client = app
            .signed_in("ana", &[grant("regional_authority", "region", "Maule")])
            .await;
        let ask = |site: &str| {
            axum::http::Request::get("/escuelas")
                .header("accept-encoding", "gzip")
                .header("sec-fetch-site", site)
                .body(axum::body::Body::empty())
                .unwrap()
        };
        let same = client.send(ask("same-origin")).await;
        assert_eq!(same.status, StatusCode::OK);
        assert_eq!(same.headers.get("content-encoding").unwrap(), "gzip");
        // A page asked for by another site is not compressed (BREACH).
        let other = client.send(ask("cross-site")).await;
        assert!(other.headers.get("content-encoding").is_none());
        assert!(other.body.contains("Escuelas"));

        // The page names its style sheet with a version; that URL is kept
        // for a year, any other only briefly.
        let home = client.get("/").await;
        let start = home
            .body
            .find("/static/app.css?v=")
            .expect("versioned style sheet");
        let url = &home.body[start..];
        let url = &url[..url.find('"').unwrap()];
        let versioned = client.get(url).await;
        assert_eq!(versioned.status, StatusCode::OK);
        assert!(versioned.content_type.starts_with("text/css"));
        assert_eq!(
            versioned.headers.get("cache-control").unwrap(),
            "public, max-age=31536000, immutable"
        );
        let old = client.get("/static/app.css?v=0123456789ab").await;
        assert_eq!(old.status, StatusCode::OK);
        assert_eq!(
            old.headers.get("cache-control").unwrap(),
            "public, max-age=300"
        );
    }
);
