//! Bank parsing tests against the shipped sample banks and the bad fixtures.

use std::io::{Cursor, Write};

use super::*;

fn parse(kind: BankFileKind, bytes: &[u8]) -> Vec<QuestionDraft> {
    match parse_bank(kind, bytes) {
        Ok(questions) => questions,
        Err(errors) => panic!("expected a valid bank, got {errors:#?}"),
    }
}

fn errors(kind: BankFileKind, bytes: &[u8]) -> Vec<RowError> {
    match parse_bank(kind, bytes) {
        Ok(questions) => panic!("expected errors, got {} questions", questions.len()),
        Err(errors) => errors,
    }
}

fn count(questions: &[QuestionDraft], kind: QuestionKind) -> usize {
    questions.iter().filter(|q| q.kind == kind).count()
}

const IP_JSON: &[u8] = include_bytes!("../../../question_banks/intellectual_property.json");
const SECURITY_JSON: &[u8] = include_bytes!("../../../question_banks/network_security.json");
const SECURITY_TOML: &[u8] = include_bytes!("../../../question_banks/network_security.toml");
const EMERGENCY_JSON: &[u8] = include_bytes!("../../../question_banks/emergency_management.json");
const EMERGENCY_CSV: &[u8] = include_bytes!("../../../question_banks/emergency_management.csv");
const ETHICS_JSON: &[u8] = include_bytes!("../../../question_banks/professional_ethics.json");
const ETHICS_XLSX: &[u8] = include_bytes!("../../../question_banks/professional_ethics.xlsx");
const TEMPLATE_XLSX: &[u8] = include_bytes!("../../../question_banks/template.xlsx");

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../../tests/fixtures/banks/", $name))
    };
}

#[test]
fn sample_banks_hold_64_questions_of_every_kind() {
    let mut total = 0;
    for bank in [IP_JSON, SECURITY_JSON, EMERGENCY_JSON, ETHICS_JSON] {
        let questions = parse(BankFileKind::Json, bank);
        assert_eq!(count(&questions, QuestionKind::Single), 8);
        assert_eq!(count(&questions, QuestionKind::Multiple), 4);
        assert_eq!(count(&questions, QuestionKind::Judge), 4);
        total += questions.len();
    }
    assert_eq!(total, 64);
}

#[test]
fn every_format_of_a_sample_bank_gives_the_same_questions() {
    assert_eq!(parse(BankFileKind::Toml, SECURITY_TOML), parse(BankFileKind::Json, SECURITY_JSON));
    assert_eq!(parse(BankFileKind::Csv, EMERGENCY_CSV), parse(BankFileKind::Json, EMERGENCY_JSON));
    assert_eq!(parse(BankFileKind::Xlsx, ETHICS_XLSX), parse(BankFileKind::Json, ETHICS_JSON));
}

#[test]
fn judge_questions_get_true_false_options() {
    let questions = parse(BankFileKind::Json, ETHICS_JSON);
    let judge = questions.iter().find(|q| q.kind == QuestionKind::Judge).map(|q| q.options.clone());
    let keys: Vec<String> = judge.unwrap_or_default().into_iter().map(|o| o.key + &o.text).collect();
    assert_eq!(keys, ["T正确", "F错误"]);
}

#[test]
fn the_empty_template_is_a_valid_layout_without_questions() {
    let errors = errors(BankFileKind::Xlsx, TEMPLATE_XLSX);
    assert_eq!(errors, [RowError::file("the bank has no questions")]);
}

#[test]
fn file_kind_comes_from_the_extension() {
    assert_eq!(BankFileKind::from_file_name("网络安全.XLSX"), Some(BankFileKind::Xlsx));
    assert_eq!(BankFileKind::from_file_name("bank.toml"), Some(BankFileKind::Toml));
    assert_eq!(BankFileKind::from_file_name("bank.xls"), None);
    assert_eq!(BankFileKind::from_file_name("csv"), None);
}

