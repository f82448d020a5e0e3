//! Flows 1 to 3: a coordinator founds a network, a teacher is refused, a
//! form without a name.

use super::*;

/// Flow 1: a network coordinator founds a network in their region, adds
/// two schools through the search, and finds the network in the list.
pub(crate) async fn coordinator_creates_a_network(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    let existing = app.network("Red Costa Biobío", "Biobío").await;
    app.school(
        "cl",
        "4501",
        "Liceo Enrique Molina Garmendia",
        "Biobío",
        "Concepción",
    )
    .await;
    app.school(
        "cl",
        "4502",
        "Escuela Lorenzo Arenas",
        "Biobío",
        "Concepción",
    )
    .await;
    app.person(
        "coordinadora",
        &[network_grant("network_coordinator", existing)],
    )
    .await;

    b.goto("/").await;
    b.axe("home: signed out").await;
    b.goto("/login").await;
    b.axe("login").await;
    b.login("coordinadora").await;
    b.axe("home: coordinator").await;

    // "Crear red" from the list of networks.
    b.goto("/redes").await;
    b.axe("list: networks").await;
    b.css("a[href='/redes/nueva']")
        .await
        .click()
        .await
        .expect("click Crear red");
    b.css("form[action='/redes'] #f-name").await;
    assert_eq!(b.css("h1").await.text().await.unwrap(), "Crear red");
    // The region comes from the coordinator's network.
    assert_eq!(b.value("#f-region").await, "Biobío");
    b.axe("form: new network").await;

    let name = "Red de Liceos Técnicos del Biobío Sur";
    b.type_into("#f-name", name).await;
    b.type_into("#f-province", "Concepción").await;
    b.type_into("#f-since_year", "2024").await;
    b.type_into(
        "#f-who_forms",
        "Directivos y jefes técnicos de liceos técnico-profesionales.",
    )
    .await;
    b.type_into(
        "#f-objective",
        "Mejorar la articulación entre liceos y empresas de la zona.",
    )
    .await;
    b.type_into("#f-key_idea", "Aprender juntos de la práctica.")
        .await;
    b.css("form[action='/redes'] button[type='submit']")
        .await
        .click()
        .await
        .expect("submit network");

    // The network's own page, with its charter.
    let title = b.xpath(&format!("//main//h1[contains(., '{name}')]")).await;
    assert!(title.text().await.unwrap().contains(name));
    let main = b.main_text().await;
    assert!(
        main.contains("Mejorar la articulación entre liceos y empresas de la zona."),
        "{main}"
    );
    assert!(main.contains("Aprender juntos de la práctica."), "{main}");
    assert!(main.contains("La red aún no tiene escuelas."), "{main}");
    let network_url = b.client.current_url().await.unwrap();
    assert!(network_url.path().starts_with("/redes/"), "{network_url}");
    b.axe("detail: network without schools").await;

    // Search and add two schools.
    for school in ["Liceo Enrique Molina Garmendia", "Escuela Lorenzo Arenas"] {
        let search = b.css("#f-buscar").await;
        search.clear().await.unwrap();
        search.send_keys(&school[..12]).await.unwrap();
        b.css("form#agregar button[type='submit']")
            .await
            .click()
            .await
            .expect("search school");
        let add = b
            .css(&format!("button[aria-label='Agregar {school}']"))
            .await;
        assert_eq!(add.text().await.unwrap(), "Agregar");
        b.axe("detail: network with search results").await;
        add.click().await.expect("click Agregar");
        b.xpath(&format!(
            "//h2[@id='escuelas']/following::table[1]//a[normalize-space()='{school}']"
        ))
        .await;
    }
    assert_eq!(
        b.css("h2#escuelas").await.text().await.unwrap(),
        "Escuelas integrantes"
    );
    let members = b.css_all("h2#escuelas + .table-wrap tbody tr").await;
    let mut rows = Vec::new();
    for row in &members {
        rows.push(row.text().await.unwrap());
    }
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows.iter()
            .any(|r| r.contains("4501") && r.contains("Liceo Enrique Molina Garmendia")),
        "{rows:?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("4502") && r.contains("Escuela Lorenzo Arenas")),
        "{rows:?}"
    );
    // Each "Retirar" says which school it takes out of the network.
    for school in ["Liceo Enrique Molina Garmendia", "Escuela Lorenzo Arenas"] {
        let remove = b
            .css(&format!("button[aria-label='Retirar {school}']"))
            .await;
        assert_eq!(remove.text().await.unwrap(), "Retirar");
    }
    b.axe("detail: network with members").await;
    b.expect_reflow_at_320("the network's page").await;
    ctx.screenshot(&b, "coordinator-network").await;

    // The list, searched by name.
    b.goto("/redes").await;
    b.type_into("#f-q", "liceos tecnicos").await;
    b.css("form[action='/redes'][role='search'] button[type='submit']")
        .await
        .click()
        .await
        .expect("filter");
    // The filtered page: the server echoes the search in the field's value
    // attribute (typing changes only the property), so this never matches
    // the unfiltered list, which also shows the network.
    b.css("form[role='search'] #f-q[value='liceos tecnicos']")
        .await;
    let link = b
        .xpath(&format!("//table//a[normalize-space()='{name}']"))
        .await;
    let row = b
        .xpath(&format!("//table//tr[td/a[normalize-space()='{name}']]"))
        .await;
    let cells = row.find_all(Locator::Css("td")).await.unwrap();
    assert_eq!(
        cells.last().unwrap().text().await.unwrap(),
        "2",
        "two member schools"
    );
    let rows = b.css_all("table tbody tr").await;
    assert_eq!(rows.len(), 1, "only the searched network is listed");
    b.axe("list: networks, searched").await;
    assert!(!b.main_text().await.contains("Red Costa Biobío"));
    link.click().await.unwrap();
    b.xpath(&format!("//main//h1[contains(., '{name}')]")).await;
    assert_eq!(
        b.client.current_url().await.unwrap().path(),
        network_url.path()
    );
}

