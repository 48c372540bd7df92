//! PKCE (RFC 7636) with the S256 method, built on the `oauth2` crate.

use oauth2::{PkceCodeChallenge, PkceCodeVerifier};

/// A fresh S256 challenge and its verifier (32 random bytes, base64url: 43 characters).
pub fn new_s256() -> (PkceCodeChallenge, PkceCodeVerifier) {
    PkceCodeChallenge::new_random_sha256()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_7636_appendix_b_vector() {
        let verifier =
            PkceCodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".to_owned());
        let challenge = PkceCodeChallenge::from_code_verifier_sha256(&verifier);
        assert_eq!(
            challenge.as_str(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(challenge.method().as_str(), "S256");
    }

    #[test]
    fn random_verifier_has_the_recommended_shape() {
        let (challenge, verifier) = new_s256();
        assert_eq!(verifier.secret().len(), 43);
        assert!(verifier
            .secret()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b)));
        assert_eq!(
            PkceCodeChallenge::from_code_verifier_sha256(&verifier).as_str(),
            challenge.as_str()
        );
    }
}
