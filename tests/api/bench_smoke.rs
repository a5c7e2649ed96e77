//! A small run of the benchmark harness (`benches/run.sh --smoke`): tiny data, one second per
//! workload, against this build's binary, so the harness cannot rot. Figures are not checked;
//! the real run is `benches/run.sh` (see BENCHMARKS.md).

use std::process::Command;

#[test]
fn the_benchmark_harness_runs_every_workload_without_errors() {
    let mut args = vec!["benches/run.sh", "--smoke", "--bin", env!("CARGO_BIN_EXE_champion-tracker")];
    let postgres = std::env::var("TEST_DATABASE_URL").ok();
    match &postgres {
        Some(url) => args.extend(["--db", "both", "--postgres-url", url.as_str()]),
        None => args.extend(["--db", "sqlite"]),
    }
    let output = Command::new("bash")
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("bash runs the harness");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "harness failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let backends = if postgres.is_some() { 2 } else { 1 };
    for workload in ["q1", "q2s", "q2", "q3", "m1"] {
        let rows: Vec<&str> = stdout.lines().filter(|l| l.split_whitespace().next() == Some(workload)).collect();
        assert_eq!(rows.len(), backends, "one {workload} row per database:\n{stdout}");
        for row in rows {
            let columns: Vec<&str> = row.split_whitespace().collect();
            let rate: f64 = columns[1].parse().unwrap_or_else(|_| panic!("requests/s in {row}"));
            assert!(rate > 0.0, "{row}");
            assert_eq!(columns[4], "0", "no errors: {row}");
        }
    }
    assert_eq!(stdout.matches("server peak RSS").count(), backends, "{stdout}");
    if postgres.is_some() {
        // pgbench ran the captured SQL of Q1-Q3.
        let q3 = stdout.lines().find(|l| l.trim_start().starts_with("q3 ")).unwrap_or_default();
        assert!(q3.split_whitespace().nth(6).is_some_and(|tps| tps.parse::<f64>().is_ok()), "{stdout}");
    }
}
