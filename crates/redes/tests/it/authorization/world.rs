//! The world of the authorization matrix: the objects and actors named in
//! `fixtures/authorization.tsv`, a fingerprint of everything a request may
//! change, and a reset that puts the world back after an allowed write.

use std::collections::HashMap;

use crate::common::{self, network_grant, school_grant, Client, Grant, TestApp};
use redes::networks::model::NetworkInput;
use redes::schools::model::SchoolInput;

/// Every actor of the table: key, username, and how their grants are made.
pub const ACTORS: [(&str, &str); 13] = [
    ("anonymous", ""),
    ("admin", "admin"),
    ("ministry", "ministerio"),
    ("seremi", "seremi.biobio"),
    ("deprov", "deprov.concepcion"),
    ("secretariat", "sec.bolivar"),
    ("supervisor", "supervisor.teq"),
    ("coordinator", "coordinador.a"),
    ("director", "director.x"),
    ("technical_head", "jefe.tecnico.x"),
    ("teacher", "docente.x"),
    ("rector", "rector.ibague"),
    ("dual", "doble.rol"),
];

/// The schools of the world (the zone's come from `common::seed_zone`):
/// key, country, official code, name, region, province, parent key.
#[rustfmt::skip]
const SCHOOLS: [[&str; 7]; 9] = [
    ["school-x", "cl", "4001", "Escuela Concepción Centro", "Biobío", "Concepción", ""],
    ["school-w", "cl", "4003", "Escuela Concepción Norte", "Biobío", "Concepción", ""],
    ["school-y", "cl", "4002", "Escuela Arauco", "Biobío", "Arauco", ""],
    ["school-m", "cl", "3001", "Escuela Linares", "Maule", "Linares", ""],
    ["school-n", "cl", "3002", "Escuela Talca", "Maule", "Talca", ""],
    ["school-c", "co", "130001000001", "Institución Educativa Cartagena", "Bolívar", "Cartagena", ""],
    ["school-c2", "co", "130001000002", "Institución Educativa Bocagrande", "Bolívar", "Cartagena", ""],
    ["inst-i", "co", "730001000001", "Institución Educativa Ibagué", "Tolima", "Ibagué", ""],
    ["sede-s", "co", "73000100000102", "Sede Picaleña", "Tolima", "Ibagué", "inst-i"],
];

/// Schools of the encounter zone (`common::seed_zone`) used as objects.
const ZONE_OBJECTS: [(&str, &str); 2] = [("school-z", "22DPR0001B"), ("school-z2", "22DJN0001A")];

/// The networks, each with a member school and a school it may add:
/// key, country, kind, name, region, province, member, candidate.
#[rustfmt::skip]
const NETWORKS: [[&str; 8]; 4] = [
    ["red-a", "cl", "rme", "Red Biobío Costa", "Biobío", "Concepción", "school-x", "school-w"],
    ["red-b", "cl", "rme", "Red Maule Sur", "Maule", "Linares", "school-m", "school-n"],
    ["red-co", "co", "teacher_network", "Red de Maestros Cartagena", "Bolívar", "Cartagena", "school-c", "school-c2"],
    ["red-mx", "mx", "rme", "Red Tequisquiapan", "Querétaro", "Tequisquiapan", "school-z", "school-z2"],
];

/// Calls: key, country, region, title.
#[rustfmt::skip]
const CALLS: [(&str, &str, &str, &str); 6] = [
    ("call-cl", "cl", "", "Convocatoria nacional Chile"),
    ("call-biobio", "cl", "Biobío", "Convocatoria Biobío"),
    ("call-maule", "cl", "Maule", "Convocatoria Maule"),
    ("call-bolivar", "co", "Bolívar", "Convocatoria Bolívar"),
    ("call-tolima", "co", "Tolima", "Convocatoria Tolima"),
    ("call-mx", "mx", "", "Convocatoria nacional México"),
];

