//! Hour declarations through the three-level review chain, evidence, scope, certificates.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use std::collections::BTreeSet;

use reqwest::{StatusCode, multipart};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use xueshi::{
    archive::ledger::{self, NewCredit, SourceKind},
    entities::audit_log,
    rules::annual_summary::{Category, PublicSubkind},
};

use crate::both_backends;
use crate::helpers::*;

pub(crate) const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// A bureau with a department over one employer, and a second employer outside the department.
pub(crate) struct World {
    pub(crate) app: TestApp,
    pub(crate) year: i32,
    pub(crate) learner: String,
    pub(crate) learner_id: i64,
    pub(crate) employer_admin: String,
    pub(crate) dept_admin: String,
    pub(crate) hr_admin: String,
    pub(crate) other_admin: String,
    pub(crate) dept: i64,
    pub(crate) emp: i64,
}

pub(crate) async fn world(backend: Backend) -> World {
    let app = spawn_app(backend).await;
    let bureau = app.create_org("威海市人社局", "hr_bureau", None).await;
    let dept = app.create_org("市卫健委", "department", Some(bureau)).await;
    let emp = app.create_org("市立医院", "employer", Some(dept)).await;
    let other = app.create_org("其他医院", "employer", Some(bureau)).await;
    let learner = app.user_token(&id_number(11), "learner", Some(emp)).await;
    let me: Value = app.get("/api/v1/me", Some(&learner)).await.json().await.unwrap();
    let year = ledger::year_of(app.app_state.clock.now());
    World {
        learner_id: me["id"].as_i64().unwrap(),
        learner,
        employer_admin: app.user_token("emp_admin", "employer_admin", Some(emp)).await,
        dept_admin: app.user_token("dept_admin", "department_admin", Some(dept)).await,
        hr_admin: app.user_token("hr_admin", "hr_admin", Some(bureau)).await,
        other_admin: app.user_token("other_admin", "employer_admin", Some(other)).await,
        dept,
        emp,
        year,
        app,
    }
}

impl World {
    pub(crate) async fn file(&self, body: Value) -> reqwest::Response {
        self.app.post("/api/v1/declarations", Some(&self.learner), body).await
    }

    pub(crate) async fn file_multipart(&self, data: Value, files: Vec<(&str, &str, &[u8])>) -> reqwest::Response {
        let mut form = multipart::Form::new().text("data", data.to_string());
        for (name, mime, bytes) in files {
            let part = multipart::Part::bytes(bytes.to_vec()).file_name(name.to_owned()).mime_str(mime).unwrap();
            form = form.part("evidence", part);
        }
        let rb = self.app.anon.post(self.app.url("/api/v1/declarations")).bearer_auth(&self.learner);
        rb.multipart(form).send().await.unwrap()
    }

    pub(crate) async fn review(
        &self,
        token: &str,
        id: i64,
        decision: &str,
        comment: Option<&str>,
    ) -> reqwest::Response {
        let body = json!({"decision": decision, "comment": comment});
        self.app.post(&format!("/api/v1/declarations/{id}/review"), Some(token), body).await
    }

    pub(crate) async fn approve_all(&self, id: i64) -> Value {
        for token in [&self.employer_admin, &self.dept_admin, &self.hr_admin] {
            let r = self.review(token, id, "approve", Some("属实")).await;
            assert_eq!(r.status(), StatusCode::OK);
        }
        self.app.get(&format!("/api/v1/declarations/{id}"), Some(&self.learner)).await.json().await.unwrap()
    }

    pub(crate) async fn pending_ids(&self, token: &str) -> Vec<i64> {
        let v: Value = self.app.get("/api/v1/reviews/pending", Some(token)).await.json().await.unwrap();
        v["declarations"].as_array().unwrap().iter().map(|d| d["id"].as_i64().unwrap()).collect()
    }

    pub(crate) fn evidence_files(&self) -> usize {
        let dir = self.app.app_state.settings.data_dir.join("evidence");
        std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
    }
}

pub(crate) fn conference(year: i32) -> Value {
    json!({"kind": "conference", "year": year, "title": "全国医学学术年会", "days": 2, "hours": 20})
}

fn paper(year: i32, reference: &str) -> Value {
    json!({"kind": "achievement", "year": year, "title": "论文：院内感染防控", "reference": reference})
}

