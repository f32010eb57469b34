//! The credit ledger. Crediting is idempotent at the database level: a unique key on
//! (learner, source kind, source id, category) means a retry or a race never credits twice.
use chrono::{DateTime, Datelike, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::OnConflict,
};

use crate::{
    entities::credit,
    error::AppResult,
    rules::annual_summary::{Category, Credit, CreditSource, PublicSubkind},
    rules::declaration_value::DeclarationKind,
};

/// Where a credit comes from. `source_id` identifies the source uniquely for the learner.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceKind {
    /// A course exam passed (`source_id` = course id).
    CoursePass {
        online: bool,
    },
    /// An approved declaration (`source_id` = declaration id).
    Declaration(DeclarationKind),
    /// Attendance of an offline class recorded by a base (`source_id` = class id).
    OfflineClass,
    /// Teacher of a selected excellent online public course (`source_id` = course id).
    ExcellentCourse,
    Conversion,
}

impl SourceKind {
    fn as_str(&self) -> &'static str {
        match self {
            SourceKind::CoursePass { .. } => "course_pass",
            SourceKind::Declaration(_) => "declaration",
            SourceKind::OfflineClass => "offline_class",
            SourceKind::ExcellentCourse => "excellent_course",
            SourceKind::Conversion => "conversion",
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewCredit {
    pub learner_id: i32,
    pub year: i32,
    pub category: Category,
    pub public_subkind: Option<PublicSubkind>,
    pub source: SourceKind,
    pub source_id: String,
    pub title: String,
    pub hours: f64,
    pub at: DateTime<Utc>,
}

fn category_str(c: Category) -> &'static str {
    match c {
        Category::Public => "public",
        Category::Professional => "professional",
    }
}

pub fn parse_category(s: &str) -> Option<Category> {
    match s {
        "public" => Some(Category::Public),
        "professional" => Some(Category::Professional),
        _ => None,
    }
}

/// Writes the credit unless this source already credited this learner and category.
/// Returns whether a new credit was written. Safe to call inside the caller's transaction.
#[tracing::instrument(skip_all, fields(learner = c.learner_id, source = %c.source_id))]
pub async fn credit(db: &impl ConnectionTrait, c: NewCredit) -> AppResult<bool> {
    let (online, declaration_kind) = match &c.source {
        SourceKind::CoursePass { online } => (*online, None),
        SourceKind::Declaration(k) => (false, Some(k.as_str().to_owned())),
        _ => (false, None),
    };
    let key = format!("credit:{}:{}:{}:{}", c.learner_id, c.source.as_str(), c.source_id, category_str(c.category));
    let sync_payload = sync_payload(&c, declaration_kind.as_deref(), online);
    let at = c.at;
    let row = credit::ActiveModel {
        learner_id: Set(c.learner_id),
        year: Set(c.year),
        category: Set(category_str(c.category).to_owned()),
        public_subkind: Set(c.public_subkind.map(|s| match s {
            PublicSubkind::Required => "required".to_owned(),
            PublicSubkind::Elective => "elective".to_owned(),
        })),
        source_kind: Set(c.source.as_str().to_owned()),
        source_id: Set(c.source_id),
        declaration_kind: Set(declaration_kind),
        online: Set(online),
        title: Set(c.title),
        hours: Set(c.hours),
        credited_at: Set(c.at),
        ..Default::default()
    };
    let res = credit::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                credit::Column::LearnerId,
                credit::Column::SourceKind,
                credit::Column::SourceId,
                credit::Column::Category,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    // Only a new line goes to the province, in the caller's transaction with the line itself.
    if res > 0 {
        crate::sync::enqueue(db, crate::sync::OutboxKind::Credit, &key, sync_payload, at).await?;
    }
    Ok(res > 0)
}

/// What the provincial platform receives about a credit (the person is added at delivery).
fn sync_payload(c: &NewCredit, declaration_kind: Option<&str>, online: bool) -> serde_json::Value {
    serde_json::json!({
        "learner_id": c.learner_id,
        "year": c.year,
        "category": category_str(c.category),
        "public_subkind": c.public_subkind.map(|s| match s {
            PublicSubkind::Required => "required",
            PublicSubkind::Elective => "elective",
        }),
        "source_kind": c.source.as_str(),
        "source_id": c.source_id,
        "declaration_kind": declaration_kind,
        "online": online,
        "title": c.title,
        "hours": c.hours,
        "credited_at": c.at,
    })
}

pub async fn credits_for(db: &impl ConnectionTrait, learner_id: i32, year: i32) -> AppResult<Vec<credit::Model>> {
    Ok(credit::Entity::find()
        .filter(credit::Column::LearnerId.eq(learner_id))
        .filter(credit::Column::Year.eq(year))
        .order_by_asc(credit::Column::CreditedAt)
        .order_by_asc(credit::Column::Id)
        .all(db)
        .await?)
}

pub async fn credits_between(
    db: &impl ConnectionTrait,
    learner_id: i32,
    from: i32,
    until: i32,
) -> AppResult<Vec<credit::Model>> {
    Ok(credit::Entity::find()
        .filter(credit::Column::LearnerId.eq(learner_id))
        .filter(credit::Column::Year.between(from, until))
        .order_by_asc(credit::Column::CreditedAt)
        .order_by_asc(credit::Column::Id)
        .all(db)
        .await?)
}

/// The rules' view of a ledger row. Unknown values (a newer schema) are skipped, not guessed.
pub fn to_rule_credit(m: &credit::Model) -> Option<Credit> {
    let category = parse_category(&m.category)?;
    let source = match m.source_kind.as_str() {
        "course_pass" => CreditSource::CoursePass { online: m.online },
        "declaration" => {
            let kind: DeclarationKind =
                serde_json::from_value(serde_json::Value::String(m.declaration_kind.clone()?)).ok()?;
            CreditSource::Declaration { kind }
        }
        "offline_class" => CreditSource::OfflineClass,
        "excellent_course" => CreditSource::ExcellentCourse,
        "conversion" => CreditSource::Conversion,
        _ => return None,
    };
    let public_subkind = match m.public_subkind.as_deref() {
        Some("required") => Some(PublicSubkind::Required),
        Some("elective") => Some(PublicSubkind::Elective),
        _ => None,
    };
    Some(Credit { category, public_subkind, source, hours: m.hours })
}

/// The calendar year a credit earned at `at` belongs to: the deadline is 31 December in
/// China Standard Time (UTC+8), not UTC.
pub fn year_of(at: DateTime<Utc>) -> i32 {
    (at + chrono::Duration::hours(8)).year()
}
