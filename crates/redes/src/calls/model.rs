//! Institutional calls and the networks' proposals of calls: the stored
//! rows, the forms (the same bodies as the API's) and their checking.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::agreements::model::parse_date;
use crate::auth::policy::CallPlace;
use crate::country::Country;
use crate::error::FieldErrors;
use crate::ids::{CallId, CallProposalId, NetworkId, PersonId};

/// An issued call, with its author and, when it was a network's proposal,
/// the proposal and the network.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Call {
    pub id: CallId,
    pub country: Country,
    /// Empty for a national call.
    pub region: String,
    /// Empty for a call of the whole region (or country).
    pub province: String,
    pub title: String,
    pub body: String,
    /// `YYYY-MM-DD`; empty on calls issued before calls had dates.
    pub opens_on: String,
    pub closes_on: String,
    pub author: String,
    pub created_at: String,
    /// The proposal it was issued from, if any.
    pub proposal_id: Option<CallProposalId>,
    pub network_id: Option<NetworkId>,
    pub network_name: Option<String>,
}

/// The columns of `Call` over `calls c` with its author `p`, its proposal
/// `cp` and the proposal's network `n`.
pub const CALL_SELECT: &str = "SELECT c.id, c.country, c.region, c.province, c.title, c.body, c.opens_on, c.closes_on,
        p.full_name AS author, c.created_at, c.proposal_id, cp.network_id, n.name AS network_name
    FROM calls c JOIN people p ON p.id = c.created_by
    LEFT JOIN call_proposals cp ON cp.id = c.proposal_id
    LEFT JOIN networks n ON n.id = cp.network_id";

impl Call {
    /// `upcoming`, `open` or `closed` on `today` (`YYYY-MM-DD`); empty for
    /// a call without dates.
    pub fn phase(&self, today: &str) -> &'static str {
        phase(&self.opens_on, &self.closes_on, today)
    }
}

/// Where a call stands on a day, from its dates.
pub fn phase(opens_on: &str, closes_on: &str, today: &str) -> &'static str {
    if opens_on.is_empty() || closes_on.is_empty() {
        ""
    } else if today < opens_on {
        "upcoming"
    } else if today > closes_on {
        "closed"
    } else {
        "open"
    }
}

/// Spanish name of a phase.
pub fn phase_label(phase: &str) -> &'static str {
    match phase {
        "upcoming" => "calls-abrir",
        "open" => "calls-abierta",
        "closed" => "calls-cerrada",
        _ => "",
    }
}

/// The call form or API body, as typed.
#[derive(Debug, Default, Clone, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"country": "co", "region": "Bolívar", "province": "", "title": "Convocatoria a redes de maestros 2027", "body": "Postulaciones abiertas.", "opens_on": "2027-02-01", "closes_on": "2027-03-15"}))]
pub struct CallInput {
    /// `cl`, `co` or `mx`.
    #[schema(pattern = "^(cl|co|mx)$")]
    pub country: String,
    /// Empty for a national call (ministries only).
    #[schema(max_length = 120)]
    pub region: String,
    /// A province, municipality or district of the region; empty for the
    /// whole region.
    #[schema(max_length = 120)]
    pub province: String,
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub title: String,
    #[schema(max_length = 10000)]
    pub body: String,
    /// `YYYY-MM-DD`.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub opens_on: String,
    /// `YYYY-MM-DD`, on or after `opens_on`.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub closes_on: String,
}

/// A checked call, ready to be written.
pub struct NewCall {
    pub country: Country,
    /// Empty for a national call.
    pub region: String,
    pub province: String,
    pub title: String,
    pub body: String,
    pub opens_on: String,
    pub closes_on: String,
    pub created_by: PersonId,
    pub proposal_id: Option<CallProposalId>,
}

impl NewCall {
    pub fn place(&self) -> CallPlace<'_> {
        CallPlace {
            country: self.country,
            region: &self.region,
            province: &self.province,
        }
    }
}

