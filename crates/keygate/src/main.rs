//! The `keygate` binary: `keygate serve` and the admin commands, a thin layer over
//! `keygate-server` and `keygate-core`.

mod cli;
mod cli_admin;
mod cli_mail;
mod cli_upstreams;
mod commands;

use std::process::ExitCode;

use clap::Parser;
use cli::{Cli, Command, ConfigCommand, GlobalArgs};
use keygate_server::{Config, RawConfig};

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KEYGATE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // KEYGATE_LOG_FORMAT=json: one JSON object per line, with the request span's fields
    // (method, path, request_id), for log collectors.
    if std::env::var("KEYGATE_LOG_FORMAT").is_ok_and(|f| f == "json") {
        tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .init();
        return;
    }
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .init();
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = match load_config(&cli.global) {
        Ok(config) => config,
        Err(problems) => {
            eprintln!("The configuration has {} problem(s):", problems.len());
            for p in &problems {
                eprintln!("  - {p}");
            }
            return Ok(ExitCode::FAILURE);
        }
    };
    match cli.command {
        Command::Config { command: ConfigCommand::Check } => {
            commands::print_config(&config);
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve => commands::serve::run(config).await,
        Command::Migrate => commands::migrate(&config).await,
        Command::Clients { command } => commands::clients::run(&config, command).await,
        Command::Users { command } => commands::users::run(&config, command).await,
        Command::Keys { command } => commands::keys::run(&config, command).await,
        Command::Apis { command } => commands::apis::run(&config, command).await,
        Command::Backup { file } => commands::data::backup(&config, &file).await,
        Command::Restore { file, force } => commands::data::restore(&config, &file, force).await,
        Command::Export { output } => commands::data::export(&config, output.as_deref()).await,
        Command::Import { file } => commands::data::import(&config, &file).await,
        Command::Upstreams { command } => commands::upstreams::run(&config, command).await,
        Command::Audit(args) => commands::apis::audit(&config, args).await,
        Command::Events(args) => commands::apis::events(&config, args).await,
        Command::Mail { command } => commands::mail::run(&config, command).await,
        Command::Bootstrap(args) => commands::apis::bootstrap(&config, args).await,
        Command::Registration { command } => commands::apis::registration(&config, command).await,
    }
}

/// File, then environment, then flags; then validation of the whole.
fn load_config(global: &GlobalArgs) -> Result<Config, Vec<String>> {
    let mut raw = RawConfig::load(global.config.as_deref())?;
    if let Some(dir) = &global.data_dir {
        raw.data_dir = Some(dir.clone());
    }
    if let Some(issuer) = &global.issuer {
        raw.issuer = Some(issuer.clone());
    }
    if let Some(listen) = &global.listen {
        raw.listen = Some(listen.clone());
    }
    Config::resolve(raw)
}
