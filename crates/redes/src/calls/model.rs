//! Institutional calls: the stored call and the checking of the form.

use serde::{Deserialize, Serialize};

use crate::country::Country;
use crate::error::FieldErrors;
use crate::ids::{CallId, PersonId};

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct Call {
    pub id: CallId,
    pub country: Country,
    pub region: String,
    pub title: String,
    pub body: String,
    pub author: String,
    pub created_at: String,
}

/// The call form, as typed.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CallInput {
    pub country: String,
    pub region: String,
    pub title: String,
    pub body: String,
}

/// A checked call, ready to be written.
pub struct NewCall {
    pub country: Country,
    /// Empty for a national call.
    pub region: String,
    pub title: String,
    pub body: String,
    pub created_by: PersonId,
}

impl CallInput {
    pub fn parse(&self, author: PersonId) -> Result<NewCall, FieldErrors> {
        let mut errors = crate::limits::check(self);
        if self.title.trim().is_empty() {
            errors.insert("title".into(), "el título es obligatorio".into());
        }
        let country = Country::parse(&self.country);
        if country.is_none() {
            errors.insert("country".into(), "elija Chile, Colombia o México".into());
        }
        match country {
            Some(country) if errors.is_empty() => Ok(NewCall {
                country,
                region: self.region.trim().to_string(),
                title: self.title.trim().to_string(),
                body: self.body.trim().to_string(),
                created_by: author,
            }),
            _ => Err(errors),
        }
    }
}
