//! Content types of the files we serve, and the only way a request path becomes a file path.

use std::path::{Path, PathBuf};

/// Deep enough for `720p/segment_001.ts`; anything deeper is not ours.
const MAX_DEPTH: usize = 2;
const MAX_COMPONENT_LEN: usize = 64;
const MAX_PATH_LEN: usize = 128;

/// The content type to send for a media file; `None` means "do not serve it".
/// Set explicitly because actix-files guesses `audio/x-mpegurl` and `video/vnd.dlna.mpeg-tts`.
pub fn content_type_for(path: &Path) -> Option<&'static str> {
    match path.extension()?.to_str()? {
        "m3u8" => Some("application/vnd.apple.mpegurl"),
        "ts" => Some("video/mp2t"),
        "m4s" => Some("video/iso.segment"),
        "mp4" => Some("video/mp4"),
        "jpg" => Some("image/jpeg"),
        _ => None,
    }
}

/// Parses a relative path from a URL into one that cannot leave the lecture directory:
/// at most two components of `[A-Za-z0-9_.-]`, none empty, `.` or `..`, none hidden.
pub fn safe_rel_path(rel: &str) -> Option<PathBuf> {
    if rel.is_empty() || rel.len() > MAX_PATH_LEN {
        return None;
    }
    let components: Vec<&str> = rel.split('/').collect();
    if components.len() > MAX_DEPTH || !components.iter().all(|c| is_safe_component(c)) {
        return None;
    }
    Some(components.iter().collect())
}

fn is_safe_component(component: &str) -> bool {
    !component.is_empty()
        && component.len() <= MAX_COMPONENT_LEN
        && !component.starts_with('.')
        && component.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_of_hls_files() {
        let of = |p: &str| content_type_for(Path::new(p));
        assert_eq!(of("master.m3u8"), Some("application/vnd.apple.mpegurl"));
        assert_eq!(of("360p/segment_000.ts"), Some("video/mp2t"));
        assert_eq!(of("720p/chunk_1.m4s"), Some("video/iso.segment"));
        assert_eq!(of("init.mp4"), Some("video/mp4"));
        assert_eq!(of("poster.jpg"), Some("image/jpeg"));
        assert_eq!(of("lecture.upload"), None);
        assert_eq!(of("master"), None);
    }

    #[test]
    fn accepts_our_own_layout() {
        assert_eq!(safe_rel_path("master.m3u8"), Some(PathBuf::from("master.m3u8")));
        assert_eq!(safe_rel_path("720p/segment_012.ts"), Some(PathBuf::from("720p").join("segment_012.ts")));
    }

    #[test]
    fn refuses_escapes_and_oddities() {
        let long = "a".repeat(MAX_COMPONENT_LEN + 1);
        for bad in [
            "",
            "..",
            "../master.m3u8",
            "360p/../../etc/passwd",
            "/etc/passwd",
            "360p//segment.ts",
            "360p/",
            "./master.m3u8",
            ".hidden",
            "a/b/c.ts",
            "360p\\..\\x",
            "seg%2e%2e.ts",
            "段.ts",
            "master.m3u8\0",
            long.as_str(),
        ] {
            assert_eq!(safe_rel_path(bad), None, "{bad:?}");
        }
    }
}
