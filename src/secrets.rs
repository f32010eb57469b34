//! Secrets for the embedded mode: generated once under the data directory and kept there, so
//! tokens and encrypted ID numbers survive restarts. Production passes them in explicitly.
use std::{fs, io::Write, path::Path};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::Rng;

use crate::config::{Secret, Settings};

fn load_or_create(dir: &Path, name: &str) -> anyhow::Result<Secret> {
    let path = dir.join(name);
    if let Ok(existing) = fs::read_to_string(&path) {
        let s = existing.trim().to_owned();
        if s.len() >= 32 {
            return Ok(Secret::new(s));
        }
    }
    fs::create_dir_all(dir)?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(&path)?.write_all(secret.as_bytes())?;
    Ok(Secret::new(secret))
}

/// Fills in missing secrets (only allowed outside production; `Settings::load` checks that).
pub fn ensure(settings: &mut Settings) -> anyhow::Result<()> {
    if settings.jwt_secret.is_none() {
        settings.jwt_secret = Some(load_or_create(&settings.data_dir, "jwt_secret")?);
    }
    if settings.pii_key.is_none() {
        settings.pii_key = Some(load_or_create(&settings.data_dir, "pii_key")?);
    }
    Ok(())
}
