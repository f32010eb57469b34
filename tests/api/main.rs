//! Integration tests: each starts the real app on a random port with its own fresh database
//! (SQLite always; PostgreSQL + Redis too whenever they answer), so they run in parallel.
mod auth;
mod helpers;
mod watching;
