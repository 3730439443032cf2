//! How the store runs its SQL on either engine: one query builder (`$N` placeholders, values
//! bound in order), one row type, one transaction type.
//!
//! - SQLite runs on the calling thread through `rusqlite` (`db/sqlite.rs`): a statement on a
//!   local file takes microseconds, far less than handing it to a worker thread and waiting for
//!   the answer, which is what sqlx's SQLite driver does for every statement (issue 22: the
//!   thread switches were a quarter of a refresh's CPU). Writes go through one connection
//!   behind an async mutex, so they never wait on SQLite's own lock inside the process.
//! - PostgreSQL runs through sqlx's driver (`db/pg.rs`).

mod checkpoint;
mod pg;
mod sqlite;

use std::borrow::Cow;
use std::sync::Arc;

pub(crate) use sqlite::SqliteDb;

/// A value bound to a placeholder or read from a column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Int(i64),
    Real(f64),
    Bool(bool),
    Text(String),
    Blob(Vec<u8>),
    /// NULL, with the type PostgreSQL should give the parameter.
    Null(Kind),
}

/// The type of a bound NULL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Int,
    Bool,
    Text,
    Blob,
}

/// A Rust value that can be bound to a placeholder.
pub(crate) trait Bind {
    fn into_value(self) -> Value;
}

/// The SQL type of a bindable Rust type, for its NULL.
pub(crate) trait Typed {
    const KIND: Kind;
}

macro_rules! bind {
    ($($t:ty => $kind:ident, $conv:expr;)*) => {$(
        impl Bind for $t {
            fn into_value(self) -> Value {
                #[allow(clippy::redundant_closure_call)]
                ($conv)(self)
            }
        }
        impl Typed for $t {
            const KIND: Kind = Kind::$kind;
        }
    )*};
}

bind! {
    i64 => Int, Value::Int;
    i32 => Int, |v: i32| Value::Int(i64::from(v));
    u32 => Int, |v: u32| Value::Int(i64::from(v));
    bool => Bool, Value::Bool;
    String => Text, Value::Text;
    &str => Text, |v: &str| Value::Text(v.to_owned());
    Vec<u8> => Blob, Value::Blob;
    &[u8] => Blob, |v: &[u8]| Value::Blob(v.to_vec());
}

impl<T: Bind + Typed> Bind for Option<T> {
    fn into_value(self) -> Value {
        match self {
            Some(v) => v.into_value(),
            None => Value::Null(T::KIND),
        }
    }
}

/// A Rust type a column can be read as.
pub(crate) trait Decode: Sized {
    fn decode(value: &Value) -> Option<Self>;
}

impl Decode for i64 {
    fn decode(value: &Value) -> Option<Self> {
        match value {
            Value::Int(v) => Some(*v),
            Value::Bool(v) => Some(i64::from(*v)),
            _ => None,
        }
    }
}

impl Decode for bool {
    fn decode(value: &Value) -> Option<Self> {
        match value {
            Value::Bool(v) => Some(*v),
            Value::Int(v) => Some(*v != 0),
            _ => None,
        }
    }
}

impl Decode for f64 {
    fn decode(value: &Value) -> Option<Self> {
        match value {
            Value::Real(v) => Some(*v),
            #[allow(clippy::cast_precision_loss)]
            Value::Int(v) => Some(*v as f64),
            _ => None,
        }
    }
}

impl Decode for String {
    fn decode(value: &Value) -> Option<Self> {
        match value {
            Value::Text(v) => Some(v.clone()),
            _ => None,
        }
    }
}

impl Decode for Vec<u8> {
    fn decode(value: &Value) -> Option<Self> {
        match value {
            Value::Blob(v) => Some(v.clone()),
            _ => None,
        }
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(value: &Value) -> Option<Self> {
        match value {
            Value::Null(_) => Some(None),
            other => T::decode(other).map(Some),
        }
    }
}

/// A database error: the engine's, a column that is missing or of another type, or a
/// statement or URL the layer cannot use.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DbError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Postgres(#[from] sqlx::Error),
    #[error("{0}")]
    Column(String),
    #[error("{0}")]
    Usage(String),
    #[error("the query returned no row")]
    NoRow,
}

impl DbError {
    /// A unique or primary key constraint refused the statement.
    pub(crate) fn is_unique_violation(&self) -> bool {
        match self {
            Self::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.extended_code,
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            ),
            Self::Postgres(sqlx::Error::Database(db)) => db.is_unique_violation(),
            _ => false,
        }
    }

    /// SQLite refused the statement because another connection holds the lock it needs.
    pub(crate) fn is_busy(&self) -> bool {
        matches!(self, Self::Sqlite(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::DatabaseBusy)
    }
}

/// One row of a result, its columns by name or position.
#[derive(Debug)]
pub(crate) struct Row {
    names: Arc<[String]>,
    values: Vec<Value>,
}

/// A column by position or by name.
pub(crate) trait ColumnIndex {
    fn position(&self, names: &[String]) -> Option<usize>;
    fn describe(&self) -> String;
}

impl ColumnIndex for usize {
    fn position(&self, names: &[String]) -> Option<usize> {
        (*self < names.len()).then_some(*self)
    }
    fn describe(&self) -> String {
        format!("#{self}")
    }
}

impl ColumnIndex for &str {
    fn position(&self, names: &[String]) -> Option<usize> {
        names.iter().position(|n| n == self)
    }
    fn describe(&self) -> String {
        (*self).to_owned()
    }
}

