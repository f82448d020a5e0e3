//! Every query of the school registry, on SQLite and PostgreSQL alike, and
//! the writes that pages, API, importer and demo share.

use sqlx::AnyConnection;

use super::model::{NewSchool, School, SchoolInput, SCHOOL_COLUMNS};
use crate::auth::policy::{Principal, SchoolPlace, Table, Visibility};
use crate::country::Country;
use crate::db::{now, today, Db};
use crate::error::{is_unique_violation, AppError, StoreError};
use crate::ids::{NetworkId, SchoolId};
use crate::sql::{contains_pattern, fold, Sql};

pub const PAGE_SIZE: i64 = 50;

/// Filters of the school list (all optional).
#[derive(Debug, Default, Clone, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct SchoolFilter {
    /// Text in the name, code or commune.
    pub q: String,
    pub country: String,
    pub region: String,
    pub commune: String,
    pub level: String,
    /// Include archived schools.
    #[serde(deserialize_with = "crate::sql::flag")]
    pub archived: bool,
}

impl SchoolFilter {
    /// Refuses a level no country profile knows, naming the field (the
    /// list offers a select; a hand-written address may say anything).
    pub fn check(&self) -> Result<(), AppError> {
        if !self.level.trim().is_empty() && crate::country::level_filter(&self.level).is_none() {
            crate::limits::search("level", &self.level)?;
            return Err(AppError::field(
                "level",
                "schools-nivel-desconocido-elija-uno-lista",
            ));
        }
        Ok(())
    }
}

fn where_clause(sql: &mut Sql, v: &Visibility, f: &SchoolFilter) {
    sql.push(" WHERE 1 = 1");
    if !f.archived {
        sql.push(" AND s.archived = 0");
    }
    if !f.q.trim().is_empty() {
        sql.push(" AND s.search_text LIKE ")
            .text(contains_pattern(&f.q))
            .push(" ESCAPE '\\'");
    }
    if !f.country.is_empty() {
        sql.push(" AND s.country = ").text(f.country.clone());
    }
    if !f.region.is_empty() {
        sql.push(" AND s.region = ").text(f.region.clone());
    }
    if !f.commune.is_empty() {
        sql.push(" AND s.commune = ").text(f.commune.clone());
    }
    if !f.level.trim().is_empty() {
        // A level ("media HC") or its whole family ("media": every level
        // whose first word it is). Only the profiles' values are used, and
        // they hold no LIKE wildcards; any other value matches nothing
        // (pages refuse it first, see `SchoolFilter::check`).
        match crate::country::level_filter(&f.level) {
            Some(level) => {
                sql.push(" AND ((',' || s.levels || ',') LIKE ")
                    .text(format!("%,{level},%"))
                    .push(" OR (',' || s.levels) LIKE ")
                    .text(format!("%,{level} %"))
                    .push(")");
            }
            None => {
                sql.push(" AND 1 = 0");
            }
        }
    }
    v.restrict(sql, &Table::SCHOOLS, "s");
}

/// One page of visible schools and the total count.
pub async fn list(
    db: &Db,
    v: &Visibility,
    f: &SchoolFilter,
    page: i64,
) -> Result<(Vec<School>, i64), AppError> {
    crate::limits::search("q", &f.q)?;
    let mut count = Sql::new("SELECT COUNT(*) FROM schools s");
    where_clause(&mut count, v, f);
    // Every page of a list repeats its count: it is remembered until the
    // next write, so turning pages does not scan the table each time.
    let total: i64 = db
        .remember(count.key(), || count.query_scalar().fetch_one(&db.pool))
        .await?;
    let columns = crate::sql::prefixed(SCHOOL_COLUMNS, "s");
    let mut sql = Sql::new(&format!("SELECT {columns} FROM schools s"));
    where_clause(&mut sql, v, f);
    sql.push(" ORDER BY s.review_note, s.name, s.id LIMIT ")
        .int(PAGE_SIZE)
        .push(" OFFSET ")
        .int((crate::limits::page(Some(page)) - 1) * PAGE_SIZE);
    let rows = sql.query_as::<School>().fetch_all(&db.pool).await?;
    Ok((rows, total))
}

