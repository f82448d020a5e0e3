//! Demo agreements of the 2017 meetings of Red Liga Aprende, Red de
//! Talagante and Red Río Ibáñez (`demo/meetings.rs`), written from what
//! seed 001 says they do: Liga Aprende plans each itinerant session with
//! the DAEM and the DEPROV and wants local evidence of the network's effect
//! in the classroom; Talagante defines common knots, evaluates the PME from
//! the schools' seals and builds a method to present experiences; Río
//! Ibáñez writes indicators and goals and reports to the municipal council.
//! Some are kept, one is dropped, some are still open past their due date,
//! and some were reviewed at two later meetings while still open (carried
//! over twice). Every write goes through the agreements store: the input is
//! parsed as the page's would be, then written by the same functions.

use crate::agreements::model::{AgreementInput, ReviewInput};
use crate::agreements::store;
use crate::auth::policy::AgreementOwner;
use crate::demo::DemoIds;
use crate::ids::{NetworkId, PersonId};

/// Who takes charge: the network's coordinator or a member school (RBD).
#[derive(Clone, Copy)]
enum Owner {
    Coordinator,
    School(&'static str),
}

/// An agreement taken at the network's meeting `at` (0 = the first), and
/// its reviews at later meetings: (meeting, what was said, status after,
/// reason when dropped).
struct Agreed {
    at: usize,
    body: &'static str,
    owner: Owner,
    due_on: &'static str,
    reviews: &'static [(usize, &'static str, &'static str, &'static str)],
}

struct Year {
    network: &'static str,
    coordinator: &'static str,
    agreements: &'static [Agreed],
}

use Owner::{Coordinator, School};

const LIGA: Year = Year {
    network: "rme-valparaiso-liga-aprende",
    coordinator: "coordinador.liga",
    agreements: &[
        Agreed {
            at: 0,
            body: "Enviar al DAEM y al DEPROV el calendario de sesiones itinerantes, con la escuela anfitriona de cada mes.",
            owner: Coordinator,
            due_on: "2017-03-24",
            reviews: &[(1, "El calendario se envió y el DAEM lo confirmó.", "kept", "")],
        },
        Agreed {
            at: 0,
            body: "Cada escuela anfitriona planifica su sesión con el equipo DAEM, el DEPROV y la coordinación una semana antes.",
            owner: School("1122"),
            due_on: "2017-03-31",
            reviews: &[
                (1, "La Escuela República de Venezuela planificó la sesión de abril; falta una pauta de planificación previa.", "in_progress", ""),
                (2, "Se usó la pauta en mayo; queda compartirla con las escuelas que aún no son anfitrionas.", "in_progress", ""),
            ],
        },
        Agreed {
            at: 1,
            body: "Revisar la coherencia entre el PEI y el PME con la pauta común antes del cierre ministerial.",
            owner: School("1132"),
            due_on: "2017-04-28",
            reviews: &[
                (2, "La escuela revisó la fase estratégica; falta la programación anual.", "in_progress", ""),
                (3, "PME ajustado y validado con el DEPROV.", "kept", ""),
            ],
        },
        Agreed {
            at: 2,
            body: "Definir qué evidencia local levanta cada escuela para ver el efecto del trabajo de la red en el aula.",
            owner: Coordinator,
            due_on: "2017-05-31",
            reviews: &[
                (3, "El punto no alcanzó a tratarse en mayo; se retoma junto con la pauta de observación.", "open", ""),
                (4, "Se acuerdan dos indicadores de aula; falta uno de aprendizajes.", "in_progress", ""),
            ],
        },
        Agreed {
            at: 3,
            body: "Aplicar la pauta de observación entre pares en al menos dos cursos antes de la sesión de agosto.",
            owner: School("11199"),
            due_on: "2017-07-28",
            reviews: &[(4, "El Colegio Luis Cruz Martínez la aplicó en tres cursos y presentó lo observado.", "kept", "")],
        },
        Agreed {
            at: 4,
            body: "Invitar a la red de la comuna vecina a la sesión de septiembre.",
            owner: Coordinator,
            due_on: "2017-08-25",
            reviews: &[],
        },
    ],
};

const TALAGANTE: Year = Year {
    network: "rme-metropolitana-talagante",
    coordinator: "coordinadora.talagante",
    agreements: &[
        Agreed {
            at: 0,
            body: "Enviar a la jefatura de educación comunal el acta que institucionaliza el espacio de red.",
            owner: Coordinator,
            due_on: "2017-03-31",
            reviews: &[(1, "Acta enviada; la jefatura valida el espacio de red.", "kept", "")],
        },
        Agreed {
            at: 0,
            body: "Cada establecimiento prioriza sus tres nudos principales y los envía a la coordinación.",
            owner: School("10689"),
            due_on: "2017-04-07",
            reviews: &[
                (1, "Llegaron los nudos de la mitad de los establecimientos.", "in_progress", ""),
                (2, "Faltan los nudos de los liceos; se les da plazo hasta junio.", "in_progress", ""),
            ],
        },
        Agreed {
            at: 1,
            body: "Preparar la evaluación del PME desde los sellos educativos, con los resultados de cada escuela.",
            owner: School("10696"),
            due_on: "2017-05-05",
            reviews: &[(2, "Evaluación presentada: sellos compartidos en convivencia y lectura.", "kept", "")],
        },
        Agreed {
            at: 2,
            body: "Probar la pauta común de presentación con una experiencia de lectura de primer ciclo.",
            owner: School("10699"),
            due_on: "2017-06-09",
            reviews: &[(3, "La escuela presentó su experiencia de lectura con la pauta; se ajustan los tiempos.", "kept", "")],
        },
        Agreed {
            at: 3,
            body: "Visitar otra escuela de la red para observar su experiencia de convivencia escolar.",
            owner: School("10689"),
            due_on: "2017-07-28",
            reviews: &[(4, "No hubo horas para las visitas.", "dropped", "Se reemplaza por presentaciones en cada sesión, por falta de horas para visitas.")],
        },
        Agreed {
            at: 4,
            body: "Rotar la conducción de las sesiones autónomas entre los directores.",
            owner: Coordinator,
            due_on: "2017-09-01",
            reviews: &[],
        },
    ],
};

