//! Demo meetings: six sessions in 2017 of Red Liga Aprende (Valparaíso),
//! Red de Talagante (Metropolitana) and Red Río Ibáñez (Aysén), written
//! from what seed 001 says they do: itinerant meetings in each school in
//! turn with a "hilo conductor" tied to the year's plan (Liga Aprende),
//! shared knots and a territorial look at the PME (Talagante), strategic
//! and annual objectives reported to the municipal council (Río Ibáñez).
//! Each has its agenda, attendance and minutes; the first five are closed
//! (their minutes approved), the sixth is planned.

use crate::demo::DemoIds;
use crate::ids::{NetworkId, PersonId};
use crate::meetings::model::{rotation, MeetingKind, MeetingStatus, NewMeeting};
use crate::meetings::store::{self, agenda, attendance, minutes};
use crate::people::{self, MembershipInput, NewPerson};

/// One session: title, hilo conductor, agenda (title, presenter, minutes),
/// minutes text, doubts, needs, expectations.
struct Session {
    title: &'static str,
    theme: &'static str,
    agenda: &'static [(&'static str, &'static str, i64)],
    minutes: &'static str,
    raised: [&'static str; 3],
}

/// A network's year: its seed id, coordinator, the people of its schools
/// the demo adds (name, role, school code), the dates and the sessions.
struct Year {
    network: &'static str,
    coordinator: &'static str,
    people: &'static [(&'static str, &'static str, &'static str)],
    dates: [&'static str; 6],
    sessions: [Session; 6],
}

const LIGA: Year = Year {
    network: "rme-valparaiso-liga-aprende",
    coordinator: "coordinador.liga",
    people: &[
        ("Verónica Lazcano Pino", "technical_head", "1122"),
        ("Mauricio Olivares Bernal", "technical_head", "11199"),
        ("Claudia Ibacache Rojas", "director", "1132"),
        ("Sergio Cortés Navarro", "director", "1121"),
    ],
    dates: ["2017-03-07", "2017-04-04", "2017-05-02", "2017-06-06", "2017-08-01", "2017-09-05"],
    sessions: [
        Session {
            title: "Sesión 1: plan de trabajo anual",
            theme: "Distribuir el liderazgo en los equipos de gestión",
            agenda: &[
                ("Bienvenida del establecimiento anfitrión", "Equipo directivo anfitrión", 15),
                ("Plan de trabajo de la red para 2017", "Coordinación de red", 60),
                ("Calendario de reuniones itinerantes", "Coordinación de red", 20),
            ],
            minutes: "Se acuerda el plan de trabajo 2017 con el liderazgo distribuido como hilo conductor. Cada establecimiento organizará una sesión en su escuela, planificada previamente con el DAEM, el DEPROV y la coordinación.",
            raised: ["Cómo involucrar a los equipos psicosociales.", "Tiempo protegido para la planificación previa.", "Que las sesiones sean generativas y no solo informativas."],
        },
        Session {
            title: "Sesión 2: articulación PEI y PME",
            theme: "Los instrumentos de planificación que guían la mejora",
            agenda: &[
                ("Experiencia del anfitrión: su PME en acción", "Equipo directivo anfitrión", 40),
                ("Trabajo en grupos: coherencia PEI-PME", "Jefes técnicos", 60),
                ("Plenario", "Coordinación de red", 20),
            ],
            minutes: "Los equipos revisan la coherencia entre su PEI y su PME. Se comparten aciertos y dificultades en la articulación de los procesos.",
            raised: ["Plazos ministeriales del PME.", "Acompañamiento del DEPROV en la revisión.", "Una pauta común de revisión."],
        },
        Session {
            title: "Sesión 3: equipos psicosociales y PIE",
            theme: "Otros actores que se comprometen con la red",
            agenda: &[
                ("Presentación de los coordinadores PIE", "Coordinación PIE comunal", 45),
                ("Casos de trabajo conjunto con duplas psicosociales", "Equipo anfitrión", 45),
                ("Evidencia local: qué medir en cada escuela", "Coordinación de red", 30),
            ],
            minutes: "Los coordinadores PIE y las duplas psicosociales presentan su trabajo. No alcanzó el tiempo para el punto sobre evidencia local, que pasa a la sesión siguiente.",
            raised: ["Cómo registrar la evidencia local.", "Espacios de trabajo con las duplas.", "Que el PIE participe en todas las sesiones."],
        },
        Session {
            title: "Sesión 4: transferencia al aula",
            theme: "Del trabajo de la red al quehacer pedagógico",
            agenda: &[
                ("Observación de clases entre pares", "Jefes técnicos", 60),
                ("Retroalimentación en los equipos", "Equipo anfitrión", 45),
            ],
            minutes: "Se define una pauta de observación entre pares y se acuerda aplicarla en cada escuela antes de la próxima sesión.",
            raised: ["Cómo retroalimentar sin evaluar.", "Horas para la observación.", "Ver el impacto en los aprendizajes."],
        },
        Session {
            title: "Sesión 5: levantamiento de evidencia",
            theme: "Construcción de conocimiento territorial",
            agenda: &[
                ("Resultados de la observación entre pares", "Cada establecimiento", 60),
                ("Análisis conjunto de la evidencia", "Coordinación de red", 45),
            ],
            minutes: "Cada escuela presenta lo observado. La evidencia muestra avances en el trabajo colaborativo de los equipos de gestión.",
            raised: ["Cómo sistematizar lo observado.", "Apoyo para el análisis de datos.", "Compartir con otras redes de la provincia."],
        },
        Session {
            title: "Sesión 6: diálogo entre redes locales",
            theme: "Hacia políticas comunales compartidas",
            agenda: &[
                ("Invitación a la red de la comuna vecina", "Coordinación de red", 30),
                ("Propuestas para la política comunal", "Directores", 60),
            ],
            minutes: "",
            raised: ["", "", ""],
        },
    ],
};

