//! Demo declarations (演示申报) for a fresh install, so the reviewers' queues and the learner's
//! archive show the chain at work: one declaration approved by all three levels (its hours are
//! in the archive), and one waiting for the employer.
use super::{chain::Decision, evidence::Staged, filing, input::Filing, review};
use crate::{
    archive::ledger::year_of,
    auth::{AuthUser, Role},
    rules::declaration_value::{DeclarationInput, DeclarationKind},
    state::AppState,
};

/// Who takes part: the learner, and the reviewer at each level with their organisation.
pub struct Cast {
    pub learner: i32,
    pub employer: i32,
    /// (user id, organisation id) of the employer, department and HR bureau reviewers.
    pub employer_admin: (i32, i32),
    pub department_admin: (i32, i32),
    pub hr_admin: (i32, i32),
}

fn user(id: i32, role: Role, org_id: Option<i32>) -> AuthUser {
    AuthUser { id, role, org_id, name: String::new(), must_change_password: false }
}

pub async fn load(state: &AppState, cast: &Cast) -> anyhow::Result<()> {
    let year = year_of(state.clock.now());
    let learner = user(cast.learner, Role::Learner, Some(cast.employer));
    let exam = DeclarationInput::new(DeclarationKind::QualificationExam, year, "执业药师职业资格考试（合格）");
    let filed = filing::submit(state, &learner, Filing { input: exam, evidence: Staged::default() }).await?;
    let reviewers = [
        (cast.employer_admin, Role::EmployerAdmin),
        (cast.department_admin, Role::DepartmentAdmin),
        (cast.hr_admin, Role::HrAdmin),
    ];
    for ((id, org), role) in reviewers {
        review::decide(state, &user(id, role, Some(org)), filed.id, Decision::Approve, Some("材料属实".into())).await?;
    }
    let conference = DeclarationInput {
        days: Some(2),
        hours: Some(14.0),
        ..DeclarationInput::new(DeclarationKind::Conference, year, "山东省医院药学学术年会")
    };
    filing::submit(state, &learner, Filing { input: conference, evidence: Staged::default() }).await?;
    println!(
        "  demo: 李小梅 has a qualification exam approved by all three levels and a conference waiting for 市立医院"
    );
    Ok(())
}
