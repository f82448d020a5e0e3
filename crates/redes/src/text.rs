//! The interface's texts, in Project Fluent files: one per language
//! (`locales/es.ftl`, Spanish, the default; `locales/en.ftl`, English).
//! Templates and Rust name a text by its id (`t("networks-crear-red")`);
//! counts use Fluent's plural rules (`t("census-count-redes", n=3)`).
//!
//! A value that is not an id (a school's name, a label stored as data)
//! passes through unchanged, so `t(x)` is safe on anything; the tests in
//! `layout` check that every id a template names exists in both files.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::layout::Lang;

pub const SPANISH: &str = include_str!("../locales/es.ftl");
pub const ENGLISH: &str = include_str!("../locales/en.ftl");

type Bundle = FluentBundle<FluentResource>;

struct Texts {
    es: Bundle,
    en: Bundle,
}

static TEXTS: LazyLock<Texts> = LazyLock::new(|| Texts {
    es: bundle("es", SPANISH),
    en: bundle("en", ENGLISH),
});

fn bundle(lang: &str, source: &str) -> Bundle {
    let resource = FluentResource::try_new(source.to_string())
        .unwrap_or_else(|(_, e)| panic!("locales/{lang}.ftl does not parse: {e:?}"));
    let mut bundle = FluentBundle::new_concurrent(vec![lang.parse().expect("a language id")]);
    // No Unicode isolation marks around values: the pages are all
    // left-to-right, and the marks would end up in attributes and e-mails.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .unwrap_or_else(|e| panic!("locales/{lang}.ftl: {e:?}"));
    bundle
}

fn of(lang: Lang) -> &'static Bundle {
    match lang {
        Lang::Es => &TEXTS.es,
        Lang::En => &TEXTS.en,
    }
}

/// The text `id` in `lang` with its arguments, or `None` when `id` is no
/// message of that language.
pub fn format(lang: Lang, id: &str, args: Option<&FluentArgs>) -> Option<String> {
    let bundle = of(lang);
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::warn!(id, ?errors, "text formatted with errors");
    }
    Some(text.into_owned())
}

/// The text `id` in `lang`; a [`message`] with its arguments; a value
/// that names a data label (a level, a dependency: [`label_id`]) in its
/// English; anything else comes back as it was (data shown through `t()`).
pub fn text(lang: Lang, id: &str) -> String {
    if id.contains(SEPARATOR) {
        return formatted_message(lang, id);
    }
    if let Some(text) = format(lang, id, None) {
        return text;
    }
    match label_id(id) {
        Some(label) if has(lang, &label) => format(lang, &label, None).unwrap_or_default(),
        _ => id.to_string(),
    }
}

/// Separates a message's id and its arguments inside one string; an
/// argument that is itself a message has its separators as `NESTED`, and a
/// list argument ([`list`]) its items separated by `ITEM`.
const SEPARATOR: char = '\u{1f}';
const NESTED: char = '\u{1d}';
const ITEM: char = '\u{1e}';

/// A text shown later in the reader's language: its id and arguments
/// carried as one `String`, because errors travel as strings (field
/// errors, `AppError::Denied`) from the store that finds them to the page
/// (`t()`) or the JSON API ([`es`]) that shows them. An argument that is
/// itself an id or a message is translated too.
pub fn message(id: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut text = id.to_string();
    for (name, value) in args {
        let value = value.to_string().replace(SEPARATOR, &NESTED.to_string());
        text.push(SEPARATOR);
        text.push_str(name);
        text.push(SEPARATOR);
        text.push_str(&value);
    }
    text
}

/// Texts or messages shown as one argument, each in the reader's
/// language, separated by semicolons ("Para pasar a «Publicada» falta: el
/// contexto; los resultados").
pub fn list(items: &[String]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|item| item.replace(SEPARATOR, &NESTED.to_string()))
        .collect();
    items.join(&ITEM.to_string())
}

