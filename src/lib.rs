//! champion-tracker: the server binary's library half (configuration, startup, HTTP, seeding),
//! split out so integration tests can start the real server in-process on a random port.

pub mod accounts;
pub mod config;
pub mod db;
pub mod seed;
pub mod server;
pub mod startup;
pub mod telemetry;