const TALAGANTE: Year = Year {
    network: "rme-metropolitana-talagante",
    coordinator: "coordinadora.talagante",
    people: &[
        ("Gloria Henríquez Salas", "director", "10689"),
        ("Andrés Riquelme Fuentes", "technical_head", "10689"),
        ("Paula Vergara Soto", "director", "10696"),
        ("Ricardo Maturana Gil", "director", "10704"),
    ],
    dates: ["2017-03-14", "2017-04-11", "2017-05-09", "2017-06-13", "2017-08-08", "2017-09-12"],
    sessions: [
        Session {
            title: "Sesión 1: los nudos comunes",
            theme: "Definir en común los nudos de los establecimientos",
            agenda: &[
                ("Conversación con la jefatura de educación comunal", "Jefe técnico comunal", 30),
                ("Nudos de cada establecimiento", "Directores", 60),
                ("Plan de trabajo anual con objetivos comunes", "Coordinación de red", 45),
            ],
            minutes: "Se institucionaliza el espacio de red con la jefatura comunal y se identifican los nudos comunes para focalizar el trabajo del año.",
            raised: ["Cómo priorizar entre tantos nudos.", "Apoyo del encargado SEP-FAEP-PIE.", "Que el plan prime el interés colectivo."],
        },
        Session {
            title: "Sesión 2: evaluación de los PME",
            theme: "Los sellos educativos con mirada territorial",
            agenda: &[
                ("Evaluación de los PME con foco en los sellos", "Jefes técnicos", 75),
                ("Síntesis territorial", "Coordinación de red", 30),
            ],
            minutes: "Cada equipo evalúa su PME desde sus sellos educativos; la síntesis muestra sellos compartidos en convivencia y lectura.",
            raised: ["Cómo comparar PME distintos.", "Datos de resultados por escuela.", "Una mirada comunal de la mejora."],
        },
        Session {
            title: "Sesión 3: metodología para compartir experiencias",
            theme: "Una metodología común para presentar experiencias",
            agenda: &[
                ("Propuesta de pauta de presentación", "Coordinación de red", 40),
                ("Ensayo con una experiencia", "Escuela anfitriona", 50),
            ],
            minutes: "Se construye la pauta para presentar las experiencias intercambiadas en la red.",
            raised: ["Duración de cada presentación.", "Participación de docentes.", "Registrar las experiencias."],
        },
        Session {
            title: "Sesión 4: experiencias de los establecimientos",
            theme: "Reflexión con los equipos de gestión y docentes",
            agenda: &[
                ("Experiencia de lectura en primer ciclo", "Equipo de la escuela anfitriona", 45),
                ("Experiencia de convivencia escolar", "Liceo invitado", 45),
            ],
            minutes: "Dos establecimientos lideran el proceso completo de reflexión con docentes y profesionales de su comunidad.",
            raised: ["Cómo adaptar las experiencias.", "Tiempo para visitar otras escuelas.", "Seguir con presentaciones en cada sesión."],
        },
        Session {
            title: "Sesión 5: trabajo autónomo de la red",
            theme: "Autonomía de la red, sin la supervisión",
            agenda: &[
                ("Sesión conducida por los directores", "Directores", 60),
                ("Coevaluación de las estrategias", "Jefes técnicos", 45),
            ],
            minutes: "Primera sesión sin el equipo de supervisión: los directores conducen y coevalúan las estrategias de implementación.",
            raised: ["Quién convoca sin la supervisión.", "Rotar la conducción.", "Consolidar la autonomía."],
        },
        Session {
            title: "Sesión 6: resultados y proyección",
            theme: "Coevaluación de resultados",
            agenda: &[
                ("Resultados del año", "Coordinación de red", 45),
                ("Proyección 2018", "Directores", 45),
            ],
            minutes: "",
            raised: ["", "", ""],
        },
    ],
};

