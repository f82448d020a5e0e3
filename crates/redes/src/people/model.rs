//! People, their accounts and the roles they hold (role × scope × dates):
//! the types and the checking of the forms.

use serde::{Deserialize, Serialize};

use crate::auth::policy::{Role, ScopeKind};
use crate::country::Country;
use crate::error::FieldErrors;
use crate::ids::{MembershipId, PersonId};

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
        errors.insert("full_name".into(), "el nombre es obligatorio".into());
    }
    let email = email.trim();
    if !email.is_empty() && !email.contains('@') {
        errors.insert("email".into(), "el correo no es válido".into());
    }
    if password.is_some_and(|p| p.chars().count() < MIN_PASSWORD) {
        errors.insert(
            "password".into(),
            format!("la contraseña debe tener al menos {MIN_PASSWORD} caracteres"),
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
                "use solo letras sin tilde, números, punto, guion o guion bajo".into(),
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
