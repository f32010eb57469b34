//! Refuses hostile .xlsx containers before calamine opens them: calamine itself puts no bound
//! on how much it decompresses.

use std::io::{self, Cursor, Read};

use zip::ZipArchive;

pub const MAX_ENTRIES: usize = 1_000;
pub const MAX_UNCOMPRESSED_BYTES: u64 = 50 * 1024 * 1024;
/// Real worksheets compress 5-30x; deflate bombs reach ~1000x.
pub const MAX_COMPRESSION_RATIO: u64 = 100;
/// Small entries may compress very well (an empty sheet); the ratio only matters above this.
const RATIO_CHECKED_ABOVE: u64 = 1024 * 1024;

/// Why an .xlsx container was refused, worded for the uploader.
pub type Refusal = String;

pub fn check(bytes: &[u8]) -> Result<(), Refusal> {
    let mut archive =
        ZipArchive::new(Cursor::new(bytes)).map_err(|error| format!("not a valid .xlsx file: {error}"))?;
    if archive.len() > MAX_ENTRIES {
        return Err(format!("the .xlsx holds {} parts; at most {MAX_ENTRIES}", archive.len()));
    }
    check_declared_sizes(&mut archive)?;
    // The sizes in the zip directory are the uploader's claim; decompress (into nothing,
    // with a hard cap) to learn the real ones.
    check_actual_sizes(&mut archive)
}

fn check_declared_sizes(archive: &mut ZipArchive<Cursor<&[u8]>>) -> Result<(), Refusal> {
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(corrupt)?;
        check_ratio(entry.size(), entry.compressed_size())?;
        total = total.saturating_add(entry.size());
    }
    check_total(total)
}

fn check_actual_sizes(archive: &mut ZipArchive<Cursor<&[u8]>>) -> Result<(), Refusal> {
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(corrupt)?;
        let compressed = entry.compressed_size();
        let budget = MAX_UNCOMPRESSED_BYTES - total;
        let size = io::copy(&mut entry.take(budget + 1), &mut io::sink()).map_err(corrupt)?;
        total += size;
        check_total(total)?;
        check_ratio(size, compressed)?;
    }
    Ok(())
}

fn check_total(total: u64) -> Result<(), Refusal> {
    if total > MAX_UNCOMPRESSED_BYTES {
        return Err(format!("the .xlsx unpacks to more than {} MiB", MAX_UNCOMPRESSED_BYTES >> 20));
    }
    Ok(())
}

fn check_ratio(size: u64, compressed: u64) -> Result<(), Refusal> {
    if size > RATIO_CHECKED_ABOVE && size / compressed.max(1) > MAX_COMPRESSION_RATIO {
        return Err(format!("the .xlsx holds a part compressed more than {MAX_COMPRESSION_RATIO}:1 (a zip bomb?)"));
    }
    Ok(())
}

fn corrupt(error: impl std::fmt::Display) -> Refusal {
    format!("corrupt .xlsx file: {error}")
}
