//! Networks: who sees, founds, edits and moves a network; and who reads
//! the census of active networks.

use super::{NetworkPlace, Principal, Role, Scope, Territory};
use crate::ids::NetworkId;

impl Role {
    /// The roles a person may be given in a network (invited by e-mail or
    /// username): its coordination, and members who take part without a
    /// role in a member school: the teachers of a teachers' network (seed
    /// 000), technical advisers, tutors, observers. People of member schools
    /// belong through their school and need no invitation.
    pub const IN_NETWORK: [Role; 5] = [
        Role::NetworkCoordinator,
        Role::Teacher,
        Role::Adviser,
        Role::Tutor,
        Role::Observer,
    ];
}

impl Principal {
    pub(super) fn coordinates(&self, network_id: NetworkId) -> bool {
        self.grants.iter().any(|g| {
            g.role == Role::NetworkCoordinator
                && matches!(g.scope, Scope::Network { id, .. } if id == network_id)
        })
    }

    pub fn can_view_network(&self, n: &NetworkPlace) -> bool {
        self.is_admin
            || self.territory_covers(n.territory(), false)
            || self.network_ids().contains(&n.id)
            || self.school_network_ids.contains(&n.id)
    }

    /// Editing a network also covers its member schools over time and its
    /// yearly activity.
    pub fn can_edit_network(&self, n: &NetworkPlace) -> bool {
        self.is_admin || self.territory_covers(n.territory(), true) || self.coordinates(n.id)
    }

    /// Changing a network's country, region or province (see
    /// `can_move_territory`).
    pub fn can_move_network(&self, from: Territory, to: Territory) -> bool {
        self.can_move_territory(from, to)
    }

    /// Founding a network: territorial authorities in their territory, and
    /// network coordinators in the regions where they already coordinate.
    pub fn can_create_network(&self, t: Territory) -> bool {
        self.can_create_school(t) || self.coordinates_region(t.country, t.region)
    }

    pub fn may_create_networks(&self) -> bool {
        self.may_create_schools() || !self.coordinated_regions().is_empty()
    }

    /// Inviting a person gives them a role in the network (and with it the
    /// network, its schools and its meetings): its coordinators and the
    /// administrators decide who takes part. Territorial authorities edit
    /// the network but hand out no roles; roles are the administrators'.
    pub fn can_invite_to_network(&self, n: &NetworkPlace) -> bool {
        self.is_admin || self.coordinates(n.id)
    }

    /// The census of active networks is public: anyone, signed in or not,
    /// may read the counts per year and region (they name no person).
    pub fn can_view_census(_: Option<&Principal>) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;

    #[test]
    fn a_coordinator_edits_only_their_network_and_founds_networks_in_its_region() {
        let coordinator = person(vec![network_grant(Role::NetworkCoordinator)]);
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
        assert!(coordinator.can_edit_network(&own));
        assert!(!coordinator.can_edit_network(&other));
        assert!(coordinator.can_create_network(territory(Country::Cl, "Biobío", "")));
        assert!(!coordinator.can_create_network(territory(Country::Cl, "Maule", "")));
        let from = own.territory();
        assert!(!coordinator.can_move_network(from, territory(Country::Cl, "Maule", "")));
        assert!(coordinator.can_move_network(from, from));
    }

    #[test]
    fn only_its_coordinators_and_administrators_invite_people_to_a_network() {
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
        assert!(coordinator.can_invite_to_network(&own));
        assert!(!coordinator.can_invite_to_network(&other));
        // A member of the network sees it but invites nobody.
        let member = person(vec![network_grant(Role::Teacher)]);
        assert!(member.can_view_network(&own));
        assert!(!member.can_invite_to_network(&own));
        // The regional authority edits the network, but roles are not theirs.
        let seremi = person(vec![Grant {
            role: Role::RegionalAuthority,
            scope: Scope::Region {
                country: Country::Cl,
                region: "Biobío".into(),
            },
        }]);
        assert!(seremi.can_edit_network(&own));
        assert!(!seremi.can_invite_to_network(&own));
        let admin = Principal {
            is_admin: true,
            ..person(vec![])
        };
        assert!(admin.can_invite_to_network(&other));
        assert!(Role::IN_NETWORK.contains(&Role::NetworkCoordinator));
        assert!(!Role::IN_NETWORK.contains(&Role::Director));
    }

    #[test]
    fn the_census_is_public() {
        assert!(Principal::can_view_census(None));
    }
}
