//! Encounters between schools (seed 003): who plans them.

use super::{Principal, Scope, Territory, Visibility};

impl Principal {
    /// Planning encounters between schools (seed 003) belongs to the
    /// territorial authorities and zone supervisors of the place.
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
        for g in &self.grants {
            if !g.role.is_territorial() {
                continue;
            }
            match &g.scope {
                Scope::National { country } => v.countries.push(*country),
                Scope::Region { country, region } => v.regions.push((*country, region.clone())),
                Scope::Province { country, province } => {
                    v.provinces.push((*country, province.clone()))
                }
                _ => {}
            }
        }
        v
    }
}