/// Distinct regions present, for the filter menu.
pub async fn regions(db: &Db, v: &Visibility) -> Result<Vec<String>, StoreError> {
    let mut sql = Sql::new("SELECT DISTINCT s.region FROM schools s WHERE s.archived = 0");
    v.restrict(&mut sql, &Table::SCHOOLS, "s");
    sql.push(" ORDER BY s.region");
    Ok(db
        .remember(sql.key(), || sql.query_scalar().fetch_all(&db.pool))
        .await?)
}

pub async fn get(db: &Db, id: SchoolId) -> Result<School, StoreError> {
    sqlx::query_as::<_, School>(&format!(
        "SELECT {SCHOOL_COLUMNS} FROM schools WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(StoreError::NotFound)
}

pub async fn find_by_code(
    db: &Db,
    country: Country,
    code: &str,
) -> Result<Option<School>, StoreError> {
    Ok(sqlx::query_as::<_, School>(&format!(
        "SELECT {SCHOOL_COLUMNS} FROM schools WHERE country = $1 AND official_code = $2"
    ))
    .bind(country)
    .bind(code)
    .fetch_optional(&db.pool)
    .await?)
}

/// Networks the school currently belongs to.
pub async fn network_ids(db: &Db, id: SchoolId) -> Result<Vec<NetworkId>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT network_id FROM network_schools WHERE school_id = $1 AND left_on IS NULL",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?)
}

/// The school's place for permission checks.
pub struct Place {
    pub school: School,
    pub network_ids: Vec<NetworkId>,
}

impl Place {
    pub fn policy(&self) -> SchoolPlace<'_> {
        SchoolPlace {
            id: self.school.id,
            parent_id: self.school.parent_id,
            country: self.school.country,
            region: &self.school.region,
            province: &self.school.province,
            zone: &self.school.supervision_zone,
            network_ids: &self.network_ids,
        }
    }
}

pub async fn place(db: &Db, id: SchoolId) -> Result<Place, StoreError> {
    let school = get(db, id).await?;
    let network_ids = network_ids(db, id).await?;
    Ok(Place {
        school,
        network_ids,
    })
}

/// The school, when the person may see it: the one way a reading handler
/// gets a school.
pub async fn viewable(db: &Db, p: &Principal, id: SchoolId) -> Result<Place, AppError> {
    let place = place(db, id).await?;
    if !p.can_view_school(&place.policy()) {
        return Err(AppError::Forbidden);
    }
    Ok(place)
}

/// The school, when the person may edit it: the one way a write gets a
/// school.
pub async fn editable(db: &Db, p: &Principal, id: SchoolId) -> Result<Place, AppError> {
    let place = place(db, id).await?;
    if !p.can_edit_school(&place.policy()) {
        return Err(AppError::Forbidden);
    }
    Ok(place)
}

/// Sedes of an institution (Colombia).
pub async fn sedes(db: &Db, id: SchoolId) -> Result<Vec<School>, StoreError> {
    Ok(sqlx::query_as::<_, School>(&format!(
        "SELECT {SCHOOL_COLUMNS} FROM schools WHERE parent_id = $1 ORDER BY official_code"
    ))
    .bind(id)
    .fetch_all(&db.pool)
    .await?)
}

pub fn search_text(s: &NewSchool) -> String {
    fold(&format!(
        "{} {} {} {}",
        s.name, s.official_code, s.commune, s.province
    ))
}

/// The id of the school with this official code, inside a transaction.
pub async fn id_by_code(
    conn: &mut AnyConnection,
    country: Country,
    code: &str,
) -> Result<Option<SchoolId>, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM schools WHERE country = $1 AND official_code = $2")
            .bind(country)
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