/// A second zone, outside the supervisor's municipality.
const OTHER_ZONE: &str = "Cadereyta de Montes";
/// Its schools: code, name, level, locality, latitude, longitude.
#[rustfmt::skip]
const OTHER_ZONE_SCHOOLS: [(&str, &str, &str, &str, f64, f64); 4] = [
    ("22DJN0101A", "Jardín Bernal", "preescolar", "Bernal", 20.70, -99.95),
    ("22DPR0101B", "Primaria Bernal", "primaria", "Bernal", 20.701, -99.951),
    ("22DJN0102C", "Jardín Vizarrón", "preescolar", "Vizarrón", 20.85, -99.70),
    ("22DES0102D", "Secundaria Vizarrón", "secundaria", "Vizarrón", 20.851, -99.701),
];

pub const MISSING_ID: i64 = 999_999;

/// What the table's object names stand for, and a session per actor.
pub struct World {
    pub app: TestApp,
    /// Object key → database id (schools, networks, plans, person-p).
    pub ids: HashMap<String, i64>,
    /// Object key → the text that shows it in a list (names, call titles).
    pub names: HashMap<String, String>,
    /// Network key → (member school key, candidate school key).
    pub network_schools: HashMap<String, (String, String)>,
    /// Plan id → a valid move: (school code, other cluster).
    pub moves: HashMap<i64, (String, usize)>,
    pub membership_p: i64,
    pub actors: HashMap<String, Actor>,
    pub baseline: Baseline,
}

pub struct Actor {
    pub person_id: i64,
    pub username: String,
    pub client: Client,
}

fn grants_of(actor: &str, ids: &HashMap<String, i64>) -> Vec<Grant<'static>> {
    let id = |k: &str| ids[k];
    let region = |role, country, name| Grant {
        role,
        scope_kind: "region",
        country,
        scope_name: name,
        ..Default::default()
    };
    match actor {
        "ministry" => vec![common::grant("ministry", "national", "")],
        "seremi" => vec![region("regional_authority", "cl", "Biobío")],
        "deprov" => vec![common::grant("provincial_office", "province", "Concepción")],
        "secretariat" => vec![region("secretariat", "co", "Bolívar")],
        "supervisor" => vec![common::zone_supervisor()],
        "coordinator" => vec![network_grant("network_coordinator", id("red-a"))],
        "director" => vec![school_grant("director", id("school-x"))],
        "technical_head" => vec![school_grant("technical_head", id("school-x"))],
        "teacher" => vec![school_grant("teacher", id("school-x"))],
        "rector" => vec![Grant {
            country: "co",
            ..school_grant("director", id("inst-i"))
        }],
        "dual" => vec![
            school_grant("teacher", id("school-x")),
            region("regional_authority", "cl", "Maule"),
        ],
        _ => vec![],
    }
}

async fn insert_school(app: &TestApp, input: SchoolInput) -> i64 {
    let mut conn = app.db.pool.acquire().await.unwrap();
    redes::schools::store::insert(&mut conn, &input.parse().unwrap())
        .await
        .unwrap()
        .0
}

async fn insert_network(app: &TestApp, input: NetworkInput) -> i64 {
    let mut conn = app.db.pool.acquire().await.unwrap();
    redes::networks::store::insert(&mut conn, &input.parse().unwrap(), None, false)
        .await
        .unwrap()
        .0
}

/// A client signed in through the login form (anonymous: only the CSRF cookie).
pub async fn client_for(app: &TestApp, username: &str) -> Client {
    let mut client = app.client();
    client.csrf().await;
    if !username.is_empty() {
        let login = client.login(username, common::PASSWORD).await;
        assert!(client.has_session(), "login of {username}: {}", login.body);
    }
    client
}

/// A plan made through the application; returns its id.
async fn run_plan(admin: &mut Client, municipality: &str) -> i64 {
    let place = format!("{}|{municipality}", common::ZONE_STATE);
    let run = admin.post_form("/encuentros", &[("place", &place)]).await;
    let location = run
        .location
        .unwrap_or_else(|| panic!("plan run: {}", run.body));
    location.rsplit('/').next().unwrap().parse().unwrap()
}

