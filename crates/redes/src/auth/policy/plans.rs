//! Work plans (issue 11): who reads a network's annual plan, who edits it,
//! and who moves an action along.
//!
//! - The network's coordinators and the leaders (director, technical head)
//!   of its current member schools edit the plan.
//! - Its members (anyone with a role in the network or in a member school)
//!   read it, and so do the territorial roles whose territory covers the
//!   network (supervisors, authorities, observers).
//! - The owner of an action (the person, or the leaders of the owner
//!   school) may change that action's status.
//! - Nobody else sees it.

use super::{NetworkPlace, Principal, Role, Scope};
use crate::ids::{PersonId, SchoolId};

/// A network's plan as the policy needs it: where the network is and which
/// schools are its members now.
#[derive(Debug, Clone)]
pub struct PlanPlace<'a> {
    pub network: NetworkPlace<'a>,
    pub member_schools: &'a [SchoolId],
}

/// Who owns an action.
#[derive(Debug, Clone, Copy)]
pub struct ActionOwner {
    pub person: Option<PersonId>,
    pub school: Option<SchoolId>,
}

impl Principal {
    /// Director or technical head of this school.
    fn heads_school(&self, school: SchoolId) -> bool {
        self.grants.iter().any(|g| {
            matches!(g.role, Role::Director | Role::TechnicalHead)
                && matches!(g.scope, Scope::School { id, .. } if id == school)
        })
    }

    /// The schools this person leads (director, technical head): the
    /// actions those schools own are theirs to move along.
    pub fn headed_school_ids(&self) -> Vec<SchoolId> {
        self.grants
            .iter()
            .filter_map(|g| match g.scope {
                Scope::School { id, .. } if self.heads_school(id) => Some(id),
                _ => None,
            })
            .collect()
    }

    pub fn can_view_plan(&self, plan: &PlanPlace) -> bool {
        self.can_edit_plan(plan) || self.can_view_network(&plan.network)
    }

    pub fn can_edit_plan(&self, plan: &PlanPlace) -> bool {
        self.is_admin
            || self.coordinates(plan.network.id)
            || plan.member_schools.iter().any(|s| self.heads_school(*s))
    }

    /// Changing an action's status: whoever edits the plan, and the action's
    /// owner (the person, or a leader of the owner school) while they can
    /// read the plan.
    pub fn can_update_action_status(&self, plan: &PlanPlace, owner: ActionOwner) -> bool {
        self.can_edit_plan(plan)
            || (self.can_view_plan(plan)
                && (owner.person == Some(self.person_id)
                    || owner.school.is_some_and(|s| self.heads_school(s))))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;
    use super::{ActionOwner, PlanPlace};

    fn place() -> NetworkPlace<'static> {
        NetworkPlace {
            id: NetworkId(7),
            country: Country::Cl,
            region: "Biobío",
            province: "Concepción",
        }
    }

    const MEMBERS: [SchoolId; 2] = [SchoolId(1), SchoolId(2)];

    fn plan() -> PlanPlace<'static> {
        PlanPlace {
            network: place(),
            member_schools: &MEMBERS,
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

    fn member_of_network(mut p: Principal) -> Principal {
        p.school_network_ids = vec![NetworkId(7)];
        p
    }

    const NOBODY: ActionOwner = ActionOwner {
        person: None,
        school: None,
    };

    #[test]
    fn the_coordinator_edits_their_network_plan_only() {
        let coordinator = person(vec![network_grant(Role::NetworkCoordinator)]);
        assert!(coordinator.can_edit_plan(&plan()));
        assert!(coordinator.can_view_plan(&plan()));
        let other = PlanPlace {
            network: NetworkPlace {
                id: NetworkId(8),
                ..place()
            },
            member_schools: &MEMBERS,
        };
        assert!(!coordinator.can_edit_plan(&other));
        assert!(!coordinator.can_view_plan(&other));
    }

    #[test]
    fn leaders_of_member_schools_edit_and_teachers_read() {
        for role in [Role::Director, Role::TechnicalHead] {
            let leader = member_of_network(person(vec![school_grant(role, 2)]));
            assert!(leader.can_edit_plan(&plan()), "{role:?}");
        }
        let teacher = member_of_network(person(vec![school_grant(Role::Teacher, 2)]));
        assert!(teacher.headed_school_ids().is_empty());
        let director = person(vec![
            school_grant(Role::Director, 2),
            school_grant(Role::Teacher, 1),
        ]);
        assert_eq!(director.headed_school_ids(), vec![SchoolId(2)]);
        assert!(teacher.can_view_plan(&plan()));
        assert!(!teacher.can_edit_plan(&plan()));
        // A director of a school that is not (or no longer) a member.
        let outsider = person(vec![school_grant(Role::Director, 9)]);
        assert!(!outsider.can_edit_plan(&plan()));
        assert!(!outsider.can_view_plan(&plan()));
    }

    #[test]
    fn territorial_roles_read_in_their_territory_and_never_edit() {
        let seremi = person(vec![Grant {
            role: Role::RegionalAuthority,
            scope: Scope::Region {
                country: Country::Cl,
                region: "Biobío".into(),
            },
        }]);
        assert!(seremi.can_view_plan(&plan()));
        assert!(!seremi.can_edit_plan(&plan()));
        let supervisor = person(vec![Grant {
            role: Role::Supervisor,
            scope: Scope::Province {
                country: Country::Cl,
                province: "Concepción".into(),
            },
        }]);
        assert!(supervisor.can_view_plan(&plan()));
        assert!(!supervisor.can_edit_plan(&plan()));
        let elsewhere = person(vec![Grant {
            role: Role::RegionalAuthority,
            scope: Scope::Region {
                country: Country::Cl,
                region: "Maule".into(),
            },
        }]);
        assert!(!elsewhere.can_view_plan(&plan()));
        let mut admin = person(vec![]);
        admin.is_admin = true;
        assert!(admin.can_edit_plan(&plan()));
    }

    #[test]
    fn an_action_owner_updates_its_status() {
        let teacher = member_of_network(person(vec![school_grant(Role::Teacher, 2)]));
        let own = ActionOwner {
            person: Some(teacher.person_id),
            school: None,
        };
        assert!(teacher.can_update_action_status(&plan(), own));
        assert!(!teacher.can_update_action_status(&plan(), NOBODY));
        // Owning an action of a plan one cannot read gives nothing.
        let stranger = person(vec![]);
        let theirs = ActionOwner {
            person: Some(stranger.person_id),
            school: None,
        };
        assert!(!stranger.can_update_action_status(&plan(), theirs));
        let coordinator = person(vec![network_grant(Role::NetworkCoordinator)]);
        assert!(coordinator.can_update_action_status(&plan(), NOBODY));
    }
}
