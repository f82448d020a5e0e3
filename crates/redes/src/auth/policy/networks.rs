//! Networks: who sees, founds, edits and moves a network; and who reads
//! the census of active networks.

use super::{NetworkPlace, Principal, Role, Scope, Territory};
use crate::ids::NetworkId;

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
    fn the_census_is_public() {
        assert!(Principal::can_view_census(None));
    }
}
