//! The peer review pages (issue 12, item 3): the review section of a
//! practice's page (rubric in force, reviews with their scores, the
//! combined score, the authors' replies, assigning reviewers), the review
//! form of an assigned reviewer, and the rubrics of countries and regions
//! (list, creation, editing) for the ministry and the secretariats.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use minijinja::{context, Value};

use super::model::reviews::{
    combined, AssignInput, ReplyInput, Review, ReviewInput, Rubric, RubricInput,
    RubricPlaceInput, MAX_CRITERIA, SEED_002,
};
use super::model::{Practice, PracticeStatus, TransitionInput};
use super::store::{self, reviews};
use crate::auth::policy::Principal;
use crate::auth::{Ctx, User};
use crate::country::Country;
use crate::db::Db;
use crate::error::{AppError, FieldErrors};
use crate::ids::{PersonId, PracticeId, ReviewId, RubricId};
use crate::networks::model::Network;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/practicas/{id}/revisiones", post(assign))
        .route(
            "/practicas/{id}/revisiones/{review_id}",
            get(review_form).post(submit),
        )
        .route("/practicas/{id}/revisiones/{review_id}/respuesta", post(reply))
        .route("/practicas/rubricas", get(rubrics).post(create_rubric))
        .route("/practicas/rubricas/{id}", get(rubric).post(edit_rubric))
}

/// A score as the page writes it: "3,4" (one decimal, Spanish comma).
pub fn score_label(score: Option<f64>) -> Option<String> {
    score.map(|s| format!("{s:.1}").replace('.', ","))
}

/// Where a rubric applies, in words: "Colombia, Bolívar" or "Colombia".
fn place(country: Country, region: &str) -> String {
    match region.is_empty() {
        true => country.profile().name.to_string(),
        false => format!("{}, {region}", country.profile().name),
    }
}

fn review_view(r: &Review) -> Value {
    context! { score_label => score_label(r.score), ..Value::from_serialize(r) }
}

/// The review section of a practice's page, for this person.
pub async fn section(
    db: &Db,
    p: &Principal,
    practice: &Practice,
    network: &Network,
    authors: &[PersonId],
) -> Result<Value, AppError> {
    let rubric = reviews::rubric_of(&mut *db.pool.acquire().await?, practice).await?;
    let all = reviews::reviews(db, practice.id).await?;
    let reviewer_ids: Vec<PersonId> = all.iter().map(|r| r.reviewer_id).collect();
    let finished = all.iter().filter(|r| r.submitted_at.is_some()).count();
    let readable = p.can_read_reviews(&network.policy(), &reviewer_ids);
    let under_review = practice.status == PracticeStatus::UnderReview;
    let can_assign = under_review && p.can_assign_reviewers(&network.policy());
    let choices = match can_assign {
        true => reviews::reviewer_choices(db, practice).await?,
        false => Vec::new(),
    };
    let shown: Vec<Value> = match readable {
        true => all.iter().map(review_view).collect(),
        false => Vec::new(),
    };
    let mine = all
        .iter()
        .find(|r| r.reviewer_id == p.person_id && r.submitted_at.is_none() && under_review)
        .map(|r| r.id);
    Ok(context! {
        rubric_place => rubric.id.map(|_| place(rubric.country, &rubric.region)),
        rubric_id => rubric.id,
        reviews_needed => rubric.reviews_needed, finished,
        combined => score_label(combined(&all)),
        reviews => shown, readable, can_assign, choices, mine,
        can_reply => p.can_reply_to_review(authors),
    })
}

/// The practice's page again, with the messages of a review form (`form`:
/// "assign" or "reply-N").
async fn again(
    state: &AppState,
    ctx: &Ctx,
    p: &Principal,
    id: PracticeId,
    form: &str,
    error: AppError,
) -> Result<Response, AppError> {
    let input = TransitionInput::default();
    super::pages::again(state, ctx, p, id, form, &input, error).await
}

async fn assign(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<PracticeId>,
    Form(input): Form<AssignInput>,
) -> Result<Response, AppError> {
    match reviews::assign(&state.db, &p, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/practicas/{id}#revision")).into_response()),
        Err(e) => again(&state, &ctx, &p, id, "assign", e).await,
    }
}

async fn reply(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path((id, review_id)): Path<(PracticeId, ReviewId)>,
    Form(input): Form<ReplyInput>,
) -> Result<Response, AppError> {
    match reviews::reply(&state.db, &p, id, review_id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/practicas/{id}#revision-{review_id}")).into_response()),
        Err(e) => again(&state, &ctx, &p, id, &format!("reply-{review_id}"), e).await,
    }
}

/// The review form of the assigned reviewer: each criterion of the
/// rubric with its four levels, and the comments.
#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    practice: &Practice,
    rubric: &Rubric,
    review_id: ReviewId,
    typed: &HashMap<String, String>,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    // The error summary links each criterion's score by the criterion's name.
    let summary: Vec<(String, String)> = rubric
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| (format!("score_{}", i + 1), c.name.clone()))
        .collect();
    state.render_status(
        status,
        ctx,
        "practices/review_form.html",
        context! {
            practice => super::pages::view(practice), rubric, review_id, typed, errors, summary,
        },
    )
}

