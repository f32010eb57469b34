//! Transcodes a probed upload into a lecture's HLS directory, all or nothing: ffmpeg writes
//! into a staging directory next to the destination, which is renamed into place on success.

use super::MediaError;
use super::ffmpeg_job;
use super::hls_args::{MASTER_PLAYLIST, POSTER, RENDITIONS, VARIANT_PLAYLIST, hls_command};
use super::probe::MediaInfo;
use std::path::{Path, PathBuf};
use std::time::Duration;
use uuid::Uuid;

/// However short the video, a busy machine gets this long (`Settings::transcode_min_timeout_s`).
pub const MIN_TIMEOUT: Duration = Duration::from_secs(10 * 60);
/// Encoding two renditions at `veryfast` runs well above real time; 4x real time means stuck.
const TIMEOUT_PER_SOURCE_SECOND: f64 = 4.0;

#[derive(Debug, Clone, PartialEq)]
pub struct TranscodeOutput {
    /// The streamed length: the sum of the 360p playlist's segment durations.
    pub duration_s: f64,
    /// Rendition names, each a subdirectory holding `index.m3u8` and its segments.
    pub renditions: Vec<String>,
}

/// Transcodes `input` (already accepted by `probe`, which gave `source`) into `out_dir`:
/// `master.m3u8`, `360p/index.m3u8`, `720p/index.m3u8`, their `segment_NNN.ts`, and
/// `poster.jpg`. An existing `out_dir` is replaced only once the new output is complete.
#[tracing::instrument(skip(on_progress))]
pub async fn transcode_hls<F>(
    input: &Path,
    out_dir: &Path,
    source: &MediaInfo,
    on_progress: F,
) -> Result<TranscodeOutput, MediaError>
where
    F: FnMut(f64) + Send + 'static,
{
    transcode_hls_within(input, out_dir, source, MIN_TIMEOUT, on_progress).await
}

/// [`transcode_hls`], killing ffmpeg once it runs past `min_timeout` or 4x the source's length,
/// whichever is longer (a crafted input can make ffmpeg hang).
pub async fn transcode_hls_within<F>(
    input: &Path,
    out_dir: &Path,
    source: &MediaInfo,
    min_timeout: Duration,
    on_progress: F,
) -> Result<TranscodeOutput, MediaError>
where
    F: FnMut(f64) + Send + 'static,
{
    let staging = Staging::create(out_dir).await?;
    let command = hls_command(input, &staging.path, source);
    let timeout = min_timeout.max(Duration::from_secs_f64(source.duration_s.max(0.0) * TIMEOUT_PER_SOURCE_SECOND));
    ffmpeg_job::run(command, source.duration_s, timeout, on_progress).await?;
    let duration_s = check_output(&staging.path).await?;
    staging.commit(out_dir).await?;
    Ok(TranscodeOutput { duration_s, renditions: RENDITIONS.iter().map(|r| r.name.to_string()).collect() })
}

/// Confirms every file a player needs exists, and returns the playable duration.
async fn check_output(dir: &Path) -> Result<f64, MediaError> {
    let missing = |what: &Path| MediaError::TranscodeFailed(format!("no {}", what.display()));
    for file in [Path::new(MASTER_PLAYLIST), Path::new(POSTER)] {
        if !tokio::fs::try_exists(dir.join(file)).await? {
            return Err(missing(file));
        }
    }
    let mut durations = Vec::new();
    for rendition in &RENDITIONS {
        let playlist = Path::new(rendition.name).join(VARIANT_PLAYLIST);
        let text = tokio::fs::read_to_string(dir.join(&playlist)).await?;
        durations.push(playlist_duration(&text).ok_or_else(|| missing(&playlist))?);
    }
    durations.first().copied().ok_or_else(|| MediaError::TranscodeFailed("no renditions".into()))
}

/// Sums the `#EXTINF:<seconds>,` lines of a media playlist; `None` if it has no segments.
fn playlist_duration(playlist: &str) -> Option<f64> {
    let seconds: Vec<f64> = playlist
        .lines()
        .filter_map(|line| line.strip_prefix("#EXTINF:"))
        .filter_map(|rest| rest.split(',').next()?.trim().parse().ok())
        .collect();
    (!seconds.is_empty()).then(|| seconds.iter().sum())
}

/// A hidden sibling of the destination (same filesystem, so the final rename is atomic);
/// removed on drop unless committed.
struct Staging {
    path: PathBuf,
    committed: bool,
}

impl Staging {
    async fn create(out_dir: &Path) -> Result<Self, MediaError> {
        let path = sibling(out_dir, "partial")?;
        tokio::fs::create_dir_all(&path).await?;
        Ok(Self { path, committed: false })
    }

    async fn commit(mut self, out_dir: &Path) -> Result<(), MediaError> {
        // rename() cannot replace a non-empty directory: move the old output aside first.
        let previous = sibling(out_dir, "old")?;
        let had_previous = match tokio::fs::rename(out_dir, &previous).await {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(e.into()),
        };
        tokio::fs::rename(&self.path, out_dir).await?;
        self.committed = true;
        if had_previous {
            tokio::fs::remove_dir_all(&previous).await?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: a leftover hidden directory is harmless and never served.
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

fn sibling(out_dir: &Path, purpose: &str) -> Result<PathBuf, MediaError> {
    let parent = out_dir.parent().unwrap_or(Path::new("."));
    let name =
        out_dir.file_name().ok_or_else(|| MediaError::TranscodeFailed(format!("bad destination {out_dir:?}")))?;
    let name = name.to_string_lossy();
    Ok(parent.join(format!(".{name}.{purpose}-{}", Uuid::new_v4())))
}

#[cfg(test)]
mod tests;
