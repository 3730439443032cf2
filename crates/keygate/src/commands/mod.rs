//! One module per command group.

pub mod apis;
pub mod clients;
pub mod data;
pub mod documents;
pub mod keys;
pub mod mail;
pub mod serve;
pub mod upstreams;
pub mod users;

use std::io::Read;
use std::process::ExitCode;

use keygate_core::Secret;
use keygate_core::admin::AdminError;
use keygate_server::Config;
use keygate_server::boot::connect_store;
use keygate_server::serving::MetricsExposure;

/// `keygate config check`: the resolved configuration, secrets left out.
pub fn print_config(config: &Config) {
    println!("Configuration OK");
    println!("  issuer:   {}", config.settings.issuer);
    println!("  listen:   {}", config.listen);
    println!("  database: {}", config.database_display());
    println!("  data dir: {}", config.data_dir.display());
    if let Some(tls) = &config.serving.tls {
        println!("  tls:      {} (key {})", tls.cert_file.display(), tls.key_file.display());
    }
    let proxies = &config.serving.trusted_proxies;
    println!("  proxies:  {} trusted, read through {}", proxies.len(), proxies.header().name());
    match config.serving.metrics {
        MetricsExposure::Off => println!("  metrics:  off"),
        MetricsExposure::Main => println!("  metrics:  /metrics on the main listener"),
        MetricsExposure::Separate(at) => println!("  metrics:  http://{at}/metrics"),
    }
    match &config.mail.delivery {
        keygate_server::mail::settings::Delivery::Smtp(server) => {
            println!(
                "  mail:     {}:{} ({:?}), from {}",
                server.host, server.port, server.tls, config.mail.from
            )
        }
        keygate_server::mail::settings::Delivery::Files(dir) => {
            println!(
                "  mail:     files in {} (no SMTP server), from {}",
                dir.display(),
                config.mail.from
            )
        }
    }
    println!(
        "  tokens:   access {}s {}, id {}s {}",
        config.settings.access_token_ttl,
        config.settings.access_token_alg,
        config.settings.id_token_ttl,
        config.settings.id_token_alg
    );
}

/// `keygate migrate`.
pub async fn migrate(config: &Config) -> anyhow::Result<ExitCode> {
    let store = connect_store(config).await?;
    let ran = store.migrate().await?;
    store.close().await;
    println!("{ran} migration(s) applied; schema is at version {}", keygate_store::MIGRATION_COUNT);
    Ok(ExitCode::SUCCESS)
}

/// Reads a secret from standard input: the first line, without its line ending.
pub fn read_secret_stdin() -> anyhow::Result<Secret> {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    let line = text.lines().next().unwrap_or_default();
    anyhow::ensure!(!line.is_empty(), "nothing was read from standard input");
    Ok(Secret::new(line))
}

/// Prints an admin error the way a person at a terminal wants it.
pub fn report(err: AdminError) -> ExitCode {
    match err {
        AdminError::Invalid(problems) => {
            eprintln!("error: invalid input:");
            for p in problems {
                eprintln!("  - {p}");
            }
        }
        other => eprintln!("error: {other}"),
    }
    ExitCode::FAILURE
}

/// Prints a value as pretty JSON.
pub fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Formats seconds since the epoch as `YYYY-MM-DD HH:MM:SS UTC` (civil-from-days, proleptic
/// Gregorian calendar).
pub fn format_time(epoch: i64) -> String {
    keygate_core::clock::format_utc(epoch)
}

#[cfg(test)]
mod tests {
    #[test]
    fn format_time_is_calendar_correct() {
        assert_eq!(super::format_time(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(super::format_time(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(super::format_time(1_795_306_200), "2026-11-22 00:10:00 UTC");
    }
}
