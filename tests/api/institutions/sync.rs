//! Provincial sync against a flaky receiver: every record arrives once in effect, whatever
//! fails, times out or crashes on the way.
use std::{
    collections::HashMap,
    net::TcpListener,
    sync::{Arc, Mutex},
};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use chrono::Duration;
use reqwest::StatusCode;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::{Value, json};
use xueshi::{
    archive::ledger::{NewCredit, SourceKind, credit},
    entities::outbox,
    rules::annual_summary::Category,
    sync::sync_once,
};

use super::fixtures::*;
use crate::both_backends;
use crate::helpers::*;

/// What the fake province saw: the first body per key (its dedupe) and every request.
#[derive(Default)]
struct Province {
    requests: u64,
    applied: HashMap<String, Value>,
    attempts: HashMap<String, u32>,
}

/// Fails every other request with a 500; every fifth stores the record and then answers
/// too late (after the client's timeout), so the sender retries something already applied.
async fn receive(req: HttpRequest, body: web::Json<Value>, seen: web::Data<Mutex<Province>>) -> HttpResponse {
    let key = req.headers().get("Idempotency-Key").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let slow = {
        let mut p = seen.lock().unwrap();
        p.requests += 1;
        *p.attempts.entry(key.clone()).or_default() += 1;
        if p.requests.is_multiple_of(2) {
            return HttpResponse::InternalServerError().body("province busy");
        }
        p.applied.entry(key).or_insert(body.into_inner());
        p.requests % 5 == 1
    };
    if slow {
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    }
    HttpResponse::Ok().json(json!({"ok": true}))
}

async fn province() -> (String, Arc<Mutex<Province>>) {
    let seen = web::Data::new(Mutex::new(Province::default()));
    let shared = seen.clone().into_inner();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}/records", listener.local_addr().unwrap().port());
    let server = HttpServer::new(move || App::new().app_data(seen.clone()).route("/records", web::post().to(receive)))
        .workers(2)
        .listen(listener)
        .unwrap()
        .run();
    tokio::spawn(server);
    (url, shared)
}

async fn pending(app: &TestApp) -> usize {
    outbox::Entity::find().filter(outbox::Column::Status.eq("pending")).all(&app.app_state.db).await.unwrap().len()
}

async fn delivered_once_in_effect(backend: Backend) {
    let (url, seen) = province().await;
    let app = spawn_with(backend, |s| {
        s.sync_url = Some(url);
        s.sync_timeout_ms = 500;
        s.sync_interval_ms = 3_600_000;
    })
    .await;
    let employer = org_in(&app, "威海医院", "employer", None, "威海市").await;
    let mut learners = Vec::new();
    for serial in 901..=904 {
        learners.push(learner_id(&app, &app.user_token(&id_number(serial), "learner", Some(employer)).await).await);
    }
    // Two credits each, in a transaction like every real caller; a repeat queues nothing.
    let db = &app.app_state.db;
    for (i, learner) in learners.iter().enumerate() {
        let txn = db.begin().await.unwrap();
        for source in ["1", "2", "1"] {
            let c = NewCredit {
                learner_id: *learner,
                year: 2026,
                category: Category::Professional,
                public_subkind: None,
                source: SourceKind::OfflineClass,
                source_id: source.into(),
                title: format!("班 {source}"),
                hours: 8.0 + i as f64,
                at: app.app_state.clock.now(),
            };
            credit(&txn, c).await.unwrap();
        }
        txn.commit().await.unwrap();
    }
    let records = outbox::Entity::find().all(db).await.unwrap();
    assert_eq!(records.len(), 4 + 8, "4 registrations + 8 credits");

    // A worker claimed one record and crashed: its lease keeps others off until it expires.
    let crashed = records[0].id;
    let lease = app.app_state.clock.now() + Duration::seconds(120);
    outbox::Entity::update(outbox::ActiveModel {
        id: Set(crashed),
        lease_until: Set(Some(lease)),
        lease_token: Set(Some("dead-worker".into())),
        attempts: Set(1),
        ..Default::default()
    })
    .exec(db)
    .await
    .unwrap();

    let (a, b) = tokio::join!(sync_once(&app.app_state), sync_once(&app.app_state));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.claimed + b.claimed, records.len() - 1, "two workers split the due records, the leased one waits");
    assert!(a.failed + b.failed > 0, "the province failed some");
    let status: Value = app.get("/api/v1/admin/sync", Some(&app.admin_token)).await.json().await.unwrap();
    assert!(status["failing"].as_u64().unwrap() > 0);
    assert!(
        status["last_errors"][0]["last_error"].as_str().unwrap().contains("HTTP 500")
            || status["last_errors"][0]["last_error"].as_str().unwrap().contains("request failed")
    );

    let mut rounds = 1;
    while pending(&app).await > 0 {
        assert!(rounds < 40, "still pending after {rounds} rounds");
        app.app_state.clock.advance(3_600); // past any backoff and the dead worker's lease
        sync_once(&app.app_state).await.unwrap();
        rounds += 1;
    }
    let keys: Vec<String> =
        outbox::Entity::find().all(db).await.unwrap().into_iter().map(|r| r.idempotency_key).collect();
    {
        let province = seen.lock().unwrap();
        assert_eq!(province.applied.len(), keys.len(), "every record applied exactly once");
        assert!(keys.iter().all(|k| province.applied.contains_key(k)));
        assert!(province.requests > keys.len() as u64, "retries happened ({} requests)", province.requests);
        assert!(province.attempts.values().any(|&n| n > 1));
        eprintln!("sync: {} records, {} requests, {rounds} rounds", keys.len(), province.requests);
        // The province learns who: the ID number is added at delivery, never stored in the outbox.
        let reg = &province.applied[&format!("registration:{}", learners[0])];
        assert_eq!(reg["person"]["id_number"], id_number(901));
        assert!(!records.iter().any(|r| r.payload.to_string().contains(&id_number(901))));
    }
    let status: Value = app.get("/api/v1/admin/sync", Some(&app.admin_token)).await.json().await.unwrap();
    assert_eq!((status["pending"].as_u64(), status["delivered"].as_u64()), (Some(0), Some(keys.len() as u64)));
}
both_backends!(sync_delivers_each_record_once_in_effect, delivered_once_in_effect);

async fn unconfigured_sync_keeps_records(backend: Backend) {
    let app = spawn_app(backend).await;
    let employer = org_in(&app, "威海医院", "employer", None, "威海市").await;
    app.user_token(&id_number(905), "learner", Some(employer)).await;
    let report = sync_once(&app.app_state).await.unwrap();
    assert_eq!(report.claimed, 0);
    let status: Value = app.get("/api/v1/admin/sync", Some(&app.admin_token)).await.json().await.unwrap();
    assert_eq!((status["configured"].as_bool(), status["pending"].as_u64()), (Some(false), Some(1)));
    let learner = app.user_token(&id_number(906), "learner", Some(employer)).await;
    assert_eq!(app.get("/api/v1/admin/sync", Some(&learner)).await.status(), StatusCode::FORBIDDEN);
}
both_backends!(without_a_sync_url_records_stay_pending, unconfigured_sync_keeps_records);
