//! CSV import of schools: Chile's official directory as published, Redes'
//! own format, bad rows reported by line, never half-written, re-import
//! updates in place.

use crate::common;

use redes::schools::import::{import, ImportError};

const EXCERPT: &str = include_str!("../fixtures/directorio_excerpt.csv");

/// Chile's whole directory, when the shared data is checked out next to the workspace.
fn whole_directory() -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/chile/directorio_oficial_ee_2025.csv");
    std::fs::read_to_string(path).ok()
}

/// (name, region, province, commune, latitude, longitude, rural, dependency, levels, students, operating)
type Row = (
    String,
    String,
    String,
    String,
    Option<f64>,
    Option<f64>,
    i64,
    String,
    String,
    Option<i64>,
    i64,
);

async fn row(app: &common::TestApp, code: &str) -> Row {
    sqlx::query_as(
        "SELECT name, region, province, commune, latitude, longitude, rural, dependency, levels, students, operating
         FROM schools WHERE country = 'cl' AND official_code = $1",
    )
    .bind(code)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

both_databases!(
    chile_directory_excerpt_imports_as_published,
    |app: common::TestApp| async move {
        let report = import(&app.db, EXCERPT, false)
            .await
            .expect("the excerpt imports");
        assert_eq!(report.rows, 60);
        assert_eq!(report.inserted, 60);
        assert_eq!(report.updated, 0);
        assert!(report.skipped.is_empty());
        assert_eq!(
            app.count("SELECT COUNT(*) FROM schools WHERE country = 'cl'")
                .await,
            60
        );
        let liceo = row(&app, "1").await;
        assert_eq!(liceo.0, "Liceo Politecnico Arica");
        assert_eq!(liceo.1, "Arica y Parinacota");
        assert_eq!(liceo.2, "Arica");
        assert_eq!(liceo.3, "Arica");
        assert_eq!(liceo.4, Some(-18.4872));
        assert_eq!(liceo.5, Some(-70.295212));
        assert_eq!(liceo.7, "Servicio Local de Educación");
        let cobija = row(&app, "73").await;
        assert_eq!(cobija.0, "Escuela Valle de Cobija");
        assert_eq!(cobija.3, "Camarones");
        assert_eq!(cobija.4, Some(-18.739889));
        assert_eq!(cobija.5, Some(-69.583237));
        assert_eq!(cobija.6, 1, "rural");
        assert_eq!(cobija.8, "básica");
        assert_eq!(cobija.9, Some(1));
        let pedro = row(&app, "3").await;
        assert_eq!(pedro.3, "Arica");
        assert_eq!(pedro.9, Some(497));
        assert_eq!(
            app.count("SELECT COUNT(*) FROM schools WHERE commune = 'Camarones'")
                .await,
            5
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM schools WHERE operating = 1")
                .await,
            52
        );
        // RBD 44, 46, 57 and 65 are published without coordinates.
        assert_eq!(
            app.count("SELECT COUNT(*) FROM schools WHERE latitude IS NULL AND longitude IS NULL AND official_code IN ('44', '46', '57', '65')")
                .await,
            4
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM schools WHERE latitude IS NULL OR longitude IS NULL")
                .await,
            4
        );
        // Imported schools are found by the list's search.
        let mut admin = app.signed_in("admin", &[]).await;
        let list = admin.get("/escuelas?q=cobija").await;
        assert!(
            list.body.contains("Escuela Valle de Cobija") && list.body.contains("1 escuelas"),
            "{}",
            list.body
        );
    }
);

/// The excerpt's header and first rows, then rows broken in known ways.
fn file_with_bad_rows() -> String {
    let mut lines: Vec<String> = EXCERPT.lines().take(6).map(str::to_string).collect(); // header + 5 good rows (lines 2–6)
    let good = EXCERPT.lines().nth(7).unwrap().to_string(); // RBD 8
    let with = |col: usize, value: &str| {
        let mut cells: Vec<String> = good.split(';').map(str::to_string).collect();
        cells[col] = value.to_string();
        cells.join(";")
    };
    lines.push(with(1, "12A")); // line 7: RBD not a number
    lines.push(with(3, "")); // line 8: no name
    lines.push(with(5, "99")); // line 9: unknown region
    lines.push(with(1, "")); // line 10: no RBD
    lines.push(good.clone()); // line 11: valid
    lines.push(with(3, "OTRO NOMBRE")); // line 12: RBD 8 again
    lines.join("\n") + "\n"
}

both_databases!(
    bad_rows_are_reported_and_nothing_is_imported,
    |app: common::TestApp| async move {
        let text = file_with_bad_rows();
        let error = import(&app.db, &text, false)
            .await
            .expect_err("bad rows must stop the import");
        let ImportError::InvalidRows(rows) = error else {
            panic!("unexpected error: {error}")
        };
        let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![7, 8, 9, 10, 12]);
        assert!(
            rows[0].reason.contains("RBD") && rows[0].reason.contains("12A"),
            "{}",
            rows[0].reason
        );
        assert!(rows[1].reason.contains("NOM_RBD"), "{}", rows[1].reason);
        assert!(
            rows[2].reason.contains("COD_REG_RBD") && rows[2].reason.contains("99"),
            "{}",
            rows[2].reason
        );
        assert!(rows[3].reason.contains("RBD: «»"), "{}", rows[3].reason);
        assert!(
            rows[4].reason.contains("repetido") && rows[4].reason.contains("11"),
            "{}",
            rows[4].reason
        );
        assert_eq!(
            app.count("SELECT COUNT(*) FROM schools").await,
            0,
            "nothing half-written"
        );

        let report = import(&app.db, &text, true)
            .await
            .expect("skip_invalid imports the valid rows");
        assert_eq!(report.rows, 11);
        assert_eq!(report.inserted, 6);
        assert_eq!(
            report.skipped.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![7, 8, 9, 10, 12]
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 6);
        assert_eq!(
            row(&app, "8").await.0,
            "Colegio Eduardo Frei Montalva",
            "the first of the repeated rows wins"
        );
    }
);