async fn parent_id(
    conn: &mut AnyConnection,
    s: &NewSchool,
) -> Result<Option<SchoolId>, StoreError> {
    let Some(code) = &s.parent_code else {
        return Ok(None);
    };
    let id = id_by_code(conn, s.country, code).await?;
    id.map(Some).ok_or_else(|| {
        StoreError::invalid(
            "parent_code",
            crate::text::message("schools-no-existe-institucion-con-codigo", &[("code", &code)]),
        )
    })
}

fn duplicate(s: &NewSchool, err: sqlx::Error) -> StoreError {
    if is_unique_violation(&err) {
        let name = s.country.profile().code_name;
        return StoreError::invalid(
            "official_code",
            crate::text::message("schools-ya-existe-escuela-con-codigo", &[("name", &name), ("official_code", &s.official_code)]),
        );
    }
    err.into()
}

pub async fn insert(conn: &mut AnyConnection, s: &NewSchool) -> Result<SchoolId, StoreError> {
    let parent = parent_id(conn, s).await?;
    let at = now();
    sqlx::query_scalar(
        "INSERT INTO schools (country, official_code, name, parent_id, levels, dependency, modality, shift, rural,
            region, province, commune, colonia, address, latitude, longitude, classrooms, teachers, students,
            operating, synthetic, search_text, created_at, updated_at, supervision_zone, review_note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23, $24, $25)
         RETURNING id",
    )
    .bind(s.country)
    .bind(&s.official_code)
    .bind(&s.name)
    .bind(parent)
    .bind(&s.levels)
    .bind(&s.dependency)
    .bind(&s.modality)
    .bind(&s.shift)
    .bind(s.rural as i64)
    .bind(&s.region)
    .bind(&s.province)
    .bind(&s.commune)
    .bind(&s.colonia)
    .bind(&s.address)
    .bind(crate::db::Float(s.latitude))
    .bind(crate::db::Float(s.longitude))
    .bind(s.classrooms)
    .bind(s.teachers)
    .bind(s.students)
    .bind(s.operating as i64)
    .bind(s.synthetic as i64)
    .bind(search_text(s))
    .bind(at)
    .bind(&s.supervision_zone)
    .bind(s.review_note())
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| duplicate(s, e))
}

pub async fn update(
    conn: &mut AnyConnection,
    id: SchoolId,
    s: &NewSchool,
) -> Result<(), StoreError> {
    let parent = parent_id(conn, s).await?;
    if parent == Some(id) {
        return Err(StoreError::invalid(
            "parent_code",
            "schools-institucion-no-puede-ser-sede-si",
        ));
    }
    sqlx::query(
        "UPDATE schools SET country = $1, official_code = $2, name = $3, parent_id = $4, levels = $5, dependency = $6,
            modality = $7, shift = $8, rural = $9, region = $10, province = $11, commune = $12, colonia = $13,
            address = $14, latitude = $15, longitude = $16, classrooms = $17, teachers = $18, students = $19,
            search_text = $20, updated_at = $21, supervision_zone = $23, review_note = $24
         WHERE id = $22",
    )
    .bind(s.country)
    .bind(&s.official_code)
    .bind(&s.name)
    .bind(parent)
    .bind(&s.levels)
    .bind(&s.dependency)
    .bind(&s.modality)
    .bind(&s.shift)
    .bind(s.rural as i64)
    .bind(&s.region)
    .bind(&s.province)
    .bind(&s.commune)
    .bind(&s.colonia)
    .bind(&s.address)
    .bind(crate::db::Float(s.latitude))
    .bind(crate::db::Float(s.longitude))
    .bind(s.classrooms)
    .bind(s.teachers)
    .bind(s.students)
    .bind(search_text(s))
    .bind(now())
    .bind(id)
    .bind(&s.supervision_zone)
    .bind(s.review_note())
    .execute(&mut *conn)
    .await
    .map_err(|e| duplicate(s, e))?;
    Ok(())
}

