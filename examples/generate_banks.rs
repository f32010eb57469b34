//! Generates the sample banks in other formats, template.xlsx and the bad test fixtures.
//! Run: cargo run -j 1 --example generate_banks
use std::error::Error;
use std::fs;
use std::io::{Cursor, Read, Write};

use rust_xlsxwriter::{DataValidation, Format, Workbook, Worksheet};
use xueshi::exams::bank_format::{BankFileKind, Difficulty, QuestionDraft, QuestionKind, parse_bank};
use zip::write::SimpleFileOptions;

const BANKS: &str = "/work/main/question_banks";
const FIXTURES: &str = "/work/main/tests/fixtures/banks";
const ENGLISH_HEADERS: [&str; 11] =
    ["kind", "stem", "A", "B", "C", "D", "E", "F", "answer", "knowledge_point", "difficulty"];
const CHINESE_HEADERS: [&str; 12] =
    ["序号", "题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案", "知识点", "难度"];

type Res<T> = Result<T, Box<dyn Error>>;

fn main() -> Res<()> {
    let load = |name: &str| -> Res<Vec<QuestionDraft>> {
        let bytes = fs::read(format!("{BANKS}/{name}.json"))?;
        parse_bank(BankFileKind::Json, &bytes).map_err(|e| format!("{name}: {e:?}").into())
    };
    fs::write(format!("{BANKS}/network_security.toml"), to_toml(&load("network_security")?))?;
    fs::write(format!("{BANKS}/emergency_management.csv"), to_csv(&load("emergency_management")?)?)?;
    fs::write(format!("{BANKS}/professional_ethics.xlsx"), to_xlsx(&load("professional_ethics")?)?)?;
    fs::write(format!("{BANKS}/template.xlsx"), template_xlsx()?)?;
    fixtures()
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn to_toml(questions: &[QuestionDraft]) -> String {
    let mut out = String::from("# 网络安全 sample bank (TOML form of network_security.json)\n");
    for q in questions {
        out += &format!("\n[[questions]]\nkind = \"{}\"\nstem = {}\n", kind_name(q.kind), toml_string(&q.stem));
        if q.kind != QuestionKind::Judge {
            out += "options = [\n";
            for o in &q.options {
                out += &format!("  {{ key = \"{}\", text = {} }},\n", o.key, toml_string(&o.text));
            }
            out += "]\n";
        }
        let answer: Vec<String> = q.answer.iter().map(|a| format!("\"{a}\"")).collect();
        out += &format!("answer = [{}]\n", answer.join(", "));
        if let Some(kp) = &q.knowledge_point {
            out += &format!("knowledge_point = {}\n", toml_string(kp));
        }
        if let Some(Difficulty::Level(level)) = q.difficulty {
            out += &format!("difficulty = {level}\n");
        }
    }
    out
}

fn kind_name(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => "single",
        QuestionKind::Multiple => "multiple",
        QuestionKind::Judge => "judge",
    }
}

fn chinese_kind(kind: QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single => "单选",
        QuestionKind::Multiple => "多选",
        QuestionKind::Judge => "判断",
    }
}

/// Option texts A..F (empty for judge questions).
fn option_cells(q: &QuestionDraft) -> Vec<String> {
    (0..6)
        .map(|i| if q.kind == QuestionKind::Judge { None } else { q.options.get(i) })
        .map(|o| o.map(|o| o.text.clone()).unwrap_or_default())
        .collect()
}

fn difficulty_text(q: &QuestionDraft) -> String {
    match &q.difficulty {
        Some(Difficulty::Level(level)) => level.to_string(),
        Some(Difficulty::Label(label)) => label.clone(),
        None => String::new(),
    }
}

fn to_csv(questions: &[QuestionDraft]) -> Res<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(ENGLISH_HEADERS)?;
    for q in questions {
        let mut record = vec![kind_name(q.kind).to_string(), q.stem.clone()];
        record.extend(option_cells(q));
        record.push(q.answer.concat());
        record.push(q.knowledge_point.clone().unwrap_or_default());
        record.push(difficulty_text(q));
        writer.write_record(&record)?;
    }
    Ok(writer.into_inner()?)
}

fn header_row(sheet: &mut Worksheet) -> Res<()> {
    let bold = Format::new().set_bold();
    for (column, name) in CHINESE_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *name, &bold)?;
    }
    sheet.set_column_width(2, 50)?;
    for column in 3..9 {
        sheet.set_column_width(column, 18)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let kinds = DataValidation::new().allow_list_strings(&["单选", "多选", "判断"])?;
    sheet.add_data_validation(1, 1, 9_999, 1, &kinds)?;
    Ok(())
}

