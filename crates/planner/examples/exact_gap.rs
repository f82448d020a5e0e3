//! Optimality gap of the planner against the exact ILP on small instances:
//! `cargo run -p redes-planner --release --features exact --example exact_gap`.

use std::time::Instant;

use redes_planner::{cost, exact, plan, synthetic, validate, Options};

fn main() {
    let options = Options::default();
    // Gap on the total cost, and on the part the optimisation can change (the exceptions are
    // fixed by the rule-driven steps shared by both, so they only dilute the total).
    let mut gaps = Vec::new();
    let mut opt_gaps = Vec::new();
    println!(
        "{:>4} {:>7} {:>9} {:>14} {:>14} {:>7} {:>11} {:>11} {:>8}",
        "seed",
        "schools",
        "clusters",
        "planner cost",
        "exact cost",
        "gap %",
        "planner ms",
        "exact ms",
        "ratio"
    );
    for seed in 1..=16u64 {
        let n = [30, 40, 50, 60][(seed as usize - 1) % 4];
        let schools = synthetic::town(seed, n);
        let t = Instant::now();
        let heuristic = plan(schools.clone(), &options).expect("valid input");
        let t_plan = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let optimal = exact::solve(schools, &options).expect("valid input");
        let t_exact = t.elapsed().as_secs_f64();
        assert!(validate(&heuristic).is_empty(), "planner plan invalid");
        assert!(validate(&optimal).is_empty(), "exact plan invalid");
        let (ch, co) = (cost(&heuristic), cost(&optimal));
        let gap = 100.0 * (ch.total - co.total) / co.total;
        gaps.push(gap);
        assert_eq!(ch.exceptions, co.exceptions);
        let fixed = redes_planner::cost::W_EXCEPTION * co.exceptions as f64;
        let opt_gap = 100.0 * (ch.total - co.total) / (co.total - fixed);
        opt_gaps.push(opt_gap);
        println!(
            "{seed:>4} {n:>7} {:>4}/{:<4} {:>14.1} {:>14.1} {gap:>7.2} {:>11.2} {:>11.1} {:>8.0}",
            heuristic.clusters.len(),
            optimal.clusters.len(),
            ch.total,
            co.total,
            t_plan * 1e3,
            t_exact * 1e3,
            t_exact / t_plan.max(1e-9)
        );
        println!(
            "     exceptions {} | planner: span {} travel {:.1} venues {} | exact: span {} travel {:.1} venues {} | gap without the fixed exception term {opt_gap:.2} %",
            co.exceptions, ch.span_deficit, ch.travel_km, ch.venues, co.span_deficit, co.travel_km, co.venues
        );
    }
    let (m, max) = median(&mut gaps);
    println!("median gap on total cost {m:.2} % (max {max:.2} %)");
    let (m, max) = median(&mut opt_gaps);
    println!("median gap without the fixed exception term {m:.2} % (max {max:.2} %)");
}

fn median(v: &mut [f64]) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (
        (v[(v.len() - 1) / 2] + v[v.len() / 2]) / 2.0,
        v[v.len() - 1],
    )
}
