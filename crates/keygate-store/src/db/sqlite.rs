//! SQLite in place: statements run on the calling thread, through cached prepared statements.
//!
//! One connection writes (every statement that is not a `SELECT`, and every transaction),
//! behind an async mutex, so two writers in the process queue there instead of spinning on
//! SQLite's lock. A few more connections read beside it (WAL), one per thread that can run at
//! once. Another process writing the same file (the CLI beside a running server) is waited for
//! up to [`BUSY_WAIT`], asleep between tries, so the thread serves other requests meanwhile.
//! The write-ahead log is checkpointed on a thread of its own ([`super::checkpoint`]), not in
//! the commit of a request.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, ToSql};
use tokio::sync::{OwnedMutexGuard, Semaphore};

use super::checkpoint::{self, Checkpointer};
use super::{DbError, Outcome, Query, Row, Value, Want};

/// Per connection: WAL so reads run beside the writer; the busy timeout so the CLI and a running
/// server wait for each other. Each connection has its own page cache of the same file: 512 KiB
/// keeps the hot index pages, and the operating system's page cache holds the rest once
/// (issue 22: SQLite's default of 2,000 KiB per connection grew RSS for minutes).
const SETUP: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -512;";

/// The writing connection leaves checkpoints to [`super::checkpoint`].
const NO_AUTOCHECKPOINT: &str = "PRAGMA wal_autocheckpoint = 0;";

/// How long a write waits for another process's write lock before it fails with `SQLITE_BUSY`.
/// The writing connection does not use SQLite's busy handler, which would sleep on the thread
/// that runs the request (and every task queued on it); it tries again after an async pause.
const BUSY_WAIT: Duration = Duration::from_secs(5);

/// Prepared statements kept per connection (the store has about 150 distinct ones; the hot
/// paths use a few dozen).
const STATEMENT_CACHE: usize = 64;

/// An SQLite database: one writing connection and a few reading ones.
pub(crate) struct SqliteDb {
    open: Opener,
    writer: Arc<tokio::sync::Mutex<Connection>>,
    readers: Mutex<Vec<Connection>>,
    reader_slots: Semaphore,
    max_readers: usize,
    opened: std::sync::atomic::AtomicUsize,
    /// Write transactions so far, for the checkpointer's rounds.
    writes: Arc<AtomicU64>,
    /// Tasks waiting for the writing connection.
    waiting: Arc<AtomicUsize>,
    /// Present when the log is checkpointed beside the writer (a file in WAL mode).
    checkpointer: Mutex<Option<Checkpointer>>,
}

impl std::fmt::Debug for SqliteDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteDb").field("max_readers", &self.max_readers).finish_non_exhaustive()
    }
}

/// How to open another connection to the same database.
#[derive(Debug, Clone)]
struct Opener {
    path: String,
    flags: OpenFlags,
    in_memory: bool,
}

impl Opener {
    /// `sqlite://PATH?mode=rwc` (create if missing), `mode=rw`, `mode=ro`, or `sqlite::memory:`.
    fn parse(url: &str) -> Result<(Self, bool), DbError> {
        let rest = url.strip_prefix("sqlite:").ok_or_else(|| bad_url(url))?;
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        let (path, params) = rest.split_once('?').unwrap_or((rest, ""));
        let base = OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        if path == ":memory:" {
            let flags = base | OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
            return Ok((Self { path: path.to_owned(), flags, in_memory: true }, true));
        }
        let mut mode = OpenFlags::SQLITE_OPEN_READ_WRITE;
        for (key, value) in params.split('&').filter_map(|p| p.split_once('=')) {
            if key == "mode" {
                mode = match value {
                    "rwc" => OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
                    "rw" => OpenFlags::SQLITE_OPEN_READ_WRITE,
                    "ro" => OpenFlags::SQLITE_OPEN_READ_ONLY,
                    "memory" => return Self::parse("sqlite::memory:"),
                    _ => return Err(bad_url(url)),
                };
            }
        }
        Ok((Self { path: path.to_owned(), flags: base | mode, in_memory: false }, false))
    }

    fn connect(&self) -> Result<Connection, DbError> {
        let conn = Connection::open_with_flags(&self.path, self.flags)?;
        conn.execute_batch(SETUP)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        Ok(conn)
    }

