//! The authorisation matrix, generated from the OpenAPI route table: every endpoint x every
//! role (and anonymous). Each cell is allowed by a written rule below or refused (401/403/404).
//! A route without a row fails the test, so no endpoint ships without a decision.
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

/// Who may call an endpoint.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// Anyone, logged in or not.
    Public,
    /// Any logged-in user.
    Authenticated,
    /// Only these roles.
    Roles(&'static [&'static str]),
    /// Authorised by a signed URL alone: a forged one is refused to everybody (403/404).
    SignedUrl,
}

const LEARNER: &[&str] = &["learner"];
const PLATFORM: &[&str] = &["platform_admin"];
const BASE: &[&str] = &["base_admin"];
const BASE_OR_PLATFORM: &[&str] = &["base_admin", "platform_admin"];
const REVIEWERS: &[&str] = &["employer_admin", "department_admin", "hr_admin"];
const HR: &[&str] = &["hr_admin"];
const LEARNER_OR_REVIEWER: &[&str] = &["learner", "employer_admin", "department_admin", "hr_admin"];
const PLAN_REVIEWERS: &[&str] = &["department_admin", "hr_admin"];
const INSTITUTION_STAFF: &[&str] = &["department_admin", "hr_admin", "base_admin", "platform_admin"];
const STAFF: &[&str] = &["employer_admin", "department_admin", "hr_admin", "base_admin", "platform_admin"];

/// The written rules: one row per (method, path) in the OpenAPI document.
fn rules() -> Vec<(&'static str, &'static str, Rule)> {
    use Rule::*;
    let _ = (LEARNER, PLATFORM, BASE, BASE_OR_PLATFORM, REVIEWERS, HR, STAFF);
    vec![
        ("GET", "/healthz", Public),
        ("GET", "/readyz", Public),
        ("POST", "/api/v1/auth/login", Public),
        ("POST", "/api/v1/auth/register", Public),
        ("POST", "/api/v1/auth/logout", Authenticated),
        ("POST", "/api/v1/auth/password", Authenticated),
        ("GET", "/api/v1/me", Authenticated),
        ("POST", "/api/v1/admin/orgs", Roles(PLATFORM)),
        ("POST", "/api/v1/admin/users", Roles(PLATFORM)),
        ("GET", "/api/v1/me/archive", Roles(LEARNER)),
        ("GET", "/api/v1/me/archive/five-year", Roles(LEARNER)),
        ("GET", "/api/v1/policies/{year}", Authenticated),
        ("PUT", "/api/v1/admin/policies/{year}", Roles(PLATFORM)),
        // Declarations: learners file; the learner and reviewers in scope read (others 404).
        ("POST", "/api/v1/declarations", Roles(LEARNER)),
        ("POST", "/api/v1/declarations/preview", Roles(LEARNER)),
        ("GET", "/api/v1/me/declarations", Roles(LEARNER)),
        ("GET", "/api/v1/declarations/{id}", Roles(LEARNER_OR_REVIEWER)),
        ("PUT", "/api/v1/declarations/{id}", Roles(LEARNER)),
        ("GET", "/api/v1/declarations/{id}/evidence/{file_id}", Roles(LEARNER_OR_REVIEWER)),
        ("POST", "/api/v1/declarations/{id}/review", Roles(REVIEWERS)),
        ("GET", "/api/v1/reviews/pending", Roles(REVIEWERS)),
        ("GET", "/api/v1/reports/completion", Roles(REVIEWERS)),
        // Certificates: the owner asks; HR revokes; anyone verifies.
        ("POST", "/api/v1/me/certificates", Roles(LEARNER)),
        ("GET", "/certificates/{code}", Roles(LEARNER_OR_REVIEWER)),
        ("POST", "/api/v1/certificates/{code}/revoke", Roles(HR)),
        ("GET", "/verify/{code}", Public),
        // Question banks and exams: the platform admin sets up; learners take their own attempts.
        ("GET", "/api/v1/question-banks", Roles(PLATFORM)),
        ("POST", "/api/v1/question-banks", Roles(PLATFORM)),
        ("POST", "/api/v1/question-banks/preview", Roles(PLATFORM)),
        ("POST", "/api/v1/question-banks/{id}/publish", Roles(PLATFORM)),
        ("POST", "/api/v1/exams", Roles(PLATFORM)),
        ("POST", "/api/v1/exams/{id}/attempts", Roles(LEARNER)),
        ("GET", "/api/v1/attempts/{id}", Roles(LEARNER)),
        ("PUT", "/api/v1/attempts/{id}/answers", Roles(LEARNER)),
        ("POST", "/api/v1/attempts/{id}/submit", Roles(LEARNER)),
        ("POST", "/api/v1/courses/{id}/restudy", Roles(LEARNER)),
        // Courses: bases author, the platform publishes, everyone logged in browses what they may see.
        ("GET", "/api/v1/courses", Authenticated),
        ("POST", "/api/v1/courses", Roles(BASE)),
        ("GET", "/api/v1/courses/{id}", Authenticated),
        ("POST", "/api/v1/courses/{id}/lectures", Roles(BASE)),
        ("GET", "/api/v1/courses/{id}/lectures/{lecture_id}/preview", Roles(BASE_OR_PLATFORM)),
        ("POST", "/api/v1/courses/{id}/submit", Roles(BASE)),
        ("POST", "/api/v1/courses/{id}/publish", Roles(PLATFORM)),
        ("POST", "/api/v1/courses/{id}/reject", Roles(PLATFORM)),
        ("GET", "/api/v1/jobs/{id}", Authenticated),
        ("GET", "/media/lectures/{lecture_id}/{token}/{rel}", SignedUrl),
        // Watching: learners only, their own sessions.
        ("POST", "/api/v1/lectures/{id}/play", Roles(LEARNER)),
        ("POST", "/api/v1/play/{session_id}/beat", Roles(LEARNER)),
        ("GET", "/api/v1/courses/{id}/progress", Roles(LEARNER)),
        // Institutions: plans, classes, excellent courses, statistics, sync.
        ("GET", "/api/v1/training-plans", Roles(INSTITUTION_STAFF)),
        ("POST", "/api/v1/training-plans", Roles(BASE)),
        ("GET", "/api/v1/training-plans/{id}", Roles(INSTITUTION_STAFF)),
        ("PUT", "/api/v1/training-plans/{id}", Roles(BASE)),
        ("POST", "/api/v1/training-plans/{id}/submit", Roles(BASE)),
        ("POST", "/api/v1/training-plans/{id}/review", Roles(PLAN_REVIEWERS)),
        ("GET", "/api/v1/training-projects", Authenticated),
        ("GET", "/api/v1/offline-classes/{id}/roster", Roles(INSTITUTION_STAFF)),
        ("POST", "/api/v1/offline-classes/{id}/roster", Roles(BASE)),
        ("POST", "/api/v1/offline-classes/{id}/attendance", Roles(BASE)),
        ("GET", "/api/v1/excellent/nominations", Authenticated),
        ("POST", "/api/v1/excellent/nominations", Roles(BASE)),
        ("POST", "/api/v1/excellent/nominations/{id}/scores", Roles(PLATFORM)),
        ("POST", "/api/v1/excellent/nominations/{id}/votes", Roles(LEARNER)),
        ("PUT", "/api/v1/admin/excellent/{year}", Roles(PLATFORM)),
        ("POST", "/api/v1/admin/excellent/{year}/publish", Roles(PLATFORM)),
        ("GET", "/api/v1/statistics/knowledge-update", Roles(INSTITUTION_STAFF)),
        ("GET", "/api/v1/admin/sync", Roles(PLATFORM)),
    ]
}

