//! The proposals of calls of the authorization world (issue 8 item 8):
//! red-a's proposal to its region (Biobío), red-co's proposal to its
//! district (Cartagena) and a declined one of red-a; the request bodies of
//! the proposal routes; and the snapshot that puts the proposals back after
//! an allowed write.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::common::TestApp;

/// key, network, region, province, title, status.
#[rustfmt::skip]
const PROPOSALS: [(&str, &str, &str, &str, &str, &str); 3] = [
    ("proposal-a", "red-a", "Biobío", "", "Propuesta de la Red Biobío Costa", "proposed"),
    ("proposal-co", "red-co", "Bolívar", "Cartagena", "Propuesta de los maestros de Cartagena", "proposed"),
    ("proposal-done", "red-a", "Biobío", "", "Propuesta ya declinada", "declined"),
];

pub async fn build(
    app: &TestApp,
    ids: &mut HashMap<String, i64>,
    names: &mut HashMap<String, String>,
    coordinator: i64,
) {
    for (key, network, region, province, title, status) in PROPOSALS {
        let country = if network == "red-co" { "co" } else { "cl" };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO call_proposals (network_id, country, region, province, title, body, opens_on, closes_on,
                 status, decline_reason, proposed_by, proposed_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, '', '2027-03-01', '2027-03-31', $6, $7, $8, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')
             RETURNING id",
        )
        .bind(ids[network])
        .bind(country)
        .bind(region)
        .bind(province)
        .bind(title)
        .bind(status)
        .bind(if status == "declined" { "Sin cupo" } else { "" })
        .bind(coordinator)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        ids.insert(key.to_string(), id);
        names.insert(key.to_string(), title.to_string());
    }
}

/// The body of a calls route (`None`: not one of them).
pub fn input(path: &str) -> Option<Value> {
    Some(match path {
        "/redes/{id}/convocatorias" | "/api/v1/networks/{id}/call-proposals" => json!({
            "title": "Propuesta nueva", "body": "", "opens_on": "2027-05-01",
            "closes_on": "2027-05-31", "level": "region",
        }),
        "/convocatorias/propuestas/{id}/estudio" | "/convocatorias/propuestas/{id}/emitir" => {
            json!({})
        }
        "/convocatorias/propuestas/{id}/declinar" | "/api/v1/call-proposals/{id}/decline" => {
            json!({"decline_reason": "El calendario no lo permite."})
        }
        "/api/v1/call-proposals/{id}/issue" => json!({}),
        _ => return None,
    })
}

/// What of the proposals a request may change, one line per row.
pub const FINGERPRINT: &str = "SELECT 'proposal ' || CAST(id AS TEXT) || ' ' || status || ' ' || decline_reason || ' ' || updated_at FROM call_proposals ORDER BY id";

pub type ProposalRow = (i64, String, String, Option<i64>, Option<String>, String);

pub async fn take(app: &TestApp) -> Vec<ProposalRow> {
    sqlx::query_as(
        "SELECT id, status, decline_reason, decided_by, decided_at, updated_at FROM call_proposals",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

/// Puts the proposals back as built (after the calls issued from them are
/// gone): new ones go, the others get their state back.
pub async fn restore(conn: &mut sqlx::AnyConnection, rows: &[ProposalRow]) {
    let max = rows.iter().map(|r| r.0).max().unwrap_or(0);
    sqlx::query("DELETE FROM call_proposals WHERE id > $1")
        .bind(max)
        .execute(&mut *conn)
        .await
        .unwrap();
    for (id, status, reason, by, at, updated) in rows {
        sqlx::query("UPDATE call_proposals SET status = $1, decline_reason = $2, decided_by = $3, decided_at = $4, updated_at = $5 WHERE id = $6")
            .bind(status).bind(reason).bind(by).bind(at).bind(updated).bind(id)
            .execute(&mut *conn).await.unwrap();
    }
}