pub async fn build(app: TestApp) -> World {
    let mut ids = HashMap::new();
    let mut names = HashMap::new();
    for [key, country, code, name, region, province, parent] in SCHOOLS {
        let parent_code = SCHOOLS.iter().find(|s| s[0] == parent).map(|s| s[2]);
        let input = SchoolInput {
            country: country.into(),
            official_code: code.into(),
            name: name.into(),
            region: region.into(),
            province: province.into(),
            commune: province.into(),
            parent_code: parent_code.unwrap_or_default().into(),
            ..Default::default()
        };
        ids.insert(key.to_string(), insert_school(&app, input).await);
        names.insert(key.to_string(), name.to_string());
    }
    common::seed_zone(&app).await;
    for (code, name, level, locality, lat, lon) in OTHER_ZONE_SCHOOLS {
        let input = SchoolInput {
            country: "mx".into(),
            official_code: code.into(),
            name: name.into(),
            levels: level.into(),
            region: common::ZONE_STATE.into(),
            province: OTHER_ZONE.into(),
            commune: locality.into(),
            shift: "matutino".into(),
            latitude: lat.to_string(),
            longitude: lon.to_string(),
            teachers: "8".into(),
            classrooms: "8".into(),
            ..Default::default()
        };
        insert_school(&app, input).await;
    }
    for (key, code) in ZONE_OBJECTS {
        let school =
            redes::schools::store::find_by_code(&app.db, redes::country::Country::Mx, code)
                .await
                .unwrap()
                .unwrap();
        ids.insert(key.to_string(), school.id.0);
        names.insert(key.to_string(), school.name);
    }
    let mut network_schools = HashMap::new();
    for [key, country, kind, name, region, province, member, candidate] in NETWORKS {
        let input = NetworkInput {
            country: country.into(),
            kind: kind.into(),
            name: name.into(),
            region: region.into(),
            province: province.into(),
            ..Default::default()
        };
        let id = insert_network(&app, input).await;
        let mut conn = app.db.pool.acquire().await.unwrap();
        redes::networks::store::add_member(
            &mut conn,
            redes::ids::NetworkId(id),
            redes::ids::SchoolId(ids[member]),
            Some("2016-03-01"),
        )
        .await
        .unwrap();
        ids.insert(key.to_string(), id);
        names.insert(key.to_string(), name.to_string());
        network_schools.insert(key.to_string(), (member.to_string(), candidate.to_string()));
    }

    let mut actors = HashMap::new();
    for (key, username) in ACTORS {
        let person_id = if username.is_empty() {
            0
        } else {
            app.person(username, &grants_of(key, &ids)).await
        };
        let client = client_for(&app, username).await;
        let username = username.to_string();
        actors.insert(
            key.to_string(),
            Actor {
                person_id,
                username,
                client,
            },
        );
    }
    let person_p = app
        .person("persona.p", &[school_grant("teacher", ids["school-w"])])
        .await;
    ids.insert("person-p".into(), person_p);
    // Another person's API token: nobody revokes it but its owner.
    redes::auth::tokens::issue(&app.db, redes::ids::PersonId(person_p), "script de p")
        .await
        .unwrap();
    let token_p = app
        .count(&format!(
            "SELECT id FROM api_tokens WHERE person_id = {person_p}"
        ))
        .await;
    ids.insert("token-p".into(), token_p);
    // Another person's calendar feed: nobody revokes it but its owner.
    redes::calendar::store::create_feed(&app.db, redes::ids::PersonId(person_p))
        .await
        .unwrap();
    let feed_p = app
        .count(&format!(
            "SELECT id FROM calendar_feeds WHERE person_id = {person_p}"
        ))
        .await;
    ids.insert("feed-p".into(), feed_p);
    let membership_p = app
        .count(&format!(
            "SELECT MAX(id) FROM memberships WHERE person_id = {person_p}"
        ))
        .await;

    let admin_id = actors["admin"].person_id;
    for (key, country, region, title) in CALLS {
        sqlx::query("INSERT INTO calls (country, region, title, body, created_by, created_at) VALUES ($1, $2, $3, '', $4, $5)")
            .bind(country)
            .bind(region)
            .bind(title)
            .bind(admin_id)
            .bind(redes::db::now())
            .execute(&app.db.pool)
            .await
            .unwrap();
        names.insert(key.to_string(), title.to_string());
    }

    let admin = &mut actors.get_mut("admin").unwrap().client;
    let draft = run_plan(admin, common::ZONE_MUNICIPALITY).await;
    let approved = run_plan(admin, common::ZONE_MUNICIPALITY).await;
    let out = run_plan(admin, OTHER_ZONE).await;
    let done = admin
        .post_form(&format!("/encuentros/{approved}/aprobar"), &[])
        .await;
    assert_eq!(done.status.as_u16(), 303, "{}", done.body);
    let mut moves = HashMap::new();
    for (key, id) in [
        ("plan-draft", draft),
        ("plan-approved", approved),
        ("plan-out", out),
    ] {
        ids.insert(key.to_string(), id);
        let json = app
            .text(&format!(
                "SELECT plan_json FROM encounter_plans WHERE id = {id}"
            ))
            .await;
        let plan: redes_planner::Plan = serde_json::from_str(&json).unwrap();
        let (from, to) = (&plan.clusters[0], &plan.clusters[1]);
        moves.insert(id, (from.schools[0].clone(), to.id));
    }
    // A plan whose encounter sessions exist (seed 003), and its first session.
    let with_sessions = run_plan(admin, common::ZONE_MUNICIPALITY).await;
    let done = admin
        .post_form(&format!("/encuentros/{with_sessions}/aprobar"), &[])
        .await;
    assert_eq!(done.status.as_u16(), 303, "{}", done.body);
    let created = admin
        .post_form(
            &format!("/encuentros/{with_sessions}/sesiones"),
            &[
                ("date_1", "2026-02-27"),
                ("date_2", "2026-04-24"),
                ("date_3", "2026-06-26"),
            ],
        )
        .await;
    assert_eq!(created.status.as_u16(), 303, "{}", created.body);
    ids.insert("plan-sessions".into(), with_sessions);
    let session = app
        .count(&format!(
            "SELECT MIN(id) FROM meetings WHERE encounter_plan_id = {with_sessions}"
        ))
        .await;
    ids.insert("session-z".into(), session);
    for (key, sql) in [
        ("session-z-duty", format!("SELECT MIN(id) FROM session_checklist WHERE meeting_id = {session} AND role = 'supervision'")),
        ("session-z-line", format!("SELECT MIN(id) FROM attendance WHERE meeting_id = {session}")),
        ("session-z-school", format!("SELECT MIN(school_id) FROM attendance WHERE meeting_id = {session}")),
    ] {
        ids.insert(key.into(), app.count(&sql).await);
    }
    // A meeting of red-a and one of red-b (their rosters are the actors
    // of their member schools and networks).
    for (key, network, host) in [
        ("meeting-a", "red-a", "school-x"),
        ("meeting-b", "red-b", "school-m"),
    ] {
        let meeting = redes::meetings::model::NewMeeting {
            kind: redes::meetings::model::MeetingKind::NetworkSession,
            title: format!("Reunión de {network}"),
            theme: String::new(),
            held_on: "2030-04-02".into(),
            starts_at: "09:00".into(),
            ends_at: "12:00".into(),
            host_school_id: Some(redes::ids::SchoolId(ids[host])),
            place: String::new(),
            coordinator_id: None,
        };
        let mut conn = app.db.pool.acquire().await.unwrap();
        let id = redes::meetings::store::insert(
            &mut conn,
            redes::ids::NetworkId(ids[network]),
            &meeting,
            None,
            redes::ids::PersonId(admin_id),
        )
        .await
        .unwrap();
        let item = redes::meetings::store::agenda::NewItem {
            title: "Bienvenida".into(),
            presenter: "Coordinación".into(),
            minutes_allotted: 15,
            notes: String::new(),
            reached: true,
            plan_action_id: None,
        };
        let item = redes::meetings::store::agenda::insert(&mut conn, id, &item, None)
            .await
            .unwrap();
        ids.insert(format!("agenda-{key}"), item.0);
        let document: i64 = sqlx::query_scalar(
            "INSERT INTO meeting_documents (meeting_id, file_name, content_type, size_bytes, content, uploaded_by, created_at)
             VALUES ($1, 'programa.txt', 'text/plain; charset=utf-8', 8, $2, $3, '2030-01-01') RETURNING id",
        )
        .bind(id)
        .bind(b"Programa".to_vec())
        .bind(admin_id)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        ids.insert(format!("document-{key}"), document);
        ids.insert(key.to_string(), id.0);
        names.insert(key.to_string(), meeting.title);
    }
    let teacher = actors["teacher"].person_id;
    super::plans::build(&app, &mut ids, &mut names, teacher).await;
    add_agreements(&app, &mut ids, &mut names, actors["admin"].person_id).await;
    let coordinator = actors["coordinator"].person_id;
    super::calls::build(&app, &mut ids, &mut names, coordinator).await;
    let admin = actors["admin"].person_id;
    super::practices::build(&app, &mut ids, &mut names, teacher, admin).await;
    let people = super::reviews::People {
        author: teacher,
        open_reviewer: actors["rector"].person_id,
        sent_reviewer: actors["director"].person_id,
        admin,
    };
    super::reviews::build(&app, &mut ids, &mut names, people).await;
    let baseline = Baseline::take(&app).await;
    World {
        app,
        ids,
        names,
        network_schools,
        moves,
        membership_p,
        actors,
        baseline,
    }
}

