//! Durability probe (issue 6): the real `redes` binary is killed with
//! SIGKILL at a random moment of a burst of concurrent API writes, restarted
//! on the same store, and every write it had acknowledged must be there with
//! the values sent, with no half-written row and (SQLite) a sound file.
//! Writes that got no answer, or a 5xx, may or may not have committed; if
//! they did, the row must be exactly what was sent.

mod check;
mod server;
mod writes;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::Method;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

use check::{check_api, check_store};
use server::{http, log_errors, send, Server, Store};
use writes::{writer, Ledger, FIRST_CODE};

const CLIENTS: usize = 8;
const KILLS: usize = 6;
/// No answer at all for this long means the server hangs.
const STALL: Duration = Duration::from_secs(5);
const ADMIN_PASSWORD: &str = "durabilidad-2025";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_keeps_every_acknowledged_write_across_kill_9() {
    probe(Store::sqlite()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_keeps_every_acknowledged_write_across_kill_9() {
    probe(Store::postgres().await).await;
}

async fn probe(store: Store) {
    let admin = std::process::Command::new(env!("CARGO_BIN_EXE_redes"))
        .args(["user", "add", "--username", "admin", "--name", "Admin"])
        .env("DATABASE_URL", &store.url)
        .env("REDES_PASSWORD", ADMIN_PASSWORD)
        .output()
        .expect("redes user add");
    assert!(
        admin.status.success(),
        "{}",
        String::from_utf8_lossy(&admin.stderr)
    );
    let mut server = Server::start(&store).await;
    let login = json!({"username": "admin", "password": ADMIN_PASSWORD});
    let url = format!("{}/api/v1/tokens", server.base);
    let token = match send(&http(), Method::POST, &url, None, Some(&login)).await {
        Some((201, body)) => body["token"].as_str().expect("token").to_string(),
        other => panic!("POST /api/v1/tokens → {other:?}"),
    };
    let mut ledger = Ledger {
        owned: vec![Vec::new(); CLIENTS],
        next_code: FIRST_CODE,
        ..Ledger::default()
    };
    let mut rng = StdRng::from_entropy();
    let (mut found, mut committed_unanswered, mut lost) = (0, 0, Vec::new());
    let (mut bursts, mut stalled) = (Duration::ZERO, 0);
    for _ in 0..KILLS {
        let burst = Instant::now();
        let started = ledger.acknowledged;
        let shared = Arc::new(Mutex::new(ledger));
        let writers: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let (base, token) = (server.base.clone(), token.clone());
                tokio::spawn(writer(c, base, token, shared.clone()))
            })
            .collect();
        // Kill after a random number of acknowledged writes, so that every
        // kill lands in writes that flow. A server that stops answering is
        // killed after STALL and the burst counted as stalled: that is a
        // hang to report, not a durability result.
        let target = started + rng.gen_range(20..400);
        let (mut answers, mut progress) = (0, Instant::now());
        loop {
            let (acknowledged, now) = {
                let l = shared.lock().unwrap();
                (l.acknowledged, l.answers)
            };
            if acknowledged >= target {
                break;
            }
            if now != answers {
                (answers, progress) = (now, Instant::now());
            } else if progress.elapsed() > STALL {
                stalled += 1;
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        server.kill().await;
        store.settle().await;
        bursts += burst.elapsed();
        for w in writers {
            w.await.expect("writer");
        }
        ledger = Arc::into_inner(shared)
            .expect("writers done")
            .into_inner()
            .unwrap();
        server = Server::start(&store).await;
        let check = check_store(&store, &mut ledger).await;
        lost.extend(check.lost);
        lost.extend(check_api(&server.base, &token, &ledger).await);
        ledger.round.clear();
        found += check.found;
        committed_unanswered += check.committed_unanswered;
    }
    server.kill().await;
    let l = &ledger;
    // Straight to stderr, past the test harness's capture, so the numbers
    // show in every run and not only when the test fails.
    writeln!(
        std::io::stderr(),
        "durability {}: {KILLS} kills, {} acknowledged writes, {found} found, {} lost; \
         {} unanswered or 5xx ({committed_unanswered} of them committed anyway), {} server errors; \
         {} networks and {} schools sent in {:.1?} of bursts, slowest answer {:.0?}; \
         {stalled} of {KILLS} bursts stalled (no answer for {STALL:?})",
        store.name,
        l.acknowledged,
        lost.len(),
        l.unsure,
        l.server_errors.len(),
        l.networks.len(),
        l.schools.len(),
        bursts,
        l.slowest,
    )
    .ok();
    assert!(
        lost.is_empty(),
        "lost or damaged writes:\n{}",
        lost.join("\n")
    );
    assert_eq!(found, l.acknowledged, "every acknowledged write is found");
    assert!(
        l.unexpected.is_empty(),
        "unexpected answers:\n{}",
        l.unexpected.join("\n")
    );
    let causes = log_errors(&store.log());
    assert!(
        l.server_errors.is_empty(),
        "{} server errors during the bursts, e.g.:\n{}\nserver log:\n{}",
        l.server_errors.len(),
        l.server_errors
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n"),
        causes
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n"),
    );
}
