//! Replications (issue 12 item 4): a school adopts a published practice,
//! from the school it took it from (one of the practice's schools, or one
//! that replicated it before), with how it adapted it and what happened.
//! The replications of a practice form a tree rooted at its schools: the
//! replication graph, laid out here for the practice's page (server-drawn
//! SVG) and the API.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::FieldErrors;
use crate::ids::{PracticeId, ReplicationId, SchoolId};

/// A recorded replication, with the names of both schools and their
/// places (for the lists of the practice and of each school).
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct Replication {
    pub id: ReplicationId,
    pub practice_id: PracticeId,
    pub practice_title: String,
    /// The school that adopted it.
    pub school_id: SchoolId,
    pub school_name: String,
    pub school_region: String,
    /// The school it was taken from.
    pub from_school_id: SchoolId,
    pub from_school_name: String,
    pub from_school_region: String,
    /// `YYYY-MM-DD`.
    pub adopted_on: String,
    /// How the school adapted it.
    pub adaptation: String,
    /// What happened.
    pub outcome: String,
    pub recorded_by_name: String,
    pub recorded_at: String,
}

/// The columns of `Replication` over `practice_replications r`.
pub const REPLICATION_SELECT: &str = "SELECT r.id, r.practice_id, p.title AS practice_title,
        r.school_id, s.name AS school_name, s.region AS school_region,
        r.from_school_id, f.name AS from_school_name, f.region AS from_school_region,
        r.adopted_on, r.adaptation, r.outcome, pe.full_name AS recorded_by_name, r.recorded_at
    FROM practice_replications r JOIN practices p ON p.id = r.practice_id
    JOIN schools s ON s.id = r.school_id JOIN schools f ON f.id = r.from_school_id
    JOIN people pe ON pe.id = r.recorded_by";

/// The replication form or API body, as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"school_id": "12", "from_school_id": "3", "adopted_on": "2026-04-01",
    "adaptation": "La pauta de observación se redujo a cuatro criterios.", "outcome": "Doce clases observadas en el primer semestre."}))]
pub struct ReplicationInput {
    /// The school that adopts the practice.
    #[schema(pattern = "^[0-9]+$", max_length = 12)]
    pub school_id: String,
    /// The school it was taken from: one of the practice's schools, or one that replicated it.
    #[schema(pattern = "^[0-9]+$", max_length = 12)]
    pub from_school_id: String,
    /// `YYYY-MM-DD`, not in the future.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", max_length = 10)]
    pub adopted_on: String,
    /// How the school adapted it: required, at most 5,000 characters.
    #[schema(min_length = 1, max_length = 5000, pattern = "\\S")]
    pub adaptation: String,
    /// What happened: at most 5,000 characters.
    #[schema(max_length = 5000)]
    pub outcome: String,
}

/// A checked replication (the schools still to be checked against the
/// practice).
#[derive(Debug, Clone, PartialEq)]
pub struct NewReplication {
    pub school_id: SchoolId,
    pub from_school_id: SchoolId,
    pub adopted_on: String,
    pub adaptation: String,
    pub outcome: String,
}

/// The adopting school typed, when it is a number (the policy decides on
/// it before the rest of the form is checked).
pub fn school_of(input: &ReplicationInput) -> Result<SchoolId, FieldErrors> {
    input
        .school_id
        .trim()
        .parse::<i64>()
        .map(SchoolId)
        .map_err(|_| FieldErrors::from([("school_id".into(), "practices-elija-escuela-adopta".into())]))
}

impl ReplicationInput {
    /// Checks the form; `today` is `YYYY-MM-DD`.
    pub fn parse(&self, today: &str) -> Result<NewReplication, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let school = school_of(self);
        if let Err(e) = &school {
            errors.extend(e.clone());
        }
        let from = self.from_school_id.trim().parse::<i64>().map(SchoolId);
        if from.is_err() {
            errors.insert(
                "from_school_id".into(),
                "practices-elija-escuela-tomo-practica".into(),
            );
        }
        let date = crate::meetings::model::date(&self.adopted_on);
        match date {
            None => {
                errors.insert(
                    "adopted_on".into(),
                    "practices-escriba-fecha-adopcion-como-aaaa-mm".into(),
                );
            }
            Some(d) if d.to_string().as_str() > today => {
                errors.insert(
                    "adopted_on".into(),
                    "practices-fecha-adopcion-no-puede-ser-futura".into(),
                );
            }
            Some(_) => {}
        }
        let adaptation = self.adaptation.trim().to_string();
        if adaptation.is_empty() && !errors.contains_key("adaptation") {
            errors.insert(
                "adaptation".into(),
                "practices-cuente-como-escuela-adapto-practica".into(),
            );
        }
        if let (Ok(s), Ok(f)) = (&school, &from) {
            if s == f && !errors.contains_key("from_school_id") {
                errors.insert(
                    "from_school_id".into(),
                    "practices-escuela-no-toma-practica-si-misma".into(),
                );
            }
        }
        match (school, from, date) {
            (Ok(school_id), Ok(from_school_id), Some(d)) if errors.is_empty() => {
                Ok(NewReplication {
                    school_id,
                    from_school_id,
                    adopted_on: d.to_string(),
                    adaptation,
                    outcome: self.outcome.trim().to_string(),
                })
            }
            _ => Err(errors),
        }
    }
}

