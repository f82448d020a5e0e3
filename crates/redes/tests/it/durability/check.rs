//! What the probe checks after each restart: the whole store against the
//! ledger, then this burst's acknowledged writes through the API.

use std::collections::HashMap;

use axum::http::Method;
use redes::db::Db;
use serde_json::{json, Value};
use sqlx::{Column, Row};

use super::server::{http, send, Store};
use super::writes::Ledger;

/// The fields that differ between what was sent (all text, as a form
/// would send it) and what is stored, where numbers compare as numbers.
pub fn differences(sent: &Value, stored: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (key, value) in sent.as_object().expect("payload object") {
        let want = value.as_str().unwrap_or_default();
        let same = match &stored[key] {
            Value::String(s) => s == want,
            Value::Number(n) => want.parse::<f64>().ok() == n.as_f64(),
            Value::Null => want.is_empty(),
            _ => false,
        };
        if !same {
            out.push(format!("{key}: sent {value}, stored {}", stored[key]));
        }
    }
    out
}

/// The rows of a query as JSON objects, to compare them like API answers.
/// Each value decodes as text, integer or float, whichever its column is.
async fn rows(db: &Db, sql: &str) -> Vec<Value> {
    let rows = sqlx::query(sql).fetch_all(&db.pool).await.expect(sql);
    rows.iter()
        .map(|row| {
            let object = row.columns().iter().map(|column| {
                let i = column.ordinal();
                let value = if let Ok(v) = row.try_get::<Option<String>, _>(i) {
                    json!(v)
                } else if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
                    json!(v)
                } else {
                    match row.try_get::<Option<f64>, _>(i) {
                        Ok(v) => json!(v),
                        Err(e) => panic!("column {}: {e}", column.name()),
                    }
                };
                (column.name().to_string(), value)
            });
            Value::Object(object.collect())
        })
        .collect()
}

/// What a check after a restart found.
#[derive(Default)]
pub struct Check {
    pub found: usize,
    pub lost: Vec<String>,
    pub committed_unanswered: usize,
}

/// Reads the whole store and compares it with the ledger: acknowledged
/// writes present as sent, no row that was never sent or only half written.
pub async fn check_store(store: &Store, ledger: &mut Ledger) -> Check {
    let db = redes::db::connect(&store.url).await.expect("connect");
    let mut check = Check::default();
    if store.schema.is_none() {
        let result: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&db.pool)
            .await
            .expect("integrity_check");
        if result != ["ok"] {
            check.lost.push(format!("integrity_check: {result:?}"));
        }
    }
    // A network is founded with its census year in one transaction.
    let half: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM networks n WHERE NOT EXISTS (SELECT 1 FROM network_years y
         WHERE y.network_id = n.id AND y.active = 1 AND (n.since_year IS NULL OR y.year = n.since_year))",
    )
    .fetch_all(&db.pool)
    .await
    .expect("network years");
    check.lost.extend(
        half.iter()
            .map(|n| format!("network «{n}» without its year")),
    );

    let by = |rows: Vec<Value>, key: &str| -> HashMap<String, Value> {
        rows.into_iter()
            .map(|row| (row[key].as_str().unwrap_or_default().to_string(), row))
            .collect()
    };
    let stored_networks = by(
        rows(&db, "SELECT id, country, kind, name, region, province, since_year, objective, key_idea FROM networks").await,
        "name",
    );
    let stored_schools = by(
        rows(&db, "SELECT id, country, official_code, name, levels, region, province, commune, address, latitude, longitude, classrooms, teachers, students FROM schools").await,
        "official_code",
    );
    // The test must not hold the file open across the next kill: a live
    // connection would keep the WAL index, sparing the server its recovery.
    db.pool.close().await;

    for name in stored_networks.keys() {
        if !ledger.networks.contains_key(name) {
            check.lost.push(format!("network «{name}» was never sent"));
        }
    }
    for (name, net) in &mut ledger.networks {
        match stored_networks.get(name) {
            None if net.acknowledged => check.lost.push(format!("network «{name}» is missing")),
            None => {}
            Some(row) => {
                let diff = differences(&net.sent, row);
                if !diff.is_empty() {
                    check.lost.push(format!("network «{name}»: {diff:?}"));
                } else if net.acknowledged && net.id != row["id"].as_i64() {
                    check.lost.push(format!("network «{name}» has another id"));
                } else if net.acknowledged {
                    check.found += usize::from(!net.checked);
                    net.checked = true;
                } else {
                    // Committed although its answer never arrived: from now
                    // on it must stay, like an acknowledged one.
                    check.committed_unanswered += 1;
                    net.acknowledged = true;
                    net.checked = true;
                    net.id = row["id"].as_i64();
                }
            }
        }
    }
    for code in stored_schools.keys() {
        if !ledger.schools.contains_key(code) {
            check.lost.push(format!("school {code} was never sent"));
        }
    }
    for (code, school) in &mut ledger.schools {
        let writes = std::mem::take(&mut school.writes);
        let Some(row) = stored_schools.get(code) else {
            if school.acknowledged.is_some() {
                check.lost.push(format!("school {code} is missing"));
            }
            continue;
        };
        let candidates = school.acknowledged.iter().chain(&school.unsure);
        let matching = candidates
            .clone()
            .position(|sent| differences(sent, row).is_empty());
        match matching {
            Some(i) => {
                let acknowledged = usize::from(school.acknowledged.is_some());
                if i >= acknowledged {
                    check.committed_unanswered += 1;
                }
                school.acknowledged = candidates.clone().nth(i).cloned();
                school.unsure.clear();
                school.id = row["id"].as_i64();
                check.found += writes;
            }
            None => {
                let last = candidates.last().cloned().unwrap_or_default();
                check.lost.push(format!(
                    "school {code} ({} acknowledged writes since the last check): {:?}",
                    writes,
                    differences(&last, row)
                ));
            }
        }
    }
    check
}

/// Reads this round's acknowledged writes back through the restarted
/// server's API, as a user would see them.
pub async fn check_api(base: &str, token: &str, ledger: &Ledger) -> Vec<String> {
    let http = http();
    let mut problems = Vec::new();
    let networks: HashMap<i64, &Value> = ledger
        .networks
        .values()
        .filter_map(|n| Some((n.id?, &n.sent)))
        .collect();
    let schools: HashMap<i64, &Value> = ledger
        .schools
        .values()
        .filter_map(|s| Some((s.id?, s.acknowledged.as_ref()?)))
        .collect();
    // A school updated several times is read once.
    let round: std::collections::BTreeSet<_> = ledger.round.iter().collect();
    for (kind, id) in round {
        let url = format!("{base}/api/v1/{kind}/{id}");
        let expected = if *kind == "networks" {
            networks.get(id)
        } else {
            schools.get(id)
        };
        let Some(expected) = expected else {
            continue; // already reported by check_store
        };
        match send(&http, Method::GET, &url, Some(token), None).await {
            Some((200, body)) => {
                let diff = differences(expected, &body);
                if !diff.is_empty() {
                    problems.push(format!("GET {url}: {diff:?}"));
                }
            }
            other => problems.push(format!("GET {url} → {other:?}")),
        }
    }
    problems
}