pub(crate) async fn created_id(r: reqwest::Response) -> (i64, Value) {
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "pending");
    (v["id"].as_i64().unwrap(), v["computed"].clone())
}

async fn three_level_chain_credits_the_archive(backend: Backend) {
    let w = world(backend).await;
    let preview: Value =
        w.app.post("/api/v1/declarations/preview", Some(&w.learner), conference(w.year)).await.json().await.unwrap();
    assert_eq!(preview["computed"]["professional"], 16.0, "8 hours a day at most: {preview}");
    assert!(
        w.app.get("/api/v1/me/declarations", Some(&w.learner)).await.json::<Value>().await.unwrap()["declarations"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let (conf, computed) = created_id(w.file(conference(w.year)).await).await;
    assert_eq!(computed, json!({"public": 0.0, "professional": 16.0, "completes_year": false}));
    let r = w
        .file_multipart(
            paper(w.year, "DOI 10.1000/ABC"),
            vec![("paper.pdf", "application/pdf", PDF), ("p.png", "image/png", PNG)],
        )
        .await;
    let (paper_id, computed) = created_id(r).await;
    assert_eq!(computed["professional"], 10.0);
    assert_eq!(w.evidence_files(), 2);

    assert_eq!(w.pending_ids(&w.employer_admin).await, vec![conf, paper_id]);
    assert!(w.pending_ids(&w.dept_admin).await.is_empty(), "not yet at the department's level");
    for id in [conf, paper_id] {
        let r = w.review(&w.hr_admin, id, "approve", None).await;
        assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "not_your_level".into()));
        let done = w.approve_all(id).await;
        assert_eq!(done["status"], "approved");
        assert_eq!(done["level"], Value::Null);
        let levels: Vec<&str> =
            done["decisions"].as_array().unwrap().iter().map(|d| d["level"].as_str().unwrap()).collect();
        assert_eq!(levels, ["employer", "department", "hr_bureau"]);
        assert!(
            done["decisions"]
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["reviewer_name"] == "测试用户" && d["decided_at"].is_string())
        );
    }
    let archive: Value =
        w.app.get(&format!("/api/v1/me/archive?year={}", w.year), Some(&w.learner)).await.json().await.unwrap();
    assert_eq!(archive["professional_hours"], 26.0, "{archive}");
    assert!(!archive["compliant"].as_bool().unwrap());
    let audited = audit_log::Entity::find()
        .filter(audit_log::Column::Action.starts_with("declaration.approve"))
        .filter(audit_log::Column::Reason.eq("属实"))
        .all(&w.app.app_state.db)
        .await
        .unwrap();
    assert_eq!(audited.len(), 6, "every decision is audited with who and why");
    let sources: Vec<&str> =
        archive["records"].as_array().unwrap().iter().map(|r| r["source"].as_str().unwrap()).collect();
    assert_eq!(sources, ["declaration", "declaration"]);

    // Evidence: owner and reviewers in scope get the file as it is; anyone else 404.
    let detail: Value =
        w.app.get(&format!("/api/v1/declarations/{paper_id}"), Some(&w.learner)).await.json().await.unwrap();
    let url = detail["evidence"][0]["url"].as_str().unwrap().to_owned();
    for token in [&w.learner, &w.dept_admin] {
        let r = w.app.get(&url, Some(token)).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert_eq!(r.headers()["content-disposition"], "inline");
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);
    }
    assert_eq!(w.app.get(&url, Some(&w.other_admin)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        w.app.get(detail["evidence"][1]["url"].as_str().unwrap(), Some(&w.learner)).await.headers()["content-type"],
        "image/png"
    );
    // A pandemic front-line declaration, once approved, makes the year complete whatever the hours.
    let pandemic = json!({"kind": "pandemic_frontline", "year": w.year, "title": "新冠防控一线"});
    let (id, _) = created_id(w.file(pandemic).await).await;
    assert_eq!(w.approve_all(id).await["status"], "approved");
    let archive: Value =
        w.app.get(&format!("/api/v1/me/archive?year={}", w.year), Some(&w.learner)).await.json().await.unwrap();
    assert!(archive["compliant"].as_bool().unwrap(), "{archive}");
}
both_backends!(three_level_chain_credits_the_archive_with_evidence, three_level_chain_credits_the_archive);

