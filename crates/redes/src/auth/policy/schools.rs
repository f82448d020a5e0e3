//! Schools: who sees, registers, edits and moves a school.

use super::{Principal, Role, SchoolPlace, Territory};
use crate::ids::SchoolId;

impl Principal {
    fn leads_school(&self, school_id: SchoolId) -> bool {
        self.grants.iter().any(|g| {
            matches!(
                g.role,
                Role::Director | Role::TechnicalHead | Role::SchoolOwner
            ) && matches!(g.scope, super::Scope::School { id, .. } if id == school_id)
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

    pub fn can_view_school(&self, s: &SchoolPlace) -> bool {
        self.is_admin
            || self.territory_covers(s.territory(), false)
            || self.belongs_to(s)
            || s.network_ids.iter().any(|n| self.network_ids().contains(n))
            || self.coordinates_region(s.country, s.region)
    }

    pub fn can_edit_school(&self, s: &SchoolPlace) -> bool {
        self.is_admin || self.territory_covers(s.territory(), true) || self.leads(s)
    }

    /// Changing a school's country, region or province (see
    /// `can_move_territory`).
    pub fn can_move_school(&self, from: Territory, to: Territory) -> bool {
        self.can_move_territory(from, to)
    }

    /// Making a school a sede of an institution (or moving it to another
    /// one) needs editing rights over both.
    pub fn can_attach_sede(&self, sede: &SchoolPlace, institution: &SchoolPlace) -> bool {
        self.can_edit_school(sede) && self.can_edit_school(institution)
    }

    pub fn can_create_school(&self, t: Territory) -> bool {
        self.is_admin || self.territory_covers(t, true)
    }

    /// May the person register schools at all (to show the button)?
    pub fn may_create_schools(&self) -> bool {
        self.is_admin || self.roles().any(Role::is_territorial)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;

    #[test]
    fn a_teacher_sees_only_their_school() {
        let teacher = person(vec![Grant {
            role: Role::Teacher,
            scope: Scope::School {
                id: SchoolId(3),
                country: Country::Cl,
                region: "Biobío".into(),
                province: "Concepción".into(),
            },
        }]);
        let own = SchoolPlace {
            id: SchoolId(3),
            parent_id: None,
            country: Country::Cl,
            region: "Biobío",
            province: "Concepción",
            zone: "",
            network_ids: &[],
        };
        let other = SchoolPlace {
            id: SchoolId(4),
            ..own.clone()
        };
        assert!(teacher.can_view_school(&own));
        assert!(!teacher.can_edit_school(&own));
        assert!(!teacher.can_view_school(&other));
    }

    #[test]
    fn a_province_grant_moves_schools_within_its_region_only() {
        let office = person(vec![Grant {
            role: Role::ProvincialOffice,
            scope: Scope::Province {
                country: Country::Cl,
                province: "Concepción".into(),
            },
        }]);
        let from = territory(Country::Cl, "Biobío", "Arauco");
        assert!(office.can_move_school(from, territory(Country::Cl, "Biobío", "Concepción")));
        assert!(!office.can_move_school(from, territory(Country::Cl, "Maule", "Concepción")));
        assert!(!office.can_move_school(from, territory(Country::Cl, "Biobío", "Arauco2")));
    }

    #[test]
    fn a_zone_supervisor_sees_and_edits_the_schools_of_their_zone() {
        let supervisor = zone_supervisor("22FIZ0041F");
        let own = SchoolPlace {
            id: SchoolId(5),
            parent_id: None,
            country: Country::Mx,
            region: "Querétaro",
            province: "Tequisquiapan",
            zone: "22FIZ0041F",
            network_ids: &[],
        };
        let other = SchoolPlace {
            zone: "22FZP0038B",
            ..own.clone()
        };
        let none = SchoolPlace {
            zone: "",
            ..own.clone()
        };
        assert!(supervisor.can_view_school(&own) && supervisor.can_edit_school(&own));
        assert!(!supervisor.can_view_school(&other) && !supervisor.can_edit_school(&other));
        assert!(!supervisor.can_view_school(&none));
        // Registering a school in the zone, yes; taking one out of it, no.
        assert!(supervisor.can_create_school(own.territory()));
        assert!(!supervisor.can_move_school(own.territory(), other.territory()));
        assert!(supervisor.can_move_school(
            own.territory(),
            Territory {
                province: "Ezequiel Montes",
                ..own.territory()
            }
        ));
        // A Chilean school with the same text in no zone is never covered.
        let chile = SchoolPlace {
            country: Country::Cl,
            ..own.clone()
        };
        assert!(!supervisor.can_view_school(&chile));
    }
}
