//! Exam papers (试卷): drawing questions from a bank and grading the answers. Pure code: the
//! caller supplies the random number generator, the questions and the answers.
//!
//! Each learner sees the options of a choice question in a shuffled order, relabelled A, B, C…;
//! the paper keeps the permutation so that displayed keys map back to the bank's keys.

use std::collections::HashMap;

use rand::Rng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

use super::bank_format::{OptionItem, QuestionKind};

/// A published bank question, as loaded from the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankQuestion {
    pub id: i64,
    pub kind: QuestionKind,
    pub stem: String,
    pub options: Vec<OptionItem>,
    pub answer: Vec<String>,
}

/// How many questions of each kind an exam draws (抽题规则).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DrawRule {
    pub single: u32,
    pub multiple: u32,
    pub judge: u32,
}

impl DrawRule {
    pub fn count(&self, kind: QuestionKind) -> u32 {
        match kind {
            QuestionKind::Single => self.single,
            QuestionKind::Multiple => self.multiple,
            QuestionKind::Judge => self.judge,
        }
    }

    pub fn total(&self) -> u32 {
        self.single.saturating_add(self.multiple).saturating_add(self.judge)
    }
}

/// One learner's paper; stored with the attempt as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paper {
    pub items: Vec<PaperItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperItem {
    pub question_id: i64,
    pub kind: QuestionKind,
    /// The bank's option keys in displayed order: `["C", "A", "D", "B"]` shows C as "A".
    pub option_order: Vec<String>,
}

/// A question as the learner sees it: displayed keys, and never the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ClientQuestion {
    pub id: i64,
    pub kind: QuestionKind,
    pub stem: String,
    pub options: Vec<OptionItem>,
}

/// The result of grading: `score` out of 100 with one decimal, every question weighing the same.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Grade {
    pub score: f64,
    pub correct: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    #[error("the bank has {have} {kind:?} questions but the exam draws {need}")]
    NotEnough { kind: QuestionKind, have: u32, need: u32 },
    #[error("the draw rule asks for no questions")]
    EmptyRule,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaperError {
    #[error("question {0} of the paper is not among the given questions")]
    MissingQuestion(i64),
    #[error("the paper's options of question {0} do not match the question")]
    OptionMismatch(i64),
}

const SECTION_ORDER: [QuestionKind; 3] = [QuestionKind::Single, QuestionKind::Multiple, QuestionKind::Judge];

/// Draws a paper: sections in the order single, multiple, judge (as printed papers are), each
/// with its questions picked without repetition in random order, choice options shuffled.
pub fn draw_paper<R: Rng + ?Sized>(
    rng: &mut R,
    questions: &[BankQuestion],
    rule: DrawRule,
) -> Result<Paper, DrawError> {
    if rule.total() == 0 {
        return Err(DrawError::EmptyRule);
    }
    let mut items = Vec::with_capacity(rule.total() as usize);
    for kind in SECTION_ORDER {
        let need = rule.count(kind);
        let mut pool: Vec<&BankQuestion> = questions.iter().filter(|q| q.kind == kind).collect();
        let have = u32::try_from(pool.len()).unwrap_or(u32::MAX);
        if have < need {
            return Err(DrawError::NotEnough { kind, have, need });
        }
        let (picked, _) = pool.partial_shuffle(rng, need as usize);
        for question in picked.iter() {
            let option_order = shuffled_keys(rng, question);
            items.push(PaperItem { question_id: question.id, kind, option_order });
        }
    }
    Ok(Paper { items })
}

fn shuffled_keys<R: Rng + ?Sized>(rng: &mut R, question: &BankQuestion) -> Vec<String> {
    let mut keys: Vec<String> = question.options.iter().map(|option| option.key.clone()).collect();
    // 正确 stays before 错误: shuffling a judge question's two options would only confuse.
    if question.kind != QuestionKind::Judge {
        keys.shuffle(rng);
    }
    keys
}

