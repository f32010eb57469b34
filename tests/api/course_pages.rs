//! The base admin's course pages and the platform admin's course review: who may open them
//! (another base gets 404, learners and reviewers 403), field errors in Chinese, the plain
//! (no-script) upload, the submission refusals, and publish / reject with a reason.
use reqwest::{StatusCode, multipart};
use serde_json::Value;

use crate::both_backends;
use crate::courses::{cast, create_course, entries, no_worker, ready_lecture, uploads_dir};
use crate::helpers::*;
use crate::page_session::Session;

/// The base admin's session, the other base's admin's, a learner's and a reviewer's.
struct Sessions {
    base: Session,
    other_base: Session,
    learner: Session,
    reviewer: Session,
}

/// Logs in the people of `cast` (which must have run) and an employer's reviewer.
async fn sessions(app: &TestApp) -> Sessions {
    let employer = app.create_org("用人单位", "employer", None).await;
    app.user_token("emp_reviewer", "employer_admin", Some(employer)).await;
    Sessions {
        base: Session::login(app, "base_admin_1").await,
        other_base: Session::login(app, "base_admin_2").await,
        learner: Session::login(app, &id_number(101)).await,
        reviewer: Session::login(app, "emp_reviewer").await,
    }
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_owned()
}

async fn pages_are_scoped_to_the_base(backend: Backend) {
    let app = spawn_with(backend, no_worker).await;
    let c = cast(&app).await;
    let s = sessions(&app).await;
    let id = create_course(&app, &c.base_admin, 1.0).await;
    let course = format!("/base/courses/{id}");
    assert!(s.base.ok("/base/courses").await.contains("知识产权保护"));
    let html = s.base.ok(&course).await;
    assert!(html.contains("上传课时视频") && html.contains("<noscript>") && html.contains("/static/lecture_upload.js"));
    s.base.ok(&format!("{course}/edit")).await;
    assert!(s.base.ok("/staff").await.contains("课程管理"), "the staff home links the course pages");

    // Another base: every page and form of this course is a 404; its own list does not show it.
    for path in [course.clone(), format!("{course}/edit")] {
        assert_eq!(s.other_base.page(&path).await.0, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(!s.other_base.ok("/base/courses").await.contains("知识产权保护"));
    for path in [format!("{course}/submit"), format!("{course}/edit")] {
        let r = s.other_base.post(&path, &[("title", "改名"), ("category", "professional")]).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let upload = format!("{}{course}/lectures?csrf={}", app.address, s.other_base.csrf);
    let form = multipart::Form::new().text("title", "x").part("file", multipart::Part::bytes(b"x".to_vec()));
    let r = s.other_base.client.post(upload).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(crate::courses::course(&app, &c.base_admin, id).await["title"], "知识产权保护");

    // Learners and reviewers are refused every base and review page; anonymous browsers go to login.
    let pages = ["/base/courses", "/base/courses/new", course.as_str(), "/admin/courses"];
    for who in [&s.learner, &s.reviewer] {
        for path in pages {
            assert_eq!(who.page(path).await.0, StatusCode::FORBIDDEN, "{path}");
        }
        let r = who.post(&format!("{course}/submit"), &[]).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(s.base.page("/admin/courses").await.0, StatusCode::FORBIDDEN);
    let r = s.base.post(&format!("/admin/courses/{id}/publish"), &[]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let anon = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = anon.get(app.url(&course)).header("accept", "text/html").send().await.unwrap();
    assert_eq!((r.status(), location(&r)), (StatusCode::SEE_OTHER, "/login".into()));
}
both_backends!(base_course_pages_are_scoped, pages_are_scoped_to_the_base);

async fn form_errors_and_plain_upload(backend: Backend) {
    let app = spawn_with(backend, no_worker).await;
    cast(&app).await;
    let s = Session::login(&app, "base_admin_1").await;
    // Every bad field is named next to it, in Chinese; what was typed is kept.
    let bad =
        [("title", " "), ("category", "professional"), ("year", "2026"), ("hours", "1.25"), ("teacher", "王老师")];
    let r = s.post("/base/courses", &bad).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"e-title\"") && html.contains("课程名称不能为空"), "{html}");
    assert!(html.contains("id=\"e-hours\"") && html.contains("学时须为正数且最多一位小数"), "{html}");
    assert!(html.contains("value=\"1.25\"") && !html.contains("(required"), "{html}");
    let good =
        [("title", "专利实务"), ("category", "professional"), ("year", "2026"), ("hours", "1"), ("teacher", "李老师")];
    let r = s.post("/base/courses", &good).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = location(&r);
    assert!(to.ends_with("?done=created"), "{to}");
    let course = to.split('?').next().unwrap().to_owned();
    assert!(s.ok(&to).await.contains("课程已创建"));

    // The plain multipart upload: a text file named .mp4 is refused next to the file field.
    let text = "这不是视频\n".repeat(200).into_bytes();
    let part = multipart::Part::bytes(text).file_name("lecture.mp4").mime_str("video/mp4").unwrap();
    let form = multipart::Form::new().text("title", "第一讲").part("file", part);
    let url = format!("{}{course}/lectures?csrf={}", app.address, s.csrf);
    let r = s.client.post(&url).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"e-file\"") && html.contains("不是可播放的视频文件"), "{html}");
    assert!(entries(&uploads_dir(&app)).is_empty(), "nothing is kept");
    // Without the CSRF token nothing is read.
    let form = multipart::Form::new().text("title", "第一讲").part("file", multipart::Part::bytes(b"x".to_vec()));
    let r = s.client.post(format!("{}{course}/lectures", app.address)).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Editing: a bad value is refused next to its field; a good one saved.
    let edit = format!("{course}/edit");
    let r = s
        .post(
            &edit,
            &[
                ("title", "专利实务"),
                ("category", "professional"),
                ("year", "1990"),
                ("hours", "1"),
                ("teacher", "李老师"),
            ],
        )
        .await;
    assert!(r.text().await.unwrap().contains("年度无效"));
    let r = s
        .post(
            &edit,
            &[
                ("title", "专利实务（修订）"),
                ("category", "public_elective"),
                ("year", "2026"),
                ("hours", "0.5"),
                ("teacher", "李老师"),
            ],
        )
        .await;
    assert_eq!(location(&r), format!("{course}?done=updated"));
    let html = s.ok(&course).await;
    assert!(html.contains("专利实务（修订）") && html.contains("公需科目（选修）"), "{html}");
}
both_backends!(course_form_errors_and_plain_upload, form_errors_and_plain_upload);

async fn submit_refusals_then_review(backend: Backend) {
    let app = spawn_with(backend, no_worker).await;
    let c = cast(&app).await;
    let base = Session::login(&app, "base_admin_1").await;
    let admin = Session::login(&app, "admin").await;
    let id = create_course(&app, &c.base_admin, 1.0).await;
    let course = format!("/base/courses/{id}");
    let submit = format!("{course}/submit");
    // No lectures, then too little video for 1 hour (45 min at the default policy): refused, said plainly.
    let html = base.post(&submit, &[]).await.text().await.unwrap();
    assert!(html.contains("id=\"submit-error\"") && html.contains("还没有课时视频"), "{html}");
    ready_lecture(&app, id, 600.0).await;
    let html = base.post(&submit, &[]).await.text().await.unwrap();
    assert!(html.contains("课时视频总时长 10 分钟") && html.contains("至少需要 45 分钟"), "{html}");
    ready_lecture(&app, id, 2100.0).await;
    let r = base.post(&submit, &[]).await;
    assert_eq!(location(&r), format!("{course}?done=submitted"));
    assert!(base.ok(&course).await.contains("等待平台审核"));

    // The queue shows it with its lectures and preview links; a reject needs a reason.
    let html = admin.ok("/admin/courses").await;
    assert!(html.contains("知识产权保护") && html.contains(&format!("/staff/courses/{id}/lectures/")), "{html}");
    assert!(html.contains("45:00"), "total length of the lectures: {html}");
    let html = admin.post(&format!("/admin/courses/{id}/reject"), &[("reason", " ")]).await.text().await.unwrap();
    assert!(html.contains(&format!("id=\"reason-error-{id}\"")) && html.contains("请填写退回原因"), "{html}");
    let r = admin.post(&format!("/admin/courses/{id}/reject"), &[("reason", "缺少课件")]).await;
    assert_eq!(location(&r), format!("/admin/courses?done={id}&decision=reject"));
    assert!(base.ok("/base/courses").await.contains("退回原因：缺少课件"));
    assert!(base.ok(&course).await.contains("审核退回：缺少课件"));

    // Resubmitted and published: learners now see it.
    assert_eq!(base.post(&submit, &[]).await.status(), StatusCode::SEE_OTHER);
    let r = admin.post(&format!("/admin/courses/{id}/publish"), &[]).await;
    assert_eq!(location(&r), format!("/admin/courses?done={id}&decision=publish"));
    assert!(admin.ok(&location(&r)).await.contains("已发布"));
    let listed: Value = app.get("/api/v1/courses", Some(&c.learner)).await.json().await.unwrap();
    assert_eq!(listed["courses"][0]["id"], id);
    // Once published the base can no longer edit it.
    let html = base.ok(&course).await;
    assert!(!html.contains("id=\"upload-form\"") && !html.contains("id=\"submit-button\""), "{html}");
}
both_backends!(course_submit_refusals_and_review, submit_refusals_then_review);
