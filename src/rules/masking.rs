//! Masking of personal data shown to people other than its owner (脱敏), e.g. on the public
//! certificate verification page. Works on characters, never bytes: names are Chinese.

const MASK: char = '*';

/// Keeps the first and last character of a name and masks the middle:
/// `张小三` -> `张*三`, `欧阳小明` -> `欧**明`. Two-character names keep only the first
/// (`张三` -> `张*`), since keeping both would reveal the whole name.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.as_slice() {
        [] => String::new(),
        [_] => MASK.to_string(),
        [first, _] => format!("{first}{MASK}"),
        [first, middle @ .., last] => {
            let hidden: String = middle.iter().map(|_| MASK).collect();
            format!("{first}{hidden}{last}")
        }
    }
}

/// Keeps the first 3 and last 4 digits of a phone number: `13812345678` -> `138****5678`.
/// Numbers too short to keep 7 characters and still hide something are masked entirely.
pub fn mask_phone(phone: &str) -> String {
    const KEPT_PREFIX: usize = 3;
    const KEPT_SUFFIX: usize = 4;
    let chars: Vec<char> = phone.trim().chars().collect();
    if chars.len() <= KEPT_PREFIX + KEPT_SUFFIX {
        return chars.iter().map(|_| MASK).collect();
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| if i < KEPT_PREFIX || i >= chars.len() - KEPT_SUFFIX { *c } else { MASK })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_first_and_last_character() {
        let cases = [
            ("张三", "张*"),
            ("张小三", "张*三"),
            ("欧阳小明", "欧**明"),
            ("司马相如文", "司***文"),
            ("买买提·艾力", "买****力"),
            (" 李四 ", "李*"),
            ("王", "*"),
            ("", ""),
            ("Li Lei", "L****i"),
        ];
        for (name, masked) in cases {
            assert_eq!(mask_name(name), masked, "{name:?}");
        }
    }

    #[test]
    fn masked_names_keep_their_length_in_characters() {
        for name in ["张三", "张小三", "欧阳小明", "爱新觉罗溥仪"] {
            assert_eq!(mask_name(name).chars().count(), name.chars().count());
            assert!(mask_name(name).len() < name.len(), "multi-byte chars are masked whole");
        }
    }

    #[test]
    fn phones_keep_three_and_four() {
        let cases =
            [("13812345678", "138****5678"), ("0531-68962778", "053******2778"), ("1234567", "*******"), ("", "")];
        for (phone, masked) in cases {
            assert_eq!(mask_phone(phone), masked, "{phone:?}");
        }
    }
}
