//! From a table row to a request: the path with its ids filled in, and a
//! valid body, so that the status answers "may this actor do this?" and not
//! "is this input valid?".

use serde_json::{json, Value};

use super::table::Row;
use super::world::{World, MISSING_ID};
use crate::common::PASSWORD;
use redes::networks::model::NetworkInput;
use redes::schools::model::SchoolInput;

/// What the object column says.
#[derive(Debug, PartialEq)]
pub enum Object {
    None,
    /// An object of the world (`school-x`, `red-a`, `plan-draft`, `person-p`),
    /// `self` (the actor) or `missing` (an id that does not exist).
    Named(String),
    /// `school-x to Biobío/Arauco`: an edit that moves it (same country).
    MovedTo(String, String, String),
    /// `school-x under school-m`: an edit that makes it a sede of the other.
    Under(String, String),
    /// `new in cl/Biobío/Concepción`: a school or network created there.
    NewIn(String, String, String),
    /// `call in cl/Biobío`, `call in cl` (no region), `call in cl/(blank)`.
    CallIn(String, String),
    /// `plan in Querétaro/Tequisquiapan`: an encounter plan run there.
    PlanIn(String, String),
}

fn split2(place: &str) -> (String, String) {
    let (a, b) = place.split_once('/').unwrap_or((place, ""));
    (a.to_string(), b.to_string())
}

pub fn parse_object(text: &str) -> Object {
    if text == "none" {
        return Object::None;
    }
    if let Some(place) = text.strip_prefix("new in ") {
        let parts: Vec<&str> = place.splitn(3, '/').collect();
        assert_eq!(parts.len(), 3, "new in COUNTRY/REGION/PROVINCE: {text}");
        return Object::NewIn(parts[0].into(), parts[1].into(), parts[2].into());
    }
    if let Some(place) = text.strip_prefix("call in ") {
        let (country, region) = split2(place);
        let region = if region == "(blank)" {
            "   ".into()
        } else {
            region
        };
        return Object::CallIn(country, region);
    }
    if let Some(place) = text.strip_prefix("plan in ") {
        let (region, province) = split2(place);
        return Object::PlanIn(region, province);
    }
    if let Some((key, place)) = text.split_once(" to ") {
        let (region, province) = split2(place);
        return Object::MovedTo(key.into(), region, province);
    }
    if let Some((key, parent)) = text.split_once(" under ") {
        return Object::Under(key.into(), parent.into());
    }
    assert!(!text.contains(' '), "unknown object form: {text}");
    Object::Named(text.into())
}

impl Object {
    /// The key of the object the path is about.
    fn key(&self) -> Option<&str> {
        match self {
            Object::Named(k) | Object::MovedTo(k, ..) | Object::Under(k, _) => Some(k),
            _ => None,
        }
    }
}

pub enum Body {
    None,
    /// A form with one file: field, file name, content.
    File(String, String, Vec<u8>),
    Form(Vec<(String, String)>),
    Json(Value),
}

pub struct Request {
    pub uri: String,
    pub body: Body,
}

/// The path of the row with every `{param}` replaced.
fn uri(world: &World, row: &Row, object: &Object) -> String {
    let id = || -> i64 {
        match object.key() {
            Some("missing") => MISSING_ID,
            Some("self") => world.actors[&row.actor].person_id,
            Some(key) => *world
                .ids
                .get(key)
                .unwrap_or_else(|| panic!("{row}: unknown object {key}")),
            None => panic!("{row}: the path needs an object"),
        }
    };
    let mut out = String::new();
    for (i, part) in row.path.split('{').enumerate() {
        if i == 0 {
            out.push_str(part);
            continue;
        }
        let (param, rest) = part.split_once('}').unwrap();
        let value = match param {
            "id" => id().to_string(),
            "school_id" => {
                let key = object.key().unwrap();
                world.ids[&world.network_schools[key].0].to_string()
            }
            "membership_id" => world.membership_p.to_string(),
            "item_id" => world
                .ids
                .get(&format!("agenda-{}", object.key().unwrap()))
                .copied()
                .unwrap_or(MISSING_ID)
                .to_string(),
            "part" => "asistencia".into(),
            "document_id" => world
                .ids
                .get(&format!("document-{}", object.key().unwrap()))
                .copied()
                .unwrap_or(MISSING_ID)
                .to_string(),
            "person_id" => world.actors["teacher"].person_id.to_string(),
            "file_id" => world
                .ids
                .get(&format!("file-{}", object.key().unwrap()))
                .copied()
                .unwrap_or(MISSING_ID)
                .to_string(),
            "review_id" => super::reviews::review_id(&world.ids, &row.path, object.key().unwrap())
                .unwrap_or(MISSING_ID)
                .to_string(),
            // No comment exists: the state is checked first (409).
            "comment_id" => "1".into(),
            "duty_id" => world.ids["session-z-duty"].to_string(),
            "code" => "es".into(),
            "token" => "desconocido.ics".into(),
            "file" => "app.css".into(),
            "year" => "2017".into(),
            other => panic!("{row}: no value for path parameter {{{other}}}"),
        };
        out.push_str(&value);
        out.push_str(rest);
    }
    out
}