/// A school where the practice is applied, as the graph holds it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, ToSchema)]
pub struct GraphSchool {
    pub id: SchoolId,
    pub name: String,
    pub country: String,
    pub region: String,
    /// The school's current networks, by name, comma-separated.
    pub networks: String,
}

/// A node of the replication graph: a school, its depth (0: one of the
/// practice's own schools, 1: took it from one of them, ...) and where it
/// is drawn.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GraphNode {
    #[serde(flatten)]
    #[schema(inline)]
    pub school: GraphSchool,
    /// One of the practice's own schools.
    pub origin: bool,
    pub depth: usize,
    /// Position in the drawing (SVG user units).
    pub x: i64,
    pub y: i64,
    /// The colour of its region in the drawing (index into the legend).
    pub colour: usize,
}

/// An edge: `to` adopted the practice from `from` on `adopted_on`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GraphEdge {
    pub from: SchoolId,
    pub to: SchoolId,
    pub adopted_on: String,
    /// Where the arrow is drawn.
    pub x1: i64,
    pub y1: i64,
    pub x2: i64,
    pub y2: i64,
}

/// How far a practice travelled: what a ministry reads first.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Reach {
    /// Schools that adopted it (beyond its own).
    pub schools: usize,
    /// Networks and regions of every school that applies it, its own included.
    pub networks: usize,
    pub regions: usize,
    /// Networks and regions reached beyond those of its own schools.
    pub new_networks: usize,
    pub new_regions: usize,
    /// The longest chain of adoptions (1: adopted from its schools only).
    pub generations: usize,
}

/// The replication graph of a practice, laid out.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    pub reach: Reach,
    /// The regions in the order of their colours.
    pub regions: Vec<String>,
    /// Size of the drawing.
    pub width: i64,
    pub height: i64,
}

/// Horizontal distance between generations, vertical between schools.
const COLUMN: i64 = 240;
const ROW: i64 = 56;
const MARGIN: i64 = 30;
/// Colours of the regions (readable on white, distinct for most colour
/// vision); regions beyond the palette reuse it.
pub const PALETTE: [&str; 8] = [
    "#1f5fa8", "#c0392b", "#1e8449", "#8e44ad", "#b9770e", "#117a8b", "#7b4f2c", "#5d6d7e",
];

fn names(list: &str) -> impl Iterator<Item = &str> {
    list.split(", ").filter(|n| !n.is_empty())
}

impl Graph {
    /// Lays out the tree: the practice's schools in the first column, each
    /// generation of adopters in the next, in order of adoption.
    /// `edges`: (from, to, date), oldest first.
    pub fn build(
        origins: &[SchoolId],
        schools: &[GraphSchool],
        edges: &[(SchoolId, SchoolId, String)],
    ) -> Graph {
        let by_id: BTreeMap<SchoolId, &GraphSchool> = schools.iter().map(|s| (s.id, s)).collect();
        let mut depth: BTreeMap<SchoolId, usize> = origins.iter().map(|s| (*s, 0)).collect();
        let mut order: Vec<SchoolId> = origins.to_vec();
        // Edges come oldest first and each from a school that had it, so one
        // pass gives every depth; a second catches any out-of-order date.
        for _ in 0..2 {
            for (from, to, _) in edges {
                if let Some(d) = depth.get(from).copied() {
                    if !depth.contains_key(to) {
                        order.push(*to);
                    }
                    depth.insert(*to, d + 1);
                }
            }
        }
        let mut regions: Vec<String> = Vec::new();
        let mut rows: BTreeMap<usize, i64> = BTreeMap::new();
        let mut nodes: Vec<GraphNode> = Vec::new();
        for id in &order {
            let Some(school) = by_id.get(id) else { continue };
            let d = depth[id];
            let row = rows.entry(d).or_insert(0);
            let colour = match regions.iter().position(|r| *r == school.region) {
                Some(i) => i,
                None => {
                    regions.push(school.region.clone());
                    regions.len() - 1
                }
            };
            nodes.push(GraphNode {
                school: (*school).clone(),
                origin: d == 0,
                depth: d,
                x: MARGIN + 10 + d as i64 * COLUMN,
                y: MARGIN + 10 + *row * ROW,
                colour: colour % PALETTE.len(),
            });
            *row += 1;
        }
        let at: BTreeMap<SchoolId, (i64, i64)> = nodes.iter().map(|n| (n.school.id, (n.x, n.y))).collect();
        let edges: Vec<GraphEdge> = edges
            .iter()
            .filter_map(|(from, to, date)| {
                let (x1, y1) = *at.get(from)?;
                let (x2, y2) = *at.get(to)?;
                Some(GraphEdge {
                    from: *from,
                    to: *to,
                    adopted_on: date.clone(),
                    x1,
                    y1,
                    x2,
                    y2,
                })
            })
            .collect();
        let reach = reach(&nodes);
        let columns = nodes.iter().map(|n| n.depth).max().unwrap_or(0) as i64 + 1;
        let tallest = rows.values().copied().max().unwrap_or(1);
        Graph {
            width: 2 * MARGIN + columns * COLUMN,
            height: 2 * MARGIN + tallest * ROW,
            nodes,
            edges,
            reach,
            regions,
        }
    }
}

