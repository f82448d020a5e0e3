//! Institutional calls (convocatorias): only ministries and secretariats
//! issue them, each in its territory; networks are advisory (seed 000) and
//! propose calls to the authority of a territory, which issues or declines
//! them; each person reads the calls of their territories.

use super::{CallAudience, NetworkPlace, Principal, ProposalAudience, Scope};
use crate::country::Country;

/// Where a call, or a proposal of one, applies: a country, a region (empty
/// for the whole country) and a province, municipality or district of the
/// region (empty for the whole region).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallPlace<'a> {
    pub country: Country,
    pub region: &'a str,
    pub province: &'a str,
}

impl Principal {
    /// Networks are advisory (seed 000): only ministry and secretariat roles
    /// may issue an institutional call (convocatoria), each within its own
    /// territory; no network role can.
    pub fn can_issue_call(&self, c: CallPlace) -> bool {
        self.grants.iter().any(|g| {
            g.role.is_institutional()
                && match &g.scope {
                    Scope::National { country } => *country == c.country,
                    // A regional authority calls in its region only (any
                    // province of it); a call with no region is national.
                    Scope::Region { country, region } => {
                        *country == c.country && !c.region.is_empty() && region == c.region
                    }
                    // District and municipal secretariats (certified
                    // territorial entities) call within their own territory.
                    Scope::Province { country, province } => {
                        *country == c.country && !c.province.is_empty() && province == c.province
                    }
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

    /// A network's coordination speaks for it: only its coordinators
    /// propose a call in its name (not the administrators, who are no
    /// network's voice).
    pub fn can_propose_call(&self, n: &NetworkPlace) -> bool {
        self.coordinates(n.id)
    }

    pub fn may_propose_calls(&self) -> bool {
        !self.coordinated_regions().is_empty()
    }

    /// Putting a proposal under consideration, issuing it or declining it
    /// is the authority's who could issue the call itself.
    pub fn can_decide_call_proposal(&self, c: CallPlace) -> bool {
        self.can_issue_call(c)
    }

    /// A proposal is read by those who see its network (its people and the
    /// authorities over it) and by the authorities it is addressed to.
    pub fn can_view_call_proposal(&self, n: &NetworkPlace, c: CallPlace) -> bool {
        self.can_view_network(n) || self.can_issue_call(c)
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
                Scope::Province { country, province } => {
                    a.provinces.push((*country, province.clone()))
                }
                Scope::School {
                    country,
                    region,
                    province,
                    ..
                } => a.places.push((*country, region.clone(), province.clone())),
                // A zone names no state: its supervisors read the national
                // calls of their country.
                Scope::Zone { country, .. } => a.national.push(*country),
            }
        }
        a
    }

    /// The proposals a person may list: those of the networks they see,
    /// and those addressed to a territory where they issue calls.
    pub fn proposal_audience(&self) -> ProposalAudience {
        let mut a = ProposalAudience {
            networks: self.visibility(),
            ..ProposalAudience::default()
        };
        for g in self.grants.iter().filter(|g| g.role.is_institutional()) {
            match &g.scope {
                Scope::National { country } => a.countries.push(*country),
                Scope::Region { country, region } => a.regions.push((*country, region.clone())),
                Scope::Province { country, province } => {
                    a.provinces.push((*country, province.clone()))
                }
                _ => {}
            }
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;

    fn place<'a>(country: Country, region: &'a str, province: &'a str) -> CallPlace<'a> {
        CallPlace {
            country,
            region,
            province,
        }
    }

    #[test]
    fn network_roles_cannot_issue_calls_but_secretariats_and_ministries_can() {
        for role in [Role::NetworkCoordinator, Role::Teacher, Role::Director] {
            let p = person(vec![network_grant(role)]);
            assert!(!p.can_issue_call(place(Country::Cl, "Biobío", "")));
        }
        let secretariat = person(vec![Grant {
            role: Role::Secretariat,
            scope: Scope::Region {
                country: Country::Co,
                region: "Bolívar".into(),
            },
        }]);
        assert!(secretariat.can_issue_call(place(Country::Co, "Bolívar", "")));
        assert!(secretariat.can_issue_call(place(Country::Co, "Bolívar", "Cartagena de Indias")));
        assert!(!secretariat.can_issue_call(place(Country::Co, "Tolima", "")));
        assert!(!secretariat.can_issue_call(place(Country::Co, "", "")));
        let ministry = person(vec![Grant {
            role: Role::Ministry,
            scope: Scope::National {
                country: Country::Cl,
            },
        }]);
        assert!(ministry.can_issue_call(place(Country::Cl, "Biobío", "")));
        assert!(ministry.can_issue_call(place(Country::Cl, "", "")));
        assert!(!ministry.can_issue_call(place(Country::Mx, "", "")));
    }

    #[test]
    fn a_district_secretariat_issues_calls_of_its_district_only() {
        let district = person(vec![Grant {
            role: Role::Secretariat,
            scope: Scope::Province {
                country: Country::Co,
                province: "Cartagena de Indias".into(),
            },
        }]);
        assert!(district.can_issue_call(place(Country::Co, "Bolívar", "Cartagena de Indias")));
        assert!(!district.can_issue_call(place(Country::Co, "Bolívar", "")));
        assert!(!district.can_issue_call(place(Country::Co, "Bolívar", "Turbaco")));
    }

    #[test]
    fn only_the_coordination_proposes_and_only_the_addressee_decides() {
        let own = NetworkPlace {
            id: NetworkId(7),
            country: Country::Cl,
            region: "Biobío",
            province: "Concepción",
        };
        let other = NetworkPlace {
            id: NetworkId(8),
            ..own.clone()
        };
        let coordinator = person(vec![network_grant(Role::NetworkCoordinator)]);
        assert!(coordinator.can_propose_call(&own));
        assert!(!coordinator.can_propose_call(&other));
        assert!(!coordinator.can_decide_call_proposal(place(Country::Cl, "Biobío", "")));
        let member = person(vec![network_grant(Role::Teacher)]);
        assert!(!member.can_propose_call(&own));
        assert!(member.can_view_call_proposal(&own, place(Country::Cl, "Biobío", "")));
        let admin = Principal {
            is_admin: true,
            ..person(vec![])
        };
        assert!(!admin.can_propose_call(&own));
        assert!(!admin.can_decide_call_proposal(place(Country::Cl, "Biobío", "")));
        let seremi = person(vec![Grant {
            role: Role::RegionalAuthority,
            scope: Scope::Region {
                country: Country::Cl,
                region: "Biobío".into(),
            },
        }]);
        assert!(seremi.can_decide_call_proposal(place(Country::Cl, "Biobío", "Concepción")));
        assert!(!seremi.can_decide_call_proposal(place(Country::Cl, "", "")));
        assert!(!seremi.can_propose_call(&own));
    }

    #[test]
    fn an_administrator_is_not_an_institutional_authority() {
        let mut admin = person(vec![]);
        admin.is_admin = true;
        assert!(!admin.can_issue_call(place(Country::Cl, "", "")));
    }
}
