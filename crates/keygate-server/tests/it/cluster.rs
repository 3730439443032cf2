//! Several `keygate serve` nodes on one PostgreSQL database behave as one server: a flow hops
//! between nodes, changes made anywhere reach every node within a second, key rotation never
//! has a node sign with a key another does not publish, and killing a node under load loses
//! nothing.

use std::time::Duration;

use keygate_core::keys::ACTIVATION_DELAY;
use keygate_testkit::{Auth, Browser, Cluster, location, pkce, query_param};
use serde_json::Value;

/// Waits for the nodes' half-second sync.
async fn propagate() {
    tokio::time::sleep(Duration::from_millis(1100)).await;
}

fn kid(token: &str) -> String {
    jsonwebtoken::decode_header(token).unwrap().kid.unwrap()
}

#[tokio::test]
async fn a_flow_hops_between_three_nodes_on_one_postgresql_database() {
    let Some((app, cluster)) = Cluster::start(3).await else { return };
    app.user("ada").await;
    let client = app.web_client(&["openid", "offline_access"]).await;
    let auth = Auth::Basic(&client.id, &client.secret);
    let browser = Browser::new();

    // Authorize and sign in on node 1, consent on node 2, token on node 2.
    let (verifier, challenge) = pkce();
    cluster.via(0);
    let url = app.authorize_url(&client, "openid offline_access", &challenge, &[]);
    let login = location(&browser.get(&url).await);
    let consent =
        location(&app.submit_login(&browser, &login, "ada", keygate_testkit::PASSWORD).await);
    cluster.via(1);
    let callback = location(&app.submit_consent(&browser, &consent, "allow").await);
    let code = query_param(&callback, "code").unwrap();
    let tokens = app.exchange(&client, &code, &verifier).await.assert_ok();

    // The session and the consent made on nodes 1 and 2 are known to node 3.
    cluster.via(2);
    let (_, challenge) = pkce();
    let url =
        app.authorize_url(&client, "openid offline_access", &challenge, &[("prompt", "none")]);
    let silent = location(&browser.get(&url).await);
    assert!(query_param(&silent, "code").is_some(), "SSO and consent on node 3: {silent}");

    // Refresh on node 3, revoke on node 1, introspect on node 2.
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
    ];
    let refreshed = app.post_form("/token", auth, &form).await.assert_ok();
    let access = refreshed["access_token"].as_str().unwrap();
    for node in 0..3 {
        // Every node checks the token once, and so remembers it as active.
        cluster.via(node);
        let active = app.post_form("/introspect", auth, &[("token", access)]).await.assert_ok();
        assert_eq!(active["active"], true);
    }
    cluster.via(0);
    let refresh = refreshed["refresh_token"].as_str().unwrap();
    let revoked = app.post_form("/revoke", auth, &[("token", refresh)]).await;
    assert_eq!(revoked.status, 200);
    let body = app.post_form("/introspect", auth, &[("token", access)]).await.assert_ok();
    assert_eq!(body["active"], false, "the revoking node honours it at once");
    for node in [1, 2] {
        cluster.via(node);
        let form = [("grant_type", "refresh_token"), ("refresh_token", refresh)];
        app.post_form("/token", auth, &form).await.assert_oauth_error(400, "invalid_grant");
        // The other nodes hear of it through PostgreSQL `NOTIFY`, in milliseconds.
        let inactive = keygate_testkit::within_a_second(|| async {
            let body = app.post_form("/introspect", auth, &[("token", access)]).await.assert_ok();
            body["active"] == false
        });
        assert!(inactive.await, "node {node} honours the revocation within a second");
    }
}

#[tokio::test]
async fn client_and_key_changes_reach_every_node_within_a_second() {
    let Some((app, cluster)) = Cluster::start(3).await else { return };
    let (id, secret) = app.m2m_client(&[], &[]).await;
    for node in 0..3 {
        cluster.via(node);
        app.cc_token(&id, &secret, &[]).await; // every node caches the client
    }
    let new_secret = app.admin().rotate_client_secret(&id).await.unwrap();
    let new_secret = new_secret.expose_secret().to_owned();
    propagate().await;
    for node in 0..3 {
        cluster.via(node);
        let form = [("grant_type", "client_credentials")];
        app.post_form("/token", Auth::Basic(&id, &secret), &form)
            .await
            .assert_oauth_error(401, "invalid_client");
        app.cc_token(&id, &new_secret, &[]).await;
    }

    app.clock.advance(60); // the first keys are a minute old
    propagate().await;
    cluster.via(0);
    let before = kid(&app.cc_token(&id, &new_secret, &[]).await);
    let rotated = app.admin().rotate_keys(app.provider.master_key()).await.unwrap();
    propagate().await;
    for node in 0..3 {
        cluster.via(node);
        let jwks: Value = app.get("/jwks").await.json();
        let published: Vec<&str> =
            jwks["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap()).collect();
        assert!(
            rotated.iter().all(|k| published.contains(&k.kid.as_str())),
            "node {node} publishes the new keys"
        );
        assert_eq!(
            kid(&app.cc_token(&id, &new_secret, &[]).await),
            before,
            "node {node} does not sign with them yet"
        );
    }
    app.clock.advance(ACTIVATION_DELAY);
    propagate().await;
    for node in 0..3 {
        cluster.via(node);
        let now_kid = kid(&app.cc_token(&id, &new_secret, &[]).await);
        assert!(rotated.iter().any(|k| k.kid == now_kid), "node {node} signs with the new key");
    }
}

#[tokio::test]
async fn killing_a_node_under_load_loses_nothing() {
    let Some((app, mut cluster)) = Cluster::start(3).await else { return };
    app.user("ada").await;
    let client = app.web_client(&["openid", "offline_access"]).await;
    let (id, secret) = app.m2m_client(&[], &[]).await;
    // A grant made on the node about to die.
    cluster.via(1);
    let result = app.code_flow(&Browser::new(), &client, "ada", "openid offline_access").await;
    let tokens = app.exchange(&client, &result.code, &result.verifier).await.assert_ok();

    cluster.round_robin();
    let load = |n: usize| {
        let (http, url, id, secret) =
            (app.http.clone(), app.url("/token"), id.clone(), secret.clone());
        tokio::spawn(async move {
            let mut ok = 0;
            for _ in 0..n {
                let reply = http
                    .post(&url)
                    .basic_auth(&id, Some(&secret))
                    .form(&[("grant_type", "client_credentials")])
                    .send()
                    .await;
                if reply.is_ok_and(|r| r.status() == 200) {
                    ok += 1;
                }
            }
            ok
        })
    };
    let workers: Vec<_> = (0..4).map(|_| load(60)).collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    cluster.kill(1);
    let mut ok = 0;
    for w in workers {
        ok += w.await.unwrap();
    }
    assert_eq!(ok, 240, "every request was answered by a live node");

    // The grant made on the dead node lives on the others.
    let auth = Auth::Basic(&client.id, &client.secret);
    for node in [0, 2] {
        cluster.via(node);
        let access = tokens["access_token"].as_str().unwrap();
        let body = app.post_form("/introspect", auth, &[("token", access)]).await.assert_ok();
        assert_eq!(body["active"], true, "node {node}");
    }
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
    ];
    app.post_form("/token", auth, &form).await.assert_ok();
}
