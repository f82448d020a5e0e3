//! The JSON API of peer review under `/api/v1` (issue 12, items 3 and 8):
//! a practice's reviews with the rubric in force and the combined score,
//! assigning a reviewer, sending a review, the authors' reply, and the
//! rubrics of countries and regions. Each write is the store function the
//! pages call.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use super::model::reviews::{
    combined, AssignInput, Criterion, ReplyInput, Review, ReviewInput, Rubric, RubricInput,
    RubricPlaceInput, RubricSummary, Score, ScoreInput,
};
use super::store::{self, reviews};
use crate::api::{ApiError, ApiJson};
use crate::auth::policy::Principal;
use crate::auth::User;
use crate::country::Country;
use crate::error::AppError;
use crate::ids::{PersonId, PracticeId, ReviewId, RubricId};
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    paths(list_reviews, assign_reviewer, submit_review, reply_to_review, list_rubrics, create_rubric,
        get_rubric, update_rubric),
    components(schemas(PracticeReviews, Review, Score, Rubric, Criterion, RubricSummary, RubricList,
        AssignInput, ReviewInput, ScoreInput, ReplyInput, RubricInput, RubricPlaceInput, Country))
)]
struct ReviewsDoc;

pub fn openapi() -> utoipa::openapi::OpenApi {
    ReviewsDoc::openapi()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/practices/{id}/reviews", get(list_reviews).post(assign_reviewer))
        .route("/practices/{id}/reviews/{review_id}", put(submit_review))
        .route("/practices/{id}/reviews/{review_id}/reply", post(reply_to_review))
        .route("/practice-rubrics", get(list_rubrics).post(create_rubric))
        .route("/practice-rubrics/{id}", get(get_rubric).put(update_rubric))
}

/// The peer review of a practice.
#[derive(Serialize, ToSchema)]
pub struct PracticeReviews {
    /// The rubric in force: its region's, else its country's, else seed
    /// 002's (`id` null).
    rubric: Rubric,
    /// Finished reviews publication needs, and those sent.
    reviews_needed: i64,
    finished: i64,
    /// The mean of the sent reviews' scores (1 to 4), null before any.
    combined_score: Option<f64>,
    /// Every review, for those who see the practice's network, the
    /// reviewers of its territory and its own reviewers; empty for others.
    reviews: Vec<Review>,
}

async fn of_practice(state: &AppState, p: &Principal, id: PracticeId) -> Result<PracticeReviews, AppError> {
    let (practice, network) = store::viewable(&state.db, Some(p), id).await?;
    let rubric = reviews::rubric_of(&mut *state.db.pool.acquire().await?, &practice).await?;
    let all = reviews::reviews(&state.db, id).await?;
    let reviewers: Vec<PersonId> = all.iter().map(|r| r.reviewer_id).collect();
    Ok(PracticeReviews {
        reviews_needed: rubric.reviews_needed,
        finished: all.iter().filter(|r| r.submitted_at.is_some()).count() as i64,
        combined_score: combined(&all),
        rubric,
        reviews: match p.can_read_reviews(&network.policy(), &reviewers) {
            true => all,
            false => Vec::new(),
        },
    })
}

const ID: &str = "The practice's id";
const BAD_BODY: &str = "Malformed JSON, wrong JSON types, a body that is not `application/json`, an id that does not parse, or (with a session cookie) a missing `X-CSRF-Token`";
const UNAUTHORIZED: &str = "No session and no bearer token, or an unknown token";

#[utoipa::path(get, path = "/api/v1/practices/{id}/reviews", params(("id" = i64, Path, description = ID, example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "The rubric in force, the reviews publication needs and those sent, the combined score and (for who may read them) the reviews with their scores and replies", body = PracticeReviews),
        (status = 400, description = "An id that does not parse", body = ApiError), (status = 401, description = UNAUTHORIZED, body = ApiError), (status = 403, description = "Not published, and the account neither sees its network nor reviews it", body = ApiError), (status = 404, description = "No practice with this id", body = ApiError)))]
