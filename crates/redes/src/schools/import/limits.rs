//! What a field of an imported file may hold: the school form's limits
//! (`SchoolInput::parse` has only the name's; the others are chosen here and
//! meant for the form too), no control characters, and counts a school can
//! have. Checked on every row before anything is written, so that a bad
//! value is reported by row and column instead of failing in the database
//! (PostgreSQL refuses NUL in text) or being stored.

use crate::error::FieldErrors;

/// Largest number of classrooms, teachers or students (the form's).
pub const COUNT_MAX: i64 = crate::limits::MAX_COUNT;

/// The limit for a field of Redes' own format: the form's, one table for
/// both (`crate::limits`).
pub fn max_chars(field: &str) -> usize {
    crate::limits::max_chars(field)
}

/// A value quoted in a message, cut short: a message must not repeat a
/// megabyte of input.
pub fn shown(value: &str) -> String {
    const SHOWN: usize = 40;
    let count = value.chars().count();
    if count <= SHOWN {
        format!("«{value}»")
    } else {
        let head: String = value.chars().take(SHOWN).collect();
        format!("«{head}…» ({count} caracteres)")
    }
}

/// `column: too long` when `value` exceeds the limit of school field `field`.
pub fn check_length(column: &str, field: &str, value: &str) -> Option<String> {
    length_problem(field, value).map(|problem| format!("{column}: {problem}"))
}

fn length_problem(field: &str, value: &str) -> Option<String> {
    let count = value.chars().count();
    let max = max_chars(field);
    (count > max).then(|| format!("tiene {count} caracteres; el máximo es {max}"))
}

/// A count out of range (negative or above [`COUNT_MAX`]); other text is
/// left to the field's own parsing.
pub fn check_count(value: &str) -> Option<String> {
    let value = value.trim();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if value.strip_prefix('-').is_some_and(digits) {
        return Some(format!("{} no puede ser negativo", shown(value)));
    }
    let too_big = digits(value) && value.parse::<i64>().map_or(true, |n| n > COUNT_MAX);
    too_big.then(|| format!("{} supera el máximo de {COUNT_MAX}", shown(value)))
}

/// Checks the own-format fields the form does not limit (yet); merged with
/// the form's own messages by the caller, these take precedence.
pub fn check_fields(get: &dyn Fn(&str) -> String, fields: &[&str]) -> FieldErrors {
    let mut errors = FieldErrors::new();
    for &field in fields {
        let value = get(field);
        if let Some(problem) = length_problem(field, &value) {
            errors.insert(field.into(), problem);
        } else if matches!(field, "classrooms" | "teachers" | "students") {
            if let Some(problem) = check_count(&value) {
                errors.insert(field.into(), problem);
            }
        }
    }
    errors
}

/// The first control character of a field, described for a message. Line
/// breaks never get here: they are reported as a quoted field spanning lines.
pub fn control_character(value: &str) -> Option<String> {
    let c = value.chars().find(|c| c.is_control())?;
    Some(match c {
        '\0' => "un carácter nulo (NUL)".into(),
        '\t' => "un tabulador".into(),
        c => format!("un carácter de control (U+{:04X})", c as u32),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_lengths_have_limits() {
        assert_eq!(check_count("100000"), None);
        assert_eq!(check_count("abc"), None, "left to the field's parsing");
        assert!(check_count("100001").unwrap().contains("máximo de 100000"));
        assert!(check_count("99999999999999999999999").is_some());
        assert!(check_count("-3").unwrap().contains("negativo"));
        assert_eq!(check_length("name", "name", &"x".repeat(200)), None);
        assert_eq!(
            check_length("NOM_RBD", "name", &"x".repeat(201)).unwrap(),
            "NOM_RBD: tiene 201 caracteres; el máximo es 200"
        );
        assert!(shown(&"x".repeat(1000)).ends_with("(1000 caracteres)"));
        assert_eq!(
            control_character("Escuela\0"),
            Some("un carácter nulo (NUL)".into())
        );
        assert_eq!(control_character("Escuela Ñandú"), None);
    }
}
