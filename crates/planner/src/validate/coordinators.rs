//! Rule 8: directors coordinate, then deputies and ATPs; a single group rotates its
//! coordinator by level.

use rustc_hash::FxHashSet as HashSet;

use super::{v, Index, Violation};
use crate::model::{Cluster, Group, Level, Role, Rule};
use crate::text::Text;

pub(super) fn check(idx: &Index, c: &Cluster, out: &mut Vec<Violation>) {
    for session in 0..3 {
        let mut used: HashSet<&str> = HashSet::default();
        for (gi, g) in c.groups.iter().enumerate() {
            let id = g.coordinators[session].as_str();
            if !used.insert(id) {
                out.push(v(
                    Rule::Coordinators,
                    Some(c.id),
                    Some(gi),
                    vec![],
                    Text::new("planner-v-coordinates-twice")
                        .arg("teacher", id)
                        .arg("session", session + 1),
                ));
            }
            if !g.members.iter().any(|m| m.teacher == id) {
                out.push(v(
                    Rule::Coordinators,
                    Some(c.id),
                    Some(gi),
                    vec![],
                    Text::new("planner-v-coordinator-outside")
                        .arg("teacher", id)
                        .arg("session", session + 1)
                        .arg("group", gi + 1),
                ));
            }
        }
        let coordinating: HashSet<&str> = c
            .groups
            .iter()
            .map(|g| g.coordinators[session].as_str())
            .collect();
        if c.groups.len() > 1 {
            for (gi, g) in c.groups.iter().enumerate() {
                leader_first(idx, c.id, gi, g, session, &coordinating, out);
            }
        }
    }
    if let [g] = c.groups.as_slice() {
        rotation(idx, c.id, g, out);
    }
}

fn role(idx: &Index, teacher: &str) -> Option<Role> {
    idx.teacher.get(teacher).map(|t| t.1)
}

fn rank(r: Role) -> u8 {
    match r {
        Role::Director => 0,
        Role::Subdirector | Role::Atp => 1,
        Role::Teacher => 2,
    }
}

/// With several groups: a group is coordinated by a non-director only when no director of
/// the group is free in that session, and by a teacher only when no deputy or ATP is free.
fn leader_first(
    idx: &Index,
    cid: usize,
    gi: usize,
    g: &Group,
    session: usize,
    coordinating: &HashSet<&str>,
    out: &mut Vec<Violation>,
) {
    let Some(r) = role(idx, &g.coordinators[session]) else {
        return;
    };
    let idle_better = g.members.iter().find(|m| {
        !coordinating.contains(m.teacher.as_str())
            && role(idx, &m.teacher).is_some_and(|mr| rank(mr) < rank(r))
    });
    if let Some(m) = idle_better {
        out.push(v(
            Rule::Coordinators,
            Some(cid),
            Some(gi),
            vec![m.school.clone()],
            Text::new("planner-v-lower-rank-coordinates")
                .arg("session", session + 1)
                .arg("group", gi + 1)
                .arg("teacher", &g.coordinators[session])
                .arg("better", &m.teacher),
        ));
    }
}

/// A single group: session 1 the highest level, session 2 primaria, session 3 preescolar or
/// inicial, each by the best-ranked member of that school.
fn rotation(idx: &Index, cid: usize, g: &Group, out: &mut Vec<Violation>) {
    let levels: Vec<Level> = g
        .members
        .iter()
        .filter_map(|m| idx.school.get(m.school.as_str()).map(|s| s.level))
        .collect();
    let height = |l: Level| match l {
        Level::Cam => 0,
        Level::Inicial => 1,
        Level::Preescolar => 2,
        Level::Primaria => 3,
        Level::Secundaria => 4,
    };
    let top = levels.iter().map(|&l| height(l)).max().unwrap_or(0);
    let has = |f: &dyn Fn(Level) -> bool| levels.iter().any(|&l| f(l));
    type Want<'w> = (bool, &'w dyn Fn(Level) -> bool, &'w str);
    let wants: [Want; 3] = [
        (true, &|l| height(l) == top, "planner-rotation-highest"),
        (
            has(&|l| l == Level::Primaria),
            &|l| l == Level::Primaria,
            "planner-rotation-primaria",
        ),
        (
            has(&|l| matches!(l, Level::Preescolar | Level::Inicial)),
            &|l| matches!(l, Level::Preescolar | Level::Inicial),
            "planner-rotation-early",
        ),
    ];
    for (session, (applies, ok, what)) in wants.iter().enumerate() {
        let id = g.coordinators[session].as_str();
        let Some((school, r)) = idx.teacher.get(id).copied() else {
            continue;
        };
        let Some(s) = idx.school.get(school) else {
            continue;
        };
        if *applies && !ok(s.level) {
            out.push(v(
                Rule::Coordinators,
                Some(cid),
                Some(0),
                vec![s.code.clone()],
                Text::new("planner-v-rotation-level")
                    .arg("session", session + 1)
                    .text("what", Text::new(what))
                    .arg("teacher", id)
                    .arg("level", s.level.name_es()),
            ));
        }
        let best = g
            .members
            .iter()
            .filter(|m| m.school == school)
            .filter_map(|m| role(idx, &m.teacher))
            .map(rank)
            .min();
        if best.is_some_and(|b| b < rank(r)) {
            out.push(v(
                Rule::Coordinators,
                Some(cid),
                Some(0),
                vec![s.code.clone()],
                Text::new("planner-v-director-idle")
                    .arg("session", session + 1)
                    .arg("teacher", id),
            ));
        }
    }
}
