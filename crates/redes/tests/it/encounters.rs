//! Encounter planning in the web app (seed 003): run → move → validate →
//! approve → print, on SQLite and PostgreSQL.

use crate::common;

use axum::http::StatusCode;
use common::{seed_zone, zone_supervisor, Grant, TestApp};
use redes_planner::Plan;

const STATE: &str = common::ZONE_STATE;
const MUNICIPALITY: &str = common::ZONE_MUNICIPALITY;

/// The plan as stored (the tests keep one plan at a time).
pub(crate) async fn stored_plan(app: &TestApp) -> Plan {
    let json = app.text("SELECT plan_json FROM encounter_plans").await;
    serde_json::from_str(&json).unwrap()
}

/// The id of the cluster where the school `code` meets.
pub(crate) fn cluster_of(plan: &Plan, code: &str) -> usize {
    plan.clusters
        .iter()
        .find(|c| c.schools.iter().any(|s| s == code))
        .map(|c| c.id)
        .unwrap()
}

both_databases!(
    supervisor_runs_moves_approves_and_prints,
    |app: TestApp| async move {
        seed_zone(&app).await;
        let mut client = app.signed_in("supervisora", &[zone_supervisor()]).await;
        let page = client.get("/encuentros").await;
        assert!(
            page.body.contains("Tequisquiapan, Querétaro (4"),
            "{}",
            page.body
        );

        let run = client
            .post_form("/encuentros", &[("place", "Querétaro|Tequisquiapan")])
            .await;
        assert_eq!(run.status, StatusCode::SEE_OTHER, "{}", run.body);
        let url = run.location.unwrap();
        let page = client.get(&url).await;
        assert!(
            page.body
                .contains("El validador no encontró incumplimientos"),
            "{}",
            page.body
        );
        let plan = stored_plan(&app).await;
        assert_eq!(plan.clusters.len(), 2);
        let north = cluster_of(&plan, "22DPR0001B");
        let south = cluster_of(&plan, "22DES0002D");
        assert_ne!(north, south);

        // Moving the north primaria south leaves the north with one level,
        // and splits its locality, which fits one venue, leaving a part
        // without primaria (rules 1 and 2).
        let moved = client
            .post_form(
                &format!("{url}/mover"),
                &[("school", "22DPR0001B"), ("cluster", &south.to_string())],
            )
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER);
        let page = client.get(&url).await;
        assert!(
            page.body.contains("<strong>3 incumplimientos</strong>"),
            "{}",
            page.body
        );
        assert!(page.body.contains("Regla 1"), "{}", page.body);
        assert!(
            page.body.contains("Regla 2: la comunidad se reúne"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("disabled"),
            "the approve button is disabled"
        );
        let refused = client.post_form(&format!("{url}/aprobar"), &[]).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(
            refused.body.contains("corríjalos antes de aprobar"),
            "{}",
            refused.body
        );

        // Moving it back makes the plan valid again; then it can be approved.
        client
            .post_form(
                &format!("{url}/mover"),
                &[("school", "22DPR0001B"), ("cluster", &north.to_string())],
            )
            .await;
        assert!(client
            .get(&url)
            .await
            .body
            .contains("El validador no encontró incumplimientos"));
        let approved = client.post_form(&format!("{url}/aprobar"), &[]).await;
        assert_eq!(approved.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.text("SELECT status FROM encounter_plans").await,
            "approved"
        );
        let frozen = client
            .post_form(
                &format!("{url}/mover"),
                &[("school", "22DPR0001B"), ("cluster", &south.to_string())],
            )
            .await;
        assert_eq!(frozen.status, StatusCode::CONFLICT);
        assert_eq!(cluster_of(&stored_plan(&app).await, "22DPR0001B"), north);
        // Approving again says it is approved already, instead of a silent redirect.
        let again = client.post_form(&format!("{url}/aprobar"), &[]).await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert!(again.body.contains("ya estaba aprobado"), "{}", again.body);

        let print = client.get(&format!("{url}/imprimir")).await;
        assert_eq!(print.status, StatusCode::OK);
        assert!(
            print.body.contains("Sede: Primaria Norte")
                || print.body.contains("Sede: Jardín Norte"),
            "{}",
            print.body
        );
        assert!(print.body.contains("Firma sesión 1"));
        // Every teacher of the zone is on exactly one attendance list.
        assert_eq!(
            print
                .body
                .matches("<td class=\"sign\"></td><td class=\"sign\"></td><td class=\"sign\"></td>")
                .count(),
            6 + 12 + 5 + 20
        );
    }
);

