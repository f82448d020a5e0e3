//! Every query of calls and of the networks' proposals of calls, their
//! guards, and one function per write: issuing a call, proposing one,
//! putting a proposal under consideration, issuing it and declining it
//! (each parse → policy → store, in one transaction).

use super::model::{
    Call, CallInput, CallProposal, DeclineInput, IssueInput, Level, NewCall, ProposalInput,
    ProposalStatus, CALL_SELECT, PROPOSAL_SELECT,
};
use crate::auth::policy::{CallAudience, Principal, ProposalAudience};
use crate::db::{now, Db};
use crate::error::{AppError, StoreError};
use crate::ids::{CallId, CallProposalId, NetworkId};
use crate::networks::model::Network;
use crate::sql::Sql;

/// The latest calls that concern the audience's territory.
pub async fn list(db: &Db, a: &CallAudience) -> Result<Vec<Call>, StoreError> {
    let mut sql = Sql::new(&format!("{CALL_SELECT} WHERE 1 = 1"));
    a.restrict(&mut sql, "c");
    sql.push(" ORDER BY c.created_at DESC, c.id DESC LIMIT 100");
    Ok(sql.query_as::<Call>().fetch_all(&db.pool).await?)
}

pub async fn get(db: &Db, id: CallId) -> Result<Call, StoreError> {
    sqlx::query_as::<_, Call>(&format!("{CALL_SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Issues a call: only ministries and secretariats, in their territory.
pub async fn issue(db: &Db, p: &Principal, input: &CallInput) -> Result<CallId, AppError> {
    // Checked before looking at the content: a network role is refused
    // whatever it sends.
    if !p.may_issue_calls() {
        return Err(AppError::Forbidden);
    }
    let call = input.parse(p.person_id).map_err(AppError::Validation)?;
    if !p.can_issue_call(call.place()) {
        return Err(AppError::Denied(if call.region.is_empty() {
            "calls-solo-ministerio-emite-convocatorias-nacionales-indique".into()
        } else {
            "calls-no-puede-emitir-convocatorias-ese-territorio".into()
        }));
    }
    let mut w = db.write().await?;
    let id = insert(&mut w, &call).await?;
    w.commit().await?;
    Ok(id)
}

async fn insert(conn: &mut sqlx::AnyConnection, c: &NewCall) -> Result<CallId, StoreError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO calls (country, region, province, title, body, opens_on, closes_on, proposal_id, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(c.country)
    .bind(&c.region)
    .bind(&c.province)
    .bind(&c.title)
    .bind(&c.body)
    .bind(&c.opens_on)
    .bind(&c.closes_on)
    .bind(c.proposal_id)
    .bind(c.created_by)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?)
}

/// The proposals the audience may list: pending ones first, newest first.
pub async fn proposals(db: &Db, a: &ProposalAudience) -> Result<Vec<CallProposal>, StoreError> {
    let mut sql = Sql::new(&format!("{PROPOSAL_SELECT} WHERE 1 = 1"));
    a.restrict(&mut sql, "cp", "n");
    sql.push(
        " ORDER BY CASE WHEN cp.status IN ('proposed', 'under_consideration') THEN 0 ELSE 1 END, cp.proposed_at DESC, cp.id DESC LIMIT 200",
    );
    Ok(sql.query_as::<CallProposal>().fetch_all(&db.pool).await?)
}

/// A network's proposals, newest first.
pub async fn of_network(db: &Db, network: NetworkId) -> Result<Vec<CallProposal>, StoreError> {
    Ok(sqlx::query_as::<_, CallProposal>(&format!(
        "{PROPOSAL_SELECT} WHERE cp.network_id = $1 ORDER BY cp.proposed_at DESC, cp.id DESC"
    ))
    .bind(network)
    .fetch_all(&db.pool)
    .await?)
}

pub async fn get_proposal(db: &Db, id: CallProposalId) -> Result<CallProposal, StoreError> {
    sqlx::query_as::<_, CallProposal>(&format!("{PROPOSAL_SELECT} WHERE cp.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or(StoreError::NotFound)
}

/// A proposal with its network, if the person may read it (404, 403).
pub async fn viewable_proposal(
    db: &Db,
    p: &Principal,
    id: CallProposalId,
) -> Result<(CallProposal, Network), AppError> {
    let proposal = get_proposal(db, id).await?;
    let network = crate::networks::store::get(db, proposal.network_id).await?;
    if !p.can_view_call_proposal(&network.policy(), proposal.place()) {
        return Err(AppError::Forbidden);
    }
    Ok((proposal, network))
}

/// A proposal the person may decide on (404, 403).
async fn decidable(db: &Db, p: &Principal, id: CallProposalId) -> Result<CallProposal, AppError> {
    let (proposal, _) = viewable_proposal(db, p, id).await?;
    if !p.can_decide_call_proposal(proposal.place()) {
        return Err(AppError::Denied(
            "calls-solo-autoridad-territorio-convocatoria-secretaria-ministerio".into(),
        ));
    }
    Ok(proposal)
}

/// A network's coordination proposes a call to the authority of the
/// territory it chooses (its province, its region or its country).
pub async fn propose(
    db: &Db,
    p: &Principal,
    network_id: NetworkId,
    input: &ProposalInput,
) -> Result<CallProposalId, AppError> {
    let network = crate::networks::store::get(db, network_id).await?;
    if !p.can_propose_call(&network.policy()) {
        return Err(AppError::Denied(
            "calls-solo-coordinacion-red-propone-convocatorias-nombre".into(),
        ));
    }
    let proposal = input
        .parse(!network.province.is_empty())
        .map_err(AppError::Validation)?;
    let (region, province) = match proposal.level {
        Level::Province => (network.region.as_str(), network.province.as_str()),
        Level::Region => (network.region.as_str(), ""),
        Level::Country => ("", ""),
    };
    let at = now();
    let mut w = db.write().await?;
    let id = sqlx::query_scalar(
        "INSERT INTO call_proposals (network_id, country, region, province, title, body, opens_on, closes_on,
             status, proposed_by, proposed_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(network_id)
    .bind(network.country)
    .bind(region)
    .bind(province)
    .bind(&proposal.title)
    .bind(&proposal.body)
    .bind(&proposal.opens_on)
    .bind(&proposal.closes_on)
    .bind(ProposalStatus::Proposed)
    .bind(p.person_id)
    .bind(&at)
    .fetch_one(&mut *w)
    .await?;
    w.commit().await?;
    Ok(id)
}

/// Moves a proposal from one of `from` to `to`, in the open transaction;
/// a proposal no longer in `from` (decided meanwhile) is a conflict.
async fn move_status(
    conn: &mut sqlx::AnyConnection,
    p: &Principal,
    id: CallProposalId,
    from: &[ProposalStatus],
    to: ProposalStatus,
    reason: &str,
) -> Result<(), StoreError> {
    let at = now();
    // Two statuses at most; a single one is bound twice.
    let (a, b) = (from[0], from[from.len() - 1]);
    let done = if to.is_pending() {
        sqlx::query(
            "UPDATE call_proposals SET status = $1, decline_reason = $2, updated_at = $3
             WHERE id = $4 AND status IN ($5, $6)",
        )
        .bind(to)
        .bind(reason)
        .bind(&at)
        .bind(id)
        .bind(a)
        .bind(b)
        .execute(&mut *conn)
        .await?
    } else {
        sqlx::query(
            "UPDATE call_proposals SET status = $1, decline_reason = $2, updated_at = $3,
                 decided_by = $4, decided_at = $3
             WHERE id = $5 AND status IN ($6, $7)",
        )
        .bind(to)
        .bind(reason)
        .bind(&at)
        .bind(p.person_id)
        .bind(id)
        .bind(a)
        .bind(b)
        .execute(&mut *conn)
        .await?
    };
    if done.rows_affected() == 0 {
        return Err(StoreError::Conflict(
            "calls-propuesta-ya-no-esta-pendiente-esa".into(),
        ));
    }
    Ok(())
}

/// The authority puts a proposal under consideration (only a proposal
/// just proposed).
pub async fn consider(db: &Db, p: &Principal, id: CallProposalId) -> Result<(), AppError> {
    decidable(db, p, id).await?;
    let mut w = db.write().await?;
    move_status(
        &mut w,
        p,
        id,
        &[ProposalStatus::Proposed],
        ProposalStatus::UnderConsideration,
        "",
    )
    .await?;
    w.commit().await?;
    Ok(())
}

/// The authority issues the proposed call: the call is written in the
/// proposal's territory, linked to it, and the proposal is issued, in one
/// transaction.
pub async fn issue_proposal(
    db: &Db,
    p: &Principal,
    id: CallProposalId,
    input: &IssueInput,
) -> Result<CallId, AppError> {
    let proposal = decidable(db, p, id).await?;
    let call = input
        .parse(&proposal, p.person_id)
        .map_err(AppError::Validation)?;
    let mut w = db.write().await?;
    move_status(
        &mut w,
        p,
        id,
        &[ProposalStatus::Proposed, ProposalStatus::UnderConsideration],
        ProposalStatus::Issued,
        "",
    )
    .await?;
    let call = insert(&mut w, &call).await?;
    w.commit().await?;
    Ok(call)
}

/// The authority declines a pending proposal, saying why.
pub async fn decline(
    db: &Db,
    p: &Principal,
    id: CallProposalId,
    input: &DeclineInput,
) -> Result<(), AppError> {
    decidable(db, p, id).await?;
    let reason = input.parse().map_err(AppError::Validation)?;
    let mut w = db.write().await?;
    move_status(
        &mut w,
        p,
        id,
        &[ProposalStatus::Proposed, ProposalStatus::UnderConsideration],
        ProposalStatus::Declined,
        &reason,
    )
    .await?;
    w.commit().await?;
    Ok(())
}
