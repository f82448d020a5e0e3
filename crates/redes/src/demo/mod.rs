//! Demonstration data drawn from the seeds (`demo/demo.json`, see its
//! README): the 15 RME of seed 001 with their member schools and charters,
//! the 2015–2017 census (missing networks generated and marked synthetic),
//! the Cartagena teacher network (seed 000), an Ibagué institution with
//! sedes (seed 004), a Querétaro zone of four levels (seed 003), and one
//! demo account per role. When Chile's official directory is at hand the
//! whole directory is imported first, so seed schools carry real RBDs.
//! Good practices of the networks, along their cycle, are in
//! `practices.rs` (data in `demo/practices.json`).

mod agreements;
mod encounters;
mod meetings;
mod plans;
mod practices;

use std::collections::HashMap;

use anyhow::Context;
use serde::Deserialize;
use serde_json::Value;

use crate::country::Country;
use crate::db::Db;
use crate::ids::{NetworkId, PersonId, SchoolId};
use crate::networks::model::NetworkInput;
use crate::networks::store as networks;
use crate::people::{self, MembershipInput, NewPerson};
use crate::schools::import::title_case;
use crate::schools::model::NewSchool;
use crate::schools::store as schools;

/// Every demo account has this password (printed by `redes demo`).
pub const DEMO_PASSWORD: &str = "demo-redes";

const DEMO_JSON: &str = include_str!("../../demo/demo.json");

#[derive(Deserialize)]
struct Demo {
    networks_cl: Vec<Value>,
    census: Vec<CensusYear>,
    network_co_cartagena: Value,
    school_co_ibague: Value,
    zone_mx: Value,
    people: Vec<DemoPerson>,
}

#[derive(Deserialize)]
struct CensusYear {
    year: i64,
    active: i64,
    by_region: Vec<RegionCount>,
}

#[derive(Deserialize)]
struct RegionCount {
    region: String,
    active: i64,
}

