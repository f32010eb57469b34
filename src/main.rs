//! Thin CLI over the library: `serve` (default), `migrate`, `worker`, `create-admin`
//! (and the hidden `sign-stream-url`, for benchmarks).
use clap::{Parser, Subcommand};
use xueshi::{config::Settings, startup::Application, telemetry};

/// mimalloc: a heartbeat makes a few dozen small allocations, and glibc's malloc/free were a
/// tenth of the node's CPU under heartbeat load.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "xueshi", version, about = "继续教育学时平台 (continuing-education hours platform)")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, then serve HTTP (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Run background jobs only (transcoding, sweeping, sync), without HTTP.
    Worker,
    /// Print a signed stream URL path (for scripts/bench_streaming.sh; not for production use).
    #[command(hide = true)]
    SignStreamUrl {
        #[arg(long)]
        learner: i32,
        #[arg(long)]
        lecture: i32,
        /// A file of the lecture's directory.
        #[arg(long, default_value = "master.m3u8")]
        rel: String,
    },
    /// Create a platform admin.
    CreateAdmin {
        #[arg(long, default_value = "admin")]
        username: String,
        /// Read from XUESHI_NEW_ADMIN_PASSWORD when not given, so it stays out of shell history.
        #[arg(long, env = "XUESHI_NEW_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Load-test fixture (scripts/load_*.sh, scripts/december.sh): learners, a course, and
    /// per mode play sessions, completed lectures or an exam.
    #[command(hide = true)]
    LoadFixture {
        #[arg(long, value_enum, default_value = "heartbeat")]
        mode: xueshi::load_fixture::Mode,
        #[arg(long, default_value_t = 1000)]
        learners: u32,
        /// Lecture length in seconds (exams and december modes).
        #[arg(long, default_value_t = 60.0)]
        lecture_s: f64,
        /// Exam duration in seconds (at least 60).
        #[arg(long, default_value_t = 600)]
        exam_s: i32,
        #[arg(long, default_value_t = 30.0)]
        pass_score: f64,
        /// Where to write one line per learner (see `load_fixture`).
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    telemetry::init();
    let settings = Settings::load()?;
    match Cli::parse().command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            let db = xueshi::db::connect(&settings.database_url()).await?;
            xueshi::db::migrate(&db).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Worker => {
            let state = xueshi::startup::build_state(settings).await?;
            println!("xueshi worker {} running jobs; Ctrl-C stops it", xueshi::jobs::worker_id());
            tokio::select! {
                () = xueshi::jobs::run_forever(state) => {}
                signal = tokio::signal::ctrl_c() => signal?,
            }
            Ok(())
        }
        Command::SignStreamUrl { learner, lecture, rel } => {
            let mut s = settings;
            s.demo = false;
            let state = xueshi::startup::build_state(s).await?;
            let now = state.clock.now();
            println!("{}", xueshi::courses::streaming::signed_path(&state, learner, lecture, &rel, now));
            Ok(())
        }
        Command::CreateAdmin { username, password } => {
            let mut s = settings;
            s.demo = false;
            let state = xueshi::startup::build_state(s).await?;
            let id = xueshi::demo::create_admin(&state, &username, &password, false).await?;
            println!("created platform admin {username} (id {id})");
            Ok(())
        }
        Command::LoadFixture { mode, learners, lecture_s, exam_s, pass_score, out } => {
            let state = xueshi::startup::build_state(settings).await?;
            let mut file = std::io::BufWriter::new(std::fs::File::create(&out)?);
            let options = xueshi::load_fixture::Options { mode, learners, lecture_s, exam_s, pass_score };
            xueshi::load_fixture::write(&state, &options, &mut file).await?;
            std::io::Write::flush(&mut file)?;
            println!("{learners} learners ({mode:?}) written to {}", out.display());
            Ok(())
        }
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(settings).await?;
    let s = &app.state.settings;
    let host = s.bind.split(':').next().unwrap_or("127.0.0.1");
    println!("\nxueshi is running at http://{host}:{}/", app.port());
    println!(
        "  database: {}",
        if s.database_url().starts_with("postgres") { "PostgreSQL" } else { "SQLite (embedded)" }
    );
    println!("  progress store: {}", if s.redis_url.is_some() { "Redis" } else { "in-process" });
    let state = app.state.clone();
    app.run_until_stopped().await?;
    // Save the watch progress of the last beats before exiting (the store may be in-process).
    let saved = xueshi::watching::flush_once(&state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    tracing::info!(saved, "watch progress flushed on shutdown");
    Ok(())
}