async fn scope_is_enforced(backend: Backend) {
    let w = world(backend).await;
    let (id, _) = created_id(w.file(conference(w.year)).await).await;
    let other_learner = w.app.user_token(&id_number(12), "learner", Some(w.emp)).await;
    for token in [&w.other_admin, &other_learner] {
        let r = w.app.get(&format!("/api/v1/declarations/{id}"), Some(token)).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
    assert_eq!(error_code(w.review(&w.other_admin, id, "approve", None).await).await.0, StatusCode::NOT_FOUND);
    assert!(w.pending_ids(&w.other_admin).await.is_empty());
    let r = w.app.get("/api/v1/reviews/pending", Some(&w.learner)).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(w.review(&w.learner, id, "approve", None).await.status(), StatusCode::FORBIDDEN);
    // The contract lists these paths.
    let spec: Value = w.app.get("/api/openapi.json", None).await.json().await.unwrap();
    for path in
        ["/api/v1/declarations", "/api/v1/reviews/pending", "/api/v1/declarations/{id}/review", "/verify/{code}"]
    {
        assert!(spec["paths"][path].is_object(), "{path} missing from the spec");
    }
    let r = w.review(&w.dept_admin, id, "approve", None).await;
    assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "not_your_level".into()));
    // Nothing was decided by the refused attempts.
    let v: Value =
        w.app.get(&format!("/api/v1/declarations/{id}"), Some(&w.employer_admin)).await.json().await.unwrap();
    assert_eq!((v["level"].as_str(), v["decisions"].as_array().unwrap().len()), (Some("employer"), 0));
}
both_backends!(reviewers_outside_scope_get_404_and_learners_403, scope_is_enforced);

async fn tampered_evidence_is_refused(backend: Backend) {
    let w = world(backend).await;
    let html: &[u8] = b"<html><script>alert(document.cookie)</script></html>";
    let r = w
        .file_multipart(
            paper(w.year, "CN1"),
            vec![("ok.pdf", "application/pdf", PDF), ("fake.pdf", "application/pdf", html)],
        )
        .await;
    assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "invalid_evidence".into()));
    let r = w.file_multipart(conference(w.year), vec![("notes.pdf", "application/pdf", b"just some text")]).await;
    assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "invalid_evidence".into()));
    let six = vec![("a.pdf", "application/pdf", PDF); 6];
    let r = w.file_multipart(conference(w.year), six).await;
    assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "too_many_files".into()));
    assert_eq!(w.evidence_files(), 0, "nothing stored, not even the valid file");
    let mine: Value = w.app.get("/api/v1/me/declarations", Some(&w.learner)).await.json().await.unwrap();
    assert!(mine["declarations"].as_array().unwrap().is_empty());
    // The reference of the refused filing is still free.
    created_id(w.file_multipart(paper(w.year, "CN1"), vec![("a.pdf", "application/pdf", PDF)]).await).await;
}
both_backends!(evidence_that_is_not_pdf_jpeg_or_png_is_refused, tampered_evidence_is_refused);

async fn achievements_count_once(backend: Backend) {
    let w = world(backend).await;
    let (first, _) = created_id(w.file(paper(w.year, "CN 1234567 A")).await).await;
    for again in ["cn1234567a", " CN1234567 A "] {
        let r = w.file(paper(w.year, again)).await;
        assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "duplicate_reference".into()));
        let r = w.app.post("/api/v1/declarations/preview", Some(&w.learner), paper(w.year, again)).await;
        assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "duplicate_reference".into()));
    }
    // Not in a later year either; once rejected, the reference is free again.
    assert_eq!(error_code(w.file(paper(w.year - 1, "CN1234567A")).await).await.1, "duplicate_reference");
    assert_eq!(w.review(&w.employer_admin, first, "reject", Some("材料不清")).await.status(), StatusCode::OK);
    created_id(w.file(paper(w.year, "CN1234567A")).await).await;
}
both_backends!(duplicate_achievement_reference_is_refused, achievements_count_once);

