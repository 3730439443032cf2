//! Caches of stored data that stay valid while the store's revision does not move (clients,
//! APIs, web origins, upstream providers). The race rule lives here once: a sync stores the new
//! revision *first* and clears *second*, and a load caches its result only if the revision is
//! unchanged since the load began, so a lookup that read the store before a change can never
//! re-cache what the change replaced.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};

/// The store revision the caches were filled at.
#[derive(Debug)]
pub struct Revision(AtomicI64);

impl Revision {
    /// Starts at `revision`.
    pub fn new(revision: i64) -> Self {
        Self(AtomicI64::new(revision))
    }

    /// The revision now.
    pub fn current(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }

    /// Moves to `revision` and, if it changed, clears `caches` (after the move, never before).
    /// Returns whether it changed.
    pub fn advance(&self, revision: i64, caches: &[&dyn Clear]) -> bool {
        if self.0.swap(revision, Ordering::SeqCst) == revision {
            return false;
        }
        for cache in caches {
            cache.clear();
        }
        true
    }
}

/// A cache that a revision change empties.
pub trait Clear: Send + Sync {
    /// Forgets every entry.
    fn clear(&self);
}

/// Values by key, each valid for the revision it was loaded at. `K = ()` holds one value.
#[derive(Debug)]
pub struct RevisionCache<K, V> {
    entries: RwLock<HashMap<K, Arc<V>>>,
}

impl<K, V> Default for RevisionCache<K, V> {
    fn default() -> Self {
        Self { entries: RwLock::new(HashMap::new()) }
    }
}

impl<K: Eq + Hash + Send + Sync, V: Send + Sync> RevisionCache<K, V> {
    /// The cached value for `key`, or `load`'s; a loaded value is cached only if `revision` did
    /// not move while it loaded. `Ok(None)` (nothing stored) is not cached.
    pub async fn get_or_load<Q, E, F, Fut>(
        &self,
        revision: &Revision,
        key: &Q,
        load: F,
    ) -> Result<Option<Arc<V>>, E>
    where
        K: std::borrow::Borrow<Q>,
        Q: Eq + Hash + ToOwned<Owned = K> + ?Sized,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<V>, E>>,
    {
        if let Ok(entries) = self.entries.read()
            && let Some(value) = entries.get(key)
        {
            return Ok(Some(value.clone()));
        }
        let seen = revision.current();
        let Some(value) = load().await? else { return Ok(None) };
        let value = Arc::new(value);
        if let Ok(mut entries) = self.entries.write()
            && revision.current() == seen
        {
            entries.insert(key.to_owned(), value.clone());
        }
        Ok(Some(value))
    }
}

impl<K: Send + Sync, V: Send + Sync> Clear for RevisionCache<K, V> {
    fn clear(&self) {
        match self.entries.write() {
            Ok(mut entries) => entries.clear(),
            Err(poisoned) => poisoned.into_inner().clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_load_that_races_a_revision_change_is_not_cached() {
        let revision = Revision::new(1);
        let cache: RevisionCache<(), i32> = RevisionCache::default();
        let loaded = cache
            .get_or_load(&revision, &(), || async {
                // A change lands while the store is read.
                revision.advance(2, &[&cache]);
                Ok::<_, ()>(Some(10))
            })
            .await;
        assert_eq!(loaded.ok().flatten().as_deref(), Some(&10), "the caller gets what it read");
        let next = cache.get_or_load(&revision, &(), || async { Ok::<_, ()>(Some(20)) }).await;
        assert_eq!(next.ok().flatten().as_deref(), Some(&20), "the stale value was not cached");
        let cached = cache.get_or_load(&revision, &(), || async { Ok::<_, ()>(Some(30)) }).await;
        assert_eq!(cached.ok().flatten().as_deref(), Some(&20), "a settled value is cached");
        assert!(revision.advance(3, &[&cache]));
        assert!(!revision.advance(3, &[&cache]), "no change, nothing cleared");
        let after = cache.get_or_load(&revision, &(), || async { Ok::<_, ()>(Some(40)) }).await;
        assert_eq!(after.ok().flatten().as_deref(), Some(&40));
    }

    #[tokio::test]
    async fn nothing_stored_is_not_cached() {
        let revision = Revision::new(1);
        let cache: RevisionCache<String, i32> = RevisionCache::default();
        let none = cache.get_or_load(&revision, "c", || async { Ok::<_, ()>(None) }).await;
        assert_eq!(none, Ok(None));
        let some = cache.get_or_load(&revision, "c", || async { Ok::<_, ()>(Some(1)) }).await;
        assert_eq!(some.ok().flatten().as_deref(), Some(&1));
    }
}