both_databases!(
    only_territorial_roles_plan_encounters,
    |app: TestApp| async move {
        seed_zone(&app).await;
        let school = app
            .school("mx", "22DPR0009Z", "Otra primaria", STATE, MUNICIPALITY)
            .await;
        let mut teacher = app
            .signed_in(
                "maestra",
                &[Grant {
                    role: "teacher",
                    scope_kind: "school",
                    country: "mx",
                    school_id: Some(school),
                    ..Default::default()
                }],
            )
            .await;
        assert_eq!(
            teacher.get("/encuentros").await.status,
            StatusCode::FORBIDDEN
        );
        let refused = teacher
            .post_form("/encuentros", &[("place", "Querétaro|Tequisquiapan")])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(app.count("SELECT COUNT(*) FROM encounter_plans").await, 0);

        let mut other = app
            .signed_in(
                "otro.supervisor",
                &[Grant {
                    role: "supervisor",
                    scope_kind: "province",
                    country: "mx",
                    scope_name: "Cadereyta de Montes",
                    ..Default::default()
                }],
            )
            .await;
        let refused = other
            .post_form("/encuentros", &[("place", "Querétaro|Tequisquiapan")])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    }
);

// A change based on an older version of the plan is refused, never a
// silent overwrite: two people moving schools at once, or a move landing
// between validating and approving.
both_databases!(
    a_change_to_an_older_version_of_a_plan_is_refused,
    |app: TestApp| async move {
        seed_zone(&app).await;
        let mut client = app.signed_in("supervisora", &[zone_supervisor()]).await;
        let run = client
            .post_form("/encuentros", &[("place", "Querétaro|Tequisquiapan")])
            .await;
        let url = run.location.unwrap();
        let id = redes::ids::PlanId(url.rsplit('/').next().unwrap().parse().unwrap());
        let seen = redes::encounters::store::get(&app.db, id).await.unwrap();
        let plan = seen.plan().unwrap();
        redes::encounters::store::save(&app.db, id, &plan, &seen.updated_at)
            .await
            .unwrap();
        let stale = redes::encounters::store::save(&app.db, id, &plan, &seen.updated_at).await;
        assert!(
            matches!(&stale, Err(redes::error::StoreError::Conflict(m)) if redes::text::es(m).contains("Otra persona")),
            "{stale:?}"
        );
        let stale = redes::encounters::store::approve(
            &app.db,
            id,
            redes::ids::PersonId(1),
            &seen.updated_at,
        )
        .await;
        assert!(matches!(stale, Err(redes::error::StoreError::Conflict(_))));
        assert_eq!(
            app.text("SELECT status FROM encounter_plans").await,
            "draft"
        );
    }
);

/// Issue 10, items 4 and 5: the zones of the test municipality. La Laja's
/// primaria is in zone A (with a second primaria of another zone), its
/// jardín in a preescolar zone; Fuentezuelas is another locality.
const ZONE_A: &str = "22FIZ0041F";

async fn seed_zones(app: &TestApp) {
    seed_zone(app).await;
    app.school(
        "mx",
        "22DPR0009Z",
        "Primaria Otra Zona",
        STATE,
        MUNICIPALITY,
    )
    .await;
    for (code, zone) in [
        ("22DPR0001B", ZONE_A),
        ("22DJN0001A", "22FZP0038B"),
        ("22DJN0002C", "22FZP0038B"),
        ("22DES0002D", "22FIS0004S"),
        ("22DPR0009Z", "22FIZ0012K"),
    ] {
        sqlx::query("UPDATE schools SET supervision_zone = $1, levels = CASE WHEN official_code = '22DPR0009Z' THEN 'primaria' ELSE levels END, commune = CASE WHEN official_code = '22DPR0009Z' THEN 'La Laja' ELSE commune END WHERE official_code = $2")
            .bind(zone)
            .bind(code)
            .execute(&app.db.pool)
            .await
            .unwrap();
    }
}

fn supervisor_of_zone(zone: &str) -> Grant<'_> {
    Grant {
        role: "supervisor",
        scope_kind: "zone",
        country: "mx",
        scope_name: zone,
        ..Default::default()
    }
}