fn fields<const N: usize>(pairs: [(&str, &str); N]) -> Body {
    Body::Form(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

/// A form body for a page, JSON for the API.
fn encode<T: serde::Serialize>(row: &Row, value: &T) -> Body {
    let json = serde_json::to_value(value).unwrap();
    if row.path.starts_with("/api/") {
        return Body::Json(json);
    }
    // A list (the schools of a practice) is one pair per item, as a
    // form's checkboxes send it.
    let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_string);
    let pairs = json
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(k, v)| match v {
            Value::Array(items) => items.iter().map(|i| (k.clone(), text(i))).collect(),
            other => vec![(k.clone(), other.as_str().unwrap_or_default().to_string())],
        })
        .collect();
    Body::Form(pairs)
}

/// A new school's official code, unique per table line and valid for its country.
fn new_code(country: &str, line: usize) -> String {
    match country {
        "cl" => format!("{}", 50_000 + line),
        "co" => format!("13000199{line:04}"),
        _ => format!("22DPR{line:04}X"),
    }
}

/// The school as stored, as its edit form would show it, with the row's change.
async fn school_edit(world: &World, row: &Row, object: &Object) -> SchoolInput {
    let db = &world.app.db;
    let id = world.ids[object.key().unwrap()];
    let school = redes::schools::store::get(db, redes::ids::SchoolId(id))
        .await
        .unwrap();
    let mut input = SchoolInput::from(&school);
    if let Some(parent) = school.parent_id {
        input.parent_code = redes::schools::store::get(db, parent)
            .await
            .unwrap()
            .official_code;
    }
    match object {
        Object::MovedTo(_, region, province) => {
            input.region = region.clone();
            input.province = province.clone();
        }
        Object::Under(_, parent) => {
            let parent =
                redes::schools::store::get(db, redes::ids::SchoolId(world.ids[parent])).await;
            input.parent_code = parent.unwrap().official_code;
        }
        _ => input.name = format!("{} (editada, línea {})", input.name, row.line),
    }
    input
}

async fn network_edit(world: &World, row: &Row, object: &Object) -> NetworkInput {
    let id = world.ids[object.key().unwrap()];
    let network = redes::networks::store::get(&world.app.db, redes::ids::NetworkId(id))
        .await
        .unwrap();
    let mut input = NetworkInput::from(&network);
    match object {
        Object::MovedTo(_, region, province) => {
            input.region = region.clone();
            input.province = province.clone();
        }
        _ => input.name = format!("{} (editada, línea {})", input.name, row.line),
    }
    input
}

/// A valid meeting of a network: hosted by its member school. `key` is
/// the network (`red-a`) or one of its meetings (`meeting-a`).
fn meeting_input(world: &World, row: &Row, key: &str) -> redes::meetings::model::MeetingInput {
    let network = match key {
        "meeting-a" => "red-a",
        "meeting-b" => "red-b",
        other => other,
    };
    let host = world
        .network_schools
        .get(network)
        .map(|(member, _)| world.ids[member].to_string())
        .unwrap_or_default();
    redes::meetings::model::MeetingInput {
        kind: "network_session".into(),
        title: format!("Reunión de la línea {}", row.line),
        held_on: "2030-05-07".into(),
        starts_at: "09:00".into(),
        ends_at: "11:00".into(),
        host_school_id: host,
        place: "Sala de la línea".into(),
        ..Default::default()
    }
}

