//! Drawing and grading tests with a seeded generator.

use std::collections::{HashMap, HashSet};

use rand::SeedableRng;
use rand::rngs::StdRng;

use super::*;

fn option(key: &str) -> OptionItem {
    OptionItem { key: key.to_string(), text: format!("text of {key}") }
}

fn question(id: i64, kind: QuestionKind, answer: &[&str]) -> BankQuestion {
    let keys: &[&str] = if kind == QuestionKind::Judge { &["T", "F"] } else { &["A", "B", "C", "D"] };
    BankQuestion {
        id,
        kind,
        stem: format!("stem {id}"),
        options: keys.iter().map(|key| option(key)).collect(),
        answer: answer.iter().map(|key| key.to_string()).collect(),
    }
}

/// 10 single (answer B), 6 multiple (answer A, C), 4 judge (answer T) questions.
fn bank() -> Vec<BankQuestion> {
    let singles = (1..=10).map(|id| question(id, QuestionKind::Single, &["B"]));
    let multiples = (11..=16).map(|id| question(id, QuestionKind::Multiple, &["A", "C"]));
    let judges = (17..=20).map(|id| question(id, QuestionKind::Judge, &["T"]));
    singles.chain(multiples).chain(judges).collect()
}

const RULE: DrawRule = DrawRule { single: 5, multiple: 3, judge: 2 };

fn draw(seed: u64) -> Paper {
    let mut rng = StdRng::seed_from_u64(seed);
    match draw_paper(&mut rng, &bank(), RULE) {
        Ok(paper) => paper,
        Err(error) => panic!("draw failed: {error}"),
    }
}

/// The displayed keys a learner must pick to answer `question` correctly on `item`.
fn correct_keys(item: &PaperItem, question: &BankQuestion) -> Vec<String> {
    let view = client_question(item, &index_by_id(std::slice::from_ref(question)));
    let view = view.unwrap_or_else(|error| panic!("{error}"));
    let position = |key: &String| item.option_order.iter().position(|k| k == key).unwrap_or(usize::MAX);
    question.answer.iter().map(|key| view.options[position(key)].key.clone()).collect()
}

fn perfect_answers(paper: &Paper, bank: &[BankQuestion]) -> HashMap<i64, Vec<String>> {
    let by_id = index_by_id(bank);
    paper.items.iter().map(|item| (item.question_id, correct_keys(item, by_id[&item.question_id]))).collect()
}

#[test]
fn a_paper_has_the_drawn_count_of_each_kind_without_repeats() {
    let paper = draw(7);
    let count = |kind| paper.items.iter().filter(|item| item.kind == kind).count();
    assert_eq!((count(QuestionKind::Single), count(QuestionKind::Multiple), count(QuestionKind::Judge)), (5, 3, 2));
    let ids: HashSet<i64> = paper.items.iter().map(|item| item.question_id).collect();
    assert_eq!(ids.len(), 10);
    let kinds: Vec<QuestionKind> = paper.items.iter().map(|item| item.kind).collect();
    assert!(kinds.is_sorted_by_key(|kind| SECTION_ORDER.iter().position(|k| k == kind)));
}

#[test]
fn options_are_shuffled_for_choice_questions_only() {
    let papers: Vec<Paper> = (0..20).map(draw).collect();
    let orders: HashSet<Vec<String>> = papers
        .iter()
        .flat_map(|paper| paper.items.iter())
        .filter(|item| item.kind == QuestionKind::Single)
        .map(|item| item.option_order.clone())
        .collect();
    assert!(orders.len() > 1, "choice options were never shuffled");
    for item in papers.iter().flat_map(|paper| paper.items.iter()) {
        let mut sorted = item.option_order.clone();
        sorted.sort();
        if item.kind == QuestionKind::Judge {
            assert_eq!(item.option_order, ["T", "F"]);
        } else {
            assert_eq!(sorted, ["A", "B", "C", "D"]);
        }
    }
}

#[test]
fn the_same_seed_draws_the_same_paper() {
    assert_eq!(draw(42), draw(42));
    assert_ne!(draw(42), draw(43));
}

#[test]
fn too_few_questions_of_a_kind_is_an_error() {
    let mut rng = StdRng::seed_from_u64(1);
    let rule = DrawRule { single: 5, multiple: 7, judge: 0 };
    let error = draw_paper(&mut rng, &bank(), rule);
    assert_eq!(error, Err(DrawError::NotEnough { kind: QuestionKind::Multiple, have: 6, need: 7 }));
    let empty = DrawRule { single: 0, multiple: 0, judge: 0 };
    assert_eq!(draw_paper(&mut rng, &bank(), empty), Err(DrawError::EmptyRule));
}

