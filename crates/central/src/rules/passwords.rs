//! Staff passwords as Argon2id PHC strings: hashed with a fresh salt, checked with the
//! parameters stored in the string. Slow by design (tens of milliseconds): callers run it off
//! the async executor.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2};

/// Why a password could not be hashed, or a stored hash read.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("cannot hash the password: {0}")]
    Hash(String),
    #[error("not an Argon2id PHC string ($argon2id$v=19$m=…): {0}")]
    NotArgon2id(String),
}

/// The PHC string of `password`: Argon2id with the library's recommended parameters (19 MiB,
/// 2 passes, 1 lane; OWASP's minimum) and a fresh random salt.
pub fn hash(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| HashError::Hash(error.to_string()))
}

/// Checks that `phc` is an Argon2id PHC string this server can verify against.
pub fn check_phc(phc: &str) -> Result<(), HashError> {
    let parsed =
        PasswordHash::new(phc).map_err(|error| HashError::NotArgon2id(error.to_string()))?;
    if parsed.algorithm != Algorithm::Argon2id.ident() || parsed.hash.is_none() {
        return Err(HashError::NotArgon2id(format!(
            "algorithm {}",
            parsed.algorithm
        )));
    }
    Ok(())
}

/// Whether `password` matches the PHC string `phc`; a string that does not parse matches
/// nothing.
pub fn matches(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash no password matches, with the real parameters: checked against when the account
/// does not exist, so a wrong name takes as long as a wrong password.
pub const DECOY: &str = "$argon2id$v=19$m=19456,t=2,p=1$ZGVjb3ktc2FsdC1tcHAta2lvc2s$H2WYTGmGBynFWPoxK2axPV2SgcO3aR9o3QSWgUtKLhk";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_matches_its_own_hash_only() {
        let phc = hash("kuda-lari-7").expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert_eq!(check_phc(&phc).map_err(|e| e.to_string()), Ok(()));
        assert!(matches("kuda-lari-7", &phc));
        assert!(!matches("kuda-lari-8", &phc));
        assert_ne!(
            hash("kuda-lari-7").expect("hash"),
            phc,
            "a fresh salt each time"
        );
        assert!(!matches("kuda-lari-7", "not a hash"));
        assert!(check_phc(DECOY).is_ok());
        assert!(!matches("", DECOY) && !matches("kuda-lari-7", DECOY));
    }

    #[test]
    fn the_demo_passwords_are_those_of_the_demo_hashes() {
        for (name, password, phc) in crate::config::demo_secrets::ACCOUNTS {
            assert!(matches(password, phc), "{name}");
        }
    }

    #[test]
    fn other_strings_are_not_taken_for_a_hash() {
        let argon2i = "$argon2i$v=19$m=19456,t=2,p=1$ZGVjb3ktc2FsdC1tcHA$Pf1JGMKWqHcP7vEyTL3lB8QkMbE1DNJwxpV0mmfC1bs";
        for bad in [
            "",
            "plain-password",
            argon2i,
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA",
        ] {
            assert!(check_phc(bad).is_err(), "{bad}");
        }
    }
}
