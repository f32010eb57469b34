//! The real binary as a child process: started, SIGKILLed and restarted on the same port,
//! database and media directory; its peak memory read from /proc.
use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use crate::services::{free_port, wait_until};

pub const ADMIN_PASSWORD: &str = "Admin#Passw0rd";

/// How the child is configured: a database, optionally Redis, and extra `XUESHI_*` settings.
#[derive(Clone, Debug, Default)]
pub struct AppConfig {
    pub database_url: Option<String>,
    pub redis_url: Option<String>,
    /// Put first on the child's PATH (fake ffmpeg/ffprobe wrappers).
    pub path_prefix: Option<PathBuf>,
    pub env: Vec<(String, String)>,
}

pub struct AppProcess {
    pub port: u16,
    pub dir: PathBuf,
    config: AppConfig,
    child: Option<Child>,
    starts: u32,
}

impl AppProcess {
    /// Starts the app in `dir` (its data, media and logs) and waits until /healthz answers.
    pub fn start(dir: &Path, config: AppConfig) -> Self {
        let mut app = Self { port: free_port(), dir: dir.to_path_buf(), config, child: None, starts: 0 };
        app.restart();
        app
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("app running").id()
    }

    pub fn media_dir(&self) -> PathBuf {
        self.dir.join("media")
    }

    pub fn database_url(&self) -> String {
        self.config
            .database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}/data/xueshi.sqlite?mode=rwc", self.dir.display()))
    }

    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "app already running");
        self.starts += 1;
        let log = std::fs::File::create(self.dir.join(format!("app{}.log", self.starts))).expect("log");
        let mut command = Command::new(env!("CARGO_BIN_EXE_xueshi"));
        command
            .arg("serve")
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log);
        for (key, _) in std::env::vars() {
            if key.starts_with("XUESHI_") || key == "DATABASE_URL" || key == "REDIS_URL" {
                command.env_remove(key);
            }
        }
        command.envs(self.env());
        if let Some(prefix) = &self.config.path_prefix {
            let path = std::env::var("PATH").unwrap_or_default();
            command.env("PATH", format!("{}:{path}", prefix.display()));
        }
        self.child = Some(command.spawn().expect("spawn xueshi"));
        let url = format!("127.0.0.1:{}", self.port);
        wait_until("xueshi /healthz", Duration::from_secs(90), || {
            self.assert_alive();
            healthz(&url)
        });
    }

    fn env(&self) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> = [
            ("XUESHI_BIND", format!("127.0.0.1:{}", self.port)),
            ("XUESHI_DATA_DIR", self.dir.join("data").display().to_string()),
            ("XUESHI_MEDIA_DIR", self.media_dir().display().to_string()),
            ("XUESHI_JWT_SECRET", "faults-jwt-secret-0123456789abcdef0123".into()),
            ("XUESHI_PII_KEY", "faults-pii-key-0123456789abcdef01234567".into()),
            ("XUESHI_DEMO", "0".into()),
            ("XUESHI_ADMIN_PASSWORD", ADMIN_PASSWORD.into()),
            ("XUESHI_PROGRESS_FLUSH_MS", "200".into()),
            ("XUESHI_PASSWORD_HASH_CONCURRENCY", "4".into()),
            ("RUST_LOG", "warn".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        env.push(("DATABASE_URL".into(), self.database_url()));
        if let Some(redis) = &self.config.redis_url {
            env.push(("REDIS_URL".into(), redis.clone()));
        }
        env.extend(self.config.env.iter().cloned());
        env
    }

    fn assert_alive(&mut self) {
        if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
            panic!("xueshi exited with {status}:\n{}", self.log());
        }
    }

    /// What the running (or last) app process logged, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join(format!("app{}.log", self.starts))).unwrap_or_default()
    }

    /// SIGKILL: no shutdown hook, no flush, no goodbye.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().ok();
            child.wait().ok();
        }
    }

    /// Peak resident memory of the app process so far (VmHWM), in KiB.
    pub fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).expect("/proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM")
    }
}

impl Drop for AppProcess {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// A bare HTTP/1.0 GET, so waiting for start-up needs no runtime.
fn healthz(addr: &str) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(addr) else { return false };
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok();
    if stream.write_all(b"GET /healthz HTTP/1.0\r\nHost: x\r\n\r\n").is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.ends_with(b"200")
}
