//! The CLI's share of administration: APIs, roles and claims, consents, the audit log,
//! bootstrap, and the metadata flags of applications.

use keygate_testkit::TempDir;
use serde_json::json;

use crate::{keygate, run, run_json, text};

#[test]
fn bootstrap_creates_one_administrator_and_prints_how_to_sign_in() {
    let dir = TempDir::new("kgboot");
    let out = run(keygate(&dir.0), &["bootstrap"], "");
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("http://localhost:8080/admin"), "{stdout}");
    assert!(stdout.contains("username: admin"), "{stdout}");
    let password = stdout.lines().find_map(|l| l.trim().strip_prefix("password: ")).unwrap();
    assert!(password.len() >= 16, "{password}");
    let admin = run_json(keygate(&dir.0), &["users", "show", "admin", "--json"], "");
    assert_eq!(admin["roles"], json!(["admin"]));
    let again = run(keygate(&dir.0), &["bootstrap"], "");
    assert!(text(&again).0.contains("exists already"));
}

#[test]
fn the_last_administrator_cannot_be_disabled_or_deleted() {
    let dir = TempDir::new("kglast");
    assert!(run(keygate(&dir.0), &["bootstrap"], "").status.success());
    for args in [&["users", "disable", "admin"][..], &["users", "delete", "admin"]] {
        let out = run(keygate(&dir.0), args, "");
        let (_, stderr) = text(&out);
        assert!(!out.status.success(), "{args:?} refused");
        assert!(stderr.contains("admin is the last administrator"), "{stderr}");
    }
    let admin = run_json(keygate(&dir.0), &["users", "show", "admin", "--json"], "");
    assert_eq!(admin["disabled"], false);
}

#[test]
fn apis_are_registered_and_granted_to_m2m_clients() {
    let dir = TempDir::new("kgapis");
    let args = [
        "apis",
        "create",
        "--identifier",
        "https://todo.example/api",
        "--name",
        "To-do",
        "--scope",
        "todo:read=Read your to-do list",
        "--scope",
        "todo:write=Change your to-do list",
        "--json",
    ];
    let api = run_json(keygate(&dir.0), &args, "");
    assert_eq!(
        api["scopes"][0],
        json!({"name": "todo:read", "description": "Read your to-do list"})
    );
    let client = run_json(
        keygate(&dir.0),
        &["clients", "create", "--name", "svc", "--type", "m2m", "--json"],
        "",
    );
    let id = client["client_id"].as_str().unwrap();
    let grant =
        ["apis", "grant", "https://todo.example/api", "--client-id", id, "--scope", "todo:read"];
    assert!(run(keygate(&dir.0), &grant, "").status.success());
    let shown =
        run_json(keygate(&dir.0), &["apis", "show", "https://todo.example/api", "--json"], "");
    assert_eq!(shown["client_grants"][id], json!(["todo:read"]));
    // RFC 7662 §4: the API's own introspection credentials, the secret shown once.
    let creds = ["apis", "credentials", "https://todo.example/api", "--json"];
    let creds = run_json(keygate(&dir.0), &creds, "");
    let rs = creds["client_id"].as_str().unwrap();
    assert!(creds["client_secret"].as_str().is_some_and(|s| s.len() > 20));
    let shown =
        run_json(keygate(&dir.0), &["apis", "show", "https://todo.example/api", "--json"], "");
    assert_eq!(shown["introspection_clients"], json!([rs]));
    let reserved = run(
        keygate(&dir.0),
        &[
            "apis",
            "create",
            "--identifier",
            "https://x.example/",
            "--name",
            "x",
            "--scope",
            "openid=Mine",
        ],
        "",
    );
    assert!(text(&reserved).1.contains("reserved"), "OIDC scope names are refused");
    let bad = run(
        keygate(&dir.0),
        &["apis", "create", "--identifier", "todo", "--name", "x", "--scope", "nodesc"],
        "",
    );
    assert!(!bad.status.success());
    let stderr = text(&bad).1;
    assert!(stderr.contains("NAME=DESCRIPTION"), "{stderr}");

    log_of_api(&dir, &api);
}

