//! `keygate users ...`.

use std::process::ExitCode;

use keygate_core::admin::{Admin, NewUser};
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
        UsersCommand::List { json } => admin.users().await.map(|users| list(&users, json)),
        UsersCommand::Show { user, json } => admin.user(&user).await.map(|u| show(&u, json)),
        UsersCommand::SetPassword { user, password_stdin: _ } => {
            let password = read_secret_stdin()?;
            admin.set_password(&user, &password, &policy).await.map(|u| {
                println!("Password changed for {}", u.username);
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
