use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 专业技术人员
    Learner,
    /// 用人单位
    EmployerAdmin,
    /// 主管部门
    DepartmentAdmin,
    /// 区/市人社局
    HrAdmin,
    /// 继续教育基地
    BaseAdmin,
    /// 平台管理员
    PlatformAdmin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Learner,
        Role::EmployerAdmin,
        Role::DepartmentAdmin,
        Role::HrAdmin,
        Role::BaseAdmin,
        Role::PlatformAdmin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Learner => "learner",
            Role::EmployerAdmin => "employer_admin",
            Role::DepartmentAdmin => "department_admin",
            Role::HrAdmin => "hr_admin",
            Role::BaseAdmin => "base_admin",
            Role::PlatformAdmin => "platform_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Reviewers of hour declarations (学时申报认定), in chain order.
    pub fn is_reviewer(self) -> bool {
        matches!(self, Role::EmployerAdmin | Role::DepartmentAdmin | Role::HrAdmin)
    }

    /// The organisation kind a user of this role must belong to.
    pub fn org_kind(self) -> Option<&'static str> {
        match self {
            Role::Learner | Role::EmployerAdmin => Some("employer"),
            Role::DepartmentAdmin => Some("department"),
            Role::HrAdmin => Some("hr_bureau"),
            Role::BaseAdmin => Some("base"),
            Role::PlatformAdmin => None,
        }
    }
}

/// Sets of roles an endpoint accepts, named so the permission shows in the handler's type.
pub mod sets {
    use super::Role;

    pub trait RoleSet {
        const ROLES: &'static [Role];
    }

    macro_rules! role_set {
        ($name:ident, [$($r:ident),+]) => {
            pub struct $name;
            impl RoleSet for $name {
                const ROLES: &'static [Role] = &[$(Role::$r),+];
            }
        };
    }

    role_set!(Learners, [Learner]);
    role_set!(PlatformAdmins, [PlatformAdmin]);
    role_set!(BaseAdmins, [BaseAdmin]);
    role_set!(Reviewers, [EmployerAdmin, DepartmentAdmin, HrAdmin]);
    role_set!(HrAdmins, [HrAdmin]);
    role_set!(CourseEditors, [BaseAdmin, PlatformAdmin]);
    role_set!(Staff, [EmployerAdmin, DepartmentAdmin, HrAdmin, BaseAdmin, PlatformAdmin]);
    // Managing units (管理单位) that review bases' training plans.
    role_set!(PlanReviewers, [DepartmentAdmin, HrAdmin]);
    // Who reads bases' plans, classes and statistics (each within their scope).
    role_set!(InstitutionStaff, [DepartmentAdmin, HrAdmin, BaseAdmin, PlatformAdmin]);
}