async fn list_reviews(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<PracticeId>,
) -> Result<Json<PracticeReviews>, AppError> {
    Ok(Json(of_practice(&state, &p, id).await?))
}

#[utoipa::path(post, path = "/api/v1/practices/{id}/reviews", params(("id" = i64, Path, description = ID, example = 1)), request_body = AssignInput, security(("bearer" = [])),
    responses((status = 201, description = "Assigned; the practice's peer review", body = PracticeReviews),
        (status = 400, description = BAD_BODY, body = ApiError), (status = 401, description = UNAUTHORIZED, body = ApiError), (status = 403, description = "Only the ministry, the regional authority or the secretariat of the practice's territory assign reviewers", body = ApiError), (status = 404, description = "No practice with this id", body = ApiError), (status = 409, description = "The practice is not under review", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "No such person with an account, an author of the practice (nobody reviews their own practice), or a person already reviewing it, under `reviewer_id`", body = ApiError)))]
async fn assign_reviewer(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<PracticeId>,
    ApiJson(input): ApiJson<AssignInput>,
) -> Result<Response, AppError> {
    reviews::assign(&state.db, &p, id, &input).await?;
    Ok((StatusCode::CREATED, Json(of_practice(&state, &p, id).await?)).into_response())
}

#[utoipa::path(put, path = "/api/v1/practices/{id}/reviews/{review_id}", params(("id" = i64, Path, description = ID, example = 1), ("review_id" = i64, Path, description = "The review's id", example = 1)), request_body = ReviewInput, security(("bearer" = [])),
    responses((status = 200, description = "Sent; the practice's peer review", body = PracticeReviews),
        (status = 400, description = BAD_BODY, body = ApiError), (status = 401, description = UNAUTHORIZED, body = ApiError), (status = 403, description = "Only the person assigned writes the review, never an author", body = ApiError), (status = 404, description = "No practice with this id, or no such review of it", body = ApiError), (status = 409, description = "Already sent, or the practice is no longer under review", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "A criterion without a score or with one outside 1 to 4 (`score_N`, N the criterion's place from 1), a criterion the rubric lacks (`scores`), no general comment or a text too long (`comment`, `comment_N`)", body = ApiError)))]
async fn submit_review(
    User(p, _): User,
    State(state): State<AppState>,
    Path((id, review_id)): Path<(PracticeId, ReviewId)>,
    ApiJson(input): ApiJson<ReviewInput>,
) -> Result<Json<PracticeReviews>, AppError> {
    reviews::submit(&state.db, &p, id, review_id, &input).await?;
    Ok(Json(of_practice(&state, &p, id).await?))
}

#[utoipa::path(post, path = "/api/v1/practices/{id}/reviews/{review_id}/reply", params(("id" = i64, Path, description = ID, example = 1), ("review_id" = i64, Path, description = "The review's id", example = 1)), request_body = ReplyInput, security(("bearer" = [])),
    responses((status = 200, description = "Replied (a second reply replaces the first); the practice's peer review", body = PracticeReviews),
        (status = 400, description = BAD_BODY, body = ApiError), (status = 401, description = UNAUTHORIZED, body = ApiError), (status = 403, description = "Only the practice's authors reply", body = ApiError), (status = 404, description = "No practice with this id, or no such review of it", body = ApiError), (status = 409, description = "The review has not been sent yet", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "An empty reply or one too long, under `reply`", body = ApiError)))]
async fn reply_to_review(
    User(p, _): User,
    State(state): State<AppState>,
    Path((id, review_id)): Path<(PracticeId, ReviewId)>,
    ApiJson(input): ApiJson<ReplyInput>,
) -> Result<Json<PracticeReviews>, AppError> {
    reviews::reply(&state.db, &p, id, review_id, &input).await?;
    Ok(Json(of_practice(&state, &p, id).await?))
}

