//! The files in deploy/ parse, and what they reference exists: the environment variables are
//! ones the binary reads (taken from its clap definitions, not a list kept here), subcommands
//! exist, ports agree, and the probed and scraped paths answer on a real server.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::common::*;
use champion_tracker::config::Cli;
use clap::CommandFactory;
use serde::Deserialize;
use serde_norway::Value;

fn deploy(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy").join(path)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(deploy(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every environment variable the binary reads, from every subcommand's arguments.
fn env_names() -> BTreeSet<String> {
    fn walk(command: &clap::Command, names: &mut BTreeSet<String>) {
        for arg in command.get_arguments() {
            if let Some(env) = arg.get_env() {
                names.insert(env.to_string_lossy().into_owned());
            }
        }
        for sub in command.get_subcommands() {
            walk(sub, names);
        }
    }
    let mut names = BTreeSet::new();
    walk(&Cli::command(), &mut names);
    names
}

fn subcommands() -> BTreeSet<String> {
    Cli::command().get_subcommands().map(|c| c.get_name().to_owned()).collect()
}

/// All documents of a YAML file, with `<<` merge keys applied.
fn yaml_documents(path: &str) -> Vec<Value> {
    let text = read(path);
    serde_norway::Deserializer::from_str(&text)
        .map(|document| {
            let mut value = Value::deserialize(document).unwrap_or_else(|e| panic!("{path} is not valid YAML: {e}"));
            value.apply_merge().unwrap();
            value
        })
        .filter(|v| !v.is_null())
        .collect()
}

fn kubernetes() -> Vec<Value> {
    let mut documents = Vec::new();
    for entry in std::fs::read_dir(deploy("kubernetes")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(name.ends_with(".yaml"), "unexpected file kubernetes/{name}");
        for document in yaml_documents(&format!("kubernetes/{name}")) {
            for field in ["apiVersion", "kind"] {
                assert!(document[field].is_string(), "kubernetes/{name}: {field}");
            }
            assert!(document["metadata"]["name"].is_string(), "kubernetes/{name}: metadata.name");
            documents.push(document);
        }
    }
    documents
}

fn of_kind<'a>(documents: &'a [Value], kind: &str) -> Vec<&'a Value> {
    documents.iter().filter(|d| d["kind"] == kind).collect()
}

fn str_of(value: &Value) -> &str {
    value.as_str().unwrap_or_else(|| panic!("expected a string, found {value:?}"))
}

/// The port of a `HOST:PORT` listen address.
fn port_of(bind: &str) -> u16 {
    bind.rsplit_once(':').and_then(|(_, p)| p.parse().ok()).unwrap_or_else(|| panic!("no port in {bind}"))
}

/// Checks a container's command line names a subcommand of the binary.
fn assert_runs_subcommand(container: &Value, what: &str) {
    let words: Vec<String> = ["command", "args"]
        .iter()
        .filter_map(|k| container[*k].as_sequence())
        .flatten()
        .map(|v| str_of(v).to_owned())
        .collect();
    let line = words.join(" ");
    let known = subcommands();
    let used = match line.split_once("champion-tracker ") {
        // A shell line: the first word after the binary that is not a global flag.
        Some((_, rest)) => rest.split_whitespace().find(|w| known.contains(*w)).map(str::to_owned),
        None => words.first().cloned(),
    };
    let used = used.unwrap_or_else(|| panic!("{what}: no subcommand in `{line}`"));
    assert!(known.contains(&used), "{what}: `{used}` is not a subcommand ({known:?})");
}

fn assert_known_env(keys: impl IntoIterator<Item = String>, what: &str) {
    let known = env_names();
    for key in keys {
        assert!(known.contains(&key), "{what} sets {key}, which champion-tracker does not read");
    }
}

#[test]
fn environment_names_come_from_the_cli() {
    let names = env_names();
    for expected in ["DATABASE_URL", "BIND_ADDR", "JWT_SECRET", "SKIP_MIGRATIONS", "SHUTDOWN_GRACE_SECONDS"] {
        assert!(names.contains(expected), "{expected} in {names:?}");
    }
}

