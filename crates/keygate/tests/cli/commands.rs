use keygate_testkit::TempDir;

use crate::{keygate, run, run_json, text};

#[test]
fn clients_create_m2m_gets_type_defaults_and_a_256_bit_secret() {
    let dir = TempDir::new("kgcli");
    let c = run_json(
        keygate(&dir.0),
        &["clients", "create", "--name", "svc", "--type", "m2m", "--json"],
        "",
    );
    assert_eq!(c["grant_types"], serde_json::json!(["client_credentials"]));
    assert_eq!(c["auth_method"], "client_secret_basic");
    assert_eq!(c["client_secret"].as_str().unwrap().len(), 43, "32 random bytes, base64url");
    let shown = run_json(
        keygate(&dir.0),
        &["clients", "show", c["client_id"].as_str().unwrap(), "--json"],
        "",
    );
    assert!(shown.get("client_secret").is_none(), "the secret is shown once only");
}

#[test]
fn clients_lifecycle_with_explicit_id_and_secret_from_stdin() {
    let dir = TempDir::new("kgcli");
    let args = [
        "clients",
        "create",
        "--name",
        "Web",
        "--type",
        "web",
        "--client-id",
        "my-web",
        "--client-secret-stdin",
        "--redirect-uri",
        "https://app.example/cb",
        "--redirect-uri",
        "http://localhost:3000/cb",
        "--scope",
        "openid",
        "--scope",
        "email",
        "--json",
    ];
    let c = run_json(keygate(&dir.0), &args, "a-migrated-secret\n");
    assert_eq!(c["client_id"], "my-web");
    assert_eq!(c["client_secret"], "a-migrated-secret");
    assert_eq!(
        c["redirect_uris"],
        serde_json::json!(["https://app.example/cb", "http://localhost:3000/cb"])
    );
    assert_eq!(c["scopes"], serde_json::json!(["openid", "email"]));

    let list = run_json(keygate(&dir.0), &["clients", "list", "--json"], "");
    assert_eq!(list.as_array().unwrap().len(), 1);

    let args = ["clients", "update", "my-web", "--name", "Renamed", "--scope", "openid", "--json"];
    let c = run_json(keygate(&dir.0), &args, "");
    assert_eq!(c["name"], "Renamed");
    assert_eq!(c["scopes"], serde_json::json!(["openid"]));
    assert_eq!(c["redirect_uris"].as_array().unwrap().len(), 2, "unset lists are kept");
    // OAuth 2.1 §4.1.1: PKCE is required unless an operator lets a legacy client off.
    let args = ["clients", "update", "my-web", "--pkce-optional", "true", "--json"];
    let c = run_json(keygate(&dir.0), &args, "");
    assert!(c.to_string().contains("\"pkce_optional\":true"), "{c}");

    let rotated = run_json(keygate(&dir.0), &["clients", "rotate-secret", "my-web", "--json"], "");
    assert_ne!(rotated["client_secret"], "a-migrated-secret");

    assert!(run(keygate(&dir.0), &["clients", "delete", "my-web"], "").status.success());
    let out = run(keygate(&dir.0), &["clients", "show", "my-web"], "");
    assert!(!out.status.success());
    assert!(text(&out).1.contains("not found"));
}

#[test]
fn clients_create_reports_every_invalid_field() {
    let dir = TempDir::new("kgcli");
    let args = [
        "clients",
        "create",
        "--name",
        "Bad",
        "--type",
        "web",
        "--redirect-uri",
        "http://app.example/cb",
        "--redirect-uri",
        "https://app.example/cb#frag",
        "--grant-type",
        "client_credentials",
        "--grant-type",
        "password",
        "--auth-method",
        "none",
    ];
    let out = run(keygate(&dir.0), &args, "");
    assert!(!out.status.success());
    let (_, err) = text(&out);
    assert!(err.contains("unknown grant type 'password'"), "{err}");
    let args = [
        "clients",
        "create",
        "--name",
        "Bad",
        "--type",
        "web",
        "--redirect-uri",
        "http://app.example/cb",
        "--redirect-uri",
        "https://app.example/cb#frag",
        "--auth-method",
        "none",
    ];
    let (_, err) = text(&run(keygate(&dir.0), &args, ""));
    assert!(err.contains("must use https"), "{err}");
    assert!(err.contains("fragment"), "{err}");
    assert!(err.contains("confidential"), "{err}");
    let out = run(keygate(&dir.0), &["clients", "create", "--name", "x", "--type", "robot"], "");
    assert!(text(&out).1.contains("unknown client type"));
}

