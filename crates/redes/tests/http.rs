//! Integration tests through the real router, on SQLite and PostgreSQL.

mod common;

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
                .contains("ya existe una escuela con el código RBD 3250"),
            "{}",
            again.body
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 1);
        let list = client.get("/escuelas?q=penasco").await;
        assert!(list.body.contains("Escuela Rural El Peñasco"));
    }
);
