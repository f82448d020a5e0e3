//! Facts computed once: per school and locality for the whole input ([`Ctx`]), and planar
//! positions inside one area ([`AreaCtx`]), so the inner loops never repeat trigonometry.

use rustc_hash::FxHashMap as HashMap;

use super::Area;
use crate::geo;
use crate::model::{Options, School};

/// Precomputed per-school facts shared by all areas.
pub(crate) struct Ctx<'a> {
    pub schools: &'a [School],
    pub opts: &'a Options,
    pub pos: Vec<Option<(f64, f64)>>,
    pub teachers: Vec<u32>,
    /// Unit vectors of `pos`, for great-circle distances without trigonometry per pair.
    pub(super) unit: Vec<Option<[f64; 3]>>,
    pub loc_of: Vec<u32>,
    pub loc_stage: Vec<u8>,
    pub(super) loc_names: Vec<&'a str>,
    pub(super) loc_schools: Vec<Vec<u32>>,
    pub(super) loc_centroid: Vec<Option<(f64, f64)>>,
    pub(super) code_index: HashMap<&'a str, u32>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(schools: &'a [School], opts: &'a Options) -> Self {
        let mut index: HashMap<&str, u32> = HashMap::default();
        let mut loc_names = Vec::new();
        let mut loc_schools: Vec<Vec<u32>> = Vec::new();
        let loc_of: Vec<u32> = schools
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let id = *index.entry(s.locality.as_str()).or_insert_with(|| {
                    loc_names.push(s.locality.as_str());
                    loc_schools.push(Vec::new());
                    (loc_names.len() - 1) as u32
                });
                loc_schools[id as usize].push(i as u32);
                id
            })
            .collect();
        let loc_centroid: Vec<Option<(f64, f64)>> = loc_schools
            .iter()
            .map(|v| geo::centroid(v.iter().map(|&i| schools[i as usize].coords())))
            .collect();
        let loc_stage = loc_schools
            .iter()
            .map(|v| crate::cost::stage_mask(v.iter().map(|&i| &schools[i as usize])))
            .collect();
        let pos: Vec<Option<(f64, f64)>> = schools
            .iter()
            .zip(&loc_of)
            .map(|(s, &l)| s.coords().or(loc_centroid[l as usize]))
            .collect();
        let teachers = schools.iter().map(|s| s.cte.len() as u32).collect();
        let unit = pos
            .iter()
            .map(|p: &Option<(f64, f64)>| p.map(geo::unit_vector))
            .collect();
        let code_index = schools
            .iter()
            .enumerate()
            .map(|(i, s)| (s.code.as_str(), i as u32))
            .collect();
        Ctx {
            code_index,
            schools,
            opts,
            pos,
            unit,
            teachers,
            loc_of,
            loc_stage,
            loc_names,
            loc_schools,
            loc_centroid,
        }
    }

    /// Whether a school with this code is in the input.
    pub(super) fn school_exists(&self, code: &str) -> bool {
        self.code_index.contains_key(code)
    }

    /// Great-circle km between two schools (0 when a position is unknown).
    pub(super) fn km(&self, a: u32, b: u32) -> f64 {
        match (self.unit[a as usize], self.unit[b as usize]) {
            (Some(p), Some(q)) => geo::chord_km(p, q),
            _ => 0.0,
        }
    }

    pub(super) fn groups_for(&self, teachers: u32) -> u32 {
        teachers.div_ceil(self.opts.max_group_size.max(1))
    }
}

/// Planar position in km around the area's mean latitude; accurate enough inside an area.
pub(super) type Xy = Option<(f64, f64)>;

pub(crate) struct AreaCtx<'c, 'a> {
    pub ctx: &'c Ctx<'a>,
    /// Global index of each local school.
    pub idx: Vec<u32>,
    pub(super) xy: Vec<Xy>,
}

impl AreaCtx<'_, '_> {
    pub(crate) fn dist(&self, a: u32, b: u32) -> f64 {
        planar(self.xy[a as usize], self.xy[b as usize])
    }

    pub(crate) fn school(&self, a: u32) -> &School {
        &self.ctx.schools[self.idx[a as usize] as usize]
    }

    pub(crate) fn teachers(&self, a: u32) -> u32 {
        self.ctx.teachers[self.idx[a as usize] as usize]
    }

    pub(crate) fn loc(&self, a: u32) -> u32 {
        self.ctx.loc_of[self.idx[a as usize] as usize]
    }

    pub(crate) fn global(&self, members: &[u32]) -> Vec<u32> {
        members.iter().map(|&a| self.idx[a as usize]).collect()
    }
}

pub(super) fn planar(a: Xy, b: Xy) -> f64 {
    match (a, b) {
        (Some(a), Some(b)) => ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt(),
        _ => 0.0,
    }
}

pub(crate) fn area_ctx<'c, 'a>(ctx: &'c Ctx<'a>, area: &Area) -> AreaCtx<'c, 'a> {
    let lat0 =
        geo::centroid(area.schools.iter().map(|&i| ctx.pos[i as usize])).map_or(0.0, |c| c.0);
    let kx = lat0.to_radians().cos() * 111.32;
    let xy = area
        .schools
        .iter()
        .map(|&i| ctx.pos[i as usize].map(|(la, lo)| (lo * kx, la * 110.574)))
        .collect();
    AreaCtx {
        ctx,
        idx: area.schools.clone(),
        xy,
    }
}
