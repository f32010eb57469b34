//! The demo data of a fresh install (`cargo run --release`): what the printed logins find.
use serde_json::Value;
use xueshi::demo::{DEMO_PASSWORD, demo_id_number};

use crate::both_backends;
use crate::helpers::*;

async fn demo_shows_the_review_chain(backend: Backend) {
    let app = spawn_with(backend, |s| s.demo = true).await;
    let learner = app.login_ok(&demo_id_number(23), DEMO_PASSWORD).await;
    let mine: Value = app.get("/api/v1/me/declarations", Some(&learner)).await.json().await.unwrap();
    let mut statuses: Vec<&str> =
        mine["declarations"].as_array().unwrap().iter().map(|d| d["status"].as_str().unwrap()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, ["approved", "pending"]);
    let year = xueshi::archive::ledger::year_of(app.app_state.clock.now());
    let archive: Value =
        app.get(&format!("/api/v1/me/archive?year={year}"), Some(&learner)).await.json().await.unwrap();
    let declared: Vec<f64> = archive["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["source"].as_str().unwrap().starts_with("declaration"))
        .map(|r| r["hours"].as_f64().unwrap())
        .collect();
    assert_eq!(declared, [16.0], "the approved qualification exam: {archive}");
    let hr = app.login_ok("hospital_hr", DEMO_PASSWORD).await;
    let queue: Value = app.get("/api/v1/reviews/pending", Some(&hr)).await.json().await.unwrap();
    assert_eq!(queue["declarations"].as_array().unwrap().len(), 1, "{queue}");
    assert_eq!(queue["declarations"][0]["kind"], "conference");
}
both_backends!(demo_data_shows_a_finished_and_a_waiting_declaration, demo_shows_the_review_chain);
