//! Checkpoints of SQLite's write-ahead log, on a thread of their own (issue 22).
//!
//! By default SQLite checkpoints inside the `COMMIT` that takes the log past 1,000 pages: that
//! commit copies every page back into the database file and syncs both files while it holds
//! the writing connection, on the thread that runs the request. Under a refresh load that was a
//! stall of about 20 ms every 80 ms, in which every other write waited and one of the two
//! runtime threads sat idle (the machine was 28% idle at 64 connections). Here the writing
//! connection never checkpoints (`wal_autocheckpoint = 0`); this thread does, on its own
//! connection, beside the writer:
//! - a round starts after [`ROUND_WRITES`] write transactions, or [`ROUND_TICKS`] ticks after
//!   the first write since the last round;
//! - [`UNLOCKED_PASSES`] passive checkpoints copy what the log holds while writers go on;
//! - a last passive checkpoint runs holding the writing connection, so it copies the few pages
//!   written meanwhile and completes: the next write then starts the log over from its
//!   beginning (without a complete checkpoint at some point the log would grow for as long as
//!   writes never pause).
//!
//! The durability is the same as before: `synchronous = NORMAL` syncs at checkpoints only.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Weak};
use std::time::Duration;

use rusqlite::Connection;

/// How often the thread looks at the write count.
const TICK: Duration = Duration::from_millis(50);

/// Write transactions that start a round: at a few pages each, about the 1,000 pages at which
/// SQLite checkpoints by default.
const ROUND_WRITES: u64 = 200;

/// The longest a write waits for its checkpoint when writes are few: 20 ticks, a second.
const ROUND_TICKS: u32 = 20;

/// Passive checkpoints per round before the one that holds the writer: each copies what was
/// written during the one before, a fraction of it, since copying is faster than the writes.
const UNLOCKED_PASSES: usize = 2;

/// The checkpointing thread of one database; dropping this stops it (at once, or after the
/// round it is in), [`Checkpointer::stop`] also waits for it.
pub(super) struct Checkpointer {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    /// Stops the thread and waits until it has closed its connection, so that the last
    /// connection to close (the writer's) checkpoints the whole log and removes it, as a
    /// command-line run leaves the database file when no server has it open.
    pub(super) fn stop(mut self) {
        self.stop.take();
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::warn!("the SQLite checkpoint thread panicked");
        }
    }
}

impl std::fmt::Debug for Checkpointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Checkpointer")
    }
}

/// Starts checkpointing with `conn` (a connection of its own); `writes` counts the write
/// transactions of `writer`, which it holds for each round's last pass (a weak reference: the
/// writing connection closes with its database, not with this thread).
pub(super) fn spawn(
    conn: Connection,
    writer: Weak<tokio::sync::Mutex<Connection>>,
    writes: Arc<AtomicU64>,
) -> std::io::Result<Checkpointer> {
    let (stop, stopped) = mpsc::channel::<()>();
    let thread = std::thread::Builder::new().name("sqlite-checkpoint".to_owned()).spawn(move || {
        let mut seen = writes.load(Ordering::Relaxed);
        let mut waited = 0;
        loop {
            match stopped.recv_timeout(TICK) {
                Err(RecvTimeoutError::Timeout) => {}
                Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
            }
            let now = writes.load(Ordering::Relaxed);
            if now == seen {
                continue;
            }
            waited += 1;
            if now.wrapping_sub(seen) < ROUND_WRITES && waited < ROUND_TICKS {
                continue;
            }
            seen = now;
            waited = 0;
            if let Err(e) = round(&conn, &writer) {
                tracing::warn!(error = %e, "an SQLite checkpoint failed; the next round tries again");
            }
        }
    })?;
    Ok(Checkpointer { stop: Some(stop), thread: Some(thread) })
}

