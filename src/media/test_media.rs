//! Test inputs generated with ffmpeg's own test sources, so no binary fixtures are committed.

use std::path::{Path, PathBuf};
use std::process::Command;

fn ffmpeg(args: &[&str]) {
    let status = Command::new("ffmpeg").args(["-nostdin", "-v", "error", "-y"]).args(args).status().unwrap();
    assert!(status.success(), "ffmpeg {args:?}");
}

/// A 640x360 test-pattern video of `seconds`, with a sine tone when `with_audio`.
pub fn video(dir: &Path, seconds: u32, with_audio: bool) -> PathBuf {
    video_sized(dir, seconds, with_audio, "640x360")
}

pub fn video_sized(dir: &Path, seconds: u32, with_audio: bool, size: &str) -> PathBuf {
    let name = if with_audio { "tone.mp4" } else { "silent.mp4" };
    let path = dir.join(name);
    let video = format!("testsrc=duration={seconds}:size={size}:rate=25");
    let audio = format!("sine=duration={seconds}");
    let out = path.to_str().unwrap();
    if with_audio {
        let args = ["-f", "lavfi", "-i", &video, "-f", "lavfi", "-i", &audio];
        ffmpeg(&[&args[..], &["-shortest", "-pix_fmt", "yuv420p", out]].concat());
    } else {
        ffmpeg(&["-f", "lavfi", "-i", &video, "-pix_fmt", "yuv420p", out]);
    }
    path
}

pub fn png(dir: &Path) -> PathBuf {
    let path = dir.join("still.png");
    let out = path.to_str().unwrap();
    ffmpeg(&["-f", "lavfi", "-i", "testsrc=size=320x240", "-frames:v", "1", out]);
    path
}