    /// The writing connection and whether it is in WAL mode: then it has no busy handler (see
    /// [`BUSY_WAIT`]). Without WAL (a file system that refuses it, or an in-memory database), a
    /// `COMMIT` needs the readers gone, and there the busy handler waits for them as before.
    fn connect_writer(&self) -> Result<(Connection, bool), DbError> {
        let conn = self.connect()?;
        let mode: String = conn.query_row("PRAGMA journal_mode", [], |row| row.get(0))?;
        let wal = mode.eq_ignore_ascii_case("wal");
        if wal {
            conn.busy_timeout(Duration::ZERO)?;
        } else if !self.in_memory {
            tracing::warn!(journal_mode = %mode, "SQLite is not in WAL mode: writes wait for reads");
        }
        Ok((conn, wal))
    }
}

fn bad_url(url: &str) -> DbError {
    let shown = url.split('?').next().unwrap_or(url);
    DbError::Usage(format!("not an SQLite database URL: {shown}"))
}

impl SqliteDb {
    /// Opens the writing connection now and up to `max_readers` reading ones as needed (none
    /// for an in-memory database, whose connections would each see their own).
    pub(crate) fn open(url: &str, max_readers: usize) -> Result<Self, DbError> {
        let (open, in_memory) = Opener::parse(url)?;
        let (writer, wal) = open.connect_writer()?;
        let max_readers = if in_memory { 0 } else { max_readers };
        // A file in WAL mode that this process may write: its log is checkpointed beside it.
        let writable = open.flags.contains(OpenFlags::SQLITE_OPEN_READ_WRITE);
        let background = wal && !in_memory && writable;
        if background {
            writer.execute_batch(NO_AUTOCHECKPOINT)?;
        }
        let writer = Arc::new(tokio::sync::Mutex::new(writer));
        let writes = Arc::new(AtomicU64::new(0));
        let checkpointer = if background {
            let conn = open.connect()?;
            let spawned = checkpoint::spawn(conn, Arc::downgrade(&writer), Arc::clone(&writes))
                .map_err(|e| DbError::Usage(format!("no SQLite checkpoint thread: {e}")))?;
            Some(spawned)
        } else {
            None
        };
        Ok(Self {
            open,
            writer,
            readers: Mutex::new(Vec::new()),
            reader_slots: Semaphore::new(max_readers),
            max_readers,
            opened: std::sync::atomic::AtomicUsize::new(1),
            writes,
            waiting: Arc::new(AtomicUsize::new(0)),
            checkpointer: Mutex::new(checkpointer),
        })
    }

    /// A new writing connection, to replace one that could not roll back.
    fn reopen_writer(&self) -> Result<Connection, DbError> {
        let (conn, _) = self.open.connect_writer()?;
        if self.checkpointer.lock().unwrap_or_else(PoisonError::into_inner).is_some() {
            conn.execute_batch(NO_AUTOCHECKPOINT)?;
        }
        Ok(conn)
    }

    /// Connections open, idle, and the most there can be.
    pub(crate) fn use_counts(&self) -> (u32, u32, u32) {
        let opened = self.opened.load(std::sync::atomic::Ordering::Relaxed);
        let idle = self.readers.lock().unwrap_or_else(PoisonError::into_inner).len()
            + usize::from(self.writer.try_lock().is_ok());
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        (count(opened), count(idle), count(self.max_readers + 1))
    }

    pub(super) async fn run(&self, query: &Query, want: Want) -> Result<Outcome, DbError> {
        if self.max_readers > 0 && is_read(&query.sql) {
            return self.read(query, want).await;
        }
        let mut conn = self.writer_lock().await;
        self.recover(&mut conn)?;
        self.writes.fetch_add(1, Ordering::Relaxed);
        let out = waiting_out_busy(&mut conn, |conn| run(conn, query, want)).await;
        drop(conn);
        hand_on(&self.waiting).await;
        out
    }

