//! HTTP handlers: extract, authorise, call a service, map. No business logic here.
//! Each module exposes `routes` (its services) and `Api` (its OpenAPI paths); add both below.
pub mod admin;
pub mod archive;
pub mod auth;
pub mod certificates;
pub mod courses;
pub mod declarations;
pub mod exams;
pub mod excellent;
pub mod health;
pub mod lectures;
pub mod media;
pub mod offline_classes;
pub mod openapi;
pub mod question_banks;
pub mod reviews;
pub mod statistics;
pub mod sync_admin;
pub mod training_plans;
pub mod watching;

use actix_web::web;

/// The JSON API under /api/v1 plus health and spec endpoints.
pub fn configure(cfg: &mut web::ServiceConfig) {
    // The router tries resources in order, running a regex for each one with a path
    // parameter: the API scope and, in it, the heartbeat (most requests in December) come first.
    cfg.service(
        web::scope("/api/v1")
            .configure(watching::routes)
            .configure(auth::routes)
            .configure(admin::routes)
            .configure(archive::routes)
            .configure(declarations::routes)
            .configure(reviews::routes)
            .configure(certificates::routes)
            .configure(question_banks::routes)
            .configure(exams::routes)
            .configure(courses::routes)
            .configure(lectures::routes)
            .configure(training_plans::routes)
            .configure(offline_classes::routes)
            .configure(excellent::routes)
            .configure(statistics::routes)
            .configure(sync_admin::routes),
    )
    .configure(health::routes)
    .service(openapi::spec)
    .configure(certificates::pages)
    .configure(media::routes);
}