/// Registers a school: parse, decide, write in one transaction. The page,
/// the API and the demo all come through here.
pub async fn register(db: &Db, p: &Principal, input: &SchoolInput) -> Result<SchoolId, AppError> {
    let school = input.parse().map_err(AppError::Validation)?;
    if !p.can_create_school(school.territory()) {
        return Err(AppError::Forbidden);
    }
    check_institution(db, p, &school, None).await?;
    let mut w = db.write().await?;
    let id = insert(&mut w, &school).await?;
    w.commit().await?;
    Ok(id)
}

/// Changes a school (page and API): editing rights on it, rights over the
/// destination when its territory changes, and over the institution when
/// it becomes a sede of one.
pub async fn edit(
    db: &Db,
    p: &Principal,
    id: SchoolId,
    input: &SchoolInput,
) -> Result<(), AppError> {
    let current = editable(db, p, id).await?;
    let school = input.parse().map_err(AppError::Validation)?;
    if !p.can_move_school(current.policy().territory(), school.territory()) {
        return Err(AppError::Denied(
            "schools-no-puede-trasladar-escuela-territorio-fuera".into(),
        ));
    }
    check_institution(db, p, &school, Some(&current)).await?;
    let mut w = db.write().await?;
    update(&mut w, id, &school).await?;
    w.commit().await?;
    Ok(())
}

/// A new or changed link to an institution needs rights over it too.
async fn check_institution(
    db: &Db,
    p: &Principal,
    school: &NewSchool,
    current: Option<&Place>,
) -> Result<(), AppError> {
    let Some(code) = &school.parent_code else {
        return Ok(());
    };
    let Some(parent) = find_by_code(db, school.country, code).await? else {
        // The write reports the unknown code next to the field.
        return Ok(());
    };
    if current.is_some_and(|c| c.school.parent_id == Some(parent.id)) {
        return Ok(());
    }
    let parent = place(db, parent.id).await?;
    // A new school's own rights were checked as it was registered.
    let allowed = match current {
        Some(c) => p.can_attach_sede(&c.policy(), &parent.policy()),
        None => p.can_edit_school(&parent.policy()),
    };
    if !allowed {
        return Err(AppError::Denied(crate::text::message("schools-no-puede-hacer-esta-escuela-sede", &[("code", &code)])));
    }
    Ok(())
}

/// Schools with history are archived, never deleted.
pub async fn set_archived(
    db: &Db,
    p: &Principal,
    id: SchoolId,
    archived: bool,
) -> Result<(), AppError> {
    editable(db, p, id).await?;
    let mut w = db.write().await?;
    sqlx::query("UPDATE schools SET archived = $1, updated_at = $2 WHERE id = $3")
        .bind(archived as i64)
        .bind(now())
        .bind(id)
        .execute(&mut *w)
        .await?;
    w.commit().await?;
    Ok(())
}

/// Rows per INSERT statement, measured on Chile's whole directory (16,768
/// rows): sqlx's SQLite driver slows down sharply with many bound values
/// per statement (400 rows: 6.5 s; 25 rows: 0.6 s), while PostgreSQL gains
/// from fewer round trips (400 rows: 0.9 s).
pub fn batch_rows(backend: crate::db::Backend) -> usize {
    match backend {
        crate::db::Backend::Sqlite => 25,
        crate::db::Backend::Postgres => 400,
    }
}
/// Columns bound per imported row in `upsert_batch`.
const COLUMNS: usize = 25;

/// How many schools the registry holds (the importer counts before and
/// after to tell inserted from updated rows).
pub async fn count_all(conn: &mut AnyConnection) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM schools")
        .fetch_one(&mut *conn)
        .await?)
}

