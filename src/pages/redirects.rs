//! A browser that opens a page without a valid session (never logged in, or the session
//! expired) is sent to the login page instead of being shown the API's JSON error.
use actix_web::{
    HttpResponse,
    body::{EitherBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::{Method, StatusCode, header},
    middleware::Next,
};

/// Whether the request is a browser asking for a page (not the API, not a static file).
fn is_page_request(req: &ServiceRequest) -> bool {
    let path = req.path();
    let wants_html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    req.method() == Method::GET && wants_html && !path.starts_with("/api/") && !path.starts_with("/static/")
}

pub async fn login_redirect(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let page = is_page_request(&req);
    let res = next.call(req).await?;
    if page && res.status() == StatusCode::UNAUTHORIZED {
        let (req, _) = res.into_parts();
        let to_login = HttpResponse::SeeOther().insert_header((header::LOCATION, "/login")).finish();
        return Ok(ServiceResponse::new(req, to_login).map_into_right_body());
    }
    Ok(res.map_into_left_body())
}
