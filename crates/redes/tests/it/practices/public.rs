//! Publication (issue 12 item 7): anyone reads the published practices
//! without an account, each one as a printable page and as a PDF whose
//! text is the record's; an unpublished practice does not exist signed out
//! and prints only for those who may read it.

use crate::common;

use axum::http::StatusCode;
use common::{network_grant, school_grant, TestApp};
use redes::practices::model::PracticeStatus;

use super::replications::practice;

both_databases!(
    published_practices_read_print_and_download_without_an_account,
    |app: TestApp| async move {
        let (network, member, _, _) = crate::practices::world(&app).await;
        let teacher = app
            .person("docente.pub", &[school_grant("teacher", member)])
            .await;
        let published = practice(&app, network, member, teacher, PracticeStatus::Published).await;
        let draft = practice(&app, network, member, teacher, PracticeStatus::Documented).await;
        let mut w = app.db.write().await.unwrap();
        sqlx::query("UPDATE practices SET title = 'Borrador de la red' WHERE id = $1")
            .bind(draft)
            .execute(&mut *w)
            .await
            .unwrap();
        w.commit().await.unwrap();

        // The public list: the published one, never the draft.
        let mut visitor = app.client();
        let list = visitor.get("/buenas-practicas").await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list
            .body
            .contains(&format!("href=\"/buenas-practicas/{published}\"")));
        assert!(list.body.contains("1 práctica publicada"), "{}", list.body);
        assert!(!list.body.contains("Borrador de la red"));
        // Home offers them to whoever arrives signed out.
        assert!(visitor
            .get("/")
            .await
            .body
            .contains("Buenas prácticas publicadas"));

        // The printable page: the record, its sections, the PDF link.
        let page = visitor.get(&format!("/buenas-practicas/{published}")).await;
        assert_eq!(page.status, StatusCode::OK);
        for text in [
            "Acompañamiento al aula entre pares",
            "Contexto",
            "Escuelas de cerro.",
            "Veinte clases observadas.",
            "Escuela Valparaíso",
        ] {
            assert!(page.body.contains(text), "{text}: {}", page.body);
        }
        assert!(page
            .body
            .contains(&format!("/buenas-practicas/{published}/pdf")));

        // The PDF: a real one, whose text is the record's, accents included.
        let pdf = visitor
            .get(&format!("/buenas-practicas/{published}/pdf"))
            .await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert_eq!(pdf.content_type, "application/pdf");
        assert!(pdf.bytes.starts_with(b"%PDF-"));
        let text = redes_search::extract::pdf_text(&pdf.bytes).expect("the PDF reads");
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "Acompañamiento al aula entre pares",
            "Problema o necesidad",
            "Poca observación entre docentes.",
            "Red Liga Aprende",
        ] {
            assert!(text.contains(expected), "{expected}: {text}");
        }

        // In English, the headings are English; the record stays as written.
        visitor.set_cookie("lang", Some("en"));
        let english = visitor
            .get(&format!("/buenas-practicas/{published}/pdf"))
            .await;
        let text = redes_search::extract::pdf_text(&english.bytes).unwrap();
        assert!(
            text.contains("Problem or need") && text.contains("Escuelas de cerro."),
            "{text}"
        );
        visitor.set_cookie("lang", None);

        // Signed out, the draft does not exist; its network's people print it.
        assert_eq!(
            visitor
                .get(&format!("/buenas-practicas/{draft}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            visitor
                .get(&format!("/buenas-practicas/{draft}/pdf"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let mut coordinator = app
            .signed_in(
                "coord.pub",
                &[network_grant("network_coordinator", network)],
            )
            .await;
        let printed = coordinator.get(&format!("/buenas-practicas/{draft}")).await;
        assert_eq!(printed.status, StatusCode::OK);
        assert!(printed.body.contains("Borrador de la red"));
        // Even signed in, the public list holds only what is published.
        assert!(!coordinator
            .get("/buenas-practicas")
            .await
            .body
            .contains("Borrador de la red"));
        // The practice's own page links to both.
        let own = coordinator.get(&format!("/practicas/{draft}")).await;
        assert!(own
            .body
            .contains(&format!("href=\"/buenas-practicas/{draft}/pdf\"")));

        // Filters are checked like the practices list's.
        let bad = visitor.get("/buenas-practicas?etapa=ninguna").await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        // The stage chosen stays chosen, with "all" offered first.
        let filtered = visitor.get("/buenas-practicas?etapa=starting").await.body;
        assert!(
            filtered
                .contains("<option value=\"\">Todas</option><option value=\"starting\" selected>"),
            "{filtered}"
        );
        assert_eq!(
            visitor.get("/buenas-practicas/999999/pdf").await.status,
            StatusCode::NOT_FOUND
        );
    }
);
