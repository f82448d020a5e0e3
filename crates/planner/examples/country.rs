//! Plans and validates synthetic instances (for profiling and soak checks):
//! `cargo run --release --example country [-- --no-validate] [--seed N] [--states]`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let seed = args
        .iter()
        .position(|a| a == "--seed")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let schools = if args.iter().any(|a| a == "--states") {
        redes_planner::synthetic::state(seed)
    } else {
        redes_planner::synthetic::country(seed)
    };
    let t = std::time::Instant::now();
    let p = redes_planner::plan(schools, &redes_planner::Options::default()).unwrap();
    println!("plan {:?}", t.elapsed());
    if args.iter().any(|a| a == "--no-validate") {
        return;
    }
    let t = std::time::Instant::now();
    let v = redes_planner::validate(&p);
    println!("validate {:?} {}", t.elapsed(), v.len());
    for x in v.iter().take(5) {
        println!("{x:?}");
    }
    print!("{}", p.summary());
}
