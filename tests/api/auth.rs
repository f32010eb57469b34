use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::*;

async fn employer(app: &TestApp) -> i64 {
    let bureau = app.create_org("人社局", "hr_bureau", None).await;
    app.create_org("医院", "employer", Some(bureau)).await
}

async fn login_with_unknown_user_and_wrong_password(backend: Backend) {
    let app = spawn_app(backend).await;
    let (s, code) = error_code(app.login(&id_number(1), "whatever-pass1").await).await;
    assert_eq!((s, code.as_str()), (StatusCode::UNAUTHORIZED, "invalid_credentials"));
    let (s, code) = error_code(app.login("admin", "wrong-password1").await).await;
    assert_eq!((s, code.as_str()), (StatusCode::UNAUTHORIZED, "invalid_credentials"));
}
both_backends!(unknown_user_and_wrong_password_get_401, login_with_unknown_user_and_wrong_password);

async fn lockout_is_the_same_for_existing_and_unknown(backend: Backend) {
    let app = spawn_app(backend).await;
    let emp = employer(&app).await;
    let known = id_number(2);
    app.user_token(&known, "learner", Some(emp)).await;
    for who in [known.clone(), id_number(3)] {
        for _ in 0..5 {
            let (s, _) = error_code(app.login(&who, "wrong-password1").await).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED);
        }
        let (s, code) = error_code(app.login(&who, "wrong-password1").await).await;
        assert_eq!((s, code.as_str()), (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"), "{who}");
    }
    // Even the right password is refused while locked.
    let (s, _) = error_code(app.login(&known, PASSWORD).await).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
}
both_backends!(repeated_failures_lock_without_revealing_existence, lockout_is_the_same_for_existing_and_unknown);

async fn register_validates_id_number(backend: Backend) {
    let app = spawn_app(backend).await;
    let emp = employer(&app).await;
    let good = id_number(4);
    let mut bad = good.clone();
    let last = bad.pop().unwrap_or('0');
    bad.push(if last == '1' { '2' } else { '1' });
    let body = |id: &str| json!({"id_number": id, "name": "王五", "password": "Str0ng#Pass", "phone": "13800000000", "employer_id": emp});
    let (s, code) = error_code(app.post("/api/v1/auth/register", None, body(&bad)).await).await;
    assert_eq!((s, code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_id_number"));
    let r = app.post("/api/v1/auth/register", None, body(&good)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["user"]["role"], "learner");
    let (s, code) = error_code(app.post("/api/v1/auth/register", None, body(&good)).await).await;
    assert_eq!((s, code.as_str()), (StatusCode::CONFLICT, "already_registered"));
    // The password "last six digits of the ID" is refused.
    let other = id_number(5);
    let weak = json!({"id_number": other, "name": "赵六", "password": &other[12..], "employer_id": emp});
    let (s, code) = error_code(app.post("/api/v1/auth/register", None, weak).await).await;
    assert_eq!((s, code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "weak_password"));
    // Registered learner logs in with the ID number and sees it unmasked; nobody else does.
    let t = app.login_ok(&good, "Str0ng#Pass").await;
    let me: Value = app.get("/api/v1/me", Some(&t)).await.json().await.unwrap();
    assert_eq!(me["id_number"], good.as_str());
    assert_eq!(me["id_number_masked"], format!("{}********{}", &good[..6], &good[14..]));
}
both_backends!(registration_checks_the_gb11643_digit, register_validates_id_number);

async fn first_login_forces_password_change(backend: Backend) {
    let app = spawn_app(backend).await;
    let emp = employer(&app).await;
    let id = id_number(6);
    let r = app
        .post(
            "/api/v1/admin/users",
            Some(&app.admin_token),
            json!({"username": id, "name": "孙七", "role": "learner", "org_id": emp, "password": "Initial#Pass1"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = app.login(&id, "Initial#Pass1").await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["must_change_password"], true);
    let t = v["token"].as_str().unwrap().to_owned();
    let (s, code) = error_code(app.post("/api/v1/admin/orgs", Some(&t), json!({})).await).await;
    assert_eq!((s, code.as_str()), (StatusCode::FORBIDDEN, "password_change_required"));
    assert_eq!(app.get("/api/v1/me", Some(&t)).await.status(), StatusCode::OK);
    let r = app
        .post(
            "/api/v1/auth/password",
            Some(&t),
            json!({"old_password": "Initial#Pass1", "new_password": "N3w#Password"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    // The old token is dead after the change; a fresh login works with no forced change.
    assert_eq!(app.get("/api/v1/me", Some(&t)).await.status(), StatusCode::UNAUTHORIZED);
    let v: Value = app.login(&id, "N3w#Password").await.json().await.unwrap();
    assert_eq!(v["must_change_password"], false);
}
both_backends!(initial_password_must_be_changed, first_login_forces_password_change);

async fn tampered_expired_and_none_tokens_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let t = app.admin_token.clone();
    assert_eq!(app.get("/api/v1/me", Some(&t)).await.status(), StatusCode::OK);
    let mut parts: Vec<String> = t.split('.').map(str::to_owned).collect();
    let payload = String::from_utf8(base64_decode(&parts[1])).unwrap().replace("\"sub\":\"1\"", "\"sub\":\"2\"");
    parts[1] = base64_encode(payload.as_bytes());
    let tampered = parts.join(".");
    let none = format!("{}.{}.", base64_encode(br#"{"alg":"none","typ":"JWT"}"#), t.split('.').nth(1).unwrap());
    for bad in [tampered, none, "garbage".to_owned(), format!("{t}x")] {
        let (s, code) = error_code(app.get("/api/v1/me", Some(&bad)).await).await;
        assert_eq!((s, code.as_str()), (StatusCode::UNAUTHORIZED, "invalid_token"));
    }
    let (s, code) = error_code(app.get("/api/v1/me", None).await).await;
    assert_eq!((s, code.as_str()), (StatusCode::UNAUTHORIZED, "unauthenticated"));
    // Expired: a token issued 13 hours ago under the 12-hour TTL.
    let old = app.app_state.jwt.issue(1, 0, chrono::Utc::now() - chrono::Duration::hours(13)).unwrap();
    assert_eq!(app.get("/api/v1/me", Some(&old)).await.status(), StatusCode::UNAUTHORIZED);
    // Logout kills the token.
    assert_eq!(app.post("/api/v1/auth/logout", Some(&t), json!({})).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/me", Some(&t)).await.status(), StatusCode::UNAUTHORIZED);
}
both_backends!(bad_tokens_get_401, tampered_expired_and_none_tokens_are_refused);

async fn roles_are_enforced(backend: Backend) {
    let app = spawn_app(backend).await;
    let emp = employer(&app).await;
    let learner = app.user_token(&id_number(7), "learner", Some(emp)).await;
    let (s, code) = error_code(
        app.post("/api/v1/admin/orgs", Some(&learner), json!({"name": "x", "kind": "employer", "region": "威海市"}))
            .await,
    )
    .await;
    assert_eq!((s, code.as_str()), (StatusCode::FORBIDDEN, "forbidden_role"));
    let r = app
        .post(
            "/api/v1/admin/users",
            Some(&learner),
            json!({"username": "x", "name": "x", "role": "platform_admin", "password": "Whatever#1"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Bad input is a 4xx with the JSON error shape, never a 500.
    let r = app
        .anon
        .post(app.url("/api/v1/auth/login"))
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error());
    let v: Value = r.json().await.unwrap();
    assert!(v["error"]["code"].is_string());
    let (s, code) = error_code(
        app.post(
            "/api/v1/admin/users",
            Some(&app.admin_token),
            json!({"username": "not-an-id", "name": "x", "role": "learner", "org_id": emp, "password": "Whatever#1"}),
        )
        .await,
    )
    .await;
    assert_eq!((s, code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_id_number"));
}
both_backends!(role_guard_refuses_other_roles, roles_are_enforced);

async fn health_and_spec(backend: Backend) {
    let app = spawn_app(backend).await;
    assert_eq!(app.get("/healthz", None).await.status(), StatusCode::OK);
    assert_eq!(app.get("/readyz", None).await.status(), StatusCode::OK);
    let spec: Value = app.get("/api/openapi.json", None).await.json().await.unwrap();
    assert!(spec["paths"]["/api/v1/auth/login"]["post"].is_object());
}
both_backends!(health_ready_and_openapi, health_and_spec);

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s).unwrap()
}

fn base64_encode(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}
