//! A plan as read by people and programs: the tree of objectives with their
//! actions and indicators (the API's document and the page's data), the
//! progress numbers, and each indicator's chart as coordinates for the
//! server-rendered SVG of the plan page. No SQL, no HTTP.

use serde::Serialize;
use utoipa::ToSchema;

use super::model::{number, Action, Indicator, Measurement, WorkPlan};
use super::store::PlanRows;
use crate::ids::{IndicatorId, ObjectiveId};

/// How far the plan's actions are.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Progress {
    /// Every action of the plan.
    pub actions: usize,
    pub done: usize,
    pub cancelled: usize,
    /// Due date past and neither done nor cancelled.
    pub late: usize,
    /// Actions done, in percent of the actions not cancelled (0 when none).
    pub percent_done: u32,
}

/// An indicator with its measurements, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorView {
    pub id: IndicatorId,
    pub objective_id: ObjectiveId,
    pub name: String,
    pub unit: String,
    pub baseline: Option<f64>,
    pub goal: f64,
    pub measurements: Vec<Measurement>,
}

/// An objective with its actions (by due date) and indicators.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ObjectiveView {
    pub id: ObjectiveId,
    /// The strategic objective an annual objective serves.
    pub parent_id: Option<ObjectiveId>,
    /// `strategic` or `annual`.
    pub level: String,
    pub title: String,
    pub description: String,
    pub actions: Vec<Action>,
    pub indicators: Vec<IndicatorView>,
}

/// A network's plan for a year, whole: objectives in reading order (each
/// strategic objective followed by its annual objectives), each with its
/// actions and its indicators with their measurements.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanDocument {
    pub plan: WorkPlan,
    pub progress: Progress,
    pub objectives: Vec<ObjectiveView>,
}

/// Builds the document from the plan's rows; `today` (`YYYY-MM-DD`)
/// decides which actions are late.
pub fn document(plan: WorkPlan, rows: PlanRows, today: &str) -> PlanDocument {
    let PlanRows {
        objectives,
        mut actions,
        indicators,
        measurements,
    } = rows;
    let mut progress = Progress {
        actions: actions.len(),
        ..Progress::default()
    };
    for a in &mut actions {
        a.late = a.is_late(today);
        progress.late += a.late as usize;
        match a.status {
            super::model::ActionStatus::Done => progress.done += 1,
            super::model::ActionStatus::Cancelled => progress.cancelled += 1,
            _ => {}
        }
    }
    let counted = progress.actions - progress.cancelled;
    if counted > 0 {
        progress.percent_done = ((progress.done * 100) as f64 / counted as f64).round() as u32;
    }
    let view = |o: &super::model::Objective| ObjectiveView {
        id: o.id,
        parent_id: o.parent_id,
        level: if o.parent_id.is_some() { "annual" } else { "strategic" }.into(),
        title: o.title.clone(),
        description: o.description.clone(),
        actions: actions
            .iter()
            .filter(|a| a.objective_id == o.id)
            .cloned()
            .collect(),
        indicators: indicators
            .iter()
            .filter(|i| i.objective_id == o.id)
            .map(|i| indicator_view(i, &measurements))
            .collect(),
    };
    let mut ordered = Vec::with_capacity(objectives.len());
    for strategic in objectives.iter().filter(|o| o.parent_id.is_none()) {
        ordered.push(view(strategic));
        for annual in objectives
            .iter()
            .filter(|o| o.parent_id == Some(strategic.id))
        {
            ordered.push(view(annual));
        }
    }
    PlanDocument {
        plan,
        progress,
        objectives: ordered,
    }
}

fn indicator_view(i: &Indicator, measurements: &[Measurement]) -> IndicatorView {
    IndicatorView {
        id: i.id,
        objective_id: i.objective_id,
        name: i.name.clone(),
        unit: i.unit.clone(),
        baseline: i.baseline,
        goal: i.goal,
        measurements: measurements
            .iter()
            .filter(|m| m.indicator_id == i.id)
            .cloned()
            .collect(),
    }
}

/// Where things go in an indicator's chart (an SVG drawn by the template;
/// sizes in SVG units).
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub width: u32,
    pub height: u32,
    /// Left and right ends of the plotting area.
    pub left: f64,
    pub right: f64,
    /// `x,y x,y ...` of the measurements, for a polyline.
    pub line: String,
    pub points: Vec<ChartPoint>,
    pub goal_y: f64,
    /// `70 %`.
    pub goal_text: String,
    /// `48 %`, when there is a baseline.
    pub baseline_text: Option<String>,
    pub baseline_y: Option<f64>,
    pub ticks: Vec<(f64, String)>,
    /// The last measurement with its unit (`55 %`), if any.
    pub latest_text: Option<String>,
    /// The last measurement reaches the goal (or passes it, in the
    /// direction from the baseline to the goal).
    pub reached: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartPoint {
    pub x: f64,
    pub y: f64,
    pub date: String,
    pub value: String,
    /// Date labels are shown for at most about six points.
    pub labelled: bool,
}

