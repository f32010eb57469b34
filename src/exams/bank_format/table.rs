//! The one-row-per-question layout shared by CSV and .xlsx banks.
//!
//! Columns: kind, stem, A..F, answer, knowledge_point, difficulty, or the Chinese headers
//! 题型, 题干, 选项A..选项F, 答案, 知识点, 难度. Other columns (序号, 备注, ...) are ignored.

use super::raw::{RawAnswer, RawDifficulty, RawQuestion, Source};
use super::{OPTION_KEYS, RowError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Kind,
    Stem,
    /// Index into [`OPTION_KEYS`].
    Option(usize),
    Answer,
    KnowledgePoint,
    Difficulty,
}

impl Column {
    fn from_header(header: &str) -> Option<Self> {
        let name: String = header
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect();
        let option_letter = name.strip_prefix("选项").or_else(|| name.strip_prefix("option"));
        let option_letter = option_letter.unwrap_or(&name).to_ascii_uppercase();
        if let Some(index) = OPTION_KEYS.iter().position(|key| *key == option_letter) {
            return Some(Self::Option(index));
        }
        match name.as_str() {
            "kind" | "题型" => Some(Self::Kind),
            "stem" | "题干" => Some(Self::Stem),
            "answer" | "答案" | "正确答案" => Some(Self::Answer),
            "knowledgepoint" | "知识点" => Some(Self::KnowledgePoint),
            "difficulty" | "难度" => Some(Self::Difficulty),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Kind => "kind (题型)",
            Self::Stem => "stem (题干)",
            Self::Option(_) => "option (选项)",
            Self::Answer => "answer (答案)",
            Self::KnowledgePoint => "knowledge_point (知识点)",
            Self::Difficulty => "difficulty (难度)",
        }
    }
}

/// Which column each header cell names.
#[derive(Debug)]
pub struct Header {
    columns: Vec<Option<Column>>,
}

impl Header {
    /// Reads the header row; `kind`, `stem` and `answer` must be present, each column once.
    pub fn parse(cells: &[String], source: Source) -> Result<Self, Vec<RowError>> {
        let columns: Vec<Option<Column>> = cells.iter().map(|c| Column::from_header(c)).collect();
        let mut errors = Vec::new();
        for (position, column) in columns.iter().enumerate() {
            if column.is_some() && columns[..position].contains(column) {
                errors.push(source.error(format!("column '{}' appears twice", cells[position])));
            }
        }
        for required in [Column::Kind, Column::Stem, Column::Answer] {
            if !columns.contains(&Some(required)) {
                errors.push(source.error(format!("header lacks the {} column", required.name())));
            }
        }
        if errors.is_empty() { Ok(Self { columns }) } else { Err(errors) }
    }

    /// The question in one data row; `cells` may be shorter than the header.
    pub fn question(&self, source: Source, cells: &[String], read_problems: Vec<String>) -> RawQuestion {
        let cell = |wanted: Column| -> String {
            let position = self.columns.iter().position(|column| *column == Some(wanted));
            position.and_then(|p| cells.get(p)).map(|text| text.trim().to_string()).unwrap_or_default()
        };
        let mut options: Vec<(String, String)> =
            OPTION_KEYS.iter().enumerate().map(|(index, key)| (key.to_string(), cell(Column::Option(index)))).collect();
        // Unused trailing option columns are normal (a 4-option question leaves E and F empty).
        while options.last().is_some_and(|(_, text)| text.is_empty()) {
            options.pop();
        }
        RawQuestion {
            source,
            kind: cell(Column::Kind),
            stem: cell(Column::Stem),
            options,
            answer: RawAnswer::Cell(cell(Column::Answer)),
            knowledge_point: Some(cell(Column::KnowledgePoint)).filter(|text| !text.is_empty()),
            difficulty: difficulty_cell(&cell(Column::Difficulty)),
            read_problems,
        }
    }
}

fn difficulty_cell(text: &str) -> Option<RawDifficulty> {
    if text.is_empty() {
        return None;
    }
    if let Ok(level) = text.parse::<i64>() {
        return Some(RawDifficulty::Integer(level));
    }
    match text.parse::<f64>() {
        Ok(number) => Some(RawDifficulty::Float(number)),
        Err(_) => Some(RawDifficulty::Text(text.to_string())),
    }
}

/// A row with nothing in it (spreadsheets often end with some); skipped silently.
pub fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|cell| cell.trim().is_empty())
}