const IBANEZ: Year = Year {
    network: "rme-aysen-rio-ibanez",
    coordinator: "coordinador.ibanez",
    people: &[
        ("Marcela Uribe Cárcamo", "technical_head", "8404"),
        ("Hernán Sandoval Vera", "director", "8403"),
    ],
    dates: ["2017-03-21", "2017-04-25", "2017-05-23", "2017-06-27", "2017-08-22", "2017-09-26"],
    sessions: [
        Session {
            title: "Sesión 1: objetivos estratégicos y anuales",
            theme: "Triangular objetivos estratégicos, anuales y acciones",
            agenda: &[
                ("Objetivos estratégicos de la red", "Coordinación de red", 45),
                ("Objetivos anuales y acciones", "Directores", 60),
            ],
            minutes: "Se consensúan y explicitan los objetivos estratégicos y anuales de la red, con indicadores de seguimiento y metas.",
            raised: ["Cómo medir los objetivos anuales.", "Información actualizada del ministerio.", "Un calendario de seguimiento."],
        },
        Session {
            title: "Sesión 2: PME y planes normativos",
            theme: "Revisión, creación y validación del PME",
            agenda: &[
                ("Directrices ministeriales: plazos y cierres", "Coordinación de red", 30),
                ("Revisión del PME de cada establecimiento", "Jefes técnicos", 60),
            ],
            minutes: "Se revisan los PME con las directrices entregadas en la red y se validan en grupo.",
            raised: ["Plazos de cierre de ejecución.", "Apoyo para los planes normativos.", "Más tiempo de trabajo conjunto."],
        },
        Session {
            title: "Sesión 3: validación grupal",
            theme: "Crítica constructiva en las fases del PME",
            agenda: &[
                ("Fase estratégica del PME: observaciones cruzadas", "Directores", 60),
                ("Acuerdos de ajuste", "Coordinación de red", 30),
            ],
            minutes: "Cada establecimiento recibe observaciones del otro con confianza y respeto; se ajustan las metas.",
            raised: ["Cómo dar retroalimentación entre pares.", "Conectividad para trabajar a distancia.", "Sumar a los microcentros."],
        },
        Session {
            title: "Sesión 4: cuenta al Concejo Municipal",
            theme: "Dar cuenta del avance de los planes estratégicos",
            agenda: &[
                ("Preparación de la presentación al Concejo", "Directores", 60),
                ("Proyectos con financiamiento alternativo", "Coordinación de red", 30),
            ],
            minutes: "Se prepara la cuenta anual al Concejo Municipal sobre el avance de los planes y proyectos.",
            raised: ["Qué datos presentar.", "Apoyo del DAEM.", "Que el Concejo conozca la red."],
        },
        Session {
            title: "Sesión 5: monitoreo del plan de trabajo",
            theme: "Indicadores de seguimiento y metas",
            agenda: &[
                ("Estado de los indicadores", "Coordinación de red", 45),
                ("Ajustes al plan", "Directores y jefes técnicos", 45),
            ],
            minutes: "Se revisa cada indicador contra su meta y se ajustan las acciones atrasadas.",
            raised: ["Fuentes de los datos.", "Seguimiento entre sesiones.", "Compartir con la comuna."],
        },
        Session {
            title: "Sesión 6: evaluación anual",
            theme: "Planificación flexible para 2018",
            agenda: &[
                ("Evaluación de los procesos de monitoreo", "Coordinación de red", 45),
                ("Ideas para el plan 2018", "Todos", 45),
            ],
            minutes: "",
            raised: ["", "", ""],
        },
    ],
};

