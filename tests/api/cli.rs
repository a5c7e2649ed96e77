//! The binary itself: help, configuration refusals, account commands, graceful shutdown.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_champion-tracker");
const SECRET: &str = "cli-test-secret-cli-test-secret-cli-test-secret";

fn run(args: &[&str], envs: &[(&str, &str)], stdin: Option<&str>) -> std::process::Output {
    let mut command = Command::new(BIN);
    command.args(args).env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
    for (key, value) in envs {
        command.env(key, value);
    }
    command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("binary starts");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn help_lists_every_option() {
    let top = String::from_utf8(run(&["--help"], &[], None).stdout).unwrap();
    for word in ["serve", "migrate", "seed", "user", "token", "--database-url", "--log-format", "DATABASE_URL"] {
        assert!(top.contains(word), "--help mentions {word}");
    }
    let serve = String::from_utf8(run(&["serve", "--help"], &[], None).stdout).unwrap();
    for word in [
        "--bind",
        "--no-migrate",
        "--demo",
        "--jwt-secret",
        "--jwt-issuer",
        "--jwt-audience",
        "--token-ttl-minutes",
        "--env",
        "--max-query-depth",
        "--max-query-complexity",
        "--max-body-bytes",
        "--max-batch-size",
        "--disable-introspection",
        "--shutdown-grace-seconds",
        "--log-format",
        "--database-url",
    ] {
        assert!(serve.contains(word), "serve --help mentions {word}");
    }
}

#[test]
fn serve_refuses_to_start_without_a_strong_secret_outside_development() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/db.sqlite", dir.path().display());
    let missing = run(&["serve", "--bind", "127.0.0.1:0"], &[("DATABASE_URL", &url)], None);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("JWT_SECRET is required"));
    let short = run(&["serve", "--bind", "127.0.0.1:0"], &[("DATABASE_URL", &url), ("JWT_SECRET", "short")], None);
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 32 bytes"));
}

#[test]
fn user_add_reads_the_password_from_stdin_and_token_mints_one() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/db.sqlite", dir.path().display());
    let env = [("DATABASE_URL", url.as_str()), ("JWT_SECRET", SECRET)];
    let added =
        run(&["user", "add", "--email", "ops@example.org", "--role", "ADMIN"], &env, Some("a-long-password-123\n"));
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let token = run(&["token", "--email", "ops@example.org"], &env, None);
    assert!(token.status.success(), "{}", String::from_utf8_lossy(&token.stderr));
    let token = String::from_utf8(token.stdout).unwrap();
    assert_eq!(token.trim().split('.').count(), 3, "a JWT");

    let weak = run(&["user", "add", "--email", "weak@example.org", "--role", "ADMIN"], &env, Some("short\n"));
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("BAD_USER_INPUT"));
}

#[tokio::test]
async fn sigterm_shuts_the_server_down_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/db.sqlite", dir.path().display());
    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    let mut child = Command::new(BIN)
        .args(["serve", "--bind", &bind])
        .env("DATABASE_URL", &url)
        .env("JWT_SECRET", SECRET)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        if client.get(format!("http://{bind}/ready")).send().await.is_ok_and(|r| r.status() == 200) {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "server did not become ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "clean exit after SIGTERM: {status:?}");
            break;
        }
        assert!(Instant::now() < deadline, "server did not stop after SIGTERM");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A newcomer's way back into a demo server: `serve --demo` says how to sign in and how to reset
/// a lost demo password; `user set-password` does it while the server runs; a token minted with
/// the server's secret works, and tokens from before the reset stop working.
#[tokio::test]
async fn a_lost_demo_password_can_be_set_again_while_the_server_runs() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/db.sqlite", dir.path().display());
    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    let log = dir.path().join("stdout.txt");
    let mut child = Command::new(BIN)
        .args(["serve", "--demo", "--bind", &bind])
        .env("DATABASE_URL", &url)
        .env("JWT_SECRET", SECRET)
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let started = Instant::now();
    while !client.get(format!("http://{bind}/ready")).send().await.is_ok_and(|r| r.status() == 200) {
        assert!(started.elapsed() < Duration::from_secs(60), "server did not become ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let printed = std::fs::read_to_string(&log).unwrap();
    assert!(printed.contains("user set-password --email secretariat@demo.champion-tracker.test"), "{printed}");
    assert!(printed.contains("login(email:"), "{printed}");

    let env = [("DATABASE_URL", url.as_str()), ("JWT_SECRET", SECRET)];
    let admin = "secretariat@demo.champion-tracker.test";
    let minted = run(&["token", "--env", "development", "--email", admin], &env, None);
    assert!(minted.status.success(), "{}", String::from_utf8_lossy(&minted.stderr));
    let old_token = String::from_utf8(minted.stdout).unwrap().trim().to_owned();
    let me = |token: String| {
        let client = client.clone();
        let url = format!("http://{bind}/graphql");
        async move {
            let response =
                client.post(url).bearer_auth(token).json(&serde_json::json!({ "query": "{ me { email } }" }));
            response.send().await.unwrap().status().as_u16()
        }
    };
    assert_eq!(me(old_token.clone()).await, 200);

    // Tokens carry whole seconds: one issued in the same second as the reset would stay valid.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let reset = run(&["user", "set-password", "--email", admin], &env, Some("a new demo password\n"));
    assert!(reset.status.success(), "{}", String::from_utf8_lossy(&reset.stderr));
    let login = client
        .post(format!("http://{bind}/graphql"))
        .json(&serde_json::json!({ "query": format!("mutation {{ login(email: \"{admin}\", password: \"a new demo password\") {{ token }} }}") }))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    let token = login["data"]["login"]["token"].as_str().expect("signed in with the new password").to_owned();
    assert_eq!(me(token).await, 200);
    assert_eq!(me(old_token).await, 401, "a token from before the reset still worked");

    let unknown = run(&["user", "set-password", "--email", "nobody@example.org"], &env, Some("a new demo password\n"));
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("NOT_FOUND"));
    child.kill().unwrap();
    let _ = child.wait();
}
