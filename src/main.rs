use champion_tracker::config::{Cli, Command};
use champion_tracker::startup::{ServeConfig, prepare_database, print_demo_accounts, print_demo_sign_in, start};
use champion_tracker::{accounts, backup, db, healthcheck, http, seed, telemetry};
use clap::Parser;

/// A GraphQL response is built from many small short-lived allocations, on whichever worker
/// thread the request runs: jemalloc's per-thread caches serve them with a fraction of glibc's
/// CPU (a third of the server's time on large queries) and a smaller resident set.
/// `_RJEM_MALLOC_CONF` tunes it at run time.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(run())
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
            if args.demo {
                print_demo_sign_in(args.bind, args.auth.jwt_secret.is_some());
            }
            tracing::info!(port = started.app.port(), bind = %args.bind, "serving GraphQL at /graphql");
            started.app.run_until(http::shutdown_signal()).await?;
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
        Command::User(champion_tracker::config::UserCommand::SetPassword(args)) => {
            let (database, _) = prepare_database(&global.database_url, 1, true, false).await?;
            accounts::set_password(&database.conn, args).await?;
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
