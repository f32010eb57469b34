//! The learner's catalog, course and player pages: learners only, each learner sees only their
//! own progress, unpublished courses are not found, and restudy goes through the exam service.
use reqwest::StatusCode;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel};
use xueshi::entities::course;

use crate::both_backends;
use crate::exams::world as exam_world;
use crate::helpers::*;
use crate::page_session::Session;

/// Pages as another role sees them: (path, status).
async fn statuses(s: &Session, paths: &[String]) -> Vec<(String, StatusCode)> {
    let mut out = Vec::new();
    for p in paths {
        out.push((p.clone(), s.page(p).await.0));
    }
    out
}

async fn pages_are_for_learners_and_their_own_progress(backend: Backend) {
    let w = exam_world::world(backend).await;
    let (lecture, course_id) = (w.lectures[0], w.course_id);
    let paths = vec!["/courses".to_owned(), format!("/courses/{course_id}"), format!("/lectures/{lecture}/play")];

    // One learner has watched everything; the other nothing.
    let done = w.ready_learner(31).await;
    w.learner(32).await;
    let a = Session::login(&w.app, &id_number(31)).await;
    let b = Session::login(&w.app, &id_number(32)).await;
    let html = a.ok("/courses").await;
    assert!(html.contains("专利法实务") && html.contains("待考试") && html.contains("已学完 2 / 2 讲"), "{html}");
    assert!(html.contains("id=\"electives\"") && html.contains("还没有选学公需选修专题"), "{html}");
    let html = b.ok("/courses").await;
    assert!(html.contains("未开始") && html.contains("已学完 0 / 2 讲") && !html.contains("待考试"), "{html}");

    let html = a.ok(&paths[1]).await;
    assert!(html.contains("已学完 2 / 2 讲") && html.contains("可以参加考试"), "{html}");
    assert!(html.contains(&format!("href=\"/exams/{}\"", w.exam_id)) && html.contains("时长 30 分 00 秒"), "{html}");
    let html = b.ok(&paths[1]).await;
    assert!(
        html.contains("已学完 0 / 2 讲") && html.contains("请先学完全部讲次") && !html.contains("已完成"),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"/exams/{}\"", w.exam_id)), "the exam page is linked: {html}");

    let html = a.ok(&paths[2]).await;
    assert!(html.contains("本讲已完成") && html.contains("data-completed=\"true\""), "{html}");
    assert!(html.contains("/static/player.js") && html.contains("hls.light.min.js") && html.contains("<noscript>"));
    let html = b.ok(&paths[2]).await;
    assert!(html.contains("data-completed=\"false\"") && html.contains(">0%<"), "{html}");
    let _ = done;

    // Staff of every kind are refused; nobody logged in is sent to log in (or gets 401).
    let bureau = w.app.create_org("人社局2", "hr_bureau", None).await;
    let base = w.app.create_org("基地2", "base", Some(bureau)).await;
    w.app.user_token("base_s", "base_admin", Some(base)).await;
    w.app.user_token("hr_s", "hr_admin", Some(bureau)).await;
    for who in ["admin", "base_s", "hr_s"] {
        let s = Session::login(&w.app, who).await;
        for (path, status) in statuses(&s, &paths).await {
            assert_eq!(status, StatusCode::FORBIDDEN, "{who} {path}");
        }
    }
    for path in &paths {
        assert_eq!(w.app.get(path, None).await.status(), StatusCode::UNAUTHORIZED, "{path}");
    }

    // An unpublished course and its lectures are not found; so are unknown ones.
    let row = course::Entity::find_by_id(course_id).one(&w.app.app_state.db).await.unwrap().unwrap();
    let mut row = row.into_active_model();
    row.status = Set("draft".into());
    row.update(&w.app.app_state.db).await.unwrap();
    for path in paths.iter().skip(1).chain(["/courses/99999".to_owned(), "/lectures/99999/play".to_owned()].iter()) {
        assert_eq!(a.page(path).await.0, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(!a.ok("/courses").await.contains("专利法实务"), "a draft is not in the catalog");
}
both_backends!(learner_course_pages, pages_are_for_learners_and_their_own_progress);

async fn restudy_from_the_course_page(backend: Backend) {
    let w = exam_world::world(backend).await;
    let learner = w.ready_learner(33).await;
    let s = Session::login(&w.app, &id_number(33)).await;
    let path = format!("/courses/{}", w.course_id);
    let restudy = format!("{path}/restudy");
    // Not locked: the page explains, nothing changes.
    let r = s.post(&restudy, &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("只有本轮考试机会全部用完且未通过时"));
    // Two failures lock the exam: the course page offers restudy, which needs the CSRF token.
    w.sit(&learner, false).await;
    w.sit(&learner, false).await;
    let html = s.ok(&path).await;
    assert!(html.contains("考试已锁定") && html.contains("申请重新学习") && html.contains("第 1 轮"), "{html}");
    let r = s.client.post(w.app.url(&restudy)).form(&[("csrf", "00")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = s.post(&restudy, &[]).await;
    assert_eq!((r.status(), r.headers()["location"].to_str().unwrap()), (StatusCode::SEE_OTHER, path.as_str()));
    let html = s.ok(&path).await;
    assert!(
        html.contains("第 2 轮") && html.contains("已学完 0 / 2 讲") && html.contains("请先学完全部讲次"),
        "{html}"
    );
    // Another learner's lock is not theirs to lift.
    w.learner(34).await;
    let other = Session::login(&w.app, &id_number(34)).await;
    assert!(other.post(&restudy, &[]).await.text().await.unwrap().contains("只有本轮考试机会全部用完"));
}
both_backends!(course_page_restudy, restudy_from_the_course_page);

/// The demo data gives the demo course an exam from a published bank, so the demo learner can
/// go from the catalog to the exam.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_course_has_an_exam_on_a_published_bank() {
    use sea_orm::{ColumnTrait, QueryFilter};
    use xueshi::entities::{exam, question_bank};
    let app = spawn_with(Backend::Embedded, |s| {
        s.demo = true;
        s.run_jobs = false;
    })
    .await;
    let db = &app.app_state.db;
    let demo = course::Entity::find().filter(course::Column::Title.eq("知识产权保护")).one(db).await.unwrap().unwrap();
    let e = exam::Entity::find().filter(exam::Column::CourseId.eq(demo.id)).one(db).await.unwrap().expect("an exam");
    let bank = question_bank::Entity::find_by_id(e.bank_id).one(db).await.unwrap().unwrap();
    assert_eq!((bank.status.as_str(), bank.question_count), ("published", 16));
    assert_eq!((e.max_attempts, e.pass_score), (2, 60.0));
}
