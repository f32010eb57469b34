//! What earns nothing: skipping ahead, playing faster than the policy allows, replaying beats.
use super::fixture::*;
use crate::both_backends;
use crate::helpers::*;

async fn jump_to_end_earns_nothing(backend: Backend) {
    let app = spawn_app(backend).await;
    let emp = employer(&app).await;
    let who = learner(&app, emp, 11).await;
    let course = course(&app, "published", &["ready"]).await;
    let (session, _) = play_ok(&app, &who, course.lectures[0]).await;
    let last = watch(&app, &who, &session, &[0.0, 60.0, 60.0, 60.0], 10).await;
    assert_eq!((num(&last, "watched_s"), last["completed"].as_bool()), (0.0, Some(false)));
    // Past the end is no better.
    let last = watch(&app, &who, &session, &[60.0, 500.0], 10).await;
    assert_eq!(num(&last, "watched_s"), 0.0);
    let p = progress(&app, &who, course.id).await;
    assert_eq!((num(&p["lectures"][0], "coverage"), p["completed"].as_bool()), (0.0, Some(false)));
}
both_backends!(a_jump_to_the_end_earns_nothing, jump_to_end_earns_nothing);

async fn fast_playback_earns_at_most_the_policy_rate(backend: Backend) {
    let app = spawn_app(backend).await;
    let emp = employer(&app).await;
    let (fast, allowed) = (learner(&app, emp, 12).await, learner(&app, emp, 13).await);
    let course = course(&app, "published", &["ready"]).await;
    let rate = xueshi::rules::policy::Policy::shandong_default(2026).max_playback_rate;

    // 2x: 60 s of lecture in 30 s of wall time.
    let (session, _) = play_ok(&app, &fast, course.lectures[0]).await;
    let last = watch(&app, &fast, &session, &[0.0, 20.0, 40.0, 60.0], 10).await;
    let elapsed_s = 30.0;
    assert!(num(&last, "watched_s") <= elapsed_s * rate + xueshi::watching::TOLERANCE_S, "{last}");
    assert_eq!(last["completed"].as_bool(), Some(false));

    // The policy's own maximum (1.25x) is honest watching and earns everything.
    let (session, _) = play_ok(&app, &allowed, course.lectures[0]).await;
    let step = 10.0 * rate;
    let positions: Vec<f64> = (0..=5).map(|i| (f64::from(i) * step).min(DURATION_S)).collect();
    let last = watch(&app, &allowed, &session, &positions, 10).await;
    assert_eq!((num(&last, "watched_s"), last["completed"].as_bool()), (60.0, Some(true)), "{positions:?}");
}
both_backends!(fast_playback_earns_at_most_the_policy_rate, fast_playback_earns_at_most_the_policy_rate);

async fn replayed_beat_earns_nothing_extra(backend: Backend) {
    let app = spawn_app(backend).await;
    let emp = employer(&app).await;
    let who = learner(&app, emp, 14).await;
    let course = course(&app, "published", &["ready"]).await;
    let (session, _) = play_ok(&app, &who, course.lectures[0]).await;
    let honest = watch(&app, &who, &session, &[0.0, 10.0, 20.0], 10).await;
    assert_eq!(num(&honest, "watched_s"), 20.0);
    // The same beat again, at once and later: no more credit, and the run is not broken.
    for _ in 0..3 {
        assert_eq!(num(&beat_ok(&app, &who, &session, 20.0).await, "watched_s"), 20.0);
    }
    app.app_state.clock.advance(10);
    assert_eq!(num(&beat_ok(&app, &who, &session, 20.0).await, "watched_s"), 20.0);
    // Replaying old positions after a pause does not re-earn or advance.
    for p in [0.0, 10.0] {
        app.app_state.clock.advance(10);
        assert_eq!(num(&beat_ok(&app, &who, &session, p).await, "watched_s"), 20.0);
    }
}
both_backends!(a_replayed_beat_earns_nothing_extra, replayed_beat_earns_nothing_extra);
