//! Provincial sync (省市平台数据对接, Weihai 2023: city hours flow to the provincial platform).
//!
//! Events that the province must know about (a credit, a certificate, a registration) are
//! written to the `outbox` table in the same transaction as the event itself, so a record
//! exists exactly when its event committed. The sync job then delivers each record with an
//! `Idempotency-Key` header, retrying with exponential backoff and jitter until a 2xx answer.
//! Delivery is at least once (a crash between the province's 200 and our bookkeeping means a
//! second POST), and the key makes it exactly once in effect on the receiving side.
pub mod backoff;
pub mod deliver;
pub mod envelope;
pub mod job;
pub mod outbox;
pub mod status;

pub use deliver::{SyncReport, sync_once};
pub use outbox::{OutboxKind, enqueue};
