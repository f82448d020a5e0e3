//! Every query of agreements, the guards, and the writes (record at a
//! meeting, review at a later one, change of status), each one function
//! shared by the pages, the API and the demo: parse → policy → store, in
//! one transaction.

use sqlx::AnyConnection;

use super::model::{
    Agreement, AgreementInput, AgreementStatus, NewAgreement, NewReview, NewStatus, Review,
    ReviewInput, StatusChange, StatusInput, AGREEMENT_SELECT,
};
use crate::auth::policy::{AgreementOwner, Principal};
use crate::db::{now, today, Db};
use crate::error::{AppError, StoreError};
use crate::ids::{AgreementId, MeetingId, NetworkId, PersonId, SchoolId};
use crate::networks::model::Network;
use crate::sql::Sql;

/// What agreements need of a meeting.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct MeetingRef {
    pub id: MeetingId,
    pub network_id: Option<NetworkId>,
    pub title: String,
    pub held_on: String,
    pub status: String,
}

impl MeetingRef {
    /// A closed meeting (minutes approved) takes no more agreements or reviews.
    pub fn is_closed(&self) -> bool {
        self.status == "closed"
    }
}

pub async fn meeting(db: &Db, id: MeetingId) -> Result<MeetingRef, StoreError> {
    db.remember(format!("agreements:meeting:{id}"), || async {
        sqlx::query_as::<_, MeetingRef>(
            "SELECT id, network_id, title, held_on, status FROM meetings WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
    })
    .await
}

/// A network's meetings in date order, read on a given connection (the
/// demo's transaction, which wrote them).
pub async fn meetings_of(
    conn: &mut AnyConnection,
    network_id: NetworkId,
) -> Result<Vec<MeetingRef>, StoreError> {
    Ok(sqlx::query_as::<_, MeetingRef>(
        "SELECT id, network_id, title, held_on, status FROM meetings WHERE network_id = $1 ORDER BY held_on, id",
    )
    .bind(network_id)
    .fetch_all(&mut *conn)
    .await?)
}

/// The network's meetings on or after a date, for the review form.
pub async fn meetings_from(
    db: &Db,
    network_id: NetworkId,
    from: &str,
) -> Result<Vec<MeetingRef>, StoreError> {
    Ok(sqlx::query_as::<_, MeetingRef>(
        "SELECT id, network_id, title, held_on, status FROM meetings
         WHERE network_id = $1 AND held_on >= $2 AND status <> 'closed' ORDER BY held_on, id",
    )
    .bind(network_id)
    .bind(from)
    .fetch_all(&db.pool)
    .await?)
}

/// A network whose agreements the person may read: the one way a reading
/// handler gets one.
pub async fn viewable_network(
    db: &Db,
    p: &Principal,
    id: NetworkId,
) -> Result<Network, AppError> {
    let network = crate::networks::store::get(db, id).await?;
    if !p.can_view_agreements(&network.policy()) {
        return Err(AppError::Forbidden);
    }
    Ok(network)
}

/// May the person record and review agreements of this network?
pub async fn can_record(db: &Db, p: &Principal, network: &Network) -> Result<bool, AppError> {
    let members = crate::networks::store::member_ids(db, network.id).await?;
    Ok(p.can_record_agreements(&network.policy(), &members))
}

/// A meeting of a network the person may read, with its network.
pub async fn viewable_meeting(
    db: &Db,
    p: &Principal,
    id: MeetingId,
) -> Result<(MeetingRef, Network), AppError> {
    let meeting = meeting(db, id).await?;
    let network_id = meeting.network_id.ok_or(AppError::NotFound)?;
    let network = viewable_network(db, p, network_id).await?;
    Ok((meeting, network))
}

pub async fn get(db: &Db, id: AgreementId) -> Result<Agreement, StoreError> {
    let mut conn = db.pool.acquire().await?;
    load(&mut conn, id).await
}

/// An agreement read on a given connection: inside a transaction (the
/// demo's) it sees what that transaction wrote.
pub async fn load(conn: &mut AnyConnection, id: AgreementId) -> Result<Agreement, StoreError> {
    sqlx::query_as::<_, Agreement>(&format!("{AGREEMENT_SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The agreement, with its network, when the person may read it.
pub async fn viewable(
    db: &Db,
    p: &Principal,
    id: AgreementId,
) -> Result<(Agreement, Network), AppError> {
    let agreement = get(db, id).await?;
    let network_id = agreement.network_id.ok_or(AppError::NotFound)?;
    let network = viewable_network(db, p, network_id).await?;
    Ok((agreement, network))
}

/// Which agreements of a network to list: all, the open ones (open or in
/// progress), or one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    All,
    Open,
    Only(AgreementStatus),
}

impl StatusFilter {
    /// From the filter's code: `abiertos`, a status code, or anything else
    /// for all.
    pub fn parse(code: &str) -> StatusFilter {
        match code {
            "abiertos" => StatusFilter::Open,
            other => other
                .parse()
                .map(StatusFilter::Only)
                .unwrap_or(StatusFilter::All),
        }
    }

    /// From the API's `status` parameter: empty for all, `active` for the
    /// open ones (open or in progress), or a status code; anything else is
    /// refused (an API caller is told, not silently given everything).
    pub fn from_api(code: &str) -> Option<StatusFilter> {
        match code.trim() {
            "" => Some(StatusFilter::All),
            "active" => Some(StatusFilter::Open),
            other => other.parse().ok().map(StatusFilter::Only),
        }
    }
}

/// A network's agreements, open ones first, then by due date.
pub async fn of_network(
    db: &Db,
    network_id: NetworkId,
    filter: StatusFilter,
) -> Result<Vec<Agreement>, StoreError> {
    let mut sql = Sql::new(AGREEMENT_SELECT);
    sql.push(" WHERE a.network_id = ").int(network_id.0);
    match filter {
        StatusFilter::All => {}
        StatusFilter::Open => {
            sql.push(" AND a.status IN ('open', 'in_progress')");
        }
        StatusFilter::Only(status) => {
            sql.push(" AND a.status = ").text(status.code());
        }
    }
    sql.push(
        " ORDER BY CASE WHEN a.status IN ('open', 'in_progress') THEN 0 ELSE 1 END, a.due_on, a.id",
    );
    Ok(sql.query_as().fetch_all(&db.pool).await?)
}

/// The network's agreements still open that were taken before this
/// meeting: they are on its agenda until they are closed.
pub async fn open_for_network(
    db: &Db,
    network_id: NetworkId,
    meeting: &MeetingRef,
) -> Result<Vec<Agreement>, StoreError> {
    db.remember(format!("agreements:open:{network_id}:{}", meeting.id), || async {
        Ok(sqlx::query_as::<_, Agreement>(&format!(
            "{AGREEMENT_SELECT} WHERE a.network_id = $1 AND a.status IN ('open', 'in_progress')
               AND a.meeting_id <> $2 AND (m.held_on < $3 OR (m.held_on = $3 AND m.id < $2))
             ORDER BY a.due_on, a.id"
        ))
        .bind(network_id)
        .bind(meeting.id)
        .bind(&meeting.held_on)
        .fetch_all(&db.pool)
        .await?)
    })
    .await
}

/// The agreements taken at a meeting.
pub async fn taken_at(db: &Db, meeting_id: MeetingId) -> Result<Vec<Agreement>, StoreError> {
    db.remember(format!("agreements:taken:{meeting_id}"), || async {
        Ok(sqlx::query_as::<_, Agreement>(&format!(
            "{AGREEMENT_SELECT} WHERE a.meeting_id = $1 ORDER BY a.id"
        ))
        .bind(meeting_id)
        .fetch_all(&db.pool)
        .await?)
    })
    .await
}

const REVIEW_SELECT: &str = "SELECT r.id, r.agreement_id, r.meeting_id, m.title AS meeting_title,
        m.held_on AS meeting_held_on, r.note, r.status_after, p.full_name AS recorded_by_name, r.recorded_at
    FROM agreement_reviews r JOIN meetings m ON m.id = r.meeting_id JOIN people p ON p.id = r.recorded_by";

/// Every review of an agreement, in meeting order.
pub async fn reviews(db: &Db, id: AgreementId) -> Result<Vec<Review>, StoreError> {
    Ok(sqlx::query_as::<_, Review>(&format!(
        "{REVIEW_SELECT} WHERE r.agreement_id = $1 ORDER BY m.held_on, r.id"
    ))
    .bind(id)
    .fetch_all(&db.pool)
    .await?)
}

/// The reviews made at a meeting (of any agreement).
pub async fn reviews_at(db: &Db, meeting_id: MeetingId) -> Result<Vec<Review>, StoreError> {
    db.remember(format!("agreements:reviews:{meeting_id}"), || async {
        Ok(sqlx::query_as::<_, Review>(&format!(
            "{REVIEW_SELECT} WHERE r.meeting_id = $1 ORDER BY r.id"
        ))
        .bind(meeting_id)
        .fetch_all(&db.pool)
        .await?)
    })
    .await
}

/// Every change of an agreement's status, oldest first.
pub async fn status_changes(db: &Db, id: AgreementId) -> Result<Vec<StatusChange>, StoreError> {
    Ok(sqlx::query_as::<_, StatusChange>(
        "SELECT c.status_before, c.status_after, c.reason, c.meeting_id, p.full_name AS changed_by_name, c.changed_at
         FROM agreement_status_changes c JOIN people p ON p.id = c.changed_by
         WHERE c.agreement_id = $1 ORDER BY c.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?)
}

/// Who may own an agreement of the network, as (`owner` code, name): the
/// member schools, then the people of the network (its coordinators and the
/// people of its member schools with a current role).
pub async fn owner_choices(
    db: &Db,
    network_id: NetworkId,
) -> Result<Vec<(String, String)>, StoreError> {
    db.remember(format!("agreements:owners:{network_id}"), || async {
        let schools: Vec<(SchoolId, String)> = sqlx::query_as(
            "SELECT s.id, s.name FROM network_schools m JOIN schools s ON s.id = m.school_id
             WHERE m.network_id = $1 AND m.left_on IS NULL ORDER BY s.name",
        )
        .bind(network_id)
        .fetch_all(&db.pool)
        .await?;
        let people: Vec<(PersonId, String)> = sqlx::query_as(&format!(
            "SELECT p.id, p.full_name FROM people p WHERE p.archived = 0 AND p.id IN ({PEOPLE_OF_NETWORK})
             ORDER BY p.full_name, p.id"
        ))
        .bind(network_id)
        .bind(today())
        .fetch_all(&db.pool)
        .await?;
        Ok(schools
            .into_iter()
            .map(|(id, name)| (format!("school:{id}"), format!("Escuela: {name}")))
            .chain(
                people
                    .into_iter()
                    .map(|(id, name)| (format!("person:{id}"), name)),
            )
            .collect())
    })
    .await
}

/// People with a current role in the network ($1) or in one of its member
/// schools, on a date ($2).
const PEOPLE_OF_NETWORK: &str = "SELECT ms.person_id FROM memberships ms
    WHERE (ms.ends_on IS NULL OR ms.ends_on >= $2)
      AND (ms.network_id = $1 OR ms.school_id IN
           (SELECT school_id FROM network_schools WHERE network_id = $1 AND left_on IS NULL))";

/// Is the owner a current member school, or a person of the network?
async fn owner_belongs(
    conn: &mut AnyConnection,
    network_id: NetworkId,
    owner: AgreementOwner,
) -> Result<bool, StoreError> {
    let count: i64 = match owner {
        AgreementOwner::School(id) => sqlx::query_scalar(
            "SELECT COUNT(*) FROM network_schools WHERE network_id = $1 AND school_id = $2 AND left_on IS NULL",
        )
        .bind(network_id)
        .bind(id)
        .fetch_one(&mut *conn)
        .await?,
        AgreementOwner::Person(id) => sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM people p WHERE p.id = $3 AND p.archived = 0 AND p.id IN ({PEOPLE_OF_NETWORK})"
        ))
        .bind(network_id)
        .bind(today())
        .bind(id)
        .fetch_one(&mut *conn)
        .await?,
    };
    Ok(count > 0)
}

fn refused_closed() -> AppError {
    AppError::Conflict("agreements-reunion-esta-cerrada-acuerdos-ya-no".into())
}

/// Records an agreement taken at a meeting (page, API and demo): the text,
/// an owner of the network and a due date not before the meeting; only the
/// network's coordinators and the leaders of its member schools.
pub async fn record(
    db: &Db,
    p: &Principal,
    meeting_id: MeetingId,
    input: &AgreementInput,
) -> Result<AgreementId, AppError> {
    let (meeting, network) = viewable_meeting(db, p, meeting_id).await?;
    if !can_record(db, p, &network).await? {
        return Err(AppError::Denied(
            "agreements-solo-coordinacion-directivos-escuelas-red-registran"
                .into(),
        ));
    }
    let new = input.parse(&meeting.held_on).map_err(AppError::Validation)?;
    if meeting.is_closed() {
        return Err(refused_closed());
    }
    let mut tx = db.write().await?;
    if !owner_belongs(&mut tx, network.id, new.owner).await? {
        let message = match new.owner {
            AgreementOwner::School(_) => "agreements-escuela-no-integra-esta-red",
            AgreementOwner::Person(_) => "agreements-persona-no-participa-esta-red",
        };
        return Err(AppError::field("owner", message));
    }
    let id = insert(&mut tx, network.id, meeting.id, &new, p.person_id).await?;
    tx.commit().await?;
    Ok(id)
}

/// Writes a checked agreement, open, taken at a meeting of the network
/// (`record`'s write; the demo calls it inside its own transaction).
pub async fn insert(
    conn: &mut AnyConnection,
    network_id: NetworkId,
    meeting_id: MeetingId,
    new: &NewAgreement,
    by: PersonId,
) -> Result<AgreementId, StoreError> {
    let (person, school) = match new.owner {
        AgreementOwner::Person(id) => (Some(id), None),
        AgreementOwner::School(id) => (None, Some(id)),
    };
    let at = now();
    Ok(sqlx::query_scalar(
        "INSERT INTO agreements (network_id, meeting_id, body, owner_person_id, owner_school_id, due_on, status,
            drop_reason, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'open', '', $7, $8, $8) RETURNING id",
    )
    .bind(network_id)
    .bind(meeting_id)
    .bind(&new.body)
    .bind(person)
    .bind(school)
    .bind(&new.due_on)
    .bind(by)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?)
}

/// Writes a new status and its line of history (`set_status`'s write, and
/// part of a review's).
pub async fn change_status(
    conn: &mut AnyConnection,
    by: PersonId,
    agreement: &Agreement,
    status: &NewStatus,
    meeting_id: Option<MeetingId>,
) -> Result<(), StoreError> {
    let at = now();
    sqlx::query("UPDATE agreements SET status = $1, drop_reason = $2, updated_at = $3 WHERE id = $4")
        .bind(status.status)
        .bind(&status.drop_reason)
        .bind(&at)
        .bind(agreement.id)
        .execute(&mut *conn)
        .await?;
    if status.status != agreement.status || status.drop_reason != agreement.drop_reason {
        sqlx::query(
            "INSERT INTO agreement_status_changes (agreement_id, meeting_id, status_before, status_after, reason,
                changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(agreement.id)
        .bind(meeting_id)
        .bind(agreement.status)
        .bind(status.status)
        .bind(&status.drop_reason)
        .bind(by)
        .bind(&at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Reviews an agreement at a meeting of its network on or after the one
/// that took it (page, API, demo): what was said and the status after it.
/// Closed agreements are not reviewed again.
pub async fn review(
    db: &Db,
    p: &Principal,
    id: AgreementId,
    input: &ReviewInput,
) -> Result<(), AppError> {
    let (agreement, network) = viewable(db, p, id).await?;
    if !can_record(db, p, &network).await? {
        return Err(AppError::Denied(
            "agreements-solo-coordinacion-directivos-escuelas-red-revisan"
                .into(),
        ));
    }
    let new = input.parse().map_err(AppError::Validation)?;
    let meeting = match meeting(db, new.meeting_id).await {
        Ok(m) if m.network_id == Some(network.id) => m,
        Ok(_) | Err(StoreError::NotFound) => {
            return Err(AppError::field(
                "meeting_id",
                "agreements-elija-reunion-esta-red",
            ))
        }
        Err(e) => return Err(e.into()),
    };
    if meeting.held_on < agreement.meeting_held_on {
        return Err(AppError::field(
            "meeting_id",
            crate::text::message("agreements-reunion-es-anterior-tomo-acuerdo", &[("meeting_held_on", &agreement.meeting_held_on)]),
        ));
    }
    if meeting.is_closed() {
        return Err(refused_closed());
    }
    if !agreement.status.is_open() {
        return Err(AppError::Conflict(
            "agreements-acuerdo-ya-esta-cerrado-cambie-estado".into(),
        ));
    }
    let mut tx = db.write().await?;
    insert_review(&mut tx, &agreement, &new, p.person_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Writes a checked review at its meeting and the status after it
/// (`review`'s write; the demo calls it inside its own transaction).
pub async fn insert_review(
    conn: &mut AnyConnection,
    agreement: &Agreement,
    new: &NewReview,
    by: PersonId,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO agreement_reviews (agreement_id, meeting_id, note, status_after, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(agreement.id)
    .bind(new.meeting_id)
    .bind(&new.note)
    .bind(new.status.status)
    .bind(by)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    change_status(conn, by, agreement, &new.status, Some(new.meeting_id)).await
}

/// Changes an agreement's status between meetings (page, API): its owner
/// (the person, or a leader of the owner school) or the coordinator;
/// dropping needs a reason.
pub async fn set_status(
    db: &Db,
    p: &Principal,
    id: AgreementId,
    input: &StatusInput,
) -> Result<(), AppError> {
    let (agreement, network) = viewable(db, p, id).await?;
    if !p.can_update_agreement(&network.policy(), agreement.owner()) {
        return Err(AppError::Denied(
            "agreements-solo-quien-hizo-cargo-acuerdo-coordinacion".into(),
        ));
    }
    let new = input.parse().map_err(AppError::Validation)?;
    let mut tx = db.write().await?;
    change_status(&mut tx, p.person_id, &agreement, &new, None).await?;
    tx.commit().await?;
    Ok(())
}

/// The person's open agreements (their own, and those of the schools they
/// lead), late ones first, then by due date.
pub async fn open_of_person(db: &Db, p: &Principal) -> Result<Vec<Agreement>, StoreError> {
    let schools: Vec<i64> = p.led_school_ids().iter().map(|s| s.0).collect();
    let mut sql = Sql::new(AGREEMENT_SELECT);
    sql.push(" WHERE a.status IN ('open', 'in_progress') AND (a.owner_person_id = ")
        .int(p.person_id.0)
        .push(" OR a.owner_school_id IN ")
        .int_list(&schools)
        .push(") ORDER BY CASE WHEN a.due_on < ")
        .text(today())
        .push(" THEN 0 ELSE 1 END, a.due_on, a.id LIMIT 50");
    Ok(sql.query_as().fetch_all(&db.pool).await?)
}
