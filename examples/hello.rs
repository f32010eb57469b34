//! The reference for `scripts/load_heartbeat.sh`: the cheapest actix-web endpoint, on the
//! same runtime and worker count as xueshi, so the heartbeat's cost reads as a ratio.
//! `cargo run --release --example hello -- 127.0.0.1:18081`
use actix_web::{App, HttpResponse, HttpServer, post, web};

/// The same allocator as xueshi, so the ratio compares the work, not the allocators.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[post("/hello")]
async fn hello(_body: web::Bytes) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"hello": "world"}))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let bind = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:18081".to_owned());
    HttpServer::new(|| App::new().service(hello)).bind(bind)?.run().await
}