/// Two meetings of red-a (March and April) and an agreement taken at the
/// first, owned by school-x: `agr-meeting`, `agr-meeting-next`,
/// `agreement-a`.
async fn add_agreements(
    app: &TestApp,
    ids: &mut HashMap<String, i64>,
    names: &mut HashMap<String, String>,
    admin: i64,
) {
    for (key, title, held_on) in [
        (
            "agr-meeting",
            "Sesión de marzo de Red Biobío Costa",
            "2026-03-03",
        ),
        (
            "agr-meeting-next",
            "Sesión de abril de Red Biobío Costa",
            "2026-04-07",
        ),
    ] {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO meetings (network_id, kind, title, held_on, starts_at, ends_at, created_by, created_at, updated_at)
             VALUES ($1, 'network_session', $2, $3, '09:00', '11:00', $4, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z') RETURNING id",
        )
        .bind(ids["red-a"])
        .bind(title)
        .bind(held_on)
        .bind(admin)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        ids.insert(key.to_string(), id);
        names.insert(key.to_string(), title.to_string());
    }
    let body = "Compartir la pauta de observación de aula";
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO agreements (network_id, meeting_id, body, owner_school_id, due_on, status, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, '2026-03-31', 'open', $5, '2026-03-03T12:00:00Z', '2026-03-03T12:00:00Z') RETURNING id",
    )
    .bind(ids["red-a"])
    .bind(ids["agr-meeting"])
    .bind(body)
    .bind(ids["school-x"])
    .bind(admin)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    ids.insert("agreement-a".into(), id);
    names.insert("agreement-a".into(), body.into());
}

