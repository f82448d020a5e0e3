//! What a person may list and read in bulk, derived from the same grants
//! as the decisions in this folder. Each table that carries a territory
//! declares once which of its columns say where a row is (`Table`); one
//! function turns a person's `Visibility` into the SQL condition for any
//! such table, so no store writes its own.

use super::{Principal, Role, Scope};
use crate::country::Country;
use crate::ids::{NetworkId, SchoolId};
use crate::sql::Sql;

/// The audience of institutional calls a person may read. A call concerns
/// everyone inside its territory, and the authorities over it: a national
/// call its whole country, a regional call its region, a provincial call its
/// province.
#[derive(Debug, Default, Clone)]
pub struct CallAudience {
    pub all: bool,
    /// Every call of these countries (national grants).
    pub countries: Vec<Country>,
    /// The national calls of these countries and every call of these
    /// regions (regional grants, networks).
    pub regions: Vec<(Country, String)>,
    /// The national calls of these countries and the calls of these
    /// provinces (provincial grants, which name no region).
    pub provinces: Vec<(Country, String)>,
    /// A school's place (country, region, province): the national calls,
    /// the calls of its region as a whole and those of its province.
    pub places: Vec<(Country, String, String)>,
    /// Only the national calls of these countries (supervision zones).
    pub national: Vec<Country>,
}

impl CallAudience {
    /// Appends ` AND (...)` restricting calls (as `alias`, with columns
    /// country, region, province) to this audience.
    pub fn restrict(&self, sql: &mut Sql, alias: &str) {
        if self.all {
            return;
        }
        let (country, region, province) = (
            format!("{alias}.country"),
            format!("{alias}.region"),
            format!("{alias}.province"),
        );
        sql.push(" AND (1 = 0");
        for c in &self.countries {
            sql.push(&format!(" OR {country} = ")).text(c.code());
        }
        for c in &self.national {
            sql.push(&format!(" OR ({country} = "))
                .text(c.code())
                .push(&format!(" AND {region} = '')"));
        }
        for (c, r) in &self.regions {
            sql.push(&format!(" OR ({country} = ")).text(c.code());
            sql.push(&format!(" AND ({region} = '' OR {region} = "))
                .text(r.clone())
                .push("))");
        }
        for (c, p) in &self.provinces {
            sql.push(&format!(" OR ({country} = ")).text(c.code());
            sql.push(&format!(" AND ({region} = '' OR {province} = "))
                .text(p.clone())
                .push("))");
        }
        for (c, r, p) in &self.places {
            sql.push(&format!(" OR ({country} = ")).text(c.code());
            sql.push(&format!(" AND ({region} = '' OR ({region} = "))
                .text(r.clone());
            sql.push(&format!(" AND ({province} = '' OR {province} = "))
                .text(p.clone())
                .push("))))");
        }
        sql.push(")");
    }
}

/// The proposals of calls a person may list: those of the networks they
/// may list, and those addressed to the territories where they issue calls.
#[derive(Debug, Default, Clone)]
pub struct ProposalAudience {
    pub networks: Visibility,
    pub countries: Vec<Country>,
    pub regions: Vec<(Country, String)>,
    pub provinces: Vec<(Country, String)>,
}

impl ProposalAudience {
    /// Appends ` AND (...)` restricting proposals (as `proposal`, with
    /// country, region, province) of networks (as `network`).
    pub fn restrict(&self, sql: &mut Sql, proposal: &str, network: &str) {
        if self.networks.all {
            return;
        }
        sql.push(" AND ((1 = 1");
        self.networks.restrict(sql, &Table::NETWORKS, network);
        sql.push(")");
        for c in &self.countries {
            sql.push(&format!(" OR {proposal}.country = "))
                .text(c.code());
        }
        for (c, r) in &self.regions {
            sql.push(&format!(" OR ({proposal}.country = "))
                .text(c.code());
            sql.push(&format!(" AND {proposal}.region = "))
                .text(r.clone())
                .push(")");
        }
        for (c, p) in &self.provinces {
            sql.push(&format!(" OR ({proposal}.country = "))
                .text(c.code());
            sql.push(&format!(" AND {proposal}.province = "))
                .text(p.clone())
                .push(")");
        }
        sql.push(")");
    }
}

