//! Decides whether an upload is a playable video, using `ffprobe` on our own stored copy.

use super::{ALLOWED_DEMUXERS, MediaError, format_whitelist};
use serde::Deserialize;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

const PROBE_TIMEOUT: Duration = Duration::from_secs(20);
/// Shorter clips are stills or junk, not lectures.
const MIN_DURATION_S: f64 = 0.5;
/// Codecs that only ever carry still images, whatever the container says.
const IMAGE_CODECS: &[&str] = &["png", "bmp", "gif", "webp", "tiff", "jpeg2000", "jpegls"];

#[derive(Debug, Clone, PartialEq)]
pub struct MediaInfo {
    pub duration_s: f64,
    pub width: u32,
    pub height: u32,
    pub has_video: bool,
    pub has_audio: bool,
    pub format_name: String,
}

/// Probes a file we stored ourselves (never a client-supplied path) and classifies it.
#[tracing::instrument]
pub async fn probe(path: &Path) -> Result<MediaInfo, MediaError> {
    // A vanished upload is our fault (I/O), not the uploader's (not a video).
    tokio::fs::metadata(path).await?;
    let json = run_ffprobe(path).await?;
    classify(&json)
}

async fn run_ffprobe(path: &Path) -> Result<Vec<u8>, MediaError> {
    let tool = ffmpeg_sidecar::ffprobe::ffprobe_path();
    // The `file:` prefix pins the protocol, so no path can be read as a URL or an option.
    let mut input = std::ffi::OsString::from("file:");
    input.push(path.as_os_str());
    let child = tokio::process::Command::new(&tool)
        .args(["-v", "error", "-protocol_whitelist", "file", "-format_whitelist"])
        .arg(format_whitelist())
        .args(["-show_format", "-show_streams", "-of", "json", "-i"])
        .arg(input)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| MediaError::from_spawn(&tool, e))?;
    // On timeout the output future is dropped, and kill_on_drop kills ffprobe.
    let output = tokio::time::timeout(PROBE_TIMEOUT, child.wait_with_output())
        .await
        .map_err(|_| MediaError::Timeout(PROBE_TIMEOUT))??;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(MediaError::NotAVideo(format!("ffprobe: {}", stderr.trim())))
    }
}

#[derive(Debug, Deserialize)]
struct ProbeOutput {
    #[serde(default)]
    streams: Vec<ProbeStream>,
    format: Option<ProbeFormat>,
}

#[derive(Debug, Deserialize)]
struct ProbeFormat {
    format_name: String,
    duration: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ProbeStream {
    codec_type: Option<String>,
    codec_name: Option<String>,
    width: Option<u32>,
    height: Option<u32>,
    duration: Option<String>,
    nb_frames: Option<String>,
    #[serde(default)]
    disposition: Disposition,
}

#[derive(Debug, Default, Deserialize)]
struct Disposition {
    #[serde(default)]
    attached_pic: u8,
    #[serde(default)]
    still_image: u8,
}

impl ProbeStream {
    fn is_audio(&self) -> bool {
        self.codec_type.as_deref() == Some("audio")
    }

