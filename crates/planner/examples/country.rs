//! Plans the synthetic country once (for profiling): `cargo run --release --example country`.
fn main() {
    let schools = redes_planner::synthetic::country(1);
    let t = std::time::Instant::now();
    let p = redes_planner::plan(schools, &redes_planner::Options::default()).unwrap();
    println!("plan {:?}", t.elapsed());
    if std::env::args().any(|a| a == "--no-validate") {
        return;
    }
    let t = std::time::Instant::now();
    let v = redes_planner::validate(&p);
    println!("validate {:?} {}", t.elapsed(), v.len());
    print!("{}", p.summary());
}