#[test]
fn public_clients_cannot_have_a_secret() {
    let dir = TempDir::new("kgcli");
    let args = [
        "clients",
        "create",
        "--name",
        "SPA",
        "--type",
        "spa",
        "--redirect-uri",
        "https://spa.example/cb",
        "--client-secret-stdin",
    ];
    let out = run(keygate(&dir.0), &args, "secret\n");
    assert!(!out.status.success());
    let args = [
        "clients",
        "create",
        "--name",
        "SPA",
        "--type",
        "spa",
        "--redirect-uri",
        "https://spa.example/cb",
        "--json",
    ];
    let c = run_json(keygate(&dir.0), &args, "");
    assert_eq!(c["auth_method"], "none");
    assert!(c.get("client_secret").is_none());
    let id = c["client_id"].as_str().unwrap();
    assert!(!run(keygate(&dir.0), &["clients", "rotate-secret", id], "").status.success());
}

#[test]
fn users_lifecycle() {
    let dir = TempDir::new("kgcli");
    let args = [
        "users",
        "create",
        "--username",
        "ada",
        "--email",
        "ada@example.com",
        "--email-verified",
        "--name",
        "Ada Lovelace",
        "--given-name",
        "Ada",
        "--password-stdin",
        "--json",
    ];
    let u = run_json(keygate(&dir.0), &args, "correct horse battery\n");
    assert_eq!(u["username"], "ada");
    assert_eq!(u["email_verified"], true);
    assert!(u.get("password_hash").is_none(), "hashes are never printed");
    let shown = run_json(keygate(&dir.0), &["users", "show", "ADA@example.com", "--json"], "");
    assert_eq!(shown["id"], u["id"]);

    let dup =
        ["users", "create", "--username", "Ada", "--email", "x@example.com", "--password-stdin"];
    let out = run(keygate(&dir.0), &dup, "another password\n");
    assert!(text(&out).1.contains("already exists"));

    let short =
        run(keygate(&dir.0), &["users", "set-password", "ada", "--password-stdin"], "short\n");
    assert!(text(&short).1.contains("at least 12"));
    let common = run(
        keygate(&dir.0),
        &["users", "set-password", "ada", "--password-stdin"],
        "Password123456\n",
    );
    assert!(text(&common).1.contains("too common"), "{}", text(&common).1);
    let ok = run(
        keygate(&dir.0),
        &["users", "set-password", "ada", "--password-stdin"],
        "a new long password\n",
    );
    assert!(ok.status.success());

    assert!(run(keygate(&dir.0), &["users", "disable", "ada"], "").status.success());
    assert_eq!(
        run_json(keygate(&dir.0), &["users", "show", "ada", "--json"], "")["disabled"],
        true
    );
    assert!(run(keygate(&dir.0), &["users", "enable", "ada"], "").status.success());
    let list = run_json(keygate(&dir.0), &["users", "list", "--json"], "");
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(run(keygate(&dir.0), &["users", "delete", "ada"], "").status.success());
    assert!(!run(keygate(&dir.0), &["users", "show", "ada"], "").status.success());
}

#[test]
fn keys_rotate_and_list() {
    let dir = TempDir::new("kgcli");
    let first = run_json(keygate(&dir.0), &["keys", "rotate", "--json"], "");
    assert_eq!(first.as_array().unwrap().len(), 3);
    let second = run_json(keygate(&dir.0), &["keys", "rotate", "--json"], "");
    let list = run_json(keygate(&dir.0), &["keys", "list", "--json"], "");
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 6);
    let active: Vec<_> = list.iter().filter(|k| k["retired_at"].is_null()).collect();
    assert_eq!(active.len(), 3);
    for key in &active {
        assert!(second.as_array().unwrap().iter().any(|k| k["kid"] == key["kid"]));
    }
    assert!(list.iter().all(|k| k["published"] == true), "retired keys stay published for now");
}

#[test]
fn config_check_reports_every_problem_at_once() {
    let dir = TempDir::new("kgcli");
    let file = dir.0.join("keygate.toml");
    std::fs::write(
        &file,
        "issuer = \"http://id.example.com\"\nlisten = \"everywhere\"\n[tokens]\naccess_token_ttl = 5\n",
    )
    .unwrap();
    let mut cmd = keygate(&dir.0);
    cmd.env("KEYGATE_TOKENS_ACCESS_TOKEN_ALG", "none");
    let out = run(cmd, &["--config", file.to_str().unwrap(), "config", "check"], "");
    assert!(!out.status.success());
    let (_, err) = text(&out);
    assert!(err.contains("4 problem(s)"), "{err}");
    for needle in ["issuer", "listen", "access_token_ttl", "access_token_alg"] {
        assert!(err.contains(needle), "{needle} missing from: {err}");
    }

    std::fs::write(&file, "issuer = \"https://id.example.com\"\n[database]\nmax_connections = 4\n")
        .unwrap();
    let out = run(keygate(&dir.0), &["--config", file.to_str().unwrap(), "config", "check"], "");
    let (stdout, err) = text(&out);
    assert!(out.status.success(), "{err}");
    assert!(stdout.contains("https://id.example.com"));

    std::fs::write(&file, "isuer = \"typo\"\n").unwrap();
    let out = run(keygate(&dir.0), &["--config", file.to_str().unwrap(), "config", "check"], "");
    assert!(text(&out).1.contains("isuer"), "unknown keys are reported");
}

