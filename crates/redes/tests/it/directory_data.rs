//! Data as people know it (issue 8): proper names keep their capitals,
//! directory rows that need a look are flagged and listed last, a school's
//! page says whether it operates, and Medellín's list imports as published.

use crate::common;

use redes::schools::import::{import, ImportError};

/// Medellín's school list (Geoescuelas), when the shared data is checked out.
fn medellin_list() -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/colombia/medellin_geoescuelas.csv");
    std::fs::read_to_string(path).ok()
}

/// Three rows as Chile's directory publishes them: a school that reads well,
/// the directory's ".." row with no levels, and a closed school whose name
/// carries a Roman numeral.
const DIRECTORY_ROWS: &str = "RBD;NOM_RBD;COD_REG_RBD;NOM_DEPROV_RBD;NOM_COM_RBD;LATITUD;LONGITUD;ENS_01;MAT_TOTAL;RURAL_RBD;COD_DEPE2;ESTADO_ESTAB
901;ESCUELA ALTO MAULE;7;TALCA;TALCA;0;0;110;120;0;1;1
902;..;7;TALCA;TALCA;0;0;0;0;0;1;1
903;ESCUELA PARTICULAR SIGLO XXI;7;TALCA;TALCA;0;0;110;40;0;2;2
";

async fn id_of(app: &common::TestApp, code: &str) -> i64 {
    app.count(&format!(
        "SELECT id FROM schools WHERE country = 'cl' AND official_code = '{code}'"
    ))
    .await
}

both_databases!(
    flagged_rows_are_listed_last_and_closed_schools_say_so,
    |app: common::TestApp| async move {
        import(&app.db, DIRECTORY_ROWS, false).await.unwrap();
        assert_eq!(
            app.text("SELECT name FROM schools WHERE official_code = '903'")
                .await,
            "Escuela Particular Siglo XXI"
        );
        assert_eq!(
            app.text("SELECT review_note FROM schools WHERE official_code = '902'")
                .await,
            "placeholder_name,no_levels"
        );
        let mut seremi = app
            .signed_in(
                "seremi",
                &[common::grant("regional_authority", "region", "Maule")],
            )
            .await;
        let list = seremi.get("/escuelas?region=Maule").await.body;
        let (alto, placeholder, siglo) = (
            list.find("Escuela Alto Maule").expect("listed"),
            list.find(">..</a>").expect("the placeholder row is listed"),
            list.find("Escuela Particular Siglo XXI").expect("listed"),
        );
        assert!(
            alto < placeholder && siglo < placeholder,
            "flagged row last"
        );
        assert!(list.contains("por revisar") && list.contains("cerrada"));

        let closed = id_of(&app, "903").await;
        let page = seremi.get(&format!("/escuelas/{closed}")).await.body;
        assert!(page.contains("Cerrada o sin funcionamiento"), "{page}");
        let open = id_of(&app, "901").await;
        let page = seremi.get(&format!("/escuelas/{open}")).await.body;
        assert!(page.contains("En funcionamiento"));
        assert!(!page.contains("necesita revisión"));
        let flagged = id_of(&app, "902").await;
        let page = seremi.get(&format!("/escuelas/{flagged}")).await.body;
        assert!(page.contains("nombre provisorio") && page.contains("no tiene niveles"));
    }
);

both_databases!(
    medellin_list_imports_as_published,
    |app: common::TestApp| async move {
        let Some(text) = medellin_list() else {
            eprintln!("skipped: ../shared/data/colombia/medellin_geoescuelas.csv not found");
            return;
        };
        // One published row has "1" as its DANE code: without --skip-invalid
        // nothing is written, and the row is named by its line.
        let Err(ImportError::InvalidRows(rows)) = import(&app.db, &text, false).await else {
            panic!("a file with a bad row must import nothing");
        };
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 123, "{rows:?}");
        assert!(rows[0].reason.starts_with("cod_dane"), "{}", rows[0].reason);
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 0);

        let report = import(&app.db, &text, true).await.unwrap();
        assert_eq!(report.inserted, 125);
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM schools WHERE country = 'co' AND province = 'Medellín'"
            )
            .await,
            125
        );
        let boqueron = "FROM schools WHERE official_code = '205001003195'";
        assert_eq!(
            app.text(&format!("SELECT name {boqueron}")).await,
            "Centro Educativo Boqueron"
        );
        assert_eq!(
            app.text(&format!("SELECT levels {boqueron}")).await,
            "básica primaria"
        );
        assert_eq!(app.count(&format!("SELECT rural {boqueron}")).await, 1);
        assert_eq!(
            app.count(
                "SELECT COUNT(*) FROM schools WHERE levels LIKE '%media' AND region = 'Antioquia'"
            )
            .await,
            106
        );
    }
);
