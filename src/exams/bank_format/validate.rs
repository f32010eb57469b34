//! The rules every question must pass, whatever file format it came from.

use std::collections::HashMap;

use super::raw::{RawAnswer, RawDifficulty, RawQuestion, ReadBank, Source};
use super::text::{char_count, normalise_stem};
use super::{Difficulty, MAX_QUESTIONS, OPTION_KEYS, OptionItem, QuestionDraft, QuestionKind, RowError};

pub const MAX_STEM_CHARS: usize = 1_000;
pub const MAX_OPTION_CHARS: usize = 300;
pub const MAX_LABEL_CHARS: usize = 100;

/// Validates every question; all errors of all questions are reported together.
pub fn validate_all(read: ReadBank) -> Result<Vec<QuestionDraft>, Vec<RowError>> {
    let mut errors = read.errors;
    if read.questions.len() > MAX_QUESTIONS {
        errors.push(RowError::file(format!("more than {MAX_QUESTIONS} questions")));
        return Err(errors);
    }
    if read.questions.is_empty() && errors.is_empty() {
        return Err(vec![RowError::file("the bank has no questions")]);
    }
    let mut first_seen: HashMap<String, Source> = HashMap::new();
    let mut drafts = Vec::with_capacity(read.questions.len());
    for raw in read.questions {
        let source = raw.source;
        let stem_key = normalise_stem(&raw.stem);
        let (draft, mut problems) = validate_one(raw);
        if !stem_key.is_empty() {
            match first_seen.get(&stem_key) {
                Some(first) => problems.push(format!("duplicate question: same stem as {}", describe(*first))),
                None => {
                    first_seen.insert(stem_key, source);
                }
            }
        }
        errors.extend(problems.into_iter().map(|problem| source.error(problem)));
        drafts.extend(draft);
    }
    if errors.is_empty() { Ok(drafts) } else { Err(errors) }
}

fn describe(source: Source) -> String {
    match source {
        Source::Row(row) => format!("row {row}"),
        Source::Line(line) => format!("line {line}"),
        Source::Index { index, .. } => format!("question {index}"),
    }
}

/// The draft if the question is valid, and every problem found in it.
fn validate_one(raw: RawQuestion) -> (Option<QuestionDraft>, Vec<String>) {
    // A formula's cached value is not what the author typed: checking it would only mislead.
    if !raw.read_problems.is_empty() {
        return (None, raw.read_problems);
    }
    let mut problems = Vec::new();
    let kind = parse_kind(&raw.kind).map_err(|problem| problems.push(problem)).ok();
    let stem = raw.stem.trim().to_string();
    if stem.is_empty() {
        problems.push("empty stem (题干)".to_string());
    } else if char_count(&stem) > MAX_STEM_CHARS {
        problems.push(format!("stem is {} characters; at most {MAX_STEM_CHARS}", char_count(&stem)));
    }
    let options = match kind {
        Some(QuestionKind::Judge) => judge_options(),
        Some(_) => choice_options(&raw.options, &mut problems),
        None => Vec::new(),
    };
    let answer = kind.map(|kind| parse_answer(kind, &raw.answer, &options, &mut problems));
    let knowledge_point = optional_label(raw.knowledge_point, "knowledge point", &mut problems);
    let difficulty = raw.difficulty.and_then(|d| parse_difficulty(d, &mut problems));
    let draft = match (kind, answer) {
        (Some(kind), Some(answer)) if problems.is_empty() => {
            Some(QuestionDraft { kind, stem, options, answer, knowledge_point, difficulty })
        }
        _ => None,
    };
    (draft, problems)
}

fn parse_kind(kind: &str) -> Result<QuestionKind, String> {
    match kind.trim().to_lowercase().as_str() {
        "single" | "单选" | "单选题" => Ok(QuestionKind::Single),
        "multiple" | "多选" | "多选题" => Ok(QuestionKind::Multiple),
        "judge" | "判断" | "判断题" => Ok(QuestionKind::Judge),
        "" => Err("missing kind (题型)".to_string()),
        other => Err(format!("unknown kind '{other}'; use single, multiple or judge (单选, 多选, 判断)")),
    }
}

/// Judge questions always show 正确/错误, whatever the file says.
pub fn judge_options() -> Vec<OptionItem> {
    vec![
        OptionItem { key: "T".to_string(), text: "正确".to_string() },
        OptionItem { key: "F".to_string(), text: "错误".to_string() },
    ]
}

