//! Results remembered between requests: who a session belongs to and what
//! they may do, and aggregates that every page of a list repeats (the
//! schools' total, the region list).
//!
//! Correctness comes first: an entry is used only while no write has been
//! committed since it was loaded (`Db::epoch`, moved by every
//! `Write::commit`), so signing out, a role change or archiving a person is
//! seen by the very next request. The short time limit covers what this
//! process cannot see: another process writing to the same store (a CLI
//! import, a second server on PostgreSQL) and dates passing (a membership
//! that ends today).

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long an entry may be used at most, even with no write in between.
pub const TTL: Duration = Duration::from_secs(30);

/// Entries kept at most; past it the memo starts afresh (a burst of
/// distinct sessions cannot grow the server's memory without bound).
const CAPACITY: usize = 10_000;

type Value = Arc<dyn Any + Send + Sync>;

struct Entry {
    epoch: u64,
    loaded: Instant,
    value: Value,
}

/// The remembered values and the write counter they are checked against.
#[derive(Default)]
pub struct Memo {
    epoch: AtomicU64,
    entries: Mutex<HashMap<String, Entry>>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memo")
            .field("epoch", &self.epoch())
            .finish_non_exhaustive()
    }
}

impl Memo {
    /// The number of writes committed so far by this process.
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Called after every committed write: everything remembered before it
    /// is stale.
    pub fn written(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
    }

    /// The value remembered under `key`, or `load`'s result, remembered.
    /// The epoch is read before loading, so a write committed while loading
    /// makes the new entry stale at once rather than hiding the write.
    /// Errors are not remembered.
    pub async fn remember<T, E, F, Fut>(&self, key: String, load: F) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        if let Some(value) = self.get::<T>(&key) {
            return Ok(value);
        }
        let epoch = self.epoch();
        let value = load().await?;
        self.put(key, epoch, Arc::new(value.clone()));
        Ok(value)
    }

    fn get<T: Clone + 'static>(&self, key: &str) -> Option<T> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(key)?;
        if entry.epoch != self.epoch() || entry.loaded.elapsed() > TTL {
            return None;
        }
        entry.value.downcast_ref::<T>().cloned()
    }

    fn put(&self, key: String, epoch: u64, value: Value) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                epoch,
                loaded: Instant::now(),
                value,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;

    async fn load(memo: &Memo, key: &str, value: i64) -> i64 {
        memo.remember(key.to_string(), || async { Ok::<_, Infallible>(value) })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_value_is_remembered_until_the_next_write() {
        let memo = Memo::default();
        assert_eq!(load(&memo, "count", 1).await, 1);
        assert_eq!(load(&memo, "count", 2).await, 1, "remembered");
        memo.written();
        assert_eq!(load(&memo, "count", 3).await, 3, "a write makes it stale");
        assert_eq!(load(&memo, "other", 4).await, 4, "keys are apart");
    }

    #[tokio::test]
    async fn a_write_while_loading_makes_the_loaded_value_stale() {
        let memo = Memo::default();
        let value: i64 = memo
            .remember("count".into(), || async {
                memo.written();
                Ok::<_, Infallible>(1)
            })
            .await
            .unwrap();
        assert_eq!(value, 1);
        assert_eq!(load(&memo, "count", 2).await, 2);
    }

    #[tokio::test]
    async fn errors_are_not_remembered() {
        let memo = Memo::default();
        let failed: Result<i64, &str> = memo.remember("k".into(), || async { Err("down") }).await;
        assert!(failed.is_err());
        assert_eq!(load(&memo, "k", 5).await, 5);
    }

    #[tokio::test]
    async fn a_key_read_as_another_type_is_loaded_again() {
        let memo = Memo::default();
        assert_eq!(load(&memo, "k", 5).await, 5);
        let text: String = memo
            .remember("k".into(), || async {
                Ok::<_, Infallible>("five".to_string())
            })
            .await
            .unwrap();
        assert_eq!(text, "five");
    }
}
