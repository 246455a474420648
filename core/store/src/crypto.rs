//! Crypto building blocks: random bytes, Argon2id, AES-256-GCM. Nothing here logs or formats a
//! secret; every buffer that holds one is wrapped in `Zeroizing` and wiped when dropped.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::StoreError;

/// Length of every symmetric key, in bytes (256 bits).
pub const KEY_LEN: usize = 32;
/// Length of every Argon2 salt, in bytes.
pub const SALT_LEN: usize = 16;
/// AES-GCM nonce length, in bytes.
pub const NONCE_BYTES: usize = NONCE_LEN;
/// AES-GCM tag length, in bytes.
pub const TAG_LEN: usize = 16;

/// A 256-bit key, wiped from memory when dropped. Its `Debug` shows nothing.
pub struct SecretKey(Zeroizing<[u8; KEY_LEN]>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

impl SecretKey {
    /// A fresh key from the operating system's random source.
    pub fn random() -> Result<Self, StoreError> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        fill_random(key.as_mut_slice())?;
        Ok(Self(key))
    }

    pub(crate) fn from_slice(bytes: &[u8]) -> Result<Self, StoreError> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        if bytes.len() != KEY_LEN {
            return Err(StoreError::Internal("key of the wrong length"));
        }
        key.copy_from_slice(bytes);
        Ok(Self(key))
    }

    /// A second copy (for work done away from the store, such as building an import); wiped
    /// when dropped, like the first.
    pub(crate) fn duplicate(&self) -> Self {
        Self(Zeroizing::new(*self.0))
    }

    pub(crate) fn bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// The key as SQLCipher's raw-key literal `x'<64 hex digits>'`, wiped when dropped.
    pub(crate) fn sqlcipher_literal(&self) -> Zeroizing<String> {
        let mut hex = Zeroizing::new(String::with_capacity(2 * KEY_LEN + 3));
        hex.push_str("x'");
        for b in self.0.iter() {
            const DIGITS: &[u8; 16] = b"0123456789abcdef";
            hex.push(char::from(DIGITS[usize::from(b >> 4)]));
            hex.push(char::from(DIGITS[usize::from(b & 0x0f)]));
        }
        hex.push('\'');
        hex
    }
}

/// Fills `buf` from the operating system's random source.
pub fn fill_random(buf: &mut [u8]) -> Result<(), StoreError> {
    SystemRandom::new()
        .fill(buf)
        .map_err(|_| StoreError::Internal("the system's random source failed"))
}

/// Why key-derivation parameters read from a file were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KdfRefused {
    /// More memory, passes or lanes than this app ever uses: a hostile file, or damage.
    TooCostly,
    /// Less than the least this app ever uses: not written by this app.
    TooWeak,
}

/// Argon2id cost parameters, stored beside everything they protect so they can be raised later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes over memory.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl KdfParams {
    /// What new key slots and backups use. Measured on the 2-core development machine
    /// (docs/store.md): t = 3 took 0.25 s per unlock in a release build, so t = 4 (about
    /// 0.33 s). Above OWASP's minimum for Argon2id (m = 19 MiB, t = 2, p = 1); 64 MiB stays
    /// affordable on phones.
    pub const PRODUCTION: Self = Self {
        m_kib: 64 * 1024,
        t: 4,
        p: 1,
    };

    /// OWASP's minimum. Nothing below it is used for real data.
    pub const OWASP_MINIMUM: Self = Self {
        m_kib: 19 * 1024,
        t: 2,
        p: 1,
    };

    /// Very cheap parameters so tests can derive keys thousands of times.
    /// Never use these for real data.
    #[doc(hidden)]
    pub const INSECURE_FOR_TESTS: Self = Self {
        m_kib: 8,
        t: 1,
        p: 1,
    };

    /// Largest memory cost we agree to compute when reading a file: four times what this app
    /// writes (256 MiB). Anything above was not made by this app, and a hostile file must not
    /// make it allocate a gigabyte (security review M2).
    pub const MAX_M_KIB: u32 = 4 * Self::PRODUCTION.m_kib;
    /// Largest pass count we agree to compute when reading a file (twice what this app writes).
    pub const MAX_T: u32 = 8;
    /// Largest lane count we agree to compute when reading a file (this app writes 1).
    pub const MAX_P: u32 = 4;

    /// Checks that the parameters are within what Argon2 accepts and what we agree to compute.
    pub fn check(&self) -> Result<(), &'static str> {
        if self.p == 0 || self.p > Self::MAX_P {
            return Err("lane count out of range");
        }
        if self.t == 0 || self.t > Self::MAX_T {
            return Err("pass count out of range");
        }
        if self.m_kib < 8 * self.p || self.m_kib > Self::MAX_M_KIB {
            return Err("memory cost out of range");
        }
        Ok(())
    }

    /// Checks parameters read from a file (a key file or a backup): only what this app could
    /// have written. That is at most [`Self::MAX_M_KIB`], [`Self::MAX_T`] and [`Self::MAX_P`],
    /// and at least `floor` in memory and passes (production reads at least OWASP's minimum;
    /// a test store that writes cheap parameters reads them back through its `StoreOptions`).
    pub fn check_read(&self, floor: &Self) -> Result<(), KdfRefused> {
        self.check().map_err(|_| KdfRefused::TooCostly)?;
        if self.m_kib < floor.m_kib || self.t < floor.t {
            return Err(KdfRefused::TooWeak);
        }
        Ok(())
    }

    /// The lower of `self` and `other` in each parameter: the least a store reads back when it
    /// writes `self` and production files must still open.
    pub const fn floor_with(self, other: Self) -> Self {
        Self {
            m_kib: if self.m_kib < other.m_kib {
                self.m_kib
            } else {
                other.m_kib
            },
            t: if self.t < other.t { self.t } else { other.t },
            p: 1,
        }
    }

    /// Derives a 256-bit key from `secret` and `salt` with Argon2id.
    pub fn derive(&self, secret: &[u8], salt: &[u8]) -> Result<SecretKey, StoreError> {
        self.check().map_err(StoreError::Internal)?;
        let params = argon2::Params::new(self.m_kib, self.t, self.p, Some(KEY_LEN))
            .map_err(|_| StoreError::Internal("key derivation parameters rejected"))?;
        let argon =
            argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        argon
            .hash_password_into(secret, salt, out.as_mut_slice())
            .map_err(|_| StoreError::Internal("key derivation failed"))?;
        Ok(SecretKey(out))
    }
}