#[test]
fn kubernetes_manifests_are_complete_and_consistent() {
    let documents = kubernetes();
    for kind in [
        "Deployment",
        "Service",
        "ConfigMap",
        "Secret",
        "Job",
        "CronJob",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
    ] {
        assert!(!of_kind(&documents, kind).is_empty(), "a {kind}");
    }
    let config = of_kind(&documents, "ConfigMap")[0];
    let data = config["data"].as_mapping().unwrap();
    assert_known_env(data.keys().map(|k| str_of(k).to_owned()), "the ConfigMap");
    let secret = of_kind(&documents, "Secret")[0];
    assert_known_env(secret["stringData"].as_mapping().unwrap().keys().map(|k| str_of(k).to_owned()), "the Secret");
    let port = port_of(str_of(&config["data"]["BIND_ADDR"]));

    let deployment = of_kind(&documents, "Deployment")[0];
    let name = str_of(&deployment["metadata"]["name"]);
    let pod = &deployment["spec"]["template"];
    let labels = pod["metadata"]["labels"].as_mapping().unwrap();
    let container = &pod["spec"]["containers"][0];
    assert_runs_subcommand(container, "the Deployment");
    assert_eq!(container["ports"][0]["containerPort"].as_u64(), Some(u64::from(port)), "container port = BIND_ADDR");
    let port_name = str_of(&container["ports"][0]["name"]);
    assert_eq!(str_of(&container["readinessProbe"]["httpGet"]["path"]), "/ready");
    assert_eq!(str_of(&container["livenessProbe"]["httpGet"]["path"]), "/health");
    for probe in ["readinessProbe", "livenessProbe"] {
        assert_eq!(str_of(&container[probe]["httpGet"]["port"]), port_name, "{probe} port");
    }
    let annotations = &pod["metadata"]["annotations"];
    assert_eq!(str_of(&annotations["prometheus.io/path"]), "/metrics");
    assert_eq!(str_of(&annotations["prometheus.io/port"]), port.to_string());
    for source in container["envFrom"].as_sequence().unwrap() {
        let referenced = source["configMapRef"]["name"].as_str().or(source["secretRef"]["name"].as_str());
        assert!(
            [&config["metadata"]["name"], &secret["metadata"]["name"]].iter().any(|n| n.as_str() == referenced),
            "envFrom names the ConfigMap or the Secret"
        );
    }

    let selects_pods = |selector: &Value, what: &str| {
        for (key, value) in selector.as_mapping().unwrap() {
            assert_eq!(labels.get(key), Some(value), "{what} selects the Deployment's pods ({key:?})");
        }
    };
    let service = of_kind(&documents, "Service")[0];
    selects_pods(&service["spec"]["selector"], "the Service");
    assert_eq!(str_of(&service["spec"]["ports"][0]["targetPort"]), port_name);
    selects_pods(&of_kind(&documents, "PodDisruptionBudget")[0]["spec"]["selector"]["matchLabels"], "the PDB");
    let hpa = of_kind(&documents, "HorizontalPodAutoscaler")[0];
    assert_eq!(hpa["spec"]["scaleTargetRef"]["kind"], "Deployment");
    assert_eq!(str_of(&hpa["spec"]["scaleTargetRef"]["name"]), name);
    let min = hpa["spec"]["minReplicas"].as_u64().unwrap();
    assert!(min >= 2 && hpa["spec"]["maxReplicas"].as_u64().unwrap() >= min);

    let job = of_kind(&documents, "Job")[0];
    assert_runs_subcommand(&job["spec"]["template"]["spec"]["containers"][0], "the migration Job");
    let cron = of_kind(&documents, "CronJob")[0];
    let backup = &cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0];
    assert_runs_subcommand(backup, "the backup CronJob");
    assert!(format!("{:?}", backup["args"]).contains("export --output"), "the CronJob exports");
    for container in [container, backup] {
        if let Some(env) = container["env"].as_sequence() {
            assert_known_env(env.iter().map(|e| str_of(&e["name"]).to_owned()), "a container's env");
        }
    }
}