#[test]
fn migrate_applies_the_schema_once() {
    let dir = TempDir::new("kgcli");
    let (out, _) = text(&run(keygate(&dir.0), &["migrate"], ""));
    assert!(
        out.contains(&format!("{} migration(s) applied", keygate_store::MIGRATION_COUNT)),
        "{out}"
    );
    let (out, _) = text(&run(keygate(&dir.0), &["migrate"], ""));
    assert!(out.contains("0 migration(s) applied"), "{out}");
}

#[test]
fn keygate_log_format_json_writes_one_object_per_line() {
    let dir = TempDir::new("kglogjson");
    let mut cmd = keygate(&dir.0);
    cmd.env("KEYGATE_LOG_FORMAT", "json").env("KEYGATE_LOG", "info");
    let out = run(cmd, &["clients", "create", "--name", "x", "--type", "m2m", "--json"], "");
    assert!(out.status.success());
    let stderr = text(&out).1;
    let line = stderr.lines().find(|l| l.contains("audit")).expect("an audit line");
    let event: serde_json::Value = serde_json::from_str(line).expect("JSON");
    assert_eq!(event["fields"]["action"], "client.create");
    assert_eq!(event["level"], "INFO");
}

#[test]
fn upstreams_add_from_a_preset_list_update_and_remove() {
    let dir = TempDir::new("kgcli");
    let args = [
        "upstreams",
        "add",
        "--preset",
        "github",
        "--client-id",
        "Iv1.abc",
        "--client-secret-stdin",
        "--json",
    ];
    let u = run_json(keygate(&dir.0), &args, "gh-secret\n");
    assert_eq!(u["id"], "github");
    assert_eq!(u["kind"], "oauth2");
    assert_eq!(u["redirect_uri"], "http://localhost:8080/federation/github/callback");
    let args = [
        "upstreams",
        "add",
        "--id",
        "corp",
        "--name",
        "Corp SSO",
        "--oidc-issuer",
        "https://sso.corp.example",
        "--client-id",
        "kg",
        "--client-secret-stdin",
        "--link-verified-email",
        "true",
        "--json",
    ];
    let out = run(keygate(&dir.0), &args, "corp-secret\n");
    assert!(!out.status.success(), "an issuer that does not answer is refused");
    assert!(text(&out).1.contains("did not answer as an OpenID provider"), "{}", text(&out).1);
    let args = [&args[..], &["--no-check"]].concat();
    let u = run_json(keygate(&dir.0), &args, "corp-secret\n");
    assert_eq!(
        (u["kind"].as_str(), u["link_verified_email"].as_bool()),
        (Some("oidc"), Some(true))
    );

    let list = run_json(keygate(&dir.0), &["upstreams", "list", "--json"], "");
    assert_eq!(list.as_array().unwrap().len(), 2);
    let args = [
        "upstreams",
        "update",
        "--id",
        "corp",
        "--enabled",
        "false",
        "--map",
        "subject=uid",
        "--map",
        "email=mail",
        "--no-check",
        "--json",
    ];
    let u = run_json(keygate(&dir.0), &args, "");
    assert_eq!(u["enabled"], false);
    assert_eq!(
        (u["mapping"]["subject"].as_str(), u["mapping"]["email"].as_str()),
        (Some("uid"), Some("mail"))
    );
    let args = ["upstreams", "update", "--id", "corp", "--map", "nickname=nick", "--no-check"];
    let out = run(keygate(&dir.0), &args, "");
    assert!(!out.status.success(), "an unknown claim is refused");

    // The secret is stored sealed: it is not in the database file in clear.
    for file in ["keygate.db", "keygate.db-wal"] {
        let bytes = std::fs::read(dir.0.join(file)).unwrap_or_default();
        assert!(!bytes.windows(9).any(|w| w == b"gh-secret" || w == b"corp-secr"), "{file}");
    }

    let out = run(
        keygate(&dir.0),
        &["upstreams", "add", "--preset", "myspace", "--client-id", "x", "--client-secret-stdin"],
        "s\n",
    );
    assert!(!out.status.success());
    assert!(text(&out).1.contains("unknown preset"), "{}", text(&out).1);
    let out = run(
        keygate(&dir.0),
        &[
            "upstreams",
            "add",
            "--id",
            "x",
            "--oidc-issuer",
            "http://idp.example",
            "--client-id",
            "x",
        ],
        "",
    );
    assert!(!out.status.success());
    let (_, err) = text(&out);
    assert!(err.contains("https"), "{err}");

    assert!(run(keygate(&dir.0), &["upstreams", "remove", "github"], "").status.success());
    let list = run_json(keygate(&dir.0), &["upstreams", "list", "--json"], "");
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn config_file_upstreams_read_the_secret_from_the_environment() {
    let dir = TempDir::new("kgcli");
    let config = dir.0.join("keygate.toml");
    std::fs::write(
        &config,
        "[[upstream]]\npreset = \"google\"\nclient_id = \"g.apps\"\nclient_secret_env = \"KG_TEST_GOOGLE_SECRET\"\n\n\
         [[upstream]]\nid = \"forge\"\nauthorization_endpoint = \"https://forge.example/oauth/authorize\"\n\
         token_endpoint = \"https://forge.example/oauth/token\"\nuserinfo_endpoint = \"https://forge.example/api/user\"\n\
         client_id = \"kg\"\nclient_secret = \"s\"\n[upstream.mapping]\nsubject = \"uid\"\n",
    )
    .unwrap();
    let config_arg = config.to_str().unwrap();
    let out = run(keygate(&dir.0), &["--config", config_arg, "upstreams", "list"], "");
    assert!(!out.status.success(), "the variable is not set");
    assert!(text(&out).1.contains("KG_TEST_GOOGLE_SECRET is not set"), "{}", text(&out).1);

    let mut cmd = keygate(&dir.0);
    cmd.env("KG_TEST_GOOGLE_SECRET", "from-env");
    let list = run_json(cmd, &["--config", config_arg, "upstreams", "list", "--json"], "");
    let ids: Vec<&str> =
        list.as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["google", "forge"]);
    assert_eq!(list[0]["source"], "config");

    // A typo in an upstream's keys is an error, like anywhere in the file.
    std::fs::write(&config, "[[upstream]]\npreset = \"google\"\nclient_id = \"x\"\nclient_secret = \"s\"\nscope = [\"openid\"]\n").unwrap();
    let out = run(keygate(&dir.0), &["--config", config_arg, "config", "check"], "");
    assert!(!out.status.success());
}

