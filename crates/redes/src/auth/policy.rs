//! Who may do what: every permission decision in Redes is made here, from
//! the signed-in person's grants (role × scope). Handlers and API routes call
//! these functions; none decides on its own.

use serde::Serialize;

pub use super::visibility::{CallAudience, Visibility};

/// A role a person holds in some scope (DESIGN.md, "Roles").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Ministry,
    RegionalAuthority,
    ProvincialOffice,
    Secretariat,
    Supervisor,
    SchoolOwner,
    NetworkCoordinator,
    Director,
    TechnicalHead,
    Teacher,
    Tutor,
    Adviser,
    Observer,
}

impl Role {
    pub const ALL: [Role; 13] = [
        Role::Ministry,
        Role::RegionalAuthority,
        Role::ProvincialOffice,
        Role::Secretariat,
        Role::Supervisor,
        Role::SchoolOwner,
        Role::NetworkCoordinator,
        Role::Director,
        Role::TechnicalHead,
        Role::Teacher,
        Role::Tutor,
        Role::Adviser,
        Role::Observer,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Role::Ministry => "ministry",
            Role::RegionalAuthority => "regional_authority",
            Role::ProvincialOffice => "provincial_office",
            Role::Secretariat => "secretariat",
            Role::Supervisor => "supervisor",
            Role::SchoolOwner => "school_owner",
            Role::NetworkCoordinator => "network_coordinator",
            Role::Director => "director",
            Role::TechnicalHead => "technical_head",
            Role::Teacher => "teacher",
            Role::Tutor => "tutor",
            Role::Adviser => "adviser",
            Role::Observer => "observer",
        }
    }

    pub fn parse(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }

    /// Spanish label; country profiles refine a few (see `country`).
    pub fn label(self) -> &'static str {
        match self {
            Role::Ministry => "Ministerio",
            Role::RegionalAuthority => "Autoridad regional",
            Role::ProvincialOffice => "Oficina provincial",
            Role::Secretariat => "Secretaría de educación",
            Role::Supervisor => "Supervisión de zona",
            Role::SchoolOwner => "Sostenedor",
            Role::NetworkCoordinator => "Coordinación de red",
            Role::Director => "Director(a)",
            Role::TechnicalHead => "Jefatura técnica",
            Role::Teacher => "Docente",
            Role::Tutor => "Tutor",
            Role::Adviser => "Asesor técnico pedagógico",
            Role::Observer => "Observador",
        }
    }

    /// The scope kind this role is normally granted in.
    pub fn scope_kind(self) -> &'static str {
        match self {
            Role::Ministry => "national",
            Role::RegionalAuthority | Role::Secretariat => "region",
            Role::ProvincialOffice | Role::Supervisor => "province",
            Role::NetworkCoordinator => "network",
            _ => "school",
        }
    }

    /// Territorial authorities: ministries and secretariats issue calls.
    fn is_institutional(self) -> bool {
        matches!(
            self,
            Role::Ministry | Role::RegionalAuthority | Role::Secretariat
        )
    }
}

/// Where a grant applies. Network and school scopes carry their territory
/// so that decisions need no further lookups.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    National {
        country: String,
    },
    Region {
        country: String,
        region: String,
    },
    Province {
        country: String,
        province: String,
    },
    Network {
        id: i64,
        country: String,
        region: String,
    },
    School {
        id: i64,
        country: String,
        region: String,
        province: String,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct Grant {
    pub role: Role,
    pub scope: Scope,
}

/// The signed-in person with everything needed to decide access.
#[derive(Debug, Clone, Serialize)]
pub struct Principal {
    pub person_id: i64,
    pub full_name: String,
    pub username: String,
    pub is_admin: bool,
    pub grants: Vec<Grant>,
    /// Networks the person's schools belong to (teachers, directors see them).
    pub school_network_ids: Vec<i64>,
}

/// Territory and links of a school, as the policy needs them.
#[derive(Debug, Clone)]
pub struct SchoolPlace<'a> {
    pub id: i64,
    /// The institution this school is a sede of (Colombia).
    pub parent_id: Option<i64>,
    pub country: &'a str,
    pub region: &'a str,
    pub province: &'a str,
    pub network_ids: &'a [i64],
}

