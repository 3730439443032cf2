//! `keygate mail ...`: test messages, the outbox, resending, reset links. Messages go through
//! the outbox like every other: a running `keygate serve` delivers them.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use keygate_core::admin::{Actor, Admin, MailFilter};
use keygate_core::mail::{MailStatus, OutboxMessage};
use keygate_core::{Provider, SystemClock};
use keygate_server::Config;
use keygate_server::boot::{open_provider, open_store};

use super::{format_time, print_json, report};
use crate::cli_mail::{MailCommand, MailListArgs};

/// Runs a mail command against the configured database.
pub async fn run(config: &Config, command: MailCommand) -> anyhow::Result<ExitCode> {
    match command {
        MailCommand::Test { address, wait } => test(config, &address, wait).await,
        MailCommand::List(args) => list(config, args).await,
        MailCommand::Resend { id } => {
            let store = open_store(config).await?;
            let resent = Admin::new(&store, &SystemClock).resend_mail(id).await;
            store.close().await;
            Ok(match resent {
                Ok(m) => {
                    println!("Message {id} to {} is queued again", m.to);
                    ExitCode::SUCCESS
                }
                Err(e) => report(e),
            })
        }
        MailCommand::ResetLink { user } => user_link(config, &user, true).await,
        MailCommand::VerifyLink { user } => user_link(config, &user, false).await,
        MailCommand::Invite { address, locale } => {
            let (provider, store) = open_provider(config, Arc::new(SystemClock)).await?;
            let invited = provider.invite(&address, locale.as_deref(), Actor::cli()).await;
            store.close().await;
            Ok(match invited {
                Ok(()) => {
                    println!("An invitation to {address} is queued");
                    ExitCode::SUCCESS
                }
                Err(e) => report(e),
            })
        }
    }
}

/// A reset (`reset`) or confirmation link for a user, through the outbox.
async fn user_link(config: &Config, user: &str, reset: bool) -> anyhow::Result<ExitCode> {
    let (provider, store) = open_provider(config, Arc::new(SystemClock)).await?;
    let sent = if reset {
        provider.send_reset_link(user, Actor::cli()).await
    } else {
        provider.send_verification_link(user, Actor::cli()).await
    };
    store.close().await;
    let what = if reset { "A reset link" } else { "A confirmation link" };
    Ok(match sent {
        Ok(()) => {
            println!("{what} for {user} is queued; `keygate mail list --user {user}` shows it");
            ExitCode::SUCCESS
        }
        Err(e) => report(e),
    })
}

async fn test(config: &Config, address: &str, wait: u64) -> anyhow::Result<ExitCode> {
    let (provider, store) = open_provider(config, Arc::new(SystemClock)).await?;
    let id = match provider.queue_test_mail(address, Actor::cli()).await {
        Ok(id) => id,
        Err(e) => {
            store.close().await;
            return Ok(report(e));
        }
    };
    println!("Queued test message {id} to {address}");
    if wait == 0 {
        store.close().await;
        return Ok(ExitCode::SUCCESS);
    }
    let outcome = await_outcome(&provider, id, wait).await;
    store.close().await;
    let Some(message) = outcome? else {
        println!(
            "Not delivered within {wait} s: is `keygate serve` running? It sends queued \
             messages; `keygate mail list` shows where this one is."
        );
        return Ok(ExitCode::FAILURE);
    };
    match message.status {
        MailStatus::Sent => {
            println!("Delivered: the mail server accepted it.");
            Ok(ExitCode::SUCCESS)
        }
        MailStatus::Failed | MailStatus::Interrupted => {
            println!("Failed: {}", message.last_error.unwrap_or_default());
            Ok(ExitCode::FAILURE)
        }
        MailStatus::Pending | MailStatus::Sending => {
            println!(
                "Not delivered yet: {}; retried from {}",
                message.last_error.unwrap_or_else(|| "no attempt yet".to_owned()),
                format_time(message.next_attempt_at)
            );
            Ok(ExitCode::FAILURE)
        }
    }
}

/// The message once an attempt was made (or `None` if none was within `wait` seconds).
async fn await_outcome(
    provider: &Provider,
    id: i64,
    wait: u64,
) -> anyhow::Result<Option<OutboxMessage>> {
    let polls = wait * 5;
    for _ in 0..polls {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let message = provider.store().find_mail(id).await?;
        if let Some(m) = message.filter(|m| m.attempts > 0 && m.status != MailStatus::Sending) {
            return Ok(Some(m));
        }
    }
    Ok(None)
}

async fn list(config: &Config, args: MailListArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let mut statuses = args.status;
    if args.failed {
        statuses.push("problems".to_owned());
    }
    let filter = MailFilter { statuses, user: args.user, before: None, limit: args.limit };
    let found = Admin::new(&store, &SystemClock).mail(&filter).await;
    store.close().await;
    let messages = match found {
        Ok(m) => m,
        Err(e) => return Ok(report(e)),
    };
    if args.json {
        print_json(&messages)?;
        return Ok(ExitCode::SUCCESS);
    }
    for m in &messages {
        let mut line = format!(
            "{:>6}  {}  {:<11} {:<16} to {:<32} attempts {}",
            m.id,
            format_time(m.created_at),
            m.status.as_str(),
            m.kind,
            m.to,
            m.attempts
        );
        if let Some(error) = m.last_error.as_ref().filter(|_| m.status != MailStatus::Sent) {
            line.push_str(&format!("  ({error})"));
        }
        println!("{line}");
    }
    if messages.is_empty() {
        println!("No messages match.");
    }
    Ok(ExitCode::SUCCESS)
}
