//! The two migration sets (SQLite and PostgreSQL) must build the same
//! tables with the same columns, so every query runs on both.

use crate::common;

use std::collections::BTreeSet;

use redes::db::Backend;

/// (table, column, nullable) of every application table.
async fn columns(app: &common::TestApp) -> BTreeSet<(String, String, bool)> {
    let rows: Vec<(String, String, bool)> = match app.db.backend {
        Backend::Sqlite => {
            let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
                "SELECT m.name, p.name, p.\"notnull\", p.pk FROM sqlite_master m JOIN pragma_table_info(m.name) p
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'",
            )
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
            // INTEGER PRIMARY KEY columns are never NULL even if not declared so.
            rows.into_iter()
                .map(|(t, c, notnull, pk)| (t, c, notnull == 0 && pk == 0))
                .collect()
        }
        Backend::Postgres => {
            let rows: Vec<(String, String, String)> = sqlx::query_as(
                "SELECT table_name::text, column_name::text, is_nullable::text FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%'",
            )
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
            rows.into_iter()
                .map(|(t, c, nullable)| (t, c, nullable == "YES"))
                .collect()
        }
    };
    rows.into_iter().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_have_the_same_tables_and_columns() {
    let sqlite = common::TestApp::new(Backend::Sqlite).await;
    let postgres = common::TestApp::new(Backend::Postgres).await;
    let a = columns(&sqlite).await;
    let b = columns(&postgres).await;
    let tables: BTreeSet<&str> = a.iter().map(|(t, _, _)| t.as_str()).collect();
    for expected in [
        "schools",
        "networks",
        "network_schools",
        "network_years",
        "people",
        "memberships",
        "sessions",
        "api_tokens",
        "calls",
    ] {
        assert!(tables.contains(expected), "no table {expected}: {tables:?}");
    }
    let only_sqlite: Vec<_> = a.difference(&b).collect();
    let only_postgres: Vec<_> = b.difference(&a).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "migrations differ\nonly in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_postgres:#?}"
    );
    // Migrating again is a no-op on both.
    redes::db::migrate(&sqlite.db).await.unwrap();
    redes::db::migrate(&postgres.db).await.unwrap();
    assert_eq!(columns(&sqlite).await, a);
    sqlite.finish().await;
    postgres.finish().await;
}

#[test]
fn both_dialects_have_the_same_migration_files() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let names = |d: &str| -> BTreeSet<String> {
        std::fs::read_dir(dir.join(d))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(names("sqlite"), names("postgres"));
}
