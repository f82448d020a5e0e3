//! Every query of work plans: the plan of a network and year with its
//! objectives, actions, indicators and measurements; the guards that load a
//! plan (or a part of it) with the permission check; and, in `write.rs`,
//! one function per write shared by the pages, the API and the demo.

mod write;

pub use write::*;

use sqlx::Any;

use super::model::{
    Action, Indicator, Measurement, Objective, WorkPlan, ACTION_COLUMNS, ACTION_OWNER_JOINS,
};
use crate::auth::policy::{ActionOwner, PlanPlace, Principal};
use crate::db::Db;
use crate::error::{AppError, StoreError};
use crate::ids::{
    ActionId, IndicatorId, MeasurementId, NetworkId, ObjectiveId, PersonId, SchoolId, WorkPlanId,
};
use crate::networks::model::Network;

const PLAN_COLUMNS: &str = "id, network_id, year, created_at, updated_at";

/// A network with its current member schools: what a plan's permissions
/// are decided on.
pub struct PlanNetwork {
    pub network: Network,
    pub members: Vec<SchoolId>,
}

impl PlanNetwork {
    pub fn place(&self) -> PlanPlace<'_> {
        PlanPlace {
            network: self.network.policy(),
            member_schools: &self.members,
        }
    }
}

async fn plan_network(db: &Db, network_id: NetworkId) -> Result<PlanNetwork, StoreError> {
    let network = crate::networks::store::get(db, network_id).await?;
    let members = crate::networks::store::member_ids(db, network_id).await?;
    Ok(PlanNetwork { network, members })
}

/// The network, when the person may read its plans.
pub async fn readable(db: &Db, p: &Principal, id: NetworkId) -> Result<PlanNetwork, AppError> {
    let n = plan_network(db, id).await?;
    if !p.can_view_plan(&n.place()) {
        return Err(AppError::Forbidden);
    }
    Ok(n)
}

/// The network, when the person may edit its plans.
pub async fn writable(db: &Db, p: &Principal, id: NetworkId) -> Result<PlanNetwork, AppError> {
    let n = plan_network(db, id).await?;
    if !p.can_edit_plan(&n.place()) {
        return Err(AppError::Forbidden);
    }
    Ok(n)
}

/// A part of a plan, named by its id.
#[derive(Debug, Clone, Copy)]
pub enum Part {
    Plan(WorkPlanId),
    Objective(ObjectiveId),
    Action(ActionId),
    Indicator(IndicatorId),
    Measurement(MeasurementId),
}

/// The plan a part belongs to.
async fn plan_of_part(db: &Db, part: Part) -> Result<WorkPlan, StoreError> {
    let (sql, id) = match part {
        Part::Plan(id) => return get_plan(db, id).await,
        Part::Objective(id) => ("SELECT plan_id FROM plan_objectives WHERE id = $1", id.0),
        Part::Action(id) => (
            "SELECT o.plan_id FROM plan_actions a JOIN plan_objectives o ON o.id = a.objective_id WHERE a.id = $1",
            id.0,
        ),
        Part::Indicator(id) => (
            "SELECT o.plan_id FROM plan_indicators i JOIN plan_objectives o ON o.id = i.objective_id WHERE i.id = $1",
            id.0,
        ),
        Part::Measurement(id) => (
            "SELECT o.plan_id FROM plan_measurements m JOIN plan_indicators i ON i.id = m.indicator_id
             JOIN plan_objectives o ON o.id = i.objective_id WHERE m.id = $1",
            id.0,
        ),
    };
    let plan_id: Option<WorkPlanId> = sqlx::query_scalar(sql)
        .bind(id)
        .fetch_optional(&db.pool)
        .await?;
    get_plan(db, plan_id.ok_or(StoreError::NotFound)?).await
}

/// The plan of a part with its network, when the person may edit it.
pub async fn editable_part(
    db: &Db,
    p: &Principal,
    part: Part,
) -> Result<(PlanNetwork, WorkPlan), AppError> {
    let plan = plan_of_part(db, part).await?;
    let n = writable(db, p, plan.network_id).await?;
    Ok((n, plan))
}

/// The plan of a part with its network, when the person may read it.
pub async fn viewable_part(
    db: &Db,
    p: &Principal,
    part: Part,
) -> Result<(PlanNetwork, WorkPlan), AppError> {
    let plan = plan_of_part(db, part).await?;
    let n = readable(db, p, plan.network_id).await?;
    Ok((n, plan))
}

