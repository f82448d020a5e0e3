//! Step 4 of the module docs: the host of each cluster, and rule 6 exceptions.

use super::areas::codes;
use super::{Ctx, Draft};
use crate::model::{stages, Exception, Rule, School, Session, Stage};
use crate::text::Text;

/// Final host choice with haversine distances, and rule 6 exceptions (global indices); every
/// cluster over the size limit or missing a stage of its localities is reported with its
/// reason (rule 2), since neither is visible in the plan otherwise.
pub(crate) fn finish(
    ctx: &Ctx,
    session: Session,
    clusters: Vec<Vec<u32>>,
) -> (Vec<Draft>, Vec<Exception>) {
    let mut drafts = Vec::new();
    let mut exceptions = community_notices(ctx, session, &clusters);
    for members in clusters.into_iter().filter(|c| !c.is_empty()) {
        let (host, host_ok) = best_host(ctx, &members);
        if !host_ok {
            exceptions.push(host_exception(ctx, &members, host));
        }
        drafts.push(Draft {
            session,
            members: members.iter().map(|&i| i as usize).collect(),
            host: host as usize,
        });
    }
    (drafts, exceptions)
}

const STAGES: [Stage; 3] = [Stage::Early, Stage::Primaria, Stage::Secundaria];

fn stage_bit(s: &School) -> u8 {
    s.level.stage().map_or(0, |st| st.bit())
}

/// Rule 2 notices for the clusters of one area (global indices).
fn community_notices(ctx: &Ctx, session: Session, clusters: &[Vec<u32>]) -> Vec<Exception> {
    let max = ctx.opts.max_schools_per_cluster;
    let parts = clusters.iter().filter(|c| !c.is_empty()).count();
    let in_area = |st: Stage| {
        clusters
            .iter()
            .flatten()
            .filter(|&&i| stage_bit(&ctx.schools[i as usize]) == st.bit())
            .count()
    };
    let turno = match session {
        Session::Morning => "matutino",
        Session::Afternoon => "vespertino",
    };
    let mut out = Vec::new();
    for members in clusters.iter().filter(|c| !c.is_empty()) {
        if members.len() > max {
            out.push(Exception {
                rule: Rule::Community,
                schools: codes(ctx, members),
                reason: Text::new("planner-joined-over-size")
                    .arg("n", members.len())
                    .arg("max", max),
                suggestion: Text::new("planner-suggest-move-to-neighbour"),
                unplaced: false,
            });
        }
        let want = members.iter().fold(0u8, |m, &i| {
            m | ctx.loc_stage[ctx.loc_of[i as usize] as usize]
        });
        let have = members
            .iter()
            .fold(0u8, |m, &i| m | stage_bit(&ctx.schools[i as usize]));
        let missing = want & !have & STAGES.iter().fold(0, |m, st| m | st.bit());
        if missing == 0 {
            continue;
        }
        let reasons: Vec<Text> = STAGES
            .iter()
            .filter(|st| missing & st.bit() != 0)
            .map(|&st| {
                let n = in_area(st);
                let id = match n {
                    0 => "planner-stage-not-in-shift",
                    n if n < parts => "planner-stage-too-few",
                    _ => "planner-stage-in-neighbours",
                };
                Text::new(id)
                    .text("stage", stages(st.bit()))
                    .arg("n", n)
                    .arg("shift", turno)
                    .arg("parts", parts)
                    .arg("max", max)
            })
            .collect();
        out.push(Exception {
            rule: Rule::Community,
            schools: codes(ctx, members),
            reason: Text::new("planner-group-missing-stages")
                .text("missing", stages(missing))
                .list("reasons", reasons),
            suggestion: Text::new("planner-suggest-bring-stage"),
            unplaced: false,
        });
    }
    out
}

fn host_exception(ctx: &Ctx, members: &[u32], host: u32) -> Exception {
    let need = ctx.groups_for(members.iter().map(|&i| ctx.teachers[i as usize]).sum());
    let h = &ctx.schools[host as usize];
    Exception {
        rule: Rule::Host,
        schools: codes(ctx, members),
        reason: Text::new("planner-host-short")
            .arg("need", need)
            .arg("school", &h.code)
            .arg("classrooms", h.classrooms),
        suggestion: Text::new("planner-suggest-bigger-host"),
        unplaced: false,
    }
}

/// The school with enough classrooms that minimises teacher-km (haversine); ties go to more
/// classrooms. Without one, the school with most classrooms. Global indices.
pub(crate) fn best_host(ctx: &Ctx, members: &[u32]) -> (u32, bool) {
    let need = ctx.groups_for(members.iter().map(|&i| ctx.teachers[i as usize]).sum());
    let travel = |h: u32| -> f64 {
        members
            .iter()
            .map(|&i| ctx.km(i, h) * ctx.teachers[i as usize] as f64)
            .sum()
    };
    let fit = members
        .iter()
        .copied()
        .filter(|&h| ctx.schools[h as usize].classrooms >= need)
        .map(|h| (travel(h), h))
        .min_by(|a, b| {
            a.0.total_cmp(&b.0).then_with(|| {
                ctx.schools[b.1 as usize]
                    .classrooms
                    .cmp(&ctx.schools[a.1 as usize].classrooms)
                    .then(a.1.cmp(&b.1))
            })
        });
    match fit {
        Some((_, h)) => (h, true),
        None => {
            let h = members
                .iter()
                .copied()
                .max_by_key(|&h| (ctx.schools[h as usize].classrooms, std::cmp::Reverse(h)))
                .unwrap_or(0);
            (h, false)
        }
    }
}
