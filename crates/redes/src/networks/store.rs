//! Every query of networks: the registry, member schools over time and the
//! yearly census; and the writes, each one function (parse → policy →
//! store, in one transaction) that the page, the API and the demo share.

use sqlx::AnyConnection;

use super::model::{Network, NetworkInput, NewNetwork, NETWORK_COLUMNS};
use crate::auth::policy::{NetworkPlace, Principal, Table, Visibility};
use crate::country::Country;
use crate::db::{now, today, Db};
use crate::error::{AppError, StoreError};
use crate::ids::{NetworkId, PersonId, SchoolId};
use crate::schools::model::{School, SCHOOL_COLUMNS};
use crate::sql::{contains_pattern, fold, Sql};

pub const PAGE_SIZE: i64 = 50;

#[derive(Debug, Default, Clone, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct NetworkFilter {
    pub q: String,
    pub country: String,
    pub region: String,
    pub kind: String,
    /// Only networks active in this year.
    pub year: String,
    #[serde(deserialize_with = "crate::sql::flag")]
    pub archived: bool,
    /// Include the networks generated to complete the published census
    /// (`networks.synthetic`): hidden by default, they would bury the real
    /// ones (508 of 523 in Chile's 2015).
    #[serde(deserialize_with = "crate::sql::flag")]
    pub synthetic: bool,
}

fn where_clause(sql: &mut Sql, v: &Visibility, f: &NetworkFilter) {
    sql.push(" WHERE 1 = 1");
    if !f.archived {
        sql.push(" AND n.archived = 0");
    }
    if !f.synthetic {
        sql.push(" AND n.synthetic = 0");
    }
    if !f.q.trim().is_empty() {
        sql.push(" AND n.search_text LIKE ")
            .text(contains_pattern(&f.q))
            .push(" ESCAPE '\\'");
    }
    if !f.country.is_empty() {
        sql.push(" AND n.country = ").text(f.country.clone());
    }
    if !f.region.is_empty() {
        sql.push(" AND n.region = ").text(f.region.clone());
    }
    if !f.kind.is_empty() {
        sql.push(" AND n.kind = ").text(f.kind.clone());
    }
    if let Ok(year) = f.year.parse::<i64>() {
        sql.push(" AND n.id IN (SELECT network_id FROM network_years WHERE active = 1 AND year = ")
            .int(year)
            .push(")");
    }
    v.restrict(sql, &Table::NETWORKS, "n");
}

/// A network in a list, with its number of current member schools.
#[derive(Debug, serde::Serialize, sqlx::FromRow)]
pub struct NetworkRow {
    pub id: NetworkId,
    pub name: String,
    pub kind: super::model::NetworkKind,
    pub country: Country,
    pub region: String,
    pub since_year: Option<i64>,
    pub synthetic: i64,
    pub archived: i64,
    pub schools: i64,
}

async fn count(db: &Db, v: &Visibility, f: &NetworkFilter) -> Result<i64, AppError> {
    crate::limits::search("q", &f.q)?;
    let mut count = Sql::new("SELECT COUNT(*) FROM networks n");
    where_clause(&mut count, v, f);
    Ok(count.query_scalar().fetch_one(&db.pool).await?)
}

/// Real networks before generated ones, then by region and name; one page.
fn order_and_page(sql: &mut Sql, page: i64) {
    sql.push(" ORDER BY n.synthetic, n.region, n.name, n.id LIMIT ")
        .int(PAGE_SIZE)
        .push(" OFFSET ")
        .int((crate::limits::page(Some(page)) - 1) * PAGE_SIZE);
}

/// One page of the networks the person may see, with their school counts.
pub async fn list(
    db: &Db,
    v: &Visibility,
    f: &NetworkFilter,
    page: i64,
) -> Result<(Vec<NetworkRow>, i64), AppError> {
    let total = count(db, v, f).await?;
    let mut sql = Sql::new(
        "SELECT n.id, n.name, n.kind, n.country, n.region, n.since_year, n.synthetic, n.archived,
                (SELECT COUNT(*) FROM network_schools m WHERE m.network_id = n.id AND m.left_on IS NULL) AS schools
         FROM networks n",
    );
    where_clause(&mut sql, v, f);
    order_and_page(&mut sql, page);
    Ok((
        sql.query_as::<NetworkRow>().fetch_all(&db.pool).await?,
        total,
    ))
}

