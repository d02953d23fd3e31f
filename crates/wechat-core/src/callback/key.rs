//! The EncodingAESKey: 43 base64 characters that stand for a 32-byte AES-256 key.

use std::fmt;

use aes::cipher::KeyInit;
use aes::{Aes256Dec, Aes256Enc};
use base64::Engine;
use base64::alphabet::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::CallbackError;

/// Length of an EncodingAESKey, in characters.
pub const ENCODING_AES_KEY_LEN: usize = 43;

/// Decodes an EncodingAESKey. The key is 43 random characters, so its last one usually carries
/// non-zero bits past the 32nd byte: it is non-canonical base64, which the official samples
/// (Java, Python, PHP) accept and a strict decoder refuses (reference §17). Those bits are
/// ignored here too; everything else is strict.
const KEY_ENGINE: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
);

/// The AES-256 key of an app's callback, expanded once for both directions.
///
/// The IV of WXBizMsgCrypt is the first 16 bytes of the key (reference §17).
#[derive(Clone)]
pub(crate) struct AesKey {
    pub(crate) encrypt: Aes256Enc,
    pub(crate) decrypt: Aes256Dec,
    pub(crate) iv: [u8; 16],
}

impl AesKey {
    /// Decodes and expands an EncodingAESKey; the error says what is wrong, never the key.
    pub(crate) fn from_encoding_aes_key(encoding_aes_key: &str) -> Result<Self, CallbackError> {
        if encoding_aes_key.len() != ENCODING_AES_KEY_LEN {
            return Err(CallbackError::InvalidAesKey {
                reason: "not 43 characters long",
            });
        }
        let mut padded = [0_u8; ENCODING_AES_KEY_LEN + 1];
        padded[..ENCODING_AES_KEY_LEN].copy_from_slice(encoding_aes_key.as_bytes());
        padded[ENCODING_AES_KEY_LEN] = b'=';
        let mut key = [0_u8; 33];
        let len = KEY_ENGINE.decode_slice(padded, &mut key).map_err(|_| {
            CallbackError::InvalidAesKey {
                reason: "not base64",
            }
        })?;
        let key: [u8; 32] = key[..len]
            .try_into()
            .map_err(|_| CallbackError::InvalidAesKey {
                reason: "does not decode to 32 bytes",
            })?;
        let mut iv = [0_u8; 16];
        iv.copy_from_slice(&key[..16]);
        Ok(AesKey {
            encrypt: Aes256Enc::new(&key.into()),
            decrypt: Aes256Dec::new(&key.into()),
            iv,
        })
    }
}

impl fmt::Debug for AesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_non_canonical_keys_decode_to_their_documented_bytes() {
        for (encoded, hex) in [
            (
                "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
                "8d69989bbaabe67328014c194631ad07",
            ),
            (
                "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR",
                "916c4f115d94103cb15a998f74a0b717",
            ),
            (
                "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
                "69b71d79f8218a39259a7a29aabb2dba",
            ),
        ] {
            let key = AesKey::from_encoding_aes_key(encoded).unwrap();
            assert_eq!(base16ct::lower::encode_string(&key.iv), hex, "{encoded}");
        }
    }

    #[test]
    fn wrong_length_and_alphabet_are_refused_without_echoing_the_key() {
        for (key, reason) in [
            ("short", "not 43 characters long"),
            (&"A".repeat(44), "not 43 characters long"),
            ("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2!", "not base64"),
            ("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B=C", "not base64"),
            (
                "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2ç",
                "not 43 characters long",
            ),
        ] {
            let error = AesKey::from_encoding_aes_key(key).unwrap_err();
            assert_eq!(error, CallbackError::InvalidAesKey { reason }, "{key}");
            assert_eq!(error.code(), -40004);
        }
    }
}
