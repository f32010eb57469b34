//! Personal data protection (PIPL): resident ID numbers are stored encrypted with a keyed
//! lookup hash, and shown masked to everyone but their owner.
pub mod pii;
