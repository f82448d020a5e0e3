//! The writes of work plans, each one function (load with the permission
//! check → parse → write in one transaction) that the pages, the API and
//! the demo share.

use sqlx::AnyConnection;

use super::{
    editable_part, get_action, get_objective, is_network_person, plan_network, plan_of_part,
    rows, writable, Part, PlanNetwork,
};
use crate::auth::policy::Principal;
use crate::db::{now, Db, Float};
use crate::error::{AppError, StoreError};
use crate::ids::{
    ActionId, IndicatorId, MeasurementId, NetworkId, ObjectiveId, WorkPlanId,
};
use crate::plans::input::{
    parse_date, parse_year, ActionInput, IndicatorInput, MeasurementInput, NewAction,
    NewIndicator, NewMeasurement, NewObjective, ObjectiveInput, PlanInput, StatusInput,
};
use crate::plans::model::{ActionStatus, YEARS};

/// Starts a network's plan for a year (page and API).
pub async fn create_plan(
    db: &Db,
    p: &Principal,
    network_id: NetworkId,
    input: &PlanInput,
) -> Result<WorkPlanId, AppError> {
    writable(db, p, network_id).await?;
    let year = parse_year(&input.year).map_err(|e| AppError::field("year", e))?;
    let mut w = db.write().await?;
    let id = insert_plan(&mut w, network_id, year, Some(p.person_id)).await?;
    w.commit().await?;
    Ok(id)
}

/// Writes an empty plan; a year that already has one is refused on the
/// `year` field.
pub async fn insert_plan(
    conn: &mut AnyConnection,
    network_id: NetworkId,
    year: i64,
    created_by: Option<crate::ids::PersonId>,
) -> Result<WorkPlanId, StoreError> {
    let taken = || StoreError::invalid("year", crate::text::message("plans-red-ya-tiene-plan-para", &[("year", &year)]));
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM work_plans WHERE network_id = $1 AND year = $2")
            .bind(network_id)
            .bind(year)
            .fetch_optional(&mut *conn)
            .await?;
    if existing.is_some() {
        return Err(taken());
    }
    let at = now();
    sqlx::query_scalar(
        "INSERT INTO work_plans (network_id, year, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(network_id)
    .bind(year)
    .bind(created_by)
    .bind(at)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| {
        if crate::error::is_unique_violation(&e) {
            taken()
        } else {
            e.into()
        }
    })
}

