//! A small builder for queries whose WHERE clause depends on filters and on
//! what the person may see (`Visibility::restrict` adds the latter). Placeholders are numbered `$1..$n`, which both
//! SQLite and PostgreSQL accept through sqlx's `Any` driver.

use sqlx::any::AnyArguments;
use sqlx::query::{QueryAs, QueryScalar};
use sqlx::Any;

#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Int(i64),
}

#[derive(Debug, Default, Clone)]
pub struct Sql {
    pub text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub fn new(text: &str) -> Sql {
        Sql {
            text: text.to_string(),
            args: Vec::new(),
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder bound to `arg`.
    pub fn bind(&mut self, arg: Arg) -> &mut Self {
        self.args.push(arg);
        self.text.push_str(&format!("${}", self.args.len()));
        self
    }

    pub fn text(&mut self, value: impl Into<String>) -> &mut Self {
        self.bind(Arg::Text(value.into()))
    }

    pub fn int(&mut self, value: i64) -> &mut Self {
        self.bind(Arg::Int(value))
    }

    /// `(a, b, c)` placeholders for an IN list; `(NULL)` when empty so the
    /// condition is simply false.
    pub fn int_list(&mut self, values: &[i64]) -> &mut Self {
        if values.is_empty() {
            return self.push("(NULL)");
        }
        self.push("(");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.int(*v);
        }
        self.push(")")
    }

    /// The statement and its arguments as one text: the same key for the
    /// same query, for `Db::remember`.
    pub fn key(&self) -> String {
        format!("{}|{:?}", self.text, self.args)
    }

    pub fn query_as<'q, O>(&'q self) -> QueryAs<'q, Any, O, AnyArguments<'q>>
    where
        O: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut q = sqlx::query_as::<Any, O>(&self.text);
        for a in &self.args {
            q = match a {
                Arg::Text(s) => q.bind(s.clone()),
                Arg::Int(i) => q.bind(*i),
            };
        }
        q
    }

    pub fn query_scalar<'q, O>(&'q self) -> QueryScalar<'q, Any, O, AnyArguments<'q>>
    where
        O: Send + Unpin,
        (O,): for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut q = sqlx::query_scalar::<Any, O>(&self.text);
        for a in &self.args {
            q = match a {
                Arg::Text(s) => q.bind(s.clone()),
                Arg::Int(i) => q.bind(*i),
            };
        }
        q
    }
}

/// A list of columns (`"id, name"`) with a table alias (`"s.id, s.name"`).
pub fn prefixed(columns: &str, alias: &str) -> String {
    columns
        .split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Lower-case, accent-free text for searching the same way on both stores.
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A yes/no filter from a query string (`true`, `1`, `on`). Filters are
/// `#[serde(flatten)]`ed into the page's query, which hands every value over
/// as text, so a plain `bool` field would refuse `?archived=true`.
pub fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    Ok(match <Flag as serde::Deserialize>::deserialize(d)? {
        Flag::Bool(b) => b,
        Flag::Text(t) => matches!(t.trim(), "true" | "1" | "on" | "sí" | "si"),
    })
}

/// A `LIKE` pattern matching `needle` anywhere, with wildcards escaped.
pub fn contains_pattern(needle: &str) -> String {
    let escaped = fold(needle.trim())
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_removes_accents_and_case() {
        assert_eq!(fold("Liceo Politécnico ÑUÑOA"), "liceo politecnico nunoa");
    }

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut sql = Sql::new("SELECT 1 WHERE a = ");
        sql.text("x").push(" AND b IN ").int_list(&[1, 2]);
        assert_eq!(sql.text, "SELECT 1 WHERE a = $1 AND b IN ($2, $3)");
        let mut empty = Sql::new("b IN ");
        empty.int_list(&[]);
        assert_eq!(empty.text, "b IN (NULL)");
    }
}
