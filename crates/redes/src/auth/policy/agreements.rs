//! Agreements taken at a network's meetings: who reads them, who records
//! and reviews them, and who changes their status.

use super::{NetworkPlace, Principal, Role, Scope};
use crate::ids::{PersonId, SchoolId};

/// Who owns an agreement: a person, or a member school (its leaders act
/// for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementOwner {
    Person(PersonId),
    School(SchoolId),
}

impl Principal {
    /// Schools this person leads (director, technical head, owner): they act
    /// for the school in its networks, and own the school's agreements.
    pub fn led_school_ids(&self) -> Vec<SchoolId> {
        self.grants
            .iter()
            .filter_map(|g| match (g.role, &g.scope) {
                (
                    Role::Director | Role::TechnicalHead | Role::SchoolOwner,
                    Scope::School { id, .. },
                ) => Some(*id),
                _ => None,
            })
            .collect()
    }

    /// Members of the network (its coordinators, the people of its member
    /// schools) and the authorities and supervisors whose territory covers
    /// it read its agreements; nobody else, not even that they exist.
    pub fn can_view_agreements(&self, n: &NetworkPlace) -> bool {
        self.can_view_network(n)
    }

    /// The network's coordinators and the leaders of its current member
    /// schools (`members`) record agreements at its meetings and review
    /// them at later ones.
    pub fn can_record_agreements(&self, n: &NetworkPlace, members: &[SchoolId]) -> bool {
        self.is_admin
            || self.coordinates(n.id)
            || self.led_school_ids().iter().any(|s| members.contains(s))
    }

    /// The owner (the person, or a leader of the owner school) updates an
    /// agreement's status between meetings; so does the coordinator.
    pub fn can_update_agreement(&self, n: &NetworkPlace, owner: AgreementOwner) -> bool {
        self.is_admin
            || self.coordinates(n.id)
            || match owner {
                AgreementOwner::Person(id) => id == self.person_id,
                AgreementOwner::School(id) => self.led_school_ids().contains(&id),
            }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;
    use super::AgreementOwner;

    fn network() -> NetworkPlace<'static> {
        NetworkPlace {
            id: NetworkId(7),
            country: Country::Cl,
            region: "Biobío",
            province: "Concepción",
        }
    }

    fn school_grant(role: Role, id: i64) -> Grant {
        Grant {
            role,
            scope: Scope::School {
                id: SchoolId(id),
                country: Country::Cl,
                region: "Biobío".into(),
                province: "Concepción".into(),
            },
        }
    }

    #[test]
    fn coordinators_and_leaders_of_member_schools_record_agreements() {
        let members = [SchoolId(3)];
        let n = network();
        assert!(person(vec![network_grant(Role::NetworkCoordinator)])
            .can_record_agreements(&n, &members));
        assert!(person(vec![school_grant(Role::Director, 3)]).can_record_agreements(&n, &members));
        assert!(
            person(vec![school_grant(Role::TechnicalHead, 3)]).can_record_agreements(&n, &members)
        );
        // A teacher of a member school reads but does not record.
        let mut teacher = person(vec![school_grant(Role::Teacher, 3)]);
        teacher.school_network_ids = vec![NetworkId(7)];
        assert!(teacher.can_view_agreements(&n));
        assert!(!teacher.can_record_agreements(&n, &members));
        // The director of a school outside the network does neither.
        let outsider = person(vec![school_grant(Role::Director, 4)]);
        assert!(!outsider.can_record_agreements(&n, &members));
        assert!(!outsider.can_view_agreements(&n));
        // A coordinator of another network neither.
        let other = NetworkPlace {
            id: NetworkId(8),
            region: "Maule",
            ..network()
        };
        let coordinator = person(vec![network_grant(Role::NetworkCoordinator)]);
        assert!(!coordinator.can_record_agreements(&other, &[]));
        assert!(!coordinator.can_view_agreements(&other));
    }

    #[test]
    fn authorities_in_scope_read_but_do_not_record() {
        let seremi = person(vec![Grant {
            role: Role::RegionalAuthority,
            scope: Scope::Region {
                country: Country::Cl,
                region: "Biobío".into(),
            },
        }]);
        let n = network();
        assert!(seremi.can_view_agreements(&n));
        assert!(!seremi.can_record_agreements(&n, &[SchoolId(3)]));
        assert!(!seremi.can_update_agreement(&n, AgreementOwner::School(SchoolId(3))));
        let elsewhere = NetworkPlace {
            region: "Maule",
            province: "Linares",
            ..network()
        };
        assert!(!seremi.can_view_agreements(&elsewhere));
    }

    #[test]
    fn the_owner_or_the_coordinator_updates_the_status() {
        let n = network();
        let owner = person(vec![school_grant(Role::Teacher, 3)]);
        assert!(owner.can_update_agreement(&n, AgreementOwner::Person(PersonId(1))));
        assert!(!owner.can_update_agreement(&n, AgreementOwner::Person(PersonId(2))));
        // A teacher does not act for their school; its director does.
        assert!(!owner.can_update_agreement(&n, AgreementOwner::School(SchoolId(3))));
        let director = person(vec![school_grant(Role::Director, 3)]);
        assert!(director.can_update_agreement(&n, AgreementOwner::School(SchoolId(3))));
        assert!(!director.can_update_agreement(&n, AgreementOwner::School(SchoolId(4))));
        let coordinator = person(vec![network_grant(Role::NetworkCoordinator)]);
        assert!(coordinator.can_update_agreement(&n, AgreementOwner::Person(PersonId(2))));
        assert_eq!(director.led_school_ids(), vec![SchoolId(3)]);
    }
}