/// Records that the plan changed.
async fn touch(conn: &mut AnyConnection, plan_id: WorkPlanId) -> Result<(), StoreError> {
    sqlx::query("UPDATE work_plans SET updated_at = $1 WHERE id = $2")
        .bind(now())
        .bind(plan_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// An annual objective serves a strategic objective of the same plan.
async fn check_parent(
    db: &Db,
    plan_id: WorkPlanId,
    objective: &NewObjective,
    itself: Option<ObjectiveId>,
) -> Result<(), AppError> {
    let Some(parent_id) = objective.parent_id else {
        return Ok(());
    };
    let wrong = || AppError::field("parent_id", "plans-elija-objetivo-estrategico-este-plan");
    let parent = match get_objective(db, parent_id).await {
        Ok(parent) => parent,
        Err(StoreError::NotFound) => return Err(wrong()),
        Err(e) => return Err(e.into()),
    };
    if parent.plan_id != plan_id || parent.parent_id.is_some() || Some(parent.id) == itself {
        return Err(wrong());
    }
    Ok(())
}

/// Adds a strategic objective, or an annual one under a strategic objective.
pub async fn add_objective(
    db: &Db,
    p: &Principal,
    plan_id: WorkPlanId,
    input: &ObjectiveInput,
) -> Result<ObjectiveId, AppError> {
    editable_part(db, p, Part::Plan(plan_id)).await?;
    let objective = input.parse().map_err(AppError::Validation)?;
    check_parent(db, plan_id, &objective, None).await?;
    let mut w = db.write().await?;
    let id = insert_objective(&mut w, plan_id, &objective).await?;
    w.commit().await?;
    Ok(id)
}

pub async fn insert_objective(
    conn: &mut AnyConnection,
    plan_id: WorkPlanId,
    o: &NewObjective,
) -> Result<ObjectiveId, StoreError> {
    let id = sqlx::query_scalar(
        "INSERT INTO plan_objectives (plan_id, parent_id, title, description) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(plan_id)
    .bind(o.parent_id)
    .bind(&o.title)
    .bind(&o.description)
    .fetch_one(&mut *conn)
    .await?;
    touch(conn, plan_id).await?;
    Ok(id)
}

pub async fn edit_objective(
    db: &Db,
    p: &Principal,
    id: ObjectiveId,
    input: &ObjectiveInput,
) -> Result<(), AppError> {
    let (_, plan) = editable_part(db, p, Part::Objective(id)).await?;
    let objective = input.parse().map_err(AppError::Validation)?;
    check_parent(db, plan.id, &objective, Some(id)).await?;
    let mut w = db.write().await?;
    if objective.parent_id.is_some() {
        let children: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM plan_objectives WHERE parent_id = $1")
                .bind(id)
                .fetch_one(&mut *w)
                .await?;
        if children > 0 {
            return Err(AppError::field(
                "parent_id",
                "plans-este-objetivo-estrategico-tiene-objetivos-anuales",
            ));
        }
    }
    sqlx::query("UPDATE plan_objectives SET parent_id = $1, title = $2, description = $3 WHERE id = $4")
        .bind(objective.parent_id)
        .bind(&objective.title)
        .bind(&objective.description)
        .bind(id)
        .execute(&mut *w)
        .await?;
    touch(&mut w, plan.id).await?;
    w.commit().await?;
    Ok(())
}

/// Deletes the measurements, indicators and actions of these objectives
/// (agenda items tied to the actions keep their text, untied).
async fn delete_contents(conn: &mut AnyConnection, objectives: &str) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM plan_measurements WHERE indicator_id IN (SELECT id FROM plan_indicators WHERE objective_id IN (OBJ))",
        "DELETE FROM plan_indicators WHERE objective_id IN (OBJ)",
        "UPDATE agenda_items SET plan_action_id = NULL WHERE plan_action_id IN (SELECT id FROM plan_actions WHERE objective_id IN (OBJ))",
        "DELETE FROM plan_actions WHERE objective_id IN (OBJ)",
    ] {
        sqlx::query(&sql.replace("OBJ", objectives))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Deletes an objective with everything under it: its annual objectives,
/// their actions, indicators and measurements.
pub async fn delete_objective(db: &Db, p: &Principal, id: ObjectiveId) -> Result<WorkPlanId, AppError> {
    let (_, plan) = editable_part(db, p, Part::Objective(id)).await?;
    let mut w = db.write().await?;
    let tree = format!("SELECT id FROM plan_objectives WHERE id = {id} OR parent_id = {id}");
    delete_contents(&mut w, &tree).await?;
    for sql in [
        "DELETE FROM plan_objectives WHERE parent_id = $1",
        "DELETE FROM plan_objectives WHERE id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *w).await?;
    }
    touch(&mut w, plan.id).await?;
    w.commit().await?;
    Ok(plan.id)
}

/// The owner of an action belongs to the network: a current member school,
/// or a person with a role in the network or one of its schools.
async fn check_owner(
    conn: &mut AnyConnection,
    n: &PlanNetwork,
    a: &NewAction,
) -> Result<(), AppError> {
    if let Some(school) = a.owner_school_id {
        if !n.members.contains(&school) {
            return Err(AppError::field(
                "owner_school_id",
                "plans-esa-escuela-no-integra-red",
            ));
        }
    }
    if let Some(person) = a.owner_person_id {
        if !is_network_person(conn, n.network.id, person).await? {
            return Err(AppError::field(
                "owner_person_id",
                "plans-esa-persona-no-tiene-rol-red",
            ));
        }
    }
    Ok(())
}

pub async fn add_action(
    db: &Db,
    p: &Principal,
    objective_id: ObjectiveId,
    input: &ActionInput,
) -> Result<ActionId, AppError> {
    let (n, plan) = editable_part(db, p, Part::Objective(objective_id)).await?;
    let action = input.parse().map_err(AppError::Validation)?;
    let mut w = db.write().await?;
    check_owner(&mut w, &n, &action).await?;
    let id = insert_action(&mut w, objective_id, &action).await?;
    touch(&mut w, plan.id).await?;
    w.commit().await?;
    Ok(id)
}

pub async fn insert_action(
    conn: &mut AnyConnection,
    objective_id: ObjectiveId,
    a: &NewAction,
) -> Result<ActionId, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO plan_actions (objective_id, title, owner_person_id, owner_school_id, starts_on, due_on, status,
            school_plan_action, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(objective_id)
    .bind(&a.title)
    .bind(a.owner_person_id)
    .bind(a.owner_school_id)
    .bind(&a.starts_on)
    .bind(&a.due_on)
    .bind(a.status)
    .bind(&a.school_plan_action)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?)
}

pub async fn edit_action(
    db: &Db,
    p: &Principal,
    id: ActionId,
    input: &ActionInput,
) -> Result<(), AppError> {
    let (n, plan) = editable_part(db, p, Part::Action(id)).await?;
    let action = input.parse().map_err(AppError::Validation)?;
    let mut w = db.write().await?;
    check_owner(&mut w, &n, &action).await?;
    sqlx::query(
        "UPDATE plan_actions SET title = $1, owner_person_id = $2, owner_school_id = $3, starts_on = $4, due_on = $5,
            status = $6, school_plan_action = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(&action.title)
    .bind(action.owner_person_id)
    .bind(action.owner_school_id)
    .bind(&action.starts_on)
    .bind(&action.due_on)
    .bind(action.status)
    .bind(&action.school_plan_action)
    .bind(now())
    .bind(id)
    .execute(&mut *w)
    .await?;
    touch(&mut w, plan.id).await?;
    w.commit().await?;
    Ok(())
}

/// Moves an action along (page and API): whoever edits the plan, or the
/// action's owner.
pub async fn set_action_status(
    db: &Db,
    p: &Principal,
    id: ActionId,
    input: &StatusInput,
) -> Result<WorkPlanId, AppError> {
    let plan = plan_of_part(db, Part::Action(id)).await?;
    let n = plan_network(db, plan.network_id).await?;
    let action = get_action(db, id).await?;
    if !p.can_update_action_status(&n.place(), action.owner()) {
        return Err(AppError::Forbidden);
    }
    let status: ActionStatus = input.parse().map_err(AppError::Validation)?;
    let mut w = db.write().await?;
    sqlx::query("UPDATE plan_actions SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status)
        .bind(now())
        .bind(id)
        .execute(&mut *w)
        .await?;
    touch(&mut w, plan.id).await?;
    w.commit().await?;
    Ok(plan.id)
}

pub async fn delete_action(db: &Db, p: &Principal, id: ActionId) -> Result<WorkPlanId, AppError> {
    let (_, plan) = editable_part(db, p, Part::Action(id)).await?;
    let mut w = db.write().await?;
    sqlx::query("UPDATE agenda_items SET plan_action_id = NULL WHERE plan_action_id = $1")
        .bind(id)
        .execute(&mut *w)
        .await?;
    sqlx::query("DELETE FROM plan_actions WHERE id = $1")
        .bind(id)
        .execute(&mut *w)
        .await?;
    touch(&mut w, plan.id).await?;
    w.commit().await?;
    Ok(plan.id)
}

pub async fn add_indicator(
    db: &Db,
    p: &Principal,
    objective_id: ObjectiveId,
    input: &IndicatorInput,
) -> Result<IndicatorId, AppError> {
    let (_, plan) = editable_part(db, p, Part::Objective(objective_id)).await?;
    let indicator = input.parse().map_err(AppError::Validation)?;
    let mut w = db.write().await?;
    let id = insert_indicator(&mut w, objective_id, &indicator).await?;
    touch(&mut w, plan.id).await?;
    w.commit().await?;
    Ok(id)
}

pub async fn insert_indicator(
    conn: &mut AnyConnection,
    objective_id: ObjectiveId,
    i: &NewIndicator,
) -> Result<IndicatorId, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO plan_indicators (objective_id, name, unit, baseline, goal) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(objective_id)
    .bind(&i.name)
    .bind(&i.unit)
    .bind(Float(i.baseline))
    .bind(i.goal)
    .fetch_one(&mut *conn)
    .await?)
}

pub async fn edit_indicator(
    db: &Db,
    p: &Principal,
    id: IndicatorId,
    input: &IndicatorInput,
) -> Result<(), AppError> {
    let (_, plan) = editable_part(db, p, Part::Indicator(id)).await?;
    let i = input.parse().map_err(AppError::Validation)?;
    let mut w = db.write().await?;
    sqlx::query("UPDATE plan_indicators SET name = $1, unit = $2, baseline = $3, goal = $4 WHERE id = $5")
        .bind(&i.name)
        .bind(&i.unit)
        .bind(Float(i.baseline))
        .bind(i.goal)
        .bind(id)
        .execute(&mut *w)
        .await?;
    touch(&mut w, plan.id).await?;
    w.commit().await?;
    Ok(())
}

pub async fn delete_indicator(
    db: &Db,
    p: &Principal,
    id: IndicatorId,
) -> Result<WorkPlanId, AppError> {
    let (_, plan) = editable_part(db, p, Part::Indicator(id)).await?;
    let mut w = db.write().await?;
    for sql in [
        "DELETE FROM plan_measurements WHERE indicator_id = $1",
        "DELETE FROM plan_indicators WHERE id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *w).await?;
    }
    touch(&mut w, plan.id).await?;
    w.commit().await?;
    Ok(plan.id)
}

pub async fn add_measurement(
    db: &Db,
    p: &Principal,
    indicator_id: IndicatorId,
    input: &MeasurementInput,
) -> Result<MeasurementId, AppError> {
    let (_, plan) = editable_part(db, p, Part::Indicator(indicator_id)).await?;
    let m = input.parse().map_err(AppError::Validation)?;
    let mut w = db.write().await?;
    let id = insert_measurement(&mut w, indicator_id, &m).await?;
    touch(&mut w, plan.id).await?;
    w.commit().await?;
    Ok(id)
}

pub async fn insert_measurement(
    conn: &mut AnyConnection,
    indicator_id: IndicatorId,
    m: &NewMeasurement,
) -> Result<MeasurementId, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO plan_measurements (indicator_id, measured_on, value, source) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(indicator_id)
    .bind(&m.measured_on)
    .bind(m.value)
    .bind(&m.source)
    .fetch_one(&mut *conn)
    .await?)
}

