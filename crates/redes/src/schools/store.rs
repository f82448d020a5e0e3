//! School queries. Every function works on both SQLite and PostgreSQL.

use sqlx::AnyConnection;

use super::model::{NewSchool, School, SchoolInput, SCHOOL_COLUMNS};
use crate::auth::policy::{Principal, SchoolPlace, Territory, Visibility};
use crate::db::{now, Db};
use crate::error::{is_unique_violation, AppError};
use crate::sql::{contains_pattern, fold, restrict_schools, Sql};

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
    if !f.level.is_empty() {
        sql.push(" AND (',' || s.levels || ',') LIKE ")
            .text(format!("%,{},%", f.level));
    }
    restrict_schools(sql, v, "s");
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
    let total: i64 = count.query_scalar().fetch_one(&db.pool).await?;
    let columns = SCHOOL_COLUMNS
        .split(", ")
        .map(|c| format!("s.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut sql = Sql::new(&format!("SELECT {columns} FROM schools s"));
    where_clause(&mut sql, v, f);
    sql.push(" ORDER BY s.name, s.id LIMIT ")
        .int(PAGE_SIZE)
        .push(" OFFSET ")
        .int((crate::limits::page(Some(page)) - 1) * PAGE_SIZE);
    let rows = sql.query_as::<School>().fetch_all(&db.pool).await?;
    Ok((rows, total))
}

/// Distinct regions present, for the filter menu.
pub async fn regions(db: &Db, v: &Visibility) -> Result<Vec<String>, AppError> {
    let mut sql = Sql::new("SELECT DISTINCT s.region FROM schools s WHERE s.archived = 0");
    restrict_schools(&mut sql, v, "s");
    sql.push(" ORDER BY s.region");
    Ok(sql.query_scalar().fetch_all(&db.pool).await?)
}

pub async fn get(db: &Db, id: i64) -> Result<School, AppError> {
    sqlx::query_as::<_, School>(&format!(
        "SELECT {SCHOOL_COLUMNS} FROM schools WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)
}

pub async fn find_by_code(db: &Db, country: &str, code: &str) -> Result<Option<School>, AppError> {
    Ok(sqlx::query_as::<_, School>(&format!(
        "SELECT {SCHOOL_COLUMNS} FROM schools WHERE country = $1 AND official_code = $2"
    ))
    .bind(country)
    .bind(code)
    .fetch_optional(&db.pool)
    .await?)
}

/// Networks the school currently belongs to.
pub async fn network_ids(db: &Db, id: i64) -> Result<Vec<i64>, AppError> {
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
    pub network_ids: Vec<i64>,
}

impl Place {
    pub fn policy(&self) -> SchoolPlace<'_> {
        SchoolPlace {
            id: self.school.id,
            parent_id: self.school.parent_id,
            country: &self.school.country,
            region: &self.school.region,
            province: &self.school.province,
            network_ids: &self.network_ids,
        }
    }
}

pub async fn place(db: &Db, id: i64) -> Result<Place, AppError> {
    let school = get(db, id).await?;
    let network_ids = network_ids(db, id).await?;
    Ok(Place {
        school,
        network_ids,
    })
}

/// Sedes of an institution (Colombia).
pub async fn sedes(db: &Db, id: i64) -> Result<Vec<School>, AppError> {
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
    country: &str,
    code: &str,
) -> Result<Option<i64>, AppError> {
    Ok(
        sqlx::query_scalar("SELECT id FROM schools WHERE country = $1 AND official_code = $2")
            .bind(country)
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

async fn parent_id(conn: &mut AnyConnection, s: &NewSchool) -> Result<Option<i64>, AppError> {
    let Some(code) = &s.parent_code else {
        return Ok(None);
    };
    let id = id_by_code(conn, &s.country, code).await?;
    id.map(Some).ok_or_else(|| {
        AppError::field(
            "parent_code",
            format!("no existe una institución con el código {code}"),
        )
    })
}

fn duplicate(s: &NewSchool, err: sqlx::Error) -> AppError {
    if is_unique_violation(&err) {
        let name = crate::country::find(&s.country)
            .map(|c| c.code_name)
            .unwrap_or("oficial");
        return AppError::field(
            "official_code",
            format!(
                "ya existe una escuela con el código {name} {}",
                s.official_code
            ),
        );
    }
    err.into()
}

pub async fn insert(conn: &mut AnyConnection, s: &NewSchool) -> Result<i64, AppError> {
    let parent = parent_id(conn, s).await?;
    let at = now();
    sqlx::query_scalar(
        "INSERT INTO schools (country, official_code, name, parent_id, levels, dependency, modality, shift, rural,
            region, province, commune, colonia, address, latitude, longitude, classrooms, teachers, students,
            operating, synthetic, search_text, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23)
         RETURNING id",
    )
    .bind(&s.country)
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
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| duplicate(s, e))
}

pub async fn update(conn: &mut AnyConnection, id: i64, s: &NewSchool) -> Result<(), AppError> {
    let parent = parent_id(conn, s).await?;
    if parent == Some(id) {
        return Err(AppError::field(
            "parent_code",
            "una institución no puede ser sede de sí misma",
        ));
    }
    sqlx::query(
        "UPDATE schools SET country = $1, official_code = $2, name = $3, parent_id = $4, levels = $5, dependency = $6,
            modality = $7, shift = $8, rural = $9, region = $10, province = $11, commune = $12, colonia = $13,
            address = $14, latitude = $15, longitude = $16, classrooms = $17, teachers = $18, students = $19,
            search_text = $20, updated_at = $21
         WHERE id = $22",
    )
    .bind(&s.country)
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
    .execute(&mut *conn)
    .await
    .map_err(|e| duplicate(s, e))?;
    Ok(())
}

/// Registers a school: parse, decide, write in one transaction. The page,
/// the API and the demo all come through here.
pub async fn register(db: &Db, p: &Principal, input: &SchoolInput) -> Result<i64, AppError> {
    let school = input.parse().map_err(AppError::Validation)?;
    if !p.can_create_school(&school.country, &school.region, &school.province) {
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
pub async fn edit(db: &Db, p: &Principal, id: i64, input: &SchoolInput) -> Result<(), AppError> {
    let current = place(db, id).await?;
    if !p.can_edit_school(&current.policy()) {
        return Err(AppError::Forbidden);
    }
    let school = input.parse().map_err(AppError::Validation)?;
    let to = Territory {
        country: &school.country,
        region: &school.region,
        province: &school.province,
    };
    if !p.can_move(current.policy().territory(), to) {
        return Err(AppError::Denied(
            "No puede trasladar la escuela a un territorio fuera de su alcance.".into(),
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
    let Some(parent) = find_by_code(db, &school.country, code).await? else {
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
        return Err(AppError::Denied(format!(
            "No puede hacer de esta escuela una sede de la institución {code}: está fuera de su alcance."
        )));
    }
    Ok(())
}

/// Schools with history are archived, never deleted.
pub async fn set_archived(db: &Db, p: &Principal, id: i64, archived: bool) -> Result<(), AppError> {
    let current = place(db, id).await?;
    if !p.can_edit_school(&current.policy()) {
        return Err(AppError::Forbidden);
    }
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
