//! Sentences for people (an exception's reason, a violation), carried as a message id and
//! its arguments: the application holds the sentences of every language in its locale files
//! (the `planner-` ids) and shows each in the reader's language. The planner names no
//! language.
//!
//! Plans stored before sentences had ids hold the Spanish sentence itself: it reads back as
//! a [`Text`] whose id is that sentence, with no arguments, and is shown as written.

use std::collections::BTreeMap;
use std::fmt::Display;

use serde::{Deserialize, Serialize};

/// A message id and its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Stored")]
pub struct Text {
    pub id: String,
    pub args: BTreeMap<String, Arg>,
}

/// An argument: a word or number shown as it is (a school code, a locality, a count; a
/// level's or a shift's Spanish name, which the application's data labels translate), a
/// sentence of its own, or a list of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    Word(String),
    Text(Text),
    List(Vec<Text>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    Written(String),
    Message {
        id: String,
        #[serde(default)]
        args: BTreeMap<String, Arg>,
    },
}

impl From<Stored> for Text {
    fn from(stored: Stored) -> Self {
        match stored {
            Stored::Written(sentence) => Text::new(&sentence),
            Stored::Message { id, args } => Text { id, args },
        }
    }
}

impl Text {
    pub fn new(id: &str) -> Self {
        Text {
            id: id.to_string(),
            args: BTreeMap::new(),
        }
    }

    /// With the argument `name` shown as `value` is displayed.
    pub fn arg(mut self, name: &str, value: impl Display) -> Self {
        self.args
            .insert(name.to_string(), Arg::Word(value.to_string()));
        self
    }

    /// With the argument `name` being a sentence of its own.
    pub fn text(mut self, name: &str, value: Text) -> Self {
        self.args.insert(name.to_string(), Arg::Text(value));
        self
    }

    /// With the argument `name` being a list of sentences or words.
    pub fn list(mut self, name: &str, items: Vec<Text>) -> Self {
        self.args.insert(name.to_string(), Arg::List(items));
        self
    }

    /// The word or number given as `name`, if it is one.
    pub fn word(&self, name: &str) -> Option<&str> {
        match self.args.get(name) {
            Some(Arg::Word(w)) => Some(w),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_reads_back_as_written_and_a_stored_sentence_as_an_id_without_arguments() {
        let text = Text::new("planner-host-short")
            .arg("need", 3)
            .text("why", Text::new("planner-stages-1"))
            .list("levels", vec![Text::new("primaria"), Text::new("CAM")]);
        let json = serde_json::to_string(&text).unwrap();
        assert_eq!(serde_json::from_str::<Text>(&json).unwrap(), text);
        assert_eq!(text.word("need"), Some("3"));
        let old: Text =
            serde_json::from_str("\"Ninguna escuela del grupo tiene 3 aulas\"").unwrap();
        assert_eq!(old.id, "Ninguna escuela del grupo tiene 3 aulas");
        assert!(old.args.is_empty());
    }
}