const ROLES: [&str; 6] = ["learner", "employer_admin", "department_admin", "hr_admin", "base_admin", "platform_admin"];

fn concrete(path: &str) -> String {
    // Ids in paths: a value that exists for nobody in particular; years: this year.
    path.replace("{year}", "2026")
        .replace("{code}", "nosuchcode")
        .split('/')
        .map(|seg| if seg.starts_with('{') { "1".to_owned() } else { seg.to_owned() })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_has_a_rule_and_every_cell_holds() {
    let app = spawn_app(Backend::Embedded).await;
    let spec: Value = app.get("/api/openapi.json", None).await.json().await.unwrap();
    let table = rules();
    let mut missing = Vec::new();
    let mut routes = Vec::new();
    for (path, ops) in spec["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            let m = method.to_uppercase();
            match table.iter().find(|(tm, tp, _)| *tm == m && tp == path) {
                Some((_, _, rule)) => routes.push((m, path.clone(), *rule)),
                None => missing.push(format!("{m} {path}")),
            }
        }
    }
    assert!(missing.is_empty(), "routes without an authorisation rule: {missing:#?}");
    for (m, p, _) in &table {
        assert!(routes.iter().any(|(rm, rp, _)| rm == m && rp == p), "rule for a route that does not exist: {m} {p}");
    }

    let bureau = app.create_org("人社局", "hr_bureau", None).await;
    let dept = app.create_org("卫健委", "department", Some(bureau)).await;
    let emp = app.create_org("医院", "employer", Some(dept)).await;
    let base = app.create_org("基地", "base", Some(bureau)).await;
    let mut tokens = Vec::new();
    for (i, role) in ROLES.iter().enumerate() {
        let (username, org) = match *role {
            "learner" => (id_number(900 + i as u32), Some(emp)),
            "employer_admin" => ("emp_admin".into(), Some(emp)),
            "department_admin" => ("dept_admin".into(), Some(dept)),
            "hr_admin" => ("hr_admin".into(), Some(bureau)),
            "base_admin" => ("base_admin".into(), Some(base)),
            _ => ("second_admin".into(), None),
        };
        tokens.push((*role, app.user_token(&username, role, org).await));
    }

    let mut failures = Vec::new();
    for (m, path, rule) in &routes {
        if path.contains("logout") || path.contains("/auth/password") {
            continue; // would end the session the matrix uses; covered in auth tests
        }
        let url = app.url(&concrete(path));
        let method = Method::from_bytes(m.as_bytes()).unwrap();
        let mut callers: Vec<(&str, Option<&str>)> = vec![("anonymous", None)];
        callers.extend(tokens.iter().map(|(r, t)| (*r, Some(t.as_str()))));
        for (who, token) in callers {
            let mut rb = app.anon.request(method.clone(), &url).json(&json!({}));
            if let Some(t) = token {
                rb = rb.bearer_auth(t);
            }
            let status = rb.send().await.unwrap().status();
            if matches!(rule, Rule::SignedUrl) {
                if !matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) {
                    failures.push(format!("{m} {path} as {who}: {status} (forged signed URL must be refused)"));
                }
                continue;
            }
            let allowed = match rule {
                Rule::SignedUrl => false,
                Rule::Public => true,
                Rule::Authenticated => token.is_some(),
                Rule::Roles(roles) => roles.contains(&who),
            };
            let refused = matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND);
            let ok = if allowed {
                status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN && !status.is_server_error()
            } else {
                refused && (token.is_some() || status == StatusCode::UNAUTHORIZED)
            };
            if !ok {
                failures.push(format!("{m} {path} as {who}: {status} (allowed: {allowed})"));
            }
        }
    }
    assert!(failures.is_empty(), "authorisation matrix violations:\n{}", failures.join("\n"));
}
