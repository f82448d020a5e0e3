//! The writes of meetings themselves: schedule one, schedule a recurring
//! series at once, edit one. Each is parse → policy → store in one
//! transaction; the page, the API and the demo call the same functions.

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::ToSchema;

use super::{editable, network_editable, roster, NetworkMeetings};
use crate::auth::policy::{Principal, Role};
use crate::db::{now, Db};
use crate::error::{AppError, FieldErrors, StoreError};
use crate::ids::{MeetingId, NetworkId, PersonId, SeriesId};
use crate::meetings::model::{date, rotation, MeetingInput, MeetingStatus, NewMeeting};

/// Checks what the parsed input names against the network: the host must
/// be a current member school and the coordinator a person of its roster.
/// Without a coordinator, the person who schedules it coordinates, when
/// they are on the roster.
async fn check_links(
    conn: &mut AnyConnection,
    n: &NetworkMeetings,
    m: &mut NewMeeting,
    by: PersonId,
) -> Result<(), AppError> {
    if let Some(host) = m.host_school_id {
        if !n.members.contains(&host) {
            return Err(AppError::field(
                "host_school_id",
                "meetings-escuela-anfitriona-debe-integrar-red",
            ));
        }
    }
    let people = roster(conn, n.network.id, &m.held_on).await?;
    match m.coordinator_id {
        Some(coordinator) if !people.iter().any(|r| r.person_id == coordinator) => {
            return Err(AppError::field(
                "coordinator_id",
                "meetings-quien-coordina-debe-integrar-nomina-red",
            ));
        }
        Some(_) => {}
        None => m.coordinator_id = people.iter().any(|r| r.person_id == by).then_some(by),
    }
    Ok(())
}

