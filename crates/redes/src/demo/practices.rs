//! Demo good practices (issue 12): the practices of seed 001's networks
//! (`demo/practices/`: the people they need, then the networks from Arica
//! to Santiago and from O'Higgins to Magallanes), written from what the seed says each network
//! does, taken along the cycle of seed 002 to different points: identified,
//! documented, systematized, under review (reviews sent and pending, one
//! sent back), published and replicated across networks and regions.
//!
//! Each step is decided as the pages decide it — the same parsing, the
//! same `Principal` methods for the person who takes it, the same list of
//! what the next status needs — and written by the practices store's own
//! write functions, inside the demo's one transaction.

use std::collections::{BTreeMap, HashMap};

use anyhow::{anyhow, ensure, Context};
use serde::Deserialize;
use sqlx::AnyConnection;
use time::{Date, Duration};

use crate::auth::policy::{PracticeStep, Principal};
use crate::country::Country;
use crate::demo::DemoIds;
use crate::ids::{NetworkId, PersonId, PracticeId, SchoolId};
use crate::networks::model::Network;
use crate::people::{self, MembershipInput, NewPerson};
use crate::practices::model::replications::ReplicationInput;
use crate::practices::model::reviews::{ReplyInput, ReviewInput, ScoreInput};
use crate::practices::model::{missing, Practice, PracticeInput, PracticeStatus};
use crate::practices::store::{self, replications, reviews};

const PEOPLE_JSON: &str = include_str!("../../demo/practices/people.json");
const NORTH_JSON: &str = include_str!("../../demo/practices/north.json");
const SOUTH_JSON: &str = include_str!("../../demo/practices/south.json");

/// The demo's "today" for what the store dates by the calendar (a
/// replication may not be adopted in the future): the end of the school
/// year after seed 001's, so every adoption of 2017–2018 is in the past.
const DEMO_TODAY: &str = "2018-12-14";

#[derive(Deserialize)]
struct People {
    people: Vec<Person>,
}

#[derive(Deserialize)]
struct Practices {
    practices: Vec<Item>,
}

/// A person of a school (`school`: RBD) or a network's coordinator
/// (`network`: its demo id) the practices need, without an account.
#[derive(Deserialize)]
struct Person {
    name: String,
    role: String,
    #[serde(default)]
    school: String,
    #[serde(default)]
    network: String,
}

#[derive(Deserialize)]
struct Item {
    network: String,
    /// RBDs of member schools.
    schools: Vec<String>,
    /// Demo usernames or names of `people`; the first one writes it.
    authors: Vec<String>,
    /// Who sends it to review: the network's coordinator.
    #[serde(default)]
    coordinator: String,
    /// Who assigns its reviewers and decides (a reviewer of the territory).
    #[serde(default = "ministry")]
    decides: String,
    status: PracticeStatus,
    #[serde(flatten)]
    text: PracticeInput,
    evidence: Option<Evidence>,
    #[serde(default)]
    reviews: Vec<ReviewData>,
    /// Sent back from review to systematized, with this comment.
    sent_back: Option<String>,
    #[serde(default)]
    replications: Vec<ReplicationData>,
}

fn ministry() -> String {
    "ministerio".into()
}

#[derive(Deserialize)]
struct Evidence {
    name: String,
    text: String,
}

/// A review: pending while `comment` is empty; otherwise sent with one
/// score per criterion of seed 002's rubric and comments on some (by
/// criterion, from 1).
#[derive(Deserialize)]
struct ReviewData {
    reviewer: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    scores: Vec<i64>,
    #[serde(default)]
    notes: BTreeMap<i64, String>,
    reply: Option<Reply>,
}

#[derive(Deserialize)]
struct Reply {
    by: String,
    text: String,
}

#[derive(Deserialize)]
struct ReplicationData {
    school: String,
    from: String,
    on: String,
    by: String,
    adaptation: String,
    outcome: String,
}

/// Why each step is taken, as the history of the practice shows it.
fn step_comment(to: PracticeStatus) -> &'static str {
    match to {
        PracticeStatus::Documented => "Registro completado en la sesión de red.",
        PracticeStatus::Systematized => {
            "Resultados, aprendizajes y vínculo con el PEI y el PME revisados por el equipo de gestión."
        }
        PracticeStatus::UnderReview => "La red la presenta para la revisión de pares.",
        PracticeStatus::Published => {
            "Revisiones de pares terminadas: se publica para que otras redes la conozcan."
        }
        _ => "",
    }
}

