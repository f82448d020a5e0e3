//! Login throttling: after too many failures for one username within a
//! window, further attempts are refused until the window passes.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const MAX_FAILURES: usize = 5;
const WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Default)]
pub struct Throttle {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Throttle {
    /// `Err(wait)` when the key is locked out for `wait` more.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let Some(times) = map.get_mut(key) else {
            return Ok(());
        };
        times.retain(|t| now.duration_since(*t) < WINDOW);
        if times.len() < MAX_FAILURES {
            return Ok(());
        }
        let oldest = times[0];
        Err(WINDOW.saturating_sub(now.duration_since(oldest)))
    }

    pub fn fail(&self, key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(key.to_string()).or_default().push(Instant::now());
    }

    pub fn clear(&self, key: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_the_username_and_success_clears_it() {
        let t = Throttle::default();
        for _ in 0..MAX_FAILURES {
            assert!(t.check("ana").is_ok());
            t.fail("ana");
        }
        assert!(t.check("ana").is_err());
        assert!(t.check("beto").is_ok());
        t.clear("ana");
        assert!(t.check("ana").is_ok());
    }
}
