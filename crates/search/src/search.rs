//! Searching: the user's text made safe, filters, visibility, ranking, facets and snippets.

use std::collections::BTreeMap;

use tantivy::collector::{Count, FacetCollector, MultiCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, EmptyQuery, Occur, Query as TQuery, QueryParser, TermQuery,
    TermSetQuery,
};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Searcher, TantivyDocument, Term};

use crate::analyzer;
use crate::doc::FacetKind;
use crate::index::Index;
use crate::Error;

/// The longest query text considered, in characters; the rest is ignored. Long enough for any
/// real question, short enough that a pasted page cannot make a costly query.
pub const MAX_QUERY_CHARS: usize = 200;
/// Results per page when the caller asks for none or too many.
pub const DEFAULT_PER_PAGE: usize = 20;
pub const MAX_PER_PAGE: usize = 100;
/// Deepest page served; nobody reads page 500 and deep pages cost.
pub const MAX_PAGE: usize = 500;
/// Length of a snippet, in characters.
pub const SNIPPET_CHARS: usize = 220;

/// Which practices the viewer may find.
#[derive(Debug, Clone, PartialEq)]
pub enum Visibility {
    /// Every practice (an administrator, a ministry reviewer).
    All,
    /// Published practices, and unpublished ones of these networks (the viewer's own).
    PublishedOrNetworks(Vec<i64>),
}

/// A search. `text` is whatever the person typed: words, "a phrase in quotes", `-excluded`;
/// anything else is ignored, never an error. `filters`: values of one facet are alternatives,
/// different facets must all hold. `page` starts at 1.
#[derive(Debug, Clone)]
pub struct Query {
    pub text: String,
    pub filters: Vec<(FacetKind, String)>,
    pub visibility: Visibility,
    pub page: usize,
    pub per_page: usize,
    /// Count the facets of the matches (the search page does; a quick lookup may not).
    pub with_facets: bool,
}

