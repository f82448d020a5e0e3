//! The numbers of issue 10, reproducible with one command from the workspace root:
//! `cargo run -p redes-planner --release --example audit [-- CSV] [--seed N] [--no-country]
//! [--json PLAN.json]` (`--json` writes the Querétaro plan).
//!
//! For the real Querétaro catalogue (default `../shared/data/mexico/cct_queretaro_activos.csv`)
//! and the synthetic country: clusters lacking a stage that their localities have, the largest
//! and the widest cluster, afternoon schools meeting in the morning (and how many of them an
//! exception names), violations, and plan and validate times. Everything is measured from the
//! plan through the public API, not from the planner's internals. The fingerprint is a hash
//! of the plan's clusters and exceptions: equal fingerprints mean identical plans.
use std::collections::HashMap;
use std::time::{Duration, Instant};

use redes_planner::{
    geo, plan, queretaro, synthetic, validate, Options, Plan, Rule, School, Session, Shift,
};

fn stage_bit(s: &School) -> u8 {
    s.level.stage().map_or(0, |st| match st {
        redes_planner::Stage::Early => 1,
        redes_planner::Stage::Primaria => 2,
        redes_planner::Stage::Secundaria => 4,
    })
}

struct Audit {
    clusters: usize,
    lacking_stage: usize,
    lacking_secundaria: usize,
    largest: usize,
    widest_km: f64,
    afternoon_in_morning: usize,
    reported: usize,
    violations: usize,
    unplaced: usize,
    exceptions: usize,
    plan_time: Duration,
    validate_time: Duration,
    fingerprint: u64,
}

fn audit(schools: Vec<School>, json: Option<&str>) -> Audit {
    let t = Instant::now();
    let p = plan(schools, &Options::default()).expect("valid input");
    if let Some(path) = json {
        let text = serde_json::to_string(&p).expect("serialisable plan");
        std::fs::write(path, text).expect("plan written");
    }
    let plan_time = t.elapsed();
    let t = Instant::now();
    let violations = validate(&p).len();
    let validate_time = t.elapsed();
    measure(&p, plan_time, validate_time, violations)
}

fn measure(p: &Plan, plan_time: Duration, validate_time: Duration, violations: usize) -> Audit {
    let by_code: HashMap<&str, &School> = p.schools.iter().map(|s| (s.code.as_str(), s)).collect();
    let mut loc_stage: HashMap<&str, u8> = HashMap::new();
    for s in &p.schools {
        *loc_stage.entry(s.locality.as_str()).or_default() |= stage_bit(s);
    }
    let (mut lacking_stage, mut lacking_secundaria, mut largest, mut widest_km) = (0, 0, 0, 0.0f64);
    let mut afternoon_in_morning = Vec::new();
    for c in &p.clusters {
        let members: Vec<&School> = c
            .schools
            .iter()
            .filter_map(|x| by_code.get(x.as_str()).copied())
            .collect();
        let want = members
            .iter()
            .fold(0u8, |m, s| m | loc_stage[s.locality.as_str()]);
        let have = members.iter().fold(0u8, |m, s| m | stage_bit(s));
        if want & !have != 0 {
            lacking_stage += 1;
        }
        if want & !have & 4 != 0 {
            lacking_secundaria += 1;
        }
        largest = largest.max(members.len());
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                if let Some(d) = geo::dist(a.coords(), b.coords()) {
                    widest_km = widest_km.max(d);
                }
            }
        }
        if c.session == Session::Morning {
            afternoon_in_morning.extend(
                members
                    .iter()
                    .filter(|s| s.shift == Shift::Vespertino)
                    .map(|s| s.code.as_str()),
            );
        }
    }
    let named: std::collections::HashSet<&str> = p
        .exceptions
        .iter()
        .filter(|e| e.rule == Rule::Shift)
        .flat_map(|e| e.schools.iter().map(|s| s.as_str()))
        .collect();
    let reported = afternoon_in_morning
        .iter()
        .filter(|c| named.contains(*c))
        .count();
    let json = serde_json::to_string(&(&p.clusters, &p.exceptions)).expect("serialisable plan");
    let fingerprint = json.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    });
    Audit {
        clusters: p.clusters.len(),
        lacking_stage,
        lacking_secundaria,
        largest,
        widest_km,
        afternoon_in_morning: afternoon_in_morning.len(),
        reported,
        violations,
        unplaced: p
            .exceptions
            .iter()
            .filter(|e| e.unplaced)
            .map(|e| e.schools.len())
            .sum(),
        exceptions: p.exceptions.len(),
        plan_time,
        validate_time,
        fingerprint,
    }
}

fn print(name: &str, schools: usize, a: &Audit) {
    println!(
        "== {name}: {schools} schools, {} clusters, {} exceptions, {} unplaced schools",
        a.clusters, a.exceptions, a.unplaced
    );
    println!(
        "clusters lacking a stage their localities have: {} (lacking secundaria: {})",
        a.lacking_stage, a.lacking_secundaria
    );
    println!(
        "largest cluster: {} schools; widest cluster: {:.1} km between two schools",
        a.largest, a.widest_km
    );
    println!(
        "afternoon schools meeting in the morning: {} ({} named in a rule 3 exception)",
        a.afternoon_in_morning, a.reported
    );
    println!("violations: {}", a.violations);
    println!(
        "plan {:.0} ms, validate {:.0} ms",
        a.plan_time.as_secs_f64() * 1e3,
        a.validate_time.as_secs_f64() * 1e3
    );
    println!("fingerprint {:016x}", a.fingerprint);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |f: &str| args.iter().position(|a| a == f);
    let seed = flag("--seed")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let path = args
        .iter()
        .enumerate()
        .find(|(i, a)| {
            !a.starts_with("--")
                && (*i == 0 || !matches!(args[i - 1].as_str(), "--seed" | "--json"))
        })
        .map(|(_, a)| a.clone())
        .unwrap_or_else(|| "../shared/data/mexico/cct_queretaro_activos.csv".into());
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let schools = queretaro::parse(&text).expect("catalogue parses");
            let n = schools.len();
            let json = flag("--json")
                .and_then(|i| args.get(i + 1))
                .map(|s| s.as_str());
            print(&format!("Querétaro ({path})"), n, &audit(schools, json));
        }
        Err(e) => println!("== Querétaro: cannot read {path}: {e}"),
    }
    if flag("--no-country").is_none() {
        let schools = synthetic::country(seed);
        let n = schools.len();
        print(
            &format!("synthetic country (seed {seed})"),
            n,
            &audit(schools, None),
        );
    }
}
