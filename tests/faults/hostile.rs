//! Hostile files against the real binary, with its peak memory (VmHWM) measured: videos that
//! are not videos or point at local files, an ffmpeg that hangs, path-traversal, NUL and
//! 1000-character file names, .xlsx bombs, oversized uploads. Each is refused with a clear
//! error or stored safely, the job queue keeps running, and memory stays bounded.
use std::{
    io::Write,
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use reqwest::{
    StatusCode,
    multipart::{Form, Part},
};
use serde_json::{Value, json};

use crate::{
    app::{AppConfig, AppProcess},
    client::{Answer, Api},
};

/// What the hostile files may add to the app's peak resident memory (the uploads in this test
/// total ~40 MiB; all of it held at once would be a bug).
const PEAK_GROWTH_BOUND_MIB: u64 = 64;
/// The debug binary's peak after start-up and logins (argon2 takes ~19 MiB a hash) is ~280 MiB.
const PEAK_RSS_BOUND_MIB: u64 = 384;
const MAX_UPLOAD_MB: usize = 4;

fn real_tool(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file()).unwrap_or_else(|| panic!("{name} missing"))
}

/// ffprobe and ffmpeg wrappers that log their arguments; ffmpeg hangs on its first run (as on a
/// crafted input), replaced by `sleep` so the app's kill reaches the hanging process itself.
fn fake_tools(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let (ffprobe, ffmpeg) = (real_tool("ffprobe"), real_tool("ffmpeg"));
    let d = dir.display();
    let scripts = [
        ("ffprobe", format!("#!/bin/sh\necho \"$*\" >> {d}/ffprobe.args\nexec {} \"$@\"\n", ffprobe.display())),
        (
            "ffmpeg",
            format!(
                "#!/bin/sh\necho \"$*\" >> {d}/ffmpeg.args\nif [ ! -e {d}/hung ]; then : > {d}/hung; exec sleep 600; fi\nexec {} \"$@\"\n",
                ffmpeg.display()
            ),
        ),
    ];
    for (name, text) in scripts {
        let path = bin.join(name);
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

fn test_video(dir: &Path) -> Vec<u8> {
    let path = dir.join("source.mp4");
    let status = std::process::Command::new(real_tool("ffmpeg"))
        .args(["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=2:size=160x90:rate=15"])
        .args(["-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast"])
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read(path).unwrap()
}

struct Cast {
    api: Api,
    admin: String,
    base_admin: String,
    learner: String,
    course: i64,
}

async fn cast(api: Api) -> Cast {
    let admin = api.admin().await;
    let bureau = api.create_org(&admin, "人社局", "hr_bureau", None).await;
    let base = api.create_org(&admin, "基地", "base", Some(bureau)).await;
    let employer = api.create_org(&admin, "医院", "employer", Some(bureau)).await;
    let (base_admin, _) = api.user(&admin, "base_admin", "base_admin", Some(base)).await;
    let (learner, _) = api.user(&admin, &xueshi::demo::demo_id_number(901), "learner", Some(employer)).await;
    let body = json!({"title": "知识产权保护", "category": "public_required", "year": 2026, "hours": 1.0,
                      "teacher": "王老师", "description": ""});
    let course = api.post("/api/v1/courses", Some(&base_admin), body).await;
    assert_eq!(course.status, StatusCode::CREATED, "{course:?}");
    Cast { course: course.id(), api, admin, base_admin, learner }
}

impl Cast {
    async fn upload_lecture(&self, file_name: &str, bytes: Vec<u8>) -> Answer {
        let part = Part::bytes(bytes).file_name(file_name.to_owned()).mime_str("video/mp4").unwrap();
        let form = Form::new().text("title", "第一讲").part("file", part);
        self.api.multipart(&format!("/api/v1/courses/{}/lectures", self.course), &self.base_admin, form).await
    }

    async fn import_bank(&self, file_name: &str, bytes: Vec<u8>) -> Answer {
        let form = Form::new().text("name", "题库").part("file", Part::bytes(bytes).file_name(file_name.to_owned()));
        self.api.multipart("/api/v1/question-banks", &self.admin, form).await
    }

    async fn declare(&self, files: Vec<(String, Vec<u8>)>) -> Answer {
        let data = json!({"kind": "conference", "year": 2026, "title": "学术年会", "days": 1, "hours": 6});
        let mut form = Form::new().text("data", data.to_string());
        for (name, bytes) in files {
            form = form.part("evidence", Part::bytes(bytes).file_name(name).mime_str("image/png").unwrap());
        }
        self.api.multipart("/api/v1/declarations", &self.learner, form).await
    }

    /// Waits for a job to leave `queued`/`running` at least once with an outcome.
    async fn job_settled(&self, id: i64, settled: impl Fn(&Value) -> bool) -> Value {
        let start = Instant::now();
        loop {
            let job = self.api.get(&format!("/api/v1/jobs/{id}"), Some(&self.base_admin)).await;
            assert_eq!(job.status, StatusCode::OK, "{job:?}");
            if settled(&job.body) {
                return job.body;
            }
            assert!(start.elapsed() < Duration::from_secs(90), "job {id} stuck: {job:?}");
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/banks/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// A well-formed zip of 100,000 empty parts named like an .xlsx.
fn xlsx_with_100k_entries() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..100_000 {
        zip.start_file(format!("x/{i}"), stored).unwrap();
    }
    zip.start_file("[Content_Types].xml", stored).unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.finish().unwrap().into_inner()
}

fn files_named_like(root: &Path, needle: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            if entry.file_name().to_string_lossy().contains(needle) {
                found.push(path);
            }
        }
    }
    found
}

fn assert_refused(a: &Answer, status: StatusCode, code: &str, what: &str) {
    assert_eq!((a.status, a.code()), (status, code), "{what}: {a:?}");
    assert!(a.body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: {a:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hostile_files_are_refused_with_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let config = AppConfig {
        path_prefix: Some(fake_tools(dir.path())),
        env: vec![
            ("XUESHI_MAX_UPLOAD_MB".into(), MAX_UPLOAD_MB.to_string()),
            ("XUESHI_TRANSCODE_MIN_TIMEOUT_S".into(), "3".into()),
        ],
        ..AppConfig::default()
    };
    let app = AppProcess::start(dir.path(), config);
    let c = cast(Api::new(app.base_url())).await;
    let start_rss = app.peak_rss_kib();

    not_videos(&c, &app, dir.path()).await;
    hung_ffmpeg_and_hostile_names(&c, &app, dir.path()).await;
    hostile_evidence(&c, &app).await;
    hostile_spreadsheets(&c).await;

    let peak = app.peak_rss_kib();
    eprintln!("hostile files: app peak RSS {} MiB (after start-up: {} MiB)", peak / 1024, start_rss / 1024);
    assert!(peak / 1024 < PEAK_RSS_BOUND_MIB, "peak RSS {} MiB over {PEAK_RSS_BOUND_MIB} MiB", peak / 1024);
    let growth = (peak - start_rss) / 1024;
    assert!(growth < PEAK_GROWTH_BOUND_MIB, "hostile files grew the peak by {growth} MiB");
}

/// A text file and an HLS playlist pointing at /etc/passwd, both named .mp4: 422, nothing
/// kept, and ffprobe only ever ran with the file protocol and the container whitelist.
async fn not_videos(c: &Cast, app: &AppProcess, dir: &Path) {
    let text = "第一讲 讲义 (not a video)\n".repeat(200).into_bytes();
    assert_refused(
        &c.upload_lecture("lecture.mp4", text).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_media",
        "text",
    );
    let playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n";
    let r = c.upload_lecture("lecture.mp4", playlist.as_bytes().to_vec()).await;
    assert_refused(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_media", "HLS playlist");
    assert!(!r.body.to_string().contains("root:"), "the answer leaks /etc/passwd: {r:?}");
    let probes = std::fs::read_to_string(dir.join("ffprobe.args")).unwrap();
    for line in probes.lines() {
        assert!(line.contains("-protocol_whitelist file -format_whitelist"), "ffprobe ran unrestricted: {line}");
        assert!(!line.contains("hls") && line.contains(" -i file:"), "{line}");
    }
    assert!(!dir.join("ffmpeg.args").exists(), "ffmpeg ran on a refused upload");
    let uploads = std::fs::read_dir(app.media_dir().join("uploads")).unwrap().count();
    assert_eq!(uploads, 0, "refused uploads left files behind");
    let big = vec![0u8; (MAX_UPLOAD_MB + 1) * 1024 * 1024];
    assert_refused(&c.upload_lecture("big.mp4", big).await, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "big");
}

/// Three real videos under hostile names: the first transcode hangs and is killed at the
/// timeout with a clear error, the queue goes on with the others, and no name reaches a path.
async fn hung_ffmpeg_and_hostile_names(c: &Cast, app: &AppProcess, dir: &Path) {
    let video = test_video(dir);
    let marker = format!("xueshi-evil-{}", uuid::Uuid::new_v4().simple());
    let names = [
        format!("../../../../../../tmp/{marker}.mp4"),
        format!("{marker}\0.mp4"),
        format!("{}.mp4", "长".repeat(1000)),
        "ok.mp4".to_owned(),
    ];
    let mut jobs = Vec::new();
    for name in &names {
        let r = c.upload_lecture(name, video.clone()).await;
        // Stored under a generated key (202), or the form refused as malformed; never a 5xx.
        if r.status == StatusCode::BAD_REQUEST {
            assert!(r.code() == "bad_request" && !name.starts_with("..") && name != "ok.mp4", "{name:?}: {r:?}");
            continue;
        }
        assert_eq!(r.status, StatusCode::ACCEPTED, "{name:?}: {r:?}");
        jobs.push(r.body["job"]["id"].as_i64().unwrap());
    }
    assert!(jobs.len() >= 2);
    let hung = c.job_settled(jobs[0], |j| j["error"].is_string()).await;
    let error = hung["error"].as_str().unwrap();
    assert!(error.contains("did not finish within"), "the hung transcode's error: {hung}");
    assert!(matches!(hung["status"].as_str(), Some("queued" | "failed")), "{hung}");
    for id in &jobs[1..] {
        let done = c.job_settled(*id, |j| j["status"] == "done" || j["status"] == "failed").await;
        assert_eq!(done["status"], "done", "the queue kept running after the hang: {done}");
    }
    let ffmpeg = std::fs::read_to_string(dir.join("ffmpeg.args")).unwrap();
    assert!(ffmpeg.lines().all(|l| l.contains("-protocol_whitelist file")), "{ffmpeg}");
    assert!(!Path::new(&format!("/tmp/{marker}.mp4")).exists(), "a client file name became a path");
    assert!(files_named_like(&app.dir, &marker).is_empty(), "a client file name reached the disk");
}

/// Evidence under traversal, NUL and 1000-character names is stored under generated keys
/// with a cleaned display name; an oversized file is a 413.
async fn hostile_evidence(c: &Cast, app: &AppProcess) {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    let names =
        ["../../../../etc/cron.d/evil.png".to_owned(), "a\0b.png".to_owned(), format!("{}.png", "x".repeat(1000))];
    let mut stored = 0;
    for name in names {
        let r = c.declare(vec![(name.clone(), PNG.to_vec())]).await;
        if r.status == StatusCode::BAD_REQUEST {
            assert!(r.code() == "bad_request" && !name.starts_with(".."), "{name:?}: {r:?}");
            continue;
        }
        assert_eq!(r.status, StatusCode::CREATED, "{name:?}: {r:?}");
        let view = c.api.get(&format!("/api/v1/declarations/{}", r.id()), Some(&c.learner)).await;
        let e = &view.body["evidence"][0];
        let shown = e["name"].as_str().unwrap();
        assert!(!shown.contains(['/', '\\', '\0']) && shown.chars().count() <= 255, "display name {shown:?}");
        let file = c.api.get(e["url"].as_str().unwrap(), Some(&c.learner)).await;
        assert_eq!(file.status, StatusCode::OK);
        stored += 1;
    }
    assert!(stored >= 2);
    assert!(files_named_like(&app.dir, "evil").is_empty());
    let mut big = PNG.to_vec();
    big.resize(11 * 1024 * 1024, 0);
    let r = c.declare(vec![("big.png".into(), big)]).await;
    assert_refused(&r, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "evidence over 10 MiB");
}

/// Bank imports: zip bombs (honest and lying sizes), 100k parts, a cell at XFD1048576, a
/// sheet claiming a million rows, formula cells: 422 invalid_bank with a reason each.
async fn hostile_spreadsheets(c: &Cast) {
    let many = xlsx_with_100k_entries();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("zip_bomb.xlsx", fixture("zip_bomb.xlsx"), "more than 100:1"),
        ("zip_bomb_lying_sizes.xlsx", fixture("zip_bomb_lying_sizes.xlsx"), "corrupt"),
        ("lying_dimension.xlsx", fixture("lying_dimension.xlsx"), "XFD1048576"),
        ("huge_dimension.xlsx", fixture("huge_dimension.xlsx"), "1048576 rows"),
        ("formula.xlsx", fixture("formula.xlsx"), "formula"),
        ("many.xlsx", many, "parts"),
    ];
    for (name, bytes, reason) in cases {
        let size = bytes.len();
        let r = c.import_bank(name, bytes).await;
        assert_refused(&r, StatusCode::UNPROCESSABLE_ENTITY, "invalid_bank", name);
        assert!(r.body.to_string().contains(reason), "{name} ({size} bytes): {r:?}");
        assert!(r.took < Duration::from_secs(10), "{name} took {:?}", r.took);
    }
    let banks = c.api.get("/api/v1/question-banks", Some(&c.admin)).await;
    assert!(banks.body.to_string().matches("\"id\"").count() == 0, "a refused bank was stored: {banks:?}");
}
