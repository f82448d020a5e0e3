use redes_search::{sanitize, FacetKind, Index, PracticeDoc, Query, Visibility, MAX_QUERY_CHARS};

fn practice(id: i64, title: &str, body: &str) -> PracticeDoc {
    PracticeDoc {
        id,
        title: title.into(),
        body: body.into(),
        country: "Chile".into(),
        region: "Atacama".into(),
        level: "media".into(),
        area: "liderazgo".into(),
        stage: "publicada".into(),
        score: Some(3.5),
        network_id: 1,
        published: true,
        ..Default::default()
    }
}

fn sample() -> Index {
    let index = Index::in_memory().unwrap();
    index
        .upsert_many(&[
            PracticeDoc {
                country: "Chile".into(),
                region: "O'Higgins".into(),
                level: "básica".into(),
                area: "gestión pedagógica".into(),
                stage: "evaluada".into(),
                score: Some(3.2),
                ..practice(
                    1,
                    "Acompañamiento al aula en Pichidegua",
                    "Los directivos observan clases y dan retroalimentación. La evaluación \
                     formativa guía el acompañamiento.",
                )
            },
            PracticeDoc {
                region: "Atacama".into(),
                stage: "en curso".into(),
                score: Some(2.4),
                network_id: 2,
                ..practice(
                    2,
                    "Pasantías pedagógicas entre liceos",
                    "Cada liceo incluye las pasantías en su PME. Los docentes visitan otras \
                     escuelas.",
                )
            },
            PracticeDoc {
                country: "Colombia".into(),
                region: "Antioquia".into(),
                level: "básica".into(),
                area: "convivencia".into(),
                stage: "iniciada".into(),
                score: None,
                network_id: 3,
                published: false,
                ..practice(
                    3,
                    "Talleres con familias",
                    "Talleres de lectura con las familias de la escuela, con evaluaciones \
                     de cada sesión.",
                )
            },
        ])
        .unwrap();
    index
}

fn ids(index: &Index, q: &Query) -> Vec<i64> {
    let mut ids: Vec<i64> = index.search(q).unwrap().hits.iter().map(|h| h.id).collect();
    ids.sort();
    ids
}

fn text(t: &str) -> Query {
    Query {
        text: t.into(),
        visibility: Visibility::All,
        ..Default::default()
    }
}

#[test]
fn a_word_typed_without_accents_finds_the_accented_one() {
    let index = sample();
    assert_eq!(ids(&index, &text("evaluacion")), vec![1, 3]);
    assert_eq!(ids(&index, &text("pasantias pedagogicas")), vec![2]);
    assert_eq!(ids(&index, &text("PICHIDEGUA")), vec![1]);
}

#[test]
fn a_plural_finds_the_singular_and_back() {
    let index = sample();
    assert_eq!(ids(&index, &text("acompañamientos")), vec![1]);
    assert_eq!(ids(&index, &text("taller")), vec![3]);
    assert_eq!(ids(&index, &text("liceo")), vec![2]);
}

#[test]
fn words_are_all_required_and_a_minus_excludes() {
    let index = sample();
    assert_eq!(ids(&index, &text("evaluacion familias")), vec![3]);
    assert_eq!(ids(&index, &text("evaluacion -familias")), vec![1]);
}

#[test]
fn quotes_ask_for_the_words_together() {
    let index = sample();
    assert_eq!(ids(&index, &text("\"evaluación formativa\"")), vec![1]);
    assert!(ids(&index, &text("\"formativa evaluación\"")).is_empty());
    assert_eq!(ids(&index, &text("\"otras escuelas\"")), vec![2]);
}

#[test]
fn the_title_counts_more_than_the_text() {
    let index = sample();
    let results = index.search(&text("acompañamiento")).unwrap();
    assert_eq!(results.hits[0].id, 1);
    // "liceo" is in 2's title; another practice only mentioning it in passing ranks below.
    index
        .upsert(&practice(
            4,
            "Otra cosa",
            "Un liceo más, y otro liceo, y otro texto largo sin más.",
        ))
        .unwrap();
    let results = index.search(&text("liceo")).unwrap();
    assert_eq!(
        results.hits.iter().map(|h| h.id).collect::<Vec<_>>(),
        vec![2, 4]
    );
}

#[test]
fn attachments_text_is_searched_and_shown_when_only_it_matches() {
    let index = sample();
    index
        .upsert(&PracticeDoc {
            attachments_text: "Informe de resultados del SIMCE de lenguaje".into(),
            ..practice(5, "Plan lector", "Lectura diaria de quince minutos.")
        })
        .unwrap();
    let results = index.search(&text("simce")).unwrap();
    assert_eq!(results.total, 1);
    assert!(
        results.hits[0].body_html.contains("<mark>SIMCE</mark>"),
        "{}",
        results.hits[0].body_html
    );
}