/// One round: passes beside the writers, then one holding the writer.
fn round(conn: &Connection, writer: &Weak<tokio::sync::Mutex<Connection>>) -> rusqlite::Result<()> {
    for _ in 0..UNLOCKED_PASSES {
        passive(conn)?;
    }
    let Some(writer) = writer.upgrade() else { return Ok(()) };
    let _writer = writer.blocking_lock();
    let (log, copied) = passive(conn)?;
    if copied < log {
        // A reader still on an older snapshot: the log goes on, and the next round tries again.
        tracing::debug!(log, copied, "an SQLite checkpoint could not copy the whole log");
    }
    Ok(())
}

/// `PRAGMA wal_checkpoint(PASSIVE)`: copies what it can without waiting for anyone; the pages
/// in the log and those copied.
fn passive(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| Ok((row.get(1)?, row.get(2)?)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    // Deadlines for polling the file system; the protocol Clock does not apply.
    #![allow(clippy::disallowed_methods)]

    use std::sync::atomic::AtomicBool;
    use std::time::Instant;

    use super::*;

    fn scratch_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("kg-ckpt-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn open(path: &std::path::Path) -> Connection {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;").unwrap();
        conn
    }

    /// Frames in the log now (`PRAGMA wal_checkpoint` reports them whatever it copies).
    fn log_frames(conn: &Connection) -> i64 {
        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| row.get(1)).unwrap()
    }

    #[test]
    fn a_round_amid_unpaused_writes_completes_so_the_next_write_starts_the_log_over() {
        let dir = scratch_dir("round");
        let path = dir.join("t.db");
        let writer = open(&path);
        writer.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY, b BLOB)").unwrap();
        let writer = Arc::new(tokio::sync::Mutex::new(writer));
        let (written, stop) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicBool::new(false)));
        let writing = {
            let (writer, written, stop) = (writer.clone(), written.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let conn = writer.blocking_lock();
                    conn.execute("INSERT INTO t (b) VALUES (zeroblob(1000))", []).unwrap();
                    written.fetch_add(1, Ordering::Relaxed);
                }
            })
        };
        while written.load(Ordering::Relaxed) < 300 {
            std::thread::yield_now();
        }
        let checkpointer = Connection::open(&path).unwrap();
        round(&checkpointer, &Arc::downgrade(&writer)).unwrap();
        // The writer thread queued for the writer during the round's last pass, and may write
        // once or twice more before this one gets it.
        let frames = {
            let conn = writer.blocking_lock();
            conn.execute("INSERT INTO t (b) VALUES (zeroblob(1000))", []).unwrap();
            log_frames(&checkpointer)
        };
        stop.store(true, Ordering::Relaxed);
        writing.join().unwrap();
        let total = written.load(Ordering::Relaxed);
        // Every write adds at least one frame: a log that never started over would hold at
        // least `total` (300 or more) frames.
        assert!(frames < 20, "{frames} frames after {total} writes");
        drop((checkpointer, writer));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn the_thread_checkpoints_after_writes_and_is_gone_when_its_database_closes() {
        let dir = scratch_dir("thread");
        let path = dir.join("t.db");
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let sqlite = Arc::new(crate::db::SqliteDb::open(&url, 2).unwrap());
        let db = crate::db::Db::Sqlite(Arc::clone(&sqlite));
        crate::db::query("CREATE TABLE t (n INTEGER PRIMARY KEY, b BLOB)")
            .execute(&db)
            .await
            .unwrap();
        let size = || std::fs::metadata(&path).map_or(0, |m| m.len());
        let before = size();
        for _ in 0..ROUND_WRITES + 50 {
            let insert = crate::db::query("INSERT INTO t (b) VALUES (zeroblob(3000))");
            insert.execute(&db).await.unwrap();
        }
        // The pages are in the log until a checkpoint copies them into the database file; the
        // writing connection never does (with SQLite's default it would at 1,000 pages).
        let deadline = Instant::now() + Duration::from_secs(10);
        while size() < before + 250 * 3000 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(size() >= before + 250 * 3000, "database file {} bytes", size());
        // SQLite removes the log when the last connection closes: `close` waits for the
        // thread's, so the writer's is the last, when the database is dropped.
        sqlite.close();
        drop((db, sqlite));
        assert!(!dir.join("t.db-wal").exists(), "a connection outlived its database");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
