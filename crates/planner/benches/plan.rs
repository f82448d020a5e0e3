//! `cargo bench -p redes-planner --bench plan`: wall time and peak heap for a zone, a state,
//! the real Querétaro catalogue and the whole synthetic country, each followed by `validate`.

use std::time::Instant;

use peak_alloc::PeakAlloc;
use redes_planner::{
    plan, queretaro, synthetic, validate, Level, Modality, Options, School, Shift,
};

// A counting allocator (the workspace forbids `unsafe`, so it comes from a crate): live bytes
// and the peak since the last reset.
#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

fn mib(b: usize) -> f64 {
    b as f64 / (1024.0 * 1024.0)
}

/// CPU seconds (user + system, all threads) of this process, from /proc; `None` elsewhere.
/// Reported next to wall time because this machine is shared with other builds.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit(')').next()?.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn reset_peak() {
    ALLOC.reset_peak_usage();
}

fn shares(schools: &[School]) -> String {
    let n = schools.len() as f64;
    let count = |f: &dyn Fn(&School) -> bool| schools.iter().filter(|s| f(s)).count();
    let lv = |l: Level| count(&|s| s.level == l);
    let teachers: usize = schools.iter().map(|s| s.cte.len()).sum();
    let pp = count(&|s| matches!(s.level, Level::Preescolar | Level::Primaria));
    let rural_prim = count(&|s| s.level == Level::Primaria && s.rural);
    format!(
        "{} schools (ini {}, pre {}, pri {}, sec {}, CAM {}), {} teachers; rural {:.0}%, indígena {:.0}% of pre/pri, multigrade {:.0}% of rural primarias, telesecundaria {:.0}% of secundarias, vespertino {:.0}% of urban",
        schools.len(), lv(Level::Inicial), lv(Level::Preescolar), lv(Level::Primaria), lv(Level::Secundaria), lv(Level::Cam), teachers,
        100.0 * count(&|s| s.rural) as f64 / n,
        100.0 * count(&|s| s.modality == Modality::Indigena && matches!(s.level, Level::Preescolar | Level::Primaria)) as f64 / pp.max(1) as f64,
        100.0 * count(&|s| s.level == Level::Primaria && s.rural && s.is_multigrade()) as f64 / rural_prim.max(1) as f64,
        100.0 * count(&|s| s.modality == Modality::Telesecundaria) as f64 / lv(Level::Secundaria).max(1) as f64,
        100.0 * count(&|s| !s.rural && s.shift == Shift::Vespertino) as f64 / count(&|s| !s.rural).max(1) as f64,
    )
}

/// Plans `runs` times and keeps the fastest wall time (this machine is shared with other
/// builds); heap peaks come from the last run, when only one copy of the input is alive.
fn case(name: &str, runs: usize, make: &dyn Fn() -> Vec<School>) {
    let t = Instant::now();
    let schools = make();
    let gen = t.elapsed();
    println!("\n== {name}: {}", shares(&schools));
    println!(
        "   input built in {:.0} ms, heap {:.0} MiB",
        gen.as_secs_f64() * 1e3,
        mib(ALLOC.current_usage())
    );
    let mut best = f64::MAX;
    let mut best_cpu = f64::MAX;
    let mut last = None;
    let mut original = Some(schools);
    for run in 0..runs {
        let input = if run + 1 == runs {
            original.take().expect("input")
        } else {
            original.clone().expect("input")
        };
        drop(last.take()); // free the previous plan before the next run
        reset_peak();
        let before = ALLOC.current_usage();
        let cpu0 = cpu_seconds();
        let t = Instant::now();
        let p = plan(input, &Options::default()).expect("valid input");
        best = best.min(t.elapsed().as_secs_f64());
        if let Some(cpu) = cpu_seconds().zip(cpu0).map(|(b, a)| b - a) {
            best_cpu = best_cpu.min(cpu);
        }
        last = Some((p, ALLOC.peak_usage(), before));
    }
    let (p, plan_peak, before) = last.expect("one run");
    reset_peak();
    let t = Instant::now();
    let violations = validate(&p);
    let val_time = t.elapsed();
    let val_peak = ALLOC.peak_usage();
    let s = p.summary();
    let c = redes_planner::cost(&p);
    println!(
        "   plan {:>8.1} ms (best of {runs}; CPU {:.0} ms over both threads)  peak heap {:>7.1} MiB (input included; {:.1} MiB above input) | validate {:>8.1} ms  peak {:>7.1} MiB  violations {}",
        best * 1e3, best_cpu * 1e3, mib(plan_peak), mib(plan_peak.saturating_sub(before)),
        val_time.as_secs_f64() * 1e3, mib(val_peak), violations.len()
    );
    print!("   {s}");
    println!("   cost: {c:?}");
    for v in violations.iter().take(5) {
        println!("   violation: {v:?}");
    }
}

fn main() {
    println!("rayon threads: {}", rayon::current_num_threads());
    case("zone (synthetic, ~50 schools)", 5, &|| synthetic::zone(1));
    case("state (synthetic, ~10k schools)", 5, &|| {
        synthetic::state(1)
    });
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/mexico/cct_queretaro_activos.csv"
    );
    match std::fs::read_to_string(path) {
        Ok(text) => case("Querétaro (real catalogue)", 5, &|| {
            queretaro::parse(&text).expect("parses")
        }),
        Err(_) => println!("\n== Querétaro: skipped, {path} not found"),
    }
    case("country (synthetic, ~230k schools)", 3, &|| {
        synthetic::country(1)
    });
}
