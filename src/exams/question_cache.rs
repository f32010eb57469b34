//! The questions of each bank version, kept in memory once read. A bank's questions are
//! written only by its import, in one transaction, and never updated or deleted afterwards
//! (publishing freezes the version; a change is a new version, 题库版本). So a copy read after
//! the import committed stays true for the life of the process, and every node may keep its
//! own without invalidation. Starting an exam then costs no read of the whole bank.
//!
//! Held in `AppState`, not in a global: question ids are database ids, and tests run many
//! databases in one process.
use std::{
    collections::HashMap,
    sync::{Arc, RwLock},
};

use sea_orm::ConnectionTrait;

use super::{banks, paper::BankQuestion};
use crate::error::AppResult;

/// Banks kept at most; past that the cache starts again empty. A platform has a few dozen
/// live bank versions, each at most the import's row limit.
const MAX_BANKS: usize = 64;

#[derive(Clone, Default)]
pub struct QuestionCache {
    banks: Arc<RwLock<HashMap<i32, Arc<[BankQuestion]>>>>,
}

impl QuestionCache {
    /// The bank's questions in bank order, from memory when this node has read them before.
    pub async fn of_bank(&self, db: &impl ConnectionTrait, bank_id: i32) -> AppResult<Arc<[BankQuestion]>> {
        if let Some(questions) = self.cached(bank_id) {
            return Ok(questions);
        }
        let questions: Arc<[BankQuestion]> = banks::questions_of_bank(db, bank_id).await?.into();
        // An empty read may be a bank whose import has not committed yet: do not keep it.
        if !questions.is_empty() {
            self.keep(bank_id, questions.clone());
        }
        Ok(questions)
    }

    fn cached(&self, bank_id: i32) -> Option<Arc<[BankQuestion]>> {
        self.banks.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(&bank_id).cloned()
    }

    fn keep(&self, bank_id: i32, questions: Arc<[BankQuestion]>) {
        let mut banks = self.banks.write().unwrap_or_else(|poisoned| poisoned.into_inner());
        if banks.len() >= MAX_BANKS && !banks.contains_key(&bank_id) {
            banks.clear();
        }
        banks.insert(bank_id, questions);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.banks.read().map(|banks| banks.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exams::bank_format::{OptionItem, QuestionKind};

    fn question(id: i64) -> BankQuestion {
        BankQuestion {
            id,
            kind: QuestionKind::Judge,
            stem: format!("stem {id}"),
            options: vec![OptionItem { key: "A".into(), text: "对".into() }],
            answer: vec!["A".into()],
        }
    }

    #[test]
    fn keeps_what_it_was_given_and_starts_again_when_full() {
        let cache = QuestionCache::default();
        cache.keep(1, vec![question(10)].into());
        assert_eq!(cache.cached(1).as_deref(), Some(&[question(10)][..]));
        assert!(cache.cached(2).is_none());
        for bank in 2..=i32::try_from(MAX_BANKS).unwrap() {
            cache.keep(bank, vec![question(i64::from(bank))].into());
        }
        assert_eq!(cache.len(), MAX_BANKS);
        // Replacing a kept bank does not empty the cache; a new one past the limit does.
        cache.keep(1, vec![question(10)].into());
        assert_eq!(cache.len(), MAX_BANKS);
        cache.keep(1000, vec![question(1000)].into());
        assert_eq!(cache.len(), 1);
        assert!(cache.cached(1000).is_some());
    }
}