#[derive(Deserialize, Clone)]
pub struct DemoPerson {
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub role_es: String,
    country: Option<String>,
    scope_kind: String,
    scope: String,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn list(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

fn school(
    country: Country,
    code: String,
    name: String,
    region: &str,
    province: &str,
    commune: &str,
) -> NewSchool {
    NewSchool {
        country,
        official_code: code,
        name,
        parent_code: None,
        levels: String::new(),
        dependency: String::new(),
        modality: "general".into(),
        shift: String::new(),
        rural: false,
        region: region.into(),
        province: province.into(),
        commune: commune.into(),
        colonia: String::new(),
        supervision_zone: String::new(),
        address: String::new(),
        latitude: None,
        longitude: None,
        classrooms: None,
        teachers: None,
        students: None,
        operating: true,
        synthetic: false,
    }
}

/// Finds a school by code or inserts it; returns its id.
async fn ensure_school(conn: &mut sqlx::AnyConnection, s: &NewSchool) -> anyhow::Result<SchoolId> {
    if let Some(id) = schools::id_by_code(conn, s.country, &s.official_code).await? {
        return Ok(id);
    }
    Ok(schools::insert(conn, s).await?)
}

/// The registry's demo ids by the seed's keys, for the year's demo data:
/// networks by their `demo.json` id (`"valparaiso-liga"`, ...), people by
/// username (`"coordinador.liga"`, ...).
pub struct DemoIds {
    pub networks: HashMap<String, NetworkId>,
    pub people: HashMap<String, PersonId>,
}

/// What `load` created, for the printout.
pub struct Loaded {
    pub people: Vec<DemoPerson>,
    pub directory_rows: usize,
}

/// Loads everything into an empty, migrated store.
pub async fn load(db: &Db, chile_directory: Option<&str>) -> anyhow::Result<Loaded> {
    let demo: Demo = serde_json::from_str(DEMO_JSON).context("demo.json")?;
    let mut directory_rows = 0;
    if let Some(text) = chile_directory {
        let report = crate::schools::import::import(db, text, true).await?;
        directory_rows = report.rows;
    }
    // One transaction: a demo is loaded whole or not at all.
    let mut conn = db.write().await?;
    let mut network_ids: HashMap<String, NetworkId> = HashMap::new();
    let mut real_per_region: HashMap<(String, i64), i64> = HashMap::new();
    // Seed-only schools get codes 90001.. (outside the directory's range), marked synthetic.
    let mut seed_only = 0;
    for n in &demo.networks_cl {
        let since = n.get("since").and_then(Value::as_i64);
        let region = text(n, "region");
        let input = NetworkInput {
            country: "cl".into(),
            kind: "rme".into(),
            name: text(n, "name"),
            region: region.clone(),
            province: text(n, "province_or_area"),
            since_year: since.map(|y| y.to_string()).unwrap_or_default(),
            who_forms: text(n, "who_forms"),
            principles_needs: text(n, "principles_needs"),
            objective: text(n, "objective"),
            how_members_move: text(n, "how_members_move"),
            collaboration: text(n, "collaboration"),
            learnings_achievements: text(n, "learnings_achievements"),
            key_idea: text(n, "key_idea"),
            projection_challenges: text(n, "projection_challenges"),
        };
        let parsed = input
            .parse()
            .map_err(|e| anyhow::anyhow!("demo network {}: {e:?}", text(n, "name")))?;
        let id = networks::insert(&mut conn, &parsed, None, false).await?;
        network_ids.insert(text(n, "id"), id);
        for year in 2015..=2017 {
            let active = since.is_none_or(|s| s <= year);
            networks::set_active(&mut conn, id, year, active).await?;
            if active {
                *real_per_region.entry((region.clone(), year)).or_default() += 1;
            }
        }
        for s in n
            .get("schools")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let code = match s.get("rbd").and_then(Value::as_i64) {
                Some(rbd) => rbd.to_string(),
                // Seed-only schools get a code outside the RBD range.
                None => {
                    seed_only += 1;
                    format!("9{seed_only:04}")
                }
            };
            let mut new = school(
                Country::Cl,
                code,
                title_case(&text(s, "name")),
                &region,
                &text(n, "province_or_area"),
                &title_case(&text(s, "commune")),
            );
            new.latitude = s.get("lat").and_then(Value::as_f64);
            new.longitude = s.get("lon").and_then(Value::as_f64);
            new.dependency = text(s, "dependency");
            new.rural = s.get("rural").and_then(Value::as_bool).unwrap_or(false);
            new.levels = list(s, "levels");
            new.synthetic = s.get("rbd").is_none_or(Value::is_null);
            let school_id = ensure_school(&mut conn, &new).await?;
            let joined = format!(
                "{}-03-01",
                s.get("member_since")
                    .and_then(Value::as_i64)
                    .or(since)
                    .unwrap_or(2015)
            );
            // A school the seed lists twice in one network joins once.
            match networks::add_member(&mut conn, id, school_id, Some(&joined)).await {
                Ok(()) | Err(crate::error::StoreError::Invalid { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    add_synthetic_census(&mut conn, &demo.census, &real_per_region).await?;
    load_colombia(&mut conn, &demo, &mut network_ids).await?;
    load_mexico(&mut conn, &demo.zone_mx).await?;
    let people = load_people(&mut conn, &demo.people, &network_ids).await?;
    // The network's year (plans, meetings, agreements, encounter sessions)
    // is written by the modules' own demo files in this folder, on top of
    // the registry loaded above.
    let ids = DemoIds {
        networks: network_ids,
        people,
    };
    meetings::load(&mut conn, &ids).await?;
    agreements::load(&mut conn, &ids).await?;
    plans::load(&mut conn, &ids).await?;
    encounters::load(&mut conn, &ids).await?;
    practices::load(&mut conn, &ids).await?;
    conn.commit().await?;
    Ok(Loaded {
        people: demo.people,
        directory_rows,
    })
}

/// Generates the networks the census counts but the seed does not describe,
/// marked synthetic, so each year's total matches the published figure.
async fn add_synthetic_census(
    conn: &mut sqlx::AnyConnection,
    census: &[CensusYear],
    real: &HashMap<(String, i64), i64>,
) -> anyhow::Result<()> {
    let mut needed: HashMap<String, Vec<(i64, i64)>> = HashMap::new();
    for year in census {
        let sum: i64 = year.by_region.iter().map(|r| r.active).sum();
        anyhow::ensure!(
            sum == year.active,
            "demo census {} does not add up",
            year.year
        );
        for r in &year.by_region {
            let have = real
                .get(&(r.region.clone(), year.year))
                .copied()
                .unwrap_or(0);
            needed
                .entry(r.region.clone())
                .or_default()
                .push((year.year, (r.active - have).max(0)));
        }
    }
    for (region, years) in needed {
        let most = years.iter().map(|(_, n)| *n).max().unwrap_or(0);
        for k in 0..most {
            let input = NetworkInput {
                country: "cl".into(),
                kind: "rme".into(),
                name: format!("Red sintética {region} {:03}", k + 1),
                region: region.clone(),
                since_year: "2015".into(),
                who_forms: "Red generada para completar el censo publicado (dato sintético)."
                    .into(),
                ..NetworkInput::default()
            };
            let parsed = input
                .parse()
                .map_err(|e| anyhow::anyhow!("synthetic network: {e:?}"))?;
            let id = networks::insert(conn, &parsed, None, true).await?;
            for (year, count) in &years {
                networks::set_active(conn, id, *year, k < *count).await?;
            }
        }
    }
    Ok(())
}

async fn load_colombia(
    conn: &mut sqlx::AnyConnection,
    demo: &Demo,
    ids: &mut HashMap<String, NetworkId>,
) -> anyhow::Result<()> {
    let c = &demo.network_co_cartagena;
    let region = text(c, "department");
    let municipality = text(c, "municipality");
    let mut input = NetworkInput {
        country: "co".into(),
        kind: "teacher_network".into(),
        name: text(c, "name"),
        region: region.clone(),
        province: municipality.clone(),
        since_year: c
            .get("since")
            .and_then(Value::as_i64)
            .map(|y| y.to_string())
            .unwrap_or_default(),
        who_forms: text(c, "who_forms"),
        principles_needs: text(c, "principles_needs"),
        objective: text(c, "objective"),
        how_members_move: text(c, "how_members_move"),
        collaboration: text(c, "collaboration"),
        learnings_achievements: text(c, "learnings_achievements"),
        key_idea: text(c, "key_idea"),
        projection_challenges: text(c, "projection_challenges"),
    };
    if input.projection_challenges.is_empty() {
        input.projection_challenges = text(c, "advisory_note");
    }
    let parsed = input
        .parse()
        .map_err(|e| anyhow::anyhow!("cartagena: {e:?}"))?;
    let id = networks::insert(conn, &parsed, None, false).await?;
    networks::set_active(conn, id, 2023, true).await?;
    ids.insert(text(c, "id"), id);
    for s in c
        .get("schools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let mut new = school(
            Country::Co,
            text(s, "dane"),
            text(s, "name"),
            &region,
            &municipality,
            &text(s, "locality"),
        );
        new.dependency = "Oficial".into();
        new.synthetic = true;
        let school_id = ensure_school(conn, &new).await?;
        match networks::add_member(conn, id, school_id, Some("2023-02-20")).await {
            Ok(()) | Err(crate::error::StoreError::Invalid { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let i = &demo.school_co_ibague;
    let region = text(i, "department");
    let municipality = text(i, "municipality");
    let mut institution = school(
        Country::Co,
        text(i, "dane"),
        text(i, "name"),
        &region,
        &municipality,
        &municipality,
    );
    institution.levels = list(i, "levels");
    institution.dependency = "Oficial".into();
    institution.synthetic = true;
    for s in i
        .get("sedes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let main = s.get("main").and_then(Value::as_bool).unwrap_or(false);
        if main {
            institution.latitude = s.get("lat").and_then(Value::as_f64);
            institution.longitude = s.get("lon").and_then(Value::as_f64);
            ensure_school(conn, &institution).await?;
            continue;
        }
        let mut sede = school(
            Country::Co,
            text(s, "dane"),
            format!("{} – {}", text(i, "name"), text(s, "name")),
            &region,
            &municipality,
            &municipality,
        );
        sede.parent_code = Some(text(i, "dane"));
        sede.levels = list(s, "levels");
        sede.rural = s.get("rural").and_then(Value::as_bool).unwrap_or(false);
        sede.latitude = s.get("lat").and_then(Value::as_f64);
        sede.longitude = s.get("lon").and_then(Value::as_f64);
        sede.dependency = "Oficial".into();
        sede.synthetic = true;
        ensure_school(conn, &institution).await?;
        ensure_school(conn, &sede).await?;
    }
    Ok(())
}

async fn load_mexico(conn: &mut sqlx::AnyConnection, zone: &Value) -> anyhow::Result<()> {
    let state = text(zone, "state");
    for s in zone
        .get("schools")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let mut new = school(
            Country::Mx,
            text(s, "cct"),
            title_case(&text(s, "name")),
            &state,
            &text(s, "municipality"),
            &text(s, "locality"),
        );
        new.levels = text(s, "level");
        new.colonia = text(s, "colonia");
        // The zone of the SEP catalogue (SUPERVISION_CV_CCT); none for a few.
        new.supervision_zone = text(s, "supervision_zone");
        new.shift = match text(s, "shift").as_str() {
            "VESPERTINO" => "vespertino".into(),
            "NOCTURNO" => "nocturno".into(),
            "MATUTINO" => "matutino".into(),
            _ => "completo".into(),
        };
        let service = text(s, "service");
        new.modality = if service.contains("INDÍGENA") {
            "indígena".into()
        } else if service.contains("TELESECUNDARIA") {
            "telesecundaria".into()
        } else if service.contains("TÉCNICA") {
            "técnica".into()
        } else if new.levels == "CAM" || service.contains("CAM") {
            "CAM".into()
        } else {
            "general".into()
        };
        new.dependency = title_case(&text(s, "subcontrol"));
        new.latitude = s.get("lat").and_then(Value::as_f64);
        new.longitude = s.get("lon").and_then(Value::as_f64);
        ensure_school(conn, &new).await?;
    }
    Ok(())
}

async fn load_people(
    conn: &mut sqlx::AnyConnection,
    people: &[DemoPerson],
    networks: &HashMap<String, NetworkId>,
) -> anyhow::Result<HashMap<String, PersonId>> {
    let mut ids = HashMap::new();
    for p in people {
        let person = NewPerson {
            full_name: p.full_name.clone(),
            email: format!("{}@demo.redes", p.username),
            username: Some(p.username.clone()),
            password: Some(DEMO_PASSWORD.into()),
            is_admin: p.role == "administrator",
        };
        let id = people::insert(conn, &person).await?;
        ids.insert(p.username.clone(), id);
        if person.is_admin {
            continue;
        }
        let country = p.country.clone().unwrap_or_default().to_lowercase();
        let role = match p.role.as_str() {
            "zone_supervisor" => "supervisor",
            other => other,
        };
        let mut m = MembershipInput {
            role: role.into(),
            country: country.clone(),
            starts_on: "2015-01-01".into(),
            ..Default::default()
        };
        match p.scope_kind.as_str() {
            "school" => m.school_code = p.scope.clone(),
            "network" => {
                m.network_id = networks
                    .get(&p.scope)
                    .map(|id| id.to_string())
                    .unwrap_or_default()
            }
            // The Querétaro zone supervisor's scope is a supervision zone
            // (its CCT, as in the catalogue).
            _ => m.scope_name = p.scope.clone(),
        }
        let kind = p
            .scope_kind
            .parse()
            .map_err(|_| anyhow::anyhow!("demo.json: unknown scope kind {:?}", p.scope_kind))?;
        people::grant_with_kind(conn, id, &m, kind).await?;
    }
    Ok(ids)
}
