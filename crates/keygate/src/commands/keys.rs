//! `keygate keys ...`.

use std::process::ExitCode;

use keygate_core::admin::Admin;
use keygate_core::keys::StoredKey;
use keygate_core::{Clock, SystemClock};
use keygate_server::Config;
use keygate_server::boot::open_store;
use serde_json::json;

use super::{format_time, print_json, report};
use crate::cli::KeysCommand;

/// Runs a keys command against the configured database.
pub async fn run(config: &Config, command: KeysCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let clock = SystemClock;
    let admin = Admin::new(&store, &clock);
    let retention = config.settings.key_retention();
    let outcome = match command {
        KeysCommand::List { json } => {
            admin.keys().await.map(|keys| print_keys(&keys, clock.now(), retention, json))
        }
        KeysCommand::Rotate { json } => {
            let master = config.master_key.load()?;
            admin.rotate_keys(&master).await.map(|keys| {
                if !json {
                    println!(
                        "New signing keys (previous public keys stay published for {retention} s):"
                    );
                }
                print_keys(&keys, clock.now(), retention, json)
            })
        }
    };
    store.close().await;
    match outcome {
        Ok(printed) => printed.map(|()| ExitCode::SUCCESS),
        Err(e) => Ok(report(e)),
    }
}

fn state(key: &StoredKey, now: i64, retention: i64) -> String {
    match key.retired_at {
        None => "active (signing)".to_owned(),
        Some(at) if key.is_published(now, retention) => {
            format!("retired, published until {}", format_time(at + retention))
        }
        Some(_) => "retired, unpublished".to_owned(),
    }
}

fn print_keys(keys: &[StoredKey], now: i64, retention: i64, json: bool) -> anyhow::Result<()> {
    if json {
        let list: Vec<_> = keys
            .iter()
            .map(|k| {
                json!({
                    "kid": k.kid,
                    "alg": k.alg.as_str(),
                    "created_at": k.created_at,
                    "retired_at": k.retired_at,
                    "published": k.is_published(now, retention),
                })
            })
            .collect();
        return print_json(&list);
    }
    if keys.is_empty() {
        println!(
            "No signing keys yet: they are made on the first `keygate serve` (or `keygate keys rotate`)."
        );
        return Ok(());
    }
    println!("{:<45} {:<6} {:<21} STATE", "KID", "ALG", "CREATED");
    for k in keys {
        println!(
            "{:<45} {:<6} {:<21} {}",
            k.kid,
            k.alg,
            format_time(k.created_at),
            state(k, now, retention)
        );
    }
    Ok(())
}
