//! `keygate users ...`.

use std::process::ExitCode;

use keygate_core::admin::{Admin, AdminError, NewUser, UserSpec};
use keygate_core::store::UserQuery;
use keygate_core::{SystemClock, User};
use keygate_server::Config;
use keygate_server::boot::open_store;

use super::{format_time, print_json, read_secret_stdin, report};
use crate::cli::UsersCommand;

/// Runs a users command against the configured database.
pub async fn run(config: &Config, command: UsersCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let clock = SystemClock;
    let admin = Admin::new(&store, &clock);
    let policy = config.settings.passwords;
    let outcome = match command {
        UsersCommand::Create {
            username,
            email,
            email_verified,
            name,
            given_name,
            family_name,
            password_stdin: _,
            json,
        } => {
            let password = read_secret_stdin()?;
            let new = NewUser {
                username,
                email,
                email_verified,
                name,
                given_name,
                family_name,
                ..NewUser::default()
            };
            admin.create_user(new, &password, &policy).await.map(|u| show(&u, json))
        }
        UsersCommand::List { query: None, json } => {
            admin.users().await.map(|users| list(&users, json))
        }
        UsersCommand::List { query: Some(text), json } => {
            let query = UserQuery { text: Some(text), after: None, limit: 1000 };
            admin.search_users(&query).await.map(|users| list(&users, json))
        }
        UsersCommand::Update { user, roles, no_roles, claims, require_mfa, json } => {
            match parse_claims(&claims) {
                Ok(parsed) => {
                    let spec = UserSpec {
                        roles: (no_roles || !roles.is_empty()).then_some(roles),
                        claims: (!claims.is_empty()).then_some(parsed),
                        require_mfa,
                        ..UserSpec::default()
                    };
                    admin.update_user(&user, spec).await.map(|u| show(&u, json))
                }
                Err(e) => Err(e),
            }
        }
        UsersCommand::Access { user, json } => access(&admin, &user, json).await,
        UsersCommand::EndSession { user, sid } => match admin.user(&user).await {
            Ok(u) => admin.end_session(&u.id, &sid).await.map(|()| {
                println!("Ended session {sid} of {}", u.username);
                Ok(())
            }),
            Err(e) => Err(e),
        },
        UsersCommand::RevokeConsent { user, client_id } => match admin.user(&user).await {
            Ok(u) => admin.revoke_consent(&u.id, &client_id).await.map(|()| {
                println!("Revoked {}'s consent to {client_id} and its tokens", u.username);
                Ok(())
            }),
            Err(e) => Err(e),
        },
        UsersCommand::Factors { user, json } => {
            admin.second_factors(&user).await.map(|f| factors(&user, &f, json))
        }
        UsersCommand::RemoveFactors { user } => {
            admin.remove_second_factors(&user).await.map(|()| {
                println!("Removed {user}'s authenticator app and recovery codes");
                Ok(())
            })
        }
        UsersCommand::Show { user, json } => admin.user(&user).await.map(|u| show(&u, json)),
        UsersCommand::SetPassword { user, password_stdin: _ } => {
            let password = read_secret_stdin()?;
            admin.set_password(&user, &password, &policy).await.map(|u| {
                println!(
                    "Password changed for {}: their sessions were ended and their applications' \
                     tokens revoked",
                    u.username
                );
                Ok(())
            })
        }
        UsersCommand::Disable { user } => admin.set_disabled(&user, true).await.map(|u| {
            println!("Disabled {}", u.username);
            Ok(())
        }),
        UsersCommand::Enable { user } => admin.set_disabled(&user, false).await.map(|u| {
            println!("Enabled {}", u.username);
            Ok(())
        }),
        UsersCommand::Delete { user } => admin.delete_user(&user).await.map(|()| {
            println!("Deleted {user}");
            Ok(())
        }),
    };
    store.close().await;
    match outcome {
        Ok(printed) => printed.map(|()| ExitCode::SUCCESS),
        Err(e) => Ok(report(e)),
    }
}

