//! Who may do what: every permission decision in Redes is a method of
//! `Principal` in this folder, one file per domain (`schools.rs`,
//! `networks.rs`, ...), decided from the signed-in person's grants (role ×
//! scope). Handlers, API routes and the menu call these methods; none
//! decides on its own. What a person may *list* is derived from the same
//! grants in `visibility.rs`.

mod agreements;
mod calls;
mod encounter_sessions;
mod encounters;
mod meetings;
mod networks;
mod people;
mod plans;
mod practices;
mod schools;
mod visibility;

use serde::Serialize;

pub use agreements::AgreementOwner;
pub use calls::CallPlace;
pub use encounter_sessions::{DutyRole, SessionPlace};
pub use meetings::MeetingPlace;
pub use plans::{ActionOwner, PlanPlace};
pub use practices::PracticeStep;
pub use visibility::{CallAudience, ProposalAudience, Table, Visibility};

use crate::country::Country;
use crate::ids::{NetworkId, PersonId, SchoolId};

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

crate::stored_as_text!(Role);

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

    /// The stored text form (`network_coordinator`).
    pub fn code(self) -> &'static str {
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

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Spanish label; country profiles refine a few (see `country`).
    pub fn label(self) -> &'static str {
        match self {
            Role::Ministry => "ui-ministerio",
            Role::RegionalAuthority => "ui-autoridad-regional",
            Role::ProvincialOffice => "ui-oficina-provincial",
            Role::Secretariat => "ui-secretaria-educacion",
            Role::Supervisor => "ui-supervision-zona",
            Role::SchoolOwner => "ui-sostenedor",
            Role::NetworkCoordinator => "ui-coordinacion-red",
            Role::Director => "ui-director",
            Role::TechnicalHead => "ui-jefatura-tecnica",
            Role::Teacher => "encounters-docente",
            Role::Tutor => "ui-tutor",
            Role::Adviser => "ui-asesor-tecnico-pedagogico",
            Role::Observer => "ui-observador",
        }
    }

    /// The scope kind this role is normally granted in.
    pub fn scope_kind(self) -> ScopeKind {
        match self {
            Role::Ministry => ScopeKind::National,
            Role::RegionalAuthority | Role::Secretariat => ScopeKind::Region,
            Role::ProvincialOffice | Role::Supervisor => ScopeKind::Province,
            Role::NetworkCoordinator => ScopeKind::Network,
            _ => ScopeKind::School,
        }
    }

    /// Territorial authorities: ministries and secretariats issue calls.
    fn is_institutional(self) -> bool {
        matches!(
            self,
            Role::Ministry | Role::RegionalAuthority | Role::Secretariat
        )
    }

    /// Roles that oversee a territory (and so edit what is in it).
    fn is_territorial(self) -> bool {
        matches!(
            self,
            Role::Ministry
                | Role::RegionalAuthority
                | Role::Secretariat
                | Role::ProvincialOffice
                | Role::Supervisor
        )
    }
}

impl std::str::FromStr for Role {
    type Err = ();
    fn from_str(code: &str) -> Result<Role, ()> {
        Role::parse(code).ok_or(())
    }
}

/// The kind of place a role is held in; stored in `memberships.scope_kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScopeKind {
    National,
    Region,
    Province,
    Network,
    School,
    /// A Mexican supervision zone (seed 003): its code is the zone's CCT,
    /// stored in `memberships.scope_name`.
    Zone,
}

crate::stored_as_text!(ScopeKind);

impl ScopeKind {
    pub const ALL: [ScopeKind; 6] = [
        ScopeKind::National,
        ScopeKind::Region,
        ScopeKind::Province,
        ScopeKind::Network,
        ScopeKind::School,
        ScopeKind::Zone,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ScopeKind::National => "national",
            ScopeKind::Region => "region",
            ScopeKind::Province => "province",
            ScopeKind::Network => "network",
            ScopeKind::School => "school",
            ScopeKind::Zone => "zone",
        }
    }
}

impl std::str::FromStr for ScopeKind {
    type Err = ();
    fn from_str(code: &str) -> Result<ScopeKind, ()> {
        ScopeKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or(())
    }
}

/// Where a grant applies. Network and school scopes carry their territory
/// so that decisions need no further lookups.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    National {
        country: Country,
    },
    Region {
        country: Country,
        region: String,
    },
    Province {
        country: Country,
        province: String,
    },
    Network {
        id: NetworkId,
        country: Country,
        region: String,
    },
    School {
        id: SchoolId,
        country: Country,
        region: String,
        province: String,
    },
    /// The schools of a supervision zone (Mexico), wherever they are.
    Zone {
        country: Country,
        zone: String,
    },
}

impl Scope {
    pub fn country(&self) -> Country {
        match self {
            Scope::National { country }
            | Scope::Region { country, .. }
            | Scope::Province { country, .. }
            | Scope::Network { country, .. }
            | Scope::School { country, .. }
            | Scope::Zone { country, .. } => *country,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Grant {
    pub role: Role,
    pub scope: Scope,
}

/// The signed-in person with everything needed to decide access.
#[derive(Debug, Clone, Serialize)]
pub struct Principal {
    pub person_id: PersonId,
    pub full_name: String,
    pub username: String,
    pub is_admin: bool,
    pub grants: Vec<Grant>,
    /// Networks the person's schools belong to (teachers, directors see them).
    pub school_network_ids: Vec<NetworkId>,
}

/// Where a school or network is: country, region, province, and for a
/// Mexican school its supervision zone (empty for none: networks, plans
/// of a municipality, schools of other countries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Territory<'a> {
    pub country: Country,
    pub region: &'a str,
    pub province: &'a str,
    pub zone: &'a str,
}

/// Territory and links of a school, as the policy needs them.
#[derive(Debug, Clone)]
pub struct SchoolPlace<'a> {
    pub id: SchoolId,
    /// The institution this school is a sede of (Colombia).
    pub parent_id: Option<SchoolId>,
    pub country: Country,
    pub region: &'a str,
    pub province: &'a str,
    /// Supervision zone (Mexico); empty for none.
    pub zone: &'a str,
    pub network_ids: &'a [NetworkId],
}

impl SchoolPlace<'_> {
    pub fn territory(&self) -> Territory<'_> {
        Territory {
            country: self.country,
            region: self.region,
            province: self.province,
            zone: self.zone,
        }
    }
}

