//! Institutional calls (convocatorias): only ministries and secretariats
//! issue them; each person reads those of their territories.

use super::{CallAudience, Principal, Scope};
use crate::country::Country;

impl Principal {
    /// Networks are advisory (seed 000): only ministry and secretariat roles
    /// may issue an institutional call (convocatoria); no network role can.
    pub fn can_issue_call(&self, country: Country, region: &str) -> bool {
        self.grants.iter().any(|g| {
            g.role.is_institutional()
                && match &g.scope {
                    Scope::National { country: c } => *c == country,
                    // A regional authority calls in its region only; a
                    // call with no region is national.
                    Scope::Region {
                        country: c,
                        region: r,
                    } => *c == country && r == region,
                    // District and municipal secretariats (certified
                    // territorial entities) call within their own territory.
                    Scope::Province {
                        country: c,
                        province: p,
                    } => *c == country && p == region,
                    _ => false,
                }
        })
    }

    pub fn may_issue_calls(&self) -> bool {
        self.roles().any(super::Role::is_institutional)
    }

    /// Everyone signed in has a calls page: it lists the calls of their
    /// own territories (`call_audience`), possibly none.
    pub fn can_list_calls(&self) -> bool {
        true
    }

    /// Calls concern a territory: each person reads those of the places
    /// they work in (and the national calls of their countries).
    pub fn call_audience(&self) -> CallAudience {
        let mut a = CallAudience {
            all: self.is_admin,
            ..CallAudience::default()
        };
        for g in &self.grants {
            match &g.scope {
                Scope::National { country } => a.countries.push(*country),
                Scope::Region { country, region }
                | Scope::Network {
                    country, region, ..
                } => a.regions.push((*country, region.clone())),
                // Municipal and district secretariats issue calls under
                // the name of their territory (see `can_issue_call`).
                Scope::Province { country, province } => {
                    a.regions.push((*country, province.clone()))
                }
                Scope::School {
                    country,
                    region,
                    province,
                    ..
                } => {
                    a.regions.push((*country, region.clone()));
                    a.regions.push((*country, province.clone()));
                }
                // A zone names no state: its supervisors read the national
                // calls of their country (`region = ''`).
                Scope::Zone { country, .. } => a.regions.push((*country, String::new())),
            }
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;

    #[test]
    fn network_roles_cannot_issue_calls_but_secretariats_and_ministries_can() {
        for role in [Role::NetworkCoordinator, Role::Teacher, Role::Director] {
            assert!(!person(vec![network_grant(role)]).can_issue_call(Country::Cl, "Biobío"));
        }
        let secretariat = person(vec![Grant {
            role: Role::Secretariat,
            scope: Scope::Region {
                country: Country::Co,
                region: "Bolívar".into(),
            },
        }]);
        assert!(secretariat.can_issue_call(Country::Co, "Bolívar"));
        assert!(!secretariat.can_issue_call(Country::Co, "Tolima"));
        let ministry = person(vec![Grant {
            role: Role::Ministry,
            scope: Scope::National {
                country: Country::Cl,
            },
        }]);
        assert!(ministry.can_issue_call(Country::Cl, "Biobío"));
        assert!(!ministry.can_issue_call(Country::Mx, ""));
    }

    #[test]
    fn an_administrator_is_not_an_institutional_authority() {
        let mut admin = person(vec![]);
        admin.is_admin = true;
        assert!(!admin.can_issue_call(Country::Cl, ""));
    }
}
