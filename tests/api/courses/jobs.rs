//! The durable job queue: retries with backoff, reclaimed leases, the in-process worker.
use reqwest::StatusCode;

use super::*;
use crate::both_backends;
use crate::helpers::*;

/// A transcode job whose upload is gone: each attempt fails, retries wait out the backoff,
/// the last one fails the job and the lecture. No video is needed.
async fn failing_job_is_retried_then_failed(backend: Backend) {
    let app = spawn_with(backend, no_worker).await;
    let c = cast(&app).await;
    let course_id = create_course(&app, &c.base_admin, 1.0).await;
    let now = app.app_state.clock.now();
    let (lecture, job_row) =
        xueshi::courses::upload::register(&app.app_state.db, course_id as i32, "第二讲", uuid::Uuid::new_v4(), now)
            .await
            .unwrap();
    let state = &app.app_state;
    for attempt in 1..=3 {
        assert_eq!(xueshi::jobs::run_once(state).await.unwrap(), Some(job_row.id), "attempt {attempt}");
        let v = job(&app, &c.base_admin, job_row.id).await;
        assert_eq!(v["attempts"], attempt);
        assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{v}");
        if attempt < 3 {
            assert_eq!(v["status"], "queued");
            assert_eq!(xueshi::jobs::run_once(state).await.unwrap(), None, "waits for the backoff");
            state.clock.advance(xueshi::jobs::queue::backoff(attempt).num_seconds() + 1);
        } else {
            assert_eq!(v["status"], "failed");
        }
    }
    let detail = course(&app, &c.base_admin, course_id).await;
    assert_eq!(detail["lectures"][0]["id"], lecture.id);
    assert_eq!(detail["lectures"][0]["status"], "failed");
    assert!(detail["lectures"][0]["error"].is_string());
    // Jobs are visible to their course's managers only.
    for token in [&c.other_admin, &c.learner] {
        let r = app.get(&format!("/api/v1/jobs/{}", job_row.id), Some(token)).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
}
both_backends!(a_failing_job_is_retried_with_backoff_then_failed, failing_job_is_retried_then_failed);

/// A worker that died holding a job: once its lease expires, the next worker takes the job.
async fn expired_lease_is_reclaimed(backend: Backend) {
    let app = spawn_with(backend, no_worker).await;
    let c = cast(&app).await;
    let course_id = create_course(&app, &c.base_admin, 1.0).await;
    let state = &app.app_state;
    let now = state.clock.now();
    let (_, job_row) =
        xueshi::courses::upload::register(&state.db, course_id as i32, "第三讲", uuid::Uuid::new_v4(), now)
            .await
            .unwrap();
    let claimed = xueshi::jobs::queue::claim_next(&state.db, "dead-worker", now).await.unwrap().unwrap();
    assert_eq!((claimed.id, claimed.attempts), (job_row.id, 1));
    assert_eq!(job(&app, &c.base_admin, job_row.id).await["status"], "running");
    assert_eq!(xueshi::jobs::run_once(state).await.unwrap(), None, "the lease still holds");
    state.clock.advance(xueshi::jobs::queue::LEASE_S + 1);
    assert_eq!(xueshi::jobs::run_once(state).await.unwrap(), Some(job_row.id));
    assert_eq!(job(&app, &c.base_admin, job_row.id).await["attempts"], 2);
}
both_backends!(a_dead_workers_job_is_reclaimed_after_its_lease, expired_lease_is_reclaimed);

/// `serve` runs a worker in process: a queued job is picked up without anyone calling it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_in_process_worker_picks_up_jobs() {
    let app = spawn_app(Backend::Embedded).await;
    let c = cast(&app).await;
    let course_id = create_course(&app, &c.base_admin, 1.0).await;
    let now = app.app_state.clock.now();
    let (_, job_row) =
        xueshi::courses::upload::register(&app.app_state.db, course_id as i32, "第四讲", uuid::Uuid::new_v4(), now)
            .await
            .unwrap();
    for _ in 0..100 {
        if job(&app, &c.base_admin, job_row.id).await["attempts"] == 1 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the worker did not pick the job up within 10 s");
}
