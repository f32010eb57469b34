//! The watched-segment set: one bit per segment of a lecture, stored as 64-bit words so a
//! two-hour lecture in 30-second segments costs four numbers.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SegmentSet(Vec<u64>);

impl SegmentSet {
    pub fn contains(&self, index: usize) -> bool {
        self.0.get(index / 64).is_some_and(|word| word & (1 << (index % 64)) != 0)
    }

    /// Marks a segment watched; returns whether it was new.
    pub fn insert(&mut self, index: usize) -> bool {
        let word_index = index / 64;
        if self.0.len() <= word_index {
            self.0.resize(word_index + 1, 0);
        }
        let bit = 1u64 << (index % 64);
        let word = &mut self.0[word_index];
        let is_new = *word & bit == 0;
        *word |= bit;
        is_new
    }

    /// Watched segments among the first `segment_count` (bits past the end, which only a
    /// corrupted or hand-edited state could hold, are ignored). Counts a word at a time: it
    /// runs on every heartbeat, and a four-hour lecture has thousands of segments.
    pub fn count_below(&self, segment_count: usize) -> usize {
        let (full_words, rest) = (segment_count / 64, segment_count % 64);
        let full: u32 = self.0.iter().take(full_words).map(|word| word.count_ones()).sum();
        let partial = match self.0.get(full_words) {
            Some(word) if rest > 0 => (word & ((1u64 << rest) - 1)).count_ones(),
            _ => 0,
        };
        (full + partial) as usize
    }

    pub fn iter_below(&self, segment_count: usize) -> impl Iterator<Item = usize> + '_ {
        (0..segment_count).filter(|&i| self.contains(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_reports_new_bits_and_spans_words() {
        let mut set = SegmentSet::default();
        assert!(set.insert(0));
        assert!(!set.insert(0));
        assert!(set.insert(130));
        assert!(set.contains(130));
        assert!(!set.contains(129));
        assert_eq!(set.count_below(131), 2);
        assert_eq!(set.count_below(130), 1);
        assert_eq!(set.iter_below(200).collect::<Vec<_>>(), vec![0, 130]);
    }

    #[test]
    fn count_below_agrees_with_counting_bit_by_bit() {
        let mut set = SegmentSet::default();
        for index in [0, 1, 5, 63, 64, 65, 127, 128, 200, 255] {
            set.insert(index);
        }
        set.0.push(u64::MAX); // bits past every bound asked below are ignored
        for bound in 0..=320 {
            let naive = (0..bound).filter(|&i| set.contains(i)).count();
            assert_eq!(set.count_below(bound), naive, "bound {bound}");
        }
    }

    #[test]
    fn serializes_as_plain_words() -> Result<(), serde_json::Error> {
        let mut set = SegmentSet::default();
        set.insert(1);
        set.insert(64);
        assert_eq!(serde_json::to_string(&set)?, "[2,1]");
        Ok(())
    }
}