    /// Makes sure the writing connection is outside any transaction: one left open (its
    /// `ROLLBACK` failed when it was dropped, or a statement began one) is rolled back now, or
    /// the connection replaced, so that no later write joins it and is lost with it.
    fn recover(&self, conn: &mut Connection) -> Result<(), DbError> {
        if conn.is_autocommit() {
            return Ok(());
        }
        tracing::warn!("the SQLite writing connection was left in a transaction; rolling it back");
        match conn.execute_batch("ROLLBACK") {
            Ok(()) => Ok(()),
            Err(_) if !self.open.in_memory => {
                *conn = self.reopen_writer()?;
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn read(&self, query: &Query, want: Want) -> Result<Outcome, DbError> {
        let _slot = self
            .reader_slots
            .acquire()
            .await
            .map_err(|_| DbError::Usage("the database is closed".to_owned()))?;
        let idle = self.readers.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let conn = match idle {
            Some(conn) => conn,
            None => {
                let conn = self.open.connect()?;
                self.opened.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                conn
            }
        };
        let out = run(&conn, query, want);
        if self.reader_slots.is_closed() {
            self.opened.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
        } else {
            self.readers.lock().unwrap_or_else(PoisonError::into_inner).push(conn);
        }
        out
    }

    /// The writing connection, counted among the waiting while it is awaited.
    async fn writer_lock(&self) -> tokio::sync::MutexGuard<'_, Connection> {
        let _waiting = Waiting::new(&self.waiting);
        self.writer.lock().await
    }

    pub(super) async fn begin(&self) -> Result<SqliteTx, DbError> {
        let waiting = Waiting::new(&self.waiting);
        let mut conn = Arc::clone(&self.writer).lock_owned().await;
        drop(waiting);
        self.recover(&mut conn)?;
        self.writes.fetch_add(1, Ordering::Relaxed);
        waiting_out_busy(&mut conn, |conn| Ok(conn.execute_batch("BEGIN IMMEDIATE")?)).await?;
        Ok(SqliteTx { conn, open: true, waiting: Arc::clone(&self.waiting) })
    }

    /// Stops handing out reading connections, closes the idle ones, and stops the checkpoint
    /// thread (waiting for it: after its round, if it is in one).
    pub(crate) fn close(&self) {
        self.reader_slots.close();
        let checkpointer = self.checkpointer.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(checkpointer) = checkpointer {
            checkpointer.stop();
        }
        let idle =
            std::mem::take(&mut *self.readers.lock().unwrap_or_else(PoisonError::into_inner));
        self.opened.fetch_sub(idle.len(), std::sync::atomic::Ordering::Relaxed);
    }
}

/// Counts a task among those waiting for the writing connection, until dropped (also when the
/// wait is cancelled).
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn new(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Waiting(count)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Lets the task just given the writing connection run before this one goes on. Releasing a
/// Tokio mutex grants it to the next waiter and wakes that task onto this thread (its LIFO
/// slot, which the other thread does not steal from): without yielding, the writer would sit
/// granted but unused while this task goes on to sign its tokens, and the other thread would
/// idle, every other request waiting for the writer. Under a refresh load at 64 connections the
/// writer was held 15% of the time while requests spent nearly all their time waiting for it,
/// and the machine was a quarter idle; yielding here took refreshes from 2,600/s to 4,000/s.
async fn hand_on(waiting: &AtomicUsize) {
    if waiting.load(Ordering::Relaxed) > 0 {
        tokio::task::yield_now().await;
    }
}

/// Runs `attempt` on `conn` until it is not refused with `SQLITE_BUSY`, pausing (1 ms, doubling up to
/// 50 ms) between tries, for at most [`BUSY_WAIT`]. Only for a statement outside a transaction or
/// a `BEGIN`: SQLite refuses those before they change anything, so trying again is safe.
/// (`conn` is held `&mut` across the pauses: a `Connection` may move between threads but is not
/// shared.)
async fn waiting_out_busy<T>(
    conn: &mut Connection,
    attempt: impl Fn(&Connection) -> Result<T, DbError>,
) -> Result<T, DbError> {
    let deadline = tokio::time::Instant::now() + BUSY_WAIT;
    let mut pause = Duration::from_millis(1);
    loop {
        match attempt(conn) {
            Err(e) if e.is_busy() && tokio::time::Instant::now() + pause < deadline => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

/// A statement that only reads: it can run on a reading connection.
fn is_read(sql: &str) -> bool {
    sql.trim_start().get(..6).is_some_and(|head| head.eq_ignore_ascii_case("SELECT"))
}

/// A transaction on the writing connection, which it holds until commit or drop.
pub(crate) struct SqliteTx {
    conn: OwnedMutexGuard<Connection>,
    open: bool,
    waiting: Arc<AtomicUsize>,
}

impl SqliteTx {
    pub(super) fn run(&mut self, query: &Query, want: Want) -> Result<Outcome, DbError> {
        run(&self.conn, query, want)
    }

    pub(super) fn execute_batch(&mut self, sql: &str) -> Result<(), DbError> {
        Ok(self.conn.execute_batch(sql)?)
    }

    /// Gives up the writer with the transaction still open, as a failed `ROLLBACK` would.
    #[cfg(test)]
    pub(super) fn abandon(mut self) {
        self.open = false;
    }

    /// Commits, gives up the writer, and lets the next writer run ([`hand_on`]).
    pub(super) async fn commit(mut self) -> Result<(), DbError> {
        self.conn.execute_batch("COMMIT")?;
        self.open = false;
        let waiting = Arc::clone(&self.waiting);
        drop(self);
        hand_on(&waiting).await;
        Ok(())
    }
}

impl Drop for SqliteTx {
    fn drop(&mut self) {
        if self.open
            && !self.conn.is_autocommit()
            && let Err(e) = self.conn.execute_batch("ROLLBACK")
        {
            tracing::error!(error = %e, "an SQLite transaction could not be rolled back");
        }
    }
}

/// Runs one statement on `conn`: binds `$N` to the N-th value, steps, collects what is wanted.
fn run(conn: &Connection, query: &Query, want: Want) -> Result<Outcome, DbError> {
    let mut stmt = conn.prepare_cached(&query.sql)?;
    for index in 1..=stmt.parameter_count() {
        let number = match stmt.parameter_name(index) {
            Some(name) => name.get(1..).and_then(|n| n.parse::<usize>().ok()).ok_or_else(|| {
                DbError::Usage(format!("placeholder {name} is not of the form $N"))
            })?,
            None => index,
        };
        let value = query
            .args
            .get(number.wrapping_sub(1))
            .ok_or_else(|| DbError::Usage(format!("no value bound for placeholder {number}")))?;
        stmt.raw_bind_parameter(index, value)?;
    }
    let columns = stmt.column_count();
    if columns == 0 {
        let changed = stmt.raw_execute()?;
        return Ok(Outcome { rows: Vec::new(), changed: changed as u64 });
    }
    let names: Arc<[String]> = stmt.column_names().into_iter().map(str::to_owned).collect();
    let read_only = stmt.readonly();
    let mut rows = Vec::new();
    let mut cursor = stmt.raw_query();
    while let Some(row) = cursor.next()? {
        if want != Want::None {
            let values =
                (0..columns).map(|i| row.get_ref(i).map(value_of)).collect::<Result<_, _>>()?;
            rows.push(Row { names: Arc::clone(&names), values });
        }
        // A read stops at the first row it needs; a write with RETURNING runs to the end.
        if want == Want::First && read_only {
            break;
        }
    }
    drop(cursor);
    let changed = if read_only { 0 } else { conn.changes() };
    Ok(Outcome { rows, changed })
}

fn value_of(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null => Value::Null(super::Kind::Text),
        ValueRef::Integer(v) => Value::Int(v),
        ValueRef::Real(v) => Value::Real(v),
        ValueRef::Text(v) => Value::Text(String::from_utf8_lossy(v).into_owned()),
        ValueRef::Blob(v) => Value::Blob(v.to_vec()),
    }
}

impl ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Self::Int(v) => ValueRef::Integer(*v),
            Self::Real(v) => ValueRef::Real(*v),
            Self::Bool(v) => ValueRef::Integer(i64::from(*v)),
            Self::Text(v) => ValueRef::Text(v.as_bytes()),
            Self::Blob(v) => ValueRef::Blob(v),
            Self::Null(_) => ValueRef::Null,
        }))
    }
}