fn choice_options(raw: &[(String, String)], problems: &mut Vec<String>) -> Vec<OptionItem> {
    if raw.len() > OPTION_KEYS.len() {
        problems.push(format!("{} options; at most {}", raw.len(), OPTION_KEYS.len()));
    }
    let mut options = Vec::with_capacity(raw.len());
    for (position, (key, text)) in raw.iter().enumerate() {
        let key = key.trim().to_uppercase();
        let text = text.trim().to_string();
        let expected = OPTION_KEYS.get(position).copied().unwrap_or("?");
        if key != expected {
            problems.push(format!("option {} is keyed '{key}'; options must be keyed A, B, C… in order", position + 1));
        } else if text.is_empty() {
            problems.push(format!("option {key} is empty"));
        } else if char_count(&text) > MAX_OPTION_CHARS {
            problems.push(format!("option {key} is {} characters; at most {MAX_OPTION_CHARS}", char_count(&text)));
        }
        options.push(OptionItem { key, text });
    }
    if options.len() < 2 {
        problems.push(format!("a choice question needs at least 2 options, found {}", options.len()));
    }
    options
}

fn parse_answer(
    kind: QuestionKind,
    raw: &RawAnswer,
    options: &[OptionItem],
    problems: &mut Vec<String>,
) -> Vec<String> {
    let tokens = answer_tokens(kind, raw);
    if tokens.is_empty() {
        problems.push("missing answer (答案)".to_string());
        return Vec::new();
    }
    if kind == QuestionKind::Judge {
        return match tokens.as_slice() {
            [token] => match judge_answer(token) {
                Some(key) => vec![key.to_string()],
                None => {
                    problems.push(format!("judge answer '{token}' must be T or F (对/错, 正确/错误, √/×)"));
                    Vec::new()
                }
            },
            _ => {
                problems.push("a judge question has exactly one answer, T or F".to_string());
                Vec::new()
            }
        };
    }
    for (position, token) in tokens.iter().enumerate() {
        if tokens[..position].contains(token) {
            problems.push(format!("answer lists {token} twice"));
        } else if !options.iter().any(|option| option.key == *token) {
            problems.push(format!("answer {token} is not among the options"));
        }
    }
    match (kind, tokens.len()) {
        (QuestionKind::Single, count) if count != 1 => {
            problems.push(format!("a single-choice question needs exactly 1 answer, found {count}"));
        }
        (QuestionKind::Multiple, count) if count < 2 => {
            problems.push(format!("a multiple-choice question needs at least 2 answers, found {count}"));
        }
        _ => {}
    }
    // Stored in option order, so that equal answers compare equal.
    options.iter().filter(|option| tokens.contains(&option.key)).map(|option| option.key.clone()).collect()
}

/// Splits `AC`, `A,C`, `A、C` into keys; a judge answer such as `正确` stays whole.
fn answer_tokens(kind: QuestionKind, raw: &RawAnswer) -> Vec<String> {
    let cleaned = |token: &str| token.trim().to_uppercase();
    match raw {
        RawAnswer::List(items) => items.iter().map(|item| cleaned(item)).filter(|t| !t.is_empty()).collect(),
        RawAnswer::Cell(text) if kind == QuestionKind::Judge => {
            Some(cleaned(text)).filter(|t| !t.is_empty()).into_iter().collect()
        }
        RawAnswer::Cell(text) => text
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, ',' | '，' | '、' | ';' | '；' | '/'))
            .map(|c| c.to_uppercase().collect())
            .collect(),
    }
}

fn judge_answer(token: &str) -> Option<&'static str> {
    match token {
        "T" | "TRUE" | "对" | "正确" | "√" | "✓" => Some("T"),
        "F" | "FALSE" | "错" | "错误" | "×" | "✗" | "X" => Some("F"),
        _ => None,
    }
}

fn optional_label(label: Option<String>, what: &str, problems: &mut Vec<String>) -> Option<String> {
    let label = label.map(|text| text.trim().to_string()).filter(|text| !text.is_empty())?;
    if char_count(&label) > MAX_LABEL_CHARS {
        problems.push(format!("{what} is {} characters; at most {MAX_LABEL_CHARS}", char_count(&label)));
    }
    Some(label)
}

fn parse_difficulty(raw: RawDifficulty, problems: &mut Vec<String>) -> Option<Difficulty> {
    let level = match raw {
        RawDifficulty::Integer(level) => level,
        RawDifficulty::Float(number) if number.fract() == 0.0 && number.abs() < 1e6 => number as i64,
        RawDifficulty::Float(number) => {
            problems.push(format!("difficulty {number} must be a whole number 1-5 or a label"));
            return None;
        }
        RawDifficulty::Text(text) => match text.trim().parse::<i64>() {
            Ok(level) => level,
            Err(_) => {
                return optional_label(Some(text), "difficulty", problems).map(Difficulty::Label);
            }
        },
    };
    match u8::try_from(level) {
        Ok(level @ 1..=5) => Some(Difficulty::Level(level)),
        _ => {
            problems.push(format!("difficulty {level} must be between 1 and 5"));
            None
        }
    }
}
