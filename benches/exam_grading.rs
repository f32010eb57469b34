//! Grading and drawing 50-question papers (goal: >= 100k papers graded per second per core).
//! Run: cargo bench --bench exam_grading

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::SeedableRng;
use rand::rngs::StdRng;
use xueshi::exams::bank_format::{OptionItem, QuestionKind};
use xueshi::exams::paper::{BankQuestion, DrawRule, Paper, client_view, draw_paper, grade};

const RULE: DrawRule = DrawRule { single: 30, multiple: 10, judge: 10 };

/// A bank of 300 questions: 150 single, 75 multiple, 75 judge.
fn bank() -> Vec<BankQuestion> {
    (0..300)
        .map(|id| {
            let kind = match id % 4 {
                0 | 1 => QuestionKind::Single,
                2 => QuestionKind::Multiple,
                _ => QuestionKind::Judge,
            };
            let (keys, answer): (&[&str], &[&str]) = match kind {
                QuestionKind::Single => (&["A", "B", "C", "D"], &["C"]),
                QuestionKind::Multiple => (&["A", "B", "C", "D", "E"], &["A", "B", "D"]),
                QuestionKind::Judge => (&["T", "F"], &["F"]),
            };
            BankQuestion {
                id,
                kind,
                stem: format!("第{id}题的题干"),
                options: keys.iter().map(|k| OptionItem { key: k.to_string(), text: format!("选项{k}") }).collect(),
                answer: answer.iter().map(|k| k.to_string()).collect(),
            }
        })
        .collect()
}

/// Answers in displayed keys: every third question wrong, the rest right.
fn answers(paper: &Paper, bank: &[BankQuestion]) -> HashMap<i64, Vec<String>> {
    paper
        .items
        .iter()
        .enumerate()
        .map(|(n, item)| {
            let Some(question) = bank.iter().find(|q| q.id == item.question_id) else {
                return (item.question_id, Vec::new());
            };
            let displayed = |key: &String| {
                let position = item.option_order.iter().position(|k| k == key).unwrap_or(0);
                match item.kind {
                    QuestionKind::Judge => key.clone(),
                    _ => char::from(b'A' + position as u8).to_string(),
                }
            };
            let keys = if n % 3 == 0 { vec!["A".to_string()] } else { question.answer.iter().map(displayed).collect() };
            (item.question_id, keys)
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let bank = bank();
    let mut rng = StdRng::seed_from_u64(1);
    let Ok(paper) = draw_paper(&mut rng, &bank, RULE) else { return };
    // The service loads only the paper's 50 questions before grading.
    let on_paper: Vec<BankQuestion> =
        bank.iter().filter(|q| paper.items.iter().any(|i| i.question_id == q.id)).cloned().collect();
    let answers = answers(&paper, &bank);

    let mut group = c.benchmark_group("exam_50_questions");
    group.throughput(Throughput::Elements(1));
    group.bench_function("grade", |b| b.iter(|| grade(black_box(&paper), black_box(&on_paper), black_box(&answers))));
    group.bench_function("draw_from_300", |b| b.iter(|| draw_paper(&mut rng, black_box(&bank), RULE)));
    group.bench_function("client_view", |b| b.iter(|| client_view(black_box(&paper), black_box(&on_paper))));
    group.finish();
}

criterion_group!(exam_grading, benches);
criterion_main!(exam_grading);
