//! Meetings of a network: who schedules and edits them, takes attendance,
//! confirms their own attendance, comments on and approves the minutes,
//! and who reads them. Coordinators and the leaders (director, technical
//! head) of member schools run the meetings; members confirm their own
//! attendance and comment on minutes in review; authorities in scope read;
//! nobody outside the network sees its minutes.

use super::{NetworkPlace, Principal, Role, Scope};
use crate::ids::{NetworkId, PersonId, SchoolId};

/// A network's meetings as the policy needs them: the network's place,
/// its current member schools and, for one meeting, its coordinator.
#[derive(Debug, Clone)]
pub struct MeetingPlace<'a> {
    pub network: NetworkPlace<'a>,
    pub member_schools: &'a [SchoolId],
    /// The person named coordinator of the meeting (none for the network's
    /// meetings as a whole).
    pub coordinator_id: Option<PersonId>,
}

impl Principal {
    fn coordinates_network(&self, network_id: NetworkId) -> bool {
        self.grants.iter().any(|g| {
            g.role == Role::NetworkCoordinator
                && matches!(g.scope, Scope::Network { id, .. } if id == network_id)
        })
    }

    /// A director or technical head of one of the member schools.
    fn leads_member_school(&self, m: &MeetingPlace) -> bool {
        self.grants.iter().any(|g| {
            matches!(g.role, Role::Director | Role::TechnicalHead)
                && matches!(g.scope, Scope::School { id, .. } if m.member_schools.contains(&id))
        })
    }

    /// Belongs to the network: coordinates it, or holds a role in one of
    /// its member schools.
    fn belongs_to_network(&self, m: &MeetingPlace) -> bool {
        self.coordinates_network(m.network.id)
            || self.grants.iter().any(
                |g| matches!(g.scope, Scope::School { id, .. } if m.member_schools.contains(&id)),
            )
    }

    /// Sees the network's meetings (list, page, agenda, attendance): whoever
    /// sees the network.
    pub fn can_view_meetings(&self, m: &MeetingPlace) -> bool {
        self.can_view_network(&m.network)
    }

    /// Reads the minutes, their comments and versions: the network's own
    /// people and the authorities whose territory covers it.
    pub fn can_view_minutes(&self, m: &MeetingPlace) -> bool {
        self.is_admin
            || self.territory_covers(m.network.territory(), false)
            || self.belongs_to_network(m)
    }

    /// Schedules and edits meetings, their agenda, attendance, documents
    /// and minutes: the network's coordinators and the leaders of its
    /// member schools.
    pub fn can_edit_meetings(&self, m: &MeetingPlace) -> bool {
        self.is_admin || self.coordinates_network(m.network.id) || self.leads_member_school(m)
    }

    /// Confirms their own attendance beforehand: a person of the network
    /// who is on the meeting's roster.
    pub fn can_confirm_own_attendance(&self, m: &MeetingPlace, on_roster: bool) -> bool {
        on_roster && (self.belongs_to_network(m) || self.can_edit_meetings(m))
    }

    /// Comments on the minutes or proposes an amendment while they are in
    /// review: the network's people.
    pub fn can_comment_minutes(&self, m: &MeetingPlace) -> bool {
        self.is_admin || self.belongs_to_network(m)
    }

    /// Approves the final minutes (and later corrections): the network's
    /// coordinator or the meeting's.
    pub fn can_approve_minutes(&self, m: &MeetingPlace) -> bool {
        self.is_admin
            || self.coordinates_network(m.network.id)
            || m.coordinator_id == Some(self.person_id)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;
    use super::MeetingPlace;

    const MEMBERS: [SchoolId; 2] = [SchoolId(31), SchoolId(32)];

    fn network() -> NetworkPlace<'static> {
        NetworkPlace {
            id: NetworkId(7),
            country: Country::Cl,
            region: "Biobío",
            province: "Concepción",
        }
    }

    fn place(coordinator: Option<PersonId>) -> MeetingPlace<'static> {
        MeetingPlace {
            network: network(),
            member_schools: &MEMBERS,
            coordinator_id: coordinator,
        }
    }

    fn at_school(role: Role, id: i64) -> Principal {
        person(vec![Grant {
            role,
            scope: Scope::School {
                id: SchoolId(id),
                country: Country::Cl,
                region: "Biobío".into(),
                province: "Concepción".into(),
            },
        }])
    }

    fn in_region(role: Role, region: &str) -> Principal {
        person(vec![Grant {
            role,
            scope: Scope::Region {
                country: Country::Cl,
                region: region.into(),
            },
        }])
    }

    #[test]
    fn coordinators_and_leaders_of_member_schools_edit_meetings() {
        let m = place(None);
        assert!(person(vec![network_grant(Role::NetworkCoordinator)]).can_edit_meetings(&m));
        assert!(at_school(Role::Director, 31).can_edit_meetings(&m));
        assert!(at_school(Role::TechnicalHead, 32).can_edit_meetings(&m));
        // A teacher of a member school, a director elsewhere and an
        // authority in scope do not.
        assert!(!at_school(Role::Teacher, 31).can_edit_meetings(&m));
        assert!(!at_school(Role::Director, 99).can_edit_meetings(&m));
        assert!(!in_region(Role::RegionalAuthority, "Biobío").can_edit_meetings(&m));
    }

    #[test]
    fn members_confirm_their_own_attendance_and_comment_in_review() {
        let m = place(None);
        let teacher = at_school(Role::Teacher, 31);
        assert!(teacher.can_confirm_own_attendance(&m, true));
        assert!(!teacher.can_confirm_own_attendance(&m, false));
        assert!(teacher.can_comment_minutes(&m));
        let outsider = at_school(Role::Teacher, 99);
        assert!(!outsider.can_confirm_own_attendance(&m, true));
        assert!(!outsider.can_comment_minutes(&m));
        assert!(!in_region(Role::RegionalAuthority, "Biobío").can_comment_minutes(&m));
    }

    #[test]
    fn authorities_in_scope_read_and_nobody_outside_sees_minutes() {
        let m = place(None);
        let seremi = in_region(Role::RegionalAuthority, "Biobío");
        assert!(seremi.can_view_meetings(&m) && seremi.can_view_minutes(&m));
        let elsewhere = in_region(Role::RegionalAuthority, "Maule");
        assert!(!elsewhere.can_view_meetings(&m) && !elsewhere.can_view_minutes(&m));
        let other_coordinator = person(vec![Grant {
            role: Role::NetworkCoordinator,
            scope: Scope::Network {
                id: NetworkId(8),
                country: Country::Cl,
                region: "Biobío".into(),
            },
        }]);
        assert!(!other_coordinator.can_view_minutes(&m));
        assert!(!other_coordinator.can_edit_meetings(&m));
        assert!(at_school(Role::Teacher, 32).can_view_minutes(&m));
    }

    #[test]
    fn the_coordinator_approves_the_minutes() {
        let teacher = at_school(Role::Teacher, 31);
        assert!(!teacher.can_approve_minutes(&place(None)));
        // Named coordinator of this meeting (PersonId(1) is the test person).
        assert!(teacher.can_approve_minutes(&place(Some(PersonId(1)))));
        assert!(
            person(vec![network_grant(Role::NetworkCoordinator)]).can_approve_minutes(&place(None))
        );
        assert!(!at_school(Role::Director, 31).can_approve_minutes(&place(Some(PersonId(5)))));
    }
}
