//! champion-tracker: the server binary's library half (configuration, startup, HTTP, seeding),
//! split out so integration tests can start the real server in-process on a random port.
// The merged GraphQL root is deep enough to need more than the default trait-resolution depth.
#![recursion_limit = "256"]

pub mod accounts;
pub mod backup;
pub mod config;
pub mod connections;
pub mod db;
pub mod graphiql;
pub mod healthcheck;
pub mod http;
pub mod listener;
pub mod metrics;
pub mod seed;
pub mod startup;
pub mod telemetry;