type SchoolRow = (i64, String, String, String, String, Option<i64>, i64);
type NetworkRow = (i64, String, String, String, String, i64);
type PersonRow = (i64, String, String, i64);
type PlanRow = (i64, String, String, Option<i64>, Option<String>);
type DocumentRow = (i64, i64, String, String, i64, Vec<u8>, i64, String);
type AgendaRow = (i64, i64, i64, String, String, i64, String, i64);
type MeetingRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    String,
    String,
    String,
    i64,
    String,
    Option<i64>,
);

/// The world as built: what `reset` restores.
pub struct Baseline {
    /// Highest id of each table whose new rows `reset` deletes.
    max: HashMap<&'static str, i64>,
    schools: Vec<SchoolRow>,
    networks: Vec<NetworkRow>,
    people: Vec<PersonRow>,
    plans: Vec<PlanRow>,
    meetings: Vec<MeetingRow>,
    /// The work plans (issue 11).
    work_plans: super::plans::Snapshot,
    /// The proposals of calls (issue 8).
    proposals: Vec<super::calls::ProposalRow>,
    /// The good practices (issue 12).
    practices: super::practices::Snapshot,
    agenda: Vec<AgendaRow>,
    documents: Vec<DocumentRow>,
}

const GROWING: [&str; 19] = [
    "meetings",
    "meeting_series",
    "attendance",
    "agenda_items",
    "minutes_comments",
    "minutes_versions",
    "meeting_documents",
    "agreements",
    "agreement_reviews",
    "agreement_status_changes",
    "schools",
    "networks",
    "network_schools",
    "memberships",
    "people",
    "calls",
    "encounter_plans",
    "session_checklist",
    "observer_records",
];

