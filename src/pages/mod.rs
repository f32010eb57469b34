//! Server-rendered pages (Tera), phone first. They call the same services as the JSON API;
//! no business logic lives in templates or page handlers.
pub mod admin;
pub mod auth_pages;
pub mod base_course_page;
pub mod base_courses;
pub mod catalogue;
pub mod certificates;
pub mod course_form;
pub mod course_review;
pub mod courses;
pub mod csrf;
mod decl_kinds;
pub mod declarations;
pub mod exam;
pub mod excellent;
pub mod learner;
pub mod offline_classes;
pub mod plan_form;
pub mod plans;
pub mod redirects;
pub mod render;
pub mod reviews;
pub mod staff;
pub mod statistics;
pub mod sync_admin;

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
        .service(certificates::request_review)
        .service(declarations::edit_form)
        .service(reviews::queue)
        .service(reviews::decide)
        .service(reviews::completion);
    // Base admins' courses and lecture uploads; the platform admin's course review.
    cfg.service(base_courses::list)
        .service(base_courses::new_form)
        .service(base_courses::create)
        .service(base_courses::edit_form)
        .service(base_courses::update)
        .service(base_course_page::course_page)
        .service(base_course_page::upload_lecture)
        .service(base_course_page::submit)
        .service(course_review::queue)
        .service(course_review::decide)
        .service(course_review::preview);
    configure_institutions(cfg);
}

/// Institution pages: training plans, offline classes, the catalogue, the excellent course
/// selection, statistics and the provincial sync.
fn configure_institutions(cfg: &mut web::ServiceConfig) {
    cfg.service(plans::list)
        .service(plans::new_plan)
        .service(plans::create_plan)
        .service(plans::detail)
        .service(plans::new_class)
        .service(plans::add_class)
        .service(plans::edit_class)
        .service(plans::update_class)
        .service(plans::submit)
        .service(plans::review)
        .service(offline_classes::show)
        .service(offline_classes::upload_roster)
        .service(offline_classes::record_attendance)
        .service(catalogue::list)
        .service(excellent::show)
        .service(excellent::nominate)
        .service(excellent::score)
        .service(excellent::vote)
        .service(excellent::put_round)
        .service(excellent::publish)
        .service(statistics::knowledge_update)
        .service(sync_admin::sync_page);
}

/// The strict Content-Security-Policy every page is served with: only our own origin, no
/// inline script or style, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
media-src 'self' blob:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; \
frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