/// `NAME=VALUE` flags as claims; VALUE is JSON if it parses, else a string.
fn parse_claims(
    flags: &[String],
) -> Result<serde_json::Map<String, serde_json::Value>, AdminError> {
    let mut claims = serde_json::Map::new();
    for flag in flags {
        let Some((name, value)) = flag.split_once('=') else {
            return Err(AdminError::Invalid(vec![format!("--claim '{flag}' must be NAME=VALUE")]));
        };
        let value = serde_json::from_str(value).unwrap_or_else(|_| value.into());
        claims.insert(name.to_owned(), value);
    }
    Ok(claims)
}

async fn access(
    admin: &Admin<'_>,
    user: &str,
    json: bool,
) -> Result<anyhow::Result<()>, AdminError> {
    let user = admin.user(user).await?;
    let sessions = admin.user_sessions(&user.id).await?;
    let consents = admin.user_consents(&user.id).await?;
    if json {
        let sessions: Vec<_> = sessions
            .iter()
            .map(|s| serde_json::json!({"sid": s.sid, "auth_time": s.auth_time, "expires_at": s.expires_at}))
            .collect();
        return Ok(print_json(&serde_json::json!({"sessions": sessions, "consents": consents})));
    }
    println!("Sessions of {}:", user.username);
    for s in &sessions {
        println!(
            "  {}  signed in {}, expires {}",
            s.sid,
            format_time(s.auth_time),
            format_time(s.expires_at)
        );
    }
    println!("Consents:");
    for c in &consents {
        println!("  {:<34} {}", c.client_id, c.scope.join(" "));
    }
    Ok(Ok(()))
}

fn show(user: &User, json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(user);
    }
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
    println!("id:             {}", user.id);
    println!("username:       {}", user.username);
    println!(
        "email:          {} ({})",
        user.email,
        if user.email_verified { "verified" } else { "not verified" }
    );
    println!("name:           {}", opt(&user.name));
    println!("given name:     {}", opt(&user.given_name));
    println!("family name:    {}", opt(&user.family_name));
    println!("status:         {}", if user.disabled { "disabled" } else { "active" });
    if !user.roles.is_empty() {
        println!("roles:          {}", user.roles.join(", "));
    }
    for (name, value) in &user.claims {
        println!("claim:          {name} = {value}");
    }
    println!("created:        {}", format_time(user.created_at));
    Ok(())
}

fn list(users: &[User], json: bool) -> anyhow::Result<()> {
    if json {
        return print_json(&users);
    }
    if users.is_empty() {
        println!(
            "No users. Create one with: keygate users create --username NAME --email EMAIL --password-stdin"
        );
        return Ok(());
    }
    println!("{:<34} {:<20} {:<30} STATUS", "ID", "USERNAME", "EMAIL");
    for u in users {
        let status = if u.disabled { "disabled" } else { "active" };
        println!("{:<34} {:<20} {:<30} {status}", u.id, u.username, u.email);
    }
    Ok(())
}

/// Prints a user's second factors.
fn factors(user: &str, f: &keygate_core::mfa::Factors, json: bool) -> anyhow::Result<()> {
    if json {
        let view = keygate_server::admin_api::factors::FactorsView::from(f);
        println!("{}", serde_json::to_value(view)?);
        return Ok(());
    }
    let mut what = Vec::new();
    if f.totp.is_some() {
        what.push(format!("authenticator app; {} recovery codes left", f.recovery_codes));
    }
    for p in &f.passkeys {
        let kind = if p.backup_eligible { "synced" } else { "one device" };
        what.push(format!("passkey \"{}\" ({kind})", p.name));
    }
    if what.is_empty() {
        println!("{user}: no second factor (the password alone signs in)");
    } else {
        println!("{user}: {}", what.join("; "));
    }
    Ok(())
}
