//! The excellent online public course selection (优质在线公需课评选, province 2022): bases
//! nominate their own original public courses with an IP pledge (知识产权保护承诺书), experts
//! score them, learners vote online, and the platform admin publishes the year's selection
//! from both. The teacher of a selected course earns the policy's multiple of its hours.
pub mod ballots;
pub mod nominations;
pub mod ranking;
pub mod rounds;
pub mod selection;
