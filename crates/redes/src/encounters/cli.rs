//! `redes plan encuentros` and `redes plan validate`: the planner on files.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use minijinja::context;
use redes_planner::{Options, Plan};

/// Reads schools from Redes' planner CSV or SEP's CCT catalogue (as the
/// Querétaro file is published), plans, writes the plan, prints a summary.
pub fn plan_file(input: &Path, out: &Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(input)
        .with_context(|| format!("no se pudo leer {}", input.display()))?;
    let header = text.lines().next().unwrap_or_default();
    let schools = if header.contains("CV_CCT") {
        redes_planner::queretaro::parse(&text)
    } else {
        redes_planner::parse_schools_csv(&text)
    }
    .map_err(|errors| anyhow::anyhow!("{errors}\nNo se planificó nada."))?;
    let started = Instant::now();
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} áreas ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    if schools.len() < 2_000 {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let plan = redes_planner::plan_with_progress(schools, &Options::default(), &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })?;
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    write_plan(&plan, out)?;
    print_summary(&plan);
    println!(
        "Planificado en {elapsed:.2?}; escrito en {}.",
        out.display()
    );
    Ok(())
}

fn write_plan(plan: &Plan, out: &Path) -> anyhow::Result<()> {
    let extension = out.extension().and_then(|e| e.to_str()).unwrap_or_default();
    let body = match extension {
        "json" => serde_json::to_string_pretty(plan)?,
        "csv" => redes_planner::plan_to_csv(plan),
        "html" => html(plan)?,
        other => anyhow::bail!("--out debe terminar en .json, .csv o .html (no «{other}»)"),
    };
    std::fs::write(out, body).with_context(|| format!("no se pudo escribir {}", out.display()))
}

/// The printable rosters and attendance lists, as one standalone page.
fn html(plan: &Plan) -> anyhow::Result<String> {
    let env = crate::layout::environment(crate::MODULES);
    let template = env.get_template("encounters/print.html")?;
    let place = plan
        .schools
        .first()
        .map(|s| (s.state.clone(), s.municipality.clone()))
        .unwrap_or_default();
    Ok(template.render(context! {
        lang => "es",
        standalone => true,
        // A file opened on its own has no /static/app.css: the styles go in.
        css => include_str!("../layout/static/app.css"),
        stored => context! { id => "", region => place.0, province => place.1, zone => "", approved => false },
        // A plan file names no registry: its seats are shown as such.
        rosters => super::view::rosters(plan, &super::view::Names::new()),
    })?)
}

fn print_summary(plan: &Plan) {
    let s = plan.summary();
    println!(
        "{} escuelas · {} agrupamientos · {} grupos · {} docentes · {} sin ubicar",
        s.schools, s.clusters, s.groups, s.teachers, s.unplaced_schools
    );
    if s.exceptions_by_rule.is_empty() {
        println!("Sin excepciones.");
    }
    for (rule, (count, schools)) in &s.exceptions_by_rule {
        println!(
            "  {}: {count} excepciones ({schools} escuelas)",
            crate::text::es(rule.text_id())
        );
    }
}

/// Runs the independent validator on a plan file (also one edited by hand).
/// Returns the number of violations.
pub fn validate_file(path: &Path) -> anyhow::Result<usize> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("no se pudo leer {}", path.display()))?;
    let plan: Plan = serde_json::from_str(&text)
        .with_context(|| format!("{} no es un plan JSON válido", path.display()))?;
    let violations = redes_planner::validate(&plan);
    print_summary(&plan);
    if violations.is_empty() {
        println!("El validador no encontró incumplimientos.");
    }
    for v in &violations {
        let place = v
            .cluster
            .map(|c| format!(" (agrupamiento {c})"))
            .unwrap_or_default();
        println!(
            "  {}{place}: {}",
            crate::text::es(v.rule.text_id()),
            crate::text::es(&super::view::message(&v.message))
        );
    }
    Ok(violations.len())
}