/// The people and their ids: demo accounts by username, the people this
/// file adds by name.
struct Who<'a> {
    ids: &'a DemoIds,
    added: HashMap<String, PersonId>,
}

impl Who<'_> {
    fn id(&self, key: &str) -> anyhow::Result<PersonId> {
        self.ids
            .people
            .get(key)
            .or_else(|| self.added.get(key))
            .copied()
            .ok_or_else(|| anyhow!("demo practices: no person {key:?}"))
    }

    fn account(&self, key: &str) -> anyhow::Result<PersonId> {
        self.ids
            .people
            .get(key)
            .copied()
            .ok_or_else(|| anyhow!("demo practices: {key:?} has no account"))
    }

    async fn principal(&self, conn: &mut AnyConnection, key: &str) -> anyhow::Result<Principal> {
        crate::auth::store::principal_in(conn, self.id(key)?)
            .await?
            .ok_or_else(|| anyhow!("demo practices: {key:?} is archived"))
    }

    fn network(&self, key: &str) -> anyhow::Result<NetworkId> {
        self.ids
            .networks
            .get(key)
            .copied()
            .ok_or_else(|| anyhow!("demo practices: no network {key}"))
    }
}

/// Loads the practices, after the networks, schools and demo accounts.
pub async fn load(conn: &mut AnyConnection, ids: &DemoIds) -> anyhow::Result<()> {
    let people: People = serde_json::from_str(PEOPLE_JSON).context("practices/people.json")?;
    let mut who = Who {
        ids,
        added: HashMap::new(),
    };
    for p in &people.people {
        let id = add_person(conn, &who, p).await?;
        who.added.insert(p.name.clone(), id);
    }
    let mut items = Vec::new();
    for (name, text) in [("north", NORTH_JSON), ("south", SOUTH_JSON)] {
        let part: Practices =
            serde_json::from_str(text).with_context(|| format!("practices/{name}.json"))?;
        items.extend(part.practices);
    }
    for item in &items {
        load_practice(conn, &who, item)
            .await
            .with_context(|| format!("demo practice {:?}", item.text.title))?;
    }
    Ok(())
}

async fn add_person(
    conn: &mut AnyConnection,
    who: &Who<'_>,
    p: &Person,
) -> anyhow::Result<PersonId> {
    let person = NewPerson {
        full_name: p.name.clone(),
        email: String::new(),
        username: None,
        password: None,
        is_admin: false,
    };
    let id = people::insert(conn, &person).await?;
    let mut m = MembershipInput {
        role: p.role.clone(),
        country: "cl".into(),
        starts_on: "2015-01-01".into(),
        ..Default::default()
    };
    if p.network.is_empty() {
        m.school_code = p.school.clone();
    } else {
        m.network_id = who.network(&p.network)?.to_string();
    }
    people::grant(conn, id, &m)
        .await
        .map_err(|e| anyhow!("demo person {}: {e:?}", p.name))?;
    Ok(id)
}

async fn school(conn: &mut AnyConnection, code: &str) -> anyhow::Result<SchoolId> {
    crate::schools::store::id_by_code(conn, Country::Cl, code)
        .await?
        .ok_or_else(|| anyhow!("demo practices: no school {code}"))
}

