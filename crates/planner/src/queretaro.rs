//! Querétaro (placeholder).
use crate::error::InputErrors;
use crate::model::School;

pub fn parse(_text: &str) -> Result<Vec<School>, InputErrors> {
    Ok(Vec::new())
}