async fn one_decision_per_level(backend: Backend) {
    let w = world(backend).await;
    let (id, _) = created_id(w.file(conference(w.year)).await).await;
    assert_eq!(w.review(&w.employer_admin, id, "approve", None).await.status(), StatusCode::OK);
    let r = w.review(&w.employer_admin, id, "approve", None).await;
    assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "not_your_level".into()));
    // Two department admins at once: exactly one decision is recorded.
    let second = w.app.user_token("dept_admin2", "department_admin", Some(w.dept)).await;
    let (a, b) = tokio::join!(w.review(&w.dept_admin, id, "approve", None), w.review(&second, id, "approve", None));
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let v: Value = w.app.get(&format!("/api/v1/declarations/{id}"), Some(&w.learner)).await.json().await.unwrap();
    assert_eq!(v["decisions"].as_array().unwrap().len(), 2);
    assert_eq!(v["level"], "hr_bureau");
}
both_backends!(a_level_decides_once, one_decision_per_level);

async fn reject_then_resubmit(backend: Backend) {
    let w = world(backend).await;
    let (id, _) = created_id(w.file(conference(w.year)).await).await;
    let r = w.review(&w.employer_admin, id, "reject", None).await;
    assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "comment_required".into()));
    assert_eq!(w.review(&w.employer_admin, id, "approve", None).await.status(), StatusCode::OK);
    let r = w.review(&w.dept_admin, id, "reject", Some("天数与通知不符")).await;
    let v: Value = r.json().await.unwrap();
    assert_eq!((v["status"].as_str(), v["round"].as_i64()), (Some("rejected"), Some(1)));
    assert!(w.pending_ids(&w.dept_admin).await.is_empty());
    let r = w.review(&w.hr_admin, id, "approve", None).await;
    assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "not_pending".into()));

    let mut corrected = conference(w.year);
    corrected["days"] = json!(3);
    let r = w.app.put(&format!("/api/v1/declarations/{id}"), Some(&w.other_admin), corrected.clone()).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = w.app.put(&format!("/api/v1/declarations/{id}"), Some(&w.learner), corrected.clone()).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (v["status"].as_str(), v["level"].as_str(), v["round"].as_i64()),
        (Some("pending"), Some("employer"), Some(2))
    );
    assert_eq!(v["computed"]["professional"], 20.0);
    let done = w.approve_all(id).await;
    assert_eq!(done["status"], "approved");
    let trail: Vec<(i64, &str, &str)> = done["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["round"].as_i64().unwrap(), d["level"].as_str().unwrap(), d["decision"].as_str().unwrap()))
        .collect();
    assert_eq!(
        trail,
        [
            (1, "employer", "approve"),
            (1, "department", "reject"),
            (2, "employer", "approve"),
            (2, "department", "approve"),
            (2, "hr_bureau", "approve")
        ]
    );
    assert_eq!(done["decisions"][1]["comment"], "天数与通知不符");
    let r = w.app.put(&format!("/api/v1/declarations/{id}"), Some(&w.learner), corrected).await;
    assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "not_rejected".into()));
}
both_backends!(rejected_declaration_is_corrected_and_approved, reject_then_resubmit);

pub(crate) async fn credit(
    w: &World,
    category: Category,
    subkind: Option<PublicSubkind>,
    source: SourceKind,
    hours: f64,
) {
    let c = NewCredit {
        learner_id: w.learner_id as i32,
        year: w.year,
        category,
        public_subkind: subkind,
        source,
        source_id: format!("{category:?}{hours}"),
        title: "课程".into(),
        hours,
        at: w.app.app_state.clock.now(),
    };
    assert!(ledger::credit(&w.app.app_state.db, c).await.unwrap());
}

