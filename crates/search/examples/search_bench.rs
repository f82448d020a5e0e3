//! Search benchmark (issue 12 item 6): tantivy (this crate) against SQLite FTS5 on the same
//! generated practices and the same queries, in one run. Prints markdown tables; numbers to
//! read, not a test. Run it in release mode: `scripts/search_bench.sh`.
//!
//! Data: `BENCH_DOCS` practices (100,000 by default) whose titles and texts are sentences of
//! the seed documents (`SEEDS_DIR`, by default /work/shared/seeds or ../shared/seeds), with
//! countries, regions, levels, areas, stages and scores drawn at random (fixed seed).
//!
//! Fairness: both engines return the top 10 by relevance (BM25 both), the total number of
//! matches and a highlighted snippet of each hit. FTS5 uses `unicode61 remove_diacritics 2`
//! (accents folded) but has no Spanish stemmer, so every query word is given to it as a prefix
//! of its stem as this crate's analyzer computes it ("acompañamientos" → `acompan*`; where the
//! stemmer rewrote the ending, the part the stem shares with the word): that
//! finds the plurals tantivy finds (and some more words), at FTS5's prefix-query cost. Phrases
//! are given to FTS5 as phrases of the words typed. Facet filters are `=` on UNINDEXED
//! columns of the FTS5 table.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use redes_search::analyzer::terms;
use redes_search::{FacetKind, Index, PracticeDoc, Query, Visibility, WriterOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Row, SqlitePool};

const REPEATS: usize = 30;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const PLACES: &[(&str, &[&str])] = &[
    (
        "Chile",
        &[
            "Atacama",
            "Biobío",
            "Magallanes",
            "Los Lagos",
            "O'Higgins",
            "Metropolitana",
            "Valparaíso",
            "Coquimbo",
        ],
    ),
    (
        "Colombia",
        &[
            "Antioquia",
            "Cundinamarca",
            "Valle del Cauca",
            "Nariño",
            "Boyacá",
        ],
    ),
    (
        "México",
        &["Querétaro", "Jalisco", "Oaxaca", "Nuevo León", "Puebla"],
    ),
];
const LEVELS: &[&str] = &[
    "parvularia",
    "básica",
    "media",
    "media TP",
    "primaria",
    "secundaria",
];
const AREAS: &[&str] = &[
    "gestión pedagógica",
    "liderazgo",
    "convivencia escolar",
    "gestión de recursos",
    "lectura",
    "matemática",
    "familias y comunidad",
];
const STAGES: &[&str] = &[
    "identificada",
    "documentada",
    "sistematizada",
    "en revisión",
    "publicada",
    "replicada",
];

/// (label, text typed, facet filters)
type BenchQuery = (&'static str, &'static str, Vec<(FacetKind, String)>);

fn queries() -> Vec<BenchQuery> {
    let f = |k, v: &str| (k, v.to_string());
    vec![
        ("word", "acompañamiento", vec![]),
        ("word", "liderazgo", vec![]),
        ("word", "pasantías", vec![]),
        ("word", "convivencia", vec![]),
        ("no accents", "evaluacion", vec![]),
        ("no accents", "practicas pedagogicas", vec![]),
        ("no accents", "sistematizacion", vec![]),
        ("no accents", "gestion curricular", vec![]),
        ("plural", "acompañamientos", vec![]),
        ("plural", "talleres", vec![]),
        ("plural", "redes", vec![]),
        ("plural", "directivos docentes", vec![]),
        ("phrase", "\"red de mejoramiento\"", vec![]),
        ("phrase", "\"equipos directivos\"", vec![]),
        ("phrase", "\"buenas prácticas\"", vec![]),
        ("phrase", "\"plan de mejoramiento educativo\"", vec![]),
        (
            "2 facets",
            "acompañamiento",
            vec![
                f(FacetKind::Country, "Chile"),
                f(FacetKind::Level, "básica"),
            ],
        ),
        (
            "2 facets",
            "evaluacion",
            vec![
                f(FacetKind::Region, "Biobío"),
                f(FacetKind::Stage, "publicada"),
            ],
        ),
        (
            "2 facets",
            "aprendizajes",
            vec![
                f(FacetKind::Country, "Colombia"),
                f(FacetKind::Area, "liderazgo"),
            ],
        ),
        (
            "2 facets",
            "",
            vec![
                f(FacetKind::Country, "México"),
                f(FacetKind::Stage, "replicada"),
            ],
        ),
    ]
}