/// Links an imported sede to its institution by code; false when the
/// institution does not exist.
pub async fn link_parent(
    conn: &mut AnyConnection,
    country: Country,
    code: &str,
    parent_code: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE schools SET parent_id = (SELECT p.id FROM schools p WHERE p.country = $1 AND p.official_code = $2)
         WHERE country = $1 AND official_code = $3 AND EXISTS (SELECT 1 FROM schools p WHERE p.country = $1 AND p.official_code = $2)",
    )
    .bind(country)
    .bind(parent_code)
    .bind(code)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Inserts or updates (by country and official code) a batch of imported
/// schools in one statement.
pub async fn upsert_batch(
    conn: &mut AnyConnection,
    chunk: &[NewSchool],
    at: &str,
) -> Result<(), StoreError> {
    let mut sql = String::from(
        "INSERT INTO schools (country, official_code, name, levels, dependency, modality, shift, rural, region, province,
         commune, colonia, address, latitude, longitude, classrooms, teachers, students, operating, synthetic,
         search_text, created_at, updated_at, supervision_zone, review_note) VALUES ",
    );
    for row in 0..chunk.len() {
        if row > 0 {
            sql.push_str(", ");
        }
        let placeholders: Vec<String> = (1..=COLUMNS)
            .map(|c| format!("${}", row * COLUMNS + c))
            .collect();
        sql.push('(');
        sql.push_str(&placeholders.join(", "));
        sql.push(')');
    }
    sql.push_str(
        " ON CONFLICT (country, official_code) DO UPDATE SET name = excluded.name, levels = excluded.levels,
          dependency = excluded.dependency, rural = excluded.rural, region = excluded.region,
          province = excluded.province, commune = excluded.commune, latitude = excluded.latitude,
          longitude = excluded.longitude, students = excluded.students, operating = excluded.operating,
          search_text = excluded.search_text, updated_at = excluded.updated_at,
          supervision_zone = excluded.supervision_zone, review_note = excluded.review_note",
    );
    let mut query = sqlx::query(&sql);
    for s in chunk {
        query = query
            .bind(s.country)
            .bind(s.official_code.clone())
            .bind(s.name.clone())
            .bind(s.levels.clone())
            .bind(s.dependency.clone())
            .bind(s.modality.clone())
            .bind(s.shift.clone())
            .bind(s.rural as i64)
            .bind(s.region.clone())
            .bind(s.province.clone())
            .bind(s.commune.clone())
            .bind(s.colonia.clone())
            .bind(s.address.clone())
            .bind(crate::db::Float(s.latitude))
            .bind(crate::db::Float(s.longitude))
            .bind(s.classrooms)
            .bind(s.teachers)
            .bind(s.students)
            .bind(s.operating as i64)
            .bind(s.synthetic as i64)
            .bind(search_text(s))
            .bind(at.to_string())
            .bind(at.to_string())
            .bind(s.supervision_zone.clone())
            .bind(s.review_note());
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// A person's own schools (those they have a role in), each with its
/// current networks and the people who have a role in it today.
pub async fn own(db: &Db, ids: &[SchoolId]) -> Result<Vec<super::model::OwnSchool>, StoreError> {
    let ids: Vec<i64> = ids.iter().map(|s| s.0).collect();
    let mut sql = Sql::new(
        "SELECT s.id, s.name, s.commune,
                (SELECT COUNT(*) FROM network_schools m WHERE m.school_id = s.id AND m.left_on IS NULL) AS networks,
                (SELECT COUNT(DISTINCT ms.person_id) FROM memberships ms
                  WHERE ms.school_id = s.id AND (ms.ends_on IS NULL OR ms.ends_on >= ",
    );
    sql.text(today())
        .push(")) AS people FROM schools s WHERE s.id IN ")
        .int_list(&ids)
        .push(" ORDER BY s.name, s.id LIMIT 20");
    Ok(sql.query_as().fetch_all(&db.pool).await?)
}
