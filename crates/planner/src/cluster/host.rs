//! Step 4 of the module docs: the host of each cluster, and rule 6 exceptions.

use super::areas::codes;
use super::{Ctx, Draft};
use crate::model::{Exception, Rule, School, Session, Stage};

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

const STAGES: [(Stage, &str); 3] = [
    (Stage::Early, "inicial o preescolar"),
    (Stage::Primaria, "primaria"),
    (Stage::Secundaria, "secundaria"),
];

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
                reason: format!(
                    "El grupo de escuelas tiene {} escuelas (máximo {max}): una localidad de un solo nivel se unió a la más cercana con otro nivel y no había otra forma de darle un segundo nivel",
                    members.len()
                ),
                suggestion: "Revisar con el supervisor si conviene mover una escuela a un grupo de escuelas vecino (reasignar)".into(),
                unplaced: false,
            });
        }
        let want = members.iter().fold(0u8, |m, &i| {
            m | ctx.loc_stage[ctx.loc_of[i as usize] as usize]
        });
        let have = members
            .iter()
            .fold(0u8, |m, &i| m | stage_bit(&ctx.schools[i as usize]));
        let reasons: Vec<String> = STAGES
            .iter()
            .filter(|(st, _)| want & !have & st.bit() != 0)
            .map(|&(st, name)| match in_area(st) {
                0 => format!("sus localidades no tienen {name} en el turno {turno}"),
                n if n < parts => format!(
                    "hay {n} escuelas de {name} en el turno {turno} para {parts} grupos de escuelas de máximo {max} escuelas"
                ),
                _ => format!(
                    "las escuelas de {name} de la localidad quedaron en grupos de escuelas vecinos por el límite de {max} escuelas"
                ),
            })
            .collect();
        if reasons.is_empty() {
            continue;
        }
        let missing: Vec<&str> = STAGES
            .iter()
            .filter(|(st, _)| want & !have & st.bit() != 0)
            .map(|(_, n)| *n)
            .collect();
        out.push(Exception {
            rule: Rule::Community,
            schools: codes(ctx, members),
            reason: format!(
                "Grupo de escuelas sin {} del trayecto de sus alumnos: {}",
                missing.join(" ni "),
                reasons.join("; ")
            ),
            suggestion: "Confirmar con el supervisor de zona; si hay una escuela cercana de ese nivel, moverla a este grupo de escuelas (reasignar)".into(),
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