fn seeds_dir() -> PathBuf {
    if let Ok(d) = std::env::var("SEEDS_DIR") {
        return d.into();
    }
    for d in [
        "/work/shared/seeds",
        "../shared/seeds",
        "../../shared/seeds",
    ] {
        if Path::new(d).is_dir() {
            return d.into();
        }
    }
    PathBuf::from("seeds")
}

fn sentences() -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(seeds_dir()) {
        for e in entries.flatten() {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            for s in text.split(['.', '\n', ';', '?', '!']) {
                let words = s.split_whitespace().count();
                if (6..=45).contains(&words) {
                    out.push(s.split_whitespace().collect::<Vec<_>>().join(" "));
                }
            }
        }
    }
    if out.len() < 50 {
        eprintln!("few seed sentences found (SEEDS_DIR?); using a built-in list");
        out.extend(FALLBACK.iter().map(|s| s.to_string()));
    }
    out
}

const FALLBACK: &[&str] = &[
    "Una Red de Mejoramiento Escolar es una estrategia de apoyo y acompañamiento a los establecimientos educacionales",
    "Los equipos directivos comparten prácticas pedagógicas en pasantías entre liceos",
    "La evaluación formativa permite retroalimentar los aprendizajes de los estudiantes",
    "Talleres con las familias fortalecen la convivencia escolar y la lectura",
    "La sistematización de experiencias documenta las buenas prácticas de la red",
    "El plan de mejoramiento educativo incluye acciones de liderazgo y gestión curricular",
];

fn generate(n: usize) -> Vec<PracticeDoc> {
    let sentences = sentences();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|i| {
            let title_words: Vec<&str> = rng
                .pick(&sentences)
                .as_str()
                .split_whitespace()
                .take(4 + rng.below(5))
                .collect();
            let mut body = String::new();
            for _ in 0..(8 + rng.below(10)) {
                body.push_str(rng.pick(&sentences).as_str());
                body.push_str(". ");
            }
            let (country, regions) = rng.pick(PLACES);
            let score = match rng.below(3) {
                0 => None,
                _ => Some(1.0 + (rng.below(300) as f64) / 100.0),
            };
            PracticeDoc {
                id: i as i64 + 1,
                title: title_words.join(" "),
                body,
                attachments_text: String::new(),
                country: country.to_string(),
                region: rng.pick(regions).to_string(),
                level: rng.pick(LEVELS).to_string(),
                area: rng.pick(AREAS).to_string(),
                stage: rng.pick(STAGES).to_string(),
                score,
                network_id: 1 + rng.below(400) as i64,
                published: rng.below(2) == 0,
            }
        })
        .collect()
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|es| {
            es.flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

/// The FTS5 MATCH expression for the typed text (see the module's note on fairness).
fn fts5_match(text: &str) -> Option<String> {
    let mut parts = Vec::new();
    for (i, chunk) in text.split('"').enumerate() {
        if i % 2 == 1 {
            let words: Vec<&str> = chunk.split_whitespace().collect();
            if !words.is_empty() {
                parts.push(format!("\"{}\"", words.join(" ")));
            }
        } else {
            for word in chunk
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
            {
                // The stem may be rewritten past the word ("convivencia" → "convivent"), so
                // the prefix is what the stem and the folded word share.
                let folded: String = word.to_lowercase().chars().map(fold).collect();
                for stem in terms(word) {
                    let common: String = stem
                        .chars()
                        .zip(folded.chars())
                        .take_while(|(a, b)| a == b)
                        .map(|(a, _)| a)
                        .collect();
                    if !common.is_empty() {
                        parts.push(format!("{common}*"));
                    }
                }
            }
        }
    }
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'ä' => 'a',
        'é' | 'è' | 'ë' => 'e',
        'í' | 'ì' | 'ï' => 'i',
        'ó' | 'ò' | 'ö' => 'o',
        'ú' | 'ù' | 'ü' => 'u',
        'ñ' => 'n',
        c => c,
    }
}

