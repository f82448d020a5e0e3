//! Stored encounter plans and their status. The plan itself is the
//! planner's JSON document, which is self-contained (input schools,
//! options, clusters, exceptions).

use redes_planner::{Plan, Role as SeatRole};
use serde::Serialize;

use crate::auth::policy::Territory;
use crate::country::Country;
use crate::error::AppError;
use crate::ids::PlanId;

/// Where a plan is in its life: a draft is changed and checked, an
/// approved plan never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Draft,
    Approved,
}

crate::stored_as_text!(PlanStatus);

impl PlanStatus {
    pub fn code(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Approved => "approved",
        }
    }
}

impl std::str::FromStr for PlanStatus {
    type Err = ();
    fn from_str(code: &str) -> Result<PlanStatus, ()> {
        match code {
            "draft" => Ok(PlanStatus::Draft),
            "approved" => Ok(PlanStatus::Approved),
            _ => Err(()),
        }
    }
}

#[derive(Debug, serde::Serialize, sqlx::FromRow)]
pub struct StoredPlan {
    pub id: PlanId,
    pub country: Country,
    pub region: String,
    pub province: String,
    /// The supervision zone planned; empty for a municipality's plan.
    /// A zone's plan keeps the state and municipality of its schools when
    /// they share one (else they are empty).
    pub zone: String,
    pub status: PlanStatus,
    pub plan_json: String,
    pub derived_sizes: i64,
    pub created_at: String,
    pub approved_at: Option<String>,
    /// The version a change is based on: a save or approval of an older
    /// version is refused (someone else changed the plan meanwhile).
    pub updated_at: String,
}

impl StoredPlan {
    pub fn plan(&self) -> Result<Plan, AppError> {
        serde_json::from_str(&self.plan_json)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("stored plan {}: {e}", self.id)))
    }

    pub fn approved(&self) -> bool {
        self.status == PlanStatus::Approved
    }

    pub fn territory(&self) -> Territory<'_> {
        Territory {
            country: self.country,
            region: &self.region,
            province: &self.province,
            zone: &self.zone,
        }
    }
}

/// A CTE seat's role as plan pages, rosters and attendance show and store
/// it: a data label (`label-` in the locale files), read in the page's
/// language through `t()`.
pub fn seat_label(role: SeatRole) -> &'static str {
    match role {
        SeatRole::Director => "Director(a)",
        SeatRole::Subdirector => "Subdirector(a)",
        SeatRole::Atp => "ATP",
        SeatRole::Teacher => "Docente",
    }
}

/// Every seat label, for the test that each reads in both languages.
pub const SEAT_LABELS: [&str; 4] = ["Director(a)", "Subdirector(a)", "ATP", "Docente"];