const WIDTH: u32 = 480;
const HEIGHT: u32 = 220;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 470.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 186.0;

/// The round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) at or above a
/// positive value: where a chart's axis ends.
fn nice(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let power = 10f64.powf(v.log10().floor());
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|n| *n >= v)
        .unwrap_or(10.0 * power)
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The chart of an indicator: its measurements as points and a line, the
/// goal as a dashed line, the baseline as a dotted one.
pub fn chart(i: &IndicatorView) -> Chart {
    let values: Vec<f64> = i.measurements.iter().map(|m| m.value).collect();
    let all = values.iter().copied().chain([i.goal]).chain(i.baseline);
    let (mut low, mut high) = all.fold((0.0_f64, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if high <= low {
        high = low + 1.0;
    }
    high = nice(high + (high - low) * 0.05);
    if low < 0.0 {
        low = -nice(-low + (high - low) * 0.05);
    }
    let y = |v: f64| round1(TOP + (1.0 - (v - low) / (high - low)) * (BOTTOM - TOP));
    let n = values.len().max(1) as f64;
    let step = (i.measurements.len() as f64 / 6.0).ceil().max(1.0) as usize;
    let last = i.measurements.len().saturating_sub(1);
    let points: Vec<ChartPoint> = i
        .measurements
        .iter()
        .enumerate()
        .map(|(k, m)| ChartPoint {
            x: round1(LEFT + (k as f64 + 0.5) * (RIGHT - LEFT) / n),
            y: y(m.value),
            date: m.measured_on.clone(),
            value: number(m.value),
            labelled: k % step == 0 || k == last,
        })
        .collect();
    let line = points
        .iter()
        .map(|p| format!("{},{}", p.x, p.y))
        .collect::<Vec<_>>()
        .join(" ");
    let unit = if i.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", i.unit)
    };
    let latest = values.last().copied();
    let rising = i.baseline.is_none_or(|b| i.goal >= b);
    let reached = latest.is_some_and(|v| if rising { v >= i.goal } else { v <= i.goal });
    let ticks = [low.max(0.0).min(high), (low + high) / 2.0, high]
        .into_iter()
        .map(|v| (y(v), number(v)))
        .collect();
    Chart {
        width: WIDTH,
        height: HEIGHT,
        left: LEFT,
        right: RIGHT,
        line,
        points,
        goal_y: y(i.goal),
        goal_text: format!("{}{unit}", number(i.goal)),
        baseline_text: i.baseline.map(|b| format!("{}{unit}", number(b))),
        baseline_y: i.baseline.map(y),
        ticks,
        latest_text: latest.map(|v| format!("{}{unit}", number(v))),
        reached,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::MeasurementId;

    fn indicator(values: &[f64]) -> IndicatorView {
        IndicatorView {
            id: IndicatorId(1),
            objective_id: ObjectiveId(1),
            name: "Lectura fluida".into(),
            unit: "%".into(),
            baseline: Some(40.0),
            goal: 70.0,
            measurements: values
                .iter()
                .enumerate()
                .map(|(k, v)| Measurement {
                    id: MeasurementId(k as i64),
                    indicator_id: IndicatorId(1),
                    measured_on: format!("2017-0{}-30", k + 4),
                    value: *v,
                    source: String::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn the_chart_puts_the_goal_above_lower_measurements() {
        let c = chart(&indicator(&[45.0, 55.0]));
        assert_eq!(c.points.len(), 2);
        assert!(c.goal_y < c.points[1].y, "higher values are drawn higher");
        assert!(c.points[1].y < c.points[0].y);
        assert!(c.baseline_y.unwrap() > c.points[0].y);
        assert!(!c.reached);
        assert_eq!(c.latest_text.as_deref(), Some("55 %"));
        // The axis ends on a round number: 0, 40, 80 for a goal of 70.
        let ticks: Vec<&str> = c.ticks.iter().map(|t| t.1.as_str()).collect();
        assert_eq!(ticks, ["0", "40", "80"]);
        assert_eq!((c.goal_text.as_str(), c.baseline_text.as_deref()), ("70 %", Some("40 %")));
        assert!(chart(&indicator(&[45.0, 72.0])).reached);
        let empty = chart(&indicator(&[]));
        assert!(empty.latest_text.is_none());
        assert!(empty.line.is_empty());
    }
}
