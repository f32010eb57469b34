//! The body of a filing: JSON, or multipart with a `data` JSON part and `evidence` files.
use std::path::Path;

use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::{HttpRequest, http::header, web};
use futures_util::TryStreamExt;
use tokio::io::AsyncWriteExt;
use uuid::Uuid;

use super::evidence::{self, MAX_FILE_BYTES, MAX_FILES, SNIFF_LEN, Staged, StagedFile};
use crate::{
    error::{AppError, AppResult},
    rules::declaration_value::DeclarationInput,
};

const MAX_DATA_BYTES: usize = 64 * 1024;

pub struct Filing {
    pub input: DeclarationInput,
    pub evidence: Staged,
}

/// Reads a filing. Evidence is stored under `store_in`, or read past when `None` (a preview).
pub async fn read(req: &HttpRequest, payload: web::Payload, store_in: Option<&Path>) -> AppResult<Filing> {
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type.starts_with("multipart/form-data") {
        read_multipart(req, payload, store_in).await
    } else if content_type.starts_with("application/json") {
        let bytes = payload
            .to_bytes_limited(MAX_DATA_BYTES)
            .await
            .map_err(|_| AppError::PayloadTooLarge)?
            .map_err(|e| AppError::BadRequest(format!("unreadable body: {e}")))?;
        Ok(Filing { input: parse_input(&bytes)?, evidence: Staged::default() })
    } else {
        Err(AppError::BadRequest("expected Content-Type: application/json or multipart/form-data".into()))
    }
}

fn parse_input(bytes: &[u8]) -> AppResult<DeclarationInput> {
    serde_json::from_slice(bytes)
        .map_err(|e| AppError::unprocessable("invalid_body", format!("申报内容无效 (invalid declaration: {e})")))
}

fn bad_multipart(e: MultipartError) -> AppError {
    AppError::BadRequest(format!("malformed multipart body: {e}"))
}

fn io_error(e: std::io::Error) -> AppError {
    AppError::Other(anyhow::anyhow!("evidence storage: {e}"))
}

async fn read_multipart(req: &HttpRequest, payload: web::Payload, store_in: Option<&Path>) -> AppResult<Filing> {
    let mut parts = Multipart::new(req.headers(), payload);
    let mut data = None;
    let mut staged = Staged::default();
    let mut files = 0;
    while let Some(mut field) = parts.try_next().await.map_err(bad_multipart)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "data" => {
                let bytes =
                    field.bytes(MAX_DATA_BYTES).await.map_err(|_| AppError::PayloadTooLarge)?.map_err(bad_multipart)?;
                data = Some(parse_input(&bytes)?);
            }
            "evidence" => {
                files += 1;
                if files > MAX_FILES {
                    return Err(AppError::unprocessable(
                        "too_many_files",
                        format!("证明材料最多 {MAX_FILES} 个 (at most {MAX_FILES} evidence files)"),
                    ));
                }
                match store_in {
                    Some(dir) => store(field, dir, &mut staged).await?,
                    None => drain(field).await?,
                }
            }
            _ => drain(field).await?,
        }
    }
    let input = data.ok_or_else(|| AppError::unprocessable("invalid_body", "缺少 data 部分 (missing `data` part)"))?;
    Ok(Filing { input, evidence: staged })
}

async fn drain(mut field: Field) -> AppResult<()> {
    while field.try_next().await.map_err(bad_multipart)?.is_some() {}
    Ok(())
}

/// Streams one evidence file to disk once its first bytes show it is a PDF, JPEG or PNG.
/// An empty part (a file input left empty) is skipped.
async fn store(mut field: Field, dir: &Path, staged: &mut Staged) -> AppResult<()> {
    let name = evidence::display_name(field.content_disposition().and_then(|cd| cd.get_filename()));
    let mut head = Vec::with_capacity(SNIFF_LEN);
    let mut out: Option<tokio::fs::File> = None;
    let mut size = 0usize;
    while let Some(chunk) = field.try_next().await.map_err(bad_multipart)? {
        size += chunk.len();
        if size > MAX_FILE_BYTES {
            return Err(AppError::PayloadTooLarge);
        }
        match out.as_mut() {
            Some(file) => file.write_all(&chunk).await.map_err(io_error)?,
            None => {
                head.extend_from_slice(&chunk);
                if head.len() >= SNIFF_LEN {
                    out = Some(open_checked(dir, &head, &name, staged).await?);
                }
            }
        }
    }
    if size == 0 {
        return Ok(());
    }
    let mut file = match out {
        Some(file) => file,
        None => open_checked(dir, &head, &name, staged).await?,
    };
    file.flush().await.map_err(io_error)?;
    file.sync_all().await.map_err(io_error)?;
    if let Some(last) = staged.files.last_mut() {
        last.size = size as u64;
    }
    Ok(())
}

/// Refuses content that is not an accepted kind, else creates the file (registered with
/// `staged` before anything is written, so it is removed on any later failure).
async fn open_checked(dir: &Path, head: &[u8], name: &str, staged: &mut Staged) -> AppResult<tokio::fs::File> {
    let Some(content_type) = evidence::sniff(head) else {
        return Err(AppError::unprocessable(
            "invalid_evidence",
            format!("证明材料只接受 PDF、JPEG、PNG 文件 (evidence must be a PDF, JPEG or PNG file: {name})"),
        ));
    };
    tokio::fs::create_dir_all(dir).await.map_err(io_error)?;
    let key = Uuid::new_v4();
    let path = dir.join(key.hyphenated().to_string());
    let mut file = tokio::fs::File::create(&path).await.map_err(io_error)?;
    staged.files.push(StagedFile { key, path, content_type, size: 0, original_name: name.to_owned() });
    file.write_all(head).await.map_err(io_error)?;
    Ok(file)
}