/// What part of the registry a person may list. Mirrors
/// `Principal::can_view_school` / `can_view_network`.
#[derive(Debug, Default, Clone)]
pub struct Visibility {
    pub all: bool,
    pub countries: Vec<Country>,
    pub regions: Vec<(Country, String)>,
    pub provinces: Vec<(Country, String)>,
    /// Supervision zones (Mexico): the rows that name one of them.
    pub zones: Vec<(Country, String)>,
    pub school_ids: Vec<SchoolId>,
    pub network_ids: Vec<NetworkId>,
    /// Networks reached through the person's schools.
    pub school_network_ids: Vec<NetworkId>,
    /// Regions where the person coordinates a network (schools only).
    pub coordinated_regions: Vec<(Country, String)>,
}

/// Which columns of a table say where a row is. Every table listed with a
/// visibility filter has one of these, next to this code.
pub struct Table {
    /// Columns holding country, region and province.
    pub country: &'static str,
    pub region: &'static str,
    pub province: &'static str,
    /// The column holding the supervision zone, if the table has one.
    pub zone: Option<&'static str>,
    /// The row's school (itself, for the schools table) and the
    /// institution it is a sede of.
    pub school: Option<&'static str>,
    pub parent_school: Option<&'static str>,
    /// The row's network (itself, for the networks table).
    pub network: Option<&'static str>,
    /// Rows of schools: visible through the networks they belong to now,
    /// and in the regions where the person coordinates a network.
    pub is_school: bool,
}

impl Table {
    /// `schools`: a school is seen in its territory, by its people, by
    /// the people of the networks it belongs to and by coordinators of its
    /// region.
    pub const SCHOOLS: Table = Table {
        country: "country",
        region: "region",
        province: "province",
        zone: Some("supervision_zone"),
        school: Some("id"),
        parent_school: Some("parent_id"),
        network: None,
        is_school: true,
    };

    /// `networks`: seen in its territory, by its people and by the people
    /// of its member schools.
    pub const NETWORKS: Table = Table {
        country: "country",
        region: "region",
        province: "province",
        zone: None,
        school: None,
        parent_school: None,
        network: Some("id"),
        is_school: false,
    };

    /// `encounter_plans`: seen in the territory (or zone) it plans.
    pub const ENCOUNTER_PLANS: Table = Table {
        country: "country",
        region: "region",
        province: "province",
        zone: Some("zone"),
        school: None,
        parent_school: None,
        network: None,
        is_school: false,
    };
}

impl Visibility {
    /// Appends ` AND (...)` restricting the rows of `table` (as `alias`)
    /// to what this person may see.
    pub fn restrict(&self, sql: &mut Sql, table: &Table, alias: &str) {
        if self.all {
            return;
        }
        let col = |c: &str| format!("{alias}.{c}");
        sql.push(" AND (1 = 0");
        let (country, region, province) =
            (col(table.country), col(table.region), col(table.province));
        for c in &self.countries {
            sql.push(&format!(" OR {country} = ")).text(c.code());
        }
        for (c, r) in &self.regions {
            sql.push(&format!(" OR ({country} = ")).text(c.code());
            sql.push(&format!(" AND {region} = "))
                .text(r.clone())
                .push(")");
        }
        for (c, p) in &self.provinces {
            sql.push(&format!(" OR ({country} = ")).text(c.code());
            sql.push(&format!(" AND {province} = "))
                .text(p.clone())
                .push(")");
        }
        if let Some(zone) = table.zone {
            for (c, z) in &self.zones {
                sql.push(&format!(" OR ({country} = ")).text(c.code());
                sql.push(&format!(" AND {} = ", col(zone)))
                    .text(z.clone())
                    .push(")");
            }
        }
        let school_ids: Vec<i64> = self.school_ids.iter().map(|id| id.0).collect();
        if let Some(school) = table.school {
            sql.push(&format!(" OR {} IN ", col(school)))
                .int_list(&school_ids);
        }
        // The sedes of an institution belong to it (Colombia).
        if let Some(parent) = table.parent_school {
            sql.push(&format!(" OR {} IN ", col(parent)))
                .int_list(&school_ids);
        }
        if let Some(network) = table.network {
            let ids: Vec<i64> = self
                .network_ids
                .iter()
                .chain(&self.school_network_ids)
                .map(|id| id.0)
                .collect();
            sql.push(&format!(" OR {} IN ", col(network)))
                .int_list(&ids);
        }
        if let (true, Some(school)) = (table.is_school, table.school) {
            for (c, r) in &self.coordinated_regions {
                sql.push(&format!(" OR ({country} = ")).text(c.code());
                sql.push(&format!(" AND {region} = "))
                    .text(r.clone())
                    .push(")");
            }
            let ids: Vec<i64> = self.network_ids.iter().map(|id| id.0).collect();
            sql.push(&format!(
                " OR {} IN (SELECT school_id FROM network_schools WHERE left_on IS NULL AND network_id IN ",
                col(school)
            ))
            .int_list(&ids)
            .push(")");
        }
        sql.push(")");
    }
}