/// Credentials of the actor (anonymous: of `person-p`).
fn credentials(world: &World, row: &Row) -> (String, String) {
    let username = &world.actors[&row.actor].username;
    let username = if username.is_empty() {
        "persona.p"
    } else {
        username
    };
    (username.to_string(), PASSWORD.to_string())
}

pub async fn build(world: &World, row: &Row) -> Request {
    let object = parse_object(&row.object);
    let uri = uri(world, row, &object);
    let line = row.line.to_string();
    let body = match (row.method.as_str(), row.path.as_str()) {
        ("GET", _) | ("DELETE", _) => Body::None,
        ("POST", "/cuenta/tokens") => fields([("label", "script")]),
        ("POST", "/login") => {
            let (username, password) = credentials(world, row);
            fields([
                ("username", &username),
                ("password", &password),
                ("next", "/"),
            ])
        }
        ("POST", "/api/v1/tokens") => {
            let (username, password) = credentials(world, row);
            Body::Json(json!({ "username": username, "password": password }))
        }
        ("POST", "/escuelas") | ("POST", "/api/v1/schools") => {
            let Object::NewIn(country, region, province) = &object else {
                panic!("{row}: a creation needs `new in C/R/P`")
            };
            let input = SchoolInput {
                country: country.clone(),
                official_code: new_code(country, row.line),
                name: format!("Escuela nueva de la línea {line}"),
                region: region.clone(),
                province: province.clone(),
                commune: province.clone(),
                ..Default::default()
            };
            encode(row, &input)
        }
        ("POST", "/escuelas/{id}") | ("PUT", "/api/v1/schools/{id}") => {
            encode(row, &school_edit(world, row, &object).await)
        }
        ("POST", "/redes") | ("POST", "/api/v1/networks") => {
            let Object::NewIn(country, region, province) = &object else {
                panic!("{row}: a creation needs `new in C/R/P`")
            };
            let input = NetworkInput {
                country: country.clone(),
                kind: "rme".into(),
                name: format!("Red nueva de la línea {line}"),
                region: region.clone(),
                province: province.clone(),
                ..Default::default()
            };
            encode(row, &input)
        }
        ("POST", "/redes/{id}") | ("PUT", "/api/v1/networks/{id}") => {
            encode(row, &network_edit(world, row, &object).await)
        }
        ("POST", "/redes/{id}/escuelas") => {
            let candidate = &world.network_schools[object.key().unwrap()].1;
            let school = redes::schools::store::get(
                &world.app.db,
                redes::ids::SchoolId(world.ids[candidate]),
            );
            fields([("official_code", &school.await.unwrap().official_code)])
        }
        ("POST", "/reuniones/{id}/acuerdos") => {
            let school = world.ids["school-x"];
            fields([
                ("body", &format!("Acuerdo de la línea {line}")),
                ("owner", &format!("school:{school}")),
                ("due_on", "2026-04-30"),
            ])
        }
        ("POST", "/acuerdos/{id}/revisiones") => fields([
            ("meeting_id", &world.ids["agr-meeting-next"].to_string()),
            ("note", &format!("Revisión de la línea {line}")),
            ("status_after", "in_progress"),
        ]),
        ("POST", "/acuerdos/{id}/estado") => fields([("status", "kept")]),
        ("POST", "/api/v1/meetings/{id}/agreements") => {
            let school = world.ids["school-x"];
            Body::Json(json!({
                "body": format!("Acuerdo de la línea {line}"),
                "owner": format!("school:{school}"),
                "due_on": "2026-04-30",
            }))
        }
        ("POST", "/api/v1/agreements/{id}/reviews") => Body::Json(json!({
            "meeting_id": world.ids["agr-meeting-next"].to_string(),
            "note": format!("Revisión de la línea {line}"),
            "status_after": "in_progress",
        })),
        ("POST", "/api/v1/agreements/{id}/status") => Body::Json(json!({ "status": "kept" })),
        ("POST", "/redes/{id}/actividad") => fields([("year", "2020"), ("active", "1")]),
        ("POST", "/redes/{id}/personas") | ("POST", "/api/v1/networks/{id}/people") => {
            let invite = redes::people::model::InviteInput {
                person: "persona.p".into(),
                role: "observer".into(),
            };
            encode(row, &invite)
        }
        ("POST", "/redes/{id}/reuniones/serie") => {
            let series = redes::meetings::store::SeriesInput {
                meeting: meeting_input(world, row, object.key().unwrap()),
                year: "2031".into(),
                weekday: "2".into(),
                nth: "1".into(),
                from_month: "3".into(),
                to_month: "4".into(),
                rotate_hosts: "1".into(),
            };
            encode(row, &series)
        }
        ("PATCH", "/api/v1/meetings/{id}") => {
            Body::Json(json!({ "title": format!("Reunión de la línea {line}") }))
        }
        ("POST", "/api/v1/meetings/{id}/agenda") => Body::Json(
            json!({ "title": format!("Punto de la línea {line}"), "minutes_allotted": "15" }),
        ),
        ("PUT", "/api/v1/meetings/{id}/attendance/{person_id}") => {
            Body::Json(json!({ "status": "present" }))
        }
        ("POST", "/api/v1/meetings/{id}/status") => Body::Json(json!({ "status": "in_progress" })),
        ("POST", "/redes/{id}/reuniones")
        | ("POST", "/api/v1/networks/{id}/meetings")
        | ("POST", "/reuniones/{id}") => {
            encode(row, &meeting_input(world, row, object.key().unwrap()))
        }
        ("POST", "/reuniones/{id}/asistencia") => {
            let teacher = world.actors["teacher"].person_id.to_string();
            Body::Form(vec![(format!("status_{teacher}"), "present".into())])
        }
        ("POST", "/reuniones/{id}/invitados") => fields([
            ("guest_name", &format!("Invitada de la línea {line}")),
            ("guest_institution", "DEPROV"),
        ]),
        ("POST", "/reuniones/{id}/documentos") => Body::File(
            "file".into(),
            format!("acta-linea-{line}.txt"),
            b"Acta de la reunion.".to_vec(),
        ),
        ("POST", "/reuniones/{id}/confirmar") => fields([("coming", "1")]),
        ("POST", "/reuniones/{id}/programa") | ("POST", "/reuniones/{id}/programa/{item_id}") => {
            fields([
                ("title", &format!("Punto de la línea {line}")),
                ("presenter", "Coordinación"),
                ("minutes_allotted", "20"),
                ("notes", ""),
                ("reached", "1"),
            ])
        }
        ("POST", "/reuniones/{id}/programa/{item_id}/mover") => fields([("direction", "down")]),
        ("POST", "/reuniones/{id}/estado") => fields([("status", "in_progress")]),
        ("POST", "/reuniones/{id}/acta") => fields([
            ("minutes", "Acta de prueba."),
            ("doubts", ""),
            ("needs", ""),
            ("expectations", ""),
            ("minutes_version", "0"),
        ]),
        ("POST", "/reuniones/{id}/acta/comentarios") => {
            fields([("body", "Falta un acuerdo."), ("proposed_text", "")])
        }
        ("POST", "/reuniones/{id}/acta/correccion") => {
            fields([("minutes", "Acta corregida."), ("reason", "Errata")])
        }
        ("POST", "/personas") => fields([("full_name", &format!("Persona de la línea {line}"))]),
        ("POST", "/personas/{id}") => fields([
            ("full_name", &format!("Persona P (editada, línea {line})")),
            ("email", "p@example.org"),
        ]),
        ("POST", "/personas/{id}/roles") => fields([
            ("role", "teacher"),
            ("country", "cl"),
            ("school_code", "4001"),
        ]),
        ("POST", "/convocatorias") => {
            let Object::CallIn(country, region) = &object else {
                panic!("{row}: a call needs `call in C[/R]`")
            };
            let title = format!("Convocatoria de la línea {line}");
            fields([
                ("country", country),
                ("region", region),
                ("title", &title),
                ("body", "Postulaciones abiertas."),
                ("opens_on", "2027-03-01"),
                ("closes_on", "2027-03-31"),
            ])
        }
        ("POST", "/api/v1/calls") => {
            let Object::CallIn(country, region) = &object else {
                panic!("{row}: a call needs `call in C[/R]`")
            };
            Body::Json(json!({
                "country": country, "region": region, "title": format!("Convocatoria de la línea {line}"),
                "body": "", "opens_on": "2027-03-01", "closes_on": "2027-03-31",
            }))
        }
        ("POST", "/encuentros") => {
            let Object::PlanIn(region, province) = &object else {
                panic!("{row}: a plan run needs `plan in R/P`")
            };
            fields([("place", &format!("{region}|{province}"))])
        }
        ("POST", "/encuentros/{id}/mover") => {
            let id = world.ids[object.key().unwrap()];
            let (school, cluster) = &world.moves[&id];
            fields([("school", school), ("cluster", &cluster.to_string())])
        }
        ("POST", "/encuentros/{id}/sesiones") => fields([
            ("date_1", "2026-02-27"),
            ("date_2", "2026-04-24"),
            ("date_3", "2026-06-26"),
        ]),
        ("POST", "/sesiones-encuentro/{id}/asistencia") => {
            let line = format!("a-{}", world.ids["session-z-line"]);
            fields([(line.as_str(), "present")])
        }
        ("PUT", "/api/v1/encounter-sessions/{id}/attendance") => Body::Json(json!({
            "marks": [{"attendance_id": world.ids["session-z-line"], "status": "present"}]
        })),
        ("POST", "/sesiones-encuentro/{id}/tareas/{duty_id}") => fields([("done", "1")]),
        ("PATCH", "/api/v1/encounter-sessions/{id}/checklist/{duty_id}") => {
            Body::Json(json!({ "done": true }))
        }
        ("POST", "/sesiones-encuentro/{id}/observaciones") => {
            fields([("climate", "Trabajo respetuoso entre niveles.")])
        }
        ("POST", "/sesiones-encuentro/{id}/pemc") => fields([
            ("school_id", &world.ids["session-z-school"].to_string()),
            ("pemc_change", &format!("Cambio al PEMC de la línea {line}")),
        ]),
        (
            "POST",
            "/logout"
            | "/escuelas/{id}/archivar"
            | "/escuelas/{id}/restaurar"
            | "/redes/{id}/archivar"
            | "/redes/{id}/escuelas/{school_id}/retirar"
            | "/personas/{id}/archivar"
            | "/personas/{id}/roles/{membership_id}/terminar"
            | "/encuentros/{id}/aprobar"
            | "/reuniones/{id}/programa/{item_id}/eliminar"
            | "/reuniones/{id}/acta/comentarios/{comment_id}/incorporar"
            | "/reuniones/{id}/acta/aprobar"
            | "/reuniones/{id}/documentos/{document_id}/eliminar"
            | "/cuenta/tokens/{id}/revocar"
            | "/cuenta/calendario"
            | "/cuenta/calendario/{id}/revocar",
        ) => Body::Form(Vec::new()),
        ("POST", "/practicas/{id}/archivos") => Body::File(
            "file".into(),
            format!("evidencia-linea-{line}.txt"),
            b"Evidencia de la practica.".to_vec(),
        ),
        ("POST", "/practicas/{id}/archivos/{file_id}/eliminar") => Body::Form(Vec::new()),
        (_, path) if super::practices::is_practice_route(path) => {
            match super::practices::input(world, path, row.line) {
                Some(value) => encode(row, &value),
                None => Body::None,
            }
        }
        ("POST", "/api/v1/call-proposals/{id}/consider") => Body::None,
        (_, path) if super::calls::input(path).is_some() => {
            encode(row, &super::calls::input(path).unwrap())
        }
        (_, path) if super::plans::is_plan_route(path) => match super::plans::input(world, path) {
            Some(value) => encode(row, &value),
            None if path.starts_with("/api/") => Body::None,
            None => Body::Form(Vec::new()),
        },
        (method, path) => panic!(
            "{row}: no request body known for {method} {path}; add one in authorization/requests.rs"
        ),
    };
    Request { uri, body }
}
