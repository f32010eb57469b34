//! Runs one ffmpeg process: bounded in time, killed if abandoned, progress reported,
//! stderr errors kept for the failure message.

use super::MediaError;
use ffmpeg_sidecar::child::FfmpegChild;
use ffmpeg_sidecar::command::FfmpegCommand;
use ffmpeg_sidecar::event::{FfmpegEvent, LogLevel};
use ffmpeg_sidecar::ffmpeg_time_duration::FfmpegTimeDuration;
use ffmpeg_sidecar::iter::FfmpegIterator;
use std::collections::VecDeque;
use std::time::Duration;

/// Enough of stderr to explain a failure without storing a whole log in a job row.
const KEPT_ERROR_LINES: usize = 12;

/// Kills and reaps ffmpeg when dropped: on timeout, on error, or when the caller gives up.
struct KillOnDrop(FfmpegChild);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        // Both fail harmlessly once the process has exited and been reaped.
        let _ = self.0.kill();
        let _ = self.0.as_inner_mut().wait();
    }
}

/// Runs `command` to completion, calling `on_progress` with a rising fraction of
/// `duration_s` in [0, 1) as ffmpeg reports it, and 1.0 once it succeeded.
pub(crate) async fn run<F>(
    mut command: FfmpegCommand,
    duration_s: f64,
    timeout: Duration,
    on_progress: F,
) -> Result<(), MediaError>
where
    F: FnMut(f64) + Send + 'static,
{
    let tool = ffmpeg_sidecar::paths::ffmpeg_path();
    let child = command.spawn().map_err(|e| MediaError::from_spawn(&tool, e))?;
    let mut child = KillOnDrop(child);
    let events = child.0.iter().map_err(|e| MediaError::TranscodeFailed(e.to_string()))?;
    // ffmpeg-sidecar's event iterator blocks, so it gets a blocking thread; it ends when
    // ffmpeg closes stderr, i.e. when it exits or is killed.
    let follow = tokio::task::spawn_blocking(move || follow(events, duration_s, on_progress));
    let (errors, mut on_progress) = tokio::time::timeout(timeout, follow)
        .await
        .map_err(|_| MediaError::Timeout(timeout))?
        .map_err(|e| MediaError::TranscodeFailed(format!("event reader: {e}")))?;
    let status = tokio::task::spawn_blocking(move || child.0.as_inner_mut().wait())
        .await
        .map_err(|e| MediaError::TranscodeFailed(format!("waiting for ffmpeg: {e}")))??;
    if !status.success() {
        let errors = Vec::from(errors).join("\n");
        return Err(MediaError::TranscodeFailed(format!("ffmpeg {status}: {errors}")));
    }
    on_progress(1.0);
    Ok(())
}

fn follow<F: FnMut(f64)>(events: FfmpegIterator, duration_s: f64, mut on_progress: F) -> (VecDeque<String>, F) {
    let mut errors = VecDeque::with_capacity(KEPT_ERROR_LINES);
    let mut reported = 0.0;
    for event in events {
        match event {
            FfmpegEvent::Progress(progress) => {
                let fraction = fraction_done(&progress.time, duration_s);
                if fraction > reported {
                    reported = fraction;
                    on_progress(fraction);
                }
            }
            FfmpegEvent::Log(LogLevel::Error | LogLevel::Fatal, line) | FfmpegEvent::Error(line) => {
                if errors.len() == KEPT_ERROR_LINES {
                    errors.pop_front();
                }
                errors.push_back(line);
            }
            _ => {}
        }
    }
    (errors, on_progress)
}

/// ffmpeg's `time=` over the source duration; held below 1.0 because the muxers
/// still have to finish after the last frame is read.
fn fraction_done(time: &str, duration_s: f64) -> f64 {
    let Some(elapsed) = FfmpegTimeDuration::from_str(time) else {
        return 0.0;
    };
    if duration_s <= 0.0 {
        return 0.0;
    }
    (elapsed.as_seconds() / duration_s).clamp(0.0, 0.99)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn fraction_of_ffmpeg_times() {
        assert!((fraction_done("00:00:05.00", 10.0) - 0.5).abs() < 1e-9);
        assert_eq!(fraction_done("00:01:00.00", 10.0), 0.99);
        assert_eq!(fraction_done("N/A", 10.0), 0.0);
        assert_eq!(fraction_done("-00:00:00.04", 10.0), 0.0);
    }

    #[tokio::test]
    async fn a_slow_run_is_killed_at_the_timeout() {
        let mut command = FfmpegCommand::new();
        // -re reads the endless test source in real time, so only the timeout can stop it.
        command.args(["-nostdin", "-re", "-f", "lavfi", "-i", "testsrc", "-f", "null", "-"]);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = seen.clone();
        let started = std::time::Instant::now();
        let limit = Duration::from_secs(2);
        let result = run(command, 60.0, limit, move |p| sink.lock().unwrap().push(p)).await;
        assert!(matches!(result, Err(MediaError::Timeout(_))), "{result:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(seen.lock().unwrap().iter().all(|p| *p < 0.1));
    }

    #[tokio::test]
    async fn a_failing_run_reports_ffmpeg_errors() {
        let mut command = FfmpegCommand::new();
        command.args(["-nostdin", "-i", "file:/nonexistent/input.mp4", "-f", "null", "-"]);
        let result = run(command, 10.0, Duration::from_secs(20), |_| {}).await;
        let Err(MediaError::TranscodeFailed(message)) = result else {
            panic!("{result:?}");
        };
        assert!(message.contains("No such file"), "{message}");
    }
}