async fn fts5_load(pool: &SqlitePool, docs: &[PracticeDoc]) -> Duration {
    sqlx::query("CREATE VIRTUAL TABLE practices USING fts5(title, body, attachments, country UNINDEXED, region UNINDEXED, level UNINDEXED, area UNINDEXED, stage UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')")
        .execute(pool).await.unwrap();
    let start = Instant::now();
    let mut tx = pool.begin().await.unwrap();
    for d in docs {
        sqlx::query("INSERT INTO practices (rowid, title, body, attachments, country, region, level, area, stage) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .bind(d.id).bind(&d.title).bind(&d.body).bind(&d.attachments_text)
            .bind(&d.country).bind(&d.region).bind(&d.level).bind(&d.area).bind(&d.stage)
            .execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    sqlx::query("INSERT INTO practices(practices) VALUES('optimize')")
        .execute(pool)
        .await
        .unwrap();
    start.elapsed()
}

async fn fts5_query(pool: &SqlitePool, text: &str, filters: &[(FacetKind, String)]) -> i64 {
    let mut conds = Vec::new();
    let m = fts5_match(text);
    if m.is_some() {
        conds.push("practices MATCH ?".to_string());
    }
    for (k, _) in filters {
        conds.push(format!("{} = ?", k.field_name()));
    }
    let cond = if conds.is_empty() {
        "1".to_string()
    } else {
        conds.join(" AND ")
    };
    let order = if m.is_some() { "ORDER BY rank" } else { "" };
    let top_sql = format!("SELECT rowid, snippet(practices, 1, '<b>', '</b>', '…', 24) FROM practices WHERE {cond} {order} LIMIT 10");
    let count_sql = format!("SELECT count(*) FROM practices WHERE {cond}");
    let mut top = sqlx::query(&top_sql);
    let mut count = sqlx::query(&count_sql);
    if let Some(m) = &m {
        top = top.bind(m.clone());
        count = count.bind(m.clone());
    }
    for (_, v) in filters {
        top = top.bind(v.clone());
        count = count.bind(v.clone());
    }
    let _rows = top.fetch_all(pool).await.unwrap();
    count.fetch_one(pool).await.unwrap().get::<i64, _>(0)
}

fn main() {
    let n: usize = std::env::var("BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let work = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let docs = generate(n);
    let words: usize = docs.iter().map(|d| d.body.split_whitespace().count()).sum();
    println!(
        "Generated {n} practices ({} words of text on average) in {:.1} s; {threads} threads.\n",
        words / n.max(1),
        t.elapsed().as_secs_f64()
    );

    // tantivy
    let tdir = work.path().join("tantivy");
    let index = Index::open_or_create_with(
        &tdir,
        WriterOptions {
            threads,
            memory_bytes: 400_000_000,
        },
    )
    .unwrap();
    let t = Instant::now();
    index.replace_all(&docs).unwrap();
    let t_index = t.elapsed();
    let t_size = dir_size(&tdir);

    // SQLite FTS5 (sqlx's libsqlite3)
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let db_path = work.path().join("fts5.db");
    let pool = rt.block_on(async {
        let opts = SqliteConnectOptions::new()
            .filename(&db_path)
            .create_if_missing(true);
        SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts)
            .await
            .unwrap()
    });
    let fts5: i64 = rt
        .block_on(sqlx::query("SELECT sqlite_compileoption_used('ENABLE_FTS5')").fetch_one(&pool))
        .unwrap()
        .get(0);
    assert_eq!(fts5, 1, "this SQLite has no FTS5");
    let f_index = rt.block_on(fts5_load(&pool, &docs));
    let f_size = std::fs::metadata(&db_path).map(|m| m.len()).unwrap_or(0);
    drop(docs);

    println!("| engine | indexing {n} | index size |\n|---|---:|---:|");
    println!(
        "| tantivy | {:.1} s | {:.0} MB |",
        t_index.as_secs_f64(),
        t_size as f64 / 1e6
    );
    println!(
        "| SQLite FTS5 | {:.1} s | {:.0} MB |\n\ntantivy segments searched: {}.\n",
        f_index.as_secs_f64(),
        f_size as f64 / 1e6,
        index.segment_count()
    );

    println!("Query latency, ms, {REPEATS} runs each after a warm-up; top 10 + total + snippets (tantivy +facets: also the six facet counts, as the search page asks).\n");
    println!("| kind | query | matches tantivy | matches FTS5 | tantivy p50 | tantivy+facets p50 | FTS5 p50 | FTS5 / tantivy |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    let (mut all_t, mut all_tf, mut all_f) = (Vec::new(), Vec::new(), Vec::new());
    for (kind, text, filters) in queries() {
        let q = |with_facets| Query {
            text: text.into(),
            filters: filters.clone(),
            visibility: Visibility::All,
            page: 1,
            per_page: 10,
            with_facets,
        };
        let (q_plain, q_facets) = (q(false), q(true));
        let total = index.search(&q_plain).unwrap().total;
        let _ = index.search(&q_facets).unwrap();
        let f_total = rt.block_on(fts5_query(&pool, text, &filters));
        let (mut ts, mut tfs, mut fs) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..REPEATS {
            let s = Instant::now();
            std::hint::black_box(index.search(&q_plain).unwrap());
            ts.push(s.elapsed());
            let s = Instant::now();
            std::hint::black_box(index.search(&q_facets).unwrap());
            tfs.push(s.elapsed());
            let s = Instant::now();
            std::hint::black_box(rt.block_on(fts5_query(&pool, text, &filters)));
            fs.push(s.elapsed());
        }
        for v in [&mut ts, &mut tfs, &mut fs] {
            v.sort();
        }
        let shown = if filters.is_empty() {
            text.to_string()
        } else {
            format!(
                "{text} [{}]",
                filters
                    .iter()
                    .map(|(k, v)| format!("{}={v}", k.field_name()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        println!(
            "| {kind} | `{}` | {total} | {f_total} | {:.2} | {:.2} | {:.2} | {:.1}× |",
            shown.replace('|', "/"),
            pct(&ts, 0.5),
            pct(&tfs, 0.5),
            pct(&fs, 0.5),
            pct(&fs, 0.5) / pct(&ts, 0.5)
        );
        all_t.extend(ts);
        all_tf.extend(tfs);
        all_f.extend(fs);
    }
    for v in [&mut all_t, &mut all_tf, &mut all_f] {
        v.sort();
    }
    println!("\nAll {} queries × {REPEATS} runs:\n", queries().len());
    println!("| engine | p50 ms | p95 ms | p99 ms |\n|---|---:|---:|---:|");
    for (name, v) in [
        ("tantivy", &all_t),
        ("tantivy + facets", &all_tf),
        ("SQLite FTS5", &all_f),
    ] {
        println!(
            "| {name} | {:.2} | {:.2} | {:.2} |",
            pct(v, 0.5),
            pct(v, 0.95),
            pct(v, 0.99)
        );
    }
    println!(
        "\nFTS5 / tantivy at p95: {:.1}× (with facets: {:.1}×)",
        pct(&all_f, 0.95) / pct(&all_t, 0.95),
        pct(&all_f, 0.95) / pct(&all_tf, 0.95)
    );
}
