//! How the selection is computed from expert scores and votes (pure).
//!
//! `final = 0.7 × expert average + 0.3 × vote score`, where the vote score is the
//! nomination's votes as a share of the most-voted nomination's, on 0–100 (0 for all when
//! nobody voted). The top `top_n` by final score are selected; ties go to the higher expert
//! average, then to the earlier nomination. A nomination no expert scored is not eligible:
//! the notice has experts review every selected course.

use crate::rules::policy::round_hours;

pub const EXPERT_WEIGHT: f64 = 0.7;
pub const VOTE_WEIGHT: f64 = 0.3;

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub nomination_id: i32,
    pub expert_scores: Vec<f64>,
    pub votes: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub nomination_id: i32,
    pub expert_average: Option<f64>,
    pub votes: u64,
    pub vote_score: f64,
    /// None when no expert scored it.
    pub final_score: Option<f64>,
    pub selected: bool,
}

pub fn rank(entries: &[Entry], top_n: usize) -> Vec<Ranked> {
    let max_votes = entries.iter().map(|e| e.votes).max().unwrap_or(0);
    let mut ranked: Vec<Ranked> = entries
        .iter()
        .map(|e| {
            let expert_average = (!e.expert_scores.is_empty())
                .then(|| e.expert_scores.iter().sum::<f64>() / e.expert_scores.len() as f64);
            let vote_score = if max_votes == 0 { 0.0 } else { 100.0 * e.votes as f64 / max_votes as f64 };
            Ranked {
                nomination_id: e.nomination_id,
                expert_average: expert_average.map(round_hours),
                votes: e.votes,
                vote_score: round_hours(vote_score),
                final_score: expert_average.map(|a| round_hours(EXPERT_WEIGHT * a + VOTE_WEIGHT * vote_score)),
                selected: false,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        let key = |r: &Ranked| (r.final_score.unwrap_or(-1.0), r.expert_average.unwrap_or(-1.0));
        let (ka, kb) = (key(a), key(b));
        kb.0.total_cmp(&ka.0).then(kb.1.total_cmp(&ka.1)).then(a.nomination_id.cmp(&b.nomination_id))
    });
    for r in ranked.iter_mut().filter(|r| r.final_score.is_some()).take(top_n) {
        r.selected = true;
    }
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(id: i32, scores: &[f64], votes: u64) -> Entry {
        Entry { nomination_id: id, expert_scores: scores.to_vec(), votes }
    }

    #[test]
    fn weights_experts_and_normalised_votes() {
        let r = rank(&[e(1, &[90.0, 80.0], 10), e(2, &[80.0], 40), e(3, &[95.0], 0)], 2);
        // 1: 0.7*85 + 0.3*25 = 67.0; 2: 0.7*80 + 0.3*100 = 86.0; 3: 0.7*95 = 66.5
        let order: Vec<_> = r.iter().map(|x| (x.nomination_id, x.final_score, x.selected)).collect();
        assert_eq!(order, vec![(2, Some(86.0), true), (1, Some(67.0), true), (3, Some(66.5), false)]);
    }

    #[test]
    fn unscored_is_never_selected_and_no_votes_is_zero() {
        let r = rank(&[e(1, &[], 100), e(2, &[60.0], 0)], 5);
        assert_eq!(r[0].nomination_id, 2);
        assert!(r[0].selected);
        assert!(!r[1].selected);
        assert_eq!(r[1].final_score, None);
        let r = rank(&[e(1, &[70.0], 0)], 1);
        assert_eq!(r[0].vote_score, 0.0);
    }

    #[test]
    fn ties_go_to_experts_then_earlier() {
        // Equal final scores and expert averages: the earlier nomination wins.
        let r = rank(&[e(5, &[70.0], 0), e(4, &[70.0], 0)], 1);
        assert_eq!(r[0].nomination_id, 4);
        assert!(r[0].selected && !r[1].selected);
    }
}
