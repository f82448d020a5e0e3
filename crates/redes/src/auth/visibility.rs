//! What a person may list and read in bulk, derived from the same grants
//! as the decisions in `policy`: the stores turn these into SQL.

use super::policy::{Principal, Role, Scope};

/// The audience of institutional calls a person may read: calls of these
/// countries (all regions), and calls of these regions plus the national
/// calls of their countries.
#[derive(Debug, Default, Clone)]
pub struct CallAudience {
    pub all: bool,
    pub countries: Vec<String>,
    pub regions: Vec<(String, String)>,
}

impl Principal {
    /// Calls concern a territory: each person reads those of the places
    /// they work in (and the national calls of their countries).
    pub fn call_audience(&self) -> CallAudience {
        let mut a = CallAudience {
            all: self.is_admin,
            ..CallAudience::default()
        };
        for g in &self.grants {
            match &g.scope {
                Scope::National { country } => a.countries.push(country.clone()),
                Scope::Region { country, region }
                | Scope::Network {
                    country, region, ..
                } => a.regions.push((country.clone(), region.clone())),
                // Municipal and district secretariats issue calls under
                // the name of their territory (see `can_issue_call`).
                Scope::Province { country, province } => {
                    a.regions.push((country.clone(), province.clone()))
                }
                Scope::School {
                    country,
                    region,
                    province,
                    ..
                } => {
                    a.regions.push((country.clone(), region.clone()));
                    a.regions.push((country.clone(), province.clone()));
                }
            }
        }
        a
    }
}

/// What part of the registry a person may list; the stores turn it into
/// SQL. Mirrors `Principal::can_view_school` / `can_view_network` in `policy`.
#[derive(Debug, Default, Clone)]
pub struct Visibility {
    pub all: bool,
    pub countries: Vec<String>,
    pub regions: Vec<(String, String)>,
    pub provinces: Vec<(String, String)>,
    pub school_ids: Vec<i64>,
    pub network_ids: Vec<i64>,
    /// Networks reached through the person's schools.
    pub school_network_ids: Vec<i64>,
    /// Regions where the person coordinates a network (schools only).
    pub coordinated_regions: Vec<(String, String)>,
}

impl Principal {
    pub fn visibility(&self) -> Visibility {
        let mut v = Visibility {
            all: self.is_admin,
            school_ids: self.school_ids(),
            network_ids: self.network_ids(),
            school_network_ids: self.school_network_ids.clone(),
            coordinated_regions: self.coordinated_regions(),
            ..Visibility::default()
        };
        for g in &self.grants {
            let territorial = matches!(
                g.role,
                Role::Ministry
                    | Role::RegionalAuthority
                    | Role::Secretariat
                    | Role::ProvincialOffice
                    | Role::Supervisor
                    | Role::Observer
            );
            if !territorial {
                continue;
            }
            match &g.scope {
                Scope::National { country } => v.countries.push(country.clone()),
                Scope::Region { country, region } => {
                    v.regions.push((country.clone(), region.clone()))
                }
                Scope::Province { country, province } => {
                    v.provinces.push((country.clone(), province.clone()))
                }
                _ => {}
            }
        }
        v
    }
}
