//! The three encounter sessions of seed 003: who creates them, who reads
//! them, who takes attendance, who ticks which duties of the checklist, who
//! writes and reads the observers' records and who records each school's
//! changes to its PEMC.

use super::{Principal, Role, Scope, Territory};
use crate::ids::{PersonId, SchoolId};

/// The people of seed 003 a duty of the checklist belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DutyRole {
    /// The state's educational authority (AEE).
    Authority,
    /// The zone's supervision (AE).
    Supervision,
    /// The directors of the participating schools.
    Director,
    /// The group's coordinator of that session.
    Coordinator,
}

crate::stored_as_text!(DutyRole);

impl DutyRole {
    pub const ALL: [DutyRole; 4] = [
        DutyRole::Authority,
        DutyRole::Supervision,
        DutyRole::Director,
        DutyRole::Coordinator,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DutyRole::Authority => "authority",
            DutyRole::Supervision => "supervision",
            DutyRole::Director => "director",
            DutyRole::Coordinator => "coordinator",
        }
    }

    /// Spanish name, as seed 003 says it.
    pub fn label(self) -> &'static str {
        match self {
            DutyRole::Authority => "ui-autoridad-educativa-estatal",
            DutyRole::Supervision => "ui-supervision-escolar",
            DutyRole::Director => "ui-direccion-escuela",
            DutyRole::Coordinator => "ui-coordinacion-grupo",
        }
    }
}

impl std::str::FromStr for DutyRole {
    type Err = ();
    fn from_str(code: &str) -> Result<DutyRole, ()> {
        DutyRole::ALL
            .into_iter()
            .find(|r| r.code() == code)
            .ok_or(())
    }
}

/// What the policy needs to know of an encounter session: the territory
/// of its plan, the schools of its group and its coordinator.
#[derive(Debug, Clone)]
pub struct SessionPlace<'a> {
    pub plan: Territory<'a>,
    pub school_ids: &'a [SchoolId],
    /// The coordinator of this session, when a person of the registry.
    pub coordinator: Option<PersonId>,
}

impl Principal {
    /// Directs one of these schools.
    fn directs_one_of(&self, schools: &[SchoolId]) -> bool {
        self.grants.iter().any(|g| {
            g.role == Role::Director
                && matches!(g.scope, Scope::School { id, .. } if schools.contains(&id))
        })
    }

    fn coordinates_session(&self, s: &SessionPlace) -> bool {
        s.coordinator == Some(self.person_id)
    }

    /// Covers the plan's territory through a grant whose role passes `keep`.
    fn covers_through(&self, t: Territory, keep: impl Fn(Role) -> bool) -> bool {
        let some = Principal {
            grants: self
                .grants
                .iter()
                .filter(|g| keep(g.role))
                .cloned()
                .collect(),
            ..self.clone()
        };
        some.territory_covers(t, true)
    }

    /// A grant of the state's authorities (not supervision) covering the plan.
    fn is_state_authority_of(&self, t: Territory) -> bool {
        self.covers_through(t, |r| {
            matches!(
                r,
                Role::Ministry
                    | Role::RegionalAuthority
                    | Role::Secretariat
                    | Role::ProvincialOffice
            )
        })
    }

    /// A supervision grant covering the plan.
    fn supervises(&self, t: Territory) -> bool {
        self.covers_through(t, |r| r == Role::Supervisor)
    }

    /// Creating the three sessions of an approved plan: whoever plans
    /// encounters in the plan's territory (its zone supervisor, the
    /// authorities whose territory holds it).
    pub fn can_create_encounter_sessions(&self, plan: Territory) -> bool {
        self.can_plan_encounters(plan)
    }

    /// Reading every session of a plan, their rosters and checklists: the
    /// people whose scope covers the plan, observers included.
    pub fn can_view_encounter_sessions(&self, plan: Territory) -> bool {
        self.is_admin || self.territory_covers(plan, false)
    }