async fn load_practice(conn: &mut AnyConnection, who: &Who<'_>, item: &Item) -> anyhow::Result<()> {
    let network_id = who.network(&item.network)?;
    let network = crate::networks::store::load(conn, network_id).await?;
    let mut school_ids = Vec::new();
    for code in &item.schools {
        let id = crate::plans::store::member_school_by_code(conn, network_id, code)
            .await?
            .ok_or_else(|| anyhow!("school {code} is not in {}", item.network))?;
        school_ids.push(id);
    }
    let authors: Vec<PersonId> = item
        .authors
        .iter()
        .map(|a| who.id(a))
        .collect::<anyhow::Result<_>>()?;
    let input = PracticeInput {
        network_id: network_id.to_string(),
        school_ids: school_ids.iter().map(|s| s.0).collect(),
        author_ids: authors.iter().map(|a| a.0).collect(),
        ..item.text.clone()
    };
    let new = input.parse().map_err(|e| anyhow!("{e:?}"))?;
    let writer = who.principal(conn, &item.authors[0]).await?;
    ensure!(
        writer.can_create_practice(&network.policy(), &school_ids),
        "{} may not document it",
        item.authors[0]
    );
    store::check_links(conn, network_id, &new)
        .await
        .map_err(|e| anyhow!("{e:?}"))?;
    let id = store::insert(conn, &network, &new, writer.person_id).await?;

    use PracticeStatus::*;
    for to in [Documented, Systematized, UnderReview] {
        if item.status < to && !(to == UnderReview && item.sent_back.is_some()) {
            break;
        }
        if to == UnderReview {
            if let Some(e) = &item.evidence {
                attach(conn, &network, &writer, &authors, id, e).await?;
            }
        }
        let (by, step) = match to {
            UnderReview => (item.coordinator.as_str(), PracticeStep::SendToReview),
            _ => (item.authors[0].as_str(), PracticeStep::Document),
        };
        step_to(
            conn,
            who,
            &network,
            &authors,
            id,
            to,
            by,
            step,
            step_comment(to),
        )
        .await?;
    }
    if item.status < UnderReview && item.sent_back.is_none() {
        ensure!(
            item.reviews.is_empty(),
            "reviews of a practice never sent to review"
        );
        if let Some(e) = &item.evidence {
            attach(conn, &network, &writer, &authors, id, e).await?;
        }
        date_life(conn, id, item).await?;
        return check_status(conn, id, item.status).await;
    }
    review(conn, who, &network, &authors, id, item).await?;
    if let Some(comment) = &item.sent_back {
        step_to(
            conn,
            who,
            &network,
            &authors,
            id,
            Systematized,
            &item.decides,
            PracticeStep::Decide,
            comment,
        )
        .await?;
    } else if item.status >= Published {
        step_to(
            conn,
            who,
            &network,
            &authors,
            id,
            Published,
            &item.decides,
            PracticeStep::Decide,
            step_comment(Published),
        )
        .await?;
    }
    date_life(conn, id, item).await?;
    for r in &item.replications {
        replicate(conn, who, id, r).await?;
    }
    if let Some(first) = first_adoption(item) {
        store::dates::date_move(conn, id, Replicated, day(first)?).await?;
    }
    check_status(conn, id, item.status).await
}

fn first_adoption(item: &Item) -> Option<&str> {
    item.replications.iter().map(|r| r.on.as_str()).min()
}

/// The store dates what it writes now: the practice's life is moved to
/// before its first adoption (until a week before; before the demo's today
/// if none), a fortnight between moments.
async fn date_life(conn: &mut AnyConnection, id: PracticeId, item: &Item) -> anyhow::Result<()> {
    let until = day(first_adoption(item).unwrap_or(DEMO_TODAY))? - Duration::days(7);
    store::dates::spread(conn, id, until, Duration::days(14)).await?;
    Ok(())
}

fn day(text: &str) -> anyhow::Result<Date> {
    Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .with_context(|| format!("date {text}"))
}

async fn check_status(
    conn: &mut AnyConnection,
    id: PracticeId,
    want: PracticeStatus,
) -> anyhow::Result<()> {
    let got = store::load(conn, id).await?.status;
    ensure!(got == want, "ended {got:?}, the file says {want:?}");
    Ok(())
}

/// Attaches the evidence as an upload would: checked by content and name,
/// by someone who may edit the practice, before it goes to review.
async fn attach(
    conn: &mut AnyConnection,
    network: &Network,
    by: &Principal,
    authors: &[PersonId],
    id: PracticeId,
    e: &Evidence,
) -> anyhow::Result<()> {
    let practice = store::load(conn, id).await?;
    ensure!(
        by.can_edit_practice(&network.policy(), authors) && practice.status.is_editable(),
        "evidence attached by someone who may not"
    );
    let (name, content_type) = crate::meetings::store::documents::check(&e.name, e.text.as_bytes())
        .map_err(|err| anyhow!("evidence {}: {err:?}", e.name))?;
    store::insert_file(
        conn,
        id,
        &name,
        content_type,
        e.text.as_bytes(),
        by.person_id,
    )
    .await?;
    Ok(())
}

