use champion_tracker::config::{Cli, Command};
use champion_tracker::startup::{ServeConfig, prepare_database, print_demo_accounts, start};
use champion_tracker::{accounts, backup, db, healthcheck, seed, server, telemetry};
use clap::Parser;

fn main() -> anyhow::Result<()> {
    limit_malloc_arenas();
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(run())
}

/// glibc gives each thread that allocates its own arena (up to 8 per core); a server whose
/// requests hop between worker threads then keeps many half-empty arenas resident. Two are enough.
fn limit_malloc_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
        return; // glibc reads it itself: an operator's explicit choice wins
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // Standard output carries the backup with `export --output -`; logs must not mix into it.
    let logs_to_stderr = matches!(&cli.command, Command::Export(args) if args.output == "-");
    telemetry::init_with(cli.global.log_format, &cli.global.log_level, logs_to_stderr);
    let global = cli.global;
    match cli.command {
        Command::Serve(args) => {
            let config = ServeConfig::from_args(&args, &global.database_url, global.database_max_connections)?;
            let started = start(config).await?;
            print_demo_accounts(&started.demo_accounts);
            tracing::info!(port = started.app.port(), bind = %args.bind, "serving GraphQL at /graphql");
            started.app.run_until(server::shutdown_signal()).await?;
            started.db.close().await?;
            tracing::info!("stopped");
        }
        Command::Migrate => {
            let database = db::connect(&global.database_url, 1).await?;
            db::migrate(&database.conn).await?;
            tracing::info!("migrations applied");
        }
        Command::Seed(args) => {
            let (database, accounts) =
                prepare_database(&global.database_url, 1, true, args.demo || args.synthetic).await?;
            print_demo_accounts(&accounts);
            if args.synthetic {
                let sizes = seed::SyntheticSizes {
                    countries: args.countries,
                    champions: args.champions,
                    sections: args.sections,
                    roles: args.roles,
                    feedback: args.feedback,
                    events: args.events,
                    planned_uses: args.planned_uses,
                    milestones: args.milestones,
                    pilots: args.pilots,
                    seed: args.seed,
                };
                let report = seed::load_synthetic(&database.conn, &sizes).await?;
                println!("{report:#?}");
            }
        }
        Command::User(champion_tracker::config::UserCommand::Add(args)) => {
            let (database, _) = prepare_database(&global.database_url, 1, true, false).await?;
            accounts::add_user(&database.conn, args).await?;
        }
        Command::Token(args) => {
            let database = db::connect(&global.database_url, 1).await?;
            accounts::print_token(&database.conn, args).await?;
        }
        Command::Schema => print!("{}", graphql::sdl()),
        Command::Export(args) => backup::run_export(&global.database_url, &args.output).await?,
        Command::Import(args) => backup::run_import(&global.database_url, &args.input).await?,
        Command::Healthcheck(args) => {
            healthcheck::probe(args.bind, std::time::Duration::from_secs(args.timeout_seconds))?
        }
    }
    Ok(())
}
