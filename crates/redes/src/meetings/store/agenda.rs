//! The agenda of a meeting: items in order with a presenter, the minutes
//! allotted and notes; an item not reached when the minutes are closed
//! moves to the network's next meeting with its notes (`carry_over`).

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::ToSchema;

use super::editable;
use crate::auth::policy::Principal;
use crate::db::Db;
use crate::error::{AppError, StoreError};
use crate::ids::{AgendaItemId, MeetingId, NetworkId};

#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct AgendaItem {
    pub id: AgendaItemId,
    pub meeting_id: MeetingId,
    pub position: i64,
    pub title: String,
    pub presenter: String,
    pub minutes_allotted: i64,
    pub plan_action_id: Option<i64>,
    pub notes: String,
    /// 0 when the meeting did not get to it.
    pub reached: i64,
    /// The item of an earlier meeting this one continues.
    pub carried_from_id: Option<AgendaItemId>,
}

/// An agenda item as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
pub struct AgendaInput {
    /// Required.
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[schema(max_length = 200)]
    pub presenter: String,
    /// Whole minutes, 0 to 600.
    #[schema(pattern = "^[0-9]{0,3}$")]
    pub minutes_allotted: String,
    #[schema(max_length = 5000)]
    pub notes: String,
    /// `0` when the meeting did not get to it (default `1`).
    #[schema(pattern = "^[01]?$")]
    pub reached: String,
    /// The id of an action of the network's work plan for the meeting's
    /// year that the item works on, or empty.
    #[schema(pattern = "^[0-9]*$")]
    pub plan_action_id: String,
}

/// A checked agenda item.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub title: String,
    pub presenter: String,
    pub minutes_allotted: i64,
    pub notes: String,
    pub reached: bool,
    pub plan_action_id: Option<i64>,
}

impl AgendaInput {
    pub fn parse(&self) -> Result<NewItem, AppError> {
        let mut errors = crate::limits::check(self);
        let title = self.title.trim().to_string();
        if title.is_empty() {
            errors.insert("title".into(), "meetings-escriba-tema-punto".into());
        }
        let minutes = match self.minutes_allotted.trim() {
            "" => 0,
            text => match text.parse::<i64>() {
                Ok(n) if (0..=600).contains(&n) => n,
                _ => {
                    errors.insert(
                        "minutes_allotted".into(),
                        "meetings-escriba-minutos-como-numero-entero-entre".into(),
                    );
                    0
                }
            },
        };
        let plan_action_id = match self.plan_action_id.trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(id) if id > 0 => Some(id),
                _ => {
                    errors.insert("plan_action_id".into(), "meetings-elija-accion-lista".into());
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        Ok(NewItem {
            plan_action_id,
            title,
            presenter: self.presenter.trim().to_string(),
            minutes_allotted: minutes,
            notes: self.notes.trim().to_string(),
            reached: self.reached.trim() != "0",
        })
    }
}

pub async fn list(db: &Db, meeting_id: MeetingId) -> Result<Vec<AgendaItem>, StoreError> {
    db.remember(format!("meeting:{meeting_id}:agenda"), || async {
        Ok(sqlx::query_as::<_, AgendaItem>(
            "SELECT id, meeting_id, position, title, presenter, minutes_allotted, plan_action_id, notes, reached, carried_from_id
             FROM agenda_items WHERE meeting_id = $1 ORDER BY position, id",
        )
        .bind(meeting_id)
        .fetch_all(&db.pool)
        .await?)
    })
    .await
}

/// Appends an item (demo, page, API).
pub async fn insert(
    conn: &mut AnyConnection,
    meeting_id: MeetingId,
    item: &NewItem,
    carried_from: Option<AgendaItemId>,
) -> Result<AgendaItemId, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO agenda_items (meeting_id, position, title, presenter, minutes_allotted, notes, reached, carried_from_id, plan_action_id)
         VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM agenda_items WHERE meeting_id = $1), $2, $3, $4, $5, $6, $7, $8)
         RETURNING id",
    )
    .bind(meeting_id)
    .bind(&item.title)
    .bind(&item.presenter)
    .bind(item.minutes_allotted)
    .bind(&item.notes)
    .bind(i64::from(item.reached))
    .bind(carried_from)
    .bind(item.plan_action_id)
    .fetch_one(&mut *conn)
    .await?)
}

/// The actions of the network's work plan for the meeting's year, as
/// (id, title): what an item may be tied to.
pub async fn plan_actions(db: &Db, g: &super::Guarded) -> Result<Vec<(i64, String)>, StoreError> {
    let (Some(network), Some(year)) = (g.meeting.network_id, g.meeting.held_on.get(..4).and_then(|y| y.parse().ok())) else {
        return Ok(Vec::new());
    };
    let actions = crate::plans::store::actions_of_network(&db.pool, network, year).await?;
    Ok(actions.into_iter().map(|(id, title)| (id.0, title)).collect())
}

