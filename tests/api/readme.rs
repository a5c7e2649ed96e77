//! The README's examples, run as written: every `sh` block of its "Example queries" section goes to
//! `bash` unchanged, against a demo server, with only what the README tells a reader to set.

use std::process::Stdio;
use std::time::Duration;

use crate::common::*;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_champion-tracker");

/// The `sh` blocks of the README section that starts with `heading`, in order.
fn shell_blocks(heading: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find(&format!("\n{heading}\n")).unwrap_or_else(|| panic!("README has no {heading}"));
    let section = &readme[start + heading.len() + 2..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut blocks = Vec::new();
    let mut rest = section;
    while let Some(open) = rest.find("```sh\n") {
        let body = &rest[open + 6..];
        let close = body.find("\n```").expect("a closed block");
        blocks.push(body[..close + 1].to_owned());
        rest = &body[close + 4..];
    }
    blocks
}

/// Runs a block in `bash` (stopping at the first failing command), in its own process group so
/// that whatever it leaves running in the background is stopped afterwards. Returns stdout.
async fn run_block(block: &str, envs: &[(&str, String)], dir: &std::path::Path) -> String {
    let bin_dir = std::path::Path::new(BIN).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let mut command = tokio::process::Command::new("bash");
    command
        .args(["-euo", "pipefail", "-c", block])
        .env("PATH", path)
        .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .kill_on_drop(true);
    let mut child = command.spawn().expect("bash runs");
    let group = child.id().expect("a running shell");
    // Read while the shell runs: a server it leaves in the background keeps the pipes open.
    let read_all = |pipe: Option<Box<dyn tokio::io::AsyncRead + Unpin + Send>>| {
        tokio::spawn(async move {
            let mut text = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = tokio::io::AsyncReadExt::read_to_end(&mut pipe, &mut text).await;
            }
            text
        })
    };
    let stdout = read_all(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = read_all(child.stderr.take().map(|p| Box::new(p) as _));
    let status = tokio::time::timeout(Duration::from_secs(120), child.wait()).await;
    // Stop the block's background jobs (a server it started) with the shell's whole group.
    let _ = std::process::Command::new("kill").args(["-TERM", "--", &format!("-{group}")]).status();
    let status = status.expect("the block finished in time").unwrap();
    let output = std::process::Output { status, stdout: stdout.await.unwrap(), stderr: stderr.await.unwrap() };
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "README block failed ({}):\n{block}\nstdout:\n{stdout}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// Every GraphQL response printed in `output` (curl prints them back to back, amid other text).
fn responses(output: &str) -> Vec<Value> {
    let mut found = Vec::new();
    let mut rest = output;
    while let Some(at) = ["{\"data\"", "{\"errors\""].iter().filter_map(|start| rest.find(start)).min() {
        let mut values = serde_json::Deserializer::from_str(&rest[at..]).into_iter::<Value>();
        let value = values.next().unwrap().unwrap_or_else(|e| panic!("not JSON at {}: {e}", &rest[at..]));
        rest = &rest[at + values.byte_offset()..];
        found.push(value);
    }
    found
}

fn assert_all_answered(responses: &[Value], output: &str) {
    for response in responses {
        assert!(response.get("errors").is_none() && response["data"].is_object(), "{response}\nin:\n{output}");
    }
}

#[tokio::test]
async fn every_readme_example_runs_as_written() {
    let app = TestApp::spawn_with(Options { demo_records: true, ..Options::default() }).await;
    let blocks = shell_blocks("## Example queries");
    assert_eq!(blocks.len(), 3, "the README's example blocks changed: update this test's expectations");
    let dir = tempfile::tempdir().unwrap();
    let password = |email: &str| app.passwords[email].clone();

    // The walk through the API, against the demo with its printed passwords.
    let api = app.url("/graphql");
    let walk = run_block(
        &blocks[0],
        &[
            ("API", api.clone()),
            ("ADMIN_PASSWORD", password(ADMIN)),
            ("CHAMPION_PASSWORD", password(CHAMPION_MAR)),
            ("LEAD_PASSWORD", password(WG_LEAD)),
        ],
        dir.path(),
    )
    .await;
    let answers = responses(&walk);
    assert_eq!(answers.len(), 6, "{walk}");
    assert_all_answered(&answers, &walk);
    assert_eq!(answers[0]["data"]["countries"]["totalCount"], 8);
    assert_eq!(answers[3]["data"]["setFeedbackStatus"]["status"], "ACCEPTED");
    assert_eq!(answers[5]["data"]["me"]["role"], "ADMIN");
    // The CSV at the end holds the feedback submitted and triaged above, as the database has it.
    let csv = &walk[walk.find("row,feedback_id,").expect("the comment-response CSV")..];
    let line = csv.lines().find(|l| l.contains("Say that the six steps need not be followed in order.")).unwrap();
    assert!(
        line.contains("MAR") && line.contains(",ACCEPTED,") && line.contains("Clarified in the revised draft"),
        "{line}"
    );

    // Minting a token for a server of its own, which the block starts and this test stops.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let minted = run_block(
        &blocks[1],
        &[
            ("API", format!("http://127.0.0.1:{port}/graphql")),
            ("BIND_ADDR", format!("127.0.0.1:{port}")),
            ("DATABASE_URL", format!("sqlite://{}/minted.db", dir.path().display())),
        ],
        dir.path(),
    )
    .await;
    let answers = responses(&minted);
    assert_eq!(answers.len(), 1, "{minted}");
    assert_all_answered(&answers, &minted);
    assert_eq!(answers[0]["data"]["me"]["email"], ADMIN);

    // Setting a lost password again, while the first server runs.
    run_block(&blocks[2], &[("DATABASE_URL", app.database_url.clone())], dir.path()).await;
    assert!(app.login_with(ADMIN, "a new demo password").await.is_ok(), "the new password signs in");
    assert!(app.login_with(ADMIN, &password(ADMIN)).await.is_err(), "the old one no longer does");
}
