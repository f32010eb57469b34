//! Play sessions: normal watching, supersession, ownership, lecture states, bad input.
use reqwest::StatusCode;

use super::fixture::*;
use crate::both_backends;
use crate::helpers::*;

async fn normal_watch_completes_and_is_stored_first(backend: Backend) {
    let app = app_without_flusher(backend).await;
    let emp = employer(&app).await;
    let who = learner(&app, emp, 1).await;
    let course = course(&app, "published", &["ready", "ready"]).await;
    let (session, started) = play_ok(&app, &who, course.lectures[0]).await;
    assert_eq!((num(&started, "resume_s"), num(&started, "duration_s")), (0.0, DURATION_S));
    assert_eq!(started["beat_interval_s"], 10);
    let url = started["stream_url"].as_str().unwrap_or_default();
    assert!(url.starts_with("/media/lectures/") && url.ends_with("/master.m3u8"), "{url}");

    let first = beat_ok(&app, &who, &session, 0.0).await;
    assert_eq!((num(&first, "watched_s"), first["completed"].as_bool()), (0.0, Some(false)));
    let halfway = watch(&app, &who, &session, &[0.0, 10.0, 20.0, 30.0], 10).await;
    assert_eq!((num(&halfway, "watched_s"), num(&halfway, "coverage")), (30.0, 0.5));
    let done = watch(&app, &who, &session, &[30.0, 40.0, 50.0, 60.0], 10).await;
    assert_eq!((num(&done, "watched_s"), num(&done, "coverage"), done["completed"].as_bool()), (60.0, 1.0, Some(true)));

    // Written before the answer, although nothing was flushed.
    let row = stored(&app, &who, course.lectures[0]).await.expect("completion stored");
    assert!(row.completed && row.completed_at.is_some() && row.coverage == 1.0);
    let db = &app.app_state.db;
    assert_eq!(xueshi::watching::current_cycle(db, who.id, course.id).await.ok(), Some(1));
    assert_eq!(xueshi::watching::lectures_completed(db, who.id, course.id, 1).await.ok(), Some(false));

    let p = progress(&app, &who, course.id).await;
    assert_eq!((p["cycle"].as_i64(), p["completed"].as_bool()), (Some(1), Some(false)));
    assert_eq!(p["lectures"][0]["id"].as_i64(), Some(i64::from(course.lectures[0])));
    assert_eq!((num(&p["lectures"][0], "coverage"), p["lectures"][0]["completed"].as_bool()), (1.0, Some(true)));
    assert_eq!((num(&p["lectures"][1], "coverage"), p["lectures"][1]["completed"].as_bool()), (0.0, Some(false)));

    // Partial progress shows in the progress endpoint from the store, before any flush.
    let (second, _) = play_ok(&app, &who, course.lectures[1]).await;
    app.app_state.clock.advance(10);
    watch(&app, &who, &second, &[0.0, 10.0, 20.0], 10).await;
    let p = progress(&app, &who, course.id).await;
    assert!((num(&p["lectures"][1], "coverage") - 2.0 / 6.0).abs() < 1e-9, "{p}");
    app.app_state.clock.advance(10);
    watch(&app, &who, &second, &[30.0, 40.0, 50.0, 60.0], 10).await;
    let p = progress(&app, &who, course.id).await;
    assert_eq!(p["completed"].as_bool(), Some(true));
    assert_eq!(xueshi::watching::lectures_completed(db, who.id, course.id, 1).await.ok(), Some(true));

    // Restudy starts a new cycle with nothing watched.
    let now = app.app_state.clock.now();
    assert_eq!(xueshi::watching::start_new_cycle(db, who.id, course.id, now).await.ok(), Some(2));
    let p = progress(&app, &who, course.id).await;
    assert_eq!((p["cycle"].as_i64(), p["completed"].as_bool()), (Some(2), Some(false)));
    assert_eq!(num(&p["lectures"][0], "coverage"), 0.0);
    let (again, started) = play_ok(&app, &who, course.lectures[0]).await;
    assert_eq!(num(&started, "resume_s"), 0.0);
    assert_eq!(num(&beat_ok(&app, &who, &again, 0.0).await, "watched_s"), 0.0);
}
both_backends!(a_normal_watch_completes_and_is_stored_before_the_answer, normal_watch_completes_and_is_stored_first);