#[test]
fn snippets_mark_the_matches_and_escape_the_rest() {
    let index = Index::in_memory().unwrap();
    index
        .upsert(&practice(
            9,
            "¿Evaluación <script>alert(1)</script> & más?",
            "Texto con <img src=x onerror=alert(1)> y evaluación \"formativa\".",
        ))
        .unwrap();
    let hit = &index.search(&text("evaluacion")).unwrap().hits[0];
    assert_eq!(
        hit.title_html,
        "¿<mark>Evaluación</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; más?"
    );
    assert!(
        hit.body_html.contains("<mark>evaluación</mark>"),
        "{}",
        hit.body_html
    );
    assert!(hit.body_html.contains("&lt;img"), "{}", hit.body_html);
    let without_tags = hit.body_html.replace("<mark>", "").replace("</mark>", "");
    assert!(!without_tags.contains('<'), "{}", hit.body_html);
}

#[test]
fn facets_count_the_matches_and_filter_them() {
    let index = sample();
    let all = index.search(&text("")).unwrap();
    assert_eq!(all.total, 3);
    assert_eq!(
        all.facets[&FacetKind::Country],
        vec![("Chile".to_string(), 2), ("Colombia".to_string(), 1)]
    );
    assert_eq!(
        all.facets[&FacetKind::ScoreBand],
        vec![
            ("2–3".to_string(), 1),
            ("3–4".to_string(), 1),
            ("sin puntaje".to_string(), 1)
        ]
    );
    assert_eq!(all.facets[&FacetKind::Region].len(), 3);

    // Two facets: both must hold.
    let q = Query {
        filters: vec![
            (FacetKind::Level, "básica".into()),
            (FacetKind::Country, "Chile".into()),
        ],
        ..text("")
    };
    assert_eq!(ids(&index, &q), vec![1]);
    // Two values of one facet: either.
    let q = Query {
        filters: vec![
            (FacetKind::Region, "Atacama".into()),
            (FacetKind::Region, "Antioquia".into()),
        ],
        ..text("")
    };
    assert_eq!(ids(&index, &q), vec![2, 3]);
    // Counts follow the text.
    let r = index.search(&text("evaluacion")).unwrap();
    assert_eq!(r.facets[&FacetKind::Stage].len(), 2);
    // A value nobody has, or with a slash, is no error.
    let q = Query {
        filters: vec![(FacetKind::Area, "a/b\\c".into())],
        ..text("")
    };
    assert!(ids(&index, &q).is_empty());
}

#[test]
fn unpublished_practices_only_for_their_networks() {
    let index = sample();
    let mut q = text("talleres");
    q.visibility = Visibility::PublishedOrNetworks(vec![]);
    assert!(ids(&index, &q).is_empty());
    q.visibility = Visibility::PublishedOrNetworks(vec![2]);
    assert!(ids(&index, &q).is_empty());
    q.visibility = Visibility::PublishedOrNetworks(vec![2, 3]);
    assert_eq!(ids(&index, &q), vec![3]);
    let mut q = text("");
    q.visibility = Visibility::PublishedOrNetworks(vec![]);
    assert_eq!(index.search(&q).unwrap().total, 2);
    // The typed text cannot reach the visibility: field syntax is not query syntax here.
    let mut q = text("published:false network_id:3 talleres");
    q.visibility = Visibility::PublishedOrNetworks(vec![]);
    assert!(ids(&index, &q).is_empty());
}

#[test]
fn upsert_replaces_and_delete_removes() {
    let index = sample();
    index
        .upsert(&practice(2, "Pasantías renovadas", "Ahora con mentorías."))
        .unwrap();
    assert_eq!(index.len(), 3);
    assert!(ids(&index, &text("PME")).is_empty());
    assert_eq!(ids(&index, &text("mentorias")), vec![2]);
    index.delete(2).unwrap();
    assert!(ids(&index, &text("mentorias")).is_empty());
    assert_eq!(index.len(), 2);
    index.delete(42).unwrap();
    index
        .replace_all(&[practice(7, "Solo esta", "nada más")])
        .unwrap();
    assert_eq!(index.len(), 1);
}

#[test]
fn pages_split_the_ranking() {
    let index = Index::in_memory().unwrap();
    let docs: Vec<_> = (1..=25)
        .map(|i| practice(i, &format!("Red número {i}"), "red de mejoramiento escolar"))
        .collect();
    index.upsert_many(&docs).unwrap();
    let mut q = text("redes");
    q.per_page = 10;
    let first = index.search(&q).unwrap();
    q.page = 3;
    let third = index.search(&q).unwrap();
    assert_eq!(
        (first.total, first.hits.len(), third.hits.len()),
        (25, 10, 5)
    );
    q.page = 0;
    q.per_page = 100_000;
    let clamped = index.search(&q).unwrap();
    assert_eq!(
        (clamped.page, clamped.per_page, clamped.hits.len()),
        (1, 100, 25)
    );
}