/// The configured rubrics, and seed 002's (in force where none is).
#[derive(Serialize, ToSchema)]
pub struct RubricList {
    rubrics: Vec<RubricSummary>,
    seed: Rubric,
}

#[utoipa::path(get, path = "/api/v1/practice-rubrics", security(("bearer" = [])),
    responses((status = 200, description = "Every country's and region's rubric, and seed 002's", body = RubricList),
        (status = 401, description = UNAUTHORIZED, body = ApiError)))]
async fn list_rubrics(User(_p, _ctx): User, State(state): State<AppState>) -> Result<Json<RubricList>, AppError> {
    Ok(Json(RubricList {
        rubrics: reviews::rubrics(&state.db).await?,
        seed: Rubric::seed(Country::Cl, ""),
    }))
}

#[utoipa::path(post, path = "/api/v1/practice-rubrics", request_body = RubricPlaceInput, security(("bearer" = [])),
    responses((status = 201, description = "Created from the rubric in force there (the country's, else seed 002's)", body = Rubric),
        (status = 400, description = BAD_BODY, body = ApiError), (status = 401, description = UNAUTHORIZED, body = ApiError), (status = 403, description = "Only the ministry configures its country's and its regions' rubrics, and a secretariat its own region's", body = ApiError), (status = 409, description = "The territory has its rubric already", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "An unknown country or a region too long; `fields` names each", body = ApiError)))]
async fn create_rubric(
    User(p, _): User,
    State(state): State<AppState>,
    ApiJson(input): ApiJson<RubricPlaceInput>,
) -> Result<Response, AppError> {
    let id = reviews::create_rubric(&state.db, &p, &input).await?;
    Ok((StatusCode::CREATED, Json(reviews::rubric(&state.db, id).await?)).into_response())
}

#[utoipa::path(get, path = "/api/v1/practice-rubrics/{id}", params(("id" = i64, Path, description = "The rubric's id", example = 1)), security(("bearer" = [])),
    responses((status = 200, description = "The rubric with its criteria and levels", body = Rubric),
        (status = 400, description = "An id that does not parse", body = ApiError), (status = 401, description = UNAUTHORIZED, body = ApiError), (status = 404, description = "No rubric with this id", body = ApiError)))]
async fn get_rubric(
    User(_p, _ctx): User,
    State(state): State<AppState>,
    Path(id): Path<RubricId>,
) -> Result<Json<Rubric>, AppError> {
    Ok(Json(reviews::rubric(&state.db, id).await?))
}

#[utoipa::path(put, path = "/api/v1/practice-rubrics/{id}", params(("id" = i64, Path, description = "The rubric's id", example = 1)), request_body = RubricInput, security(("bearer" = [])),
    responses((status = 200, description = "Changed; reviews already sent keep the criteria they were scored on", body = Rubric),
        (status = 400, description = BAD_BODY, body = ApiError), (status = 401, description = UNAUTHORIZED, body = ApiError), (status = 403, description = "Only the ministry configures its country's and its regions' rubrics, and a secretariat its own region's", body = ApiError), (status = 404, description = "No rubric with this id", body = ApiError), (status = 413, description = "Body larger than 2 MiB", body = ApiError), (status = 422, description = "Reviews needed outside 1 to 5, no criterion or more than 12, a criterion without a name or a level without a descriptor, a text too long; named `reviews_needed`, `criteria`, `name_N`, `meaning_N`, `level_N_L` (N the criterion's place, L the level, from 1)", body = ApiError)))]
async fn update_rubric(
    User(p, _): User,
    State(state): State<AppState>,
    Path(id): Path<RubricId>,
    ApiJson(input): ApiJson<RubricInput>,
) -> Result<Json<Rubric>, AppError> {
    reviews::edit_rubric(&state.db, &p, id, &input).await?;
    Ok(Json(reviews::rubric(&state.db, id).await?))
}