#[test]
fn the_client_view_relabels_options_and_hides_answers() {
    let bank = bank();
    let paper = draw(3);
    let view = client_view(&paper, &bank).unwrap_or_default();
    assert_eq!(view.len(), 10);
    for (item, shown) in paper.items.iter().zip(&view) {
        let keys: Vec<&str> = shown.options.iter().map(|option| option.key.as_str()).collect();
        let expected: &[&str] = if item.kind == QuestionKind::Judge { &["T", "F"] } else { &["A", "B", "C", "D"] };
        assert_eq!(keys, expected);
        let texts: Vec<String> = shown.options.iter().map(|option| option.text.clone()).collect();
        let original: Vec<String> = item.option_order.iter().map(|key| format!("text of {key}")).collect();
        assert_eq!(texts, original);
    }
    let json = serde_json::to_string(&view).unwrap_or_default();
    assert!(!json.contains("answer"), "{json}");
}

#[test]
fn perfect_answers_score_100_and_none_score_0() {
    let bank = bank();
    let paper = draw(11);
    let grade_of = |answers| grade(&paper, &bank, &answers).map(|g| (g.score, g.correct, g.total));
    assert_eq!(grade_of(perfect_answers(&paper, &bank)), Ok((100.0, 10, 10)));
    assert_eq!(grade_of(HashMap::new()), Ok((0.0, 0, 10)));
}

#[test]
fn answering_the_bank_keys_instead_of_the_displayed_keys_is_wrong() {
    let bank = bank();
    // Find a paper whose first single question does not show B (the bank answer) as "B".
    let paper = (0..50).map(draw).find(|paper| paper.items[0].option_order[1] != "B");
    let paper = paper.unwrap_or_else(|| panic!("no paper moved option B"));
    let mut answers = perfect_answers(&paper, &bank);
    answers.insert(paper.items[0].question_id, vec!["B".to_string()]);
    assert_eq!(grade(&paper, &bank, &answers).map(|g| g.correct), Ok(9));
}

#[test]
fn a_multiple_choice_needs_exactly_the_right_set() {
    let bank = bank();
    let paper = draw(5);
    let multiple = paper.items.iter().find(|item| item.kind == QuestionKind::Multiple);
    let multiple = multiple.unwrap_or_else(|| panic!("no multiple-choice question"));
    let right = perfect_answers(&paper, &bank)[&multiple.question_id].clone();
    let all_four = vec!["A", "B", "C", "D"].into_iter().map(String::from).collect();
    let repeated = vec![right[0].clone(), right[0].clone(), right[1].clone()];
    let unknown = vec![right[0].clone(), right[1].clone(), "Z".to_string()];
    let reversed: Vec<String> = right.iter().rev().map(|key| key.to_lowercase()).collect();
    for (answer, expected) in [(vec![right[0].clone()], 0), (all_four, 0), (repeated, 0), (unknown, 0), (reversed, 1)] {
        let answers = HashMap::from([(multiple.question_id, answer.clone())]);
        assert_eq!(grade(&paper, &bank, &answers).map(|g| g.correct), Ok(expected), "{answer:?}");
    }
}

#[test]
fn scores_are_rounded_to_one_decimal() {
    assert_eq!(score(1, 3), 33.3);
    assert_eq!(score(2, 3), 66.7);
    assert_eq!(score(18, 20), 90.0);
    assert_eq!(score(0, 0), 0.0);
}

#[test]
fn a_paper_question_missing_from_the_bank_is_an_error() {
    let paper = draw(9);
    let partial: Vec<BankQuestion> = bank().into_iter().filter(|q| q.id != paper.items[0].question_id).collect();
    let missing = PaperError::MissingQuestion(paper.items[0].question_id);
    assert_eq!(grade(&paper, &partial, &HashMap::new()).err(), Some(missing.clone()));
    assert_eq!(client_view(&paper, &partial).err(), Some(missing));
}

#[test]
fn a_paper_round_trips_through_json() {
    let paper = draw(13);
    let json = serde_json::to_string(&paper).unwrap_or_default();
    assert!(json.contains("\"kind\":\"single\""), "{json}");
    assert_eq!(serde_json::from_str::<Paper>(&json).ok(), Some(paper));
}

#[test]
fn a_paper_from_the_sample_banks_scores_100_when_answered_right() {
    use crate::exams::bank_format::{BankFileKind, parse_bank};
    let files: [&[u8]; 4] = [
        include_bytes!("../../question_banks/intellectual_property.json"),
        include_bytes!("../../question_banks/network_security.json"),
        include_bytes!("../../question_banks/emergency_management.json"),
        include_bytes!("../../question_banks/professional_ethics.json"),
    ];
    let drafts = files.iter().flat_map(|file| parse_bank(BankFileKind::Json, file).unwrap_or_default());
    let bank: Vec<BankQuestion> = drafts
        .zip(1..)
        .map(|(draft, id)| BankQuestion {
            id,
            kind: draft.kind,
            stem: draft.stem,
            options: draft.options,
            answer: draft.answer,
        })
        .collect();
    assert_eq!(bank.len(), 64);
    let mut rng = StdRng::seed_from_u64(2023);
    let rule = DrawRule { single: 20, multiple: 10, judge: 10 };
    let paper = draw_paper(&mut rng, &bank, rule).unwrap_or_else(|error| panic!("{error}"));
    let grade = grade(&paper, &bank, &perfect_answers(&paper, &bank));
    assert_eq!(grade.map(|g| (g.score, g.correct, g.total)), Ok((100.0, 40, 40)));
}