/// Title, text and dates: what a call and a proposal share.
struct Terms {
    title: String,
    body: String,
    opens_on: String,
    closes_on: String,
}

fn terms(
    errors: &mut FieldErrors,
    title: &str,
    body: &str,
    opens_on: &str,
    closes_on: &str,
) -> Terms {
    if title.trim().is_empty() {
        errors
            .entry("title".into())
            .or_insert_with(|| "calls-titulo-es-obligatorio".into());
    }
    let opens = parse_date(opens_on);
    let closes = parse_date(closes_on);
    if opens.is_none() {
        errors
            .entry("opens_on".into())
            .or_insert_with(|| "calls-escriba-fecha-apertura-aaaa-mm-dd".into());
    }
    if closes.is_none() {
        errors
            .entry("closes_on".into())
            .or_insert_with(|| "calls-escriba-fecha-cierre-aaaa-mm-dd".into());
    }
    if let (Some(o), Some(c)) = (&opens, &closes) {
        if c < o {
            errors.insert(
                "closes_on".into(),
                crate::text::message("calls-cierre-no-puede-ser-anterior-apertura", &[("o", &o)]),
            );
        }
    }
    Terms {
        title: title.trim().to_string(),
        body: body.trim().to_string(),
        opens_on: opens.unwrap_or_default(),
        closes_on: closes.unwrap_or_default(),
    }
}

impl CallInput {
    pub fn parse(&self, author: PersonId) -> Result<NewCall, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let country = Country::parse(&self.country);
        if country.is_none() {
            errors.insert("country".into(), "calls-elija-chile-colombia-mexico".into());
        }
        let region = self.region.trim().to_string();
        let province = self.province.trim().to_string();
        if region.is_empty() && !province.is_empty() {
            errors.insert(
                "region".into(),
                "calls-indique-region-provincia-municipio".into(),
            );
        }
        let t = terms(
            &mut errors,
            &self.title,
            &self.body,
            &self.opens_on,
            &self.closes_on,
        );
        match country {
            Some(country) if errors.is_empty() => Ok(NewCall {
                country,
                region,
                province,
                title: t.title,
                body: t.body,
                opens_on: t.opens_on,
                closes_on: t.closes_on,
                created_by: author,
                proposal_id: None,
            }),
            _ => Err(errors),
        }
    }
}

/// Where a network's proposal of a call stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProposalStatus {
    #[default]
    Proposed,
    /// The authority is studying it.
    UnderConsideration,
    /// The authority issued the call (`call_id`).
    Issued,
    /// The authority declined it, with a reason.
    Declined,
}

crate::stored_as_text!(ProposalStatus);

impl ProposalStatus {
    pub const ALL: [ProposalStatus; 4] = [
        ProposalStatus::Proposed,
        ProposalStatus::UnderConsideration,
        ProposalStatus::Issued,
        ProposalStatus::Declined,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProposalStatus::Proposed => "proposed",
            ProposalStatus::UnderConsideration => "under_consideration",
            ProposalStatus::Issued => "issued",
            ProposalStatus::Declined => "declined",
        }
    }

    /// Spanish name.
    pub fn label(self) -> &'static str {
        match self {
            ProposalStatus::Proposed => "calls-propuesta-3",
            ProposalStatus::UnderConsideration => "calls-estudio",
            ProposalStatus::Issued => "calls-emitida-2",
            ProposalStatus::Declined => "calls-declinada",
        }
    }

    /// Still waiting for the authority's decision.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            ProposalStatus::Proposed | ProposalStatus::UnderConsideration
        )
    }
}

impl std::str::FromStr for ProposalStatus {
    type Err = ();
    fn from_str(code: &str) -> Result<ProposalStatus, ()> {
        ProposalStatus::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or(())
    }
}

