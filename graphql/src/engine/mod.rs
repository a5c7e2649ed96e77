//! The request engine: what every GraphQL request goes through, apart from any domain.
//!
//! [`gateway`] receives a request, parses it once (with a cache), measures the document
//! ([`document`]: depth, aliases, selections with fragments expanded; [`inputs`]: list sizes and
//! characters a text column cannot hold) and hands it to async-graphql with the request's
//! [`database`] handle and [`loader`]s. Lists of plain objects resolve in one pass through
//! [`object_list`], decoding [`rows`] by position. On the way out, [`response_order`] puts each
//! object's fields in the order the query selected them and [`error_codes`] gives every error a
//! code. The domains use this module; it uses no domain.

pub mod database;
pub mod document;
pub mod error_codes;
pub mod gateway;
pub mod inputs;
pub mod limits;
pub mod loader;
pub mod object_list;
pub mod response_order;
pub mod rows;