#[test]
fn clients_refuse_made_up_scopes_and_unregistered_apis() {
    let dir = TempDir::new("kgcli");
    let args = ["clients", "create", "--name", "svc", "--type", "m2m", "--scope", "made:up"];
    let out =
        run(keygate(&dir.0), &[&args[..], &["--resource", "https://nope.example/"]].concat(), "");
    assert!(!out.status.success());
    let (_, err) = text(&out);
    assert!(err.contains("'https://nope.example/' is not a registered API"), "{err}");
    assert!(err.contains("Scope 'made:up'"), "every problem at once: {err}");
}

#[test]
fn config_check_reports_a_broken_theme_template_with_its_file_and_line_and_unreadable_colors() {
    let dir = TempDir::new("kgcli");
    let theme = dir.0.join("theme");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(
        theme.join("consent.html"),
        "{% extends \"layout.html\" %}\n{% block content %}\n{% for %}\n{% endblock %}\n",
    )
    .unwrap();
    let file = dir.0.join("keygate.toml");
    let config = format!(
        "issuer = \"https://id.example.com\"\n[ui]\ntheme_dir = \"{}\"\nprimary_color = \"#ffee00\"\nsupport_url = \"javascript:alert(1)\"\n",
        theme.display()
    );
    std::fs::write(&file, config).unwrap();
    let out = run(keygate(&dir.0), &["--config", file.to_str().unwrap(), "config", "check"], "");
    assert!(!out.status.success());
    let (_, err) = text(&out);
    assert!(err.contains("consent.html line 3"), "{err}");
    assert!(err.contains("ui.primary_color") && err.contains("too light"), "{err}");
    assert!(err.contains("ui.support_url"), "{err}");
    // Mended, the same folder passes.
    std::fs::write(theme.join("consent.html"), "{% extends \"layout.html\" %}\n").unwrap();
    std::fs::write(&file, format!("issuer = \"https://id.example.com\"\n[ui]\ntheme_dir = \"{}\"\nprimary_color = \"#0b5394\"\n", theme.display())).unwrap();
    let out = run(keygate(&dir.0), &["--config", file.to_str().unwrap(), "config", "check"], "");
    assert!(out.status.success(), "{}", text(&out).1);
}
