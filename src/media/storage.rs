//! Where media lives on disk. Every path is built from ids we generated, never from a
//! client's file name:
//!
//! ```text
//! <root>/uploads/<upload_id>.upload     raw upload, deleted once transcoded
//! <root>/lectures/<lecture_id>/...      HLS output (master.m3u8, 360p/, 720p/, poster.jpg)
//! ```

use super::content_types::safe_rel_path;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct MediaRoot {
    root: PathBuf,
}

impl MediaRoot {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Creates `uploads/` and `lectures/`; call once at start-up.
    #[tracing::instrument]
    pub async fn ensure_layout(&self) -> std::io::Result<()> {
        tokio::fs::create_dir_all(self.uploads_dir()).await?;
        tokio::fs::create_dir_all(self.lectures_dir()).await
    }

    pub fn uploads_dir(&self) -> PathBuf {
        self.root.join("uploads")
    }

    pub fn lectures_dir(&self) -> PathBuf {
        self.root.join("lectures")
    }

    /// A fresh upload id and the path its bytes should be written to.
    pub fn new_upload(&self) -> (Uuid, PathBuf) {
        let id = Uuid::new_v4();
        (id, self.upload_path(id))
    }

    pub fn upload_path(&self, upload_id: Uuid) -> PathBuf {
        self.uploads_dir().join(format!("{upload_id}.upload"))
    }

    /// The lecture's HLS directory; `transcode_hls` creates it atomically.
    pub fn lecture_dir(&self, lecture_id: i64) -> PathBuf {
        self.lectures_dir().join(lecture_id.to_string())
    }

    /// A file of a lecture's HLS output, from the relative path in a stream URL;
    /// `None` when that path is not one we could have written.
    pub fn lecture_file(&self, lecture_id: i64, rel: &str) -> Option<PathBuf> {
        safe_rel_path(rel).map(|rel| self.lecture_dir(lecture_id).join(rel))
    }

    /// Deletes a raw upload; already gone is fine (a retried job may have removed it).
    #[tracing::instrument]
    pub async fn remove_upload(&self, upload_id: Uuid) -> std::io::Result<()> {
        ignore_missing(tokio::fs::remove_file(self.upload_path(upload_id)).await)
    }

    /// Deletes a lecture's HLS output (lecture deleted or re-uploaded).
    #[tracing::instrument]
    pub async fn remove_lecture(&self, lecture_id: i64) -> std::io::Result<()> {
        ignore_missing(tokio::fs::remove_dir_all(self.lecture_dir(lecture_id)).await)
    }
}

fn ignore_missing(result: std::io::Result<()>) -> std::io::Result<()> {
    match result {
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn layout_uses_only_generated_ids() {
        let dir = tempfile::tempdir().unwrap();
        let media = MediaRoot::new(dir.path());
        media.ensure_layout().await.unwrap();
        let (id, upload) = media.new_upload();
        assert_eq!(upload, dir.path().join(format!("uploads/{id}.upload")));
        assert!(media.uploads_dir().is_dir() && media.lectures_dir().is_dir());

        let lecture = 42;
        let segment = media.lecture_file(lecture, "360p/segment_000.ts").unwrap();
        assert_eq!(segment, dir.path().join(format!("lectures/{lecture}/360p/segment_000.ts")));
        assert_eq!(media.lecture_file(lecture, "../../uploads/x.upload"), None);
    }

    #[tokio::test]
    async fn removing_twice_is_fine() {
        let dir = tempfile::tempdir().unwrap();
        let media = MediaRoot::new(dir.path());
        media.ensure_layout().await.unwrap();
        let (id, upload) = media.new_upload();
        std::fs::write(&upload, b"raw").unwrap();
        media.remove_upload(id).await.unwrap();
        media.remove_upload(id).await.unwrap();
        assert!(!upload.exists());
        media.remove_lecture(43).await.unwrap();
    }
}