#[test]
fn rfc9396_apis_define_authorization_details_types() {
    let dir = TempDir::new("kgrar");
    let args = [
        "apis",
        "create",
        "--identifier",
        "http://localhost:3003/",
        "--name",
        "Storage",
        "--details-type",
        "folder_access=the folder",
        "--details-action",
        "folder_access read=open your files",
        "--details-action",
        "folder_access write=save files",
        "--json",
    ];
    let api = run_json(keygate(&dir.0), &args, "");
    let expected = json!([{"type": "folder_access", "description": "the folder", "actions": [
        {"name": "read", "description": "open your files"},
        {"name": "write", "description": "save files"}]}]);
    assert_eq!(api["authorization_details_types"], expected);
    let orphan = [
        "apis",
        "create",
        "--identifier",
        "http://x/",
        "--name",
        "x",
        "--details-action",
        "nope read=r",
    ];
    let bad = run(keygate(&dir.0), &orphan, "");
    assert!(text(&bad).1.contains("no --details-type nope"), "{}", text(&bad).1);
}

fn log_of_api(dir: &TempDir, api: &serde_json::Value) {
    let log = run_json(
        keygate(&dir.0),
        &["audit", "--target", &format!("api:{}", api["id"].as_str().unwrap()), "--json"],
        "",
    );
    let actions: Vec<&str> =
        log.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["api.credentials_create", "api.client_grant", "api.create"]);
    assert_eq!(log[0]["actor"], "cli");
}

#[test]
fn users_get_roles_and_claims_and_lists_can_be_searched() {
    let dir = TempDir::new("kgusers");
    let create = [
        "users",
        "create",
        "--username",
        "grace",
        "--email",
        "grace@example.com",
        "--password-stdin",
        "--json",
    ];
    run_json(keygate(&dir.0), &create, "a long enough password\n");
    let update = [
        "users",
        "update",
        "grace",
        "--role",
        "admin",
        "--claim",
        "locale=en-US",
        "--claim",
        "phone_number_verified=true",
        "--require-mfa",
        "true",
        "--json",
    ];
    let user = run_json(keygate(&dir.0), &update, "");
    assert_eq!(user["roles"], json!(["admin"]));
    assert_eq!(user["require_mfa"], true, "a second factor required of this user");
    assert_eq!(user["claims"], json!({"locale": "en-US", "phone_number_verified": true}));
    let bad = run(keygate(&dir.0), &["users", "update", "grace", "--claim", "shoe_size=42"], "");
    assert!(!bad.status.success());
    let found = run_json(keygate(&dir.0), &["users", "list", "--query", "GRACE@", "--json"], "");
    assert_eq!(found.as_array().unwrap().len(), 1);
    let access = run_json(keygate(&dir.0), &["users", "access", "grace", "--json"], "");
    assert_eq!(access, json!({"sessions": [], "consents": []}));
}

#[test]
fn client_metadata_flags_merge_on_update() {
    let dir = TempDir::new("kgmeta");
    let create = [
        "clients",
        "create",
        "--name",
        "spa",
        "--type",
        "spa",
        "--redirect-uri",
        "https://spa.example/cb",
        "--web-origin",
        "https://spa.example",
        "--logo-uri",
        "https://spa.example/logo.png",
        "--json",
    ];
    let c = run_json(keygate(&dir.0), &create, "");
    let id = c["client_id"].as_str().unwrap();
    assert_eq!(c["metadata"]["web_origins"], json!(["https://spa.example"]));
    let update = [
        "clients",
        "update",
        id,
        "--policy-uri",
        "https://spa.example/privacy",
        "--access-token-ttl",
        "600",
        "--require-par",
        "true",
        "--request-object-alg",
        "none",
        "--json",
    ];
    let c = run_json(keygate(&dir.0), &update, "");
    assert_eq!(c["metadata"]["logo_uri"], "https://spa.example/logo.png", "kept");
    assert_eq!(c["metadata"]["policy_uri"], "https://spa.example/privacy");
    assert_eq!(c["metadata"]["access_token_ttl"], 600);
    assert_eq!(c["metadata"]["require_pushed_authorization_requests"], true, "RFC 9126 §6");
    assert_eq!(c["metadata"]["request_object_signing_alg"], "none");
    // RFC 9101 §10.5: signing needs the application's public keys, which a SPA has none of.
    let unsigned = run(
        keygate(&dir.0),
        &["clients", "update", id, "--require-signed-request-object", "true"],
        "",
    );
    assert!(!unsigned.status.success());
    assert!(String::from_utf8_lossy(&unsigned.stderr).contains("jwks"));
    let bad = run(
        keygate(&dir.0),
        &["clients", "update", id, "--web-origin", "https://spa.example/path"],
        "",
    );
    assert!(!bad.status.success());
}