fn formatted_message(lang: Lang, encoded: &str) -> String {
    let mut parts = encoded.split(SEPARATOR);
    let id = parts.next().unwrap_or_default();
    let mut args = FluentArgs::new();
    while let (Some(name), Some(value)) = (parts.next(), parts.next()) {
        let value = match value.parse::<i64>() {
            Ok(n) => FluentValue::from(n),
            Err(_) => FluentValue::from(
                value
                    .split(ITEM)
                    .map(|item| text(lang, &item.replace(NESTED, &SEPARATOR.to_string())))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        };
        args.set(name.to_string(), value);
    }
    format(lang, id, Some(&args)).unwrap_or_else(|| id.to_string())
}

/// The id of a data label: a level, a dependency or a network kind as the
/// country profiles store them ("básica primaria" → `label-basica-primaria`).
pub fn label_id(value: &str) -> Option<String> {
    if value.is_empty() || value.len() > 60 {
        return None;
    }
    let mut slug = String::from("label-");
    for c in value.to_lowercase().chars() {
        let c = match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' | 'ö' => 'o',
            'ú' | 'ü' => 'u',
            'ñ' => 'n',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if !(c == '-' && slug.ends_with('-')) {
            slug.push(c);
        }
    }
    Some(slug.trim_end_matches('-').to_string())
}

/// The Spanish text `id`: for what leaves Redes in Spanish whatever the
/// page's language (the JSON API, exports, stored labels).
pub fn es(id: &str) -> String {
    text(Lang::Es, id)
}

/// A count with its noun by the language's plural rules: `count(lang,
/// "census-count-redes", 1)` is "1 red" / "1 network".
pub fn count(lang: Lang, id: &str, n: i64) -> String {
    let mut args = FluentArgs::new();
    args.set("n", FluentValue::from(n));
    format(lang, id, Some(&args)).unwrap_or_else(|| format!("{n} {id}"))
}

/// True when `id` is a message of `lang`.
pub fn has(lang: Lang, id: &str) -> bool {
    of(lang).has_message(id)
}

/// Every message id of a Fluent file, in order (for the tests).
pub fn ids(source: &str) -> Vec<&str> {
    source
        .lines()
        .filter_map(|line| line.split_once(" ="))
        .map(|(id, _)| id)
        .filter(|id| {
            id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_files_have_the_same_ids() {
        let es: std::collections::BTreeSet<_> = ids(SPANISH).into_iter().collect();
        let en: std::collections::BTreeSet<_> = ids(ENGLISH).into_iter().collect();
        assert!(es.len() > 500, "{} ids", es.len());
        let only_es: Vec<_> = es.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&es).collect();
        assert!(only_es.is_empty(), "no English for: {only_es:?}");
        assert!(only_en.is_empty(), "no Spanish for: {only_en:?}");
    }

    #[test]
    fn every_message_formats_without_errors_in_both_languages() {
        for (lang, source) in [(Lang::Es, SPANISH), (Lang::En, ENGLISH)] {
            for (id, line) in ids(source).into_iter().zip(message_lines(source)) {
                let bundle = of(lang);
                let pattern = bundle.get_message(id).and_then(|m| m.value());
                let pattern = pattern.unwrap_or_else(|| panic!("{id} has no value"));
                let mut args = FluentArgs::new();
                for name in line.split('$').skip(1) {
                    let name: String = name
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    args.set(name, FluentValue::from(2));
                }
                let mut errors = Vec::new();
                bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{lang:?} {id}: {errors:?}");
            }
        }
    }

    /// Each message's source text, its continuation lines included (the
    /// plural selectors).
    fn message_lines(source: &str) -> Vec<String> {
        let mut messages: Vec<String> = Vec::new();
        for line in source.lines() {
            if line.starts_with(' ') || line.starts_with('\t') {
                if let Some(last) = messages.last_mut() {
                    last.push_str(line);
                }
            } else if !ids(line).is_empty() {
                messages.push(line.to_string());
            }
        }
        messages
    }

    #[test]
    fn a_message_carries_its_arguments_into_either_language() {
        let m = message(
            "common-no-puede-superar-caracteres-tiene",
            &[("max", &200), ("count", &250)],
        );
        assert_eq!(
            text(Lang::Es, &m),
            "No puede superar 200 caracteres (tiene 250)"
        );
        assert_eq!(
            text(Lang::En, &m),
            "Cannot exceed 200 characters (it has 250)"
        );
        assert_eq!(es(&m), "No puede superar 200 caracteres (tiene 250)");
    }

    #[test]
    fn a_list_argument_translates_each_item_even_a_message() {
        let reviews = message(
            "practices-revisiones-pares-terminadas-tiene",
            &[("reviews_needed", &2), ("reviews", &1)],
        );
        let lacks = list(&["practices-contexto-2".to_string(), reviews]);
        let m = message(
            "practices-para-pasar-falta",
            &[("arg1", &"Liceo"), ("arg2", &lacks)],
        );
        assert_eq!(
            text(Lang::En, &m),
            "To move to “Liceo” it still needs: the context; 2 finished peer reviews (it has 1)"
        );
        assert_eq!(
            text(Lang::Es, &m),
            "Para pasar a «Liceo» falta: el contexto; 2 revisiones de pares terminadas (tiene 1)"
        );
    }

    #[test]
    fn data_labels_have_ids_without_accents() {
        assert_eq!(
            label_id("básica primaria").unwrap(),
            "label-basica-primaria"
        );
        assert_eq!(label_id("media HC").unwrap(), "label-media-hc");
        assert_eq!(
            label_id("Servicio Local de Educación").unwrap(),
            "label-servicio-local-de-educacion"
        );
    }

    #[test]
    fn counts_follow_each_language_plural_rules() {
        assert_eq!(count(Lang::Es, "census-count-redes", 1), "1 red");
        assert_eq!(count(Lang::Es, "census-count-redes", 0), "0 redes");
        assert_eq!(count(Lang::En, "census-count-redes", 1), "1 network");
        assert_eq!(count(Lang::En, "census-count-redes", 3), "3 networks");
    }

    #[test]
    fn a_value_that_is_no_id_passes_through() {
        assert_eq!(text(Lang::En, "Liceo Bicentenario"), "Liceo Bicentenario");
        assert_eq!(text(Lang::En, "common-guardar"), "Save");
        assert_eq!(es("common-guardar"), "Guardar");
    }
}
