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
    let mut all = tools(user.role);
    all.extend(institution_tools(user.role));
    ctx.insert("tools", &all);
    page(&state, "staff/home.html", &ctx)
}

/// The institution pages each role may use: plans, offline classes, the excellent course
/// selection, statistics and the provincial sync.
fn institution_tools(role: Role) -> Vec<Tool> {
    let statistics =
        Tool {
            href: "/statistics", label: "知识更新工程统计", hint: "按领域统计培训人数与学时，可导出 Excel"
        };
    let catalogue =
        Tool { href: "/training-projects", label: "培训项目目录", hint: "审核通过的线下培训班" };
    match role {
        Role::BaseAdmin => vec![
            Tool {
                href: "/plans", label: "年度培训计划", hint: "填报培训班，按期报送管理单位；花名册与学时登记"
            },
            Tool {
                href: "/excellent", label: "优质在线公需课推荐", hint: "推荐本基地的公需课（须承诺知识产权）"
            },
            statistics,
        ],
        Role::DepartmentAdmin | Role::HrAdmin => vec![
            Tool {
                href: "/plans", label: "培训计划审核", hint: "审核所辖基地的年度培训计划，通过或退回"
            },
            statistics,
            catalogue,
        ],
        Role::PlatformAdmin => vec![
            Tool {
                href: "/excellent", label: "优质在线公需课评选", hint: "专家评分、投票时间、公布入选名单"
            },
            Tool { href: "/plans", label: "培训计划", hint: "各基地的年度培训计划" },
            statistics,
            Tool {
                href: "/admin/sync", label: "省平台数据同步", hint: "待发送、失败重试的记录及错误"
            },
        ],
        Role::EmployerAdmin | Role::Learner => vec![],
    }
}
