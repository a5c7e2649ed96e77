//! The integration tests: one binary, one module per capability, each starting the real server
//! on a random port against a copy of a migrated, seeded template database.

mod common;

mod accounts;
mod activity;
mod architecture;
mod audit;
mod auth;
mod backup;
mod bench_smoke;
mod cli;
mod comment_response;
mod connections;
mod contacts;
mod countries;
mod dashboard;
mod demo_records;
mod deploy;
mod events;
mod feedback;
mod guide;
mod hardening;
mod http;
mod metrics;
mod milestones;
mod permissions_matrix;
mod pilots;
mod plain_fields;
mod planned_uses;
mod readme;
mod revisions;
mod roles;
mod roster;
mod rows;
mod schema_snapshot;
mod seed;
mod sql_count;
mod stakeholders_write;
mod synthetic;
mod timeline;