#[test]
fn bad_queries_never_error() {
    let index = sample();
    let long = "evaluación ".repeat(1000);
    for bad in [
        "(((",
        ")",
        "\"",
        "\"evaluación",
        "evaluación\"\"",
        "AND",
        "OR OR",
        "NOT",
        "-",
        "--x",
        "+",
        "*",
        "title:",
        ":::",
        "a:b:c",
        "[1 TO 5]",
        "{",
        "^2",
        "~",
        "\\",
        "/.*/",
        "🎉🎉",
        "evaluación 🎉",
        "' OR 1=1 --",
        "<script>",
        "\u{0}",
        "\u{202e}",
        "ｅｖａｌｕａｃｉóｎ",
        &long,
        "IN [a b]",
        "score:>3",
        "id:1",
    ] {
        let result = index.search(&text(bad));
        assert!(result.is_ok(), "{bad:?} failed: {result:?}");
    }
    // Only symbols: nothing matches rather than everything.
    assert_eq!(index.search(&text("🎉")).unwrap().total, 0);
    // The long text is searched on its beginning.
    assert_eq!(ids(&index, &text(&long)), vec![1, 3]);
}

#[test]
fn sanitize_keeps_words_phrases_and_exclusions_only() {
    assert_eq!(
        sanitize("título:(evaluación OR \"aula"),
        "título evaluación OR aula"
    );
    assert_eq!(
        sanitize("\"evaluación formativa\" -pme"),
        "\"evaluación formativa\" -pme"
    );
    assert_eq!(sanitize("a-b  c"), "a b c");
    assert_eq!(sanitize("\"\""), "");
    assert!(sanitize(&"x".repeat(10_000)).chars().count() <= MAX_QUERY_CHARS);
}

#[test]
fn an_index_on_disk_survives_reopening_and_is_rebuilt_when_its_version_changes() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = Index::open_or_create(dir.path()).unwrap();
        assert!(index.needs_rebuild());
        index
            .upsert(&practice(1, "Acompañamiento", "al aula"))
            .unwrap();
    }
    {
        let index = Index::open_or_create(dir.path()).unwrap();
        assert!(!index.needs_rebuild());
        assert_eq!(ids(&index, &text("acompanamiento")), vec![1]);
    }
    std::fs::write(dir.path().join("redes-search-schema-version"), "0").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not ours").unwrap();
    let index = Index::open_or_create(dir.path()).unwrap();
    assert!(index.needs_rebuild());
    assert!(index.is_empty());
    assert!(dir.path().join("notes.txt").exists());
}

#[test]
fn phrases_with_stop_words_keep_their_word_order() {
    let index = Index::in_memory().unwrap();
    index
        .upsert_many(&[
            practice(1, "Uno", "El plan de mejoramiento del liceo."),
            practice(2, "Dos", "El mejoramiento de plan anual."),
            practice(3, "Tres", "Un plan del mejoramiento escolar."),
            practice(4, "Cuatro", "Un plan y el mejoramiento escolar."),
            practice(5, "Cinco", "La red de mejoramiento escolar."),
        ])
        .unwrap();
    let phrase = "\"plan de mejoramiento\"";
    // The stop word's place is kept: "mejoramiento" two words after "plan". Another stop word
    // in that place ("del") is accepted; the reverse order and a wider gap are not.
    assert_eq!(ids(&index, &text(phrase)), vec![1, 3]);
    assert!(ids(&index, &text("\"mejoramiento de plan\"")).contains(&2));
    assert!(!ids(&index, &text("\"mejoramiento de plan\"")).contains(&1));
    assert_eq!(
        ids(&index, &text("\"red de mejoramiento escolar\"")),
        vec![5]
    );
    let r = index.search(&text(phrase)).unwrap();
    assert_eq!(r.total, 2);
    let hit = r.hits.iter().find(|h| h.id == 1).unwrap();
    assert!(
        hit.body_html
            .contains("<mark>plan</mark> de <mark>mejoramiento</mark>"),
        "{}",
        hit.body_html
    );
}

#[test]
fn a_query_of_stop_words_only_finds_nothing_and_does_not_fail() {
    let index = sample();
    for q in ["de la", "\"de la\"", "y", "el -la", "-de", "\"de\" los"] {
        let r = index.search(&text(q));
        assert!(r.is_ok(), "{q:?} failed: {r:?}");
        assert_eq!(r.unwrap().total, 0, "{q:?}");
    }
    // Stop words beside a real word do not narrow nor widen it.
    assert_eq!(ids(&index, &text("evaluacion de la")), vec![1, 3]);
    assert_eq!(ids(&index, &text("las familias")), vec![3]);
}