async fn certificates_verify_and_revoke(backend: Backend) {
    let w = world(backend).await;
    let body = json!({"year": w.year});
    let r = w.app.post("/api/v1/me/certificates", Some(&w.learner), body.clone()).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"]["code"], "not_compliant");
    assert_eq!(v["error"]["details"], json!({"public": 30.0, "professional": 60.0, "total": 90.0}));

    let online = SourceKind::CoursePass { online: true };
    credit(&w, Category::Public, Some(PublicSubkind::Required), online.clone(), 20.0).await;
    credit(&w, Category::Public, Some(PublicSubkind::Elective), online, 10.0).await;
    credit(&w, Category::Professional, None, SourceKind::OfflineClass, 60.0).await;
    let r = w.app.post("/api/v1/me/certificates", Some(&w.learner), body.clone()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let issued: Value = r.json().await.unwrap();
    let code = issued["code"].as_str().unwrap().to_owned();
    assert!(code.len() >= 16);
    let again: Value =
        w.app.post("/api/v1/me/certificates", Some(&w.learner), body.clone()).await.json().await.unwrap();
    assert_eq!(again["code"], code.as_str());

    let verify = w.app.url(&format!("/verify/{code}"));
    let v: Value =
        w.app.anon.get(&verify).header("Accept", "application/json").send().await.unwrap().json().await.unwrap();
    let keys: BTreeSet<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    let expected = [
        "id_number_masked",
        "issued_at",
        "name_masked",
        "professional_hours",
        "public_hours",
        "status",
        "total_hours",
        "year",
    ];
    assert_eq!(keys, expected.into_iter().collect());
    let id = id_number(11);
    assert_eq!(v["name_masked"], "测**户");
    assert_eq!(v["id_number_masked"], format!("{}********{}", &id[..6], &id[14..]));
    assert_eq!((v["status"].as_str(), v["total_hours"].as_f64()), (Some("valid"), Some(90.0)));
    let page = w.app.anon.get(&verify).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("测**户") && page.contains("证书有效"));
    assert!(!page.contains("测试用户") && !page.contains(&id) && !page.contains(&id[6..14]));
    assert_eq!(
        w.app.anon.get(w.app.url("/verify/0000000000000000000Z")).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );

    let print = w.app.get(issued["url"].as_str().unwrap(), Some(&w.learner)).await;
    assert_eq!(print.status(), StatusCode::OK);
    let html = print.text().await.unwrap();
    assert!(html.contains("<svg") && html.contains(&code) && html.contains("@page"), "{html}");
    assert_eq!(w.app.get(issued["url"].as_str().unwrap(), Some(&w.other_admin)).await.status(), StatusCode::NOT_FOUND);

    let revoke = format!("/api/v1/certificates/{code}/revoke");
    assert_eq!(
        w.app.post(&revoke, Some(&w.employer_admin), json!({"reason": "x"})).await.status(),
        StatusCode::FORBIDDEN
    );
    let r = w.app.post(&revoke, Some(&w.hr_admin), json!({"reason": " "})).await;
    assert_eq!(error_code(r).await, (StatusCode::UNPROCESSABLE_ENTITY, "reason_required".into()));
    let r = w.app.post(&revoke, Some(&w.hr_admin), json!({"reason": "学时记录有误"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value =
        w.app.anon.get(&verify).header("Accept", "application/json").send().await.unwrap().json().await.unwrap();
    assert_eq!(v["status"], "revoked");
    assert!(w.app.anon.get(&verify).send().await.unwrap().text().await.unwrap().contains("证书已撤销"));
    let r = w.app.post(&revoke, Some(&w.hr_admin), json!({"reason": "again"})).await;
    assert_eq!(error_code(r).await, (StatusCode::CONFLICT, "already_revoked".into()));
    let renewed: Value = w.app.post("/api/v1/me/certificates", Some(&w.learner), body).await.json().await.unwrap();
    assert_ne!(renewed["code"], code.as_str());

    // The department's report counts the learner as compliant; formulas in names stay text.
    let formula = w.app.create_org("=HYPERLINK(\"http://x\")", "employer", Some(w.dept)).await;
    w.app.user_token(&id_number(13), "learner", Some(formula)).await;
    let r = w.app.get(&format!("/api/v1/reports/completion?year={}", w.year), Some(&w.dept_admin)).await;
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["employers"].as_array().unwrap().len(), 2, "the other employer is outside: {report}");
    assert_eq!(
        (report["employers"][0]["learners"].as_u64(), report["employers"][0]["compliant"].as_u64()),
        (Some(1), Some(1))
    );
    let csv = w.app.get(&format!("/api/v1/reports/completion?year={}&format=csv", w.year), Some(&w.dept_admin)).await;
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    assert!(csv.contains("市立医院,1,1,0,0,0"), "{csv}");
    assert!(csv.contains(",\"'=HYPERLINK(\"\"http://x\"\")\",1,0,30,60,90"), "{csv}");
    let xlsx = w.app.get(&format!("/api/v1/reports/completion?year={}&format=xlsx", w.year), Some(&w.dept_admin)).await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK\x03\x04"));
    let r = w.app.get("/api/v1/reports/completion?format=pdf", Some(&w.dept_admin)).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = w.app.get("/api/v1/reports/completion", Some(&w.learner)).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
both_backends!(certificate_needs_compliance_verifies_masked_and_revokes, certificates_verify_and_revoke);
