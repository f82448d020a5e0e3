//! Plan summary for the CLI and the app.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{Plan, Rule};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub schools: usize,
    pub clusters: usize,
    pub groups: usize,
    /// Teachers placed in groups.
    pub teachers: usize,
    /// Schools in no cluster.
    pub unplaced_schools: usize,
    pub exceptions: usize,
    /// Rule → (exceptions, schools named).
    pub exceptions_by_rule: BTreeMap<Rule, (usize, usize)>,
}

impl Plan {
    pub fn summary(&self) -> Summary {
        let mut by_rule: BTreeMap<Rule, (usize, usize)> = BTreeMap::new();
        for e in &self.exceptions {
            let entry = by_rule.entry(e.rule).or_default();
            entry.0 += 1;
            entry.1 += e.schools.len();
        }
        Summary {
            schools: self.schools.len(),
            clusters: self.clusters.len(),
            groups: self.clusters.iter().map(|c| c.groups.len()).sum(),
            teachers: self
                .clusters
                .iter()
                .flat_map(|c| &c.groups)
                .map(|g| g.members.len())
                .sum(),
            unplaced_schools: self
                .exceptions
                .iter()
                .filter(|e| e.unplaced)
                .map(|e| e.schools.len())
                .sum(),
            exceptions: self.exceptions.len(),
            exceptions_by_rule: by_rule,
        }
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} escuelas, {} grupos de escuelas, {} grupos de docentes, {} docentes; {} escuelas sin ubicar",
            self.schools, self.clusters, self.groups, self.teachers, self.unplaced_schools
        )?;
        writeln!(f, "{} excepciones:", self.exceptions)?;
        for (rule, (n, s)) in &self.exceptions_by_rule {
            writeln!(f, "  {rule:?}: {n} ({s} escuelas)")?;
        }
        Ok(())
    }
}
