//! Rule 7 (groups) and rule 8 (coordinators) for one cluster.
//!
//! * Number of groups `g = ceil(T / max)`: the fewest that keep every group within the limit.
//! * Every CTE of `n` teachers puts `floor(n / g)` teachers in every group; its remainder
//!   `n mod g` goes to the currently smallest groups, CTEs with the largest remainder first.
//!   Group sizes therefore differ by at most one and every CTE with at least `g` teachers is
//!   in every group.
//! * Directors are matched to groups (bipartite matching) so that as many groups as possible
//!   have a director to coordinate them; deputies and ATPs then cover the rest.
//! * The remaining teachers of each CTE are dealt round-robin in order of grade or subject, so
//!   that each group mixes grades, cycles and subjects.

use crate::model::{CteMember, Group, Level, Member, Role, School};

/// Builds the groups and their coordinators for the schools of one cluster.
pub(crate) fn make_groups(schools: &[&School], max_group_size: u32) -> Vec<Group> {
    let sizes: Vec<usize> = schools.iter().map(|s| s.cte.len()).collect();
    let total: usize = sizes.iter().sum();
    let max = max_group_size.max(1) as usize;
    let g = total.div_ceil(max);
    if g == 0 {
        return Vec::new();
    }
    let counts = spread_counts(&sizes, g);
    let mut slots = counts.clone();
    let mut groups: Vec<Vec<Member>> = (0..g)
        .map(|_| Vec::with_capacity(total.div_ceil(g)))
        .collect();
    let mut leader_of_group: Vec<Option<(usize, usize)>> = vec![None; g];
    let mut placed: Vec<Vec<bool>> = schools.iter().map(|s| vec![false; s.cte.len()]).collect();

    // Directors first, then deputies and ATPs for the groups still without a leader.
    for wanted in [Role::Director, Role::Subdirector] {
        let candidates: Vec<(usize, usize)> = schools
            .iter()
            .enumerate()
            .flat_map(|(si, s)| {
                s.cte
                    .iter()
                    .enumerate()
                    .filter(move |(_, m)| leader_class(m.role) == wanted)
                    .map(move |(mi, _)| (si, mi))
            })
            .filter(|&(si, mi)| !placed[si][mi])
            .collect();
        let open: Vec<usize> = (0..g).filter(|&k| leader_of_group[k].is_none()).collect();
        let matching = match_leaders(&candidates, &open, &slots);
        for (ci, k) in matching {
            let (si, mi) = candidates[ci];
            place(&mut groups, &mut slots, &mut placed, schools, si, mi, k);
            leader_of_group[k] = Some((si, mi));
        }
        if wanted == Role::Director {
            // Directors left over still go before the ordinary teachers, into any free slot.
            for &(si, mi) in &candidates {
                if !placed[si][mi] {
                    if let Some(k) = (0..g).find(|&k| slots[si][k] > 0) {
                        place(&mut groups, &mut slots, &mut placed, schools, si, mi, k);
                    }
                }
            }
        }
    }
    deal_round_robin(&mut groups, &mut slots, &mut placed, schools);

    let coordinators = if g == 1 {
        vec![rotation(schools, &groups[0])]
    } else {
        (0..g)
            .map(|k| {
                let id = match leader_of_group[k] {
                    Some((si, mi)) => schools[si].cte[mi].teacher_id.clone(),
                    None => best_member(schools, &groups[k]),
                };
                [id.clone(), id.clone(), id]
            })
            .collect()
    };
    groups
        .into_iter()
        .zip(coordinators)
        .map(|(members, coordinators)| Group {
            members,
            coordinators,
        })
        .collect()
}

fn leader_class(role: Role) -> Role {
    match role {
        Role::Atp => Role::Subdirector,
        r => r,
    }
}

/// Per-CTE, per-group teacher counts (see module docs).
pub(crate) fn spread_counts(sizes: &[usize], g: usize) -> Vec<Vec<usize>> {
    let mut counts: Vec<Vec<usize>> = sizes.iter().map(|&n| vec![n / g; g]).collect();
    let mut group_size = vec![sizes.iter().map(|&n| n / g).sum::<usize>(); g];
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    // Largest remainder first; among equals the bigger CTE first, then input order.
    order.sort_by_key(|&i| {
        (
            std::cmp::Reverse(sizes[i] % g),
            std::cmp::Reverse(sizes[i]),
            i,
        )
    });
    let mut by_size: Vec<usize> = (0..g).collect();
    for i in order {
        let r = sizes[i] % g;
        if r == 0 {
            continue;
        }
        by_size.sort_by_key(|&k| (group_size[k], k));
        for &k in &by_size[..r] {
            counts[i][k] += 1;
            group_size[k] += 1;
        }
    }
    counts
}

/// Maximum bipartite matching (Kuhn) of leaders to open groups where their CTE has a free
/// slot. Returns (candidate index, group) pairs.
fn match_leaders(
    candidates: &[(usize, usize)],
    open: &[usize],
    slots: &[Vec<usize>],
) -> Vec<(usize, usize)> {
    let mut group_to: Vec<Option<usize>> = vec![None; open.len()];
    for c in 0..candidates.len() {
        let mut seen = vec![false; open.len()];
        augment(c, candidates, open, slots, &mut group_to, &mut seen);
    }
    group_to
        .iter()
        .enumerate()
        .filter_map(|(oi, c)| c.map(|c| (c, open[oi])))
        .collect()
}