async fn review_form(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path((id, review_id)): Path<(PracticeId, ReviewId)>,
) -> Result<Response, AppError> {
    let (practice, rubric, _) = reviews::writable(&state.db, &p, id, review_id).await?;
    let none = HashMap::new();
    form_page(&state, &ctx, &practice, &rubric, review_id, &none, &FieldErrors::new(), StatusCode::OK).await
}

async fn submit(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path((id, review_id)): Path<(PracticeId, ReviewId)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let typed: HashMap<String, String> = fields.into_iter().collect();
    let (practice, rubric, _) = reviews::writable(&state.db, &p, id, review_id).await?;
    let input = ReviewInput::from_form(&typed, rubric.criteria.len());
    match reviews::submit(&state.db, &p, id, review_id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/practicas/{id}#revision-{review_id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            form_page(&state, &ctx, &practice, &rubric, review_id, &typed, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e),
    }
}

/// The rubrics page: seed 002's rubric (in force where no other is), the
/// configured ones, and a form to give a territory its own.
async fn rubrics_page(
    state: &AppState,
    ctx: &Ctx,
    p: &Principal,
    input: &RubricPlaceInput,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let list: Vec<Value> = reviews::rubrics(&state.db)
        .await?
        .iter()
        .map(|r| {
            context! {
                place => place(r.country, &r.region),
                editable => p.can_configure_rubric(r.country, &r.region),
                ..Value::from_serialize(r)
            }
        })
        .collect();
    // Where this person may create one: their own territories, and for
    // the ministry (or an administrator) the regions of their countries.
    let countries: Vec<Country> = match p.is_admin {
        true => Country::ALL.to_vec(),
        false => p
            .rubric_territories()
            .iter()
            .filter(|(_, r)| r.is_empty())
            .map(|(c, _)| *c)
            .collect(),
    };
    let mut places: Vec<(String, String)> = Vec::new();
    for (country, region) in p.rubric_territories() {
        if !region.is_empty() {
            places.push((format!("{}|{region}", country.code()), place(country, &region)));
        }
    }
    for country in countries {
        places.push((format!("{}|", country.code()), place(country, "")));
        for region in reviews::regions(&state.db, country).await? {
            places.push((format!("{}|{region}", country.code()), place(country, &region)));
        }
    }
    let seed = Rubric::seed(Country::Cl, "");
    state.render_status(
        status,
        ctx,
        "practices/rubrics.html",
        context! {
            rubrics => list, places, seed, input, errors,
            chosen => format!("{}|{}", input.country, input.region),
        },
    )
}

async fn rubrics(User(p, ctx): User, State(state): State<AppState>) -> Result<Response, AppError> {
    let none = RubricPlaceInput::default();
    rubrics_page(&state, &ctx, &p, &none, &FieldErrors::new(), StatusCode::OK).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct PlaceForm {
    /// "co|Bolívar": the country's code and the region (empty: all of it).
    place: String,
}

async fn create_rubric(
    User(p, ctx): User,
    State(state): State<AppState>,
    Form(form): Form<PlaceForm>,
) -> Result<Response, AppError> {
    let (country, region) = form.place.split_once('|').unwrap_or((&form.place, ""));
    let input = RubricPlaceInput {
        country: country.to_string(),
        region: region.to_string(),
    };
    match reviews::create_rubric(&state.db, &p, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/practicas/rubricas/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            rubrics_page(&state, &ctx, &p, &input, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e),
    }
}

/// A rubric: read by anyone signed in, edited by who configures it. The
/// form has one empty row more, to add a criterion.
async fn rubric_page(
    state: &AppState,
    ctx: &Ctx,
    p: &Principal,
    rubric: &Rubric,
    input: &RubricInput,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let mut rows = input.criteria.clone();
    let blank = |c: &super::model::reviews::Criterion| {
        c.name.trim().is_empty() && c.meaning.trim().is_empty() && c.levels.iter().all(|l| l.trim().is_empty())
    };
    if rows.len() < MAX_CRITERIA && !rows.last().is_some_and(blank) {
        rows.push(super::model::reviews::Criterion {
            name: String::new(),
            meaning: String::new(),
            levels: vec![String::new(); 4],
        });
    }
    state.render_status(
        status,
        ctx,
        "practices/rubric.html",
        context! {
            rubric, rows, reviews_needed => input.reviews_needed, errors,
            place => place(rubric.country, &rubric.region),
            editable => p.can_configure_rubric(rubric.country, &rubric.region),
            seed_count => SEED_002.len(),
        },
    )
}

async fn rubric(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<RubricId>,
) -> Result<Response, AppError> {
    let rubric = reviews::rubric(&state.db, id).await?;
    let input = RubricInput::of(&rubric);
    rubric_page(&state, &ctx, &p, &rubric, &input, &FieldErrors::new(), StatusCode::OK).await
}

async fn edit_rubric(
    User(p, ctx): User,
    State(state): State<AppState>,
    Path(id): Path<RubricId>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let typed: HashMap<String, String> = fields.into_iter().collect();
    let input = RubricInput::from_form(&typed);
    match reviews::edit_rubric(&state.db, &p, id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/practicas/rubricas/{id}")).into_response()),
        Err(AppError::Validation(errors)) => {
            let rubric = store::reviews::rubric(&state.db, id).await?;
            rubric_page(&state, &ctx, &p, &rubric, &input, &errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e),
    }
}