/// A network's proposal of a call, with the names of who proposed and who
/// decided, and the call issued from it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct CallProposal {
    pub id: CallProposalId,
    pub network_id: NetworkId,
    pub network_name: String,
    /// The territory of the proposed call.
    pub country: Country,
    pub region: String,
    pub province: String,
    pub title: String,
    pub body: String,
    pub opens_on: String,
    pub closes_on: String,
    pub status: ProposalStatus,
    /// Why it was declined (empty otherwise).
    pub decline_reason: String,
    pub proposed_by_name: String,
    pub proposed_at: String,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<String>,
    pub updated_at: String,
    /// The call issued from it.
    pub call_id: Option<CallId>,
}

/// The columns of `CallProposal` over `call_proposals cp` with its network
/// `n`, proposer `pp`, decider `dp` and issued call `c`.
pub const PROPOSAL_SELECT: &str = "SELECT cp.id, cp.network_id, n.name AS network_name, cp.country, cp.region, cp.province,
        cp.title, cp.body, cp.opens_on, cp.closes_on, cp.status, cp.decline_reason,
        pp.full_name AS proposed_by_name, cp.proposed_at, dp.full_name AS decided_by_name, cp.decided_at,
        cp.updated_at, c.id AS call_id
    FROM call_proposals cp JOIN networks n ON n.id = cp.network_id
    JOIN people pp ON pp.id = cp.proposed_by
    LEFT JOIN people dp ON dp.id = cp.decided_by
    LEFT JOIN calls c ON c.proposal_id = cp.id";

impl CallProposal {
    pub fn place(&self) -> CallPlace<'_> {
        CallPlace {
            country: self.country,
            region: &self.region,
            province: &self.province,
        }
    }
}

/// The territory a network proposes a call for, from its own: its
/// province (or municipality, district), its region, or its whole country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Province,
    Region,
    Country,
}

impl Level {
    pub fn parse(code: &str) -> Option<Level> {
        match code.trim() {
            "province" => Some(Level::Province),
            // The region is what a network proposes by default.
            "region" | "" => Some(Level::Region),
            "country" => Some(Level::Country),
            _ => None,
        }
    }
}

/// A network's proposal form or API body, as typed.
#[derive(Debug, Default, Clone, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"title": "Encuentro distrital de redes de maestros", "body": "Proponemos convocar a las instituciones del distrito.", "opens_on": "2027-03-01", "closes_on": "2027-04-15", "level": "province"}))]
pub struct ProposalInput {
    #[schema(min_length = 1, max_length = 200, pattern = "\\S")]
    pub title: String,
    /// What the call would say and why the network proposes it.
    #[schema(max_length = 10000)]
    pub body: String,
    /// `YYYY-MM-DD`.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub opens_on: String,
    /// `YYYY-MM-DD`, on or after `opens_on`.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    pub closes_on: String,
    /// The territory of the call, from the network's own: `province` (its
    /// province, municipality or district), `region` (default) or
    /// `country`. It says which authority receives the proposal.
    #[schema(pattern = "^(province|region|country)?$")]
    pub level: String,
}

/// A checked proposal, ready to be written.
pub struct NewProposal {
    pub level: Level,
    pub title: String,
    pub body: String,
    pub opens_on: String,
    pub closes_on: String,
}

impl ProposalInput {
    /// `has_province`: the network has one to propose for.
    pub fn parse(&self, has_province: bool) -> Result<NewProposal, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let level = Level::parse(&self.level);
        match level {
            None => {
                errors.insert(
                    "level".into(),
                    "calls-elija-territorio-provincia-region-pais".into(),
                );
            }
            Some(Level::Province) if !has_province => {
                errors.insert(
                    "level".into(),
                    "calls-red-no-tiene-provincia-ni-municipio".into(),
                );
            }
            _ => {}
        }
        let t = terms(
            &mut errors,
            &self.title,
            &self.body,
            &self.opens_on,
            &self.closes_on,
        );
        match level {
            Some(level) if errors.is_empty() => Ok(NewProposal {
                level,
                title: t.title,
                body: t.body,
                opens_on: t.opens_on,
                closes_on: t.closes_on,
            }),
            _ => Err(errors),
        }
    }
}