pub async fn edit_measurement(
    db: &Db,
    p: &Principal,
    id: MeasurementId,
    input: &MeasurementInput,
) -> Result<(), AppError> {
    let (_, plan) = editable_part(db, p, Part::Measurement(id)).await?;
    let m = input.parse().map_err(AppError::Validation)?;
    let mut w = db.write().await?;
    sqlx::query("UPDATE plan_measurements SET measured_on = $1, value = $2, source = $3 WHERE id = $4")
        .bind(&m.measured_on)
        .bind(m.value)
        .bind(&m.source)
        .bind(id)
        .execute(&mut *w)
        .await?;
    touch(&mut w, plan.id).await?;
    w.commit().await?;
    Ok(())
}

pub async fn delete_measurement(
    db: &Db,
    p: &Principal,
    id: MeasurementId,
) -> Result<WorkPlanId, AppError> {
    let (_, plan) = editable_part(db, p, Part::Measurement(id)).await?;
    let mut w = db.write().await?;
    sqlx::query("DELETE FROM plan_measurements WHERE id = $1")
        .bind(id)
        .execute(&mut *w)
        .await?;
    touch(&mut w, plan.id).await?;
    w.commit().await?;
    Ok(plan.id)
}

/// A `YYYY-MM-DD` date one year later (29 February becomes 28 February).
pub fn next_year_date(date: &str) -> String {
    let Ok(Some(d)) = parse_date(date, true) else {
        return date.to_string();
    };
    let next = d
        .replace_year(d.year() + 1)
        .or_else(|_| d.replace_day(28).and_then(|d| d.replace_year(d.year() + 1)))
        .unwrap_or(d);
    next.to_string()
}