impl Baseline {
    async fn take(app: &TestApp) -> Baseline {
        let mut max = HashMap::new();
        for table in GROWING {
            max.insert(
                table,
                app.count(&format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
                    .await,
            );
        }
        let pool = &app.db.pool;
        Baseline {
            max,
            schools: sqlx::query_as(
                "SELECT id, name, country, region, province, parent_id, archived FROM schools",
            )
            .fetch_all(pool)
            .await
            .unwrap(),
            networks: sqlx::query_as(
                "SELECT id, name, country, region, province, archived FROM networks",
            )
            .fetch_all(pool)
            .await
            .unwrap(),
            people: sqlx::query_as("SELECT id, full_name, email, archived FROM people")
                .fetch_all(pool)
                .await
                .unwrap(),
            plans: sqlx::query_as(
                "SELECT id, status, plan_json, approved_by, approved_at FROM encounter_plans",
            )
            .fetch_all(pool)
            .await
            .unwrap(),
            documents: sqlx::query_as(
                "SELECT id, meeting_id, file_name, content_type, size_bytes, content, uploaded_by, created_at FROM meeting_documents",
            )
            .fetch_all(pool)
            .await
            .unwrap(),
            agenda: sqlx::query_as(
                "SELECT id, meeting_id, position, title, presenter, minutes_allotted, notes, reached FROM agenda_items",
            )
            .fetch_all(pool)
            .await
            .unwrap(),
            meetings: sqlx::query_as(
                "SELECT id, title, held_on, starts_at, ends_at, host_school_id, place, status, minutes, minutes_version, updated_at, coordinator_id FROM meetings",
            )
            .fetch_all(pool)
            .await
            .unwrap(),
            work_plans: super::plans::take(app).await,
            proposals: super::calls::take(app).await,
            practices: super::practices::take(app).await,
        }
    }
}

/// Everything a request of the matrix may change (sessions and API tokens
/// aside), one line per row.
pub async fn fingerprint(app: &TestApp) -> Vec<String> {
    const QUERIES: [&str; 20] = [
        "SELECT 'meeting ' || CAST(id AS TEXT) || ' ' || title || ' ' || held_on || ' ' || status || ' v' || CAST(minutes_version AS TEXT) || ' ' || updated_at FROM meetings ORDER BY id",
        "SELECT 'series ' || CAST(id AS TEXT) FROM meeting_series ORDER BY id",
        "SELECT 'attendance ' || CAST(id AS TEXT) || ' ' || status || ' ' || CAST(confirmed AS TEXT) || ' ' || guest_name FROM attendance ORDER BY id",
        "SELECT 'agenda ' || CAST(id AS TEXT) || ' ' || CAST(position AS TEXT) || ' ' || title || ' ' || CAST(reached AS TEXT) FROM agenda_items ORDER BY id",
        "SELECT 'comment ' || CAST(id AS TEXT) || ' ' || status FROM minutes_comments ORDER BY id",
        "SELECT 'version ' || CAST(id AS TEXT) FROM minutes_versions ORDER BY id",
        "SELECT 'document ' || CAST(id AS TEXT) FROM meeting_documents ORDER BY id",
        "SELECT 'agreement ' || CAST(id AS TEXT) || ' ' || status || ' ' || drop_reason || ' ' || updated_at FROM agreements ORDER BY id",
        "SELECT 'review ' || CAST(id AS TEXT) || ' ' || CAST(agreement_id AS TEXT) || ' ' || status_after FROM agreement_reviews ORDER BY id",
        "SELECT 'status change ' || CAST(id AS TEXT) || ' ' || status_after FROM agreement_status_changes ORDER BY id",
        "SELECT 'school ' || CAST(id AS TEXT) || ' ' || name || ' ' || country || '/' || region || '/' || province || ' parent ' || COALESCE(CAST(parent_id AS TEXT), '-') || ' archived ' || CAST(archived AS TEXT) || ' ' || updated_at FROM schools ORDER BY id",
        "SELECT 'network ' || CAST(id AS TEXT) || ' ' || name || ' ' || country || '/' || region || '/' || province || ' archived ' || CAST(archived AS TEXT) || ' ' || updated_at FROM networks ORDER BY id",
        "SELECT 'member ' || CAST(network_id AS TEXT) || ' ' || CAST(school_id AS TEXT) || ' left ' || COALESCE(left_on, '-') FROM network_schools ORDER BY id",
        "SELECT 'year ' || CAST(network_id AS TEXT) || ' ' || CAST(year AS TEXT) || ' ' || CAST(active AS TEXT) FROM network_years ORDER BY network_id, year",
        "SELECT 'role ' || CAST(id AS TEXT) || ' ' || CAST(person_id AS TEXT) || ' ' || role || ' ends ' || COALESCE(ends_on, '-') FROM memberships ORDER BY id",
        "SELECT 'person ' || CAST(id AS TEXT) || ' ' || full_name || ' archived ' || CAST(archived AS TEXT) || ' ' || updated_at FROM people ORDER BY id",
        "SELECT 'call ' || CAST(id AS TEXT) || ' ' || country || '/' || region || ' ' || title FROM calls ORDER BY id",
        "SELECT 'plan ' || CAST(id AS TEXT) || ' ' || status || ' ' || updated_at FROM encounter_plans ORDER BY id",
        "SELECT 'duty ' || CAST(id AS TEXT) || ' ' || COALESCE(CAST(done_by AS TEXT), '-') FROM session_checklist ORDER BY id",
        "SELECT 'observer record ' || CAST(id AS TEXT) FROM observer_records ORDER BY id",
    ];
    let mut lines = Vec::new();
    for sql in QUERIES {
        let rows: Vec<String> = sqlx::query_scalar(sql)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
        lines.extend(rows);
    }
    for sql in super::plans::FINGERPRINT
        .iter()
        .chain(std::iter::once(&super::calls::FINGERPRINT))
        .chain(super::practices::FINGERPRINT.iter())
        .chain(super::reviews::FINGERPRINT.iter())
    {
        let rows: Vec<String> = sqlx::query_scalar(sql)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
        lines.extend(rows);
    }
    lines
}

/// Puts the world back as `build` left it, after an allowed write.
pub async fn reset(app: &TestApp, b: &Baseline) {
    // Through `Db::write`, so what the server remembers is renewed too.
    let mut tx = app.db.write().await.unwrap();
    super::plans::restore(&mut tx, &b.work_plans).await;
    super::practices::restore(&mut tx, &b.practices).await;
    let deletes = [
        (
            "DELETE FROM observer_records WHERE id > $1",
            "observer_records",
        ),
        (
            "DELETE FROM session_checklist WHERE id > $1",
            "session_checklist",
        ),
        (
            "DELETE FROM agreement_status_changes WHERE id > $1",
            "agreement_status_changes",
        ),
        (
            "DELETE FROM agreement_reviews WHERE id > $1",
            "agreement_reviews",
        ),
        ("DELETE FROM agreements WHERE id > $1", "agreements"),
        ("DELETE FROM attendance WHERE id > $1", "attendance"),
        (
            "DELETE FROM agenda_items WHERE id > 0 OR id > $1",
            "agenda_items",
        ),
        (
            "DELETE FROM minutes_comments WHERE id > $1",
            "minutes_comments",
        ),
        (
            "DELETE FROM minutes_versions WHERE id > $1",
            "minutes_versions",
        ),
        (
            "DELETE FROM meeting_documents WHERE id > 0 OR id > $1",
            "meeting_documents",
        ),
        ("DELETE FROM meetings WHERE id > $1", "meetings"),
        ("DELETE FROM meeting_series WHERE id > $1", "meeting_series"),
        (
            "DELETE FROM network_years WHERE network_id > $1",
            "networks",
        ),
        (
            "DELETE FROM network_schools WHERE network_id > $1",
            "networks",
        ),
        (
            "DELETE FROM network_schools WHERE id > $1",
            "network_schools",
        ),
        ("DELETE FROM memberships WHERE id > $1", "memberships"),
        ("DELETE FROM calls WHERE id > $1", "calls"),
        (
            "DELETE FROM encounter_plans WHERE id > $1",
            "encounter_plans",
        ),
        ("DELETE FROM networks WHERE id > $1", "networks"),
    ];
    for (sql, table) in deletes {
        sqlx::query(sql)
            .bind(b.max[table])
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    super::calls::restore(&mut tx, &b.proposals).await;
    // Every member school and every role of the baseline is current.
    for sql in [
        "UPDATE agreements SET status = 'open', drop_reason = ''",
        "UPDATE network_schools SET left_on = NULL",
        "UPDATE memberships SET ends_on = NULL",
        // No attendance is taken and no duty ticked in the baseline.
        "UPDATE attendance SET status = ''",
        "UPDATE session_checklist SET done_by = NULL, done_at = NULL",
    ] {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    for (id, name, country, region, province, parent, archived) in &b.schools {
        sqlx::query("UPDATE schools SET name = $1, country = $2, region = $3, province = $4, parent_id = $5, archived = $6 WHERE id = $7")
            .bind(name).bind(country).bind(region).bind(province).bind(parent).bind(archived).bind(id)
            .execute(&mut *tx).await.unwrap();
    }
    sqlx::query("DELETE FROM schools WHERE id > $1")
        .bind(b.max["schools"])
        .execute(&mut *tx)
        .await
        .unwrap();
    for (id, name, country, region, province, archived) in &b.networks {
        sqlx::query("UPDATE networks SET name = $1, country = $2, region = $3, province = $4, archived = $5 WHERE id = $6")
            .bind(name).bind(country).bind(region).bind(province).bind(archived).bind(id)
            .execute(&mut *tx).await.unwrap();
    }
    for (id, status, plan, approved_by, approved_at) in &b.plans {
        sqlx::query("UPDATE encounter_plans SET status = $1, plan_json = $2, approved_by = $3, approved_at = $4 WHERE id = $5")
            .bind(status).bind(plan).bind(approved_by).bind(approved_at).bind(id)
            .execute(&mut *tx).await.unwrap();
    }
    sqlx::query("UPDATE attendance SET status = '', confirmed = 0")
        .execute(&mut *tx)
        .await
        .unwrap();
    for (
        id,
        title,
        held_on,
        starts_at,
        ends_at,
        host,
        place,
        status,
        minutes,
        version,
        updated_at,
        coordinator,
    ) in &b.meetings
    {
        sqlx::query("UPDATE meetings SET title = $1, held_on = $2, starts_at = $3, ends_at = $4, host_school_id = $5, place = $6, status = $7, minutes = $8, minutes_version = $9, updated_at = $10, coordinator_id = $11 WHERE id = $12")
            .bind(title).bind(held_on).bind(starts_at).bind(ends_at).bind(host).bind(place).bind(status).bind(minutes).bind(version).bind(updated_at).bind(coordinator).bind(id)
            .execute(&mut *tx).await.unwrap();
    }
    for (id, meeting, position, title, presenter, minutes, notes, reached) in &b.agenda {
        sqlx::query("INSERT INTO agenda_items (id, meeting_id, position, title, presenter, minutes_allotted, notes, reached) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(id).bind(meeting).bind(position).bind(title).bind(presenter).bind(minutes).bind(notes).bind(reached)
            .execute(&mut *tx).await.unwrap();
    }
    for (id, meeting, name, kind, size, content, by, at) in &b.documents {
        sqlx::query("INSERT INTO meeting_documents (id, meeting_id, file_name, content_type, size_bytes, content, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(id).bind(meeting).bind(name).bind(kind).bind(size).bind(content).bind(by).bind(at)
            .execute(&mut *tx).await.unwrap();
    }
    for (id, name, email, archived) in &b.people {
        sqlx::query("UPDATE people SET full_name = $1, email = $2, archived = $3 WHERE id = $4")
            .bind(name)
            .bind(email)
            .bind(archived)
            .bind(id)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    sqlx::query("DELETE FROM people WHERE id > $1")
        .bind(b.max["people"])
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}