/// One move of the lifecycle, as `store::transition` decides it: a move
/// that follows from the status, by a person of that step, with what the
/// next status needs (a comment when going back).
#[allow(clippy::too_many_arguments)]
async fn step_to(
    conn: &mut AnyConnection,
    who: &Who<'_>,
    network: &Network,
    authors: &[PersonId],
    id: PracticeId,
    to: PracticeStatus,
    by: &str,
    step: PracticeStep,
    comment: &str,
) -> anyhow::Result<()> {
    let practice: Practice = store::load(conn, id).await?;
    ensure!(
        practice.status.moves().contains(&(to, step)),
        "{:?} does not move to {to:?}",
        practice.status
    );
    let p = who.principal(conn, by).await?;
    ensure!(
        p.can_move_practice(&network.policy(), authors, step),
        "{by} may not move it to {to:?}"
    );
    if to < practice.status {
        ensure!(!comment.is_empty(), "sent back without a comment");
    } else {
        let lacks = missing(&practice, store::completeness(conn, id).await?, to);
        ensure!(lacks.is_empty(), "to reach {to:?} it lacks {lacks:?}");
    }
    store::move_to(conn, &practice, to, comment, p.person_id).await?;
    Ok(())
}

/// Assigns the reviewers (a reviewer of the territory, never an author
/// reviewed), sends the reviews that are written and the authors' replies.
async fn review(
    conn: &mut AnyConnection,
    who: &Who<'_>,
    network: &Network,
    authors: &[PersonId],
    id: PracticeId,
    item: &Item,
) -> anyhow::Result<()> {
    let assigner = who.principal(conn, &item.decides).await?;
    ensure!(
        assigner.can_assign_reviewers(&network.policy()),
        "{} may not assign reviewers",
        item.decides
    );
    let practice = store::load(conn, id).await?;
    let rubric = reviews::rubric_of(conn, &practice).await?;
    for r in &item.reviews {
        let reviewer = who.account(&r.reviewer)?;
        ensure!(
            Principal::may_be_reviewer(reviewer, authors),
            "{} reviews their own practice",
            r.reviewer
        );
        let review_id = reviews::insert_assignment(conn, id, reviewer, assigner.person_id).await?;
        if r.comment.is_empty() {
            ensure!(r.reply.is_none(), "a reply to a review not sent");
            continue;
        }
        let p = who.principal(conn, &r.reviewer).await?;
        ensure!(
            p.can_write_review(reviewer, authors),
            "{} may not write it",
            r.reviewer
        );
        let input = ReviewInput {
            comment: r.comment.clone(),
            scores: r
                .scores
                .iter()
                .enumerate()
                .map(|(i, score)| {
                    let criterion = i as i64 + 1;
                    ScoreInput {
                        criterion,
                        score: *score,
                        comment: r.notes.get(&criterion).cloned().unwrap_or_default(),
                    }
                })
                .collect(),
        };
        let (comment, scores) = input
            .parse(rubric.criteria.len())
            .map_err(|e| anyhow!("review by {}: {e:?}", r.reviewer))?;
        reviews::write_review(conn, review_id, &rubric, &comment, &scores).await?;
        if let Some(reply) = &r.reply {
            let p = who.principal(conn, &reply.by).await?;
            ensure!(p.can_reply_to_review(authors), "{} may not reply", reply.by);
            let text = ReplyInput {
                reply: reply.text.clone(),
            }
            .parse()
            .map_err(|e| anyhow!("{e:?}"))?;
            reviews::write_reply(conn, review_id, &text, p.person_id).await?;
        }
    }
    Ok(())
}

/// A school records that it adopted the practice, as the replication form
/// does: a person of that school or its network's coordination, a form
/// checked against the demo's today, the schools checked by the store.
async fn replicate(
    conn: &mut AnyConnection,
    who: &Who<'_>,
    id: PracticeId,
    r: &ReplicationData,
) -> anyhow::Result<()> {
    let school_id = school(conn, &r.school).await?;
    let input = ReplicationInput {
        school_id: school_id.to_string(),
        from_school_id: school(conn, &r.from).await?.to_string(),
        adopted_on: r.on.clone(),
        adaptation: r.adaptation.clone(),
        outcome: r.outcome.clone(),
    };
    let new = input
        .parse(DEMO_TODAY)
        .map_err(|e| anyhow!("replication by {}: {e:?}", r.school))?;
    let p = who.principal(conn, &r.by).await?;
    let networks = replications::school_networks(conn, school_id).await?;
    ensure!(
        p.can_record_replication(school_id, &networks),
        "{} may not record it for {}",
        r.by,
        r.school
    );
    replications::insert(conn, id, &new, p.person_id)
        .await
        .map_err(|e| anyhow!("replication by {}: {e:?}", r.school))?;
    Ok(())
}
