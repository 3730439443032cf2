//! One module per command group.

pub mod clients;
pub mod keys;
pub mod serve;
pub mod users;

use std::io::Read;
use std::process::ExitCode;

use keygate_core::Secret;
use keygate_core::admin::AdminError;
use keygate_server::Config;
use keygate_server::boot::connect_store;

/// `keygate config check`: the resolved configuration, secrets left out.
pub fn print_config(config: &Config) {
    println!("Configuration OK");
    println!("  issuer:   {}", config.settings.issuer);
    println!("  listen:   {}", config.listen);
    println!("  database: {}", config.database_display());
    println!("  data dir: {}", config.data_dir.display());
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
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
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
