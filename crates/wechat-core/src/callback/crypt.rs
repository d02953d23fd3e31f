//! WXBizMsgCrypt: the signed, AES-256-CBC encrypted messages of WeChat's callbacks.

use std::fmt;
use std::ops::Range;

use aes::cipher::block_padding::NoPadding;
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, InnerIvInit};
use aes::{Aes256Dec, Aes256Enc};

use super::key::AesKey;
use super::signature;
use super::{BufferError, CallbackError, PayloadFormat};
use crate::Secret;
use wechat_types::common::EncryptedReply;
use wechat_types::xml;

/// The block WeChat pads plaintexts to: 32 bytes, not AES's 16 (reference §17).
const PAD_BLOCK: usize = 32;
/// Random prefix and length field.
const PREFIX: usize = 20;

/// The callback crypto of one app: its token, EncodingAESKey and receive id.
///
/// This is the WXBizMsgCrypt of the official samples, identical for the Official Account, the
/// Mini Program and WeChat Work (reference §17):
///
/// * signatures are SHA-1 over the sorted token, timestamp, nonce and ciphertext, compared in
///   constant time;
/// * messages are AES-256-CBC with the key's first 16 bytes as IV, padded to 32-byte blocks,
///   laid out as `random(16) ‖ length(4) ‖ message ‖ receive id`;
/// * the receive id inside every message must be this app's (an appid, a corp id, a suite id,
///   or empty for some third-party apps), so a message encrypted for another app that shares the
///   key is refused.
///
/// Everything malformed is a typed [`CallbackError`]; nothing panics. Most servers use the
/// [`Receiver`](super::Receiver), which adds query parsing, the plain modes and typed messages.
///
/// ```
/// use wechat_core::callback::MsgCrypt;
///
/// // Reference §17 V1, the official WeChat Work sample.
/// let crypt = MsgCrypt::new("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")?;
/// let echo = crypt.verify_and_decrypt(
///     "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
///     "1409659589",
///     "263014780",
///     "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
/// )?;
/// assert_eq!(echo.message(), "1616140317555161061");
/// # Ok::<(), wechat_core::callback::CallbackError>(())
/// ```
#[derive(Clone)]
pub struct MsgCrypt {
    token: Secret,
    key: AesKey,
    receive_id: String,
}

impl MsgCrypt {
    /// Sets up the crypto of one app from its callback settings: the token, the 43-character
    /// EncodingAESKey, and the receive id messages must carry (the appid for the Official
    /// Account and the Mini Program; the corp id for a WeChat Work app's own callbacks, the suite
    /// id for third-party suites).
    ///
    /// Fails with [`CallbackError::InvalidAesKey`] when the key is not 43 base64 characters.
    pub fn new(
        token: impl Into<Secret>,
        encoding_aes_key: &str,
        receive_id: impl Into<String>,
    ) -> Result<Self, CallbackError> {
        Ok(MsgCrypt {
            token: token.into(),
            key: AesKey::from_encoding_aes_key(encoding_aes_key)?,
            receive_id: receive_id.into(),
        })
    }

    /// The receive id messages must carry.
    pub fn receive_id(&self) -> &str {
        &self.receive_id
    }

    /// The `msg_signature` of a ciphertext: SHA-1 over the sorted token, timestamp, nonce and
    /// ciphertext, as 40 lowercase hex digits.
    pub fn signature(&self, timestamp: &str, nonce: &str, encrypt: &str) -> String {
        signature::to_hex(&self.digest(timestamp, nonce, encrypt))
    }

    /// Checks a `msg_signature` in constant time.
    pub fn verify(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        encrypt: &str,
    ) -> Result<(), CallbackError> {
        signature::verify(msg_signature, &self.digest(timestamp, nonce, encrypt))
    }

    /// Checks the signature, then decrypts: the one safe order (an unverified ciphertext never
    /// reaches the cipher). This is how WeChat Work's URL verification reads `echostr`, and how
    /// every encrypted push reads its `Encrypt`.
    pub fn verify_and_decrypt(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        encrypt: &str,
    ) -> Result<Decrypted, CallbackError> {
        self.verify(msg_signature, timestamp, nonce, encrypt)?;
        self.decrypt(encrypt)
    }