both_databases!(
    a_zone_supervisor_plans_their_zone_and_the_plan_names_every_zone,
    |app: TestApp| async move {
        seed_zones(&app).await;
        let mut client = app
            .signed_in("supervisora.zona", &[supervisor_of_zone(ZONE_A)])
            .await;
        let page = client.get("/encuentros").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains(&format!(
                "<option value=\"{ZONE_A}\">{ZONE_A} · Tequisquiapan, Querétaro (1 "
            )),
            "{}",
            page.body
        );
        // Neither the municipality nor other zones are offered.
        assert!(!page.body.contains("name=\"place\""), "{}", page.body);
        assert!(!page.body.contains("22FZP0038B"), "{}", page.body);

        let run = client.post_form("/encuentros", &[("zone", ZONE_A)]).await;
        assert_eq!(run.status, StatusCode::SEE_OTHER, "{}", run.body);
        let url = run.location.unwrap();
        assert_eq!(app.text("SELECT zone FROM encounter_plans").await, ZONE_A);
        let plan = stored_plan(&app).await;
        // The zone's primaria and the other level of its locality; not the
        // same level's other zone, not the other locality.
        let mut codes: Vec<&str> = plan.schools.iter().map(|s| s.code.as_str()).collect();
        codes.sort();
        assert_eq!(codes, ["22DJN0001A", "22DPR0001B"]);
        assert_eq!(plan.clusters.len(), 1);
        assert_eq!(plan.clusters[0].zones, ["22FIZ0041F", "22FZP0038B"]);

        let page = client.get(&url).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body
                .contains(&format!("zona {ZONE_A} · Tequisquiapan")),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("Supervisiones que acuerdan el plan: zona 22FIZ0041F, zona 22FZP0038B"),
            "{}",
            page.body
        );
        let print = client.get(&format!("{url}/imprimir")).await;
        assert_eq!(print.status, StatusCode::OK);
        assert!(
            print
                .body
                .contains("Supervisiones que acuerdan el plan: zona 22FIZ0041F, zona 22FZP0038B"),
            "{}",
            print.body
        );
        assert!(
            print
                .body
                .contains(&format!("Zona de supervisión {ZONE_A}")),
            "{}",
            print.body
        );
        let list = client.get("/encuentros").await;
        assert!(
            list.body.contains(&format!("· zona {ZONE_A}")),
            "{}",
            list.body
        );

        // The zone's schools are theirs to see; another zone's are not.
        let own = app
            .count("SELECT id FROM schools WHERE official_code = '22DPR0001B'")
            .await;
        let other = app
            .count("SELECT id FROM schools WHERE official_code = '22DES0002D'")
            .await;
        let school = client.get(&format!("/escuelas/{own}")).await;
        assert_eq!(school.status, StatusCode::OK);
        assert!(
            school.body.contains("Zona de supervisión"),
            "{}",
            school.body
        );
        assert_eq!(
            client.get(&format!("/escuelas/{other}")).await.status,
            StatusCode::FORBIDDEN
        );
        let listed = client.get("/escuelas").await;
        assert!(listed.body.contains("Primaria Norte") && !listed.body.contains("Secundaria Sur"));
    }
);

