//! Good practices (issue 12): who reads a practice, who documents it, and
//! who moves it along its lifecycle (identified → documented →
//! systematized → under review → published → replicated).

use super::{NetworkPlace, Principal, Role, Scope};
use crate::country::Country;
use crate::ids::{NetworkId, PersonId, SchoolId};

/// A step of a practice's lifecycle, as the policy sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PracticeStep {
    /// identified → documented, documented → systematized.
    Document,
    /// systematized → under review: the network puts it forward.
    SendToReview,
    /// under review → published, or back to systematized with a comment.
    Decide,
}

impl Principal {
    /// A published practice is read by anyone (signed in or not, see the
    /// public pages); before that, only by those who see its network.
    pub fn can_view_practice(p: Option<&Principal>, n: &NetworkPlace, published: bool) -> bool {
        published || p.is_some_and(|p| p.can_view_network(n))
    }

    /// Anyone of the network documents its practices: its coordinators and
    /// every person with a role in one of its current member schools.
    pub fn can_create_practice(&self, n: &NetworkPlace, members: &[SchoolId]) -> bool {
        self.is_admin
            || self.coordinates(n.id)
            || self.school_ids().iter().any(|s| members.contains(s))
    }

    /// Who may list the networks where they document practices.
    pub fn may_document_practices(p: Option<&Principal>) -> bool {
        p.is_some_and(|p| {
            p.is_admin || !p.network_ids().is_empty() || !p.school_network_ids.is_empty()
        })
    }

    /// The ministries, regional authorities and secretariats whose territory
    /// covers the network review its practices and decide on publication.
    pub fn reviews_practices_of(&self, n: &NetworkPlace) -> bool {
        let t = n.territory();
        self.is_admin
            || self.grants.iter().any(|g| {
                matches!(
                    g.role,
                    Role::Ministry | Role::RegionalAuthority | Role::Secretariat
                ) && match &g.scope {
                    Scope::National { country } => *country == t.country,
                    Scope::Region { country, region } => {
                        *country == t.country && region == t.region
                    }
                    _ => false,
                }
            })
    }

    /// The text of a practice (and its evidence) is written by its authors
    /// and the network's coordination, until it is sent to review.
    pub fn can_edit_practice(&self, n: &NetworkPlace, authors: &[PersonId]) -> bool {
        self.is_admin || self.coordinates(n.id) || authors.contains(&self.person_id)
    }

    /// Each step of the lifecycle has its own people: authors and the
    /// coordination document and systematize; the coordination sends to
    /// review what the network stands behind; a reviewer of the territory
    /// publishes or sends back.
    pub fn can_move_practice(
        &self,
        n: &NetworkPlace,
        authors: &[PersonId],
        step: PracticeStep,
    ) -> bool {
        match step {
            PracticeStep::Document => self.can_edit_practice(n, authors),
            PracticeStep::SendToReview => self.is_admin || self.coordinates(n.id),
            PracticeStep::Decide => self.reviews_practices_of(n),
        }
    }

    /// A school records that it adopts a practice: the people with a role
    /// in that school, or the coordination of a network it is a current
    /// member of (`networks`: the school's networks).
    pub fn can_record_replication(&self, school: SchoolId, networks: &[NetworkId]) -> bool {
        self.is_admin
            || self.school_ids().contains(&school)
            || networks.iter().any(|n| self.coordinates(*n))
    }

    /// Who may be offered the replication form: someone with a role in a
    /// school or coordinating a network (the school is checked on sending).
    pub fn may_record_replications(&self) -> bool {
        self.is_admin || !self.school_ids().is_empty() || !self.network_ids().is_empty()
    }

    /// Peer review (issue 12, item 3): those who decide publication (a
    /// reviewer of the territory) choose the practice's reviewers.
    pub fn can_assign_reviewers(&self, n: &NetworkPlace) -> bool {
        self.reviews_practices_of(n)
    }

    /// Peer review is never self-review: no author reviews their practice.
    pub fn may_be_reviewer(candidate: PersonId, authors: &[PersonId]) -> bool {
        !authors.contains(&candidate)
    }

    /// A review is written by the person assigned to it, and no one else
    /// (not even an administrator), never by an author.
    pub fn can_write_review(&self, reviewer: PersonId, authors: &[PersonId]) -> bool {
        self.person_id == reviewer && Principal::may_be_reviewer(self.person_id, authors)
    }

    /// The authors answer each review of their practice.
    pub fn can_reply_to_review(&self, authors: &[PersonId]) -> bool {
        authors.contains(&self.person_id)
    }

    /// An assigned reviewer reads the practice they review, even outside
    /// its network and before it is published.
    pub fn reviews_practice(&self, reviewers: &[PersonId]) -> bool {
        reviewers.contains(&self.person_id)
    }