impl Default for Query {
    fn default() -> Self {
        Query {
            text: String::new(),
            filters: Vec::new(),
            visibility: Visibility::PublishedOrNetworks(Vec::new()),
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            with_facets: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub score: f32,
    /// The title, HTML-escaped, with the matched words in `<mark>`.
    pub title_html: String,
    /// A passage of the text (or of the attachments when only they match), HTML-escaped,
    /// with the matched words in `<mark>`.
    pub body_html: String,
    /// The combined review score stored with the practice (its facet's band
    /// is `score_band(review_score)`); `None` before any review.
    pub review_score: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Results {
    /// How many practices match (all pages).
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub hits: Vec<Hit>,
    /// For each facet, its values among the matches with how many practices have each, the
    /// most frequent first. Empty when the query asked for no facets.
    pub facets: BTreeMap<FacetKind, Vec<(String, u64)>>,
}

/// Keeps words, double quotes (phrases) and a leading `-` (exclusion); everything else becomes
/// a space, so the query parser never sees field names, ranges, regexes, boosts or brackets.
/// An unmatched quote is dropped. Only the first [`MAX_QUERY_CHARS`] characters are read, cut
/// at a word's start.
pub fn sanitize(input: &str) -> String {
    let mut out = String::with_capacity(input.len().min(MAX_QUERY_CHARS * 4));
    let mut in_phrase = false;
    let mut last_quote = None;
    let mut kept: Vec<char> = input.chars().take(MAX_QUERY_CHARS + 1).collect();
    if kept.len() > MAX_QUERY_CHARS {
        // Cut before the word the limit falls in: half a word would be a required word
        // that matches nothing.
        let cut_in_word = kept[MAX_QUERY_CHARS].is_alphanumeric();
        kept.truncate(MAX_QUERY_CHARS);
        if cut_in_word {
            while kept.last().is_some_and(|c| c.is_alphanumeric()) {
                kept.pop();
            }
        }
    }
    let mut chars = kept.into_iter().peekable();
    while let Some(c) = chars.next() {
        let at_word_start = out.is_empty() || out.ends_with(' ');
        if c.is_alphanumeric() {
            out.push(c);
        } else if c == '"' {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            if in_phrase && out.ends_with(' ') && out.len() > 1 {
                out.pop();
            }
            last_quote = Some(out.len());
            out.push('"');
            if in_phrase {
                out.push(' ');
            }
            in_phrase = !in_phrase;
        } else if c == '-'
            && !in_phrase
            && at_word_start
            && chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            out.push('-');
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if in_phrase {
        if let Some(at) = last_quote {
            out.remove(at);
        }
    }
    // Empty phrases ("") would be searched as nothing at all.
    out.replace("\"\"", " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl Index {
    /// Runs a search. Never fails because of what the user typed; an error here is the index's.
    pub fn search(&self, q: &Query) -> Result<Results, Error> {
        let f = self.fields;
        let searcher = self.reader.searcher();
        let text_query = self.text_query(&q.text);

        let mut clauses: Vec<(Occur, Box<dyn TQuery>)> =
            vec![(Occur::Must, text_query.box_clone())];
        let mut by_kind: BTreeMap<FacetKind, Vec<Term>> = BTreeMap::new();
        for (kind, value) in &q.filters {
            let value = value.trim();
            if !value.is_empty() {
                let term = Term::from_facet(f.facet(*kind), &Facet::from_path([value]));
                by_kind.entry(*kind).or_default().push(term);
            }
        }
        for terms in by_kind.into_values() {
            clauses.push((Occur::Must, Box::new(TermSetQuery::new(terms))));
        }
        if let Visibility::PublishedOrNetworks(networks) = &q.visibility {
            let published: Box<dyn TQuery> = Box::new(TermQuery::new(
                Term::from_field_bool(f.published, true),
                IndexRecordOption::Basic,
            ));
            let mut either = vec![(Occur::Should, published)];
            if !networks.is_empty() {
                let terms = networks
                    .iter()
                    .map(|n| Term::from_field_i64(f.network_id, *n));
                either.push((Occur::Should, Box::new(TermSetQuery::new(terms))));
            }
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(either))));
        }
        let query = BooleanQuery::new(clauses);

        let per_page = match q.per_page {
            0 => DEFAULT_PER_PAGE,
            n => n.min(MAX_PER_PAGE),
        };
        let page = q.page.clamp(1, MAX_PAGE);
        let mut multi = MultiCollector::new();
        let top = multi.add_collector(
            TopDocs::with_limit(per_page)
                .and_offset((page - 1) * per_page)
                .order_by_score(),
        );
        let count = multi.add_collector(Count);
        let facet_handles: Vec<_> = if q.with_facets {
            FacetKind::ALL
                .into_iter()
                .map(|kind| {
                    let mut c = FacetCollector::for_field(kind.field_name());
                    c.add_facet(Facet::root());
                    (kind, multi.add_collector(c))
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut fruits = searcher.search(&query, &multi)?;
        let top_docs = top.extract(&mut fruits);
        let total = count.extract(&mut fruits);
        let mut facets = BTreeMap::new();
        for (kind, handle) in facet_handles {
            let counts = handle.extract(&mut fruits);
            let mut values: Vec<(String, u64)> = counts
                .get(Facet::root())
                .map(|(facet, n)| {
                    let name = facet
                        .to_path()
                        .last()
                        .map(|s| s.to_string())
                        .unwrap_or_default();
                    (name, n)
                })
                .collect();
            values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            facets.insert(kind, values);
        }

        let hits = if top_docs.is_empty() {
            Vec::new()
        } else {
            self.hits(&searcher, &*text_query, top_docs)?
        };
        Ok(Results {
            total,
            page,
            per_page,
            hits,
            facets,
        })
    }

    /// The query for the typed text: everything when nothing was typed, nothing when what was
    /// typed has no word left, otherwise the parsed words (all required), with the title
    /// counting double.
    fn text_query(&self, text: &str) -> Box<dyn TQuery> {
        if text.trim().is_empty() {
            return Box::new(AllQuery);
        }
        let clean = sanitize(text);
        // No word left, or only stop words ("de la"): nothing matches, rather than the empty
        // conjunction the parser would build, which matches everything.
        if clean.is_empty() || analyzer::terms(&clean).is_empty() {
            return Box::new(EmptyQuery);
        }
        let f = self.fields;
        let mut parser = QueryParser::for_index(&self.index, vec![f.title, f.body, f.attachments]);
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.title, 2.0);
        // Lenient: what cannot be parsed is left out instead of failing the search.
        let (query, _errors) = parser.parse_query_lenient(&clean);
        query
    }

    fn hits(
        &self,
        searcher: &Searcher,
        text_query: &dyn TQuery,
        top_docs: Vec<(f32, tantivy::DocAddress)>,
    ) -> Result<Vec<Hit>, Error> {
        let f = self.fields;
        let generator = |field| -> Result<SnippetGenerator, Error> {
            let mut g = SnippetGenerator::create(searcher, text_query, field)?;
            g.set_max_num_chars(SNIPPET_CHARS);
            Ok(g)
        };
        let mut title_gen = generator(f.title)?;
        // The whole title is shown, so the fragment is allowed to be all of it.
        title_gen.set_max_num_chars(10_000);
        let body_gen = generator(f.body)?;
        let attachments_gen = generator(f.attachments)?;
        let mut hits = Vec::with_capacity(top_docs.len());
        for (score, address) in top_docs {
            let doc: TantivyDocument = searcher.doc(address)?;
            let id = doc
                .get_first(f.id)
                .and_then(|v| v.as_i64())
                .unwrap_or_default();
            let title = doc
                .get_first(f.title)
                .and_then(|v| v.as_str())
                .unwrap_or("");
            let body = doc.get_first(f.body).and_then(|v| v.as_str()).unwrap_or("");
            let title_html = whole_text_html(title, &marked(title_gen.snippet(title)));
            let body_snippet = marked(body_gen.snippet(body));
            let body_html = if !body_snippet.highlighted().is_empty() {
                body_snippet.to_html()
            } else {
                let attachments = doc
                    .get_first(f.attachments)
                    .and_then(|v| v.as_str())
                    .unwrap_or("");
                let a = marked(attachments_gen.snippet(attachments));
                if !a.highlighted().is_empty() {
                    a.to_html()
                } else {
                    escape(&first_chars(body, SNIPPET_CHARS))
                }
            };
            let review_score = doc.get_first(f.score).and_then(|v| v.as_f64());
            hits.push(Hit {
                id,
                score,
                title_html,
                body_html,
                review_score,
            });
        }
        Ok(hits)
    }
}

/// The snippet with its matches in `<mark>` (the element for text marked as
/// relevant to what was searched): the only tags a snippet's HTML holds,
/// everything else escaped by tantivy.
fn marked(mut snippet: tantivy::snippet::Snippet) -> tantivy::snippet::Snippet {
    snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
    snippet
}

/// `text` whole, escaped, with the snippet's highlights marked: the snippet's fragment leaves
/// out the punctuation before the first word and after the last ("¿", "?"), put back here.
fn whole_text_html(text: &str, snippet: &tantivy::snippet::Snippet) -> String {
    let fragment = snippet.fragment();
    if snippet.highlighted().is_empty() || fragment.is_empty() {
        return escape(text);
    }
    match text.find(fragment) {
        Some(at) => format!(
            "{}{}{}",
            escape(&text[..at]),
            snippet.to_html(),
            escape(&text[at + fragment.len()..])
        ),
        None => snippet.to_html(),
    }
}

fn first_chars(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// HTML-escapes text (the same characters as the snippets' own escaping, plus the apostrophe).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}
