//! `Application::build` is used by `main` and by the tests' `spawn_app`, so tests run the
//! real thing: same routes, middleware and background tasks.
use std::{net::TcpListener, sync::Arc};

use actix_web::{App, HttpServer, dev::Server, middleware, web};
use tracing_actix_web::TracingLogger;

use crate::{
    auth::{jwt::JwtKeys, password::PasswordHasher},
    config::Settings,
    db, demo,
    error::{json_error_handler, path_error_handler, query_error_handler},
    identity::pii::PiiVault,
    progress::{MemoryProgressStore, ProgressStore, RedisProgressStore, RedisStoreConfig},
    routes, secrets,
    state::{AppState, Clock},
};

pub struct Application {
    port: u16,
    server: Server,
    pub state: web::Data<AppState>,
}

/// Builds the shared state: connects, migrates, loads demo data into an empty database.
pub async fn build_state(mut settings: Settings) -> anyhow::Result<web::Data<AppState>> {
    secrets::ensure(&mut settings)?;
    let db = db::connect(&settings.database_url()).await?;
    db::migrate(&db).await?;
    let jwt_secret = settings.jwt_secret.clone().unwrap_or_default();
    let pii_key = settings.pii_key.clone().unwrap_or_default();
    let stream_secret = {
        use hmac::Mac;
        let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(jwt_secret.expose().as_bytes())
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        mac.update(b"xueshi/stream-url");
        mac.finalize().into_bytes().to_vec()
    };
    let progress = progress_store(&settings).await?;
    let tera = tera::Tera::new(&format!("{}/**/*.html", settings.templates_dir.display()))?;
    let state = AppState {
        progress,
        tera: Arc::new(tera),
        db,
        jwt: JwtKeys::new(jwt_secret.expose(), settings.token_ttl_minutes),
        stream_secret,
        pii: PiiVault::new(pii_key.expose()),
        hasher: PasswordHasher::new(settings.password_hash_concurrency)?,
        clock: Clock::default(),
        auth_cache: crate::auth::cache::AuthCache::new(std::time::Duration::from_secs(settings.auth_cache_s)),
        questions: crate::exams::question_cache::QuestionCache::default(),
        settings: Arc::new(settings),
    };
    crate::media::MediaRoot::new(&state.settings.media_dir).ensure_layout().await?;
    let state = web::Data::new(state);
    demo::bootstrap(&state).await?;
    Ok(state)
}

async fn progress_store(settings: &Settings) -> anyhow::Result<Arc<dyn ProgressStore>> {
    Ok(match &settings.redis_url {
        Some(url) => {
            let config = RedisStoreConfig { prefix: settings.redis_prefix.clone(), ..RedisStoreConfig::default() };
            Arc::new(RedisProgressStore::connect(url, config).await?)
        }
        None => Arc::new(MemoryProgressStore::new()),
    })
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(&settings.bind)?;
        let state = build_state(settings).await?;
        Self::serve(listener, state)
    }

    pub fn serve(listener: TcpListener, state: web::Data<AppState>) -> anyhow::Result<Self> {
        let port = listener.local_addr()?.port();
        if state.settings.run_jobs {
            tokio::spawn(crate::jobs::run_forever(state.clone()));
        }
        let data = state.clone();
        crate::watching::flusher::spawn(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .wrap(middleware::from_fn(crate::auth::extractor::authenticate_middleware))
                .wrap(middleware::from_fn(crate::pages::redirects::login_redirect))
                .wrap(TracingLogger::default())
                .wrap(middleware::DefaultHeaders::new().add(("X-Content-Type-Options", "nosniff")))
                .app_data(data.clone())
                .app_data(web::JsonConfig::default().limit(256 * 1024).error_handler(json_error_handler))
                .app_data(web::PathConfig::default().error_handler(path_error_handler))
                .app_data(web::QueryConfig::default().error_handler(query_error_handler))
                .configure(routes::configure)
                .configure(crate::pages::configure)
                .service(actix_files::Files::new("/static", data.settings.templates_dir.join("static")))
                .default_service(web::to(not_found))
        })
        .listen(listener)?
        .run();
        crate::exams::sweeper::spawn(state.clone());
        crate::sync::job::spawn(state.clone());
        Ok(Self { port, server, state })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

async fn not_found() -> Result<actix_web::HttpResponse, crate::error::AppError> {
    Err(crate::error::AppError::NotFound)
}
