//! Certificate codes: 20 characters of Crockford's base32 (no I, L, O, U to misread) from the
//! operating system's generator, i.e. 100 random bits — not guessable, short enough to type.
use rand::Rng;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
pub const LEN: usize = 20;

pub fn generate() -> String {
    let mut bytes = [0u8; LEN];
    rand::rng().fill_bytes(&mut bytes);
    // 32 divides 256, so taking the low five bits keeps every character equally likely.
    bytes.iter().map(|b| char::from(ALPHABET[usize::from(b & 31)])).collect()
}

/// Whether `code` could be one of ours; anything else is answered 404 without a query.
pub fn is_well_formed(code: &str) -> bool {
    code.len() == LEN && code.bytes().all(|b| ALPHABET.contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_well_formed_and_distinct() {
        let codes: std::collections::HashSet<String> = (0..1000).map(|_| generate()).collect();
        assert_eq!(codes.len(), 1000);
        assert!(codes.iter().all(|c| is_well_formed(c)));
        assert!(!is_well_formed("../../etc/passwd"));
        assert!(!is_well_formed("0123456789abcdefghjk"));
    }
}