// The published directory has a few malformed coordinates; such a school
// is imported without a location instead of failing the whole file.
both_databases!(
    malformed_coordinates_import_the_school_without_location,
    |app: common::TestApp| async move {
        let mut lines: Vec<String> = EXCERPT.lines().take(3).map(str::to_string).collect();
        lines[1] = lines[1].replacen("-70,295212", "-70.8711003.17", 1);
        lines[2] = lines[2].replacen("-18,46986198", "-39.30433830647499. 72217207", 1);
        let report = import(&app.db, &(lines.join("\n") + "\n"), false)
            .await
            .expect("imports");
        assert_eq!(report.inserted, 2);
        for code in ["1", "2"] {
            let school = row(&app, code).await;
            assert_eq!(
                (school.4, school.5),
                (None, None),
                "RBD {code} keeps no half coordinate"
            );
        }
    }
);

both_databases!(
    reimport_updates_instead_of_duplicating,
    |app: common::TestApp| async move {
        import(&app.db, EXCERPT, false).await.unwrap();
        // A school registered by hand with an RBD of the directory is updated, not duplicated.
        let changed = EXCERPT
            .replacen("LICEO POLITECNICO ARICA", "LICEO POLITECNICO DE ARICA", 1)
            .replacen("-18,4872;", "-18,5;", 1);
        let report = import(&app.db, &changed, false).await.unwrap();
        assert_eq!(report.rows, 60);
        assert_eq!(report.inserted, 0);
        assert_eq!(report.updated, 60);
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 60);
        let liceo = row(&app, "1").await;
        assert_eq!(liceo.0, "Liceo Politecnico de Arica");
        assert_eq!(liceo.4, Some(-18.5));
        // And the search text follows the new name.
        let mut admin = app.signed_in("admin", &[]).await;
        assert!(admin
            .get("/escuelas?q=politecnico+de+arica")
            .await
            .body
            .contains("Liceo Politecnico de Arica"));
    }
);

