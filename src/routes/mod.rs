//! HTTP handlers: extract, authorise, call a service, map. No business logic here.
pub mod admin;
pub mod auth;
pub mod health;
pub mod openapi;

use actix_web::web;

/// The JSON API under /api/v1 plus health and spec endpoints.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(openapi::spec)
        .service(
            web::scope("/api/v1")
                .service(auth::login)
                .service(auth::logout)
                .service(auth::change_password)
                .service(auth::register)
                .service(auth::me)
                .service(admin::create_org)
                .service(admin::create_user),
        );
}
