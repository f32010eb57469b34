//! The printable certificate (A4) and the public verification page, rendered with Tera
//! (autoescaped: names and titles are data, never markup).
use qrcode::{QrCode, render::svg};
use tera::Context;

use super::Verification;
use crate::{
    entities::certificate,
    error::{AppError, AppResult},
};

const QR_SIZE: u32 = 160;

fn render_error(e: impl std::fmt::Display) -> AppError {
    AppError::Other(anyhow::anyhow!("page rendering: {e}"))
}

/// The verification address a QR code points to.
pub fn verify_url(base: &str, code: &str) -> String {
    format!("{}/verify/{code}", base.trim_end_matches('/'))
}

/// The QR code of `url` as inline SVG (without the XML prolog, which has no place in HTML).
pub fn qr_svg(url: &str) -> AppResult<String> {
    let qr = QrCode::new(url.as_bytes()).map_err(render_error)?;
    let doc = qr.render::<svg::Color>().min_dimensions(QR_SIZE, QR_SIZE).build();
    Ok(doc.find("<svg").map(|start| doc[start..].to_owned()).unwrap_or(doc))
}

/// The certificate for printing; `name` is the holder's own name (only they and their
/// reviewers open this page).
pub fn certificate_html(
    tera: &tera::Tera,
    cert: &certificate::Model,
    name: &str,
    verify_url: &str,
) -> AppResult<String> {
    let mut ctx = Context::new();
    ctx.insert("name", name);
    ctx.insert("id_number_masked", &cert.id_number_masked);
    ctx.insert("year", &cert.year);
    ctx.insert("public_hours", &cert.public_hours);
    ctx.insert("professional_hours", &cert.professional_hours);
    ctx.insert("total_hours", &cert.total_hours);
    ctx.insert("issuer", &cert.issuer);
    ctx.insert("issued_on", &cert.issued_at.format("%Y-%m-%d").to_string());
    ctx.insert("code", &cert.code);
    ctx.insert("status", &cert.status);
    ctx.insert("verify_url", verify_url);
    ctx.insert("qr_svg", &qr_svg(verify_url)?);
    tera.render("certificate.html", &ctx).map_err(render_error)
}

/// The public verification page: masked data only, or "not found".
pub fn verify_html(tera: &tera::Tera, found: Option<&Verification>) -> AppResult<String> {
    let mut ctx = Context::new();
    ctx.insert("found", &found.is_some());
    if let Some(v) = found {
        ctx.insert("name_masked", &v.name_masked);
        ctx.insert("id_number_masked", &v.id_number_masked);
        ctx.insert("year", &v.year);
        ctx.insert("public_hours", &v.public_hours);
        ctx.insert("professional_hours", &v.professional_hours);
        ctx.insert("total_hours", &v.total_hours);
        ctx.insert("issued_at", &v.issued_at.format("%Y-%m-%d %H:%M UTC").to_string());
        ctx.insert("status", &v.status);
    }
    tera.render("verify.html", &ctx).map_err(render_error)
}
