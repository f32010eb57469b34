//! Server-rendered pages (Tera), phone first. They call the same services as the JSON API;
//! no business logic lives in templates or page handlers.
pub mod admin;
pub mod auth_pages;
pub mod certificates;
pub mod courses;
pub mod csrf;
mod decl_kinds;
pub mod declarations;
pub mod exam;
pub mod learner;
pub mod redirects;
pub mod render;
pub mod reviews;
pub mod staff;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(auth_pages::home)
        .service(auth_pages::login_form)
        .service(auth_pages::login_submit)
        .service(auth_pages::password_form)
        .service(auth_pages::password_submit)
        .service(auth_pages::logout)
        .service(learner::dashboard)
        .service(learner::archive)
        .service(staff::staff_home)
        .service(exam::exam_page)
        .service(courses::catalog_page)
        .service(courses::course)
        .service(courses::restudy)
        .service(courses::player)
        .service(admin::banks_page)
        .service(admin::publish_bank)
        .service(admin::policy_page)
        .service(declarations::list)
        .service(declarations::new_form)
        .service(declarations::detail)
        .service(certificates::list)
        .service(certificates::issue)
        .service(reviews::queue)
        .service(reviews::decide)
        .service(reviews::completion);
}

/// The strict Content-Security-Policy every page is served with: only our own origin, no
/// inline script or style, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
media-src 'self' blob:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; \
frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