/// Adds the people of the schools each network needs for a fuller roster
/// (directors and technical heads without an account).
async fn add_people(conn: &mut sqlx::AnyConnection, year: &Year) -> anyhow::Result<()> {
    for (name, role, code) in year.people {
        let person = NewPerson {
            full_name: (*name).into(),
            email: String::new(),
            username: None,
            password: None,
            is_admin: false,
        };
        let id = people::insert(conn, &person).await?;
        let m = MembershipInput {
            role: (*role).into(),
            country: "cl".into(),
            school_code: (*code).into(),
            starts_on: "2015-01-01".into(),
            ..Default::default()
        };
        people::grant(conn, id, &m).await?;
    }
    Ok(())
}

async fn load_year(
    conn: &mut sqlx::AnyConnection,
    ids: &DemoIds,
    year: &Year,
) -> anyhow::Result<()> {
    let network: NetworkId = *ids
        .networks
        .get(year.network)
        .ok_or_else(|| anyhow::anyhow!("demo: no network {}", year.network))?;
    let coordinator: PersonId = *ids
        .people
        .get(year.coordinator)
        .ok_or_else(|| anyhow::anyhow!("demo: no person {}", year.coordinator))?;
    add_people(conn, year).await?;
    let turns = store::turns(conn, network).await?;
    let hosts = rotation(&turns, year.dates.len());
    let mut meetings = Vec::new();
    for (i, (session, held_on)) in year.sessions.iter().zip(year.dates).enumerate() {
        let new = NewMeeting {
            kind: MeetingKind::NetworkSession,
            title: session.title.into(),
            theme: session.theme.into(),
            held_on: held_on.into(),
            starts_at: "09:00".into(),
            ends_at: "12:30".into(),
            host_school_id: hosts.get(i).copied(),
            place: String::new(),
            coordinator_id: Some(coordinator),
        };
        let id = store::insert(conn, network, &new, None, coordinator).await?;
        for (title, presenter, minutes_allotted) in session.agenda {
            let item = agenda::NewItem {
                title: (*title).into(),
                presenter: (*presenter).into(),
                minutes_allotted: *minutes_allotted,
                notes: String::new(),
                // Seed 001's third session ran out of time for its last point.
                reached: !(i == 2 && title.starts_with("Evidencia local")),
                plan_action_id: None,
            };
            agenda::insert(conn, id, &item, None).await?;
        }
        meetings.push(id);
    }
    // The first five took place: attendance, minutes, approval, in order
    // (an item not reached moves to the next meeting when one closes).
    for (i, id) in meetings.iter().take(5).enumerate() {
        let roster = store::roster(conn, network, year.dates[i]).await?;
        for (k, person) in roster.iter().enumerate() {
            // One person a session sends word they cannot come; the
            // coordinator is always there.
            let status = if person.person_id != coordinator && k == (i % roster.len().max(1)) {
                attendance::Presence::Excused
            } else {
                attendance::Presence::Present
            };
            attendance::record(conn, *id, person.person_id, Some(status)).await?;
        }
        if i == 0 {
            attendance::insert_guest(
                conn,
                *id,
                "Supervisor DEPROV",
                "Departamento Provincial de Educación",
                attendance::Presence::Present,
            )
            .await?;
        }
        let s = &year.sessions[i];
        store::advance(conn, *id, MeetingStatus::Planned, MeetingStatus::InProgress).await?;
        minutes::set_minutes(conn, *id, s.minutes, s.raised).await?;
        store::advance(conn, *id, MeetingStatus::InProgress, MeetingStatus::Review).await?;
        minutes::close(conn, *id, coordinator).await?;
    }
    Ok(())
}

/// Loads the three networks' meetings.
pub async fn load(conn: &mut sqlx::AnyConnection, ids: &DemoIds) -> anyhow::Result<()> {
    for year in [&LIGA, &TALAGANTE, &IBANEZ] {
        load_year(conn, ids, year).await?;
    }
    Ok(())
}