const IBANEZ: Year = Year {
    network: "rme-aysen-rio-ibanez",
    coordinator: "coordinador.ibanez",
    agreements: &[
        Agreed {
            at: 0,
            body: "Redactar los indicadores de seguimiento y las metas de cada objetivo anual.",
            owner: Coordinator,
            due_on: "2017-04-21",
            reviews: &[
                (1, "Indicadores redactados; faltan las metas de dos objetivos.", "in_progress", ""),
                (2, "Metas acordadas para todos los objetivos.", "kept", ""),
            ],
        },
        Agreed {
            at: 1,
            body: "Enviar a la red el calendario ministerial de plazos y cierres de ejecución del PME.",
            owner: Coordinator,
            due_on: "2017-05-12",
            reviews: &[(2, "Calendario enviado a ambos establecimientos.", "kept", "")],
        },
        Agreed {
            at: 2,
            body: "Ajustar las metas de la fase estratégica del PME según las observaciones cruzadas.",
            owner: School("8404"),
            due_on: "2017-06-23",
            reviews: &[
                (3, "Ajuste en curso; la conectividad retrasó el trabajo a distancia.", "in_progress", ""),
                (4, "Falta validar las metas con el consejo escolar.", "in_progress", ""),
            ],
        },
        Agreed {
            at: 3,
            body: "Preparar la presentación al Concejo Municipal con el avance de los planes y proyectos.",
            owner: School("8403"),
            due_on: "2017-07-31",
            reviews: &[(4, "Se dio cuenta al Concejo Municipal a comienzos de agosto.", "kept", "")],
        },
        Agreed {
            at: 4,
            body: "Compartir con los microcentros de la comuna el monitoreo del plan de trabajo.",
            owner: Coordinator,
            due_on: "2017-09-15",
            reviews: &[],
        },
    ],
};

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
    // `taken[k]` is `year.agreements[k]`: they are listed in meeting order.
    anyhow::ensure!(
        year.agreements.windows(2).all(|w| w[0].at <= w[1].at),
        "demo: the agreements of {} are not in meeting order",
        year.network
    );
    let meetings = store::meetings_of(conn, network).await?;
    let meeting = |i: usize| {
        meetings
            .get(i)
            .ok_or_else(|| anyhow::anyhow!("demo: {} has no meeting {}", year.network, i + 1))
    };
    let mut taken = Vec::new();
    // Meeting by meeting: first the reviews of what earlier meetings
    // agreed, then what this one agrees, as the minutes would tell it.
    for i in 0..meetings.len() {
        for (a, id) in year.agreements.iter().zip(&taken) {
            for (_, note, status, reason) in a.reviews.iter().filter(|r| r.0 == i) {
                let input = ReviewInput {
                    meeting_id: meeting(i)?.id.to_string(),
                    note: (*note).into(),
                    status_after: (*status).into(),
                    reason: (*reason).into(),
                };
                let new = input
                    .parse()
                    .map_err(|e| anyhow::anyhow!("demo review {note:?}: {e:?}"))?;
                let agreement = store::load(conn, *id).await?;
                store::insert_review(conn, &agreement, &new, coordinator).await?;
            }
        }
        for a in year.agreements.iter().filter(|a| a.at == i) {
            let owner = match a.owner {
                Coordinator => AgreementOwner::Person(coordinator),
                School(code) => AgreementOwner::School(
                    crate::plans::store::member_school_by_code(conn, network, code)
                        .await?
                        .ok_or_else(|| {
                            anyhow::anyhow!("demo: school {code} is not in {}", year.network)
                        })?,
                ),
            };
            let m = meeting(i)?;
            let input = AgreementInput {
                body: a.body.into(),
                owner: crate::agreements::model::owner_code(owner),
                due_on: a.due_on.into(),
            };
            let new = input
                .parse(&m.held_on)
                .map_err(|e| anyhow::anyhow!("demo agreement {:?}: {e:?}", a.body))?;
            taken.push(store::insert(conn, network, m.id, &new, coordinator).await?);
        }
    }
    anyhow::ensure!(
        taken.len() == year.agreements.len(),
        "demo: an agreement of {} names a meeting it does not have",
        year.network
    );
    Ok(())
}

/// Loads the three networks' agreements, after their meetings.
pub async fn load(conn: &mut sqlx::AnyConnection, ids: &DemoIds) -> anyhow::Result<()> {
    for year in [&LIGA, &TALAGANTE, &IBANEZ] {
        load_year(conn, ids, year).await?;
    }
    Ok(())
}