/// Territory of a network, as the policy needs it.
#[derive(Debug, Clone)]
pub struct NetworkPlace<'a> {
    pub id: NetworkId,
    pub country: Country,
    pub region: &'a str,
    pub province: &'a str,
}

impl NetworkPlace<'_> {
    pub fn territory(&self) -> Territory<'_> {
        Territory {
            country: self.country,
            region: self.region,
            province: self.province,
            zone: "",
        }
    }
}

/// Why an action was refused, in words the person can act on.
pub type Refusal = &'static str;

impl Principal {
    fn roles(&self) -> impl Iterator<Item = Role> + '_ {
        self.grants.iter().map(|g| g.role)
    }

    /// True when a territorial grant (national, region, province, or the
    /// supervision zone of a Mexican school) covers the place; observers
    /// count for reading only.
    fn territory_covers(&self, t: Territory, editing: bool) -> bool {
        self.grants.iter().any(|g| {
            let territorial = g.role.is_territorial() || (!editing && g.role == Role::Observer);
            territorial
                && match &g.scope {
                    Scope::National { country } => *country == t.country,
                    Scope::Region { country, region } => {
                        *country == t.country && region == t.region
                    }
                    Scope::Province { country, province } => {
                        *country == t.country && province == t.province
                    }
                    // A zone covers only places that name it (never a
                    // network or a municipality's plan: their zone is empty).
                    Scope::Zone { country, zone } => {
                        *country == t.country && !t.zone.is_empty() && zone == t.zone
                    }
                    _ => false,
                }
        })
    }

    pub fn school_ids(&self) -> Vec<SchoolId> {
        self.grants
            .iter()
            .filter_map(|g| match g.scope {
                Scope::School { id, .. } => Some(id),
                _ => None,
            })
            .collect()
    }

    pub fn network_ids(&self) -> Vec<NetworkId> {
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
    pub fn coordinated_regions(&self) -> Vec<(Country, String)> {
        self.grants
            .iter()
            .filter_map(|g| match (&g.role, &g.scope) {
                (
                    Role::NetworkCoordinator,
                    Scope::Network {
                        country, region, ..
                    },
                ) => Some((*country, region.clone())),
                _ => None,
            })
            .collect()
    }

    fn coordinates_region(&self, country: Country, region: &str) -> bool {
        self.coordinated_regions()
            .iter()
            .any(|(c, r)| *c == country && r == region)
    }

    /// Every change of a school's or network's territory (country, region
    /// or province) is this one decision: it needs editing rights over the
    /// destination through a territorial grant, so nobody moves an object
    /// out of the reach of the authorities who oversee it. Keeping the
    /// territory needs nothing more. Used by `can_move_school` and
    /// `can_move_network`.
    fn can_move_territory(&self, from: Territory, to: Territory) -> bool {
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
                Scope::National { country } => *country == to.country,
                Scope::Region { country, region } => *country == to.country && region == to.region,
                _ => false,
            }
        });
        (same_region || covers_region) && self.territory_covers(to, true)
    }

    /// Sees everything of every country (administrators).
    pub fn sees_all(&self) -> bool {
        self.is_admin
    }

    /// Short Spanish description of the person's roles for the header.
    pub fn roles_label(&self) -> String {
        self.role_labels().join(", ")
    }

    /// The Spanish name of each of the person's roles, once each (the
    /// layout translates them one by one).
    pub fn role_labels(&self) -> Vec<&'static str> {
        let mut labels: Vec<&'static str> = self.roles().map(Role::label).collect();
        if self.is_admin {
            labels.insert(0, "ui-administracion");
        }
        labels.dedup();
        labels
    }

    /// The place a new school or network of this person starts in: the
    /// country and region of their first grant.
    pub fn home_place(&self) -> (Country, String) {
        match self.grants.first().map(|g| &g.scope) {
            Some(Scope::Network {
                country, region, ..
            })
            | Some(Scope::Region { country, region })
            | Some(Scope::School {
                country, region, ..
            }) => (*country, region.clone()),
            Some(Scope::National { country })
            | Some(Scope::Province { country, .. })
            | Some(Scope::Zone { country, .. }) => (*country, String::new()),
            None => (Country::Cl, String::new()),
        }
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    pub fn person(grants: Vec<Grant>) -> Principal {
        Principal {
            person_id: PersonId(1),
            full_name: "Ana".into(),
            username: "ana".into(),
            is_admin: false,
            grants,
            school_network_ids: vec![],
        }
    }

    pub fn network_grant(role: Role) -> Grant {
        Grant {
            role,
            scope: Scope::Network {
                id: NetworkId(7),
                country: Country::Cl,
                region: "Biobío".into(),
            },
        }
    }

    pub fn territory<'a>(country: Country, region: &'a str, province: &'a str) -> Territory<'a> {
        Territory {
            country,
            region,
            province,
            zone: "",
        }
    }

    pub fn zone_supervisor(zone: &str) -> Principal {
        person(vec![Grant {
            role: Role::Supervisor,
            scope: Scope::Zone {
                country: Country::Mx,
                zone: zone.into(),
            },
        }])
    }
}
