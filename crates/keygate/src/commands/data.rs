//! `keygate backup`, `restore`, `export` and `import`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use keygate_core::{Clock, SystemClock};
use keygate_server::Config;
use keygate_server::boot::{connect_store, open_store};
use keygate_store::SqlStore;

/// `keygate backup FILE`: `VACUUM INTO`, consistent while the server runs.
pub async fn backup(config: &Config, file: &Path) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        config.is_sqlite(),
        "keygate backup is for the SQLite database; for PostgreSQL use pg_dump (docs/deployment.md)"
    );
    let store = open_store(config).await?;
    let done = store.backup_sqlite(file).await;
    store.close().await;
    done?;
    println!("Backed up {} to {}", config.database_display(), file.display());
    println!("Keep the master key too: without it the backup cannot sign tokens.");
    Ok(ExitCode::SUCCESS)
}

/// The SQLite file of `config`.
fn sqlite_path(config: &Config) -> anyhow::Result<PathBuf> {
    let rest = config.database_url.strip_prefix("sqlite:").ok_or_else(|| {
        anyhow::anyhow!("keygate restore is for SQLite; for PostgreSQL use pg_restore")
    })?;
    let path = rest.trim_start_matches("//");
    Ok(PathBuf::from(path.split('?').next().unwrap_or(path)))
}

/// `keygate restore FILE [--force]`: checks the backup is a Keygate database this version can
/// open, then replaces the database file atomically and migrates it.
pub async fn restore(config: &Config, file: &Path, force: bool) -> anyhow::Result<ExitCode> {
    let target = sqlite_path(config)?;
    if target.exists() && !force {
        anyhow::bail!(
            "{} exists; stop the server, then run again with --force to replace it",
            target.display()
        );
    }
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir)?;
    }
    // Checked on a staging copy, so the backup itself is never written to.
    let staging = target.with_extension("db.restoring");
    std::fs::copy(file, &staging).with_context(|| format!("cannot read {}", file.display()))?;
    if let Err(e) = check_backup(&staging).await {
        let _ = std::fs::remove_file(&staging);
        return Err(e.context(format!("{} is not a Keygate backup", file.display())));
    }
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            std::fs::remove_file(side)?;
        }
    }
    std::fs::rename(&staging, &target)?;
    let store = open_store(config).await?;
    let migrated = store.schema_version().await?;
    store.close().await;
    println!("Restored {} from {} (schema {migrated})", target.display(), file.display());
    Ok(ExitCode::SUCCESS)
}

/// A Keygate database of a schema this version knows, its file synced to disk.
async fn check_backup(path: &Path) -> anyhow::Result<()> {
    let mut magic = [0u8; 16];
    std::io::Read::read_exact(&mut std::fs::File::open(path)?, &mut magic)
        .map_err(|_| anyhow::anyhow!("it is not an SQLite database"))?;
    anyhow::ensure!(&magic == b"SQLite format 3\0", "it is not an SQLite database");
    let store = SqlStore::connect(&format!("sqlite://{}?mode=rw", path.display()), 1).await?;
    let version = store.schema_version().await;
    store.close().await;
    let version = version?;
    anyhow::ensure!(version > 0, "it has no Keygate schema");
    anyhow::ensure!(
        version as usize <= keygate_store::MIGRATION_COUNT,
        "it is from a newer Keygate (schema {version})"
    );
    std::fs::File::open(path)?.sync_all()?;
    Ok(())
}

/// `keygate export [--output FILE]`.
pub async fn export(config: &Config, output: Option<&Path>) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let doc = keygate_core::transfer::export(&store, SystemClock.now()).await;
    store.close().await;
    let json = serde_json::to_string_pretty(&doc?)?;
    match output {
        Some(path) => {
            keygate_core::keys::write_private_file(path, json.as_bytes())?;
            eprintln!("Exported to {} (it holds password hashes: keep it private)", path.display());
        }
        None => println!("{json}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// `keygate import FILE`.
pub async fn import(config: &Config, file: &Path) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let doc = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a Keygate export", file.display()))?;
    let store = connect_store(config).await?;
    store.migrate().await?;
    let report = keygate_core::transfer::import(&store, doc, SystemClock.now()).await;
    store.close().await;
    let report = report?;
    println!("Imported {} rows", report.imported);
    for skipped in &report.skipped {
        println!("  kept existing {skipped}");
    }
    for refused in &report.refused {
        println!("  left out {refused}");
    }
    Ok(ExitCode::SUCCESS)
}
