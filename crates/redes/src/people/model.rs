//! People, their accounts and the roles they hold (role × scope × dates):
//! the types and the checking of the forms.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::policy::{Role, ScopeKind};
use crate::country::Country;
use crate::error::FieldErrors;
use crate::ids::{MembershipId, PersonId, SchoolId};

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Person {
    pub id: PersonId,
    pub full_name: String,
    pub email: String,
    pub username: Option<String>,
    pub is_admin: i64,
    pub archived: i64,
}

/// A new account: checked input.
pub struct NewPerson {
    pub full_name: String,
    pub email: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub is_admin: bool,
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PersonInput {
    pub full_name: String,
    pub email: String,
    pub username: String,
    pub password: String,
}

pub const MIN_PASSWORD: usize = 10;

/// Checks shared by the create and edit forms: a name, a plausible e-mail,
/// and (when one is set) a long enough password.
pub fn check_person_fields(
    full_name: &str,
    email: &str,
    password: Option<&str>,
    errors: &mut FieldErrors,
) {
    if full_name.trim().is_empty() {
        errors.insert("full_name".into(), "people-nombre-es-obligatorio".into());
    }
    let email = email.trim();
    if !email.is_empty() && !email.contains('@') {
        errors.insert("email".into(), "people-correo-no-es-valido".into());
    }
    if password.is_some_and(|p| p.chars().count() < MIN_PASSWORD) {
        errors.insert(
            "password".into(),
            crate::text::message("people-contrasena-debe-tener-menos-caracteres", &[("MIN_PASSWORD", &MIN_PASSWORD)]),
        );
    }
}

impl PersonInput {
    pub fn parse(&self) -> Result<NewPerson, FieldErrors> {
        let mut errors = crate::limits::check(self);
        let full_name = self.full_name.trim().to_string();
        let username = self.username.trim().to_lowercase();
        if !username.is_empty()
            && !username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c))
        {
            errors.insert(
                "username".into(),
                "people-use-solo-letras-sin-tilde-numeros".into(),
            );
        }
        // An account (a username) needs a password; a person without one does not.
        let password = (!username.is_empty()).then_some(self.password.as_str());
        check_person_fields(&full_name, &self.email, password, &mut errors);
        let email = self.email.trim().to_string();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(NewPerson {
            full_name,
            email,
            username: Some(username).filter(|u| !u.is_empty()),
            password: Some(self.password.clone()).filter(|p| !p.is_empty()),
            is_admin: false,
        })
    }
}

/// A role to grant: scope given by kind and by name (region/province) or id.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct MembershipInput {
    pub role: String,
    pub country: String,
    /// Region or province name for territorial scopes.
    pub scope_name: String,
    /// School official code for school scopes.
    pub school_code: String,
    pub network_id: String,
    /// A supervision zone's CCT (Mexico): a supervisor's role is then held
    /// in that zone instead of the role's usual scope.
    pub zone: String,
    pub starts_on: String,
}

/// A role held, as the person's page lists it.
#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct MembershipRow {
    pub id: MembershipId,
    pub role: Role,
    pub scope_kind: ScopeKind,
    pub country: Country,
    pub scope_name: String,
    pub school_name: Option<String>,
    pub network_name: Option<String>,
    pub starts_on: String,
    pub ends_on: Option<String>,
}

/// What an administrator may change on an account; a new password is optional.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PersonEdit {
    pub full_name: String,
    pub email: String,
    pub password: String,
}

impl PersonEdit {
    pub fn check(&self) -> FieldErrors {
        let mut errors = crate::limits::check(self);
        // An empty password field keeps the current password.
        let password = (!self.password.is_empty()).then_some(self.password.as_str());
        check_person_fields(&self.full_name, &self.email, password, &mut errors);
        errors
    }
}

/// The form as shown again: the password is never sent back to the browser.
pub fn input_without_password(i: &PersonInput) -> PersonInput {
    PersonInput {
        full_name: i.full_name.clone(),
        email: i.email.clone(),
        username: i.username.clone(),
        password: String::new(),
    }
}

