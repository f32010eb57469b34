//! The exam side of the load fixtures: a published bank of generated questions, the course's
//! exam, and (exams mode) the lecture completed by every learner through the real heartbeat
//! path, on a clock the fixture moves forward instead of waiting.

use super::{Fixture, Options};
use crate::{
    exams::{
        bank_format::{OptionItem, QuestionDraft, QuestionKind},
        banks,
        paper::DrawRule,
        setup::{self, NewExam},
    },
    state::AppState,
    watching::{beat, play},
};

/// Questions drawn per paper (40 of a bank of 70).
const DRAW: DrawRule = DrawRule { single: 20, multiple: 10, judge: 10 };
/// Seconds between two beats of the simulated player.
const BEAT_EVERY_S: i64 = 10;

/// Imports and publishes a bank, and attaches the exam to the fixture's course.
pub(super) async fn exam(state: &AppState, fixture: &Fixture, options: &Options) -> anyhow::Result<i32> {
    let now = state.clock.now();
    let by = fixture.learners.first().map_or(0, |(id, _)| *id);
    let name = format!("压测题库-{}", now.timestamp_millis());
    let bank =
        banks::import(&state.db, &name, &questions(), by, now).await.map_err(|e| anyhow::anyhow!("bank: {e}"))?;
    banks::publish(&state.db, bank.id, by, now).await.map_err(|e| anyhow::anyhow!("publish: {e}"))?;
    let new = NewExam {
        course_id: fixture.course_id,
        bank_id: bank.id,
        duration_s: options.exam_s,
        pass_score: Some(options.pass_score),
        draw: DRAW,
    };
    setup::create(&state.db, new, by, now).await.map_err(|e| anyhow::anyhow!("exam: {e}"))
}

/// Every learner watches the whole lecture at 1x, beat by beat, as the player would.
pub(super) async fn complete_lecture(state: &AppState, fixture: &Fixture) -> anyhow::Result<()> {
    let mut sessions = Vec::with_capacity(fixture.learners.len());
    for (id, _) in &fixture.learners {
        let started = play::play(state, *id, fixture.lecture_id).await.map_err(|e| anyhow::anyhow!("play: {e}"))?;
        sessions.push((*id, started.session_id, started.duration_s));
    }
    let duration_s = sessions.first().map_or(0.0, |s| s.2);
    let mut position = 0.0;
    loop {
        for (id, session, _) in &sessions {
            beat::beat(state, *id, session, position).await.map_err(|e| anyhow::anyhow!("beat: {e}"))?;
        }
        if position >= duration_s {
            break;
        }
        state.clock.advance(BEAT_EVERY_S);
        position = (position + BEAT_EVERY_S as f64).min(duration_s);
    }
    for (id, session, _) in &sessions {
        let done = beat::beat(state, *id, session, duration_s).await.map_err(|e| anyhow::anyhow!("beat: {e}"))?;
        anyhow::ensure!(done.completed, "learner {id} did not complete the lecture");
    }
    Ok(())
}

fn questions() -> Vec<QuestionDraft> {
    let option = |key: &str, text: String| OptionItem { key: key.into(), text };
    let choice = |kind, n: usize, answer: &[&str]| QuestionDraft {
        kind,
        stem: format!("压测题目{n}：以下哪一项符合继续教育规定？"),
        options: ["A", "B", "C", "D"].iter().map(|k| option(k, format!("选项{k}{n}"))).collect(),
        answer: answer.iter().map(|a| (*a).to_owned()).collect(),
        knowledge_point: Some("压测".into()),
        difficulty: None,
    };
    let judge = |n: usize| QuestionDraft {
        kind: QuestionKind::Judge,
        stem: format!("压测判断{n}：专业技术人员每年须完成继续教育学时。"),
        options: vec![option("T", "正确".into()), option("F", "错误".into())],
        answer: vec!["T".into()],
        knowledge_point: None,
        difficulty: None,
    };
    let singles = (0..30).map(|n| choice(QuestionKind::Single, n, &["A"]));
    let multiples = (30..50).map(|n| choice(QuestionKind::Multiple, n, &["A", "C"]));
    singles.chain(multiples).chain((50..70).map(judge)).collect()
}