#[test]
fn compose_runs_postgres_a_migration_two_replicas_and_a_proxy() {
    let compose = yaml_documents("compose.yaml").remove(0);
    let services = compose["services"].as_mapping().unwrap();
    let service = |name: &str| services.get(name).unwrap_or_else(|| panic!("compose service {name}"));
    assert!(str_of(&service("postgres")["image"]).starts_with("postgres:"));
    let app = service("app");
    assert_eq!(app["deploy"]["replicas"].as_u64(), Some(2));
    assert_eq!(app["environment"]["SKIP_MIGRATIONS"], "true");
    assert_eq!(app["depends_on"]["migrate"]["condition"], "service_completed_successfully");
    assert_eq!(service("migrate")["command"][0], "seed");
    let ours: Vec<(&Value, &Value)> = services.iter().filter(|(_, s)| s["build"]["dockerfile"].is_string()).collect();
    assert!(ours.len() >= 3, "app, migrate and backup build the image");
    for (name, spec) in &ours {
        let what = format!("compose service {name:?}");
        assert_known_env(spec["environment"].as_mapping().unwrap().keys().map(|k| str_of(k).to_owned()), &what);
        let words: Vec<&str> = spec["command"].as_sequence().unwrap().iter().map(str_of).collect();
        let line = words.join(" ");
        assert!(
            subcommands()
                .iter()
                .any(|s| words.first() == Some(&s.as_str()) || line.contains(&format!("champion-tracker {s} "))),
            "{what} runs a subcommand: {line}"
        );
    }
    // nginx proxies to the replicas' port, and keeps /metrics private.
    let port = port_of(str_of(&app["environment"]["BIND_ADDR"]));
    let nginx = read("nginx.conf");
    assert!(nginx.contains(&format!("server app:{port}")), "nginx upstream uses port {port}");
    assert!(nginx.contains("location = /metrics"));
    assert!(nginx.contains("location = /graphql/ws"));
    let lb = service("lb");
    assert!(format!("{:?}", lb["volumes"]).contains("nginx.conf"));
}

#[test]
fn dockerfile_and_systemd_units_use_what_the_binary_reads() {
    let dockerfile = read("Dockerfile");
    let mut env_keys = Vec::new();
    let mut in_env = false;
    for line in dockerfile.lines() {
        let line = line.trim();
        let rest = match line.strip_prefix("ENV ") {
            Some(rest) => Some(rest),
            None if in_env => Some(line),
            None => None,
        };
        in_env = false;
        if let Some(rest) = rest {
            let (key, value) = rest.trim().split_once('=').expect("ENV KEY=value");
            env_keys.push((key.to_owned(), value.trim_end_matches(['\\', ' ']).to_owned()));
            in_env = rest.ends_with('\\');
        }
    }
    assert_known_env(env_keys.iter().map(|(k, _)| k.clone()), "the Dockerfile");
    let bind = &env_keys.iter().find(|(k, _)| k == "BIND_ADDR").expect("BIND_ADDR in the image").1;
    assert!(dockerfile.contains(&format!("EXPOSE {}", port_of(bind))));
    assert!(dockerfile.contains("CMD [\"champion-tracker\", \"healthcheck\"]"), "HEALTHCHECK runs the binary");
    assert!(subcommands().contains("healthcheck"));
    assert!(dockerfile.contains("USER 10001"), "runs as non-root");

    for unit in ["champion-tracker.service", "champion-tracker-backup.service"] {
        let text = read(&format!("systemd/{unit}"));
        let keys = text
            .lines()
            .filter_map(|l| l.strip_prefix("Environment="))
            .map(|assignment| assignment.split_once('=').unwrap().0.to_owned());
        assert_known_env(keys, unit);
        let exec = text.lines().find_map(|l| l.strip_prefix("ExecStart=")).expect("ExecStart");
        assert!(
            subcommands()
                .iter()
                .any(|s| exec.ends_with(&format!("champion-tracker {s}")) || exec.contains(&format!(" {s} "))),
            "{unit} runs a subcommand: {exec}"
        );
    }
    // env.example: set and commented-out settings alike.
    let example = read("systemd/env.example");
    let keys = example
        .lines()
        .map(|l| l.trim_start_matches('#'))
        .filter_map(|l| l.split_once('='))
        .filter(|(k, _)| !k.is_empty() && k.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'))
        .map(|(k, _)| k.to_owned());
    assert_known_env(keys, "env.example");
    assert!(read("systemd/champion-tracker-backup.timer").contains("OnCalendar="));
}

/// The paths the manifests probe and scrape answer on the real server.
#[tokio::test]
async fn probed_and_scraped_paths_answer() {
    let app = TestApp::spawn().await;
    for path in ["/health", "/ready", "/metrics"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
    }
    // `champion-tracker healthcheck` (the image's HEALTHCHECK) against this server, and a closed port.
    let port = app.base.rsplit_once(':').unwrap().1.to_owned();
    fn probe(bind: String) -> std::process::Output {
        let bin = env!("CARGO_BIN_EXE_champion-tracker");
        std::process::Command::new(bin).args(["healthcheck", "--bind", &bind]).env_clear().output().unwrap()
    }
    let up = tokio::task::spawn_blocking(move || probe(format!("0.0.0.0:{port}"))).await.unwrap();
    assert!(up.status.success(), "{}", String::from_utf8_lossy(&up.stderr));
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let down = tokio::task::spawn_blocking(move || probe(format!("127.0.0.1:{closed}"))).await.unwrap();
    assert!(!down.status.success());
}
