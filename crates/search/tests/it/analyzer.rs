use redes_search::analyzer::terms;

fn same(a: &str, b: &str) {
    assert_eq!(terms(a), terms(b), "«{a}» and «{b}» should analyze alike");
}

#[test]
fn accents_and_case_do_not_matter() {
    same("evaluación", "evaluacion");
    same("Acompañamiento", "acompanamiento");
    same("PRÁCTICA pedagógica", "practica pedagogica");
    same("sistematización", "sistematizacion");
    same("pasantías", "pasantias");
}

#[test]
fn plurals_meet_their_singular() {
    for (one, many) in [
        ("evaluación", "evaluaciones"),
        ("acompañamiento", "acompañamientos"),
        ("práctica", "prácticas"),
        ("gestión", "gestiones"),
        ("reflexión", "reflexiones"),
        ("escuela", "escuelas"),
        ("liceo", "liceos"),
        ("familia", "familias"),
        ("taller", "talleres"),
        ("red", "redes"),
        ("docente", "docentes"),
        ("líder", "líderes"),
        ("nivel", "niveles"),
        ("profesor", "profesores"),
        ("metodología", "metodologías"),
        ("aprendizaje", "aprendizajes"),
    ] {
        same(one, many);
    }
    // Folded plural without accent, as typed on a phone.
    same("evaluacion", "evaluaciones");
}

#[test]
fn words_split_on_punctuation_and_long_tokens_dropped() {
    assert_eq!(terms("co-docencia, PME/PEI."), terms("co docencia pme pei"));
    let long = "a".repeat(60);
    assert!(terms(&long).is_empty());
}

#[test]
fn stop_words_are_left_out() {
    assert_eq!(terms("plan de mejoramiento"), terms("plan mejoramiento"));
    assert_eq!(
        terms("Red DE la Escuela y el liceo"),
        terms("red escuela liceo")
    );
    assert!(terms("de la y el en los las del un una por con para al").is_empty());
    // Words that change what is searched stay.
    assert_eq!(terms("no sin entre bajo").len(), 4);
}