/// A person holding a role today in a network or in one of its schools, as
/// the network's and the school's pages list them.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PersonInPlace {
    pub person_id: PersonId,
    pub full_name: String,
    pub role: Role,
    /// The school the role is held in; none for a role in the network.
    pub school_id: Option<SchoolId>,
    pub school_name: Option<String>,
}

impl PersonInPlace {
    /// The order of the pages: the network's own people first, then by
    /// school, by role (coordination and leadership before staff, as
    /// `Role::ALL` lists them) and by name.
    pub fn sort(people: &mut [PersonInPlace]) {
        let rank = |r: Role| Role::ALL.iter().position(|x| *x == r).unwrap_or(usize::MAX);
        people.sort_by(|a, b| {
            (a.school_id.is_some(), &a.school_name, rank(a.role), &a.full_name).cmp(&(
                b.school_id.is_some(),
                &b.school_name,
                rank(b.role),
                &b.full_name,
            ))
        });
    }

    /// A school's leadership: its director, technical head and owner.
    pub fn leads(&self) -> bool {
        matches!(
            self.role,
            Role::Director | Role::TechnicalHead | Role::SchoolOwner
        )
    }
}

/// Who to add to a network, and as what (the network page's form and the
/// API's body).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default)]
#[schema(example = json!({"person": "docente.liceo@example.org", "role": "teacher"}))]
pub struct InviteInput {
    /// The person's username or e-mail. They must already be in Redes
    /// (administrators create accounts); no mail is sent.
    #[schema(min_length = 1, max_length = 254, pattern = "\\S")]
    pub person: String,
    /// The role in the network.
    #[schema(pattern = "^(network_coordinator|teacher|adviser|tutor|observer)$")]
    pub role: String,
}

impl InviteInput {
    /// The username or e-mail, trimmed, and the role, which must be one a
    /// network gives (`Role::IN_NETWORK`).
    pub fn parse(&self) -> Result<(String, Role), FieldErrors> {
        let mut errors = crate::limits::check(self);
        let person = self.person.trim().to_string();
        if person.is_empty() && !errors.contains_key("person") {
            errors.insert(
                "person".into(),
                "people-escriba-nombre-usuario-correo-persona".into(),
            );
        }
        let role = Role::parse(self.role.trim()).filter(|r| Role::IN_NETWORK.contains(r));
        if role.is_none() && !errors.contains_key("role") {
            errors.insert("role".into(), "people-elija-uno-roles-lista".into());
        }
        match role {
            Some(role) if errors.is_empty() => Ok((person, role)),
            _ => Err(errors),
        }
    }
}

/// The roles a network gives, as (code, Spanish name), for its form.
pub fn network_roles() -> Vec<(&'static str, &'static str)> {
    Role::IN_NETWORK
        .iter()
        .map(|r| (r.code(), r.label()))
        .collect()
}

/// A person added to a network: the API's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Invited {
    pub person_id: PersonId,
    pub full_name: String,
    /// The role's code (`teacher`).
    pub role: String,
    /// The role's Spanish name.
    pub role_label: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invitation_names_a_person_and_a_network_role() {
        let errors = InviteInput::default().parse().unwrap_err();
        assert!(errors["person"].contains("usuario"));
        assert!(errors["role"].contains("roles"));
        let director = InviteInput {
            person: "ana".into(),
            role: "director".into(),
        };
        assert!(director.parse().unwrap_err().contains_key("role"));
        let long = InviteInput {
            person: "a".repeat(255),
            role: "teacher".into(),
        };
        assert!(long.parse().unwrap_err()["person"].contains("254"));
        let ok = InviteInput {
            person: "  ana@example.org ".into(),
            role: "observer".into(),
        };
        assert_eq!(
            ok.parse().unwrap(),
            ("ana@example.org".to_string(), Role::Observer)
        );
    }
}
