//! Argon2id password hashing. Hashing is deliberately slow, so callers run it off the async
//! executor with `spawn_blocking`.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use std::sync::OnceLock;

use crate::error::{AppError, Result};

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 256;

pub fn validate_password(password: &str) -> Result<()> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(AppError::bad_input(
            "password",
            format!("Password must have at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(AppError::bad_input(
            "password",
            format!("Password must have at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

pub async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(AppError::internal)
    })
    .await
    .map_err(AppError::internal)?
}

/// Verifies against `hash`, or against a fixed dummy hash when the account does not exist, so
/// that a wrong email and a wrong password take the same time.
pub async fn verify_password(password: String, hash: Option<String>) -> Result<bool> {
    tokio::task::spawn_blocking(move || {
        let stored = match hash {
            Some(hash) => hash,
            None => dummy_hash()?.to_owned(),
        };
        let parsed = PasswordHash::new(&stored).map_err(AppError::internal)?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .map_err(AppError::internal)?
}

/// A hash of a random secret nobody knows, made once per process; verifying against it spends
/// the same time as a real check.
fn dummy_hash() -> Result<&'static str> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DUMMY.get() {
        return Ok(hash);
    }
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(salt.as_str().as_bytes(), &SaltString::generate(&mut OsRng))
        .map_err(AppError::internal)?
        .to_string();
    Ok(DUMMY.get_or_init(|| hash))
}
