//! Accounts: changing one's password, the Secretariat managing accounts, sign-in throttling.

use crate::common::*;
use entity::user_account;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

const CHANGE: &str = r#"mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { token user { email } } }"#;

async fn user_id(app: &TestApp, admin: &str, email: &str) -> (Value, i64) {
    let data = app
        .data(
            "query($s: String) { users(filter: {search: $s}) { edges { node { id version } } } }",
            json!({ "s": email }),
            admin,
        )
        .await;
    let node = nodes(&data["users"])[0].clone();
    (node["id"].clone(), node["version"].as_i64().unwrap())
}

#[tokio::test]
async fn changing_a_password_retires_old_tokens() {
    let app = TestApp::spawn().await;
    let old_token = app.login(CHAMPION_MAR).await;
    let old_password = app.passwords[CHAMPION_MAR].clone();

    let (_, body) =
        app.post(CHANGE, json!({ "c": "wrong-password", "n": "a-brand-new-password" }), Some(&old_token)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(error_field(&body), "currentPassword");
    let (_, body) = app.post(CHANGE, json!({ "c": old_password, "n": "short" }), Some(&old_token)).await;
    assert_eq!(error_field(&body), "newPassword");

    // A token from before the change is refused from the next second on.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let changed = app.data(CHANGE, json!({ "c": old_password, "n": "a-brand-new-password" }), &old_token).await;
    let new_token = changed["changePassword"]["token"].as_str().unwrap().to_owned();
    let (status, _) = app.post("{ me { email } }", json!({}), Some(&old_token)).await;
    assert_eq!(status, 401);
    app.data("{ me { email } }", json!({}), &new_token).await;
    assert!(app.login_with(CHAMPION_MAR, &old_password).await.is_err());
    assert!(app.login_with(CHAMPION_MAR, "a-brand-new-password").await.is_ok());

    // Audited without the hash.
    let admin = app.admin_token().await;
    let log = app
        .data(
            r#"{ auditLog(filter: {action: {eq: "changePassword"}}) { edges { node { actorEmail changes } } } }"#,
            json!({}),
            &admin,
        )
        .await;
    let entry = &nodes(&log["auditLog"])[0];
    assert_eq!(entry["actorEmail"], CHAMPION_MAR);
    assert_eq!(entry["changes"]["password"]["after"], "changed");
    assert!(!entry["changes"].to_string().contains("argon2"));
}

#[tokio::test]
async fn the_secretariat_manages_accounts() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let create = r#"mutation($input: CreateUserInput!) { createUser(input: $input) { id email role active version country { iso3 } } }"#;
    let created = app
        .data(create, json!({ "input": { "email": "Focal.GHA@example.org", "password": "ghana-focal-point", "role": "CHAMPION", "country": "GHA" } }), &admin)
        .await["createUser"]
        .clone();
    assert_eq!(created["email"], "focal.gha@example.org");
    assert_eq!(created["country"]["iso3"], "GHA");
    let token = app.login_with("focal.gha@example.org", "ghana-focal-point").await.unwrap();

    let (_, body) = app.post(create, json!({ "input": { "email": "x@example.org", "password": "long-enough-pass", "role": "ADMIN", "country": "GHA" } }), Some(&admin)).await;
    assert_eq!(error_field(&body), "country");

    // Promote to working-group lead: the country goes with the role.
    let update = r#"mutation($id: ID!, $input: UpdateUserInput!, $v: Int!) { updateUser(id: $id, input: $input, expectedVersion: $v) { role version country { iso3 } } }"#;
    let (_, body) =
        app.post(update, json!({ "id": created["id"], "input": { "role": "WG_LEAD" }, "v": 1 }), Some(&admin)).await;
    assert_eq!(body["data"]["updateUser"]["role"], "WG_LEAD", "{body}");
    assert!(body["data"]["updateUser"]["country"].is_null());

    // Deactivation stops its tokens at once; reactivation lets it sign in again.
    let deactivate = "mutation($id: ID!, $v: Int!) { deactivateUser(id: $id, expectedVersion: $v) { active version } }";
    let done = app.data(deactivate, json!({ "id": created["id"], "v": 2 }), &admin).await;
    assert_eq!(done["deactivateUser"]["active"], false);
    let (status, _) = app.post("{ me { email } }", json!({}), Some(&token)).await;
    assert_eq!(status, 401);
    let (_, body) = app.post(deactivate, json!({ "id": created["id"], "v": 3 }), Some(&admin)).await;
    assert_eq!(error_code(&body), "CONFLICT");
    app.data(
        "mutation($id: ID!) { reactivateUser(id: $id, expectedVersion: 3) { active } }",
        json!({ "id": created["id"] }),
        &admin,
    )
    .await;
    assert!(app.login_with("focal.gha@example.org", "ghana-focal-point").await.is_ok());

    // Nobody deactivates or demotes themself; only the Secretariat manages accounts.
    let (own_id, own_version) = user_id(&app, &admin, ADMIN).await;
    let (_, body) = app.post(deactivate, json!({ "id": own_id, "v": own_version }), Some(&admin)).await;
    assert_eq!(error_field(&body), "id");
    let (_, body) =
        app.post(update, json!({ "id": own_id, "input": { "role": "WG_LEAD" }, "v": own_version }), Some(&admin)).await;
    assert_eq!(error_code(&body), "BAD_USER_INPUT");
    assert_eq!(error_field(&body), "input.role");
    for email in [WG_LEAD, CHAMPION_SLV] {
        let token = app.login(email).await;
        let (_, body) = app.post(deactivate, json!({ "id": created["id"], "v": 4 }), Some(&token)).await;
        assert_eq!(error_code(&body), "FORBIDDEN");
        let (_, body) = app.post("{ users { totalCount } }", json!({}), Some(&token)).await;
        assert_eq!(error_code(&body), "FORBIDDEN");
    }
    let stored = user_account::Entity::find()
        .filter(user_account::Column::Email.eq("focal.gha@example.org"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.active);
    assert_eq!(stored.version, 4);
}

#[tokio::test]
async fn repeated_failed_sign_ins_are_throttled_without_revealing_accounts() {
    let app = TestApp::spawn().await;
    for email in [WG_LEAD, "nobody@example.org"] {
        for _ in 0..5 {
            let body = app.login_with(email, "not-the-password").await.unwrap_err();
            assert_eq!(error_code(&body), "UNAUTHENTICATED");
        }
        let body = app.login_with(email, "not-the-password").await.unwrap_err();
        assert_eq!(error_code(&body), "RATE_LIMITED", "{email}");
        assert!(body["errors"][0]["extensions"]["retryAfterSeconds"].as_u64().unwrap() > 0);
    }
    // Even the right password waits; other accounts are unaffected.
    let body = app.login_with(WG_LEAD, &app.passwords[WG_LEAD]).await.unwrap_err();
    assert_eq!(error_code(&body), "RATE_LIMITED");
    assert!(app.login_with(ADMIN, &app.passwords[ADMIN]).await.is_ok());
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_throttled() {
    let app = TestApp::spawn_with(Options { trust_forwarded_for: true, ..Options::default() }).await;
    let login = "mutation($e: String!) { login(email: $e, password: \"not-the-password\") { token } }";
    let attempt = |email: String, from: &'static str| {
        let app = &app;
        async move {
            let response = app
                .client
                .post(app.url("/graphql"))
                .header("x-forwarded-for", format!("{from}, 10.0.0.1"))
                .json(&json!({ "query": login, "variables": { "e": email } }))
                .send()
                .await
                .unwrap();
            response.json::<Value>().await.unwrap()
        }
    };
    // Twenty failures spread over many accounts, from one client address…
    for i in 0..20 {
        let body = attempt(format!("user{i}@example.org"), "203.0.113.7").await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED");
    }
    // …block that address, not the others behind the same proxy.
    let body = attempt("someone@example.org".into(), "203.0.113.7").await;
    assert_eq!(error_code(&body), "RATE_LIMITED");
    let body = attempt("someone@example.org".into(), "198.51.100.4").await;
    assert_eq!(error_code(&body), "UNAUTHENTICATED");
}
