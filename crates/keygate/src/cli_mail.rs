//! `keygate mail ...`: the outbox from the command line.

use clap::{Args, Subcommand};

/// The mail commands.
#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Queue a test message to ADDRESS and wait for its delivery (a running Keygate sends it).
    Test {
        /// The recipient.
        address: String,
        /// Seconds to wait for the outcome (0: do not wait).
        #[arg(long, default_value_t = 15)]
        wait: u64,
    },
    /// List messages in the outbox, newest first.
    List(MailListArgs),
    /// Send a failed or interrupted message again (check first that an interrupted one did not
    /// arrive).
    Resend {
        /// The message id, from `keygate mail list`.
        id: i64,
    },
    /// Send a user a link to choose a new password.
    ResetLink {
        /// Id, username or email.
        user: String,
    },
    /// Invite ADDRESS to create an account (needs [signup] mode invite, domain or open).
    Invite {
        /// The address to invite.
        address: String,
        /// The language of the message (one Keygate has a translation for), which the new
        /// account keeps; English when absent.
        #[arg(long)]
        locale: Option<String>,
    },
    /// Send a user a link to confirm their email address.
    VerifyLink {
        /// Id, username or email.
        user: String,
    },
}

/// `keygate mail list`.
#[derive(Debug, Args)]
pub struct MailListArgs {
    /// Only messages that failed or were interrupted.
    #[arg(long)]
    pub failed: bool,
    /// Only these statuses (repeat, or comma-separated): pending, sending, sent, failed,
    /// interrupted.
    #[arg(long)]
    pub status: Vec<String>,
    /// Only messages about this user (id, username or email).
    #[arg(long)]
    pub user: Option<String>,
    /// At most this many.
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}
