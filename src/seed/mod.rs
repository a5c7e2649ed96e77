//! Data loaders: reference countries (always) and the demo data (on request). Both are
//! idempotent: they insert what is missing and leave existing rows untouched.

pub mod countries;
pub mod demo;
pub mod synthetic;

pub use countries::load_countries;
pub use demo::{DemoAccount, load_demo};
pub use synthetic::{SyntheticSizes, load_synthetic};