#[test]
fn events_lists_the_sign_in_log_with_filters_and_refuses_bad_ones_at_once() {
    use keygate_core::signin_log::SignInOutcome;
    use keygate_core::store::{SignInEvent, SignInLogStore};
    let dir = TempDir::new("kgevents");
    let create = ["users", "create", "--username", "heidi", "--email", "heidi@example.com"];
    let user = run_json(
        keygate(&dir.0),
        &[&create[..], &["--password-stdin", "--json"]].concat(),
        "a long enough password\n",
    );
    let url = format!("sqlite://{}?mode=rwc", dir.0.join("keygate.db").display());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = keygate_store::SqlStore::open(&url, 1).await.unwrap();
        for (at, outcome) in
            [(1_795_305_600, SignInOutcome::WrongPassword), (1_795_392_000, SignInOutcome::Success)]
        {
            let event = SignInEvent {
                seq: 0,
                at,
                outcome,
                user_id: user["id"].as_str().map(str::to_owned),
                client_id: None,
                ip: Some("203.0.113.9".into()),
                user_agent: None,
                detail: None,
            };
            store.append_signin(&event).await.unwrap();
        }
        store.close().await;
    });
    let all = run_json(keygate(&dir.0), &["events", "--user", "heidi", "--json"], "");
    let outcomes: Vec<&str> =
        all.as_array().unwrap().iter().map(|e| e["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["success", "wrong_password"]);
    let day = ["events", "--since", "2026-11-22", "--until", "2026-11-22", "--json"];
    assert_eq!(run_json(keygate(&dir.0), &day, "").as_array().unwrap().len(), 1);
    let out = run(keygate(&dir.0), &["events", "--outcome", "wrong_password"], "");
    let (stdout, _) = text(&out);
    assert!(stdout.contains("Wrong password") && stdout.contains("203.0.113.9"), "{stdout}");

    let bad = run(keygate(&dir.0), &["events", "--outcome", "sideways", "--since", "soon"], "");
    assert!(!bad.status.success());
    let (_, stderr) = text(&bad);
    assert!(stderr.contains("'sideways' is not an outcome"), "{stderr}");
    assert!(stderr.contains("'soon' is not a date"), "{stderr}");
}

#[test]
fn users_factors_shows_and_remove_factors_removes_a_lost_phone() {
    use keygate_core::store::{MfaStore, TotpFactor};
    let dir = TempDir::new("kgfactors");
    let create = ["users", "create", "--username", "ivy", "--email", "ivy@example.com"];
    let user = run_json(
        keygate(&dir.0),
        &[&create[..], &["--password-stdin", "--json"]].concat(),
        "a long enough password\n",
    );
    let none = run_json(keygate(&dir.0), &["users", "factors", "ivy", "--json"], "");
    assert_eq!(none["authenticator_app"], false);
    let url = format!("sqlite://{}?mode=rwc", dir.0.join("keygate.db").display());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = keygate_store::SqlStore::open(&url, 1).await.unwrap();
        let factor = TotpFactor {
            user_id: user["id"].as_str().unwrap().to_owned(),
            sealed_key: vec![1],
            last_step: 1,
            created_at: 1_795_305_600,
            last_used_at: None,
        };
        store.put_totp(&factor).await.unwrap();
    });
    let (shown, _) = text(&run(keygate(&dir.0), &["users", "factors", "ivy"], ""));
    assert!(shown.contains("ivy: authenticator app; 0 recovery codes left"), "{shown}");
    let removed = run(keygate(&dir.0), &["users", "remove-factors", "ivy"], "");
    assert!(removed.status.success(), "{}", text(&removed).1);
    let again = run(keygate(&dir.0), &["users", "remove-factors", "ivy"], "");
    assert!(!again.status.success(), "nothing left to remove");
    assert!(text(&again).1.contains("not found"), "{}", text(&again).1);
    let none = run_json(keygate(&dir.0), &["users", "factors", "ivy", "--json"], "");
    assert_eq!(none["authenticator_app"], false);
}

