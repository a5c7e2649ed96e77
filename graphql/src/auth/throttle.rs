//! Failed sign-ins are limited per account and per client address. The account key is the
//! email as typed (normalised), whether or not such an account exists, so the limit says nothing
//! about which emails are registered. State is per server instance.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::{AppError, Result};

#[derive(Clone, Debug)]
pub struct ThrottleSettings {
    pub per_account: usize,
    pub per_address: usize,
    pub window: Duration,
}

impl Default for ThrottleSettings {
    fn default() -> Self {
        Self { per_account: 5, per_address: 20, window: Duration::from_secs(15 * 60) }
    }
}

/// The caller's network address, as the transport saw it.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddress(pub Option<IpAddr>);

pub struct LoginThrottle {
    settings: ThrottleSettings,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// Above this many tracked keys, stale ones are swept so memory stays bounded.
const SWEEP_AT: usize = 10_000;

impl LoginThrottle {
    pub fn new(settings: ThrottleSettings) -> Self {
        Self { settings, failures: Mutex::new(HashMap::new()) }
    }

    fn keys(&self, email: &str, address: Option<IpAddr>) -> Vec<(String, usize)> {
        let mut keys = vec![(format!("account:{email}"), self.settings.per_account)];
        if let Some(address) = address {
            keys.push((format!("address:{address}"), self.settings.per_address));
        }
        keys
    }

    /// Refuses the attempt when either key has used up its failures in the window; otherwise
    /// counts it as a failure straight away, under the same lock, so parallel guesses cannot all
    /// slip through before any of them is recorded. A success takes it back.
    pub fn begin_attempt(&self, email: &str, address: Option<IpAddr>) -> Result<()> {
        self.check(email, address)?;
        self.record_failure(email, address)
    }

    /// Refuses the attempt when either key has used up its failures in the window.
    pub fn check(&self, email: &str, address: Option<IpAddr>) -> Result<()> {
        let now = Instant::now();
        let window = self.settings.window;
        let mut failures = self.failures.lock().map_err(|_| AppError::internal("login throttle poisoned"))?;
        for (key, limit) in self.keys(email, address) {
            if let Some(times) = failures.get_mut(&key) {
                while times.front().is_some_and(|t| now.duration_since(*t) > window) {
                    times.pop_front();
                }
                if times.len() >= limit
                    && let Some(oldest) = times.front()
                {
                    let retry_after = window.saturating_sub(now.duration_since(*oldest)).as_secs().max(1);
                    return Err(AppError::RateLimited { retry_after_seconds: retry_after });
                }
            }
        }
        Ok(())
    }

    pub fn record_failure(&self, email: &str, address: Option<IpAddr>) -> Result<()> {
        let now = Instant::now();
        let window = self.settings.window;
        let mut failures = self.failures.lock().map_err(|_| AppError::internal("login throttle poisoned"))?;
        if failures.len() > SWEEP_AT {
            failures.retain(|_, times| times.back().is_some_and(|t| now.duration_since(*t) <= window));
        }
        for (key, _) in self.keys(email, address) {
            failures.entry(key).or_default().push_back(now);
        }
        Ok(())
    }

    /// A successful attempt clears the account's failures and takes back the address's count
    /// for this attempt.
    pub fn record_success(&self, email: &str, address: Option<IpAddr>) -> Result<()> {
        let mut failures = self.failures.lock().map_err(|_| AppError::internal("login throttle poisoned"))?;
        failures.remove(&format!("account:{email}"));
        if let Some(address) = address
            && let Some(times) = failures.get_mut(&format!("address:{address}"))
        {
            times.pop_back();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_account_and_per_address() {
        let throttle =
            LoginThrottle::new(ThrottleSettings { per_account: 2, per_address: 3, window: Duration::from_secs(60) });
        let here = Some(IpAddr::from([127, 0, 0, 1]));
        for _ in 0..2 {
            assert!(throttle.check("a@x.org", here).is_ok());
            throttle.record_failure("a@x.org", here).unwrap();
        }
        assert!(matches!(throttle.check("a@x.org", None), Err(AppError::RateLimited { .. })));
        // Another account from the same address still has one attempt left there.
        assert!(throttle.check("b@x.org", here).is_ok());
        throttle.record_failure("b@x.org", here).unwrap();
        assert!(matches!(throttle.check("c@x.org", here), Err(AppError::RateLimited { .. })));
        assert!(throttle.check("c@x.org", Some(IpAddr::from([127, 0, 0, 2]))).is_ok());
        throttle.record_success("a@x.org", None).unwrap();
        assert!(throttle.check("a@x.org", None).is_ok());
    }
}