    /// Decrypts a ciphertext **without** checking any signature, and checks its layout and
    /// receive id. Use [`verify_and_decrypt`](MsgCrypt::verify_and_decrypt) on requests.
    pub fn decrypt(&self, encrypt: &str) -> Result<Decrypted, CallbackError> {
        let mut buffer = base64_simd::STANDARD
            .decode_to_vec(encrypt)
            .map_err(|_| CallbackError::Base64)?;
        let len = buffer.len();
        if len == 0 || len % 16 != 0 {
            return Err(CallbackError::Decrypt { len });
        }
        cbc::Decryptor::<Aes256Dec>::inner_iv_init(self.key.decrypt.clone(), &self.key.iv.into())
            .decrypt_padded::<NoPadding>(&mut buffer)
            .map_err(|_| CallbackError::Decrypt { len })?;
        let (message, content_len) = layout(&buffer)?;
        let receive_id = &buffer[message.end..content_len];
        if receive_id != self.receive_id.as_bytes() {
            let found = String::from_utf8_lossy(&receive_id[..receive_id.len().min(64)]);
            return Err(CallbackError::ReceiveIdMismatch {
                expected: self.receive_id.clone(),
                found: found.into_owned(),
            });
        }
        buffer.truncate(message.end);
        buffer.drain(..message.start);
        let message = String::from_utf8(buffer)
            .map_err(|_| CallbackError::InvalidBuffer(BufferError::NotUtf8))?;
        Ok(Decrypted { message })
    }

    /// Encrypts a message with 16 fresh random bytes from the operating system.
    pub fn encrypt(&self, message: &str) -> Result<String, CallbackError> {
        self.encrypt_with_random(message, &random_prefix()?)
    }

    /// Encrypts a message with the given 16 random bytes: deterministic, for tests and for
    /// reproducing the official vectors (which use 16 ASCII characters such as
    /// `b"1234567890123456"`).
    pub fn encrypt_with_random(
        &self,
        message: &str,
        random: &[u8; 16],
    ) -> Result<String, CallbackError> {
        let message = message.as_bytes();
        let length = u32::try_from(message.len())
            .map_err(|_| CallbackError::Encrypt { len: message.len() })?;
        let content = PREFIX + message.len() + self.receive_id.len();
        let pad = PAD_BLOCK - content % PAD_BLOCK;
        let mut buffer = Vec::with_capacity(content + pad);
        buffer.extend_from_slice(random);
        buffer.extend_from_slice(&length.to_be_bytes());
        buffer.extend_from_slice(message);
        buffer.extend_from_slice(self.receive_id.as_bytes());
        // `pad` is 1..=32, so it fits a byte.
        buffer.resize(content + pad, pad as u8);
        let total = buffer.len();
        cbc::Encryptor::<Aes256Enc>::inner_iv_init(self.key.encrypt.clone(), &self.key.iv.into())
            .encrypt_padded::<NoPadding>(&mut buffer, total)
            .map_err(|_| CallbackError::Encrypt { len: message.len() })?;
        Ok(base64_simd::STANDARD.encode_to_string(&buffer))
    }

    /// Seals a passive reply: encrypts it with fresh random bytes and wraps it, signed, in the
    /// envelope of `format` (the format of the push it answers). `nonce` may be the request's
    /// (the official samples reuse it); `timestamp` is the current Unix time.
    pub fn seal(
        &self,
        message: &str,
        format: PayloadFormat,
        timestamp: i64,
        nonce: &str,
    ) -> Result<String, CallbackError> {
        self.seal_with_random(message, format, timestamp, nonce, &random_prefix()?)
    }

    /// [`seal`](MsgCrypt::seal) with the given 16 random bytes: the exact bytes of the official
    /// vectors (reference §17 V2 for XML, V3 for JSON).
    pub fn seal_with_random(
        &self,
        message: &str,
        format: PayloadFormat,
        timestamp: i64,
        nonce: &str,
        random: &[u8; 16],
    ) -> Result<String, CallbackError> {
        check_nonce(nonce)?;
        let encrypt = self.encrypt_with_random(message, random)?;
        let msg_signature = self.signature(&timestamp.to_string(), nonce, &encrypt);
        let reply = EncryptedReply::new(encrypt, msg_signature, timestamp, nonce);
        let written = match format {
            PayloadFormat::Xml => {
                xml::to_string_with(&reply, xml::Layout::Lines).map_err(|e| e.to_string())
            }
            PayloadFormat::Json => serde_json::to_string(&reply).map_err(|e| e.to_string()),
        };
        written.map_err(|reason| CallbackError::ReplyEnvelope { reason })
    }