    /// The reviews themselves (who reviewed, scores, comments) are read by
    /// those who see the network, the reviewers of the territory and the
    /// practice's own reviewers; others see the combined score only.
    pub fn can_read_reviews(&self, n: &NetworkPlace, reviewers: &[PersonId]) -> bool {
        self.can_view_network(n) || self.reviews_practices_of(n) || self.reviews_practice(reviewers)
    }

    /// A country's rubric (`region` empty) and its regions' are the
    /// ministry's; a secretariat of education configures its own
    /// region's (department's).
    pub fn can_configure_rubric(&self, country: Country, region: &str) -> bool {
        self.is_admin
            || self.grants.iter().any(|g| match (&g.role, &g.scope) {
                (Role::Ministry, Scope::National { country: c }) => *c == country,
                (
                    Role::Secretariat,
                    Scope::Region {
                        country: c,
                        region: r,
                    },
                ) => *c == country && !region.is_empty() && r == region,
                _ => false,
            })
    }

    /// The territories whose rubric this person configures by their
    /// grants: the ministry's country, the secretariat's region.
    pub fn rubric_territories(&self) -> Vec<(Country, String)> {
        self.grants
            .iter()
            .filter_map(|g| match (&g.role, &g.scope) {
                (Role::Ministry, Scope::National { country }) => Some((*country, String::new())),
                (Role::Secretariat, Scope::Region { country, region }) => {
                    Some((*country, region.clone()))
                }
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;
    use super::PracticeStep;

    fn network() -> NetworkPlace<'static> {
        NetworkPlace {
            id: NetworkId(7),
            country: Country::Cl,
            region: "Biobío",
            province: "Concepción",
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

    fn region_grant(role: Role, region: &str) -> Grant {
        Grant {
            role,
            scope: Scope::Region {
                country: Country::Cl,
                region: region.into(),
            },
        }
    }

    #[test]
    fn people_of_the_network_document_and_authors_edit() {
        let n = network();
        let members = [SchoolId(3)];
        let teacher = person(vec![school_grant(Role::Teacher, 3)]);
        assert!(teacher.can_create_practice(&n, &members));
        // Ana (person 1) is not an author: she documents her own, not others'.
        assert!(!teacher.can_edit_practice(&n, &[PersonId(2)]));
        assert!(teacher.can_edit_practice(&n, &[PersonId(1), PersonId(2)]));
        assert!(!person(vec![school_grant(Role::Teacher, 4)]).can_create_practice(&n, &members));
        let coordinator = person(vec![network_grant(Role::NetworkCoordinator)]);
        assert!(coordinator.can_create_practice(&n, &[]));
        assert!(coordinator.can_edit_practice(&n, &[PersonId(2)]));
    }

    #[test]
    fn each_step_has_its_people() {
        let n = network();
        let authors = [PersonId(1)];
        let author = person(vec![school_grant(Role::Teacher, 3)]);
        assert!(author.can_move_practice(&n, &authors, PracticeStep::Document));
        assert!(!author.can_move_practice(&n, &authors, PracticeStep::SendToReview));
        assert!(!author.can_move_practice(&n, &authors, PracticeStep::Decide));
        let coordinator = person(vec![network_grant(Role::NetworkCoordinator)]);
        assert!(coordinator.can_move_practice(&n, &[], PracticeStep::SendToReview));
        assert!(!coordinator.can_move_practice(&n, &[], PracticeStep::Decide));
        let seremi = person(vec![region_grant(Role::RegionalAuthority, "Biobío")]);
        assert!(seremi.can_move_practice(&n, &[], PracticeStep::Decide));
        assert!(!seremi.can_move_practice(&n, &[], PracticeStep::SendToReview));
        assert!(!seremi.can_edit_practice(&n, &[]));
        // A reviewer of another region, or a supervisor, does not decide.
        let maule = person(vec![region_grant(Role::RegionalAuthority, "Maule")]);
        assert!(!maule.can_move_practice(&n, &[], PracticeStep::Decide));
        let supervisor = person(vec![Grant {
            role: Role::Supervisor,
            scope: Scope::Province {
                country: Country::Cl,
                province: "Concepción".into(),
            },
        }]);
        assert!(!supervisor.reviews_practices_of(&n));
        let ministry = person(vec![Grant {
            role: Role::Ministry,
            scope: Scope::National {
                country: Country::Cl,
            },
        }]);
        assert!(ministry.reviews_practices_of(&n));
    }

    #[test]
    fn a_school_records_its_replication_or_its_network_coordination_does() {
        let director = person(vec![school_grant(Role::Director, 3)]);
        assert!(director.can_record_replication(SchoolId(3), &[]));
        // Not for another school, even one of the same network.
        assert!(!director.can_record_replication(SchoolId(4), &[NetworkId(7)]));
        let coordinator = person(vec![network_grant(Role::NetworkCoordinator)]);
        assert!(coordinator.can_record_replication(SchoolId(4), &[NetworkId(7)]));
        assert!(!coordinator.can_record_replication(SchoolId(5), &[NetworkId(8)]));
        // A territorial authority reads the graph but records for no school.
        let seremi = person(vec![region_grant(Role::RegionalAuthority, "Biobío")]);
        assert!(!seremi.can_record_replication(SchoolId(3), &[NetworkId(7)]));
        assert!(!seremi.may_record_replications());
        assert!(director.may_record_replications() && coordinator.may_record_replications());
        // A network's teacher without a school role records for no school.
        let member = person(vec![network_grant(Role::Teacher)]);
        assert!(!member.can_record_replication(SchoolId(4), &[NetworkId(7)]));
    }

    #[test]
    fn reviewers_are_chosen_by_the_territory_and_are_never_authors() {
        let n = network();
        let authors = [PersonId(1), PersonId(2)];
        let seremi = person(vec![region_grant(Role::RegionalAuthority, "Biobío")]);
        assert!(seremi.can_assign_reviewers(&n));
        let coordinator = person(vec![network_grant(Role::NetworkCoordinator)]);
        assert!(!coordinator.can_assign_reviewers(&n));
        assert!(!Principal::may_be_reviewer(PersonId(2), &authors));
        assert!(Principal::may_be_reviewer(PersonId(3), &authors));
        // Ana (person 1) writes the review she is assigned, unless she is an author.
        let ana = person(vec![school_grant(Role::Director, 9)]);
        assert!(ana.can_write_review(PersonId(1), &[PersonId(2)]));
        assert!(!ana.can_write_review(PersonId(1), &authors));
        assert!(!ana.can_write_review(PersonId(3), &[]));
        let mut admin = person(vec![]);
        admin.is_admin = true;
        assert!(!admin.can_write_review(PersonId(3), &[]));
        assert!(ana.can_reply_to_review(&authors));
        assert!(!seremi.can_reply_to_review(&[PersonId(2)]));
        // A reviewer from elsewhere reads the reviews of what they review.
        assert!(!ana.can_read_reviews(&n, &[]));
        assert!(ana.can_read_reviews(&n, &[PersonId(1)]));
        assert!(seremi.can_read_reviews(&n, &[]));
    }

    #[test]
    fn the_ministry_and_the_secretariat_configure_rubrics() {
        let ministry = person(vec![Grant {
            role: Role::Ministry,
            scope: Scope::National {
                country: Country::Co,
            },
        }]);
        assert!(ministry.can_configure_rubric(Country::Co, ""));
        assert!(ministry.can_configure_rubric(Country::Co, "Bolívar"));
        assert!(!ministry.can_configure_rubric(Country::Cl, ""));
        let secretariat = person(vec![Grant {
            role: Role::Secretariat,
            scope: Scope::Region {
                country: Country::Co,
                region: "Bolívar".into(),
            },
        }]);
        assert!(secretariat.can_configure_rubric(Country::Co, "Bolívar"));
        assert!(!secretariat.can_configure_rubric(Country::Co, ""));
        assert!(!secretariat.can_configure_rubric(Country::Co, "Tolima"));
        assert_eq!(
            secretariat.rubric_territories(),
            vec![(Country::Co, "Bolívar".to_string())]
        );
        let seremi = person(vec![region_grant(Role::RegionalAuthority, "Biobío")]);
        assert!(!seremi.can_configure_rubric(Country::Cl, "Biobío"));
        assert!(seremi.rubric_territories().is_empty());
        let coordinator = person(vec![network_grant(Role::NetworkCoordinator)]);
        assert!(!coordinator.can_configure_rubric(Country::Cl, "Biobío"));
    }

    #[test]
    fn only_a_published_practice_is_read_outside_its_network() {
        let n = network();
        let outsider = person(vec![school_grant(Role::Director, 9)]);
        assert!(!Principal::can_view_practice(Some(&outsider), &n, false));
        assert!(Principal::can_view_practice(Some(&outsider), &n, true));
        assert!(Principal::can_view_practice(None, &n, true));
        assert!(!Principal::can_view_practice(None, &n, false));
        let mut member = person(vec![school_grant(Role::Teacher, 3)]);
        member.school_network_ids = vec![NetworkId(7)];
        assert!(Principal::can_view_practice(Some(&member), &n, false));
    }
}