impl Row {
    /// Column `index` read as `T`.
    pub(crate) fn try_get<T: Decode, I: ColumnIndex>(&self, index: I) -> Result<T, DbError> {
        let at = index
            .position(&self.names)
            .ok_or_else(|| DbError::Column(format!("no column {}", index.describe())))?;
        T::decode(&self.values[at]).ok_or_else(|| {
            let found = &self.values[at];
            DbError::Column(format!(
                "column {} holds {found:?}, not a {}",
                index.describe(),
                std::any::type_name::<T>()
            ))
        })
    }
}

/// What a statement did besides returning rows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Done {
    rows_affected: u64,
}

impl Done {
    /// Rows inserted, updated or deleted.
    pub(crate) fn rows_affected(&self) -> u64 {
        self.rows_affected
    }
}

/// A statement's rows and its count of changed rows.
struct Outcome {
    rows: Vec<Row>,
    changed: u64,
}

/// How many rows a caller wants back.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    None,
    First,
    All,
}

/// A statement with its bound values.
#[derive(Debug)]
pub(crate) struct Query {
    sql: Cow<'static, str>,
    args: Vec<Value>,
}

/// A statement; bind its `$1`, `$2`, ... in order with [`Query::bind`].
pub(crate) fn query(sql: impl Into<Cow<'static, str>>) -> Query {
    Query { sql: sql.into(), args: Vec::new() }
}

impl Query {
    /// Binds the next placeholder.
    pub(crate) fn bind(mut self, value: impl Bind) -> Self {
        self.args.push(value.into_value());
        self
    }

    /// Runs the statement for its effect.
    pub(crate) async fn execute<'a>(self, on: impl Exec<'a>) -> Result<Done, DbError> {
        let out = self.run(on, Want::None).await?;
        Ok(Done { rows_affected: out.changed })
    }

    /// The first row, if any.
    pub(crate) async fn fetch_optional<'a>(
        self,
        on: impl Exec<'a>,
    ) -> Result<Option<Row>, DbError> {
        Ok(self.run(on, Want::First).await?.rows.into_iter().next())
    }

    /// The first row; an error if there is none.
    pub(crate) async fn fetch_one<'a>(self, on: impl Exec<'a>) -> Result<Row, DbError> {
        self.fetch_optional(on).await?.ok_or(DbError::NoRow)
    }

    /// Every row.
    pub(crate) async fn fetch_all<'a>(self, on: impl Exec<'a>) -> Result<Vec<Row>, DbError> {
        Ok(self.run(on, Want::All).await?.rows)
    }

    async fn run<'a>(self, on: impl Exec<'a>, want: Want) -> Result<Outcome, DbError> {
        match on.target() {
            Target::Db(Db::Sqlite(db)) => db.run(&self, want).await,
            Target::Db(Db::Postgres(pool)) => pg::run(&self, pool, want).await,
            Target::Tx(Tx(TxInner::Sqlite(tx))) => tx.run(&self, want),
            Target::Tx(Tx(TxInner::Postgres(tx))) => pg::run(&self, &mut **tx, want).await,
        }
    }
}

/// A database: SQLite run in place, or a PostgreSQL pool.
#[derive(Debug, Clone)]
pub(crate) enum Db {
    Sqlite(Arc<SqliteDb>),
    Postgres(sqlx::PgPool),
}

impl Db {
    /// Starts a transaction (on SQLite, on the writing connection: `BEGIN IMMEDIATE`).
    pub(crate) async fn begin(&self) -> Result<Tx, DbError> {
        Ok(Tx(match self {
            Self::Sqlite(db) => TxInner::Sqlite(db.begin().await?),
            Self::Postgres(pool) => TxInner::Postgres(pool.begin().await?),
        }))
    }
}

/// A transaction; rolled back when dropped without [`Tx::commit`].
pub(crate) struct Tx(TxInner);

enum TxInner {
    Sqlite(sqlite::SqliteTx),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

impl Tx {
    /// Makes the transaction's changes permanent.
    pub(crate) async fn commit(self) -> Result<(), DbError> {
        match self.0 {
            TxInner::Sqlite(tx) => tx.commit().await,
            TxInner::Postgres(tx) => Ok(tx.commit().await?),
        }
    }

    /// Ends an SQLite transaction's hold on the writer without ending the transaction.
    #[cfg(test)]
    pub(crate) fn abandon(self) {
        if let TxInner::Sqlite(tx) = self.0 {
            tx.abandon();
        }
    }

    /// Runs several `;`-separated statements without parameters inside the transaction.
    pub(crate) async fn execute_batch(&mut self, sql: &str) -> Result<(), DbError> {
        match &mut self.0 {
            TxInner::Sqlite(tx) => tx.execute_batch(sql),
            TxInner::Postgres(tx) => pg::execute_batch(sql, &mut **tx).await,
        }
    }
}

/// Where a statement runs: the database (any connection) or a transaction.
pub(crate) enum Target<'a> {
    Db(&'a Db),
    Tx(&'a mut Tx),
}

/// Something a statement can run on.
pub(crate) trait Exec<'a> {
    fn target(self) -> Target<'a>;
}

impl<'a> Exec<'a> for &'a Db {
    fn target(self) -> Target<'a> {
        Target::Db(self)
    }
}

impl<'a> Exec<'a> for &'a mut Tx {
    fn target(self) -> Target<'a> {
        Target::Tx(self)
    }
}

#[cfg(test)]
mod tests;
