//! The writers of a burst and the ledger of every write they sent, with
//! what the server answered.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::Method;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use super::server::{http, send, Http};

/// Chilean RBDs have at most 5 digits; every school of a run gets a fresh one.
pub const FIRST_CODE: usize = 10_000;
const PLACES: [(&str, &str, &str); 4] = [
    ("Biobío", "Concepción", "Talcahuano"),
    ("Ñuble", "Diguillín", "Chillán"),
    ("Valparaíso", "San Antonio", "Cartagena"),
    ("Los Lagos", "Llanquihue", "Puerto Varas"),
];

/// Every write sent, by the unique name (networks) or code (schools) it carries.
#[derive(Default)]
pub struct Ledger {
    pub networks: HashMap<String, Net>,
    pub schools: HashMap<String, Sch>,
    /// Per client, the acknowledged schools it alone updates, so that each
    /// school has at most one write in flight and its expected state is known.
    pub owned: Vec<Vec<(i64, String)>>,
    pub next_code: usize,
    /// Writes acknowledged since the last check, to read back through the API.
    pub round: Vec<(&'static str, i64)>,
    pub acknowledged: usize,
    pub unsure: usize,
    /// The slowest answer: a stall shows here (and in few writes), not as
    /// an error, because the kill usually comes before any pool timeout.
    pub slowest: Duration,
    pub answers: usize,
    pub server_errors: Vec<String>,
    pub unexpected: Vec<String>,
}

pub struct Net {
    pub sent: Value,
    pub id: Option<i64>,
    pub acknowledged: bool,
    /// Already counted as found by an earlier check.
    pub checked: bool,
}

#[derive(Default)]
pub struct Sch {
    pub id: Option<i64>,
    /// The last acknowledged state.
    pub acknowledged: Option<Value>,
    /// Later writes without a 2xx answer: the row may be any of them.
    pub unsure: Vec<Value>,
    /// Acknowledged writes since the last check.
    pub writes: usize,
}

impl Ledger {
    fn answer(&mut self, what: &str, status: u16, body: &Value) {
        let line = format!("{what} → {status} {body}");
        if status >= 500 {
            self.server_errors.push(line);
        } else {
            self.unexpected.push(line);
        }
        self.unsure += 1;
    }
}

pub fn network_payload(rng: &mut StdRng, name: &str) -> Value {
    let (region, province, _) = PLACES[rng.gen_range(0..PLACES.len())];
    let since = ["", "2015", "2016", "2024"][rng.gen_range(0..4)];
    let kind = ["rme", "teacher_network", "learning_community"][rng.gen_range(0..3)];
    json!({
        "country": "cl", "kind": kind, "name": name, "region": region, "province": province,
        "since_year": since,
        "objective": format!("Mejorar la comprensión lectora «{name}»\nen 1.º básico — ñandú 📚"),
        "key_idea": format!("\"comillas\" y 'apóstrofos' {}", rng.gen::<u32>()),
    })
}

pub fn school_payload(rng: &mut StdRng, code: &str, version: usize, place: usize) -> Value {
    let (region, province, commune) = PLACES[place % PLACES.len()];
    let levels = ["basica", "basica,media", "parvularia,basica"][rng.gen_range(0..3)];
    let teachers = ["", "12", "45"][rng.gen_range(0..3)];
    json!({
        "country": "cl", "official_code": code, "name": format!("Escuela {code} versión {version}"),
        "levels": levels,
        "region": region, "province": province, "commune": commune,
        "address": format!("Calle O'Higgins {}, {commune}", rng.gen_range(1..5000)),
        "latitude": format!("-36.{}", rng.gen_range(1000..9999)),
        "longitude": format!("-73.{}", rng.gen_range(1000..9999)),
        "classrooms": rng.gen_range(1..60).to_string(),
        "teachers": teachers,
        "students": rng.gen_range(0..2000).to_string(),
    })
}

/// `send` that notes the slowest answer in the ledger.
pub async fn timed(
    http: &Http,
    ledger: &Mutex<Ledger>,
    method: Method,
    url: &str,
    token: &str,
    body: &Value,
) -> Option<(u16, Value)> {
    let started = Instant::now();
    let answer = send(http, method, url, Some(token), Some(body)).await?;
    let mut l = ledger.lock().unwrap();
    l.slowest = l.slowest.max(started.elapsed());
    l.answers += 1;
    Some(answer)
}

/// One writer: creates networks and schools and updates its own schools
/// until the server stops answering.
pub async fn writer(c: usize, base: String, token: String, ledger: Arc<Mutex<Ledger>>) {
    let http = http();
    let mut rng = StdRng::from_entropy();
    let mut n = 0;
    loop {
        n += 1;
        let owned = ledger.lock().unwrap().owned[c].clone();
        let choice = rng.gen_range(0..10);
        if choice < 4 {
            let name = format!("Red {}-{c}-{n}", rng.gen::<u32>());
            let sent = network_payload(&mut rng, &name);
            ledger.lock().unwrap().networks.insert(
                name.clone(),
                Net {
                    sent: sent.clone(),
                    id: None,
                    acknowledged: false,
                    checked: false,
                },
            );
            let url = format!("{base}/api/v1/networks");
            let Some((status, body)) =
                timed(&http, &ledger, Method::POST, &url, &token, &sent).await
            else {
                ledger.lock().unwrap().unsure += 1;
                return;
            };
            let mut l = ledger.lock().unwrap();
            match body["id"].as_i64() {
                Some(id) if status == 201 => {
                    let net = l.networks.get_mut(&name).unwrap();
                    net.id = Some(id);
                    net.acknowledged = true;
                    l.acknowledged += 1;
                    l.round.push(("networks", id));
                }
                _ => l.answer(&format!("POST /api/v1/networks {sent}"), status, &body),
            }
        } else if choice < 7 || owned.is_empty() {
            let code = {
                let mut l = ledger.lock().unwrap();
                l.next_code += 1;
                assert!(l.next_code < 100_000, "out of 5-digit RBDs");
                l.next_code.to_string()
            };
            let sent = school_payload(&mut rng, &code, 1, c);
            ledger.lock().unwrap().schools.insert(
                code.clone(),
                Sch {
                    unsure: vec![sent.clone()],
                    ..Sch::default()
                },
            );
            let url = format!("{base}/api/v1/schools");
            let Some((status, body)) =
                timed(&http, &ledger, Method::POST, &url, &token, &sent).await
            else {
                ledger.lock().unwrap().unsure += 1;
                return;
            };
            let mut l = ledger.lock().unwrap();
            match body["id"].as_i64() {
                Some(id) if status == 201 => {
                    let s = l.schools.get_mut(&code).unwrap();
                    s.id = Some(id);
                    s.acknowledged = Some(sent);
                    s.unsure.clear();
                    s.writes += 1;
                    l.owned[c].push((id, code));
                    l.acknowledged += 1;
                    l.round.push(("schools", id));
                }
                _ => l.answer(&format!("POST /api/v1/schools {sent}"), status, &body),
            }
        } else {
            let (id, code) = owned[rng.gen_range(0..owned.len())].clone();
            let sent = school_payload(&mut rng, &code, n, c);
            ledger
                .lock()
                .unwrap()
                .schools
                .get_mut(&code)
                .unwrap()
                .unsure
                .push(sent.clone());
            let url = format!("{base}/api/v1/schools/{id}");
            let Some((status, body)) =
                timed(&http, &ledger, Method::PUT, &url, &token, &sent).await
            else {
                ledger.lock().unwrap().unsure += 1;
                return;
            };
            let mut l = ledger.lock().unwrap();
            if status == 200 {
                let s = l.schools.get_mut(&code).unwrap();
                s.acknowledged = Some(sent);
                s.unsure.clear();
                s.writes += 1;
                l.acknowledged += 1;
                l.round.push(("schools", id));
            } else {
                l.answer(&format!("PUT /api/v1/schools/{id} {sent}"), status, &body);
            }
        }
    }
}