/// "Start next year from this plan" (page and API): copies the objectives,
/// the actions (dates a year later, status back to pending) and the
/// indicators (the last measurement becomes the baseline) into a new plan
/// for the following year. Refused when that year has a plan already.
pub async fn copy_to_next_year(
    db: &Db,
    p: &Principal,
    plan_id: WorkPlanId,
) -> Result<WorkPlanId, AppError> {
    let (_, plan) = editable_part(db, p, Part::Plan(plan_id)).await?;
    let year = plan.year + 1;
    if !YEARS.contains(&year) {
        return Err(AppError::Conflict(crate::text::message("plans-no-puede-crear-plan-para-planes", &[("year", &year), ("arg1", &YEARS.start()), ("arg2", &YEARS.end())])));
    }
    let r = rows(db, plan_id).await?;
    let mut w = db.write().await?;
    let new_plan = match insert_plan(&mut w, plan.network_id, year, Some(p.person_id)).await {
        Ok(id) => id,
        Err(StoreError::Invalid { .. }) => {
            return Err(AppError::Conflict(crate::text::message("plans-red-ya-tiene-plan-para-no", &[("year", &year)])))
        }
        Err(e) => return Err(e.into()),
    };
    let mut ids = std::collections::HashMap::new();
    // Strategic objectives first, so annual ones find their parent.
    let mut objectives: Vec<_> = r.objectives.iter().collect();
    objectives.sort_by_key(|o| (o.parent_id.is_some(), o.id));
    for o in objectives {
        let copy = NewObjective {
            title: o.title.clone(),
            description: o.description.clone(),
            parent_id: o.parent_id.and_then(|id| ids.get(&id).copied()),
        };
        ids.insert(o.id, insert_objective(&mut w, new_plan, &copy).await?);
    }
    for a in &r.actions {
        let copy = NewAction {
            title: a.title.clone(),
            owner_person_id: a.owner_person_id,
            owner_school_id: a.owner_school_id,
            starts_on: next_year_date(&a.starts_on),
            due_on: next_year_date(&a.due_on),
            status: ActionStatus::Pending,
            school_plan_action: a.school_plan_action.clone(),
        };
        insert_action(&mut w, ids[&a.objective_id], &copy).await?;
    }
    for i in &r.indicators {
        let last = r
            .measurements
            .iter()
            .rev()
            .find(|m| m.indicator_id == i.id)
            .map(|m| m.value);
        let copy = NewIndicator {
            name: i.name.clone(),
            unit: i.unit.clone(),
            baseline: last.or(i.baseline),
            goal: i.goal,
        };
        insert_indicator(&mut w, ids[&i.objective_id], &copy).await?;
    }
    w.commit().await?;
    Ok(new_plan)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_move_one_year() {
        assert_eq!(super::next_year_date("2017-04-30"), "2018-04-30");
        assert_eq!(super::next_year_date("2016-02-29"), "2017-02-28");
    }
}
