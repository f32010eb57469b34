//! Evidence files (证明材料): PDF, JPEG or PNG, recognised by their first bytes (never by the
//! name or the Content-Type the client claims), size-limited, and stored by a random uuid under
//! `<data_dir>/evidence/`, outside the web root and the media directory. Staged files are
//! deleted again unless the declaration that owns them is committed.
use std::path::{Path, PathBuf};

use uuid::Uuid;

pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_FILES: usize = 5;
const MAX_NAME_CHARS: usize = 100;

/// The content type of a file from its first bytes; `None`: not a kind we accept.
pub fn sniff(head: &[u8]) -> Option<&'static str> {
    const PDF: &[u8] = b"%PDF-";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    const JPEG: &[u8] = b"\xFF\xD8\xFF";
    if head.starts_with(PDF) {
        Some("application/pdf")
    } else if head.starts_with(PNG) {
        Some("image/png")
    } else if head.starts_with(JPEG) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// Bytes needed before [`sniff`] can decide.
pub const SNIFF_LEN: usize = 8;

pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("evidence")
}

/// The stored file of a key; `None` when the key is not a uuid we could have generated.
pub fn path_of(data_dir: &Path, key: &str) -> Option<PathBuf> {
    let id = Uuid::parse_str(key).ok()?;
    Some(dir(data_dir).join(id.hyphenated().to_string()))
}

/// The client's file name, for display only: last path component, printable, bounded.
pub fn display_name(raw: Option<&str>) -> String {
    let last = raw.unwrap_or("").rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last.chars().filter(|c| !c.is_control()).take(MAX_NAME_CHARS).collect();
    if clean.trim().is_empty() { "evidence".to_owned() } else { clean }
}

#[derive(Debug)]
pub struct StagedFile {
    pub key: Uuid,
    pub path: PathBuf,
    pub content_type: &'static str,
    pub size: u64,
    pub original_name: String,
}

/// Files written for a request; removed on drop unless [`Staged::keep`] was called, so a
/// refused or failed request leaves nothing behind.
#[derive(Debug, Default)]
pub struct Staged {
    pub files: Vec<StagedFile>,
    kept: bool,
}

impl Staged {
    pub fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        for f in &self.files {
            if let Err(e) = std::fs::remove_file(&f.path) {
                tracing::warn!(path = %f.path.display(), error = %e, "could not remove staged evidence");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_only_pdf_png_and_jpeg_by_content() {
        assert_eq!(sniff(b"%PDF-1.4\n..."), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some("image/png"));
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF"), Some("image/jpeg"));
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b" %PDF-1.4"), None);
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn keys_must_be_uuids_so_no_path_escapes() {
        let root = Path::new("/data");
        assert!(path_of(root, "../../etc/passwd").is_none());
        assert!(path_of(root, "").is_none());
        let key = Uuid::new_v4().to_string();
        assert_eq!(path_of(root, &key), Some(PathBuf::from(format!("/data/evidence/{key}"))));
    }

    #[test]
    fn display_names_drop_paths_and_control_characters() {
        assert_eq!(display_name(Some("C:\\Users\\x\\论文.pdf")), "论文.pdf");
        assert_eq!(display_name(Some("../../a\n.pdf")), "a.pdf");
        assert_eq!(display_name(None), "evidence");
        assert_eq!(display_name(Some("x".repeat(500).as_str())).chars().count(), MAX_NAME_CHARS);
    }
}
