use super::*;

/// The well-known GB 11643 sample number (Beijing Chaoyang, born 1949-12-31).
const SAMPLE: &str = "11010519491231002X";

fn valid(first17: &str) -> String {
    let check = check_digit(first17).map(String::from).unwrap_or_default();
    format!("{first17}{check}")
}

#[test]
fn the_standard_sample_is_valid() {
    assert_eq!(check_digit("11010519491231002"), Some('X'));
    let id = IdNumber::parse(SAMPLE);
    assert_eq!(id.as_ref().map(IdNumber::as_str), Ok(SAMPLE));
    assert_eq!(id.map(|id| id.birth_date()), Ok(NaiveDate::from_ymd_opt(1949, 12, 31).unwrap_or_default()));
}

#[test]
fn check_digit_follows_iso_7064_mod_11_2() {
    // Shandong numbers: Qingdao Shinan 370202, Weihai Huancui 371002, Jinan Lixia 370102.
    let cases = [("37020219900101123", '7'), ("37100219851120001", '7'), ("37010219780605002", '8')];
    for (first17, expected) in cases {
        // Recompute by hand so the test does not just restate the implementation.
        let sum: u32 = first17
            .chars()
            .zip([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
            .map(|(c, w)| c.to_digit(10).unwrap_or_default() * w)
            .sum();
        let by_hand = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
        assert_eq!(check_digit(first17), Some(by_hand), "{first17}");
        assert_eq!(by_hand, expected, "{first17}");
        assert!(IdNumber::parse(&valid(first17)).is_ok(), "{first17}");
    }
}

#[test]
fn exactly_one_check_character_is_accepted_for_every_remainder() {
    let mut remainders_seen = std::collections::BTreeSet::new();
    for sequence in 100..=160 {
        let first17 = format!("37020219900101{sequence:03}");
        let Some(right) = check_digit(&first17) else {
            panic!("no check digit for {first17}");
        };
        remainders_seen.insert(right);
        for candidate in ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'] {
            let parsed = IdNumber::parse(&format!("{first17}{candidate}"));
            if candidate == right {
                assert!(parsed.is_ok(), "{first17}{candidate}");
            } else {
                assert_eq!(parsed, Err(IdNumberError::WrongCheckDigit));
            }
        }
    }
    assert_eq!(remainders_seen.len(), 11, "every check character occurs");
}

#[test]
fn lower_case_x_and_spaces_are_normalised() {
    let id = IdNumber::parse(" 11010519491231002x ");
    assert_eq!(id.map(String::from), Ok(SAMPLE.to_owned()));
}

#[test]
fn malformed_numbers_are_rejected_with_the_reason() {
    let cases = [
        ("", IdNumberError::WrongLength(0)),
        ("11010519491231002", IdNumberError::WrongLength(17)),
        ("11010519491231002XX", IdNumberError::WrongLength(19)),
        ("110105194912310", IdNumberError::WrongLength(15)),
        ("1101051949123100２X", IdNumberError::InvalidCharacter { position: 17 }),
        ("X10105194912310021", IdNumberError::InvalidCharacter { position: 1 }),
        ("11010519491231X021", IdNumberError::InvalidCharacter { position: 15 }),
        ("11010519491231002Y", IdNumberError::InvalidCharacter { position: 18 }),
        ("110105-9491231002X", IdNumberError::InvalidCharacter { position: 7 }),
        ("11010519491231002-", IdNumberError::InvalidCharacter { position: 18 }),
        ("110105194912310021", IdNumberError::WrongCheckDigit),
    ];
    for (input, expected) in cases {
        assert_eq!(IdNumber::parse(input), Err(expected), "{input:?}");
    }
}

#[test]
fn the_birth_date_must_be_real() {
    let cases = [
        ("37020219900230123", false),
        ("37020219901301123", false),
        ("37020219900100123", false),
        ("37020219000229123", false),
        ("37020220000229123", true),
        ("37020219960229123", true),
        ("37020219970229123", false),
        ("37020219901231123", true),
    ];
    for (first17, real) in cases {
        let parsed = IdNumber::parse(&valid(first17));
        if real {
            assert!(parsed.is_ok(), "{first17}");
        } else {
            assert_eq!(parsed, Err(IdNumberError::InvalidBirthDate), "{first17}");
        }
    }
}

#[test]
fn check_digit_needs_exactly_17_digits() {
    assert_eq!(check_digit("1101051949123100"), None);
    assert_eq!(check_digit("110105194912310021"), None);
    assert_eq!(check_digit("1101051949123100X"), None);
    assert_eq!(check_digit("１1010519491231002"), None);
}

#[test]
fn masked_keeps_six_and_four() {
    let id = IdNumber::parse(SAMPLE).map(|id| id.masked());
    assert_eq!(id, Ok("110105********002X".to_owned()));
}

#[test]
fn debug_never_prints_the_number() {
    let Ok(id) = IdNumber::parse(SAMPLE) else {
        panic!("sample must parse");
    };
    let printed = format!("{id:?} {:?}", Some(&id));
    assert!(!printed.contains("19491231"), "{printed}");
    assert!(printed.contains("110105********002X"), "{printed}");
}

#[test]
fn serde_uses_the_plain_string_and_validates_on_the_way_in() {
    let Ok(id) = IdNumber::parse(SAMPLE) else {
        panic!("sample must parse");
    };
    assert_eq!(serde_json::to_string(&id).ok(), Some(format!("\"{SAMPLE}\"")));
    let back: Result<IdNumber, _> = serde_json::from_str("\"11010519491231002x\"");
    assert_eq!(back.ok(), Some(id));
    assert!(serde_json::from_str::<IdNumber>("\"110105194912310021\"").is_err());
}
