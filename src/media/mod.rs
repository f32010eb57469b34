//! Lecture media: probe uploads, transcode them to HLS, lay them out on disk, and authorise
//! streaming with signed URLs (课程视频: base institutions upload, learners stream on phones).

pub mod content_types;
mod ffmpeg_job;
mod hls_args;
pub mod probe;
pub mod signed_url;
pub mod storage;
pub mod transcode;

#[cfg(test)]
mod test_media;

pub use content_types::{content_type_for, safe_rel_path};
pub use probe::{MediaInfo, probe};
pub use signed_url::{StreamAuthError, StreamSecret, sign, stream_path, verify};
pub use storage::MediaRoot;
pub use transcode::{TranscodeOutput, transcode_hls, transcode_hls_within};

use std::time::Duration;

/// Demuxers we accept. Anything else (hls, concat, image2, png_pipe, mp3, ...) is refused
/// before ffmpeg opens it, because playlist-like formats can make ffmpeg read other files.
/// The names are ffmpeg's own demuxer names, as `format_name` reports them.
pub(crate) const ALLOWED_DEMUXERS: &[&str] = &["mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm", "avi", "mpegts", "flv"];

/// The same list in the form of ffmpeg's `-format_whitelist` option.
pub(crate) fn format_whitelist() -> String {
    ALLOWED_DEMUXERS.join(",")
}

const INSTALL_HINT: &str = "install it with `apt-get install ffmpeg`";

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The upload is not a playable video; the reason is for logs, not for clients.
    #[error("not a playable video: {0}")]
    NotAVideo(String),
    #[error("media tool did not finish within {0:?}")]
    Timeout(Duration),
    #[error("{0}")]
    ToolMissing(String),
    #[error("transcode failed: {0}")]
    TranscodeFailed(String),
    #[error("media file I/O: {0}")]
    Io(#[from] std::io::Error),
}

impl MediaError {
    /// Maps a spawn error: a missing binary gets the install hint, anything else stays I/O.
    pub(crate) fn from_spawn(tool: &std::path::Path, error: std::io::Error) -> Self {
        if error.kind() == std::io::ErrorKind::NotFound {
            MediaError::ToolMissing(format!("`{}` not found; {INSTALL_HINT}", tool.display()))
        } else {
            MediaError::Io(error)
        }
    }
}
