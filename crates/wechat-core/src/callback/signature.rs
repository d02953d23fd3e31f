//! The SHA-1 signatures of WeChat's callbacks, and their constant-time check.

use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;

use super::CallbackError;

/// A callback signature: SHA-1 over the parts sorted byte-wise and concatenated.
///
/// The parts are the token, the timestamp, the nonce and (for `msg_signature`) the ciphertext;
/// the plain `signature` of the Official Account and the Mini Program leaves the ciphertext out
/// (reference §16.2, §17).
pub(crate) fn digest(parts: &mut [&[u8]]) -> [u8; 20] {
    parts.sort_unstable();
    let mut hasher = Sha1::new();
    for part in parts.iter() {
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// The plain `signature` of the Official Account and the Mini Program: token, timestamp and
/// nonce, without a ciphertext.
pub(crate) fn plain_digest(token: &str, timestamp: &str, nonce: &str) -> [u8; 20] {
    digest(&mut [token.as_bytes(), timestamp.as_bytes(), nonce.as_bytes()])
}

/// The signature as WeChat writes it: 40 lowercase hexadecimal digits.
pub(crate) fn to_hex(digest: &[u8; 20]) -> String {
    base16ct::lower::encode_string(digest)
}

/// Checks `signature` (40 hex digits, either case) against `expected` in constant time.
pub(crate) fn verify(signature: &str, expected: &[u8; 20]) -> Result<(), CallbackError> {
    let mut given = [0_u8; 20];
    if signature.len() != 40 {
        return Err(CallbackError::MalformedSignature);
    }
    base16ct::mixed::decode(signature, &mut given)
        .map_err(|_| CallbackError::MalformedSignature)?;
    if bool::from(given.ct_eq(expected)) {
        Ok(())
    } else {
        Err(CallbackError::SignatureMismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_signature_of_the_mini_program_example() {
        // Reference §17 V3: sorted ["1514711492", "1714036504", "AAAAA"].
        let digest = digest(&mut [b"AAAAA", b"1714036504", b"1514711492"]);
        assert_eq!(to_hex(&digest), "f464b24fc39322e44b38aa78f5edd27bd1441696");
        verify("f464b24fc39322e44b38aa78f5edd27bd1441696", &digest).unwrap();
        verify("F464B24FC39322E44B38AA78F5EDD27BD1441696", &digest).unwrap();
    }

    #[test]
    fn other_signatures_are_mismatches_or_malformed() {
        let digest = digest(&mut [b"AAAAA", b"1714036504", b"1514711492"]);
        assert_eq!(
            verify("f464b24fc39322e44b38aa78f5edd27bd1441697", &digest),
            Err(CallbackError::SignatureMismatch)
        );
        for malformed in ["", "f464b24f", "z464b24fc39322e44b38aa78f5edd27bd1441696"] {
            assert_eq!(
                verify(malformed, &digest),
                Err(CallbackError::MalformedSignature)
            );
        }
    }
}
