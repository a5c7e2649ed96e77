//! Sign-in, tokens and who may call what.

use crate::common::*;
use chrono::Utc;
use entity::user_account::{self, UserRole};
use graphql::error::AppError;
use graphql::user::service::{NewUser, add_user_from_command_line as create_user};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{Value, json};

fn claims(user_id: i64, overrides: Value) -> Value {
    let now = Utc::now().timestamp();
    let mut claims = json!({
        "sub": user_id.to_string(), "role": "ADMIN", "iat": now, "nbf": now, "exp": now + 600,
        "iss": ISSUER, "aud": AUDIENCE,
    });
    for (key, value) in overrides.as_object().unwrap() {
        claims[key] = value.clone();
    }
    claims
}

fn sign(claims: &Value, secret: &str) -> String {
    encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret.as_bytes())).unwrap()
}

async fn admin_id(app: &TestApp) -> i64 {
    user_account::Entity::find().filter(user_account::Column::Email.eq(ADMIN)).one(&app.db).await.unwrap().unwrap().id
        as i64
}

async fn assert_rejected(app: &TestApp, token: &str, why: &str) {
    let (status, body) = app.post("{ me { email } }", json!({}), Some(token)).await;
    assert_eq!(status, 401, "{why}: {body}");
    assert_eq!(error_code(&body), "UNAUTHENTICATED", "{why}");
}

#[tokio::test]
async fn anonymous_requests_get_unauthenticated_except_login() {
    let app = TestApp::spawn().await;
    for query in [
        "{ me { email } }",
        "{ countries { totalCount } }",
        r#"{ country(iso3: "MAR") { name } }"#,
        "{ sections { totalCount } }",
        r#"{ section(code: "I") { title } }"#,
        "{ documents { totalCount } }",
        "{ guideVersions { totalCount } }",
        "{ stakeholders { totalCount } }",
        r#"{ node(id: "Q291bnRyeToxMjM") { id } }"#,
        r#"{ nodes(ids: []) { id } }"#,
    ] {
        let (status, body) = app.post(query, json!({}), None).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{query}: {body}");
        assert!(body["data"].is_null() || body["data"].as_object().unwrap().values().all(Value::is_null));
    }
    // Not even the schema is open to anonymous callers.
    let (_, body) = app.post("{ __schema { queryType { name } } }", json!({}), None).await;
    assert!(body["data"]["__schema"].is_null(), "{body}");
    let signed_in = app.admin_token().await;
    let schema = app.data("{ __schema { queryType { name } } }", json!({}), &signed_in).await;
    assert_eq!(schema["__schema"]["queryType"]["name"], "Query");

    // login is the one operation open to anonymous callers.
    assert!(app.login_with(ADMIN, &app.passwords[ADMIN]).await.is_ok());
}

#[tokio::test]
async fn login_failures_do_not_say_which_part_was_wrong() {
    let app = TestApp::spawn().await;
    let wrong_password = app.login_with(ADMIN, "not-the-password").await.unwrap_err();
    let unknown_email = app.login_with("nobody@example.org", "not-the-password").await.unwrap_err();
    for body in [&wrong_password, &unknown_email] {
        assert_eq!(error_code(body), "UNAUTHENTICATED");
        assert_eq!(body["errors"][0]["message"], "Invalid email or password");
        assert!(body["errors"][0]["extensions"]["field"].is_null());
        assert!(body["data"].is_null());
    }
    assert_eq!(wrong_password["errors"][0]["message"], unknown_email["errors"][0]["message"]);
}

#[tokio::test]
async fn login_returns_a_token_that_identifies_the_user() {
    let app = TestApp::spawn().await;
    let (_, body) = app
        .post(
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token tokenType expiresAt user { email role country { iso3 } } } }",
            json!({ "e": "  Focal-Point.MAR@demo.champion-tracker.test ", "p": app.passwords[CHAMPION_MAR] }),
            None,
        )
        .await;
    let login = &body["data"]["login"];
    assert_eq!(login["tokenType"], "Bearer");
    assert_eq!(login["user"]["role"], "CHAMPION");
    assert_eq!(login["user"]["country"]["iso3"], "MAR");
    let token = login["token"].as_str().unwrap();
    let me = app.data("{ me { email role country { iso3 } lastLoginAt } }", json!({}), token).await;
    assert_eq!(me["me"]["email"], CHAMPION_MAR);
    assert!(me["me"]["lastLoginAt"].is_string());

    // The claims are the documented ones.
    let payload = token.split('.').nth(1).unwrap();
    use base64::Engine;
    let claims: Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    assert_eq!(claims["role"], "CHAMPION");
    assert_eq!(claims["country"], "MAR");
    assert_eq!(claims["iss"], ISSUER);
    assert_eq!(claims["aud"], AUDIENCE);
    for key in ["sub", "iat", "exp"] {
        assert!(!claims[key].is_null(), "{key}");
    }
}