impl Principal {
    pub fn visibility(&self) -> Visibility {
        let mut v = Visibility {
            all: self.is_admin,
            school_ids: self.school_ids(),
            network_ids: self.network_ids(),
            school_network_ids: self.school_network_ids.clone(),
            coordinated_regions: self.coordinated_regions(),
            ..Visibility::default()
        };
        let readers = self
            .grants
            .iter()
            .filter(|g| g.role.is_territorial() || g.role == Role::Observer);
        for g in readers {
            v.add_territory(&g.scope);
        }
        v
    }
}

impl Visibility {
    /// Adds a territorial scope (national, region, province, zone); a
    /// network or school scope is listed by id instead.
    pub(super) fn add_territory(&mut self, scope: &Scope) {
        match scope {
            Scope::National { country } => self.countries.push(*country),
            Scope::Region { country, region } => self.regions.push((*country, region.clone())),
            Scope::Province { country, province } => {
                self.provinces.push((*country, province.clone()))
            }
            Scope::Zone { country, zone } => self.zones.push((*country, zone.clone())),
            Scope::Network { .. } | Scope::School { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::*;

    #[test]
    fn a_coordinator_lists_the_schools_of_their_region_and_network() {
        let v = person(vec![network_grant(Role::NetworkCoordinator)]).visibility();
        let mut sql = Sql::new("SELECT 1 FROM schools s WHERE 1 = 1");
        v.restrict(&mut sql, &Table::SCHOOLS, "s");
        assert!(sql.text.contains("s.region = $2"), "{}", sql.text);
        assert!(sql.text.contains("network_id IN ($3)"), "{}", sql.text);
        let mut sql = Sql::new("SELECT 1 FROM networks n WHERE 1 = 1");
        v.restrict(&mut sql, &Table::NETWORKS, "n");
        assert!(sql.text.ends_with("OR n.id IN ($1))"), "{}", sql.text);
    }

    #[test]
    fn an_administrator_lists_everything() {
        let mut admin = person(vec![]);
        admin.is_admin = true;
        let mut sql = Sql::new("SELECT 1 FROM networks n WHERE 1 = 1");
        admin.visibility().restrict(&mut sql, &Table::NETWORKS, "n");
        assert_eq!(sql.text, "SELECT 1 FROM networks n WHERE 1 = 1");
    }

    #[test]
    fn a_zone_supervisor_lists_the_schools_and_plans_of_their_zone() {
        let v = zone_supervisor("22FIZ0041F").visibility();
        let mut sql = Sql::new("SELECT 1 FROM schools s WHERE 1 = 1");
        v.restrict(&mut sql, &Table::SCHOOLS, "s");
        assert!(
            sql.text
                .contains("(s.country = $1 AND s.supervision_zone = $2)"),
            "{}",
            sql.text
        );
        let mut sql = Sql::new("SELECT 1 FROM networks n WHERE 1 = 1");
        v.restrict(&mut sql, &Table::NETWORKS, "n");
        assert!(!sql.text.contains("zone"), "{}", sql.text);
        let mut sql = Sql::new("SELECT 1 FROM encounter_plans e WHERE 1 = 1");
        zone_supervisor("22FIZ0041F")
            .planning_visibility()
            .restrict(&mut sql, &Table::ENCOUNTER_PLANS, "e");
        assert!(sql.text.contains("e.zone = $2"), "{}", sql.text);
    }
}