    /// A moving picture: not cover art, not a still, not a one-frame image codec.
    fn is_real_video(&self) -> bool {
        let codec = self.codec_name.as_deref().unwrap_or_default();
        self.codec_type.as_deref() == Some("video")
            && self.disposition.attached_pic == 0
            && self.disposition.still_image == 0
            && !IMAGE_CODECS.contains(&codec)
            && self.nb_frames.as_deref() != Some("1")
            && self.width.unwrap_or(0) > 0
            && self.height.unwrap_or(0) > 0
    }
}

fn parse_seconds(text: Option<&str>) -> Option<f64> {
    text.and_then(|t| t.parse::<f64>().ok()).filter(|s| s.is_finite())
}

/// Classifies ffprobe's JSON; pure, so the fixtures in tests/fixtures/ffprobe test it.
pub(crate) fn classify(json: &[u8]) -> Result<MediaInfo, MediaError> {
    let output: ProbeOutput =
        serde_json::from_slice(json).map_err(|e| MediaError::NotAVideo(format!("unreadable ffprobe output: {e}")))?;
    let format = output.format.ok_or_else(|| MediaError::NotAVideo("no container format".into()))?;
    if !ALLOWED_DEMUXERS.contains(&format.format_name.as_str()) {
        let reason = format!("container `{}` is not allowed", format.format_name);
        return Err(MediaError::NotAVideo(reason));
    }
    let video = output
        .streams
        .iter()
        .find(|s| s.is_real_video())
        .ok_or_else(|| MediaError::NotAVideo("no video stream".into()))?;
    let duration_s =
        parse_seconds(format.duration.as_deref()).or_else(|| parse_seconds(video.duration.as_deref())).unwrap_or(0.0);
    if duration_s <= MIN_DURATION_S {
        return Err(MediaError::NotAVideo(format!("too short: {duration_s} s")));
    }
    Ok(MediaInfo {
        duration_s,
        width: video.width.unwrap_or(0),
        height: video.height.unwrap_or(0),
        has_video: true,
        has_audio: output.streams.iter().any(ProbeStream::is_audio),
        format_name: format.format_name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::test_media;

    fn fixture(name: &str) -> Vec<u8> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ffprobe");
        std::fs::read(Path::new(dir).join(name)).unwrap()
    }

    fn assert_not_a_video(result: Result<MediaInfo, MediaError>) {
        assert!(matches!(result, Err(MediaError::NotAVideo(_))), "{result:?}");
    }

    #[test]
    fn fixtures_of_real_videos_are_accepted() {
        let mp4 = classify(&fixture("mp4_h264_aac.json")).unwrap();
        assert_eq!((mp4.width, mp4.height, mp4.has_audio), (640, 360, true));
        assert!((mp4.duration_s - 10.0).abs() < 0.01);
        let silent = classify(&fixture("mp4_h264_no_audio.json")).unwrap();
        assert!(silent.has_video && !silent.has_audio);
        let webm = classify(&fixture("webm_vp8_vorbis.json")).unwrap();
        assert_eq!(webm.format_name, "matroska,webm");
        assert!((webm.duration_s - 3.0).abs() < 0.05);
    }

    #[test]
    fn fixtures_of_non_videos_are_refused() {
        for name in [
            "hls_playlist_renamed_mp4.json",
            "png_renamed_mp4.json",
            "m4a_audio_with_cover_art.json",
            "mp4_single_frame.json",
        ] {
            assert_not_a_video(classify(&fixture(name)));
        }
        assert_not_a_video(classify(b"{}"));
        assert_not_a_video(classify(b"not json"));
    }

    #[tokio::test]
    async fn probes_a_generated_video() {
        let dir = tempfile::tempdir().unwrap();
        let path = test_media::video(dir.path(), 10, true);
        let info = probe(&path).await.unwrap();
        assert_eq!((info.width, info.height), (640, 360));
        assert!(info.has_video && info.has_audio);
        assert!((info.duration_s - 10.0).abs() < 0.1, "{}", info.duration_s);
    }

    #[tokio::test]
    async fn refuses_text_renamed_mp4() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lecture.mp4");
        std::fs::write(&path, "第一讲 讲义, not a video\n").unwrap();
        assert_not_a_video(probe(&path).await);
    }

    #[tokio::test]
    async fn refuses_playlist_pointing_at_local_files() {
        let dir = tempfile::tempdir().unwrap();
        let segment = test_media::video(dir.path(), 2, true);
        let path = dir.path().join("upload.mp4");
        let playlist = format!(
            "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\nfile:///etc/passwd\n\
             #EXTINF:2.0,\nfile://{}\n#EXT-X-ENDLIST\n",
            segment.display()
        );
        std::fs::write(&path, playlist).unwrap();
        assert_not_a_video(probe(&path).await);
    }

    #[tokio::test]
    async fn refuses_png() {
        let dir = tempfile::tempdir().unwrap();
        let path = test_media::png(dir.path());
        assert_not_a_video(probe(&path).await);
        let renamed = dir.path().join("still.mp4");
        std::fs::copy(&path, &renamed).unwrap();
        assert_not_a_video(probe(&renamed).await);
    }

    #[tokio::test]
    async fn missing_file_is_an_io_error() {
        let result = probe(Path::new("/nonexistent/upload.mp4")).await;
        assert!(matches!(result, Err(MediaError::Io(_))), "{result:?}");
    }
}