// What this app writes, it reads: production within the reading bounds, and above the floor.
const _: () = {
    assert!(KdfParams::PRODUCTION.m_kib <= KdfParams::MAX_M_KIB);
    assert!(KdfParams::PRODUCTION.t <= KdfParams::MAX_T);
    assert!(KdfParams::PRODUCTION.p <= KdfParams::MAX_P);
    assert!(KdfParams::PRODUCTION.m_kib >= KdfParams::OWASP_MINIMUM.m_kib);
    assert!(KdfParams::PRODUCTION.t >= KdfParams::OWASP_MINIMUM.t);
};

fn aead_key(key: &SecretKey) -> Result<LessSafeKey, StoreError> {
    UnboundKey::new(&AES_256_GCM, key.bytes())
        .map(LessSafeKey::new)
        .map_err(|_| StoreError::Internal("encryption key rejected"))
}

/// Encrypts `plaintext` under `key` with a fresh random nonce. Returns (nonce, ciphertext+tag).
pub fn seal(
    key: &SecretKey,
    aad: &[u8],
    plaintext: &[u8],
) -> Result<([u8; NONCE_BYTES], Vec<u8>), StoreError> {
    let mut nonce = [0u8; NONCE_BYTES];
    fill_random(&mut nonce)?;
    Ok((nonce, seal_with_nonce(key, nonce, aad, plaintext)?))
}

/// Encrypts `plaintext` under `key` with the given nonce, which must never be used again with
/// this key (callers pick it at random for a freshly derived key). Returns ciphertext+tag.
pub fn seal_with_nonce(
    key: &SecretKey,
    nonce: [u8; NONCE_BYTES],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, StoreError> {
    let mut buf = Vec::with_capacity(plaintext.len() + TAG_LEN);
    buf.extend_from_slice(plaintext);
    aead_key(key)?
        .seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad),
            &mut buf,
        )
        .map_err(|_| StoreError::Internal("encryption failed"))?;
    Ok(buf)
}

/// Decrypts and authenticates. `None` when the key is wrong or anything was altered.
pub fn open(
    key: &SecretKey,
    nonce: &[u8; NONCE_BYTES],
    aad: &[u8],
    ciphertext: &[u8],
) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    let key = aead_key(key)?;
    let len = match key.open_in_place(
        Nonce::assume_unique_for_key(*nonce),
        Aad::from(aad),
        buf.as_mut_slice(),
    ) {
        Ok(plain) => plain.len(),
        Err(_) => return Ok(None),
    };
    buf.truncate(len);
    Ok(Some(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_then_open_round_trips_and_detects_changes() -> Result<(), StoreError> {
        let key = SecretKey::random()?;
        let (nonce, ct) = seal(&key, b"aad", b"hello")?;
        assert_eq!(
            open(&key, &nonce, b"aad", &ct)?
                .as_deref()
                .map(Vec::as_slice),
            Some(&b"hello"[..])
        );
        assert!(open(&key, &nonce, b"other", &ct)?.is_none());
        let other = SecretKey::random()?;
        assert!(open(&other, &nonce, b"aad", &ct)?.is_none());
        Ok(())
    }

    #[test]
    fn kdf_is_deterministic_and_salted() -> Result<(), StoreError> {
        let p = KdfParams::INSECURE_FOR_TESTS;
        let a = p.derive(b"secret", &[1; SALT_LEN])?;
        let b = p.derive(b"secret", &[1; SALT_LEN])?;
        let c = p.derive(b"secret", &[2; SALT_LEN])?;
        assert_eq!(a.bytes(), b.bytes());
        assert_ne!(a.bytes(), c.bytes());
        assert!(KdfParams::PRODUCTION.check().is_ok());
        const {
            assert!(KdfParams::PRODUCTION.m_kib >= KdfParams::OWASP_MINIMUM.m_kib);
            assert!(KdfParams::PRODUCTION.t >= KdfParams::OWASP_MINIMUM.t);
        }
        assert!(KdfParams {
            m_kib: 4,
            t: 1,
            p: 1
        }
        .check()
        .is_err());
        assert!(KdfParams {
            m_kib: u32::MAX,
            t: 1,
            p: 1
        }
        .check()
        .is_err());
        Ok(())
    }

    #[test]
    fn sqlcipher_literal_is_hex() -> Result<(), StoreError> {
        let key = SecretKey::from_slice(&[0xab; KEY_LEN])?;
        let lit = key.sqlcipher_literal();
        assert_eq!(lit.len(), 67);
        assert!(lit.starts_with("x'abab") && lit.ends_with("ab'"));
        assert_eq!(format!("{key:?}"), "SecretKey(..)");
        Ok(())
    }
}