both_databases!(
    a_zone_supervisor_cannot_plan_another_zone_or_the_municipality,
    |app: TestApp| async move {
        seed_zones(&app).await;
        let mut municipal = app.signed_in("supervisora", &[zone_supervisor()]).await;
        let run = municipal
            .post_form("/encuentros", &[("place", "Querétaro|Tequisquiapan")])
            .await;
        let municipal_plan = run.location.unwrap();

        let mut client = app
            .signed_in("supervisora.zona", &[supervisor_of_zone(ZONE_A)])
            .await;
        for fields in [
            [("zone", "22FZP0038B")],
            [("zone", "22FIZ9999X")],
            [("place", "Querétaro|Tequisquiapan")],
        ] {
            let refused = client.post_form("/encuentros", &fields).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{fields:?}");
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM encounter_plans").await, 1);
        assert_eq!(
            client.get(&municipal_plan).await.status,
            StatusCode::FORBIDDEN
        );
        assert!(!client
            .get("/encuentros")
            .await
            .body
            .contains(&municipal_plan));

        // The municipal supervisor plans a zone that lies within the municipality.
        let run = municipal
            .post_form("/encuentros", &[("zone", "22FZP0038B")])
            .await;
        assert_eq!(run.status, StatusCode::SEE_OTHER, "{}", run.body);
    }
);

/// The school's id in the registry, by its code.
async fn school_id(app: &TestApp, code: &str) -> i64 {
    app.count(&format!(
        "SELECT id FROM schools WHERE official_code = '{code}'"
    ))
    .await
}

// Issue 8 item 7: the plan names each coordinator by person where the
// registry knows them, and the printed rosters list teachers by name;
// seats nobody in Redes holds keep the role and school (plan) or the seat
// (rosters).
both_databases!(
    coordinators_and_rosters_name_the_people_redes_knows,
    |app: TestApp| async move {
        seed_zone(&app).await;
        let mut client = app.signed_in("supervisora", &[zone_supervisor()]).await;
        let run = client
            .post_form("/encuentros", &[("place", "Querétaro|Tequisquiapan")])
            .await;
        let url = run.location.unwrap();
        let plan = stored_plan(&app).await;
        // The first group's first coordinator: a seat like 22DPR0001B-D1.
        let seat = plan.clusters[0].groups[0].coordinators[0].clone();
        let (code, tag) = seat.rsplit_once('-').unwrap();
        let role = match &tag[..1] {
            "D" => "director",
            "S" => "technical_head",
            "A" => "adviser",
            _ => "teacher",
        };
        assert_eq!(
            &tag[1..],
            if role == "teacher" { "01" } else { "1" },
            "{seat}"
        );
        let school = school_id(&app, code).await;
        let grant = |role| Grant {
            country: "mx",
            ..common::school_grant(role, school)
        };
        app.person("rosa.ugalde", &[grant(role)]).await;
        let school_name = plan
            .schools
            .iter()
            .find(|s| s.code == code)
            .unwrap()
            .name
            .clone();

        let page = client.get(&url).await.body;
        let label = match role {
            "director" => "Director(a)",
            "technical_head" => "Subdirector(a)",
            "adviser" => "ATP",
            _ => "Docente",
        };
        let named = format!(
            "<strong>Persona rosa.ugalde</strong><br><small>{label} · {school_name}</small>"
        );
        assert!(page.contains(&named), "{named}: {page}");
        // The seat is no longer shown by role and school alone...
        let unnamed =
            format!("{label} · {school_name} <small class=\"hint\">(sin nombre en Redes)");
        if role != "teacher" {
            assert!(!page.contains(&unnamed), "{page}");
        }
        // ...while the seats of schools whose people are not in Redes are.
        assert!(page.contains("(sin nombre en Redes)"), "{page}");

        // Two teachers of Primaria Norte in Redes take its first two seats
        // on the printed rosters, by name; its third seat shows the seat.
        let norte = school_id(&app, "22DPR0001B").await;
        for username in ["beto.ruiz", "ana.perez"] {
            app.person(
                username,
                &[Grant {
                    country: "mx",
                    ..common::school_grant("teacher", norte)
                }],
            )
            .await;
        }
        let print = client.get(&format!("{url}/imprimir")).await.body;
        assert!(print.contains("<td>Persona ana.perez</td>"), "{print}");
        assert!(print.contains("<td>Persona beto.ruiz</td>"), "{print}");
        assert!(!print.contains(">22DPR0001B-T01<") && !print.contains(">22DPR0001B-T02<"));
        assert!(
            print.contains("<span class=\"seat\">22DPR0001B-T03</span>"),
            "{print}"
        );
        assert!(
            print.contains("<strong>Persona rosa.ugalde</strong>"),
            "{print}"
        );
        // A teacher who left the school no longer holds a seat.
        sqlx::query("UPDATE memberships SET ends_on = '2020-01-01' WHERE person_id = (SELECT id FROM people WHERE username = 'ana.perez')")
            .execute(&app.db.pool)
            .await
            .unwrap();
        app.state.db.write().await.unwrap().commit().await.unwrap();
        let print = client.get(&format!("{url}/imprimir")).await.body;
        assert!(!print.contains("Persona ana.perez"));
        assert!(print.contains("<td>Persona beto.ruiz</td>"), "{print}");
    }
);

both_databases!(
    the_plan_s_map_has_a_legend_of_its_clusters_and_shapes,
    |app: TestApp| async move {
        seed_zone(&app).await;
        let mut client = app.signed_in("supervisora", &[zone_supervisor()]).await;
        let run = client
            .post_form("/encuentros", &[("place", "Querétaro|Tequisquiapan")])
            .await;
        let page = client.get(&run.location.unwrap()).await.body;
        let legend = &page[page.find("id=\"mapa-leyenda\"").expect("a legend")..];
        let legend = &legend[..legend.find("</div>").unwrap()];
        let plan = stored_plan(&app).await;
        for c in &plan.clusters {
            let host = plan.schools.iter().find(|s| s.code == c.host).unwrap();
            let item = format!(
                "<span class=\"swatch mapa-c{}\" aria-hidden=\"true\">{}</span> Agrupamiento {} · sede: {}",
                c.id % 8,
                c.id,
                c.id,
                host.name
            );
            assert!(legend.contains(&item), "{item}: {legend}");
        }
        for shape in [
            "Cuadrado: escuela sede",
            "Círculo: escuela del agrupamiento",
            "Escuela sin ubicar",
        ] {
            assert!(legend.contains(shape), "{shape}");
        }
    }
);