fn to_xlsx(questions: &[QuestionDraft]) -> Res<Vec<u8>> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("题库")?;
    header_row(sheet)?;
    for (index, q) in questions.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_number(row, 0, row as f64)?;
        sheet.write_string(row, 1, chinese_kind(q.kind))?;
        sheet.write_string(row, 2, &q.stem)?;
        for (offset, text) in option_cells(q).iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string(row, 3 + offset as u16, text)?;
            }
        }
        let answer = match (q.kind, q.answer.first().map(String::as_str)) {
            (QuestionKind::Judge, Some("T")) => "对".to_string(),
            (QuestionKind::Judge, _) => "错".to_string(),
            _ => q.answer.concat(),
        };
        sheet.write_string(row, 9, &answer)?;
        sheet.write_string(row, 10, q.knowledge_point.as_deref().unwrap_or(""))?;
        if let Some(Difficulty::Level(level)) = q.difficulty {
            sheet.write_number(row, 11, f64::from(level))?;
        }
    }
    Ok(workbook.save_to_buffer()?)
}

const INSTRUCTIONS: [&str; 9] = [
    "填写说明 (see question_banks/README.md)",
    "每行一道题；第一行为表头，可用中文表头或英文表头 kind, stem, A-F, answer, knowledge_point, difficulty。",
    "题型：单选、多选、判断（或 single, multiple, judge）。",
    "选项A-选项F：选择题至少填写两个选项，从选项A起连续填写；判断题不填选项。",
    "答案：单选填一个字母，如 B；多选填两个及以上字母，如 ACD（可用逗号或顿号分隔）；判断填 对/错、正确/错误、T/F 或 √/×。",
    "知识点、难度（1-5 的整数）可不填；“序号”等其他列会被忽略。",
    "不接受公式，请粘贴为数值；只读取第一个工作表。",
    "同一题库中题干不得重复（忽略空格和全角半角差异）。",
    "限制：文件不超过 10 MiB，工作表不超过 10000 行 x 30 列，题干不超过 1000 字，选项不超过 300 字。",
];

fn template_xlsx() -> Res<Vec<u8>> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("题库")?;
    header_row(sheet)?;
    let help = workbook.add_worksheet();
    help.set_name("说明")?;
    help.set_column_width(0, 110)?;
    for (row, line) in INSTRUCTIONS.iter().enumerate() {
        help.write_string(row as u32, 0, *line)?;
    }
    Ok(workbook.save_to_buffer()?)
}

fn fixtures() -> Res<()> {
    fs::create_dir_all(FIXTURES)?;
    for (name, text) in TEXT_FIXTURES {
        fs::write(format!("{FIXTURES}/{name}"), text)?;
    }
    fs::write(format!("{FIXTURES}/formula.xlsx"), formula_xlsx()?)?;
    let huge = huge_dimension_xlsx()?;
    fs::write(
        format!("{FIXTURES}/lying_dimension.xlsx"),
        rewrite_entry(&huge, "xl/worksheets/sheet1.xml", |xml| {
            xml.replace("<dimension ref=\"A1:XFD1048576\"/>", "<dimension ref=\"A1:C2\"/>")
        })?,
    )?;
    fs::write(format!("{FIXTURES}/huge_dimension.xlsx"), huge)?;
    let bomb = zip_bomb_xlsx()?;
    fs::write(format!("{FIXTURES}/zip_bomb_lying_sizes.xlsx"), understate_sizes(bomb.clone(), BOMB_ENTRY))?;
    fs::write(format!("{FIXTURES}/zip_bomb.xlsx"), bomb)?;
    Ok(())
}

fn small_sheet(sheet: &mut Worksheet) -> Res<()> {
    for (column, name) in ["kind", "stem", "A", "B", "answer", "difficulty"].iter().enumerate() {
        sheet.write_string(0, column as u16, *name)?;
    }
    sheet.write_row(1, 0, ["single", "发明专利权的期限为自申请日起多少年？", "20", "10", "A"])?;
    sheet.write_number(1, 5, 2.0)?;
    sheet.write_row(2, 0, ["single", "实用新型专利权的期限为自申请日起多少年？", "20", "10"])?;
    Ok(())
}

fn formula_xlsx() -> Res<Vec<u8>> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    small_sheet(sheet)?;
    // The answer B computed by a formula, and a difficulty computed too: both refused.
    sheet.write_formula(2, 4, "=CHAR(66)")?;
    sheet.write_formula(2, 5, "=1+1")?;
    Ok(workbook.save_to_buffer()?)
}