async fn second_device_supersedes_first(backend: Backend) {
    let app = spawn_app(backend).await;
    let emp = employer(&app).await;
    let who = learner(&app, emp, 2).await;
    let course = course(&app, "published", &["ready", "ready"]).await;
    let (phone, _) = play_ok(&app, &who, course.lectures[0]).await;
    beat_ok(&app, &who, &phone, 0.0).await;
    let (laptop, _) = play_ok(&app, &who, course.lectures[1]).await;
    app.app_state.clock.advance(10);
    let (status, code) = error_code(beat(&app, &who, &phone, 10.0).await).await;
    assert_eq!((status, code.as_str()), (StatusCode::CONFLICT, "superseded"));
    beat_ok(&app, &who, &laptop, 0.0).await;
    app.app_state.clock.advance(10);
    assert_eq!(num(&beat_ok(&app, &who, &laptop, 10.0).await, "watched_s"), 10.0);
    // Even on the same lecture, the older session stays refused.
    let (tablet, _) = play_ok(&app, &who, course.lectures[1]).await;
    let (status, _) = error_code(beat(&app, &who, &laptop, 20.0).await).await;
    assert_eq!(status, StatusCode::CONFLICT);
    beat_ok(&app, &who, &tablet, 10.0).await;
}
both_backends!(a_second_device_supersedes_the_first, second_device_supersedes_first);

async fn sessions_belong_to_their_learner(backend: Backend) {
    let app = spawn_app(backend).await;
    let emp = employer(&app).await;
    let (owner, other) = (learner(&app, emp, 3).await, learner(&app, emp, 4).await);
    let course = course(&app, "published", &["ready"]).await;
    let (session, _) = play_ok(&app, &owner, course.lectures[0]).await;
    let (status, code) = error_code(beat(&app, &other, &session, 0.0).await).await;
    assert_eq!((status, code.as_str()), (StatusCode::NOT_FOUND, "not_found"));
    for unknown in ["nope", &format!("{}x", &session[..session.len() - 1]), &session.replace("1.25", "9")] {
        let (status, _) = error_code(beat(&app, &owner, unknown, 0.0).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{unknown}");
    }
    // The owner's session is untouched by the attempts.
    beat_ok(&app, &owner, &session, 0.0).await;
    let (status, code) = error_code(beat(&app, &owner, &session, -1.0).await).await;
    assert_eq!((status, code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_position"));
    let path = format!("/api/v1/play/{session}/beat");
    let bad = app.post(&path, Some(&owner.token), serde_json::json!({"position_s": "NaN"})).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = error_code(beat(&app, &owner, &session, 0.0).await).await;
    assert_eq!(status, StatusCode::OK);
    // Staff do not watch.
    let (status, _) = error_code(
        app.post(
            &format!("/api/v1/lectures/{}/play", course.lectures[0]),
            Some(&app.admin_token),
            serde_json::json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
both_backends!(another_learners_session_is_not_found, sessions_belong_to_their_learner);

async fn only_ready_lectures_of_published_courses_play(backend: Backend) {
    let app = spawn_app(backend).await;
    let emp = employer(&app).await;
    let who = learner(&app, emp, 5).await;
    let draft = course(&app, "draft", &["ready"]).await;
    let live = course(&app, "published", &["ready", "processing", "failed"]).await;
    let (status, _) = error_code(play(&app, &who, draft.lectures[0]).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = error_code(play(&app, &who, 999_999).await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for lecture in &live.lectures[1..] {
        let (status, code) = error_code(play(&app, &who, *lecture).await).await;
        assert_eq!((status, code.as_str()), (StatusCode::CONFLICT, "lecture_not_ready"));
    }
    let r = app.get(&format!("/api/v1/courses/{}/progress", draft.id), Some(&who.token)).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Only ready lectures count towards the course.
    let p = progress(&app, &who, live.id).await;
    assert_eq!(p["lectures"].as_array().map(Vec::len), Some(1));
}
both_backends!(only_ready_lectures_of_published_courses_play, only_ready_lectures_of_published_courses_play);

/// Heartbeats reuse a token check for `auth_cache_s`; nothing else does (see `auth::cache`).
async fn logout_stops_beats_within_the_auth_cache_ttl(backend: Backend) {
    let app = spawn_with(backend, |s| s.auth_cache_s = 1).await;
    let emp = employer(&app).await;
    let who = learner(&app, emp, 6).await;
    let course = course(&app, "published", &["ready"]).await;
    let (session, _) = play_ok(&app, &who, course.lectures[0]).await;
    beat_ok(&app, &who, &session, 0.0).await;
    let r = app.post("/api/v1/auth/logout", Some(&who.token), serde_json::json!({})).await;
    assert!(r.status().is_success(), "{}", r.status());
    assert_eq!(app.get("/api/v1/me", Some(&who.token)).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(play(&app, &who, course.lectures[0]).await.status(), StatusCode::UNAUTHORIZED);
    // Within the TTL the heartbeat still passes on this node; after it, it is refused.
    assert_eq!(beat(&app, &who, &session, 0.0).await.status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(beat(&app, &who, &session, 0.0).await.status(), StatusCode::UNAUTHORIZED);
}
both_backends!(logout_stops_beats_within_the_auth_cache_ttl, logout_stops_beats_within_the_auth_cache_ttl);
