//! `keygate clients documents ...`: applications known by their Client ID Metadata Document,
//! and blocks on one document URL, every document of a host, or of a domain (`*.domain`).

use keygate_core::admin::{Admin, AdminError, DocumentClientView};
use keygate_core::store::DocumentBlock;
use keygate_server::admin_api::documents::{BlockCreated, BlockJson, DocumentClientJson};

use super::{format_time, print_json};
use crate::cli::DocumentsCommand;

/// Runs a documents command; the outer result is the core's answer, the inner one printing.
pub async fn run(
    admin: &Admin<'_>,
    command: DocumentsCommand,
) -> Result<anyhow::Result<()>, AdminError> {
    match command {
        DocumentsCommand::List { json } => {
            admin.document_clients().await.map(|seen| list(&seen, json))
        }
        DocumentsCommand::Blocks { json } => {
            admin.document_blocks().await.map(|blocks| list_blocks(&blocks, json))
        }
        DocumentsCommand::Block { target, reason, json } => {
            let made = admin.block_documents(&target, &reason).await?;
            Ok(if json {
                let revoked_grants = made.revoked_grants;
                print_json(&BlockCreated { block: BlockJson::from(&made.block), revoked_grants })
            } else {
                println!(
                    "Blocked {}: its documents are refused, {} grant(s) revoked.",
                    made.block.target, made.revoked_grants
                );
                Ok(())
            })
        }
        DocumentsCommand::Unblock { target } => admin.unblock_documents(&target).await.map(|()| {
            println!("Unblocked {}: its documents are accepted again.", target.trim());
            Ok(())
        }),
    }
}

fn list(seen: &[DocumentClientView], json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(&seen.iter().map(DocumentClientJson::from).collect::<Vec<_>>());
    }
    if seen.is_empty() {
        println!("No user has signed in to an application known by its metadata document yet.");
        return Ok(());
    }
    println!("{:<48} {:>6} {:<23} {:<10} NAME", "CLIENT ID", "GRANTS", "LAST SIGN-IN", "STATE");
    for v in seen {
        let state = if v.blocked_by.is_some() { "blocked" } else { "allowed" };
        let c = &v.client;
        let when = format_time(c.last_grant_at);
        // A document's name is its author's: no terminal control sequences from it.
        let name: String = c.name.as_deref().unwrap_or("-").chars().map(printable).collect();
        println!("{:<48} {:>6} {when:<23} {state:<10} {name}", c.client_id, c.live_grants);
    }
    Ok(())
}

/// A character as printed to a terminal: control characters become `?`.
fn printable(c: char) -> char {
    if c.is_control() { '?' } else { c }
}

fn list_blocks(blocks: &[DocumentBlock], json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(&blocks.iter().map(BlockJson::from).collect::<Vec<_>>());
    }
    if blocks.is_empty() {
        println!("No blocks. Block with: keygate clients documents block URL_OR_HOST --reason WHY");
        return Ok(());
    }
    println!("{:<48} {:<23} {:<16} REASON", "TARGET", "SINCE", "BY");
    for b in blocks {
        let since = format_time(b.created_at);
        println!("{:<48} {since:<23} {:<16} {}", b.target, b.created_by, b.reason);
    }
    Ok(())
}