    /// Reading one session: the plan's scope, its coordinator and the
    /// directors of its schools.
    pub fn can_view_encounter_session(&self, s: &SessionPlace) -> bool {
        self.can_view_encounter_sessions(s.plan)
            || self.coordinates_session(s)
            || self.directs_one_of(s.school_ids)
    }

    /// Taking attendance: the session's coordinator and the directors of
    /// its schools.
    pub fn can_take_encounter_attendance(&self, s: &SessionPlace) -> bool {
        self.is_admin || self.coordinates_session(s) || self.directs_one_of(s.school_ids)
    }

    /// Ticking (or unticking) a duty of the checklist: the people the duty
    /// belongs to.
    pub fn can_tick_duty(&self, s: &SessionPlace, role: DutyRole) -> bool {
        self.is_admin
            || match role {
                DutyRole::Authority => self.is_state_authority_of(s.plan),
                DutyRole::Supervision => self.supervises(s.plan),
                DutyRole::Director => self.directs_one_of(s.school_ids),
                DutyRole::Coordinator => self.coordinates_session(s),
            }
    }

    /// Writing an observer's record: observers and authorities whose scope
    /// covers the plan (supervision included) and the session's
    /// coordinator.
    pub fn can_write_observer_record(&self, s: &SessionPlace) -> bool {
        self.can_view_encounter_sessions(s.plan) || self.coordinates_session(s)
    }

    /// Reading the observers' records: only inside the plan's scope (its
    /// authorities, supervision and observers, and the session's
    /// coordinator); never the schools' people.
    pub fn can_read_observer_records(&self, s: &SessionPlace) -> bool {
        self.can_write_observer_record(s)
    }

    /// Recording the changes a school will make to its PEMC: its director,
    /// the session's coordinator and the supervision or authorities of the
    /// plan.
    pub fn can_record_pemc_change(&self, s: &SessionPlace, school: SchoolId) -> bool {
        s.school_ids.contains(&school)
            && (self.can_plan_encounters(s.plan)
                || self.coordinates_session(s)
                || self.directs_one_of(&[school]))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;
    use super::*;

    const ZONE: &str = "22FIZ0041F";
    const OWN: [SchoolId; 2] = [SchoolId(10), SchoolId(11)];

    fn plan() -> Territory<'static> {
        Territory {
            zone: ZONE,
            ..territory(Country::Mx, "Querétaro", "Tequisquiapan")
        }
    }