both_databases!(
    own_format_links_sedes_and_refuses_unknown_institutions,
    |app: common::TestApp| async move {
        let text = "country,official_code,name,parent_code,region,province,commune,levels,latitude,longitude\n\
                co,17300100120102,Sede La Cima,173001001201,Tolima,Ibagué,Ibagué,primaria,4.45,-75.2\n\
                co,173001001201,Institución Los Ocobos,,Tolima,Ibagué,Ibagué,\"secundaria,media\",4.44,-75.24\n\
                mx,22DPR0001A,Escuela Primaria Benito Juárez,,Querétaro,Tequisquiapan,Tequisquiapan,primaria,,\n";
        let report = import(&app.db, text, false).await.expect("imports");
        assert_eq!(report.inserted, 3);
        let parent: Option<i64> = sqlx::query_scalar(
            "SELECT parent_id FROM schools WHERE official_code = '17300100120102'",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let main = app
            .count("SELECT id FROM schools WHERE official_code = '173001001201'")
            .await;
        assert_eq!(
            parent,
            Some(main),
            "the sede points at its institution, listed after it in the file"
        );
        assert_eq!(
            app.text("SELECT levels FROM schools WHERE official_code = '173001001201'")
                .await,
            "secundaria,media"
        );

        // A sede whose institution exists nowhere: reported, and nothing of the file written.
        let orphan = "country,official_code,name,parent_code,region\n\
                  co,173001009001,Institución Nueva,,Tolima\n\
                  co,17300100999902,Sede Huérfana,173001009999,Tolima\n";
        let error = import(&app.db, orphan, false)
            .await
            .expect_err("unknown institution");
        let ImportError::InvalidRows(rows) = error else {
            panic!("{error}")
        };
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 3, "the row of the orphan sede: {:?}", rows[0]);
        assert!(rows[0].reason.contains("173001009999"));
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 3);
        // With skip_invalid the institution is imported and the orphan reported.
        let report = import(&app.db, orphan, true).await.expect("skip_invalid");
        assert_eq!(report.inserted, 1);
        assert_eq!(
            report.skipped.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![3]
        );
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 4);
        // An unknown header is refused with a message.
        let error = import(&app.db, "a,b,c\n1,2,3\n", false)
            .await
            .expect_err("unknown header");
        assert!(
            matches!(error, ImportError::Csv(ref m) if m.contains("encabezado")),
            "{error}"
        );
    }
);

both_databases!(
    whole_chile_directory_imports,
    |app: common::TestApp| async move {
        let Some(text) = whole_directory() else {
            eprintln!("skipped: ../shared/data/chile/directorio_oficial_ee_2025.csv not found");
            return;
        };
        let rows = text.lines().count() - 1;
        assert_eq!(rows, 16_768);
        let report = import(&app.db, &text, false)
            .await
            .expect("the whole directory imports as published");
        assert_eq!(report.rows, 16_768);
        assert_eq!(report.inserted, 16_768);
        assert_eq!(
            app.count("SELECT COUNT(*) FROM schools WHERE country = 'cl'")
                .await,
            16_768
        );
        assert_eq!(
            app.count("SELECT COUNT(DISTINCT region) FROM schools")
                .await,
            16
        );
        // A seed school (Talcahuano network) with its real RBD and commune.
        let school = row(&app, "4754").await;
        assert_eq!(school.1, "Biobío");
        assert_eq!(school.3, "Talcahuano");
        assert!(school.4.is_some());
        // Importing it again changes nothing in size.
        let again = import(&app.db, &text, false).await.unwrap();
        assert_eq!(again.inserted, 0);
        assert_eq!(again.updated, 16_768);
        assert_eq!(app.count("SELECT COUNT(*) FROM schools").await, 16_768);
    }
);

both_databases!(
    excel_workbooks_import_like_csv,
    |app: common::TestApp| async move {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/escuelas.xlsx"
        ))
        .unwrap();
        let text = redes::schools::import::xlsx_to_csv(&bytes).unwrap();
        let report = redes::schools::import::import(&app.db, &text, false)
            .await
            .unwrap();
        assert_eq!(report.inserted, 3);
        // Excel stores the RBD as a number; it must come back as the code "4754".
        assert_eq!(
            app.text("SELECT name FROM schools WHERE country = 'cl' AND official_code = '4754'")
                .await,
            "Escuela Básica Cerro San Francisco"
        );
        assert_eq!(
            app.count("SELECT teachers FROM schools WHERE official_code = '22DPR0111N'")
                .await,
            14
        );
        assert!(matches!(
            redes::schools::import::xlsx_to_csv(b"not a workbook"),
            Err(redes::schools::import::ImportError::Csv(m)) if m.contains("Excel")
        ));
    }
);
