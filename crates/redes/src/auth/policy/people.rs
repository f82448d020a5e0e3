//! People, accounts and roles.

use super::Principal;
use crate::ids::PersonId;

impl Principal {
    /// People and accounts are managed by administrators.
    pub fn can_manage_people(&self) -> bool {
        self.is_admin
    }

    /// Administrators see everyone's page; each person sees their own.
    pub fn can_view_person(&self, id: PersonId) -> bool {
        self.can_manage_people() || self.person_id == id
    }

    /// A person manages their own API tokens; a call made with a token
    /// cannot create or revoke tokens (a token must not mint successors).
    pub fn can_manage_own_tokens(&self, via_token: bool) -> bool {
        !via_token
    }
}