fn line_error(line: usize, message: &str) -> RowError {
    RowError { row: None, line: Some(line), message: message.to_string() }
}

#[test]
fn single_fault_fixtures_name_the_fault_and_where() {
    assert_eq!(errors(BankFileKind::Csv, fixture!("missing_answer.csv")), [line_error(2, "missing answer (答案)")]);
    assert_eq!(errors(BankFileKind::Csv, fixture!("empty_stem.csv")), [line_error(2, "empty stem (题干)")]);
    assert_eq!(
        errors(BankFileKind::Json, fixture!("answer_not_in_options.json")),
        [RowError::file("question 1: answer E is not among the options")]
    );
    let wrong_kind = errors(BankFileKind::Json, fixture!("wrong_kind.json"));
    assert!(wrong_kind[0].message.starts_with("question 1: unknown kind 'essay'"), "{wrong_kind:?}");
    assert_eq!(
        errors(BankFileKind::Toml, fixture!("duplicate.toml")),
        [line_error(6, "question 2: duplicate question: same stem as question 1")]
    );
}

#[test]
fn all_errors_of_a_file_are_reported_at_once() {
    let found = errors(BankFileKind::Csv, fixture!("all_errors.csv"));
    let lines: Vec<Option<usize>> = found.iter().map(|e| e.line).collect();
    // Line 3 holds a stem with a line break, so the next record starts on line 5; line 10 is blank.
    let expected = [3, 5, 6, 7, 8, 9, 11, 12, 13, 13];
    assert_eq!(lines, expected.map(Some));
    let messages: Vec<&str> = found.iter().map(|e| e.message.as_str()).collect();
    assert!(messages.contains(&"a single-choice question needs exactly 1 answer, found 2"));
    assert!(messages.contains(&"a multiple-choice question needs at least 2 answers, found 1"));
    assert!(messages.contains(&"a choice question needs at least 2 options, found 1"));
    assert!(messages.contains(&"difficulty 9 must be between 1 and 5"));
    assert!(messages.contains(&"duplicate question: same stem as line 2"));
}

fn row_error(row: usize, message: &str) -> RowError {
    RowError { row: Some(row), line: None, message: message.to_string() }
}

#[test]
fn formula_cells_are_refused_on_their_row() {
    let refused = "contains a formula; formulas are not accepted, paste the values instead";
    assert_eq!(
        errors(BankFileKind::Xlsx, fixture!("formula.xlsx")),
        [row_error(3, &format!("cell E3 {refused}")), row_error(3, &format!("cell F3 {refused}"))]
    );
}

#[test]
fn a_sheet_larger_than_allowed_is_refused_before_reading() {
    let found = errors(BankFileKind::Xlsx, fixture!("huge_dimension.xlsx"));
    assert!(found[0].message.starts_with("the sheet spans 1048576 rows x 16384 columns"), "{found:?}");
}

#[test]
fn a_far_cell_is_refused_even_when_the_declared_dimension_lies() {
    let found = errors(BankFileKind::Xlsx, fixture!("lying_dimension.xlsx"));
    assert!(found[0].message.starts_with("cell XFD1048576 lies outside"), "{found:?}");
}

#[test]
fn zip_bombs_are_refused() {
    let found = errors(BankFileKind::Xlsx, fixture!("zip_bomb.xlsx"));
    assert!(found[0].message.contains("compressed more than 100:1"), "{found:?}");
    // The same bomb claiming 1000 bytes: caught while decompressing under a cap.
    let found = errors(BankFileKind::Xlsx, fixture!("zip_bomb_lying_sizes.xlsx"));
    assert!(found[0].message.starts_with("corrupt .xlsx file"), "{found:?}");
}

#[test]
fn a_zip_of_100k_entries_is_refused() {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for index in 0..100_000 {
        assert!(writer.start_file(format!("{index:x}"), stored).is_ok());
    }
    let bytes = writer.finish().map(Cursor::into_inner).unwrap_or_default();
    assert!(bytes.len() < MAX_FILE_BYTES);
    assert_eq!(errors(BankFileKind::Xlsx, &bytes), [RowError::file("the .xlsx holds 100000 parts; at most 1000")]);
}

