//! Every query of people, accounts and memberships, and the writes the
//! pages, the command line and the demo share.

use sqlx::AnyConnection;

use super::model::{
    Invited, InviteInput, MembershipInput, MembershipRow, NewPerson, Person, PersonEdit,
    PersonInPlace, PersonInput,
};
use crate::auth::hash_password;
use crate::auth::policy::{Principal, Role, ScopeKind};
use crate::country::Country;
use crate::db::{now, today, Db};
use crate::error::{is_unique_violation, AppError, StoreError};
use crate::ids::{MembershipId, NetworkId, PersonId, SchoolId};
use crate::sql::{contains_pattern, fold, Sql};

pub const PAGE_SIZE: i64 = 50;

/// What the people search looks in.
fn search_text(full_name: &str, username: Option<&str>) -> String {
    fold(&format!("{full_name} {}", username.unwrap_or("")))
}

/// Ends every session of a person (new password, archived account).
/// Signs the person out everywhere: browser sessions and API tokens end
/// (on a new password, on archiving).
async fn end_sessions(conn: &mut AnyConnection, person_id: PersonId) -> Result<(), StoreError> {
    for table in ["sessions", "api_tokens"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE person_id = $1"))
            .bind(person_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn insert(conn: &mut AnyConnection, p: &NewPerson) -> Result<PersonId, StoreError> {
    let hash = match &p.password {
        Some(pw) => Some(hash_password(pw)?),
        None => None,
    };
    let at = now();
    sqlx::query_scalar(
        "INSERT INTO people (full_name, email, username, password_hash, is_admin, search_text, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(&p.full_name)
    .bind(&p.email)
    .bind(&p.username)
    .bind(hash)
    .bind(p.is_admin as i64)
    .bind(search_text(&p.full_name, p.username.as_deref()))
    .bind(at)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| {
        if is_unique_violation(&e) {
            StoreError::invalid("username", crate::text::message("people-usuario-ya-existe", &[("arg1", &p.username.as_deref().unwrap_or(""))]))
        } else {
            e.into()
        }
    })
}

/// Grants a role in the scope kind the role normally has.
pub async fn grant(
    conn: &mut AnyConnection,
    person_id: PersonId,
    m: &MembershipInput,
) -> Result<(), AppError> {
    let role = Role::parse(&m.role).ok_or_else(|| AppError::field("role", "rol desconocido"))?;
    if m.zone.trim().is_empty() {
        return grant_with_kind(conn, person_id, m, role.scope_kind()).await;
    }
    let zone = MembershipInput {
        scope_name: m.zone.trim().to_uppercase(),
        ..m.clone()
    };
    grant_with_kind(conn, person_id, &zone, ScopeKind::Zone).await
}

/// Grants a role in an explicit scope kind (e.g. a district secretariat
/// whose territory is a municipality).
pub async fn grant_with_kind(
    conn: &mut AnyConnection,
    person_id: PersonId,
    m: &MembershipInput,
    kind: ScopeKind,
) -> Result<(), AppError> {
    let role = Role::parse(&m.role).ok_or_else(|| AppError::field("role", "rol desconocido"))?;
    let errors = crate::limits::check(m);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let country = Country::parse(&m.country)
        .ok_or_else(|| AppError::field("country", "people-elija-chile-colombia-mexico"))?;
    let (school_id, network_id) = match kind {
        ScopeKind::School => {
            let code = m.school_code.trim().to_uppercase();
            let id = crate::schools::store::id_by_code(conn, country, &code).await?;
            let id = id.ok_or_else(|| {
                AppError::field(
                    "school_code",
                    "people-no-existe-escuela-con-ese-codigo",
                )
            })?;
            (Some(id), None)
        }
        ScopeKind::Network => {
            let id = NetworkId(
                m.network_id
                    .trim()
                    .parse()
                    .map_err(|_| AppError::field("network_id", "people-indique-numero-red"))?,
            );
            let found: Option<NetworkId> =
                sqlx::query_scalar("SELECT id FROM networks WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *conn)
                    .await?;
            found.ok_or_else(|| AppError::field("network_id", "people-no-existe-esa-red"))?;
            (None, Some(id))
        }
        ScopeKind::Region | ScopeKind::Province if m.scope_name.trim().is_empty() => {
            return Err(AppError::field(
                "scope_name",
                "people-indique-region-provincia-rol",
            ));
        }
        // A zone is Mexican, named by its CCT, and supervised.
        ScopeKind::Zone => {
            if role != Role::Supervisor {
                return Err(AppError::field(
                    "zone",
                    "people-solo-supervision-zona-asigna-zona",
                ));
            }
            if country != Country::Mx
                || crate::country::check_official_code(Country::Mx, m.scope_name.trim()).is_err()
            {
                return Err(AppError::field(
                    "zone",
                    "people-indique-clave-zona-supervision-mexico-como",
                ));
            }
            (None, None)
        }
        _ => (None, None),
    };
    let starts_on = if m.starts_on.trim().is_empty() {
        today()
    } else {
        m.starts_on.trim().to_string()
    };
    sqlx::query(
        "INSERT INTO memberships (person_id, role, scope_kind, country, scope_name, school_id, network_id, starts_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(person_id)
    .bind(role)
    .bind(kind)
    .bind(country)
    .bind(m.scope_name.trim())
    .bind(school_id)
    .bind(network_id)
    .bind(starts_on)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One page of people (administrators' list), with the total.
pub async fn list(
    db: &Db,
    q: &str,
    archived: bool,
    page: i64,
) -> Result<(Vec<Person>, i64), AppError> {
    crate::limits::search("q", q)?;
    let filter = |sql: &mut Sql| {
        if !archived {
            sql.push(" AND archived = 0");
        }
        if !q.trim().is_empty() {
            sql.push(" AND search_text LIKE ")
                .text(contains_pattern(q))
                .push(" ESCAPE '\\'");
        }
    };
    let mut count = Sql::new("SELECT COUNT(*) FROM people WHERE 1 = 1");
    filter(&mut count);
    let total: i64 = count.query_scalar().fetch_one(&db.pool).await?;
    let mut sql = Sql::new(
        "SELECT id, full_name, email, username, is_admin, archived FROM people WHERE 1 = 1",
    );
    filter(&mut sql);
    sql.push(" ORDER BY full_name, id LIMIT ")
        .int(PAGE_SIZE)
        .push(" OFFSET ")
        .int((page - 1) * PAGE_SIZE);
    Ok((sql.query_as().fetch_all(&db.pool).await?, total))
}

pub async fn get(db: &Db, id: PersonId) -> Result<Person, StoreError> {
    sqlx::query_as(
        "SELECT id, full_name, email, username, is_admin, archived FROM people WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(StoreError::NotFound)
}

/// The person, when the viewer may see their page (administrators, and
/// each person their own).
pub async fn viewable(db: &Db, p: &Principal, id: PersonId) -> Result<Person, AppError> {
    if !p.can_view_person(id) {
        return Err(AppError::Forbidden);
    }
    Ok(get(db, id).await?)
}

/// The person, when the viewer manages people.
pub async fn manageable(db: &Db, p: &Principal, id: PersonId) -> Result<Person, AppError> {
    if !p.can_manage_people() {
        return Err(AppError::Forbidden);
    }
    Ok(get(db, id).await?)
}

/// Every role the person has held, oldest first.
pub async fn memberships(db: &Db, id: PersonId) -> Result<Vec<MembershipRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.role, m.scope_kind, m.country, m.scope_name, s.name AS school_name, n.name AS network_name, m.starts_on, m.ends_on
         FROM memberships m LEFT JOIN schools s ON s.id = m.school_id LEFT JOIN networks n ON n.id = m.network_id
         WHERE m.person_id = $1 ORDER BY m.starts_on",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?)
}

/// Creates a person (and maybe an account): parse, check, write.
pub async fn create(db: &Db, p: &Principal, input: &PersonInput) -> Result<PersonId, AppError> {
    if !p.can_manage_people() {
        return Err(AppError::Forbidden);
    }
    let person = input.parse().map_err(AppError::Validation)?;
    let mut w = db.write().await?;
    let id = insert(&mut w, &person).await?;
    w.commit().await?;
    Ok(id)
}

/// Changes a person's name and e-mail, and maybe their password (which
/// signs them out everywhere).
pub async fn edit(
    db: &Db,
    p: &Principal,
    id: PersonId,
    input: &PersonEdit,
) -> Result<(), AppError> {
    let person = manageable(db, p, id).await?;
    let errors = input.check();
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let full_name = input.full_name.trim();
    let mut tx = db.write().await?;
    sqlx::query("UPDATE people SET full_name = $1, email = $2, search_text = $3, updated_at = $4 WHERE id = $5")
        .bind(full_name)
        .bind(input.email.trim())
        .bind(search_text(full_name, person.username.as_deref()))
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if !input.password.is_empty() {
        sqlx::query("UPDATE people SET password_hash = $1 WHERE id = $2")
            .bind(hash_password(&input.password)?)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        // A new password signs the person out everywhere.
        end_sessions(&mut tx, id).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Archives (or restores) a person: an archived person cannot sign in and
/// their sessions end; their history stays.
pub async fn toggle_archived(db: &Db, p: &Principal, id: PersonId) -> Result<(), AppError> {
    let person = manageable(db, p, id).await?;
    if id == p.person_id {
        return Err(AppError::BadRequest(
            "people-no-puede-archivar-propia-cuenta".into(),
        ));
    }
    let mut tx = db.write().await?;
    sqlx::query("UPDATE people SET archived = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(person.archived == 0))
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    end_sessions(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Grants a role to a person (administrators).
pub async fn add_membership(
    db: &Db,
    p: &Principal,
    id: PersonId,
    input: &MembershipInput,
) -> Result<(), AppError> {
    if !p.can_manage_people() {
        return Err(AppError::Forbidden);
    }
    let mut w = db.write().await?;
    grant(&mut w, id, input).await?;
    w.commit().await?;
    Ok(())
}

/// Ends a role today; its history stays.
pub async fn end_membership(
    db: &Db,
    p: &Principal,
    id: PersonId,
    membership_id: MembershipId,
) -> Result<(), AppError> {
    if !p.can_manage_people() {
        return Err(AppError::Forbidden);
    }
    let mut w = db.write().await?;
    sqlx::query(
        "UPDATE memberships SET ends_on = $1 WHERE id = $2 AND person_id = $3 AND ends_on IS NULL",
    )
    .bind(today())
    .bind(membership_id)
    .bind(id)
    .execute(&mut *w)
    .await?;
    w.commit().await?;
    Ok(())
}

/// The people holding a role today, with their school (none for a role in
/// a network). `place` is the SQL condition on the membership `m`, with
/// `$1` its id; `$2` is today.
async fn holding_today(
    db: &Db,
    place: &str,
    id: i64,
) -> Result<Vec<PersonInPlace>, StoreError> {
    let mut people = sqlx::query_as::<_, PersonInPlace>(&format!(
        "SELECT p.id AS person_id, p.full_name, m.role, m.school_id, s.name AS school_name
         FROM memberships m JOIN people p ON p.id = m.person_id LEFT JOIN schools s ON s.id = m.school_id
         WHERE p.archived = 0 AND m.starts_on <= $2 AND (m.ends_on IS NULL OR m.ends_on >= $2) AND ({place})
         ORDER BY p.full_name, m.id"
    ))
    .bind(id)
    .bind(today())
    .fetch_all(&db.pool)
    .await?;
    PersonInPlace::sort(&mut people);
    Ok(people)
}

/// Who is in a network today: the people holding a role in it (its
/// coordination, invited members) and the people of its current member
/// schools.
pub async fn in_network(
    db: &Db,
    network_id: NetworkId,
) -> Result<Vec<PersonInPlace>, StoreError> {
    holding_today(
        db,
        "(m.scope_kind = 'network' AND m.network_id = $1)
         OR (m.scope_kind = 'school' AND m.school_id IN
             (SELECT school_id FROM network_schools WHERE network_id = $1 AND left_on IS NULL))",
        network_id.0,
    )
    .await
}

/// Who holds a role in a school today: its leadership and staff in Redes.
pub async fn in_school(db: &Db, school_id: SchoolId) -> Result<Vec<PersonInPlace>, StoreError> {
    holding_today(
        db,
        "m.scope_kind = 'school' AND m.school_id = $1",
        school_id.0,
    )
    .await
}

/// Adds a person who is already in Redes to a network with a role (the
/// network page and the API): the network's coordination or an
/// administrator invites; the person is found by username or e-mail; one
/// who already holds a role in the network is refused. Nobody without an
/// account can be invited: that would mean sending mail, which Redes does
/// not do.
pub async fn invite_to_network(
    db: &Db,
    p: &Principal,
    network_id: NetworkId,
    input: &InviteInput,
) -> Result<Invited, AppError> {
    let network = crate::networks::store::get(db, network_id).await?;
    if !p.can_invite_to_network(&network.policy()) {
        return Err(AppError::Denied(
            "people-solo-coordinacion-red-administracion-pueden-invitar"
                .into(),
        ));
    }
    let (login, role) = input.parse().map_err(AppError::Validation)?;
    let mut w = db.write().await?;
    // An e-mail may be shared (a school's common address): at most two
    // rows tell "one" from "several".
    let found: Vec<(PersonId, String)> = sqlx::query_as(
        "SELECT id, full_name FROM people
         WHERE archived = 0 AND (LOWER(username) = LOWER($1) OR LOWER(email) = LOWER($1))
         ORDER BY id LIMIT 2",
    )
    .bind(&login)
    .fetch_all(&mut *w)
    .await?;
    let (person_id, full_name) = match found.as_slice() {
        [one] => one.clone(),
        [] => {
            return Err(AppError::field(
                "person",
                crate::text::message("people-nadie-redes-tiene-usuario-correo-pida", &[("login", &login)]),
            ))
        }
        _ => {
            return Err(AppError::field(
                "person",
                "people-varias-personas-usan-ese-correo-escriba",
            ))
        }
    };
    let held: Option<Role> = sqlx::query_scalar(
        "SELECT role FROM memberships
         WHERE person_id = $1 AND scope_kind = 'network' AND network_id = $2
           AND starts_on <= $3 AND (ends_on IS NULL OR ends_on >= $3)
         ORDER BY id LIMIT 1",
    )
    .bind(person_id)
    .bind(network_id)
    .bind(today())
    .fetch_optional(&mut *w)
    .await?;
    if let Some(held) = held {
        return Err(AppError::field(
            "person",
            crate::text::message("people-ya-integra-esta-red", &[("full_name", &full_name), ("arg1", &held.label())]),
        ));
    }
    let membership = MembershipInput {
        role: role.code().into(),
        country: network.country.code().into(),
        network_id: network_id.to_string(),
        ..MembershipInput::default()
    };
    grant_with_kind(&mut w, person_id, &membership, ScopeKind::Network).await?;
    w.commit().await?;
    Ok(Invited {
        person_id,
        full_name,
        role: role.code().into(),
        role_label: crate::text::es(role.label()),
    })
}
