//! What this node knows of revocations made anywhere, so that an access token it has checked
//! against the database once is answered from memory afterwards (introspection, userinfo, an
//! API calling again), without giving up RFC 7009 §2's "the token is invalid afterwards".
//!
//! A check that found a token active is remembered with the *epoch* it was made in. The epoch
//! is live only while the store's [`RevocationFeed`] is up: every revocation committed after
//! the feed started (by this node, another node, the CLI) arrives on it and is noted here, and
//! a remembered check stands only while neither its `jti` nor its grant has been noted. When
//! the feed breaks, the epoch goes dark (nothing is trusted, every check goes to the database)
//! until a new feed is up and a new epoch starts with nothing remembered.
//!
//! This node's own revocations are noted at once, before the revoking request answers; another
//! node's arrive as fast as the feed carries them (PostgreSQL `NOTIFY`: milliseconds; SQLite,
//! whose only other writer is the CLI: the feed's poll interval).

use std::collections::HashSet;
use std::sync::RwLock;
use std::time::Duration;

use crate::access_token::grant_of_jti;
use crate::store::{Revoked, Store};

/// How many noted revocations an epoch holds before it starts over (forgetting every check).
const CAPACITY: usize = 65_536;

/// How long to wait before starting a new feed after one failed.
const RETRY: Duration = Duration::from_secs(1);

#[derive(Default)]
struct State {
    epoch: u64,
    live: bool,
    tokens: HashSet<String>,
    grants: HashSet<String>,
}

/// This node's view of revocations.
#[derive(Default)]
pub struct RevocationWatch(RwLock<State>);

impl RevocationWatch {
    fn read<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        match self.0.read() {
            Ok(guard) => f(&guard),
            Err(poisoned) => f(&poisoned.into_inner()),
        }
    }

    fn write<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        match self.0.write() {
            Ok(mut guard) => f(&mut guard),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    /// The epoch a check made now may be remembered under; `None` while the feed is down.
    /// Read it *before* asking the database, so that a check racing a new epoch is not kept.
    pub fn live_epoch(&self) -> Option<u64> {
        self.read(|s| s.live.then_some(s.epoch))
    }

    /// Whether a check that found the token `jti` active in `epoch` still stands: the epoch is
    /// the live one and neither the token nor its grant has been revoked since.
    pub fn still_active(&self, epoch: u64, jti: &str) -> bool {
        self.read(|s| {
            s.live
                && s.epoch == epoch
                && !s.tokens.contains(jti)
                && grant_of_jti(jti).is_none_or(|grant| !s.grants.contains(grant))
        })
    }

    /// Notes a revocation (from the feed, or made by this node).
    pub fn note(&self, revoked: Revoked) {
        self.write(|s| {
            if s.tokens.len() + s.grants.len() >= CAPACITY {
                start_over(s, s.live);
            }
            match revoked {
                Revoked::Token(jti) => s.tokens.insert(jti),
                Revoked::Grant(id) => s.grants.insert(id),
            };
        });
    }

    /// Forgets every remembered check (after a change whose revocations are not listed one by
    /// one, such as revoking all of a user's grants).
    pub fn forget_checks(&self) {
        self.write(|s| start_over(s, s.live));
    }

    fn go_live(&self) {
        self.write(|s| start_over(s, true));
    }

    fn go_dark(&self) {
        self.write(|s| start_over(s, false));
    }

    /// Keeps this view current from the store's revocation feed, for ever: started by the
    /// server as a background task. Without it the view stays dark and every check goes to
    /// the database.
    pub async fn follow(&self, store: &dyn Store) {
        loop {
            match store.revocation_feed().await {
                Ok(mut feed) => {
                    self.go_live();
                    let error = loop {
                        match feed.next().await {
                            Ok(revoked) => self.note(revoked),
                            Err(e) => break e,
                        }
                    };
                    self.go_dark();
                    tracing::warn!(error = %error, "revocation feed broke; checking the database");
                }
                Err(e) => tracing::warn!(error = %e, "cannot start the revocation feed"),
            }
            tokio::time::sleep(RETRY).await;
        }
    }
}

fn start_over(state: &mut State, live: bool) {
    state.epoch += 1;
    state.live = live;
    state.tokens.clear();
    state.grants.clear();
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_trusted_until_the_feed_is_up() {
        let watch = RevocationWatch::default();
        assert_eq!(watch.live_epoch(), None);
        assert!(!watch.still_active(0, "jti"));
        watch.go_live();
        let epoch = watch.live_epoch().unwrap();
        assert!(watch.still_active(epoch, "jti"));
    }

    #[test]
    fn rfc7009_section_2_a_noted_token_or_grant_is_no_longer_active() {
        let watch = RevocationWatch::default();
        watch.go_live();
        let epoch = watch.live_epoch().unwrap();
        watch.note(Revoked::Token("cc-token".into()));
        assert!(!watch.still_active(epoch, "cc-token"));
        assert!(watch.still_active(epoch, "other"));
        watch.note(Revoked::Grant("g1".into()));
        assert!(!watch.still_active(epoch, "g1.abc"));
        assert!(watch.still_active(epoch, "g2.abc"));
    }

    #[test]
    fn a_broken_feed_forgets_every_check() {
        let watch = RevocationWatch::default();
        watch.go_live();
        let before = watch.live_epoch().unwrap();
        watch.go_dark();
        assert_eq!(watch.live_epoch(), None);
        assert!(!watch.still_active(before, "jti"));
        watch.go_live();
        let after = watch.live_epoch().unwrap();
        assert_ne!(before, after);
        assert!(!watch.still_active(before, "jti"), "a check from before the gap is not kept");
        assert!(watch.still_active(after, "jti"));
    }

    #[test]
    fn forgetting_checks_keeps_the_feed_live() {
        let watch = RevocationWatch::default();
        watch.go_live();
        let before = watch.live_epoch().unwrap();
        watch.forget_checks();
        let after = watch.live_epoch().expect("still live");
        assert!(!watch.still_active(before, "jti"));
        assert!(watch.still_active(after, "jti"));
    }

    #[test]
    fn a_full_view_starts_over() {
        let watch = RevocationWatch::default();
        watch.go_live();
        let epoch = watch.live_epoch().unwrap();
        for i in 0..CAPACITY {
            watch.note(Revoked::Token(format!("t{i}")));
        }
        watch.note(Revoked::Token("last".into()));
        assert!(!watch.still_active(epoch, "unrelated"), "old checks are forgotten");
        assert!(watch.live_epoch().is_some());
    }
}