    fn session(coordinator: Option<PersonId>) -> SessionPlace<'static> {
        SessionPlace {
            plan: plan(),
            school_ids: &OWN,
            coordinator,
        }
    }

    /// Someone with another person id than the coordinator's (`PersonId(7)`).
    fn as_person(p: Principal, id: i64) -> Principal {
        Principal {
            person_id: PersonId(id),
            ..p
        }
    }

    fn coordinator() -> Principal {
        as_person(school_person(Role::Teacher, 99), 7)
    }

    fn school_person(role: Role, id: i64) -> Principal {
        person(vec![Grant {
            role,
            scope: Scope::School {
                id: SchoolId(id),
                country: Country::Mx,
                region: "Querétaro".into(),
                province: "Tequisquiapan".into(),
            },
        }])
    }

    fn state_secretariat() -> Principal {
        person(vec![Grant {
            role: Role::Secretariat,
            scope: Scope::Region {
                country: Country::Mx,
                region: "Querétaro".into(),
            },
        }])
    }

    fn observer() -> Principal {
        person(vec![Grant {
            role: Role::Observer,
            scope: Scope::Zone {
                country: Country::Mx,
                zone: ZONE.into(),
            },
        }])
    }

    #[test]
    fn the_zone_supervisor_creates_and_reads_every_session_of_their_plan() {
        let supervisor = zone_supervisor(ZONE);
        assert!(supervisor.can_create_encounter_sessions(plan()));
        assert!(supervisor.can_view_encounter_sessions(plan()));
        assert!(supervisor.can_view_encounter_session(&session(None)));
        let elsewhere = zone_supervisor("22FZP0038B");
        assert!(!elsewhere.can_create_encounter_sessions(plan()));
        assert!(!elsewhere.can_view_encounter_sessions(plan()));
        assert!(!elsewhere.can_view_encounter_session(&session(None)));
        // Supervision reads but does not take attendance.
        assert!(!supervisor.can_take_encounter_attendance(&session(None)));
    }

    #[test]
    fn the_coordinator_and_the_directors_take_attendance() {
        let coordinator = coordinator();
        let s = session(Some(coordinator.person_id));
        assert!(coordinator.can_take_encounter_attendance(&s));
        assert!(coordinator.can_view_encounter_session(&s));
        assert!(!coordinator.can_take_encounter_attendance(&session(None)));
        let director = school_person(Role::Director, 11);
        assert!(director.can_take_encounter_attendance(&session(None)));
        assert!(director.can_view_encounter_session(&session(None)));
        assert!(!director.can_view_encounter_sessions(plan()));
        assert!(!director.can_create_encounter_sessions(plan()));
        let other_director = school_person(Role::Director, 12);
        assert!(!other_director.can_take_encounter_attendance(&session(None)));
        assert!(!other_director.can_view_encounter_session(&session(None)));
        let teacher = school_person(Role::Teacher, 11);
        assert!(!teacher.can_take_encounter_attendance(&session(None)));
    }

    #[test]
    fn each_duty_is_ticked_by_the_people_it_belongs_to() {
        let s = session(Some(PersonId(7)));
        let supervisor = zone_supervisor(ZONE);
        let director = school_person(Role::Director, 10);
        let coordinator = coordinator();
        let authority = state_secretariat();
        let cases = [
            (&supervisor, DutyRole::Supervision),
            (&director, DutyRole::Director),
            (&coordinator, DutyRole::Coordinator),
            (&authority, DutyRole::Authority),
        ];
        for (who, own) in cases {
            for role in DutyRole::ALL {
                assert_eq!(
                    who.can_tick_duty(&s, role),
                    role == own,
                    "{} ticking {role:?}",
                    who.roles_label()
                );
            }
        }
        // A coordinator of another session ticks nothing here.
        let other = session(Some(PersonId(8)));
        assert!(!coordinator.can_tick_duty(&other, DutyRole::Coordinator));
        assert!(!zone_supervisor("22FZP0038B").can_tick_duty(&s, DutyRole::Supervision));
    }

    #[test]
    fn observers_records_stay_inside_the_plans_scope() {
        let s = session(Some(PersonId(7)));
        for who in [
            observer(),
            zone_supervisor(ZONE),
            state_secretariat(),
            coordinator(),
        ] {
            assert!(who.can_write_observer_record(&s), "{}", who.roles_label());
            assert!(who.can_read_observer_records(&s), "{}", who.roles_label());
        }
        // The observer reads the sessions, and creates none.
        assert!(observer().can_view_encounter_sessions(plan()));
        assert!(!observer().can_create_encounter_sessions(plan()));
        for who in [
            school_person(Role::Director, 10),
            school_person(Role::Teacher, 10),
            zone_supervisor("22FZP0038B"),
        ] {
            assert!(!who.can_write_observer_record(&s), "{}", who.roles_label());
            assert!(!who.can_read_observer_records(&s), "{}", who.roles_label());
        }
    }

    #[test]
    fn a_schools_pemc_changes_are_recorded_by_its_director_coordinator_or_supervision() {
        let s = session(Some(PersonId(7)));
        let director = school_person(Role::Director, 10);
        assert!(director.can_record_pemc_change(&s, SchoolId(10)));
        assert!(!director.can_record_pemc_change(&s, SchoolId(11)));
        assert!(zone_supervisor(ZONE).can_record_pemc_change(&s, SchoolId(11)));
        assert!(coordinator().can_record_pemc_change(&s, SchoolId(11)));
        // Never for a school outside the session.
        assert!(!zone_supervisor(ZONE).can_record_pemc_change(&s, SchoolId(12)));
        assert!(!observer().can_record_pemc_change(&s, SchoolId(10)));
    }
}