/// Writes a meeting of a network and its roster (one attendance row per
/// person of the network, status empty until attendance is taken).
pub async fn insert(
    conn: &mut AnyConnection,
    network_id: NetworkId,
    m: &NewMeeting,
    series_id: Option<SeriesId>,
    created_by: PersonId,
) -> Result<MeetingId, StoreError> {
    let at = now();
    let id: MeetingId = sqlx::query_scalar(
        "INSERT INTO meetings (network_id, series_id, kind, title, theme, held_on, starts_at, ends_at, host_school_id, place,
            coordinator_id, status, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'planned', $12, $13, $13) RETURNING id",
    )
    .bind(network_id)
    .bind(series_id)
    .bind(m.kind)
    .bind(&m.title)
    .bind(&m.theme)
    .bind(&m.held_on)
    .bind(&m.starts_at)
    .bind(&m.ends_at)
    .bind(m.host_school_id)
    .bind(&m.place)
    .bind(m.coordinator_id)
    .bind(created_by)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    for person in roster(conn, network_id, &m.held_on).await? {
        // Stored in Spanish, as written then; pages show it through `t()`,
        // which reads a role's Spanish label as data (`label-` texts).
        let label = Role::parse(&person.role).map_or(String::new(), |r| crate::text::es(r.label()));
        sqlx::query(
            "INSERT INTO attendance (meeting_id, person_id, school_id, role_label) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(person.person_id)
        .bind(person.school_id)
        .bind(&label)
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

/// Schedules a meeting of a network (page and API).
pub async fn create(
    db: &Db,
    p: &Principal,
    network_id: NetworkId,
    input: &MeetingInput,
) -> Result<MeetingId, AppError> {
    let n = network_editable(db, p, network_id).await?;
    let mut m = input.parse().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    check_links(&mut tx, &n, &mut m, p.person_id).await?;
    let id = insert(&mut tx, network_id, &m, None, p.person_id).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a meeting (page and API); a closed meeting is refused (409).
pub async fn edit(
    db: &Db,
    p: &Principal,
    id: MeetingId,
    input: &MeetingInput,
) -> Result<(), AppError> {
    let g = editable(db, p, id).await?.open()?;
    let mut m = input.parse().map_err(AppError::Validation)?;
    // A meeting keeps its kind (an encounter session stays one).
    m.kind = g.meeting.kind;
    let mut tx = db.write().await?;
    check_links(&mut tx, &g.network, &mut m, p.person_id).await?;
    sqlx::query(
        "UPDATE meetings SET title = $1, theme = $2, held_on = $3, starts_at = $4, ends_at = $5, host_school_id = $6,
            place = $7, coordinator_id = $8, updated_at = $9 WHERE id = $10",
    )
    .bind(&m.title)
    .bind(&m.theme)
    .bind(&m.held_on)
    .bind(&m.starts_at)
    .bind(&m.ends_at)
    .bind(m.host_school_id)
    .bind(&m.place)
    .bind(m.coordinator_id)
    .bind(now())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A recurring series as typed: the meeting's fields (its date is ignored),
/// a weekday, which one of the month, and the months.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct SeriesInput {
    #[serde(flatten)]
    pub meeting: MeetingInput,
    /// The year of the series.
    #[schema(pattern = "^[0-9]{4}$")]
    pub year: String,
    /// 1 (Monday) to 7 (Sunday).
    #[schema(pattern = "^[1-7]$")]
    pub weekday: String,
    /// 1 to 4 (the first to the fourth of the month), or 5 for the last.
    #[schema(pattern = "^[1-5]$")]
    pub nth: String,
    /// From month 1-12.
    #[schema(pattern = "^([1-9]|1[0-2])$")]
    pub from_month: String,
    /// To month 1-12, not before `from_month`.
    #[schema(pattern = "^([1-9]|1[0-2])$")]
    pub to_month: String,
    /// `1`: each meeting goes to the next member school in the rotation.
    pub rotate_hosts: String,
}

const WEEKDAYS: [time::Weekday; 7] = [
    time::Weekday::Monday,
    time::Weekday::Tuesday,
    time::Weekday::Wednesday,
    time::Weekday::Thursday,
    time::Weekday::Friday,
    time::Weekday::Saturday,
    time::Weekday::Sunday,
];

/// The dates of a series: the `nth` `weekday` (5 = the last) of each month
/// from `from` to `to` of `year`.
pub fn series_dates(year: i32, weekday: time::Weekday, nth: u8, from: u8, to: u8) -> Vec<String> {
    let mut dates = Vec::new();
    for month in from..=to {
        let Ok(month) = time::Month::try_from(month) else {
            continue;
        };
        let Ok(first) = time::Date::from_calendar_date(year, month, 1) else {
            continue;
        };
        let mut days: Vec<time::Date> = (0..31)
            .filter_map(|d| first.checked_add(time::Duration::days(d)))
            .filter(|d| d.month() == month && d.weekday() == weekday)
            .collect();
        let day = if nth >= 5 { days.pop() } else { days.get(usize::from(nth) - 1).copied() };
        if let Some(day) = day {
            dates.push(day.to_string());
        }
    }
    dates
}

fn number(text: &str, field: &str, range: std::ops::RangeInclusive<i64>, message: &str, errors: &mut FieldErrors) -> i64 {
    match text.trim().parse::<i64>() {
        Ok(n) if range.contains(&n) => n,
        _ => {
            errors.insert(field.into(), message.into());
            *range.start()
        }
    }
}

/// Schedules every meeting of a recurring series at once, in one
/// transaction (each stays editable on its own); with `rotate_hosts` the
/// hosts follow the rotation. Returns the meetings' ids.
pub async fn create_series(
    db: &Db,
    p: &Principal,
    network_id: NetworkId,
    input: &SeriesInput,
) -> Result<Vec<MeetingId>, AppError> {
    let n = network_editable(db, p, network_id).await?;
    let mut errors = crate::limits::check(input);
    let year = number(&input.year, "year", 1990..=2100, "meetings-escriba-ano-entre-1990-2100", &mut errors);
    let weekday = number(&input.weekday, "weekday", 1..=7, "meetings-elija-dia-semana", &mut errors);
    let nth = number(&input.nth, "nth", 1..=5, "meetings-elija-semana-mes", &mut errors);
    let from = number(&input.from_month, "from_month", 1..=12, "meetings-elija-mes-inicio", &mut errors);
    let to = number(&input.to_month, "to_month", 1..=12, "meetings-elija-mes-termino", &mut errors);
    if !errors.contains_key("to_month") && !errors.contains_key("from_month") && to < from {
        errors.insert("to_month".into(), "meetings-mes-termino-no-puede-ser-anterior".into());
    }
    let rotate = input.rotate_hosts == "1";
    // The first date stands for all in the parse of the meeting's fields.
    let dates = series_dates(year as i32, WEEKDAYS[(weekday - 1) as usize], nth as u8, from as u8, to as u8);
    let mut meeting = input.meeting.clone();
    meeting.held_on = dates.first().cloned().unwrap_or_default();
    if rotate && meeting.host_school_id.trim().is_empty() && meeting.place.trim().is_empty() {
        meeting.place = "-".into();
    }
    let parsed = meeting.parse();
    if let Err(e) = &parsed {
        for (field, message) in e {
            if field != "held_on" || errors.is_empty() {
                errors.entry(field.clone()).or_insert(message.clone());
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut m = parsed.map_err(AppError::Validation)?;
    if rotate && m.place == "-" {
        m.place = String::new();
    }
    if dates.is_empty() || date(&dates[0]).is_none() {
        return Err(AppError::field("from_month", "meetings-serie-no-tiene-fechas"));
    }
    let hosts = if rotate {
        let turns = super::rotation(db, network_id).await?;
        if turns.is_empty() {
            return Err(AppError::field("rotate_hosts", "meetings-red-no-tiene-escuelas-para-rotar"));
        }
        rotation(&turns, dates.len()).into_iter().map(Some).collect()
    } else {
        vec![m.host_school_id; dates.len()]
    };
    let mut tx = db.write().await?;
    check_links(&mut tx, &n, &mut m, p.person_id).await?;
    let series: SeriesId = sqlx::query_scalar(
        "INSERT INTO meeting_series (network_id, rule, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(network_id)
    .bind(format!("nth={nth};weekday={weekday};months={from}-{to};year={year}"))
    .bind(p.person_id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    let mut ids = Vec::new();
    for (held_on, host) in dates.into_iter().zip(hosts) {
        let one = NewMeeting {
            held_on,
            host_school_id: host,
            ..m.clone()
        };
        ids.push(insert(&mut tx, network_id, &one, Some(series), p.person_id).await?);
    }
    tx.commit().await?;
    Ok(ids)
}

/// Moves a meeting to its next state; returns the new one. Closing needs the
/// minutes approved (see `minutes::approve`), so here only planned → in
/// progress → review.
pub async fn advance(
    conn: &mut AnyConnection,
    id: MeetingId,
    from: MeetingStatus,
    to: MeetingStatus,
) -> Result<(), StoreError> {
    let done = sqlx::query("UPDATE meetings SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
        .bind(to)
        .bind(now())
        .bind(id)
        .bind(from)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(
            "meetings-reunion-cambio-estado-mientras-tanto-recargue".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_tuesday_of_each_month_from_march_to_november() {
        let dates = series_dates(2017, time::Weekday::Tuesday, 1, 3, 11);
        assert_eq!(dates.len(), 9);
        assert_eq!(dates[0], "2017-03-07");
        assert_eq!(dates[8], "2017-11-07");
        let last = series_dates(2017, time::Weekday::Friday, 5, 3, 3);
        assert_eq!(last, vec!["2017-03-31".to_string()]);
    }
}