fn huge_dimension_xlsx() -> Res<Vec<u8>> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    small_sheet(sheet)?;
    sheet.write_string(2, 4, "B")?;
    sheet.write_string(1_048_575, 16_383, "x")?;
    Ok(workbook.save_to_buffer()?)
}

const BOMB_ENTRY: &str = "xl/media/image1.bin";

fn zip_bomb_xlsx() -> Res<Vec<u8>> {
    let mut workbook = Workbook::new();
    small_sheet(workbook.add_worksheet())?;
    let valid = workbook.save_to_buffer()?;
    let mut archive = zip::ZipArchive::new(Cursor::new(valid))?;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        writer.raw_copy_file(archive.by_index(index)?)?;
    }
    writer.start_file(BOMB_ENTRY, SimpleFileOptions::default())?;
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..8 {
        writer.write_all(&zeros)?;
    }
    Ok(writer.finish()?.into_inner())
}

/// Rewrites the bomb's recorded uncompressed size to 1000 bytes, as a hostile uploader would.
fn understate_sizes(mut bytes: Vec<u8>, name: &str) -> Vec<u8> {
    let name = name.as_bytes();
    let positions: Vec<usize> =
        (0..bytes.len().saturating_sub(name.len())).filter(|&p| &bytes[p..p + name.len()] == name).collect();
    for p in positions {
        let size_at = if p >= 46 && bytes[p - 46..p - 42] == *b"PK\x01\x02" {
            p - 46 + 24
        } else if p >= 30 && bytes[p - 30..p - 26] == *b"PK\x03\x04" {
            p - 30 + 22
        } else {
            continue;
        };
        bytes[size_at..size_at + 4].copy_from_slice(&1000u32.to_le_bytes());
    }
    bytes
}

fn rewrite_entry(bytes: &[u8], name: &str, edit: impl Fn(&str) -> String) -> Res<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index)?;
        if entry.name()? == name {
            let mut xml = String::new();
            entry.read_to_string(&mut xml)?;
            let edited = edit(&xml);
            if edited == xml {
                return Err(format!("editing {name} changed nothing").into());
            }
            writer.start_file(name, SimpleFileOptions::default())?;
            writer.write_all(edited.as_bytes())?;
        } else {
            drop(entry);
            writer.raw_copy_file(archive.by_index(index)?)?;
        }
    }
    Ok(writer.finish()?.into_inner())
}

const TEXT_FIXTURES: [(&str, &str); 6] = [
    ("missing_answer.csv", "kind,stem,A,B,C,D,answer\nsingle,发明专利权的期限为自申请日起（  ）年。,10,15,20,25,\n"),
    (
        "answer_not_in_options.json",
        r#"{"questions": [
  {"kind": "single", "stem": "注册商标的有效期为（  ）年。",
   "options": [{"key": "A", "text": "5"}, {"key": "B", "text": "10"}, {"key": "C", "text": "15"}, {"key": "D", "text": "20"}],
   "answer": ["E"]}
]}
"#,
    ),
    (
        "duplicate.toml",
        r#"[[questions]]
kind = "judge"
stem = "作品创作完成后，必须经过登记才能取得著作权。"
answer = ["F"]

[[questions]]
kind = "judge"
stem = "作品创作完成后， 必须经过登记才能取得著作权。 "
answer = ["错"]
"#,
    ),
    ("empty_stem.csv", "题型,题干,选项A,选项B,答案\n单选,,对,错,A\n"),
    (
        "wrong_kind.json",
        r#"{"questions": [
  {"kind": "essay", "stem": "论述知识产权保护的意义。", "answer": ["A"]}
]}
"#,
    ),
    (
        "all_errors.csv",
        "kind,stem,A,B,C,D,answer,knowledge_point,difficulty\n\
single,发明专利权的期限为自申请日起（  ）年。,10,15,20,25,C,专利,2\n\
single,\"实用新型专利权的期限\n为自申请日起（  ）年。\",5,10,15,20,,专利,2\n\
single,注册商标的有效期为（  ）年。,5,10,15,20,E,商标,2\n\
single,外观设计专利权的期限为自申请日起（  ）年。,10,15,20,25,AB,专利,2\n\
multiple,专利法所称的发明创造包括（  ）。,发明,实用新型,外观设计,科学发现,A,专利,3\n\
judge,作品创作完成后，必须经过登记才能取得著作权。,,,,,是吗,著作权,1\n\
single,只有一个选项的题目（  ）。,唯一选项,,,,A,,\n\
,,,,,,,,\n\
essay,论述知识产权保护的意义。,,,,,,,\n\
single,,10,20,,,A,,\n\
single,发明专利权的期限为自申请日起（ ）年。,10,15,20,25,C,专利,9\n",
    ),
];
