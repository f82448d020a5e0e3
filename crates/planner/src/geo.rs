//! Distances and a coarse spatial grid.

use rustc_hash::FxHashMap as HashMap;

const EARTH_RADIUS_KM: f64 = 6371.0;

/// Great-circle distance in km between two (lat, lon) points in degrees.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1) = (a.0.to_radians(), a.1.to_radians());
    let (la2, lo2) = (b.0.to_radians(), b.1.to_radians());
    let dla = la2 - la1;
    let dlo = lo2 - lo1;
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Point on the unit sphere for (lat, lon) in degrees.
pub fn unit_vector(p: (f64, f64)) -> [f64; 3] {
    let (la, lo) = (p.0.to_radians(), p.1.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// Great-circle distance in km between two unit vectors; equal to [`haversine_km`].
pub fn chord_km(a: [f64; 3], b: [f64; 3]) -> f64 {
    let c = ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt();
    2.0 * EARTH_RADIUS_KM * (c / 2.0).min(1.0).asin()
}

/// Distance, or `None` when a position is unknown.
pub fn dist(a: Option<(f64, f64)>, b: Option<(f64, f64)>) -> Option<f64> {
    Some(haversine_km(a?, b?))
}

/// Mean of the known points.
pub fn centroid(points: impl Iterator<Item = Option<(f64, f64)>>) -> Option<(f64, f64)> {
    let (mut la, mut lo, mut n) = (0.0, 0.0, 0usize);
    for (a, b) in points.flatten() {
        la += a;
        lo += b;
        n += 1;
    }
    (n > 0).then(|| (la / n as f64, lo / n as f64))
}

/// Uniform grid in degrees whose cells are at least `radius_km` wide everywhere in Mexico, so
/// that every point within `radius_km` of a query lies in the 3×3 block around its cell.
pub struct Grid {
    cell_deg: f64,
    cells: HashMap<(i32, i32), Vec<u32>>,
}

impl Grid {
    pub fn new(radius_km: f64) -> Self {
        // One degree of longitude at 33°N (north of Mexico) is ~93 km.
        let cell_deg = (radius_km / 93.0).max(0.01);
        Grid {
            cell_deg,
            cells: HashMap::default(),
        }
    }

    fn key(&self, p: (f64, f64)) -> (i32, i32) {
        (
            (p.0 / self.cell_deg).floor() as i32,
            (p.1 / self.cell_deg).floor() as i32,
        )
    }

    pub fn insert(&mut self, p: (f64, f64), id: u32) {
        let k = self.key(p);
        self.cells.entry(k).or_default().push(id);
    }

    /// Ids in the 3×3 block of cells around `p` (a superset of those within the radius).
    pub fn near(&self, p: (f64, f64)) -> impl Iterator<Item = u32> + '_ {
        let (r, c) = self.key(p);
        (-1..=1)
            .flat_map(move |dr| (-1..=1).map(move |dc| (r + dr, c + dc)))
            .filter_map(|k| self.cells.get(&k))
            .flatten()
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chord_equals_haversine() {
        let (a, b) = ((20.5888, -100.3899), (20.6012, -100.4101));
        let d = chord_km(unit_vector(a), unit_vector(b));
        assert!((d - haversine_km(a, b)).abs() < 1e-9, "{d}");
    }

    #[test]
    fn haversine_queretaro_cdmx() {
        let d = haversine_km((20.5888, -100.3899), (19.4326, -99.1332));
        assert!((d - 182.0).abs() < 5.0, "{d}");
    }
}
