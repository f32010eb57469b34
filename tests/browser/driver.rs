//! Starts chromedriver on a free port and opens a phone-sized headless Chromium session.
use std::{net::TcpListener, path::PathBuf, process::Stdio, time::Duration};

use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use tokio::process::{Child, Command};

pub struct Browser {
    pub client: Client,
    _driver: Child,
    _profile: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A phone: `None` (with a loud message) when Chromium is not installed, unless services are required.
pub async fn open() -> Option<Browser> {
    open_sized(375, 812).await
}

/// A desktop browser window of the given size (no phone emulation above 600 px).
pub async fn open_sized(width: u32, height: u32) -> Option<Browser> {
    let chromium = PathBuf::from("/usr/bin/chromium");
    let chromedriver = PathBuf::from("/usr/bin/chromedriver");
    if !chromium.exists() || !chromedriver.exists() {
        let msg = "Chromium/chromedriver missing: apt-get install chromium chromium-driver";
        assert!(std::env::var("XUESHI_REQUIRE_SERVICES").as_deref() != Ok("1"), "{msg}");
        eprintln!("SKIPPED browser test: {msg}");
        return None;
    }
    let _ = rustls::crypto::ring::default_provider().install_default();
    let port = free_port();
    let driver = Command::new(&chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start chromedriver");
    let profile = tempfile::tempdir().unwrap();
    let mut caps = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--disable-quic", "--autoplay-policy=no-user-gesture-required",
                     format!("--user-data-dir={}", profile.path().display()), format!("--window-size={width},{height}")],
        }
    });
    if width <= 600 {
        caps["goog:chromeOptions"]["mobileEmulation"] = json!({
            "deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0},
            "userAgent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/156 Mobile Safari/537.36"
        });
    }
    let caps = caps.as_object().unwrap().clone();
    let url = format!("http://127.0.0.1:{port}");
    let mut last_err = None;
    for _ in 0..50 {
        match ClientBuilder::rustls().expect("rustls").capabilities(caps.clone()).connect(&url).await {
            Ok(client) => return Some(Browser { client, _driver: driver, _profile: profile }),
            Err(e) => last_err = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("could not open a WebDriver session: {last_err:?}");
}

impl Browser {
    pub async fn screenshot(&self, name: &str) {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}
