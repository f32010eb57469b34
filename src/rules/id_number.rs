//! The 18-character resident ID number (公民身份号码, GB 11643-1999): learners' username.
//!
//! An [`IdNumber`] exists only if its birth date is real and its check character is right
//! (ISO 7064 MOD 11-2). It never prints itself: `Debug` shows the masked form and there is
//! no `Display`, so the full number reaches a page or a log only through [`IdNumber::as_str`].

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

const LENGTH: usize = 18;
/// Weights of the first 17 digits, 2^(17-i) mod 11.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for each weighted sum mod 11.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
const KEPT_PREFIX: usize = 6;
const KEPT_SUFFIX: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdNumberError {
    #[error("an ID number has 18 characters, this one has {0}")]
    WrongLength(usize),
    #[error("character {position} must be a digit (the last may be X)")]
    InvalidCharacter { position: usize },
    #[error("the birth date in the ID number is not a real date")]
    InvalidBirthDate,
    #[error("the check character is wrong")]
    WrongCheckDigit,
}

/// A validated resident ID number, stored with an upper-case `X`.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdNumber {
    value: String,
    birth_date: NaiveDate,
}

impl IdNumber {
    /// Parses a number as typed: surrounding spaces are ignored and a lower-case `x` accepted.
    pub fn parse(input: &str) -> Result<IdNumber, IdNumberError> {
        let value = input.trim().to_ascii_uppercase();
        let length = value.chars().count();
        if length != LENGTH {
            return Err(IdNumberError::WrongLength(length));
        }
        if let Some(position) =
            value.char_indices().position(|(i, c)| !(c.is_ascii_digit() || (i == LENGTH - 1 && c == 'X')))
        {
            return Err(IdNumberError::InvalidCharacter { position: position + 1 });
        }
        let birth_date =
            parse_birth_date(value.get(6..14).unwrap_or_default()).ok_or(IdNumberError::InvalidBirthDate)?;
        let (first17, given) = value.split_at(LENGTH - 1);
        if check_digit(first17).map(String::from) != Some(given.to_owned()) {
            return Err(IdNumberError::WrongCheckDigit);
        }
        Ok(IdNumber { value, birth_date })
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The first 6 and last 4 characters with the 8 between masked: `110105********002X`.
    pub fn masked(&self) -> String {
        let hidden = LENGTH - KEPT_PREFIX - KEPT_SUFFIX;
        format!("{}{}{}", &self.value[..KEPT_PREFIX], "*".repeat(hidden), &self.value[LENGTH - KEPT_SUFFIX..])
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("IdNumber").field(&self.masked()).finish()
    }
}

impl TryFrom<String> for IdNumber {
    type Error = IdNumberError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        IdNumber::parse(&value)
    }
}

impl From<IdNumber> for String {
    fn from(id: IdNumber) -> String {
        id.value
    }
}

/// The check character for the first 17 digits, or `None` unless they are exactly 17 digits.
pub fn check_digit(first17: &str) -> Option<char> {
    if first17.len() != LENGTH - 1 {
        return None;
    }
    let mut sum = 0;
    for (c, weight) in first17.chars().zip(WEIGHTS) {
        sum += c.to_digit(10)? * weight;
    }
    CHECK_CHARS.get((sum % 11) as usize).copied()
}

/// `YYYYMMDD` (already known to be 8 ASCII digits) as a real calendar date.
fn parse_birth_date(yyyymmdd: &str) -> Option<NaiveDate> {
    let year = yyyymmdd.get(0..4)?.parse().ok()?;
    let month = yyyymmdd.get(4..6)?.parse().ok()?;
    let day = yyyymmdd.get(6..8)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests;
