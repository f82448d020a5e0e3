//! Demo work plans: the 2017 plan of Red Liga Aprende (Valparaíso), Red de
//! Talagante (Metropolitana) and Red Río Ibáñez (Aysén), written from what
//! seed 001 says they do: Liga Aprende distributes leadership through
//! itinerant sessions each school leads and wants local evidence of the
//! network's effect in the classroom; Talagante defines common knots,
//! evaluates the schools' PME with a territorial look and builds a method
//! to present experiences; Río Ibáñez triangulates strategic objectives,
//! annual objectives and actions with indicators and goals, and reports to
//! the municipal council. Actions are owned by member schools (named by
//! RBD) or by the coordinator; some are done, some late, one cancelled.

use crate::demo::DemoIds;
use crate::ids::{NetworkId, PersonId, WorkPlanId};
use crate::plans::input::{NewAction, NewIndicator, NewMeasurement, NewObjective};
use crate::plans::model::ActionStatus::{self, Cancelled, Done, InProgress, Pending};
use crate::plans::store;

/// Who owns an action: the network's coordinator or a member school (RBD).
enum Owner {
    Coordinator,
    School(&'static str),
}

struct Action {
    title: &'static str,
    owner: Owner,
    starts_on: &'static str,
    due_on: &'static str,
    status: ActionStatus,
    /// The matching action of the owner school's PME.
    pme: &'static str,
}

struct Indicator {
    name: &'static str,
    unit: &'static str,
    baseline: f64,
    goal: f64,
    /// (date, value, source)
    measurements: &'static [(&'static str, f64, &'static str)],
}

struct Annual {
    title: &'static str,
    description: &'static str,
    actions: &'static [Action],
    indicators: &'static [Indicator],
}

struct Strategic {
    title: &'static str,
    description: &'static str,
    annual: &'static [Annual],
}

struct Plan {
    network: &'static str,
    coordinator: &'static str,
    strategic: &'static [Strategic],
}

const fn act(
    title: &'static str,
    owner: Owner,
    starts_on: &'static str,
    due_on: &'static str,
    status: ActionStatus,
    pme: &'static str,
) -> Action {
    Action {
        title,
        owner,
        starts_on,
        due_on,
        status,
        pme,
    }
}

const LIGA: Plan = Plan {
    network: "rme-valparaiso-liga-aprende",
    coordinator: "coordinador.liga",
    strategic: &[Strategic {
        title: "Distribuir el liderazgo en los equipos de gestión de cada establecimiento",
        description: "Promover un cambio en la gestión escolar: que los equipos directivos conduzcan la red y no solo asistan a ella.",
        annual: &[
            Annual {
                title: "Cada equipo directivo organiza y conduce una sesión itinerante de la red",
                description: "Cada sesión tiene un hilo conductor respecto del plan de trabajo diseñado al inicio del año escolar.",
                actions: &[
                    act("Planificación previa de cada sesión con el DAEM, el DEPROV y la coordinación", Owner::Coordinator, "2017-03-01", "2017-11-30", InProgress, ""),
                    act("Sesión itinerante en la Escuela República de Venezuela", Owner::School("1122"), "2017-03-01", "2017-04-04", Done, "Liderazgo: el equipo de gestión conduce una sesión de red"),
                    act("Sesión itinerante en el Colegio Luis Cruz Martínez", Owner::School("11199"), "2017-04-05", "2017-05-02", Done, "Liderazgo: el equipo de gestión conduce una sesión de red"),
                    act("Sesión itinerante en la Escuela Poza Verde, con el equipo PIE y la dupla psicosocial", Owner::School("1132"), "2017-05-03", "2017-06-06", InProgress, "Convivencia: trabajo conjunto con la dupla psicosocial"),
                ],
                indicators: &[Indicator {
                    name: "Sesiones de red conducidas por el equipo directivo anfitrión",
                    unit: "sesiones",
                    baseline: 0.0,
                    goal: 8.0,
                    measurements: &[
                        ("2017-04-30", 2.0, "Actas de la red"),
                        ("2017-06-30", 3.0, "Actas de la red"),
                        ("2017-09-30", 5.0, "Actas de la red"),
                    ],
                }],
            },
            Annual {
                title: "Levantar evidencia local del efecto de la red en el aula",
                description: "Centrar la red en procesos generativos más que informativos.",
                actions: &[
                    act("Pauta común para registrar la evidencia local", Owner::School("1121"), "2017-05-02", "2017-07-31", Pending, "Gestión pedagógica: monitoreo de prácticas de aula"),
                    act("Monitoreo en cada escuela de la transferencia del trabajo de la red", Owner::Coordinator, "2017-08-01", "2017-11-30", Pending, ""),
                ],
                indicators: &[Indicator {
                    name: "Escuelas que registran evidencia de transferencia al aula",
                    unit: "%",
                    baseline: 0.0,
                    goal: 100.0,
                    measurements: &[
                        ("2017-07-31", 25.0, "Registro de la coordinación"),
                        ("2017-10-31", 54.0, "Registro de la coordinación"),
                    ],
                }],
            },
        ],
    }],
};

const TALAGANTE: Plan = Plan {
    network: "rme-metropolitana-talagante",
    coordinator: "coordinadora.talagante",
    strategic: &[Strategic {
        title: "Mejorar los procesos pedagógicos con una mirada territorial de la mejora",
        description: "Plan de trabajo anual con objetivos comunes, en el que prima el interés colectivo por sobre el individual.",
        annual: &[
            Annual {
                title: "Definir en común los nudos de los establecimientos y evaluar los PME con foco en los sellos educativos",
                description: "",
                actions: &[
                    act("Taller de definición de los nudos comunes", Owner::Coordinator, "2017-03-13", "2017-04-28", Done, ""),
                    act("Conversación con la jefatura de educación comunal para institucionalizar la red", Owner::Coordinator, "2017-04-03", "2017-05-31", Done, ""),
                    act("Evaluación del PME con foco en el sello: Escuela El Roto Chileno", Owner::School("10689"), "2017-06-01", "2017-07-28", Done, "Evaluación de medio año del PME"),
                    act("Evaluación del PME con foco en el sello: Liceo Polivalente Talagante", Owner::School("10696"), "2017-06-01", "2017-07-28", InProgress, "Evaluación de medio año del PME"),
                ],
                indicators: &[Indicator {
                    name: "Establecimientos con su PME evaluado en la red",
                    unit: "establecimientos",
                    baseline: 0.0,
                    goal: 13.0,
                    measurements: &[
                        ("2017-06-30", 4.0, "Registro de la red"),
                        ("2017-08-31", 9.0, "Registro de la red"),
                        ("2017-11-30", 11.0, "Registro de la red"),
                    ],
                }],
            },
            Annual {
                title: "Construir una metodología común para presentar las experiencias",
                description: "Compartir la experiencia y liderar la reflexión con los integrantes de la red y del equipo de gestión, con docentes de la comunidad.",
                actions: &[
                    act("Pauta común de presentación de experiencias", Owner::School("10699"), "2017-04-03", "2017-06-30", Done, ""),
                    act("Presentación de una experiencia con los docentes de la comunidad", Owner::School("10702"), "2017-08-01", "2017-10-31", Pending, "Gestión pedagógica: trabajo colaborativo docente"),
                    act("Sesión autónoma de la red, sin la Supervisión", Owner::School("24856"), "2017-09-01", "2017-11-30", Cancelled, ""),
                ],
                indicators: &[Indicator {
                    name: "Experiencias presentadas con la pauta común",
                    unit: "experiencias",
                    baseline: 2.0,
                    goal: 10.0,
                    measurements: &[
                        ("2017-06-30", 4.0, "Actas de la red"),
                        ("2017-10-31", 7.0, "Actas de la red"),
                    ],
                }],
            },
        ],
    }],
};

const IBANEZ: Plan = Plan {
    network: "rme-aysen-rio-ibanez",
    coordinator: "coordinador.ibanez",
    strategic: &[
        Strategic {
            title: "Formular e implementar instrumentos de planeamiento estratégico articulados",
            description: "PADEM, PEI, PME y planes normativos, orientados al mejoramiento integral de la gestión institucional y pedagógica.",
            annual: &[Annual {
                title: "Revisar, crear y validar en la red el PME y los planes asociados de cada establecimiento",
                description: "",
                actions: &[
                    act("Revisión cruzada del PME de la Escuela Aonikenk", Owner::School("8404"), "2017-03-15", "2017-04-28", Done, "Fase estratégica: objetivos y metas 2017"),
                    act("Revisión cruzada del PME del Liceo Rural Cerro Castillo", Owner::School("8403"), "2017-03-15", "2017-04-28", Done, "Fase estratégica: objetivos y metas 2017"),
                    act("Validación grupal de los planes normativos (convivencia, inclusión, formación ciudadana)", Owner::Coordinator, "2017-05-02", "2017-08-31", InProgress, ""),
                ],
                indicators: &[Indicator {
                    name: "Planes normativos validados en la red",
                    unit: "planes",
                    baseline: 1.0,
                    goal: 8.0,
                    measurements: &[
                        ("2017-06-30", 3.0, "Actas de validación"),
                        ("2017-08-31", 5.0, "Actas de validación"),
                        ("2017-11-30", 6.0, "Actas de validación"),
                    ],
                }],
            }],
        },
        Strategic {
            title: "Pasar del trabajo aislado a prácticas con sentido de territorio comunal",
            description: "",
            annual: &[Annual {
                title: "Dar cuenta del avance de los planes estratégicos ante el Concejo Municipal",
                description: "",
                actions: &[
                    act("Reuniones de monitoreo y seguimiento del plan de trabajo de la red", Owner::School("8403"), "2017-04-03", "2017-12-15", InProgress, "Monitoreo de la implementación del PME"),
                    act("Informe de avance de la red al Concejo Municipal", Owner::Coordinator, "2017-09-01", "2017-10-31", Pending, ""),
                    act("Compartir el trabajo de la red con el microcentro rural de la comuna", Owner::School("8404"), "2017-10-02", "2017-11-30", Done, ""),
                ],
                indicators: &[Indicator {
                    name: "Acciones del plan con seguimiento registrado",
                    unit: "%",
                    baseline: 20.0,
                    goal: 80.0,
                    measurements: &[
                        ("2017-06-30", 45.0, "Reunión de monitoreo"),
                        ("2017-09-29", 60.0, "Reunión de monitoreo"),
                        ("2017-12-15", 72.0, "Informe al Concejo Municipal"),
                    ],
                }],
            }],
        },
    ],
};

pub async fn load(conn: &mut sqlx::AnyConnection, ids: &DemoIds) -> anyhow::Result<()> {
    for plan in [&LIGA, &TALAGANTE, &IBANEZ] {
        load_plan(conn, ids, plan).await?;
    }
    Ok(())
}

async fn load_plan(
    conn: &mut sqlx::AnyConnection,
    ids: &DemoIds,
    plan: &Plan,
) -> anyhow::Result<()> {
    let network: NetworkId = *ids
        .networks
        .get(plan.network)
        .ok_or_else(|| anyhow::anyhow!("demo: no network {}", plan.network))?;
    let coordinator: PersonId = *ids
        .people
        .get(plan.coordinator)
        .ok_or_else(|| anyhow::anyhow!("demo: no person {}", plan.coordinator))?;
    let plan_id: WorkPlanId = store::insert_plan(conn, network, 2017, Some(coordinator)).await?;
    for s in plan.strategic {
        let strategic = NewObjective {
            title: s.title.into(),
            description: s.description.into(),
            parent_id: None,
        };
        let parent = store::insert_objective(conn, plan_id, &strategic).await?;
        for a in s.annual {
            let annual = NewObjective {
                title: a.title.into(),
                description: a.description.into(),
                parent_id: Some(parent),
            };
            let objective = store::insert_objective(conn, plan_id, &annual).await?;
            for action in a.actions {
                let (person, school) = match action.owner {
                    Owner::Coordinator => (Some(coordinator), None),
                    Owner::School(code) => {
                        let school = store::member_school_by_code(conn, network, code)
                            .await?
                            .ok_or_else(|| {
                                anyhow::anyhow!("demo: school {code} is not in {}", plan.network)
                            })?;
                        (None, Some(school))
                    }
                };
                let new = NewAction {
                    title: action.title.into(),
                    owner_person_id: person,
                    owner_school_id: school,
                    starts_on: action.starts_on.into(),
                    due_on: action.due_on.into(),
                    status: action.status,
                    school_plan_action: if school.is_some() {
                        action.pme.into()
                    } else {
                        String::new()
                    },
                };
                store::insert_action(conn, objective, &new).await?;
            }
            for i in a.indicators {
                let new = NewIndicator {
                    name: i.name.into(),
                    unit: i.unit.into(),
                    baseline: Some(i.baseline),
                    goal: i.goal,
                };
                let indicator = store::insert_indicator(conn, objective, &new).await?;
                for (on, value, source) in i.measurements {
                    let m = NewMeasurement {
                        measured_on: (*on).into(),
                        value: *value,
                        source: (*source).into(),
                    };
                    store::insert_measurement(conn, indicator, &m).await?;
                }
            }
        }
    }
    Ok(())
}