#[tokio::test]
async fn bad_tokens_are_rejected() {
    let app = TestApp::spawn().await;
    let id = admin_id(&app).await;
    let now = Utc::now().timestamp();

    assert_rejected(&app, "not-a-jwt", "garbage").await;
    assert_rejected(&app, &sign(&claims(id, json!({ "exp": now - 120 })), TEST_SECRET), "expired").await;
    assert_rejected(&app, &sign(&claims(id, json!({ "nbf": now + 600 })), TEST_SECRET), "not yet valid").await;
    assert_rejected(
        &app,
        &sign(&claims(id, json!({})), "another-secret-another-secret-another-secret"),
        "wrong signature",
    )
    .await;
    assert_rejected(&app, &sign(&claims(id, json!({ "iss": "someone-else" })), TEST_SECRET), "wrong issuer").await;
    assert_rejected(&app, &sign(&claims(id, json!({ "aud": "other-api" })), TEST_SECRET), "wrong audience").await;
    assert_rejected(&app, &sign(&claims(id + 10_000, json!({})), TEST_SECRET), "unknown user").await;

    // Same secret, another HMAC algorithm: the algorithm is pinned, not taken from the header.
    let hs384 = encode(
        &Header::new(Algorithm::HS384),
        &claims(id, json!({})),
        &EncodingKey::from_secret(TEST_SECRET.as_bytes()),
    )
    .unwrap();
    assert_rejected(&app, &hs384, "algorithm switched to HS384").await;

    // Algorithm confusion: a token claiming RS256 (an asymmetric algorithm) is refused whatever it carries.
    {
        use base64::Engine;
        let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        let signed = sign(&claims(id, json!({})), TEST_SECRET);
        let signature = signed.rsplit('.').next().unwrap();
        let confused =
            format!("{}.{}.{signature}", b64(&json!({ "alg": "RS256", "typ": "JWT" })), b64(&claims(id, json!({}))));
        assert_rejected(&app, &confused, "RS256 header").await;
    }

    // alg=none: a token with no signature at all.
    use base64::Engine;
    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let unsigned = format!("{}.{}.", b64(&json!({ "alg": "none", "typ": "JWT" })), b64(&claims(id, json!({}))));
    assert_rejected(&app, &unsigned, "alg none").await;

    // Tampered claims: a valid token whose payload was swapped.
    let valid = app.admin_token().await;
    let parts: Vec<&str> = valid.split('.').collect();
    let tampered = format!("{}.{}.{}", parts[0], b64(&claims(id, json!({ "role": "CHAMPION" }))), parts[2]);
    assert_rejected(&app, &tampered, "tampered").await;

    // A header that is not a bearer token.
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("authorization", "Basic YWRtaW46YWRtaW4=")
        .json(&json!({ "query": "{ me { email } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
}

#[tokio::test]
async fn a_deactivated_account_token_stops_working() {
    let app = TestApp::spawn().await;
    let token = app.login(WG_LEAD).await;
    app.data("{ me { email } }", json!({}), &token).await;
    let user = user_account::Entity::find()
        .filter(user_account::Column::Email.eq(WG_LEAD))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut active: user_account::ActiveModel = user.into();
    active.active = Set(false);
    active.update(&app.db).await.unwrap();
    assert_rejected(&app, &token, "deactivated").await;
    assert!(app.login_with(WG_LEAD, &app.passwords[WG_LEAD]).await.is_err());
}

#[tokio::test]
async fn accounts_are_validated_before_they_are_written() {
    let app = TestApp::spawn().await;
    let new = |email: &str, role, country: Option<&str>, password: &str| NewUser {
        email: email.into(),
        display_name: None,
        password: password.into(),
        role,
        country_iso3: country.map(str::to_owned),
    };
    let field = |error: AppError| match error {
        AppError::BadInput { field, .. } => field,
        AppError::NotFound { field, .. } | AppError::Conflict { field, .. } => field.unwrap_or_default(),
        other => panic!("unexpected {other:?}"),
    };
    let cases = [
        (new("no-country@example.org", UserRole::Champion, None, "long-enough-password"), "country"),
        (new("not-champion@example.org", UserRole::Champion, Some("FRA"), "long-enough-password"), "country"),
        (new("unknown@example.org", UserRole::Champion, Some("XYZ"), "long-enough-password"), "country"),
        (new("admin-country@example.org", UserRole::Admin, Some("MAR"), "long-enough-password"), "country"),
        (new("not-an-email", UserRole::Admin, None, "long-enough-password"), "email"),
        (new("short@example.org", UserRole::WgLead, None, "short"), "password"),
        (new(ADMIN, UserRole::Admin, None, "long-enough-password"), "email"),
    ];
    let before = user_account::Entity::find().all(&app.db).await.unwrap().len();
    for (user, expected) in cases {
        let email = user.email.clone();
        let error = create_user(&app.db, user).await.expect_err(&email);
        assert_eq!(field(error), expected, "{email}");
    }
    assert_eq!(user_account::Entity::find().all(&app.db).await.unwrap().len(), before, "nothing written");

    let created = create_user(&app.db, new("Lead.Two@Example.org", UserRole::WgLead, None, "long-enough-password"))
        .await
        .unwrap();
    assert_eq!(created.email, "lead.two@example.org");
    assert_ne!(created.password_hash, "long-enough-password");
    assert!(created.password_hash.starts_with("$argon2id$"));
    assert!(app.login_with("lead.two@example.org", "long-enough-password").await.is_ok());
    // Made from the command line, and audited as such (the refused attempts wrote nothing).
    use sea_orm::{ColumnTrait, QueryFilter};
    let rows = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("userAdd"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "one audit row for the one account created");
    assert_eq!((rows[0].entity_id, rows[0].actor_id, rows[0].actor_email.as_str()), (created.id, None, "command line"));
}