pub async fn get_plan(db: &Db, id: WorkPlanId) -> Result<WorkPlan, StoreError> {
    sqlx::query_as(&format!(
        "SELECT {PLAN_COLUMNS} FROM work_plans WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(StoreError::NotFound)
}

/// The network's plan for a year, if it has one.
pub async fn plan_of(
    db: &Db,
    network_id: NetworkId,
    year: i64,
) -> Result<Option<WorkPlan>, StoreError> {
    db.remember(format!("plan:{network_id}:{year}"), || async {
        Ok(sqlx::query_as(&format!(
            "SELECT {PLAN_COLUMNS} FROM work_plans WHERE network_id = $1 AND year = $2"
        ))
        .bind(network_id)
        .bind(year)
        .fetch_optional(&db.pool)
        .await?)
    })
    .await
}

/// The years the network has a plan for, oldest first.
pub async fn years(db: &Db, network_id: NetworkId) -> Result<Vec<i64>, StoreError> {
    db.remember(format!("plan-years:{network_id}"), || async {
        Ok(
            sqlx::query_scalar("SELECT year FROM work_plans WHERE network_id = $1 ORDER BY year")
                .bind(network_id)
                .fetch_all(&db.pool)
                .await?,
        )
    })
    .await
}

pub async fn get_objective(db: &Db, id: ObjectiveId) -> Result<Objective, StoreError> {
    sqlx::query_as(
        "SELECT id, plan_id, parent_id, title, description FROM plan_objectives WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(StoreError::NotFound)
}

pub async fn get_action(db: &Db, id: ActionId) -> Result<Action, StoreError> {
    sqlx::query_as(&format!(
        "SELECT {ACTION_COLUMNS} FROM plan_actions a {ACTION_OWNER_JOINS} WHERE a.id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(StoreError::NotFound)
}

impl Action {
    pub fn owner(&self) -> ActionOwner {
        ActionOwner {
            person: self.owner_person_id,
            school: self.owner_school_id,
        }
    }
}

pub async fn get_indicator(db: &Db, id: IndicatorId) -> Result<Indicator, StoreError> {
    sqlx::query_as(
        "SELECT id, objective_id, name, unit, baseline, goal FROM plan_indicators WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(StoreError::NotFound)
}

pub async fn get_measurement(db: &Db, id: MeasurementId) -> Result<Measurement, StoreError> {
    sqlx::query_as(
        "SELECT id, indicator_id, measured_on, value, source FROM plan_measurements WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(StoreError::NotFound)
}

/// Everything in a plan, each list in display order: objectives (strategic
/// and annual, by id), actions (by due date), indicators, measurements (by
/// date). Four queries, remembered until the next write (`Db::remember`).
#[derive(Clone)]
pub struct PlanRows {
    pub objectives: Vec<Objective>,
    pub actions: Vec<Action>,
    pub indicators: Vec<Indicator>,
    pub measurements: Vec<Measurement>,
}

pub async fn rows(db: &Db, plan_id: WorkPlanId) -> Result<PlanRows, StoreError> {
    db.remember(format!("plan:{plan_id}:rows"), || async {
        let objectives = sqlx::query_as(
            "SELECT id, plan_id, parent_id, title, description FROM plan_objectives WHERE plan_id = $1 ORDER BY id",
        )
        .bind(plan_id)
        .fetch_all(&db.pool)
        .await?;
        let actions = sqlx::query_as(&format!(
            "SELECT {ACTION_COLUMNS} FROM plan_actions a {ACTION_OWNER_JOINS}
             JOIN plan_objectives o ON o.id = a.objective_id
             WHERE o.plan_id = $1 ORDER BY a.due_on, a.id"
        ))
        .bind(plan_id)
        .fetch_all(&db.pool)
        .await?;
        let indicators = sqlx::query_as(
            "SELECT i.id, i.objective_id, i.name, i.unit, i.baseline, i.goal FROM plan_indicators i
             JOIN plan_objectives o ON o.id = i.objective_id WHERE o.plan_id = $1 ORDER BY i.id",
        )
        .bind(plan_id)
        .fetch_all(&db.pool)
        .await?;
        let measurements = sqlx::query_as(
            "SELECT m.id, m.indicator_id, m.measured_on, m.value, m.source FROM plan_measurements m
             JOIN plan_indicators i ON i.id = m.indicator_id JOIN plan_objectives o ON o.id = i.objective_id
             WHERE o.plan_id = $1 ORDER BY m.measured_on, m.id",
        )
        .bind(plan_id)
        .fetch_all(&db.pool)
        .await?;
        Ok(PlanRows {
            objectives,
            actions,
            indicators,
            measurements,
        })
    })
    .await
}

/// A person who may own an action: someone with a current role in the
/// network or in one of its member schools.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
}

const NETWORK_PEOPLE: &str = "SELECT DISTINCT pe.id, pe.full_name AS name FROM people pe
    JOIN memberships m ON m.person_id = pe.id
    WHERE pe.archived = 0 AND (m.ends_on IS NULL OR m.ends_on >= $2)
      AND (m.network_id = $1 OR m.school_id IN
           (SELECT school_id FROM network_schools WHERE network_id = $1 AND left_on IS NULL))";

/// The people who may own an action of the network's plan, by name.
pub async fn owner_people(db: &Db, network_id: NetworkId) -> Result<Vec<Candidate>, StoreError> {
    Ok(sqlx::query_as(&format!("{NETWORK_PEOPLE} ORDER BY pe.full_name, pe.id"))
        .bind(network_id)
        .bind(crate::db::today())
        .fetch_all(&db.pool)
        .await?)
}

/// The current member schools that may own an action, by name.
pub async fn owner_schools(db: &Db, network_id: NetworkId) -> Result<Vec<Candidate>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT s.id, s.name FROM network_schools m JOIN schools s ON s.id = m.school_id
         WHERE m.network_id = $1 AND m.left_on IS NULL ORDER BY s.name, s.id",
    )
    .bind(network_id)
    .fetch_all(&db.pool)
    .await?)
}

/// True when the person may own an action of the network's plan.
async fn is_network_person(
    conn: &mut sqlx::AnyConnection,
    network_id: NetworkId,
    person: PersonId,
) -> Result<bool, StoreError> {
    let found: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM ({NETWORK_PEOPLE}) people_of_network WHERE id = $3"
    ))
    .bind(network_id)
    .bind(crate::db::today())
    .bind(person)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

/// The actions of a network's plan for a year, as (id, title) in due-date
/// order: what an agenda item of a meeting may be tied to
/// (`agenda_items.plan_action_id`). Takes the pool or a connection.
pub async fn actions_of_network<'c, E>(
    conn: E,
    network_id: NetworkId,
    year: i64,
) -> Result<Vec<(ActionId, String)>, StoreError>
where
    E: sqlx::Executor<'c, Database = Any>,
{
    Ok(sqlx::query_as(
        "SELECT a.id, a.title FROM plan_actions a
         JOIN plan_objectives o ON o.id = a.objective_id
         JOIN work_plans w ON w.id = o.plan_id
         WHERE w.network_id = $1 AND w.year = $2 ORDER BY a.due_on, a.id",
    )
    .bind(network_id)
    .bind(year)
    .fetch_all(conn)
    .await?)
}

/// A current member school of the network by its official code (the demo
/// names owner schools by RBD). Takes a connection, so it sees what the
/// same transaction wrote.
pub async fn member_school_by_code(
    conn: &mut sqlx::AnyConnection,
    network_id: NetworkId,
    code: &str,
) -> Result<Option<SchoolId>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT s.id FROM network_schools m JOIN schools s ON s.id = m.school_id
         WHERE m.network_id = $1 AND m.left_on IS NULL AND s.official_code = $2",
    )
    .bind(network_id)
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?)
}

