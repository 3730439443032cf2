//! Embedded migrations, one folder per backend, and a runner small enough to read: each pending
//! migration runs in its own transaction and is recorded in `kg_schema_migrations`. On
//! PostgreSQL an advisory lock keeps nodes that start together from migrating twice.

use crate::db::{Db, query};

use crate::Backend;

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sqlite: include_str!("../migrations/sqlite/0001_init.sql"),
        postgres: include_str!("../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "signin",
        sqlite: include_str!("../migrations/sqlite/0002_signin.sql"),
        postgres: include_str!("../migrations/postgres/0002_signin.sql"),
    },
    Migration {
        version: 3,
        name: "logout",
        sqlite: include_str!("../migrations/sqlite/0003_logout.sql"),
        postgres: include_str!("../migrations/postgres/0003_logout.sql"),
    },
    Migration {
        version: 4,
        name: "admin",
        sqlite: include_str!("../migrations/sqlite/0004_admin.sql"),
        postgres: include_str!("../migrations/postgres/0004_admin.sql"),
    },
    Migration {
        version: 5,
        name: "rich_authorization",
        sqlite: include_str!("../migrations/sqlite/0005_rich_authorization.sql"),
        postgres: include_str!("../migrations/postgres/0005_rich_authorization.sql"),
    },
    Migration {
        version: 6,
        name: "device",
        sqlite: include_str!("../migrations/sqlite/0006_device.sql"),
        postgres: include_str!("../migrations/postgres/0006_device.sql"),
    },
    Migration {
        version: 7,
        name: "federation",
        sqlite: include_str!("../migrations/sqlite/0007_federation.sql"),
        postgres: include_str!("../migrations/postgres/0007_federation.sql"),
    },
    Migration {
        version: 8,
        name: "revocation_feed",
        sqlite: include_str!("../migrations/sqlite/0008_revocation_feed.sql"),
        postgres: include_str!("../migrations/postgres/0008_revocation_feed.sql"),
    },
    Migration {
        version: 9,
        name: "hardening",
        sqlite: include_str!("../migrations/sqlite/0009_hardening.sql"),
        postgres: include_str!("../migrations/postgres/0009_hardening.sql"),
    },
    Migration {
        version: 10,
        name: "signin_log",
        sqlite: include_str!("../migrations/sqlite/0010_signin_log.sql"),
        postgres: include_str!("../migrations/postgres/0010_signin_log.sql"),
    },
    Migration {
        version: 11,
        name: "mail",
        sqlite: include_str!("../migrations/sqlite/0011_mail.sql"),
        postgres: include_str!("../migrations/postgres/0011_mail.sql"),
    },
    Migration {
        version: 12,
        name: "mfa",
        sqlite: include_str!("../migrations/sqlite/0012_mfa.sql"),
        postgres: include_str!("../migrations/postgres/0012_mfa.sql"),
    },
    Migration {
        version: 13,
        name: "passkeys",
        sqlite: include_str!("../migrations/sqlite/0013_passkeys.sql"),
        postgres: include_str!("../migrations/postgres/0013_passkeys.sql"),
    },
    Migration {
        version: 14,
        name: "pushed_requests",
        sqlite: include_str!("../migrations/sqlite/0014_pushed_requests.sql"),
        postgres: include_str!("../migrations/postgres/0014_pushed_requests.sql"),
    },
    Migration {
        version: 15,
        name: "dpop",
        sqlite: include_str!("../migrations/sqlite/0015_dpop.sql"),
        postgres: include_str!("../migrations/postgres/0015_dpop.sql"),
    },
    Migration {
        version: 16,
        name: "open_apis",
        sqlite: include_str!("../migrations/sqlite/0016_open_apis.sql"),
        postgres: include_str!("../migrations/postgres/0016_open_apis.sql"),
    },
    Migration {
        version: 17,
        name: "document_clients",
        sqlite: include_str!("../migrations/sqlite/0017_document_clients.sql"),
        postgres: include_str!("../migrations/postgres/0017_document_clients.sql"),
    },
];

/// How many migrations Keygate ships.
pub const MIGRATION_COUNT: usize = MIGRATIONS.len();

/// An arbitrary constant naming Keygate's migration lock.
const PG_LOCK_ID: i64 = 0x006b_6579_6761_7465; // "keygate" in ASCII

pub(crate) async fn run(db: &Db, backend: Backend) -> anyhow::Result<usize> {
    let mut tx = db.begin().await?;
    if backend == Backend::Postgres {
        query("SELECT pg_advisory_xact_lock($1)").bind(PG_LOCK_ID).execute(&mut tx).await?;
    }
    query(
        "CREATE TABLE IF NOT EXISTS kg_schema_migrations \
         (version BIGINT PRIMARY KEY, name TEXT NOT NULL)",
    )
    .execute(&mut tx)
    .await?;
    let applied: Vec<i64> = query("SELECT version FROM kg_schema_migrations")
        .fetch_all(&mut tx)
        .await?
        .iter()
        .map(|row| row.try_get::<i64, _>(0))
        .collect::<Result<_, _>>()?;
    let mut ran = 0;
    for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        let sql = match backend {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        tx.execute_batch(sql)
            .await
            .map_err(|e| anyhow::anyhow!("migration {} ({}) failed: {e}", m.version, m.name))?;
        query("INSERT INTO kg_schema_migrations (version, name) VALUES ($1, $2)")
            .bind(m.version)
            .bind(m.name)
            .execute(&mut tx)
            .await?;
        ran += 1;
    }
    tx.commit().await?;
    Ok(ran)
}
