//! Reads the lecture upload form (`title`, `file`) from a multipart stream: the file goes to
//! disk chunk by chunk, never whole into memory, and is counted against the size limit.
use std::{path::Path, time::Duration};

use actix_multipart::{Field, Multipart};
use futures_util::StreamExt;
use tokio::io::{AsyncWriteExt, BufWriter};

use crate::error::{AppError, AppResult};

/// The title is a line of text: anything longer is not a title.
const MAX_TITLE_BYTES: usize = 4 * 1024;
/// Fields we do not know are skipped, up to this size each.
const MAX_OTHER_FIELD_BYTES: u64 = 64 * 1024;
/// Written to disk in blocks this big, whatever the network's chunk size.
const WRITE_BUFFER: usize = 1024 * 1024;
/// After refusing an upload we read (and discard) this much more of it, so the client gets
/// our 413 rather than a reset connection. Anything bigger is cut off.
const DRAIN_MAX_BYTES: u64 = 64 * 1024 * 1024;
const DRAIN_MAX_TIME: Duration = Duration::from_secs(10);

pub struct UploadForm {
    pub title: String,
    pub file_bytes: u64,
}

fn malformed(e: actix_multipart::MultipartError) -> AppError {
    AppError::BadRequest(format!("malformed multipart body: {e}"))
}

/// Reads the form, writing the `file` field to `dest` (created here). On error `dest` may hold
/// a partial file: the caller deletes it.
pub async fn read(multipart: &mut Multipart, dest: &Path, limit: u64) -> AppResult<UploadForm> {
    let (mut title, mut file_bytes) = (None, None);
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(malformed)?;
        match field.name() {
            Some("title") => title = Some(read_text(&mut field).await?),
            Some("file") if file_bytes.is_none() => file_bytes = Some(write_to(&mut field, dest, limit).await?),
            Some("file") => {
                return Err(AppError::unprocessable("duplicate_file", "只能上传一个文件 (one file per upload)"));
            }
            _ => skip(&mut field).await?,
        }
    }
    let title =
        title.ok_or_else(|| AppError::unprocessable("invalid_title", "缺少课时名称 (field `title` missing)"))?;
    let file_bytes =
        file_bytes.ok_or_else(|| AppError::unprocessable("missing_file", "缺少视频文件 (field `file` missing)"))?;
    Ok(UploadForm { title, file_bytes })
}

async fn read_text(field: &mut Field) -> AppResult<String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.next().await {
        bytes.extend_from_slice(&chunk.map_err(malformed)?);
        if bytes.len() > MAX_TITLE_BYTES {
            return Err(AppError::unprocessable("invalid_title", "课时名称过长 (title too long)"));
        }
    }
    String::from_utf8(bytes)
        .map_err(|_| AppError::unprocessable("invalid_title", "课时名称须为 UTF-8 (title must be UTF-8)"))
}

async fn write_to(field: &mut Field, dest: &Path, limit: u64) -> AppResult<u64> {
    let file = tokio::fs::OpenOptions::new().write(true).create_new(true).open(dest).await.map_err(io_error)?;
    let mut out = BufWriter::with_capacity(WRITE_BUFFER, file);
    let mut written = 0u64;
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(malformed)?;
        written += chunk.len() as u64;
        if written > limit {
            return Err(AppError::PayloadTooLarge);
        }
        out.write_all(&chunk).await.map_err(io_error)?;
    }
    out.flush().await.map_err(io_error)?;
    Ok(written)
}

async fn skip(field: &mut Field) -> AppResult<()> {
    let mut seen = 0u64;
    while let Some(chunk) = field.next().await {
        seen += chunk.map_err(malformed)?.len() as u64;
        if seen > MAX_OTHER_FIELD_BYTES {
            return Err(AppError::PayloadTooLarge);
        }
    }
    Ok(())
}

/// Reads and discards what is left of a refused upload, within bounds (see `DRAIN_MAX_BYTES`).
pub async fn drain(multipart: &mut Multipart) {
    let discard = async {
        let mut seen = 0u64;
        while let Some(Ok(mut field)) = multipart.next().await {
            while let Some(Ok(chunk)) = field.next().await {
                seen += chunk.len() as u64;
                if seen > DRAIN_MAX_BYTES {
                    return;
                }
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_MAX_TIME, discard).await;
}

fn io_error(e: std::io::Error) -> AppError {
    AppError::Other(anyhow::Error::new(e).context("writing an upload"))
}