    fn digest(&self, timestamp: &str, nonce: &str, encrypt: &str) -> [u8; 20] {
        signature::digest(&mut [
            self.token.expose().as_bytes(),
            timestamp.as_bytes(),
            nonce.as_bytes(),
            encrypt.as_bytes(),
        ])
    }
}

impl fmt::Debug for MsgCrypt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MsgCrypt")
            .field("token", &self.token)
            .field("encoding_aes_key", &self.key)
            .field("receive_id", &self.receive_id)
            .finish()
    }
}

/// A decrypted message whose layout and receive id have been checked.
#[derive(Clone, PartialEq, Eq)]
pub struct Decrypted {
    message: String,
}

impl Decrypted {
    /// The message (XML, JSON, or the `echostr` of a URL verification).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The message, owned.
    pub fn into_message(self) -> String {
        self.message
    }
}

impl fmt::Debug for Decrypted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Decrypted").field(&self.message).finish()
    }
}

/// The length of the plaintext once its 32-byte padding is removed.
fn unpadded_len(buffer: &[u8]) -> Result<usize, CallbackError> {
    let padding = CallbackError::InvalidBuffer(BufferError::Padding);
    let pad = usize::from(*buffer.last().ok_or(padding.clone())?);
    if pad == 0 || pad > PAD_BLOCK || pad > buffer.len() {
        return Err(padding);
    }
    let (content, tail) = buffer.split_at(buffer.len() - pad);
    if tail.iter().any(|&byte| usize::from(byte) != pad) {
        return Err(padding);
    }
    Ok(content.len())
}

/// Where the message lies in a decrypted buffer, and where the receive id after it ends.
fn layout(buffer: &[u8]) -> Result<(Range<usize>, usize), CallbackError> {
    let len = unpadded_len(buffer)?;
    if len < PREFIX {
        return Err(CallbackError::InvalidBuffer(BufferError::TooShort { len }));
    }
    let mut length = [0_u8; 4];
    length.copy_from_slice(&buffer[16..PREFIX]);
    let declared = u32::from_be_bytes(length);
    let available = len - PREFIX;
    match usize::try_from(declared) {
        Ok(message) if message <= available => Ok((PREFIX..PREFIX + message, len)),
        _ => Err(CallbackError::InvalidBuffer(BufferError::LengthOverflow {
            declared,
            available,
        })),
    }
}

/// 16 random bytes from the operating system. The IV is fixed (the key's first half), so these
/// bytes are what makes two encryptions of one reply differ; they must be unpredictable.
fn random_prefix() -> Result<[u8; 16], CallbackError> {
    let mut random = [0_u8; 16];
    getrandom::fill(&mut random).map_err(|_| CallbackError::RandomSource)?;
    Ok(random)
}

/// A fresh nonce for a reply that does not reuse the request's: ten random decimal digits, the
/// form WeChat's own nonces take.
///
/// ```
/// let nonce = wechat_core::callback::random_nonce()?;
/// assert_eq!(nonce.len(), 10);
/// assert!(nonce.bytes().all(|b| b.is_ascii_digit()));
/// # Ok::<(), wechat_core::callback::CallbackError>(())
/// ```
pub fn random_nonce() -> Result<String, CallbackError> {
    let mut random = [0_u8; 10];
    getrandom::fill(&mut random).map_err(|_| CallbackError::RandomSource)?;
    Ok(random.iter().map(|b| char::from(b'0' + b % 10)).collect())
}

/// A nonce that can stand in a reply envelope as WeChat's do (they are digits).
fn check_nonce(nonce: &str) -> Result<(), CallbackError> {
    let fits = (1..=64).contains(&nonce.len())
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if fits {
        Ok(())
    } else {
        Err(CallbackError::ReplyEnvelope {
            reason: "the nonce must be 1 to 64 letters, digits, `-` or `_`".to_owned(),
        })
    }
}
