//! Step 4 of the module docs: the host of each cluster, and rule 6 exceptions.

use super::areas::codes;
use super::{Ctx, Draft};
use crate::model::{Exception, Rule, Session};

/// Final host choice with haversine distances, and rule 6 exceptions (global indices).
pub(crate) fn finish(
    ctx: &Ctx,
    session: Session,
    clusters: Vec<Vec<u32>>,
) -> (Vec<Draft>, Vec<Exception>) {
    let mut drafts = Vec::new();
    let mut exceptions = Vec::new();
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

fn host_exception(ctx: &Ctx, members: &[u32], host: u32) -> Exception {
    let need = ctx.groups_for(members.iter().map(|&i| ctx.teachers[i as usize]).sum());
    let h = &ctx.schools[host as usize];
    Exception {
        rule: Rule::Host,
        schools: codes(ctx, members),
        reason: format!(
            "Ninguna escuela del grupo tiene {need} aulas; la que más tiene ({}) tiene {}",
            h.code, h.classrooms
        ),
        suggestion: "Buscar una sede con más aulas (otra escuela o un espacio comunitario) o dividir el grupo de escuelas".into(),
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
