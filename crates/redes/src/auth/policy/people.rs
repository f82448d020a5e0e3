//! People, accounts and roles.

use super::Principal;
use crate::ids::PersonId;

impl Principal {
    /// People and accounts are managed by administrators.
    pub fn can_manage_people(&self) -> bool {
        self.is_admin
    }

    /// Administrators see everyone's page; each person sees their own. The
    /// page shows the e-mail and every role held, so the people listed on a
    /// network's or a school's page are linked only where this allows.
    pub fn can_view_person(&self, id: PersonId) -> bool {
        self.can_manage_people() || self.person_id == id
    }

    /// A person manages their own API tokens; a call made with a token
    /// cannot create or revoke tokens (a token must not mint successors).
    pub fn can_manage_own_tokens(&self, via_token: bool) -> bool {
        !via_token
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;

    #[test]
    fn a_person_page_is_for_its_person_and_the_administrators() {
        // The coordinator (person 1) of a network, and someone of it (2).
        let coordinator = person(vec![network_grant(Role::NetworkCoordinator)]);
        assert!(coordinator.can_view_person(PersonId(1)));
        assert!(!coordinator.can_view_person(PersonId(2)));
        let admin = Principal {
            is_admin: true,
            ..person(vec![])
        };
        assert!(admin.can_view_person(PersonId(2)));
    }
}