/// Issuing a proposal: the call's title, text and dates, which the
/// authority may adjust; an empty field keeps the proposal's.
#[derive(Debug, Default, Clone, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"title": "", "body": "", "opens_on": "2027-03-08", "closes_on": ""}))]
pub struct IssueInput {
    #[schema(max_length = 200)]
    pub title: String,
    #[schema(max_length = 10000)]
    pub body: String,
    #[schema(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub opens_on: String,
    #[schema(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub closes_on: String,
}

impl IssueInput {
    /// The form as first shown: the proposal's terms.
    pub fn from_proposal(p: &CallProposal) -> IssueInput {
        IssueInput {
            title: p.title.clone(),
            body: p.body.clone(),
            opens_on: p.opens_on.clone(),
            closes_on: p.closes_on.clone(),
        }
    }

    /// The call to write, in the proposal's territory.
    pub fn parse(&self, p: &CallProposal, author: PersonId) -> Result<NewCall, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let or = |typed: &str, proposed: &str| match typed.trim() {
            "" => proposed.to_string(),
            typed => typed.to_string(),
        };
        let body = match self.body.trim() {
            "" => p.body.clone(),
            typed => typed.to_string(),
        };
        let t = terms(
            &mut errors,
            &or(&self.title, &p.title),
            &body,
            &or(&self.opens_on, &p.opens_on),
            &or(&self.closes_on, &p.closes_on),
        );
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewCall {
            country: p.country,
            region: p.region.clone(),
            province: p.province.clone(),
            title: t.title,
            body: t.body,
            opens_on: t.opens_on,
            closes_on: t.closes_on,
            created_by: author,
            proposal_id: Some(p.id),
        })
    }
}

/// Declining a proposal: the reason is required.
#[derive(Debug, Default, Clone, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"decline_reason": "El calendario escolar de este año ya no lo permite."}))]
pub struct DeclineInput {
    #[schema(min_length = 1, max_length = 1000, pattern = "\\S")]
    pub decline_reason: String,
}

impl DeclineInput {
    pub fn parse(&self) -> Result<String, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let reason = self.decline_reason.trim().to_string();
        if reason.is_empty() {
            errors.insert(
                "decline_reason".into(),
                "calls-explique-red-por-declina".into(),
            );
        }
        match errors.is_empty() {
            true => Ok(reason),
            false => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_needs_a_title_and_dates_in_order() {
        let input = CallInput {
            country: "cl".into(),
            region: "Biobío".into(),
            title: "Llamado".into(),
            opens_on: "2027-03-10".into(),
            closes_on: "2027-03-01".into(),
            ..Default::default()
        };
        let errors = input.parse(PersonId(1)).err().unwrap();
        assert!(errors["closes_on"].contains("2027-03-10"), "{errors:?}");
        let errors = CallInput::default().parse(PersonId(1)).err().unwrap();
        for field in ["country", "title", "opens_on", "closes_on"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
    }

    #[test]
    fn a_province_needs_its_region() {
        let input = CallInput {
            country: "co".into(),
            province: "Cartagena de Indias".into(),
            title: "Llamado".into(),
            opens_on: "2027-03-01".into(),
            closes_on: "2027-03-10".into(),
            ..Default::default()
        };
        assert!(input.parse(PersonId(1)).err().unwrap().contains_key("region"));
    }

    #[test]
    fn phases_follow_the_dates() {
        assert_eq!(phase("2027-03-01", "2027-03-10", "2027-02-28"), "upcoming");
        assert_eq!(phase("2027-03-01", "2027-03-10", "2027-03-10"), "open");
        assert_eq!(phase("2027-03-01", "2027-03-10", "2027-03-11"), "closed");
        assert_eq!(phase("", "", "2027-03-11"), "");
    }
}