fn reach(nodes: &[GraphNode]) -> Reach {
    let set = |origin_only: bool, f: &dyn Fn(&GraphNode) -> Vec<String>| -> BTreeSet<String> {
        nodes
            .iter()
            .filter(|n| !origin_only || n.origin)
            .flat_map(f)
            .collect()
    };
    let networks = |n: &GraphNode| names(&n.school.networks).map(String::from).collect();
    let regions = |n: &GraphNode| vec![format!("{}/{}", n.school.country, n.school.region)];
    let (all_n, own_n) = (set(false, &networks), set(true, &networks));
    let (all_r, own_r) = (set(false, &regions), set(true, &regions));
    Reach {
        schools: nodes.iter().filter(|n| !n.origin).count(),
        networks: all_n.len(),
        regions: all_r.len(),
        new_networks: all_n.difference(&own_n).count(),
        new_regions: all_r.difference(&own_r).count(),
        generations: nodes.iter().map(|n| n.depth).max().unwrap_or(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ReplicationInput {
        ReplicationInput {
            school_id: "2".into(),
            from_school_id: "1".into(),
            adopted_on: "2026-03-02".into(),
            adaptation: " Menos criterios ".into(),
            outcome: String::new(),
        }
    }

    #[test]
    fn the_form_names_each_bad_field() {
        let ok = input().parse("2026-12-05").unwrap();
        assert_eq!(ok.adaptation, "Menos criterios");
        assert_eq!(ok.school_id, SchoolId(2));
        let errors = ReplicationInput {
            school_id: "x".into(),
            from_school_id: String::new(),
            adopted_on: "2026-02-30".into(),
            adaptation: " ".into(),
            outcome: "y".repeat(5_001),
        }
        .parse("2026-12-05")
        .unwrap_err();
        for field in ["school_id", "from_school_id", "adopted_on", "adaptation", "outcome"] {
            assert!(errors.contains_key(field), "{field}: {errors:?}");
        }
        let future = ReplicationInput {
            adopted_on: "2027-01-01".into(),
            ..input()
        };
        assert!(future.parse("2026-12-05").unwrap_err()["adopted_on"].contains("futura"));
        let itself = ReplicationInput {
            from_school_id: "2".into(),
            ..input()
        };
        assert!(itself.parse("2026-12-05").unwrap_err().contains_key("from_school_id"));
    }

    fn school(id: i64, region: &str, networks: &str) -> GraphSchool {
        GraphSchool {
            id: SchoolId(id),
            name: format!("Escuela {id}"),
            country: "cl".into(),
            region: region.into(),
            networks: networks.into(),
        }
    }

    #[test]
    fn a_chain_is_laid_out_by_generation_and_its_reach_counted() {
        let schools = [
            school(1, "Biobío", "Red A"),
            school(2, "Biobío", "Red A, Red B"),
            school(3, "Maule", "Red C"),
            school(4, "Maule", ""),
        ];
        let edges = [
            (SchoolId(1), SchoolId(2), "2026-01-01".to_string()),
            (SchoolId(2), SchoolId(3), "2026-02-01".to_string()),
            (SchoolId(1), SchoolId(4), "2026-03-01".to_string()),
        ];
        let g = Graph::build(&[SchoolId(1)], &schools, &edges);
        let depth: Vec<(i64, usize)> = g.nodes.iter().map(|n| (n.school.id.0, n.depth)).collect();
        assert_eq!(depth, vec![(1, 0), (2, 1), (3, 2), (4, 1)]);
        assert_eq!(g.edges.len(), 3);
        assert!(g.edges[1].x1 < g.edges[1].x2);
        assert_eq!(g.reach.schools, 3);
        assert_eq!((g.reach.networks, g.reach.new_networks), (3, 2));
        assert_eq!((g.reach.regions, g.reach.new_regions), (2, 1));
        assert_eq!(g.reach.generations, 2);
        assert_eq!(g.regions, vec!["Biobío", "Maule"]);
        // Two schools in the second column sit one under the other.
        assert_ne!(g.nodes[1].y, g.nodes[3].y);
        assert!(g.width > 2 * COLUMN && g.height >= 2 * ROW);
    }
}
