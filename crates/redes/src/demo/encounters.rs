//! The demo's encounter plan (seed 003): the supervisor of primary zone
//! 22FIZ0041F in Tequisquiapan plans her zone with the other-level schools
//! of its localities, approves the plan and creates its three sessions
//! "Compartir buenas prácticas. Encuentro entre escuelas" per group. In the
//! first session of each group the supervision has ticked its duties before
//! and during the session, and she has written an observer's record. Every
//! step is the encounters' and encounter sessions' own store function,
//! inside the demo's transaction.

use crate::auth::policy::{DutyRole, Grant, Principal, Role, Scope};
use crate::country::Country;
use crate::demo::DemoIds;
use crate::encounter_sessions::model::RecordInput;
use crate::encounter_sessions::store as sessions;
use crate::encounters::store as plans;

/// The supervisor's demo account and zone (`demo.json`).
const SUPERVISOR: &str = "supervisor.qro";
const ZONE: &str = "22FIZ0041F";

/// Fridays of the school calendar's Consejo Técnico Escolar.
const DATES: [&str; 3] = ["2026-02-27", "2026-04-24", "2026-06-26"];

pub async fn load(conn: &mut sqlx::AnyConnection, ids: &DemoIds) -> anyhow::Result<()> {
    let person_id = *ids
        .people
        .get(SUPERVISOR)
        .ok_or_else(|| anyhow::anyhow!("demo: no person {SUPERVISOR}"))?;
    // Her grant as `demo.json` gives it (and `load_people` stored it): the
    // demo's transaction is not visible to a session's principal lookup.
    let supervisor = Principal {
        person_id,
        full_name: "Guadalupe Reséndiz Olvera".into(),
        username: SUPERVISOR.into(),
        is_admin: false,
        grants: vec![Grant {
            role: Role::Supervisor,
            scope: Scope::Zone {
                country: Country::Mx,
                zone: ZONE.into(),
            },
        }],
        school_network_ids: Vec::new(),
    };
    let plan = plans::plan_zone_in(conn, &supervisor, ZONE).await?;
    plans::approve_plan_in(conn, &supervisor, plan).await?;
    let dates = DATES.map(String::from);
    sessions::create_sessions_in(conn, &supervisor, plan, &dates).await?;
    let first: Vec<_> = sessions::of_plan_on(conn, plan)
        .await?
        .into_iter()
        .filter(|s| s.session.encounter_session == 1)
        .map(|s| s.session.id)
        .collect();
    anyhow::ensure!(!first.is_empty(), "demo: the zone's plan has no sessions");
    for id in first {
        for duty in sessions::duties_on(conn, id).await? {
            if duty.role == DutyRole::Supervision && duty.phase != "after" {
                sessions::tick_in(conn, &supervisor, id, duty.id, true).await?;
            }
        }
        let record = RecordInput {
            participation: "Preescolar y primaria participan por igual; secundaria habla poco en el primer momento y se suma al compartir sus prácticas de lectura.".into(),
            climate: "Ambiente de respeto y confianza; los grupos se integraron con puntualidad.".into(),
            doubts: "Cómo dar seguimiento a los acuerdos entre escuelas de distinto nivel.".into(),
            needs: "Tiempo para preparar los materiales de apoyo; una guía para el registro de los cambios al PEMC.".into(),
            expectations: "Visitar la escuela de otro nivel antes de la segunda sesión.".into(),
            moments: "El intercambio sobre la transición de preescolar a primaria.".into(),
        };
        sessions::add_record_in(conn, &supervisor, id, &record).await?;
    }
    Ok(())
}
