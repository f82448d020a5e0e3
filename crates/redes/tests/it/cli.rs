//! The `redes plan` commands as a supervisor runs them: plan a CSV, write
//! JSON/CSV/HTML, validate a plan, also one broken by hand.

use std::process::Command;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../planner/tests/fixtures/queretaro_sample.csv"
);

fn redes(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_redes"))
        .args(args)
        .output()
        .expect("run redes");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn plans_a_catalogue_into_json_csv_and_html_and_validates_it() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("plan.json");
    let (ok, text) = redes(&[
        "plan",
        "encuentros",
        "--input",
        SAMPLE,
        "--out",
        json.to_str().unwrap(),
    ]);
    assert!(ok, "{text}");
    assert!(
        text.contains("agrupamientos") && text.contains("grupos"),
        "{text}"
    );
    let (ok, text) = redes(&["plan", "validate", json.to_str().unwrap()]);
    assert!(ok, "{text}");
    assert!(
        text.contains("El validador no encontró incumplimientos"),
        "{text}"
    );

    let csv = dir.path().join("plan.csv");
    assert!(
        redes(&[
            "plan",
            "encuentros",
            "--input",
            SAMPLE,
            "--out",
            csv.to_str().unwrap()
        ])
        .0
    );
    let rows = std::fs::read_to_string(&csv).unwrap();
    let plan: redes_planner::Plan =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    // Every teacher once, the unplaced schools' too (with an empty cluster).
    let teachers: usize = plan.schools.iter().map(|s| s.cte.len()).sum();
    assert_eq!(
        rows.lines().count(),
        teachers + 1,
        "one row per teacher plus the header"
    );

    let html = dir.path().join("plan.html");
    assert!(
        redes(&[
            "plan",
            "encuentros",
            "--input",
            SAMPLE,
            "--out",
            html.to_str().unwrap()
        ])
        .0
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.contains("Firma sesión 1") && page.contains("Sede:"),
        "printable rosters"
    );
}

#[test]
fn a_plan_broken_by_hand_fails_validation_with_the_rule() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("plan.json");
    assert!(
        redes(&[
            "plan",
            "encuentros",
            "--input",
            SAMPLE,
            "--out",
            json.to_str().unwrap()
        ])
        .0
    );
    let mut plan: redes_planner::Plan =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    // Put every teacher of the first cluster into its first group.
    let cluster = plan
        .clusters
        .iter_mut()
        .find(|c| c.groups.len() > 1)
        .expect("a cluster with several groups");
    let moved: Vec<_> = cluster
        .groups
        .iter_mut()
        .skip(1)
        .flat_map(|g| std::mem::take(&mut g.members))
        .collect();
    cluster.groups[0].members.extend(moved);
    std::fs::write(&json, serde_json::to_string(&plan).unwrap()).unwrap();
    let (ok, text) = redes(&["plan", "validate", json.to_str().unwrap()]);
    assert!(!ok, "{text}");
    assert!(text.contains("Regla 7"), "{text}");
}

#[test]
fn bad_input_names_row_and_field_and_plans_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("schools.csv");
    std::fs::write(
        &input,
        "code,level,shift,locality,cte_size\n22DPR0001A,primaria,matutino,L1,12\n22DJN0001B,kinder,matutino,L1,-3\n",
    )
    .unwrap();
    let out = dir.path().join("plan.json");
    let (ok, text) = redes(&[
        "plan",
        "encuentros",
        "--input",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!ok);
    assert!(
        text.contains("fila 3") && text.contains("level") && text.contains("cte_size"),
        "{text}"
    );
    assert!(!out.exists(), "nothing is written");
}