/// The paper as sent to the learner: options relabelled in displayed order, no answers.
pub fn client_view(paper: &Paper, questions: &[BankQuestion]) -> Result<Vec<ClientQuestion>, PaperError> {
    let by_id = index_by_id(questions);
    paper.items.iter().map(|item| client_question(item, &by_id)).collect()
}

fn client_question(item: &PaperItem, by_id: &HashMap<i64, &BankQuestion>) -> Result<ClientQuestion, PaperError> {
    let question = by_id.get(&item.question_id).ok_or(PaperError::MissingQuestion(item.question_id))?;
    let options = item
        .option_order
        .iter()
        .enumerate()
        .map(|(position, original_key)| {
            let option = question.options.iter().find(|option| option.key == *original_key);
            let text = option.ok_or(PaperError::OptionMismatch(item.question_id))?.text.clone();
            Ok(OptionItem { key: displayed_key(item.kind, position, original_key), text })
        })
        .collect::<Result<Vec<_>, PaperError>>()?;
    Ok(ClientQuestion { id: question.id, kind: question.kind, stem: question.stem.clone(), options })
}

/// Choice options show as A, B, C… in displayed order; judge options keep T and F.
fn displayed_key(kind: QuestionKind, position: usize, original_key: &str) -> String {
    match (kind, u8::try_from(position)) {
        (QuestionKind::Judge, _) => original_key.to_string(),
        (_, Ok(offset)) if offset < 26 => char::from(b'A' + offset).to_string(),
        _ => original_key.to_string(),
    }
}

/// Grades the learner's answers, given by question id in displayed keys. A missing, unknown
/// or repeated key makes that question wrong; multiple choice needs exactly the right set.
pub fn grade(
    paper: &Paper,
    questions: &[BankQuestion],
    answers: &HashMap<i64, Vec<String>>,
) -> Result<Grade, PaperError> {
    let by_id = index_by_id(questions);
    let mut correct: u32 = 0;
    for item in &paper.items {
        let question = by_id.get(&item.question_id).ok_or(PaperError::MissingQuestion(item.question_id))?;
        let given = answers.get(&item.question_id).map_or(&[][..], Vec::as_slice);
        if is_correct(item, question, given) {
            correct += 1;
        }
    }
    let total = u32::try_from(paper.items.len()).unwrap_or(u32::MAX);
    Ok(Grade { score: score(correct, total), correct, total })
}

fn score(correct: u32, total: u32) -> f64 {
    if total == 0 {
        return 0.0;
    }
    (f64::from(correct) * 1000.0 / f64::from(total)).round() / 10.0
}

fn index_by_id(questions: &[BankQuestion]) -> HashMap<i64, &BankQuestion> {
    questions.iter().map(|question| (question.id, question)).collect()
}

/// Compares sets of the bank's option positions as bit masks (options are few).
fn is_correct(item: &PaperItem, question: &BankQuestion, given: &[String]) -> bool {
    let mut chosen: u64 = 0;
    for key in given {
        let Some(bit) = original_bit(item, question, key) else {
            return false;
        };
        if chosen & bit != 0 {
            return false;
        }
        chosen |= bit;
    }
    let mut expected: u64 = 0;
    for key in &question.answer {
        let Some(bit) = option_bit(question, key) else {
            return false;
        };
        expected |= bit;
    }
    chosen != 0 && chosen == expected
}

/// The bit of the bank option that displayed `key` stands for on this paper.
fn original_bit(item: &PaperItem, question: &BankQuestion, key: &str) -> Option<u64> {
    let key = key.trim();
    let position = match item.kind {
        QuestionKind::Judge => item.option_order.iter().position(|k| k.eq_ignore_ascii_case(key))?,
        _ => match key.as_bytes() {
            [letter] => usize::from(letter.to_ascii_uppercase().checked_sub(b'A')?),
            _ => return None,
        },
    };
    option_bit(question, item.option_order.get(position)?)
}

fn option_bit(question: &BankQuestion, key: &str) -> Option<u64> {
    let position = question.options.iter().position(|option| option.key == key)?;
    1u64.checked_shl(u32::try_from(position).ok()?)
}

#[cfg(test)]
#[path = "paper_tests.rs"]
mod tests;
