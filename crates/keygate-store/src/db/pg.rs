//! PostgreSQL through sqlx: a [`Query`]'s values bound with their PostgreSQL types (a NULL keeps
//! its column's type), rows read back into [`Row`]s by each column's type.

use std::borrow::Cow;
use std::sync::Arc;

use sqlx::postgres::{PgArguments, PgRow};
use sqlx::{Column, Executor, Postgres, Row as _, TypeInfo};

use super::{DbError, Kind, Outcome, Query, Row, Value, Want};

type PgQuery<'q> = sqlx::query::Query<'q, Postgres, PgArguments>;

pub(super) async fn run<'e, E>(query: &Query, on: E, want: Want) -> Result<Outcome, DbError>
where
    E: Executor<'e, Database = Postgres>,
{
    let statement = match &query.sql {
        Cow::Borrowed(sql) => sqlx::query(sqlx::AssertSqlSafe(*sql)),
        Cow::Owned(sql) => sqlx::query(sqlx::AssertSqlSafe(sql.clone())),
    };
    let statement = bind_all(statement, &query.args);
    let rows = match want {
        Want::None => {
            let done = statement.execute(on).await?;
            return Ok(Outcome { rows: Vec::new(), changed: done.rows_affected() });
        }
        Want::First => statement.fetch_optional(on).await?.into_iter().collect(),
        Want::All => statement.fetch_all(on).await?,
    };
    let Some(first) = rows.first() else {
        return Ok(Outcome { rows: Vec::new(), changed: 0 });
    };
    let names = column_names(first);
    let rows = rows
        .iter()
        .map(|row| Ok(Row { names: Arc::clone(&names), values: values_of(row)? }))
        .collect::<Result<_, DbError>>()?;
    Ok(Outcome { rows, changed: 0 })
}

pub(super) async fn execute_batch<'e, E>(sql: &str, on: E) -> Result<(), DbError>
where
    E: Executor<'e, Database = Postgres>,
{
    on.execute(sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))).await?;
    Ok(())
}

fn bind_all<'q>(mut statement: PgQuery<'q>, args: &[Value]) -> PgQuery<'q> {
    for value in args {
        statement = match value.clone() {
            Value::Int(v) => statement.bind(v),
            Value::Real(v) => statement.bind(v),
            Value::Bool(v) => statement.bind(v),
            Value::Text(v) => statement.bind(v),
            Value::Blob(v) => statement.bind(v),
            Value::Null(Kind::Int) => statement.bind(None::<i64>),
            Value::Null(Kind::Bool) => statement.bind(None::<bool>),
            Value::Null(Kind::Text) => statement.bind(None::<String>),
            Value::Null(Kind::Blob) => statement.bind(None::<Vec<u8>>),
        };
    }
    statement
}

fn column_names(row: &PgRow) -> Arc<[String]> {
    row.columns().iter().map(|c| c.name().to_owned()).collect()
}

fn values_of(row: &PgRow) -> Result<Vec<Value>, DbError> {
    (0..row.len()).map(|i| value_at(row, i)).collect()
}

fn value_at(row: &PgRow, i: usize) -> Result<Value, DbError> {
    let type_name = row.column(i).type_info().name().to_owned();
    let value = match type_name.as_str() {
        "INT8" => row.try_get::<Option<i64>, _>(i)?.map(Value::Int),
        "INT4" => row.try_get::<Option<i32>, _>(i)?.map(|v| Value::Int(v.into())),
        "INT2" => row.try_get::<Option<i16>, _>(i)?.map(|v| Value::Int(v.into())),
        "BOOL" => row.try_get::<Option<bool>, _>(i)?.map(Value::Bool),
        "FLOAT8" => row.try_get::<Option<f64>, _>(i)?.map(Value::Real),
        "FLOAT4" => row.try_get::<Option<f32>, _>(i)?.map(|v| Value::Real(v.into())),
        "TEXT" | "VARCHAR" | "CHAR" | "NAME" => {
            row.try_get::<Option<String>, _>(i)?.map(Value::Text)
        }
        "BYTEA" => row.try_get::<Option<Vec<u8>>, _>(i)?.map(Value::Blob),
        "VOID" => None,
        other => {
            return Err(DbError::Column(format!(
                "column {} has the unsupported type {other}",
                row.column(i).name()
            )));
        }
    };
    Ok(value.unwrap_or(Value::Null(Kind::Text)))
}
