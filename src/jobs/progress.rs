//! A job's latest progress, shared between ffmpeg's event thread (writer) and the heartbeat
//! task (reader) without a lock.
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Default)]
pub struct Progress(AtomicU64);

impl Progress {
    pub fn set(&self, fraction: f64) {
        self.0.store(fraction.clamp(0.0, 1.0).to_bits(), Ordering::Relaxed);
    }

    pub fn get(&self) -> f64 {
        f64::from_bits(self.0.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_at_zero_and_stays_in_range() {
        let p = Progress::default();
        assert_eq!(p.get(), 0.0);
        p.set(0.25);
        assert_eq!(p.get(), 0.25);
        p.set(7.0);
        assert_eq!(p.get(), 1.0);
    }
}