/// The same page as `list`, each network whole (with its charter), in one
/// query: the API's list.
pub async fn list_full(
    db: &Db,
    v: &Visibility,
    f: &NetworkFilter,
    page: i64,
) -> Result<(Vec<Network>, i64), AppError> {
    let total = count(db, v, f).await?;
    let mut sql = Sql::new(&format!("SELECT {} FROM networks n", crate::sql::prefixed(NETWORK_COLUMNS, "n")));
    where_clause(&mut sql, v, f);
    order_and_page(&mut sql, page);
    Ok((sql.query_as::<Network>().fetch_all(&db.pool).await?, total))
}

/// A network by id. Nearly every page of a network's work (its plan, a
/// meeting, its agreements) starts here to decide who may see it, so the
/// row is remembered until the next committed write (`Db::remember`).
pub async fn get(db: &Db, id: NetworkId) -> Result<Network, StoreError> {
    db.remember(format!("network:{id}"), || async {
        load(&mut *db.pool.acquire().await?, id).await
    })
    .await
}

/// A network read on a given connection (the demo's transaction sees the
/// networks it has just written; `get` reads committed ones).
pub async fn load(conn: &mut sqlx::AnyConnection, id: NetworkId) -> Result<Network, StoreError> {
    sqlx::query_as::<_, Network>(&format!("SELECT {NETWORK_COLUMNS} FROM networks WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// The network's current member schools, in id order: what the policy
/// checks of its plan, meetings and agreements look at. Remembered like
/// `get`.
pub async fn member_ids(db: &Db, id: NetworkId) -> Result<Vec<SchoolId>, StoreError> {
    db.remember(format!("network:{id}:members"), || async {
        Ok(sqlx::query_scalar(
            "SELECT school_id FROM network_schools WHERE network_id = $1 AND left_on IS NULL ORDER BY school_id",
        )
        .bind(id)
        .fetch_all(&db.pool)
        .await?)
    })
    .await
}

impl Network {
    pub fn policy(&self) -> NetworkPlace<'_> {
        NetworkPlace {
            id: self.id,
            country: self.country,
            region: &self.region,
            province: &self.province,
        }
    }
}

/// The network, when the person may see it: the one way a reading
/// handler gets a network.
pub async fn viewable(db: &Db, p: &Principal, id: NetworkId) -> Result<Network, AppError> {
    let network = get(db, id).await?;
    if !p.can_view_network(&network.policy()) {
        return Err(AppError::Forbidden);
    }
    Ok(network)
}

/// The network, when the person may edit it: the one way a write handler
/// gets a network.
pub async fn editable(db: &Db, p: &Principal, id: NetworkId) -> Result<Network, AppError> {
    let network = get(db, id).await?;
    if !p.can_edit_network(&network.policy()) {
        return Err(AppError::Forbidden);
    }
    Ok(network)
}

/// Networks a school currently belongs to.
pub async fn of_school(db: &Db, school_id: SchoolId) -> Result<Vec<Network>, StoreError> {
    Ok(sqlx::query_as::<_, Network>(&format!(
        "SELECT {} FROM networks n JOIN network_schools m ON m.network_id = n.id
         WHERE m.school_id = $1 AND m.left_on IS NULL ORDER BY n.name",
        crate::sql::prefixed(NETWORK_COLUMNS, "n")
    ))
    .bind(school_id)
    .fetch_all(&db.pool)
    .await?)
}

fn search_text(n: &NewNetwork) -> String {
    fold(&format!(
        "{} {} {}",
        n.input.name, n.input.region, n.input.province
    ))
}

pub async fn insert(
    conn: &mut AnyConnection,
    n: &NewNetwork,
    created_by: Option<PersonId>,
    synthetic: bool,
) -> Result<NetworkId, StoreError> {
    let i = &n.input;
    let at = now();
    Ok(sqlx::query_scalar(
        "INSERT INTO networks (country, kind, name, region, province, since_year, who_forms, principles_needs, objective,
            how_members_move, collaboration, learnings_achievements, key_idea, projection_challenges, synthetic,
            search_text, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id",
    )
    .bind(n.country)
    .bind(n.kind)
    .bind(&i.name)
    .bind(&i.region)
    .bind(&i.province)
    .bind(n.since_year)
    .bind(&i.who_forms)
    .bind(&i.principles_needs)
    .bind(&i.objective)
    .bind(&i.how_members_move)
    .bind(&i.collaboration)
    .bind(&i.learnings_achievements)
    .bind(&i.key_idea)
    .bind(&i.projection_challenges)
    .bind(synthetic as i64)
    .bind(search_text(n))
    .bind(created_by)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?)
}

/// Founds a network (page and API): parse, check the person may found it
/// there, then write it with its founder and first year in one transaction.
pub async fn create(db: &Db, p: &Principal, input: &NetworkInput) -> Result<NetworkId, AppError> {
    let network = input.parse().map_err(AppError::Validation)?;
    if !p.can_create_network(network.territory()) {
        return Err(AppError::Denied(
            "networks-no-puede-crear-redes-este-territorio-2".into(),
        ));
    }
    let mut tx = db.write().await?;
    let id = found(&mut tx, p, &network).await?;
    tx.commit().await?;
    Ok(id)
}

/// Writes a founded network: the network, its founder as coordinator (see
/// `record_founder`), and its activity in its first year (or this year).
async fn found(
    conn: &mut AnyConnection,
    p: &Principal,
    n: &NewNetwork,
) -> Result<NetworkId, AppError> {
    let id = insert(conn, n, Some(p.person_id), false).await?;
    record_founder(conn, p, id, n).await?;
    let year = n.since_year.unwrap_or_else(crate::db::current_year);
    set_active(conn, id, year, true).await?;
    Ok(id)
}

/// A network coordinator who founds a network (in a region where they
/// already coordinate one) coordinates the new one too; otherwise they could
/// not open, edit or fill the network they just created. Territorial roles
/// reach it through their territory and get no membership.
async fn record_founder(
    conn: &mut AnyConnection,
    p: &Principal,
    network_id: NetworkId,
    n: &NewNetwork,
) -> Result<(), AppError> {
    if p.can_create_school(n.territory()) {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO memberships (person_id, role, scope_kind, country, scope_name, school_id, network_id, starts_on)
         VALUES ($1, 'network_coordinator', 'network', $2, '', NULL, $3, $4)",
    )
    .bind(p.person_id)
    .bind(n.country)
    .bind(network_id)
    .bind(today())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Changes a network (page and API); moving it to another territory needs
/// rights over the destination.
pub async fn edit(
    db: &Db,
    p: &Principal,
    id: NetworkId,
    input: &NetworkInput,
) -> Result<(), AppError> {
    let current = editable(db, p, id).await?;
    let network = input.parse().map_err(AppError::Validation)?;
    if !p.can_move_network(current.policy().territory(), network.territory()) {
        return Err(AppError::Denied(
            "networks-no-puede-trasladar-red-territorio-fuera".into(),
        ));
    }
    let mut w = db.write().await?;
    update(&mut w, id, &network).await?;
    w.commit().await?;
    Ok(())
}

async fn update(conn: &mut AnyConnection, id: NetworkId, n: &NewNetwork) -> Result<(), StoreError> {
    let i = &n.input;
    sqlx::query(
        "UPDATE networks SET country = $1, kind = $2, name = $3, region = $4, province = $5, since_year = $6,
            who_forms = $7, principles_needs = $8, objective = $9, how_members_move = $10, collaboration = $11,
            learnings_achievements = $12, key_idea = $13, projection_challenges = $14, search_text = $15, updated_at = $16
         WHERE id = $17",
    )
    .bind(n.country)
    .bind(n.kind)
    .bind(&i.name)
    .bind(&i.region)
    .bind(&i.province)
    .bind(n.since_year)
    .bind(&i.who_forms)
    .bind(&i.principles_needs)
    .bind(&i.objective)
    .bind(&i.how_members_move)
    .bind(&i.collaboration)
    .bind(&i.learnings_achievements)
    .bind(&i.key_idea)
    .bind(&i.projection_challenges)
    .bind(search_text(n))
    .bind(now())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Archives an active network or restores an archived one.
pub async fn toggle_archived(db: &Db, p: &Principal, id: NetworkId) -> Result<(), AppError> {
    let network = editable(db, p, id).await?;
    let mut w = db.write().await?;
    sqlx::query("UPDATE networks SET archived = $1, updated_at = $2 WHERE id = $3")
        .bind((network.archived == 0) as i64)
        .bind(now())
        .bind(id)
        .execute(&mut *w)
        .await?;
    w.commit().await?;
    Ok(())
}

/// A member school with the dates it joined and (maybe) left.
#[derive(Debug, serde::Serialize, sqlx::FromRow)]
pub struct Member {
    pub school_id: SchoolId,
    pub official_code: String,
    pub name: String,
    pub commune: String,
    pub dependency: String,
    pub joined_on: String,
    pub left_on: Option<String>,
}

pub async fn members(db: &Db, network_id: NetworkId) -> Result<Vec<Member>, StoreError> {
    Ok(sqlx::query_as::<_, Member>(
        "SELECT s.id AS school_id, s.official_code, s.name, s.commune, s.dependency, m.joined_on, m.left_on
         FROM network_schools m JOIN schools s ON s.id = m.school_id
         WHERE m.network_id = $1 ORDER BY (m.left_on IS NOT NULL), s.name",
    )
    .bind(network_id)
    .fetch_all(&db.pool)
    .await?)
}

/// Which school to add: one chosen from the search results, or an official
/// code typed by hand.
pub enum SchoolChoice<'a> {
    Id(SchoolId),
    Code(&'a str),
}

/// Adds a school to a network (page and API): the person must edit the
/// network and see the school.
pub async fn add_school(
    db: &Db,
    p: &Principal,
    network_id: NetworkId,
    choice: SchoolChoice<'_>,
) -> Result<(), AppError> {
    let network = editable(db, p, network_id).await?;
    let school_id = match choice {
        SchoolChoice::Id(id) => id,
        SchoolChoice::Code(code) => {
            let code = code.trim().to_uppercase();
            crate::schools::store::find_by_code(db, network.country, &code)
                .await?
                .map(|s| s.id)
                .ok_or_else(|| {
                    AppError::field(
                        "official_code",
                        crate::text::message("networks-no-hay-escuela-con-codigo", &[("code", &code)]),
                    )
                })?
        }
    };
    crate::schools::store::viewable(db, p, school_id).await?;
    let mut w = db.write().await?;
    add_member(&mut w, network_id, school_id, None).await?;
    w.commit().await?;
    Ok(())
}

/// Adds a school as a current member; a school already in the network is
/// refused with a message.
pub async fn add_member(
    conn: &mut AnyConnection,
    network_id: NetworkId,
    school_id: SchoolId,
    joined_on: Option<&str>,
) -> Result<(), StoreError> {
    let already: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM network_schools WHERE network_id = $1 AND school_id = $2 AND left_on IS NULL",
    )
    .bind(network_id)
    .bind(school_id)
    .fetch_one(&mut *conn)
    .await?;
    if already > 0 {
        return Err(StoreError::invalid(
            "school",
            "networks-escuela-ya-integra-esta-red",
        ));
    }
    sqlx::query(
        "INSERT INTO network_schools (network_id, school_id, joined_on) VALUES ($1, $2, $3)",
    )
    .bind(network_id)
    .bind(school_id)
    .bind(joined_on.map(str::to_string).unwrap_or_else(today))
    .execute(&mut *conn)
    .await
    .map_err(|e| {
        if crate::error::is_unique_violation(&e) {
            StoreError::invalid("school", "networks-escuela-ya-integra-esta-red")
        } else {
            e.into()
        }
    })?;
    Ok(())
}

/// Records that a school left; the history stays.
pub async fn remove_member(
    db: &Db,
    p: &Principal,
    network_id: NetworkId,
    school_id: SchoolId,
) -> Result<(), AppError> {
    editable(db, p, network_id).await?;
    let mut w = db.write().await?;
    sqlx::query("UPDATE network_schools SET left_on = $1 WHERE network_id = $2 AND school_id = $3 AND left_on IS NULL")
        .bind(today())
        .bind(network_id)
        .bind(school_id)
        .execute(&mut *w)
        .await?;
    w.commit().await?;
    Ok(())
}

/// Schools the person may add: visible, not archived, matching the text.
pub async fn candidate_schools(
    db: &Db,
    v: &Visibility,
    network_id: NetworkId,
    q: &str,
) -> Result<Vec<School>, StoreError> {
    let columns = crate::sql::prefixed(SCHOOL_COLUMNS, "s");
    let mut sql = Sql::new(&format!(
        "SELECT {columns} FROM schools s WHERE s.archived = 0 AND s.search_text LIKE "
    ));
    sql.text(contains_pattern(q)).push(" ESCAPE '\\'");
    sql.push(" AND s.id NOT IN (SELECT school_id FROM network_schools WHERE left_on IS NULL AND network_id = ").int(network_id.0).push(")");
    v.restrict(&mut sql, &Table::SCHOOLS, "s");
    sql.push(" ORDER BY s.name LIMIT 20");
    Ok(sql.query_as().fetch_all(&db.pool).await?)
}

/// Years in which the network was active (the census).
pub async fn active_years(db: &Db, network_id: NetworkId) -> Result<Vec<(i64, i64)>, StoreError> {
    Ok(
        sqlx::query_as(
            "SELECT year, active FROM network_years WHERE network_id = $1 ORDER BY year",
        )
        .bind(network_id)
        .fetch_all(&db.pool)
        .await?,
    )
}

/// Records whether a network was active in a year (page and API), for a
/// person who edits it.
pub async fn record_activity(
    db: &Db,
    p: &Principal,
    network_id: NetworkId,
    year: &str,
    active: bool,
) -> Result<(), AppError> {
    editable(db, p, network_id).await?;
    let year = match year.trim().parse::<i64>() {
        Ok(y) if (1990..=2100).contains(&y) => y,
        _ => return Err(AppError::field("year", "networks-escriba-ano-entre-1990-2100")),
    };
    let mut w = db.write().await?;
    set_active(&mut w, network_id, year, active).await?;
    w.commit().await?;
    Ok(())
}

pub async fn set_active(
    conn: &mut AnyConnection,
    network_id: NetworkId,
    year: i64,
    active: bool,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO network_years (network_id, year, active) VALUES ($1, $2, $3)
         ON CONFLICT (network_id, year) DO UPDATE SET active = excluded.active",
    )
    .bind(network_id)
    .bind(year)
    .bind(active as i64)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A person's own networks (those they have a role in and those of their
/// schools) with their current member schools, for the home page.
pub async fn own(db: &Db, ids: &[NetworkId]) -> Result<Vec<super::model::OwnNetwork>, StoreError> {
    let ids: Vec<i64> = ids.iter().map(|n| n.0).collect();
    let mut sql = Sql::new(
        "SELECT n.id, n.name, n.region,
                (SELECT COUNT(*) FROM network_schools m WHERE m.network_id = n.id AND m.left_on IS NULL) AS schools
         FROM networks n WHERE n.archived = 0 AND n.id IN ",
    );
    sql.int_list(&ids).push(" ORDER BY n.name, n.id LIMIT 20");
    Ok(sql.query_as().fetch_all(&db.pool).await?)
}
