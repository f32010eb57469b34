//! What session 1 left open in declarations: the annual review that the policy may require
//! before a certificate (年度学时审验), the evidence size limit, and correcting a rejected
//! declaration from its page.
use reqwest::StatusCode;
use serde_json::{Value, json};
use xueshi::{
    archive::ledger::SourceKind,
    declarations::evidence::MAX_FILE_BYTES,
    rules::annual_summary::{Category, PublicSubkind},
};

use crate::both_backends;
use crate::declarations::{PDF, World, conference, created_id, credit, world};
use crate::helpers::*;
use crate::page_session::Session;

async fn require_review(w: &World) {
    let path = format!("/api/v1/policies/{}", w.year);
    let mut policy: Value = w.app.get(&path, Some(&w.app.admin_token)).await.json().await.unwrap();
    policy["certificate_requires_review"] = json!(true);
    let r = w.app.put(&format!("/api/v1/admin/policies/{}", w.year), Some(&w.app.admin_token), policy).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
}

async fn make_compliant(w: &World) {
    let online = SourceKind::CoursePass { online: true };
    credit(w, Category::Public, Some(PublicSubkind::Required), online.clone(), 20.0).await;
    credit(w, Category::Public, Some(PublicSubkind::Elective), online, 10.0).await;
    credit(w, Category::Professional, None, SourceKind::OfflineClass, 60.0).await;
}

fn annual_review(year: i32) -> Value {
    json!({"kind": "annual_review", "year": year, "title": "年度学时审验"})
}

async fn certificate_waits_for_the_annual_review(backend: Backend) {
    let w = world(backend).await;
    require_review(&w).await;
    let body = json!({"year": w.year});
    // Not compliant: neither a review nor a certificate, and the shortfall is given.
    let r = w.file(annual_review(w.year)).await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "not_compliant");
    assert_eq!(v["error"]["details"]["total"], 90.0);

    make_compliant(&w).await;
    let r = w.app.post("/api/v1/me/certificates", Some(&w.learner), body.clone()).await;
    assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "review_required".into()));
    let (id, computed) = created_id(w.file(annual_review(w.year)).await).await;
    assert_eq!(computed, json!({"public": 0.0, "professional": 0.0, "completes_year": false}));
    let r = w.file(annual_review(w.year)).await;
    assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "already_requested".into()));
    // The employer and the department approving is not enough: the chain must finish.
    for token in [&w.employer_admin, &w.dept_admin] {
        assert_eq!(w.review(token, id, "approve", Some("属实")).await.status(), StatusCode::OK);
    }
    let r = w.app.post("/api/v1/me/certificates", Some(&w.learner), body.clone()).await;
    assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "review_required".into()));
    assert_eq!(w.review(&w.hr_admin, id, "approve", Some("审验合格")).await.status(), StatusCode::OK);
    let r = w.app.post("/api/v1/me/certificates", Some(&w.learner), body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // The review added no hours.
    let archive: Value =
        w.app.get(&format!("/api/v1/me/archive?year={}", w.year), Some(&w.learner)).await.json().await.unwrap();
    assert_eq!(archive["total_hours"], 90.0);
    assert_eq!(archive["records"].as_array().unwrap().len(), 3);
}
both_backends!(
    certificate_requires_an_approved_annual_review_when_the_policy_says_so,
    certificate_waits_for_the_annual_review
);

async fn review_from_the_certificates_page(backend: Backend) {
    let w = world(backend).await;
    require_review(&w).await;
    make_compliant(&w).await;
    let s = Session::login(&w.app, &id_number(11)).await;
    let page = s.ok("/certificates").await;
    assert!(page.contains(&format!("申请 {} 年度学时审验", w.year)), "{page}");
    let year = w.year.to_string();
    let r = s.post("/certificates", &[("year", &year)]).await;
    assert!(r.text().await.unwrap().contains("尚未审验通过"));
    let r = s.post("/certificates/review", &[("year", &year)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = s.ok("/certificates").await;
    assert!(page.contains("等待用人单位审核"), "{page}");
    let queue: Value = w.app.get("/api/v1/reviews/pending", Some(&w.employer_admin)).await.json().await.unwrap();
    assert_eq!(queue["declarations"][0]["kind"], "annual_review");
}
both_backends!(learner_asks_for_the_annual_review_on_the_certificates_page, review_from_the_certificates_page);

async fn evidence_over_the_limit(backend: Backend) {
    let w = world(backend).await;
    let mut big = PDF.to_vec();
    big.resize(MAX_FILE_BYTES + 1, b' ');
    let r = w.file_multipart(conference(w.year), vec![("big.pdf", "application/pdf", &big)]).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let v: Value = r.json().await.unwrap();
    assert!(v["error"]["code"].is_string(), "the JSON error shape: {v}");
    assert_eq!(w.evidence_files(), 0, "nothing of the refused file is kept");
    let mine: Value = w.app.get("/api/v1/me/declarations", Some(&w.learner)).await.json().await.unwrap();
    assert!(mine["declarations"].as_array().unwrap().is_empty());
    // Exactly at the limit is accepted.
    big.truncate(MAX_FILE_BYTES);
    created_id(w.file_multipart(conference(w.year), vec![("ok.pdf", "application/pdf", &big)]).await).await;
}
both_backends!(evidence_over_10_mb_is_refused_with_413_and_leaves_nothing, evidence_over_the_limit);

async fn correct_from_the_page(backend: Backend) {
    let w = world(backend).await;
    let (id, _) = created_id(w.file(conference(w.year)).await).await;
    let s = Session::login(&w.app, &id_number(11)).await;
    let edit = format!("/declarations/{id}/edit");
    assert_eq!(s.page(&edit).await.0, StatusCode::NOT_FOUND, "pending: nothing to correct");
    assert_eq!(w.review(&w.employer_admin, id, "reject", Some("缺少会议通知")).await.status(), StatusCode::OK);
    let detail = s.ok(&format!("/declarations/{id}")).await;
    assert!(detail.contains(&edit), "the detail page links to the correction");
    let form = s.ok(&edit).await;
    assert!(form.contains("缺少会议通知") && form.contains(&format!("data-resubmit=\"{id}\"")), "{form}");
    assert!(form.contains("全国医学学术年会"), "prefilled from the declaration: {form}");
    // Another learner, and a reviewer, cannot open it.
    w.app.user_token(&id_number(12), "learner", Some(w.emp)).await;
    let other = Session::login(&w.app, &id_number(12)).await;
    assert_eq!(other.page(&edit).await.0, StatusCode::NOT_FOUND);
    let r = w.app.get(&edit, Some(&w.employer_admin)).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
both_backends!(rejected_declaration_opens_prefilled_for_correction, correct_from_the_page);