#[test]
fn files_over_10_mib_are_refused_unread() {
    let found = errors(BankFileKind::Json, &vec![b' '; MAX_FILE_BYTES + 1]);
    assert!(found[0].message.contains("at most 10485760 bytes"), "{found:?}");
}

#[test]
fn malformed_json_reports_its_line() {
    let found = errors(BankFileKind::Json, b"{\"questions\": [\n{\"kind\": \"single\",,}\n]}");
    assert_eq!(found[0].line, Some(2));
}

#[test]
fn a_question_of_the_wrong_shape_does_not_hide_the_others() {
    let json = r#"{"questions": [{"kind": "judge", "stem": "x", "answer": "T"}, {"kind": "judge", "stme": "y"}]}"#;
    let found = errors(BankFileKind::Json, json.as_bytes());
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].message.starts_with("question 1: invalid type"), "{found:?}");
    assert!(found[1].message.starts_with("question 2: unknown field `stme`"), "{found:?}");
}

#[test]
fn chinese_headers_kinds_and_answer_spellings_are_accepted() {
    let csv = "序号,题型,题干,选项A,选项B,选项C,答案,难度\n\
               1,多选,下列属于学术不端行为的有（  ）。,抄袭,伪造数据,规范引用,\"A、B\",中\n\
               2,判断,职业道德与法律法规没有任何联系。,,,,×,\n\
               3,判断,专业技术人员应当积极参加继续教育。,,,,正确,\n";
    let questions = parse(BankFileKind::Csv, csv.as_bytes());
    assert_eq!(questions[0].answer, ["A", "B"]);
    assert_eq!(questions[0].difficulty, Some(Difficulty::Label("中".to_string())));
    assert_eq!(questions[1].answer, ["F"]);
    assert_eq!(questions[2].answer, ["T"]);
}

#[test]
fn gbk_csv_from_chinese_excel_is_decoded() {
    let csv = "题型,题干,选项A,选项B,答案\n单选,发明专利权的期限为自申请日起多少年？,20年,10年,A\n";
    let (gbk, _, had_errors) = encoding_rs::GBK.encode(csv);
    assert!(!had_errors);
    let questions = parse(BankFileKind::Csv, &gbk);
    assert_eq!(questions[0].stem, "发明专利权的期限为自申请日起多少年？");
}

#[test]
fn oversized_text_is_refused() {
    let stem = "长".repeat(1_001);
    let json = format!(r#"{{"questions": [{{"kind": "judge", "stem": "{stem}", "answer": ["T"]}}]}}"#);
    assert_eq!(
        errors(BankFileKind::Json, json.as_bytes()),
        [RowError::file("question 1: stem is 1001 characters; at most 1000")]
    );
}

#[test]
fn options_must_be_keyed_in_order() {
    let json = r#"{"questions": [{"kind": "single", "stem": "s", "options": [{"key": "A", "text": "a"}, {"key": "C", "text": "c"}], "answer": ["A"]}]}"#;
    let found = errors(BankFileKind::Json, json.as_bytes());
    assert!(found[0].message.contains("option 2 is keyed 'C'"), "{found:?}");
}

#[test]
fn a_header_without_required_columns_is_refused() {
    let found = errors(BankFileKind::Csv, "题干,A,B\nx,1,2\n".as_bytes());
    let messages: Vec<&str> = found.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, ["header lacks the kind (题型) column", "header lacks the answer (答案) column"]);
}

#[test]
fn a_small_ordinary_zip_passes_the_guard() {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    assert!(writer.start_file("a", zip::write::SimpleFileOptions::default()).is_ok());
    assert!(writer.write_all(b"hello").is_ok());
    let bytes = writer.finish().map(Cursor::into_inner).unwrap_or_default();
    assert_eq!(zip_guard::check(&bytes), Ok(()));
}
