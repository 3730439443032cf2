//! Throw-away PostgreSQL databases.

use sqlx::{Connection, Executor, PgConnection};

/// The server tests use.
fn admin_url() -> String {
    std::env::var("KEYGATE_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Whether PostgreSQL answers. Under `CI=true` an unreachable server is a failure; elsewhere
/// the test is skipped with a message.
pub async fn postgres_available() -> bool {
    match PgConnection::connect(&format!("{}/postgres", admin_url())).await {
        Ok(conn) => {
            let _ = conn.close().await;
            true
        }
        Err(e) if in_ci() => panic!("PostgreSQL is required under CI=true but unreachable: {e}"),
        Err(e) => {
            eprintln!(
                "SKIPPED: PostgreSQL unreachable at {} ({e}); set CI=true to fail instead",
                admin_url()
            );
            false
        }
    }
}

/// A database made for one test and dropped (with `FORCE`) when this value is.
#[derive(Debug)]
pub struct PgDatabase {
    /// Its URL.
    pub url: String,
    name: String,
}

impl PgDatabase {
    /// Creates `kg_test_<random>`; `None` when PostgreSQL is unavailable outside CI.
    pub async fn create() -> Option<Self> {
        if !postgres_available().await {
            return None;
        }
        let name = format!(
            "kg_test_{}",
            keygate_core::secret::random_string(12).to_lowercase().replace('-', "_")
        );
        let mut conn = PgConnection::connect(&format!("{}/postgres", admin_url()))
            .await
            .expect("connect to postgres");
        conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .await
            .expect("create test database");
        let _ = conn.close().await;
        Some(Self { url: format!("{}/{name}", admin_url()), name })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs inside a test's runtime: use a thread with its own runtime.
        let handle = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build();
            if let Ok(rt) = rt {
                rt.block_on(async {
                    if let Ok(mut conn) =
                        PgConnection::connect(&format!("{}/postgres", admin_url())).await
                    {
                        let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                        let _ = conn.execute(sqlx::AssertSqlSafe(sql)).await;
                        let _ = conn.close().await;
                    }
                });
            }
        });
        let _ = handle.join();
    }
}