/// Flow 2: a teacher opening the edit page of their own school is told
/// they are not allowed.
pub(crate) async fn teacher_cannot_edit_their_school(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    let school = app
        .school("cl", "5120", "Escuela Básica Los Aromos", "Maule", "Talca")
        .await;
    app.person("docente", &[school_grant("teacher", school)])
        .await;

    b.login("docente").await;
    // The school itself is visible to them.
    b.goto(&format!("/escuelas/{school}")).await;
    b.xpath("//main//h1[contains(., 'Escuela Básica Los Aromos')]")
        .await;
    b.axe("detail: school").await;

    b.goto(&format!("/escuelas/{school}/editar")).await;
    let h1 = b.css("main h1").await;
    assert_eq!(h1.text().await.unwrap(), "No permitido");
    assert!(b.client.title().await.unwrap().starts_with("No permitido"));
    assert!(b
        .css("main .notice[role='alert']")
        .await
        .is_displayed()
        .await
        .unwrap());
    let forms = b.css_all("main form").await;
    assert!(forms.is_empty(), "no edit form for a teacher");
    assert!(!b.main_text().await.contains("Guardar"));
    b.axe("error page: 403").await;
    ctx.screenshot(&b, "teacher-forbidden").await;
}

/// Flow 3: submitting the network form and the school form without a name
/// shows the error beside the name and keeps the other fields.
pub(crate) async fn form_without_name_shows_the_error(ctx: Flow, b: Browser) {
    let app = &ctx.app;
    app.person("seremi", &[grant("regional_authority", "region", "Biobío")])
        .await;
    b.login("seremi").await;

    let networks_before = app.count("SELECT COUNT(*) FROM networks").await;
    let schools_before = app.count("SELECT COUNT(*) FROM schools").await;

    // The network form.
    b.goto("/redes/nueva").await;
    b.css("#f-name").await;
    b.clear_and_type("#f-region", "Biobío").await;
    b.type_into("#f-province", "Arauco").await;
    b.type_into("#f-since_year", "2016").await;
    b.type_into("#f-objective", "Compartir prácticas de lectura inicial.")
        .await;
    b.type_into("#f-key_idea", "Nadie mejora solo.").await;
    b.css("form[action='/redes'] button[type='submit']")
        .await
        .click()
        .await
        .expect("submit network");

    let error = b
        .css("div.field.has-error > input#f-name[aria-invalid='true'] ~ p.error")
        .await;
    assert_eq!(
        error.text().await.unwrap(),
        "El nombre de la red es obligatorio"
    );
    b.expect_error_next_to_name().await;
    assert_eq!(b.value("#f-name").await, "");
    assert_eq!(b.value("#f-region").await, "Biobío");
    assert_eq!(b.value("#f-province").await, "Arauco");
    assert_eq!(b.value("#f-since_year").await, "2016");
    assert_eq!(
        b.value("#f-objective").await,
        "Compartir prácticas de lectura inicial."
    );
    assert_eq!(b.value("#f-key_idea").await, "Nadie mejora solo.");
    b.expect_error_summary(
        "name",
        "Nombre de la red: El nombre de la red es obligatorio",
    )
    .await;
    // Every required field says so, and the asterisk is explained in words.
    for required in ["#f-name", "#f-country", "#f-region"] {
        let field = b.css(required).await;
        assert!(
            field.attr("required").await.unwrap().is_some(),
            "{required} is not marked required"
        );
    }
    assert_eq!(
        b.css("main p.required-note").await.text().await.unwrap(),
        "Los campos marcados con * son obligatorios."
    );
    assert_eq!(
        b.css_all(".has-error").await.len(),
        1,
        "only the name is wrong"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM networks").await,
        networks_before,
        "nothing written"
    );
    b.axe("form with errors: network").await;
    b.expect_reflow_at_320("the network form with an error")
        .await;
    ctx.screenshot(&b, "network-without-name").await;

    // The school form.
    b.goto("/escuelas/nueva").await;
    b.css("form[action='/escuelas'] #f-name").await;
    b.axe("form: new school").await;
    b.type_into("#f-official_code", "4777").await;
    b.clear_and_type("#f-region", "Biobío").await;
    b.type_into("#f-province", "Arauco").await;
    b.type_into("#f-commune", "Lebu").await;
    b.type_into("#f-address", "Av. Costanera 120").await;
    b.css("form[action='/escuelas'] button[type='submit']")
        .await
        .click()
        .await
        .expect("submit school");

    b.css("input#f-name[aria-invalid='true']").await;
    b.expect_error_next_to_name().await;
    b.expect_error_summary("name", "Nombre: El nombre es obligatorio")
        .await;
    for required in ["#f-country", "#f-official_code", "#f-name", "#f-region"] {
        let field = b.css(required).await;
        assert!(
            field.attr("required").await.unwrap().is_some(),
            "{required} is not marked required"
        );
    }
    assert_eq!(b.value("#f-name").await, "");
    assert_eq!(b.value("#f-official_code").await, "4777");
    assert_eq!(b.value("#f-region").await, "Biobío");
    assert_eq!(b.value("#f-province").await, "Arauco");
    assert_eq!(b.value("#f-commune").await, "Lebu");
    assert_eq!(b.value("#f-address").await, "Av. Costanera 120");
    b.axe("form with errors: school").await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM schools").await,
        schools_before,
        "nothing written"
    );
}
