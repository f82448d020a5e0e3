//! The Spanish analyzer used for every text field, at indexing and at query time.
//!
//! Chain: split on non-alphanumerics → drop tokens over 40 bytes → lowercase → ASCII folding →
//! drop Spanish stop words → restore the accent of `-cion`/`-sion` → Snowball Spanish stemmer →
//! ASCII folding again.
//!
//! Why fold before stemming: people type without accents ("evaluacion"), so the stemmer must see
//! the same letters whichever way the word was written. Why restore `-ción`: the Snowball Spanish
//! stemmer removes the singular suffix "ación" only with its accent, while the plural "aciones"
//! has none; without the accent "evaluacion" stays whole while "evaluaciones" becomes "evalu",
//! and a plural would not find its singular. Spanish writes every singular "-cion"/"-sion" with
//! an accent, so putting it back is always right. The stemmer may leave an accent in its output
//! ("gestión" has no suffix to remove), hence the second folding. Likewise the stemmer cuts
//! "taller" to "tall" (as if "-er" were a verb's ending) but "talleres" to "taller"; plurals in
//! "-res"/"-les" after a vowel are made singular before stemming, so both give "tall".
//!
//! Why drop stop words: articles, prepositions and conjunctions ("de", "la", "y") are in nearly
//! every practice, so they select nothing, yet a phrase with one ("red de mejoramiento") had to
//! read their long position lists in half of the index. The words left keep their positions
//! (the gap stays), and the query parser builds phrases with those offsets: "plan de
//! mejoramiento" still needs "mejoramiento" two words after "plan", so it does not match
//! "mejoramiento de plan" (it does match "plan del mejoramiento"). The list is short on purpose:
//! only function words that carry no meaning for a search; "no", "sin", "bajo" or "entre" stay.

use std::mem;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Name under which the analyzer is registered in the index's tokenizer manager.
pub const SPANISH: &str = "es_redes";

/// Words left out of the index and of queries, lowercased and without accents (the filter runs
/// after folding): articles, contractions, the commonest prepositions and conjunctions, and
/// unstressed pronouns. See the module's documentation for why.
pub const STOP_WORDS: &[&str] = &[
    "a", "al", "con", "de", "del", "e", "el", "en", "la", "las", "le", "les", "lo", "los", "o",
    "para", "por", "que", "se", "su", "sus", "u", "un", "una", "unas", "unos", "y",
];

/// Builds the Spanish analyzer (see the module's documentation for the chain and why).
pub fn spanish() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(
            STOP_WORDS.iter().map(|w| w.to_string()),
        ))
        .filter(RestoreCionAccent)
        .filter(Stemmer::new(Language::Spanish))
        .filter(AsciiFoldingFilter)
        .build()
}

/// The analyzed terms of `text`, in order (used by tests and by the benchmark to give SQLite
/// FTS5 the same stems as prefixes).
pub fn terms(text: &str) -> Vec<String> {
    let mut analyzer = spanish();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// Token filter run between folding and stemming: writes "-ción"/"-sión" for a folded
/// "-cion"/"-sion" ending, and makes "-res"/"-les" plurals singular.
#[derive(Clone)]
pub struct RestoreCionAccent;

impl TokenFilter for RestoreCionAccent {
    type Tokenizer<T: Tokenizer> = RestoreCionAccentFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        RestoreCionAccentFilter {
            tokenizer,
            buffer: String::new(),
        }
    }
}

#[derive(Clone)]
pub struct RestoreCionAccentFilter<T> {
    tokenizer: T,
    buffer: String,
}

impl<T: Tokenizer> Tokenizer for RestoreCionAccentFilter<T> {
    type TokenStream<'a> = RestoreCionAccentStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        self.buffer.clear();
        RestoreCionAccentStream {
            tail: self.tokenizer.token_stream(text),
            buffer: &mut self.buffer,
        }
    }
}

pub struct RestoreCionAccentStream<'a, T> {
    buffer: &'a mut String,
    tail: T,
}

impl<T: TokenStream> TokenStream for RestoreCionAccentStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let text = &self.tail.token().text;
        let b = text.as_bytes();
        let n = b.len();
        let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
        // "-ion" after c or s, with at least one more letter before ("cion" alone is no word).
        if n > 4 && (text.ends_with("cion") || text.ends_with("sion")) {
            self.buffer.clear();
            self.buffer.push_str(&text[..n - 2]);
            self.buffer.push_str("ón");
            mem::swap(&mut self.tail.token_mut().text, self.buffer);
        } else if n > 5 && (text.ends_with("res") || text.ends_with("les")) && vowel(b[n - 4]) {
            // The plural "+es" of a word ending in a vowel and r or l ("talleres", "líderes",
            // "niveles"): the stemmer treats "-er" of the singular as a verb's ending and the
            // plural differently, so the plural is made singular first.
            self.tail.token_mut().text.truncate(n - 2);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}