fn augment(
    c: usize,
    candidates: &[(usize, usize)],
    open: &[usize],
    slots: &[Vec<usize>],
    group_to: &mut [Option<usize>],
    seen: &mut [bool],
) -> bool {
    let si = candidates[c].0;
    for oi in 0..open.len() {
        if seen[oi] || slots[si][open[oi]] == 0 {
            continue;
        }
        seen[oi] = true;
        let free = match group_to[oi] {
            None => true,
            Some(other) => augment(other, candidates, open, slots, group_to, seen),
        };
        if free {
            group_to[oi] = Some(c);
            return true;
        }
    }
    false
}

fn place(
    groups: &mut [Vec<Member>],
    slots: &mut [Vec<usize>],
    placed: &mut [Vec<bool>],
    schools: &[&School],
    si: usize,
    mi: usize,
    k: usize,
) {
    groups[k].push(Member {
        school: schools[si].code.clone(),
        teacher: schools[si].cte[mi].teacher_id.clone(),
    });
    slots[si][k] -= 1;
    placed[si][mi] = true;
}

/// Deals each CTE's remaining teachers over its free slots in order of assignment, starting
/// each CTE at a different group so that grades mix across schools too.
fn deal_round_robin(
    groups: &mut [Vec<Member>],
    slots: &mut [Vec<usize>],
    placed: &mut [Vec<bool>],
    schools: &[&School],
) {
    let g = groups.len();
    for (si, s) in schools.iter().enumerate() {
        let mut rest: Vec<usize> = (0..s.cte.len()).filter(|&mi| !placed[si][mi]).collect();
        rest.sort_by(|&a, &b| order_key(&s.cte[a]).cmp(&order_key(&s.cte[b])));
        let mut k = si % g;
        for mi in rest {
            while slots[si][k] == 0 {
                k = (k + 1) % g;
            }
            place(groups, slots, placed, schools, si, mi, k);
            k = (k + 1) % g;
        }
    }
}

fn order_key(m: &CteMember) -> (u8, &str, &str) {
    (m.role.coordinator_rank(), &m.assignment, &m.teacher_id)
}

/// The best-ranked member of a group (director, then deputy or ATP, then teacher).
fn best_member(schools: &[&School], members: &[Member]) -> String {
    members
        .iter()
        .filter_map(|m| lookup(schools, m))
        .min_by(|a, b| order_key(a).cmp(&order_key(b)))
        .map(|m| m.teacher_id.clone())
        .unwrap_or_default()
}

fn lookup<'a>(schools: &[&'a School], m: &Member) -> Option<&'a CteMember> {
    let s = schools.iter().find(|s| s.code == m.school)?;
    s.cte.iter().find(|c| c.teacher_id == m.teacher)
}

/// Rule 8 with a single group: session 1 the highest level, session 2 primaria, session 3
/// preescolar or inicial; when a level is absent another school takes its turn.
fn rotation(schools: &[&School], members: &[Member]) -> [String; 3] {
    let leads: Vec<(&School, String)> = schools
        .iter()
        .filter_map(|s| {
            let own: Vec<Member> = members
                .iter()
                .filter(|m| m.school == s.code)
                .cloned()
                .collect();
            (!own.is_empty()).then(|| (*s, best_member(&[*s], &own)))
        })
        .collect();
    if leads.is_empty() {
        return Default::default();
    }
    let mut used: Vec<usize> = Vec::new();
    let first = pick(&leads, &used, |s| {
        let top = leads
            .iter()
            .map(|(x, _)| x.level.height())
            .max()
            .unwrap_or(0);
        s.level.height() == top
    });
    used.push(first);
    let second = pick(&leads, &used, |s| s.level == Level::Primaria);
    used.push(second);
    let third = pick(&leads, &used, |s| {
        matches!(s.level, Level::Preescolar | Level::Inicial)
    });
    [first, second, third].map(|i| leads[i].1.clone())
}

/// Index of a school matching `want`, preferring one that has not coordinated yet and the
/// bigger CTE; if none matches, any school not used yet, the highest level first.
fn pick(leads: &[(&School, String)], used: &[usize], want: impl Fn(&School) -> bool) -> usize {
    let key = |i: usize| {
        let s = leads[i].0;
        (
            used.contains(&i),
            std::cmp::Reverse(s.level == Level::Preescolar),
            std::cmp::Reverse(s.cte.len()),
            i,
        )
    };
    let matching: Vec<usize> = (0..leads.len()).filter(|&i| want(leads[i].0)).collect();
    if let Some(&i) = matching.iter().min_by_key(|&&i| key(i)) {
        return i;
    }
    (0..leads.len())
        .min_by_key(|&i| {
            (
                used.contains(&i),
                std::cmp::Reverse(leads[i].0.level.height()),
                i,
            )
        })
        .unwrap_or(0)
}