/// An unfinished action a person answers for, for their home page.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct OwnAction {
    pub id: ActionId,
    pub title: String,
    pub due_on: String,
    pub status: super::model::ActionStatus,
    pub network_id: NetworkId,
    pub network_name: String,
    pub year: i64,
    /// Due before today.
    pub late: i64,
}

/// The pending and in-progress actions a person owns, or that a school
/// they lead owns while it is a member of the plan's network: late ones
/// first, then by due date; at most 10.
pub async fn own_actions(
    db: &Db,
    person: PersonId,
    schools: &[SchoolId],
) -> Result<Vec<OwnAction>, StoreError> {
    let mut sql = crate::sql::Sql::new(
        "SELECT a.id, a.title, a.due_on, a.status, w.network_id, n.name AS network_name, w.year,
                CAST(CASE WHEN a.due_on < ",
    );
    sql.text(crate::db::today())
        .push(
            " THEN 1 ELSE 0 END AS BIGINT) AS late
         FROM plan_actions a JOIN plan_objectives o ON o.id = a.objective_id
         JOIN work_plans w ON w.id = o.plan_id JOIN networks n ON n.id = w.network_id
         WHERE a.status IN ('pending', 'in_progress') AND (a.owner_person_id = ",
        )
        .int(person.0)
        .push(" OR (a.owner_school_id IN ")
        .int_list(&schools.iter().map(|s| s.0).collect::<Vec<_>>())
        .push(
            " AND a.owner_school_id IN (SELECT school_id FROM network_schools
                 WHERE network_id = w.network_id AND left_on IS NULL)))
         ORDER BY late DESC, a.due_on, a.id LIMIT 10",
        );
    Ok(sql.query_as().fetch_all(&db.pool).await?)
}
