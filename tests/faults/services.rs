//! This test's own redis-server and PostgreSQL cluster, on free ports in a temporary
//! directory, that the scenarios may kill, flush and restart at will.
use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

fn on_path(tool: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(tool)).find(|p| p.is_file())
}

/// The newest PostgreSQL server binaries on this machine (Debian keeps them off PATH).
fn postgres_bin() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").is_file() && bin.join("pg_ctl").is_file())
        .collect();
    dirs.sort_by_key(|d| d.parent().and_then(|v| v.file_name()?.to_str()?.parse::<u32>().ok()).unwrap_or(0));
    dirs.pop().or_else(|| on_path("initdb").and_then(|p| p.parent().map(Path::to_path_buf)))
}

/// Whether the service scenarios can run: SKIPPED loudly, or a failure when required.
pub fn tools_available(scenario: &str) -> bool {
    let missing: Vec<&str> =
        [("redis-server", on_path("redis-server").is_some()), ("PostgreSQL", postgres_bin().is_some())]
            .into_iter()
            .filter_map(|(tool, found)| (!found).then_some(tool))
            .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var("XUESHI_REQUIRE_SERVICES").ok().as_deref() != Some("1"),
        "XUESHI_REQUIRE_SERVICES=1 but {missing:?} binaries are missing ({scenario})"
    );
    eprintln!(
        "\n*** SKIPPED {scenario}: {missing:?} not installed; set XUESHI_REQUIRE_SERVICES=1 to fail instead ***\n"
    );
    false
}

/// Waits until `ready` holds, panicking after `within`.
pub fn wait_until(what: &str, within: Duration, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(start.elapsed() < within, "{what}: not ready after {within:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn port_open(port: u16) -> bool {
    std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
}

/// A redis-server without persistence, so a restart starts empty (as a crash of a cache does).
pub struct OwnRedis {
    pub port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

impl OwnRedis {
    pub fn start(dir: &Path) -> Self {
        let mut redis = Self { port: free_port(), dir: dir.to_path_buf(), child: None };
        redis.restart();
        redis
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "redis already running");
        let log = std::fs::File::create(self.dir.join("redis.log")).expect("redis log");
        let child = Command::new(on_path("redis-server").expect("redis-server"))
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(log)
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn redis-server");
        self.child = Some(child);
        wait_until("redis-server", Duration::from_secs(10), || port_open(self.port));
    }

    /// SIGKILL: the process dies with everything it held.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }

    pub async fn flushall(&self) {
        let client = redis::Client::open(self.url()).expect("redis url");
        let mut conn = client.get_multiplexed_async_connection().await.expect("redis");
        let () = redis::cmd("FLUSHALL").query_async(&mut conn).await.expect("FLUSHALL");
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A PostgreSQL cluster of its own (initdb in a temporary directory). PostgreSQL refuses to
/// run as root, so as root its tools run as the `postgres` user.
pub struct OwnPostgres {
    pub port: u16,
    bin: PathBuf,
    dir: PathBuf,
    running: bool,
}

impl OwnPostgres {
    pub fn start(dir: &Path) -> Self {
        let dir = dir.join("pg");
        std::fs::create_dir_all(&dir).expect("pg dir");
        let pg = Self { port: free_port(), bin: postgres_bin().expect("postgres binaries"), dir, running: false };
        pg.hand_to_postgres_user();
        let data = pg.dir.join("data");
        pg.run("initdb", &["-D", path_str(&data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
        let mut pg = pg;
        pg.restart();
        pg
    }

    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    fn as_root() -> bool {
        Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0")
    }

    fn hand_to_postgres_user(&self) {
        if Self::as_root() {
            // The temporary directory's parents must be traversable, and ours owned by postgres.
            for dir in self.dir.ancestors().skip(1).take(2) {
                Command::new("chmod").arg("o+x").arg(dir).status().ok();
            }
            let ok = Command::new("chown").args(["-R", "postgres:postgres"]).arg(&self.dir).status();
            assert!(ok.is_ok_and(|s| s.success()), "chown to postgres");
        }
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let program = self.bin.join(tool);
        let mut command = if Self::as_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        let out = command.args(args).stdin(Stdio::null()).output().expect(tool);
        assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    pub fn restart(&mut self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            self.port,
            self.dir.display()
        );
        let (data, log) = (self.dir.join("data"), self.dir.join("postgres.log"));
        self.run("pg_ctl", &["-D", path_str(&data), "-o", &options, "-l", path_str(&log), "-w", "start"]);
        self.running = true;
    }

    /// Immediate shutdown: every connection is cut as in a crash; recovery runs on restart.
    pub fn stop(&mut self) {
        if self.running {
            let data = self.dir.join("data");
            self.run("pg_ctl", &["-D", path_str(&data), "-m", "immediate", "-w", "stop"]);
            self.running = false;
        }
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        self.stop();
    }
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Both services in one temporary directory.
pub struct Services {
    pub redis: OwnRedis,
    pub pg: OwnPostgres,
    pub dir: tempfile::TempDir,
}

impl Services {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let pg = OwnPostgres::start(dir.path());
        let redis = OwnRedis::start(dir.path());
        Self { redis, pg, dir }
    }
}
