//! Optimality gap of the planner against the exact ILP on small instances:
//! `cargo run -p redes-planner --release --features exact --example exact_gap`.

use std::time::Instant;

use redes_planner::{cost, exact, plan, synthetic, validate, Options};

fn main() {
    let options = Options::default();
    let mut gaps = Vec::new();
    println!(
        "{:>4} {:>7} {:>9} {:>14} {:>14} {:>7} {:>11} {:>11} {:>8}",
        "seed", "schools", "clusters", "planner cost", "exact cost", "gap %", "planner ms", "exact ms", "ratio"
    );
    for seed in 1..=12u64 {
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
            "     planner: span {} travel {:.1} venues {} | exact: span {} travel {:.1} venues {}",
            ch.span_deficit, ch.travel_km, ch.venues, co.span_deficit, co.travel_km, co.venues
        );
    }
    gaps.sort_by(f64::total_cmp);
    let median = (gaps[(gaps.len() - 1) / 2] + gaps[gaps.len() / 2]) / 2.0;
    println!("median gap {median:.2} % (max {:.2} %)", gaps[gaps.len() - 1]);
}
