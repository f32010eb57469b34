//! The staff home: each role's tools in one place.
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;

use super::render::{base_context, page};
use crate::{
    auth::{Require, Role, role::sets::Staff},
    error::AppResult,
    state::AppState,
};

#[derive(Serialize)]
struct Tool {
    href: &'static str,
    label: &'static str,
    hint: &'static str,
}

/// Tools per role; a link is listed only when its page exists.
fn tools(role: Role) -> Vec<Tool> {
    let review = [
        Tool { href: "/reviews", label: "学时申报审核", hint: "查看证明材料，逐条通过或退回" },
        Tool {
            href: "/reports/completion", label: "学时完成情况统计", hint: "各单位达标率，可导出 Excel / CSV"
        },
    ];
    match role {
        Role::EmployerAdmin | Role::DepartmentAdmin | Role::HrAdmin => review.into(),
        Role::PlatformAdmin => vec![
            Tool {
                href: "/admin/banks", label: "题库管理", hint: "导入题库（预览检查后导入），发布题库"
            },
            Tool {
                href: "/admin/policy", label: "政策参数", hint: "年度学时要求、考试次数、及格分、视频学习规则"
            },
            Tool { href: "/api/openapi.json", label: "接口文档 (OpenAPI)", hint: "供其他系统对接使用" },
            Tool {
                href: "/admin/courses", label: "课程审核", hint: "预览基地提交的课程视频，发布或退回"
            },
        ],
        Role::BaseAdmin => {
            vec![Tool {
                href: "/base/courses", label: "课程管理", hint: "新建课程，上传课时视频，提交审核"
            }]
        }
        Role::Learner => vec![],
    }
}

#[get("/staff")]
pub async fn staff_home(state: web::Data<AppState>, req: HttpRequest, user: Require<Staff>) -> AppResult<HttpResponse> {
    let mut ctx = base_context(&state, &req, Some(&user));
    ctx.insert("tools", &tools(user.role));
    page(&state, "staff/home.html", &ctx)
}
