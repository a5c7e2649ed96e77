//! Signed access tokens. HS256 with a configured secret; verification pins the algorithm and
//! checks expiry, not-before, issuer and audience.

use chrono::{DateTime, Duration, Utc};
use entity::user_account::UserRole;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, Result};

pub const MIN_SECRET_BYTES: usize = 32;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claims {
    /// The user account id.
    pub sub: String,
    pub role: UserRole,
    /// ISO3 of the Champion country, for CHAMPION accounts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

#[derive(Clone, Debug)]
pub struct TokenSettings {
    pub secret: Vec<u8>,
    pub issuer: String,
    pub audience: String,
    pub ttl: Duration,
}

pub struct TokenService {
    settings: TokenSettings,
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl TokenService {
    pub fn new(settings: TokenSettings) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[settings.issuer.as_str()]);
        validation.set_audience(&[settings.audience.as_str()]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = 30;
        Self {
            encoding: EncodingKey::from_secret(&settings.secret),
            decoding: DecodingKey::from_secret(&settings.secret),
            validation,
            settings,
        }
    }

    pub fn ttl(&self) -> Duration {
        self.settings.ttl
    }

    pub fn issue(&self, user_id: i32, role: UserRole, country_iso3: Option<String>) -> Result<(String, DateTime<Utc>)> {
        let now = Utc::now();
        let expires_at = now + self.settings.ttl;
        let claims = Claims {
            sub: user_id.to_string(),
            role,
            country: country_iso3,
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: expires_at.timestamp(),
            iss: self.settings.issuer.clone(),
            aud: self.settings.audience.clone(),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(AppError::internal)?;
        Ok((token, expires_at))
    }

    pub fn verify(&self, token: &str) -> Result<Claims> {
        decode::<Claims>(token, &self.decoding, &self.validation).map(|data| data.claims).map_err(|error| {
            tracing::debug!(%error, "rejected bearer token");
            AppError::Unauthenticated
        })
    }
}
