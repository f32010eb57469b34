//! Pure domain rules: no I/O, no clock (callers pass `now`), every number from a [`policy::Policy`].
//! Unit-tested with the numbers of the policy notices in `shared/seeds/`.

pub mod annual_summary;
pub mod declaration_value;
pub mod exam_policy;
pub mod id_number;
pub mod masking;
pub mod policy;
pub mod watch;
