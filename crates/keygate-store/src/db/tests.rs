//! The SQLite side of the query layer (the contract suite runs the store on both engines).

#![allow(clippy::unwrap_used)]

use super::*;

/// A fresh SQLite database file with one table, removed when dropped.
struct Scratch {
    db: Db,
    dir: std::path::PathBuf,
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn scratch(readers: usize) -> Scratch {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("kg-db-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.db").display());
    let db = Db::Sqlite(Arc::new(SqliteDb::open(&url, readers).unwrap()));
    query("CREATE TABLE t (id TEXT PRIMARY KEY, n BIGINT, b BLOB)").execute(&db).await.unwrap();
    Scratch { db, dir }
}

#[tokio::test]
async fn placeholders_take_the_value_of_their_number_not_their_position() {
    let s = scratch(2).await;
    query("INSERT INTO t (n, id, b) VALUES ($3, $1, $2)")
        .bind("a")
        .bind(Some(vec![1u8, 2]))
        .bind(7i64)
        .execute(&s.db)
        .await
        .unwrap();
    let row = query("SELECT id, n, b FROM t WHERE n = $1 AND id = $1 OR id = $2")
        .bind(0i64)
        .bind("a")
        .fetch_one(&s.db)
        .await
        .unwrap();
    assert_eq!(row.try_get::<String, _>("id").unwrap(), "a");
    assert_eq!(row.try_get::<i64, _>(1).unwrap(), 7);
    assert_eq!(row.try_get::<Option<Vec<u8>>, _>("b").unwrap(), Some(vec![1, 2]));
    assert!(row.try_get::<String, _>("n").is_err(), "a number is not read as text");
    assert!(row.try_get::<i64, _>("missing").is_err());
}

#[tokio::test]
async fn a_dropped_transaction_rolls_back_and_frees_the_writer() {
    let s = scratch(2).await;
    {
        let mut tx = s.db.begin().await.unwrap();
        query("INSERT INTO t (id) VALUES ($1)").bind("gone").execute(&mut tx).await.unwrap();
    }
    let done = query("INSERT INTO t (id) VALUES ($1)").bind("kept").execute(&s.db).await.unwrap();
    assert_eq!(done.rows_affected(), 1);
    let rows = query("SELECT id FROM t").fetch_all(&s.db).await.unwrap();
    let ids: Vec<String> = rows.iter().map(|r| r.try_get(0).unwrap()).collect();
    assert_eq!(ids, ["kept"]);
}

#[tokio::test]
async fn a_transaction_left_open_on_the_writer_is_rolled_back_before_the_next_write() {
    let s = scratch(2).await;
    let mut tx = s.db.begin().await.unwrap();
    query("INSERT INTO t (id) VALUES ('lost')").execute(&mut tx).await.unwrap();
    tx.abandon(); // as if its ROLLBACK had failed: the writer is still inside it
    // The next write must not join that transaction (and vanish with it): it commits alone.
    query("INSERT INTO t (id) VALUES ('kept')").execute(&s.db).await.unwrap();
    let other = rusqlite::Connection::open(s.dir.join("t.db")).unwrap();
    let ids: Vec<String> = other
        .prepare("SELECT id FROM t")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids, ["kept"]);
}

/// Holds SQLite's write lock on `path` from another connection (as the CLI would) for `ms`;
/// returns once the lock is taken.
fn hold_write_lock(path: std::path::PathBuf, ms: u64) -> std::thread::JoinHandle<()> {
    let (locked, is_locked) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let other = rusqlite::Connection::open(path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        locked.send(()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(ms));
        other.execute_batch("COMMIT").unwrap();
    });
    is_locked.recv().unwrap();
    holder
}

/// A task that notes "tick" in `order` after 50 ms, if the thread is free to run it.
fn ticker(order: &Arc<std::sync::Mutex<Vec<&'static str>>>) -> tokio::task::JoinHandle<()> {
    let order = Arc::clone(order);
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        order.lock().unwrap().push("tick");
    })
}

/// Another process holding the write lock (the CLI beside a server) is waited for asleep: on a
/// one-thread runtime, other tasks run while a write or a `BEGIN` waits, which then succeeds.
#[tokio::test(flavor = "current_thread")]
async fn a_write_waits_for_another_process_lock_without_holding_the_thread() {
    let s = scratch(2).await;
    let order = Arc::new(std::sync::Mutex::new(Vec::new()));
    let holder = hold_write_lock(s.dir.join("t.db"), 300);
    let tick = ticker(&order);
    query("INSERT INTO t (id) VALUES ('x')").execute(&s.db).await.unwrap();
    order.lock().unwrap().push("write");
    tick.await.unwrap();
    holder.join().unwrap();

    let holder = hold_write_lock(s.dir.join("t.db"), 300);
    let tick = ticker(&order);
    let mut tx = s.db.begin().await.unwrap();
    order.lock().unwrap().push("begin");
    query("INSERT INTO t (id) VALUES ('y')").execute(&mut tx).await.unwrap();
    tx.commit().await.unwrap();
    tick.await.unwrap();
    holder.join().unwrap();
    assert_eq!(*order.lock().unwrap(), ["tick", "write", "tick", "begin"]);
}

#[tokio::test]
async fn reads_run_beside_an_open_transaction_and_see_only_what_committed() {
    let s = scratch(2).await;
    let mut tx = s.db.begin().await.unwrap();
    query("INSERT INTO t (id) VALUES ('x')").execute(&mut tx).await.unwrap();
    let seen = query("SELECT id FROM t").fetch_optional(&s.db).await.unwrap();
    assert!(seen.is_none(), "an uncommitted row is not read");
    tx.commit().await.unwrap();
    assert!(query("SELECT id FROM t").fetch_optional(&s.db).await.unwrap().is_some());
}

#[tokio::test]
async fn a_duplicate_key_is_a_unique_violation() {
    let s = scratch(0).await;
    query("INSERT INTO t (id) VALUES ('x')").execute(&s.db).await.unwrap();
    let err = query("INSERT INTO t (id) VALUES ('x')").execute(&s.db).await.unwrap_err();
    assert!(err.is_unique_violation(), "{err}");
}

#[tokio::test]
async fn an_update_with_returning_reports_its_rows_and_its_count() {
    let s = scratch(2).await;
    for id in ["a", "b"] {
        query("INSERT INTO t (id, n) VALUES ($1, 1)").bind(id).execute(&s.db).await.unwrap();
    }
    let first = query("UPDATE t SET n = n + 1 RETURNING id").fetch_optional(&s.db).await.unwrap();
    assert!(first.is_some());
    let rows = query("SELECT n FROM t WHERE n = 2").fetch_all(&s.db).await.unwrap();
    assert_eq!(rows.len(), 2, "the statement ran to the end though one row was wanted");
    let done = query("UPDATE t SET n = 3 WHERE n = 2").execute(&s.db).await.unwrap();
    assert_eq!(done.rows_affected(), 2);
}

#[test]
fn sqlite_urls_name_a_file_and_its_mode() {
    for bad in ["postgres://x", "sqlite://x.db?mode=wat"] {
        assert!(SqliteDb::open(bad, 1).is_err(), "{bad}");
    }
    let db = SqliteDb::open("sqlite::memory:", 4).unwrap();
    assert_eq!(db.use_counts().2, 1, "an in-memory database has one connection");
}