#[test]
fn an_api_is_opened_to_any_application_and_closed_again() {
    let dir = TempDir::new("kgopen");
    let args = ["apis", "create", "--identifier", "https://mcp.example/mcp", "--name", "Tools"];
    let mut opened = args.to_vec();
    opened.extend(["--scope", "mcp:tools=Use the tools", "--open", "--json"]);
    let api = run_json(keygate(&dir.0), &opened, "");
    assert_eq!(api["open"], true, "{api}");
    let out = run(keygate(&dir.0), &["apis", "open", "https://mcp.example/mcp", "--closed"], "");
    assert!(text(&out).0.contains("is closed"), "{:?}", text(&out));
    let shown =
        run_json(keygate(&dir.0), &["apis", "show", "https://mcp.example/mcp", "--json"], "");
    assert_eq!(shown["open"], false);
    let out = run(keygate(&dir.0), &["apis", "open", "https://mcp.example/mcp"], "");
    assert!(text(&out).0.contains("is open to any application"), "{:?}", text(&out));
}

#[tokio::test]
async fn document_clients_are_listed_and_blocked_by_url_or_host() {
    let dir = TempDir::new("kgdocs");
    let out = run(keygate(&dir.0), &["clients", "documents", "list"], "");
    assert!(text(&out).0.contains("No user has signed in"), "{:?}", text(&out));
    // A document client as the server notes it when a user signs in to it; its name is the
    // document author's, and reaches the terminal without control sequences.
    run(keygate(&dir.0), &["migrate"], "");
    let url = format!("sqlite://{}?mode=rw", dir.0.join("keygate.db").display());
    let store = keygate_store::SqlStore::open(&url, 1).await.unwrap();
    use keygate_core::store::DocumentClientStore;
    let agent = "https://agent.example/client.json";
    store.note_document_client(agent, "agent.example", Some("Agent\u{1b}[2J"), 100).await.unwrap();
    store.close().await;
    let listed = run_json(keygate(&dir.0), &["clients", "documents", "list", "--json"], "");
    assert_eq!(listed[0]["client_id"], agent, "{listed}");
    assert_eq!(listed[0]["blocked_by"], serde_json::Value::Null);

    let made = run_json(
        keygate(&dir.0),
        &["clients", "documents", "block", "Agent.Example", "--reason", "abuse", "--json"],
        "",
    );
    assert_eq!(made["target"], "agent.example", "hosts are stored as URLs write them");
    assert_eq!(made["revoked_grants"], 0);
    let listed = run_json(keygate(&dir.0), &["clients", "documents", "list", "--json"], "");
    assert_eq!(listed[0]["blocked_by"], "agent.example");
    let table = run(keygate(&dir.0), &["clients", "documents", "list"], "");
    assert!(text(&table).0.contains("blocked"), "{:?}", text(&table));
    assert!(text(&table).0.contains("Agent?[2J") && !text(&table).0.contains('\u{1b}'));
    let again = run(keygate(&dir.0), &["clients", "documents", "block", "agent.example"], "");
    assert!(!again.status.success());
    assert!(text(&again).1.contains("is blocked already"), "{:?}", text(&again));
    // Every problem at once.
    let long = "x".repeat(501);
    let bad = run(
        keygate(&dir.0),
        &["clients", "documents", "block", "agent.example:8443", "--reason", &long],
        "",
    );
    assert!(!bad.status.success());
    let (_, err) = text(&bad);
    assert!(
        err.contains("neither a metadata document URL nor a host") && err.contains("at most 500"),
        "{err}"
    );

    let out = run(keygate(&dir.0), &["clients", "documents", "unblock", "agent.example"], "");
    assert!(text(&out).0.contains("accepted again"), "{:?}", text(&out));
    let out = run(keygate(&dir.0), &["clients", "documents", "unblock", "agent.example"], "");
    assert!(!out.status.success(), "nothing left to unblock");
    let blocks = run_json(keygate(&dir.0), &["clients", "documents", "blocks", "--json"], "");
    assert_eq!(blocks, serde_json::json!([]));
}
