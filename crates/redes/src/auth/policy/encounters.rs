//! Encounters between schools (seed 003): who plans them.

use super::{Principal, Territory, Visibility};

impl Principal {
    /// Planning encounters between schools (seed 003) belongs to the
    /// territorial authorities and zone supervisors of the place. The place
    /// is a municipality (`t.zone` empty) or a supervision zone: a zone's
    /// supervisors plan it, and so do the authorities whose territory holds
    /// all its schools (the store gives a zone's plan the state and
    /// municipality of its schools only when they share one).
    pub fn can_plan_encounters(&self, t: Territory) -> bool {
        self.can_create_school(t)
    }

    pub fn may_plan_encounters(&self) -> bool {
        self.may_create_schools()
    }

    /// The plans a person may list: those of the territories where they
    /// plan (territorial grants that edit; observers read the registry but
    /// plan nothing).
    pub fn planning_visibility(&self) -> Visibility {
        let mut v = Visibility {
            all: self.is_admin,
            ..Visibility::default()
        };
        for g in self.grants.iter().filter(|g| g.role.is_territorial()) {
            v.add_territory(&g.scope);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;

    fn zone_plan<'a>(province: &'a str, zone: &'a str) -> Territory<'a> {
        Territory {
            zone,
            ..territory(Country::Mx, "Querétaro", province)
        }
    }

    #[test]
    fn a_zone_supervisor_plans_their_zone_only() {
        let supervisor = zone_supervisor("22FIZ0041F");
        assert!(supervisor.may_plan_encounters());
        assert!(supervisor.can_plan_encounters(zone_plan("Tequisquiapan", "22FIZ0041F")));
        // A zone spread over municipalities is still theirs.
        assert!(supervisor.can_plan_encounters(zone_plan("", "22FIZ0041F")));
        assert!(!supervisor.can_plan_encounters(zone_plan("Tequisquiapan", "22FZP0038B")));
        // The municipality as a whole is not their scope.
        assert!(!supervisor.can_plan_encounters(zone_plan("Tequisquiapan", "")));
        let v = supervisor.planning_visibility();
        assert_eq!(v.zones, vec![(Country::Mx, "22FIZ0041F".to_string())]);
        assert!(v.provinces.is_empty());
    }

    #[test]
    fn a_municipal_supervisor_plans_the_zones_within_their_municipality() {
        let supervisor = person(vec![Grant {
            role: Role::Supervisor,
            scope: Scope::Province {
                country: Country::Mx,
                province: "Tequisquiapan".into(),
            },
        }]);
        assert!(supervisor.can_plan_encounters(zone_plan("Tequisquiapan", "")));
        assert!(supervisor.can_plan_encounters(zone_plan("Tequisquiapan", "22FIZ0041F")));
        // A zone reaching beyond the municipality is not theirs alone.
        assert!(!supervisor.can_plan_encounters(zone_plan("", "22FIZ0041F")));
    }
}