/// Where a school or network is: country, region, province.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Territory<'a> {
    pub country: &'a str,
    pub region: &'a str,
    pub province: &'a str,
}

impl SchoolPlace<'_> {
    pub fn territory(&self) -> Territory<'_> {
        Territory {
            country: self.country,
            region: self.region,
            province: self.province,
        }
    }
}

impl NetworkPlace<'_> {
    pub fn territory(&self) -> Territory<'_> {
        Territory {
            country: self.country,
            region: self.region,
            province: self.province,
        }
    }
}

/// Territory of a network, as the policy needs it.
#[derive(Debug, Clone)]
pub struct NetworkPlace<'a> {
    pub id: i64,
    pub country: &'a str,
    pub region: &'a str,
    pub province: &'a str,
}

impl Principal {
    fn roles(&self) -> impl Iterator<Item = Role> + '_ {
        self.grants.iter().map(|g| g.role)
    }

    /// True when a territorial grant (national, region, province) covers the place.
    fn territory_covers(&self, country: &str, region: &str, province: &str, editing: bool) -> bool {
        self.grants.iter().any(|g| {
            let territorial = matches!(
                g.role,
                Role::Ministry
                    | Role::RegionalAuthority
                    | Role::Secretariat
                    | Role::ProvincialOffice
                    | Role::Supervisor
            ) || (!editing && g.role == Role::Observer);
            territorial
                && match &g.scope {
                    Scope::National { country: c } => c == country,
                    Scope::Region {
                        country: c,
                        region: r,
                    } => c == country && r == region,
                    Scope::Province {
                        country: c,
                        province: p,
                    } => c == country && p == province,
                    _ => false,
                }
        })
    }

    pub fn school_ids(&self) -> Vec<i64> {
        self.grants
            .iter()
            .filter_map(|g| match g.scope {
                Scope::School { id, .. } => Some(id),
                _ => None,
            })
            .collect()
    }

    pub fn network_ids(&self) -> Vec<i64> {
        self.grants
            .iter()
            .filter_map(|g| match g.scope {
                Scope::Network { id, .. } => Some(id),
                _ => None,
            })
            .collect()
    }

    /// Regions of the networks this person coordinates: where they may
    /// found new networks and look for schools to invite.
    pub fn coordinated_regions(&self) -> Vec<(String, String)> {
        self.grants
            .iter()
            .filter_map(|g| match (&g.role, &g.scope) {
                (
                    Role::NetworkCoordinator,
                    Scope::Network {
                        country, region, ..
                    },
                ) => Some((country.clone(), region.clone())),
                _ => None,
            })
            .collect()
    }

    fn coordinates(&self, network_id: i64) -> bool {
        self.grants.iter().any(|g| {
            g.role == Role::NetworkCoordinator
                && matches!(g.scope, Scope::Network { id, .. } if id == network_id)
        })
    }

    fn leads_school(&self, school_id: i64) -> bool {
        self.grants.iter().any(|g| {
            matches!(
                g.role,
                Role::Director | Role::TechnicalHead | Role::SchoolOwner
            ) && matches!(g.scope, Scope::School { id, .. } if id == school_id)
        })
    }

    /// Leads the school or the institution it is a sede of (a Colombian
    /// rector leads every sede of the institution).
    fn leads(&self, s: &SchoolPlace) -> bool {
        self.leads_school(s.id) || s.parent_id.is_some_and(|p| self.leads_school(p))
    }

    /// Holds any role in the school or in the institution it is a sede of.
    fn belongs_to(&self, s: &SchoolPlace) -> bool {
        let ids = self.school_ids();
        ids.contains(&s.id) || s.parent_id.is_some_and(|p| ids.contains(&p))
    }

    /// Sees everything of every country (administrators).
    pub fn sees_all(&self) -> bool {
        self.is_admin
    }

    pub fn can_view_school(&self, s: &SchoolPlace) -> bool {
        self.is_admin
            || self.territory_covers(s.country, s.region, s.province, false)
            || self.belongs_to(s)
            || s.network_ids.iter().any(|n| self.network_ids().contains(n))
            || self
                .coordinated_regions()
                .iter()
                .any(|(c, r)| c == s.country && r == s.region)
    }

    pub fn can_edit_school(&self, s: &SchoolPlace) -> bool {
        self.is_admin
            || self.territory_covers(s.country, s.region, s.province, true)
            || self.leads(s)
    }

    /// Every change of a school's or network's territory (country, region
    /// or province) is this one decision: it needs editing rights over the
    /// destination through a territorial grant, so nobody moves an object
    /// out of the reach of the authorities who oversee it. Keeping the
    /// territory needs nothing more.
    pub fn can_move(&self, from: Territory, to: Territory) -> bool {
        if from == to || self.is_admin {
            return true;
        }
        // A province grant names no region: crossing regions needs a
        // regional or national grant over the destination.
        let same_region = from.country == to.country && from.region == to.region;
        let covers_region = self.grants.iter().any(|g| {
            matches!(
                g.role,
                Role::Ministry | Role::RegionalAuthority | Role::Secretariat
            ) && match &g.scope {
                Scope::National { country } => country == to.country,
                Scope::Region { country, region } => country == to.country && region == to.region,
                _ => false,
            }
        });
        (same_region || covers_region)
            && self.territory_covers(to.country, to.region, to.province, true)
    }

    /// Making a school a sede of an institution (or moving it to another
    /// one) needs editing rights over both.
    pub fn can_attach_sede(&self, sede: &SchoolPlace, institution: &SchoolPlace) -> bool {
        self.can_edit_school(sede) && self.can_edit_school(institution)
    }

    pub fn can_create_school(&self, country: &str, region: &str, province: &str) -> bool {
        self.is_admin || self.territory_covers(country, region, province, true)
    }

    /// May the person register schools at all (to show the button)?
    pub fn may_create_schools(&self) -> bool {
        self.is_admin
            || self.roles().any(|r| {
                matches!(
                    r,
                    Role::Ministry
                        | Role::RegionalAuthority
                        | Role::Secretariat
                        | Role::ProvincialOffice
                        | Role::Supervisor
                )
            })
    }

    pub fn can_view_network(&self, n: &NetworkPlace) -> bool {
        self.is_admin
            || self.territory_covers(n.country, n.region, n.province, false)
            || self.network_ids().contains(&n.id)
            || self.school_network_ids.contains(&n.id)
    }

    pub fn can_edit_network(&self, n: &NetworkPlace) -> bool {
        self.is_admin
            || self.territory_covers(n.country, n.region, n.province, true)
            || self.coordinates(n.id)
    }

    /// Founding a network: territorial authorities in their territory, and
    /// network coordinators in the regions where they already coordinate.
    pub fn can_create_network(&self, country: &str, region: &str, province: &str) -> bool {
        self.can_create_school(country, region, province)
            || self
                .coordinated_regions()
                .iter()
                .any(|(c, r)| c == country && r == region)
    }

    pub fn may_create_networks(&self) -> bool {
        self.may_create_schools() || !self.coordinated_regions().is_empty()
    }

    /// Networks are advisory (seed 000): only ministry and secretariat roles
    /// may issue an institutional call (convocatoria); no network role can.
    pub fn can_issue_call(&self, country: &str, region: &str) -> bool {
        self.grants.iter().any(|g| {
            g.role.is_institutional()
                && match &g.scope {
                    Scope::National { country: c } => c == country,
                    // A regional authority calls in its region only; a
                    // call with no region is national.
                    Scope::Region {
                        country: c,
                        region: r,
                    } => c == country && r == region,
                    // District and municipal secretariats (certified
                    // territorial entities) call within their own territory.
                    Scope::Province {
                        country: c,
                        province: p,
                    } => c == country && p == region,
                    _ => false,
                }
        })
    }

    pub fn may_issue_calls(&self) -> bool {
        self.roles().any(Role::is_institutional)
    }

    /// Planning encounters between schools (seed 003) belongs to the
    /// territorial authorities and zone supervisors of the place.
    pub fn can_plan_encounters(&self, country: &str, region: &str, province: &str) -> bool {
        self.can_create_school(country, region, province)
    }

    pub fn may_plan_encounters(&self) -> bool {
        self.may_create_schools()
    }

    /// People and accounts are managed by administrators.
    pub fn can_manage_people(&self) -> bool {
        self.is_admin
    }

    /// Short Spanish description of the person's roles for the header.
    pub fn roles_label(&self) -> String {
        let mut labels: Vec<&str> = self.roles().map(Role::label).collect();
        if self.is_admin {
            labels.insert(0, "Administración");
        }
        labels.dedup();
        labels.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(grants: Vec<Grant>) -> Principal {
        Principal {
            person_id: 1,
            full_name: "Ana".into(),
            username: "ana".into(),
            is_admin: false,
            grants,
            school_network_ids: vec![],
        }
    }

    fn network_grant(role: Role) -> Grant {
        Grant {
            role,
            scope: Scope::Network {
                id: 7,
                country: "cl".into(),
                region: "Biobío".into(),
            },
        }
    }

    #[test]
    fn network_roles_cannot_issue_calls_but_secretariats_and_ministries_can() {
        for role in [Role::NetworkCoordinator, Role::Teacher, Role::Director] {
            assert!(!person(vec![network_grant(role)]).can_issue_call("cl", "Biobío"));
        }
        let secretariat = person(vec![Grant {
            role: Role::Secretariat,
            scope: Scope::Region {
                country: "co".into(),
                region: "Bolívar".into(),
            },
        }]);
        assert!(secretariat.can_issue_call("co", "Bolívar"));
        assert!(!secretariat.can_issue_call("co", "Tolima"));
        let ministry = person(vec![Grant {
            role: Role::Ministry,
            scope: Scope::National {
                country: "cl".into(),
            },
        }]);
        assert!(ministry.can_issue_call("cl", "Biobío"));
        assert!(!ministry.can_issue_call("mx", ""));
    }

    #[test]
    fn an_administrator_is_not_an_institutional_authority() {
        let mut admin = person(vec![]);
        admin.is_admin = true;
        assert!(!admin.can_issue_call("cl", ""));
    }

    #[test]
    fn a_teacher_sees_only_their_school() {
        let teacher = person(vec![Grant {
            role: Role::Teacher,
            scope: Scope::School {
                id: 3,
                country: "cl".into(),
                region: "Biobío".into(),
                province: "Concepción".into(),
            },
        }]);
        let own = SchoolPlace {
            id: 3,
            parent_id: None,
            country: "cl",
            region: "Biobío",
            province: "Concepción",
            network_ids: &[],
        };
        let other = SchoolPlace {
            id: 4,
            ..own.clone()
        };
        assert!(teacher.can_view_school(&own));
        assert!(!teacher.can_edit_school(&own));
        assert!(!teacher.can_view_school(&other));
    }

    #[test]
    fn a_coordinator_edits_only_their_network_and_founds_networks_in_its_region() {
        let coordinator = person(vec![network_grant(Role::NetworkCoordinator)]);
        let own = NetworkPlace {
            id: 7,
            country: "cl",
            region: "Biobío",
            province: "Concepción",
        };
        let other = NetworkPlace {
            id: 8,
            ..own.clone()
        };
        assert!(coordinator.can_edit_network(&own));
        assert!(!coordinator.can_edit_network(&other));
        assert!(coordinator.can_create_network("cl", "Biobío", ""));
        assert!(!coordinator.can_create_network("cl", "Maule", ""));
    }
}