/// Parses an item and checks that its plan action is one of the network's.
async fn checked(db: &Db, g: &super::Guarded, input: &AgendaInput) -> Result<NewItem, AppError> {
    let item = input.parse()?;
    if let Some(action) = item.plan_action_id {
        if !plan_actions(db, g).await?.iter().any(|(id, _)| *id == action) {
            return Err(AppError::field(
                "plan_action_id",
                "meetings-elija-accion-plan-trabajo-red-para",
            ));
        }
    }
    Ok(item)
}

/// Adds an item to the agenda of a meeting that is not closed.
pub async fn add(
    db: &Db,
    p: &Principal,
    meeting_id: MeetingId,
    input: &AgendaInput,
) -> Result<AgendaItemId, AppError> {
    let g = editable(db, p, meeting_id).await?.open()?;
    let item = checked(db, &g, input).await?;
    let mut tx = db.write().await?;
    let id = insert(&mut tx, meeting_id, &item, None).await?;
    tx.commit().await?;
    Ok(id)
}

async fn item_of(db: &Db, meeting_id: MeetingId, id: AgendaItemId) -> Result<AgendaItem, StoreError> {
    list(db, meeting_id)
        .await?
        .into_iter()
        .find(|i| i.id == id)
        .ok_or(StoreError::NotFound)
}

/// Changes an item (its text, minutes, notes, and whether it was reached).
pub async fn edit(
    db: &Db,
    p: &Principal,
    meeting_id: MeetingId,
    id: AgendaItemId,
    input: &AgendaInput,
) -> Result<(), AppError> {
    let g = editable(db, p, meeting_id).await?.open()?;
    item_of(db, meeting_id, id).await?;
    let item = checked(db, &g, input).await?;
    let mut tx = db.write().await?;
    sqlx::query(
        "UPDATE agenda_items SET title = $1, presenter = $2, minutes_allotted = $3, notes = $4, reached = $5, plan_action_id = $6 WHERE id = $7",
    )
    .bind(&item.title)
    .bind(&item.presenter)
    .bind(item.minutes_allotted)
    .bind(&item.notes)
    .bind(i64::from(item.reached))
    .bind(item.plan_action_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes an item; items carried on from it keep their text.
pub async fn remove(
    db: &Db,
    p: &Principal,
    meeting_id: MeetingId,
    id: AgendaItemId,
) -> Result<(), AppError> {
    editable(db, p, meeting_id).await?.open()?;
    item_of(db, meeting_id, id).await?;
    let mut tx = db.write().await?;
    sqlx::query("UPDATE agenda_items SET carried_from_id = NULL WHERE carried_from_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM agenda_items WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves an item one place up (or down), swapping with its neighbour.
pub async fn shift(
    db: &Db,
    p: &Principal,
    meeting_id: MeetingId,
    id: AgendaItemId,
    up: bool,
) -> Result<(), AppError> {
    editable(db, p, meeting_id).await?.open()?;
    let items = list(db, meeting_id).await?;
    let at = items.iter().position(|i| i.id == id).ok_or(AppError::NotFound)?;
    let other = if up { at.checked_sub(1) } else { Some(at + 1).filter(|o| *o < items.len()) };
    let Some(other) = other else {
        return Ok(());
    };
    let mut tx = db.write().await?;
    for (item, position) in [(&items[at], other), (&items[other], at)] {
        sqlx::query("UPDATE agenda_items SET position = $1 WHERE id = $2")
            .bind(position as i64 + 1)
            .bind(item.id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Moves the items a closed meeting did not reach to the network's next
/// meeting that is not closed (the first after it by date), with their
/// notes; returns that meeting, if there is one.
pub async fn carry_over(
    conn: &mut AnyConnection,
    network_id: NetworkId,
    meeting_id: MeetingId,
    held_on: &str,
) -> Result<Option<MeetingId>, StoreError> {
    let next: Option<MeetingId> = sqlx::query_scalar(
        "SELECT id FROM meetings WHERE network_id = $1 AND id <> $2 AND status <> 'closed' AND held_on >= $3
         ORDER BY held_on, starts_at, id LIMIT 1",
    )
    .bind(network_id)
    .bind(meeting_id)
    .bind(held_on)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(next) = next else {
        return Ok(None);
    };
    type Pending = (AgendaItemId, String, String, i64, String, Option<i64>);
    let pending: Vec<Pending> = sqlx::query_as(
        "SELECT id, title, presenter, minutes_allotted, notes, plan_action_id FROM agenda_items WHERE meeting_id = $1 AND reached = 0 ORDER BY position, id",
    )
    .bind(meeting_id)
    .fetch_all(&mut *conn)
    .await?;
    for (id, title, presenter, minutes_allotted, notes, plan_action_id) in pending {
        let item = NewItem {
            title,
            presenter,
            minutes_allotted,
            notes,
            reached: true,
            plan_action_id,
        };
        insert(conn, next, &item, Some(id)).await?;
    }
    Ok(Some(next))
}
