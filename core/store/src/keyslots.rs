//! The key-slots file (`keyslots.json`) and recovery codes.
//!
//! The data key never touches the disk in the clear. Each slot holds it wrapped with AES-256-GCM
//! under a key derived by Argon2id from a secret (the passphrase, or the recovery code), with the
//! salt and cost parameters beside it. A SHA-256 checksum over the slots tells a damaged file
//! apart from a wrong passphrase.

use std::path::Path;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::crypto::{self, KdfParams, SecretKey, NONCE_BYTES, SALT_LEN};
use super::{fsutil, StoreError};

/// File name of the key slots, beside the database.
pub const SLOTS_FILE: &str = "keyslots.json";
const FORMAT: &str = "holdfast-keyslots";
/// The slots-file version this build writes and the newest it reads.
pub const SLOTS_VERSION: u32 = 1;
/// Largest slots file we read; a real one is well under 2 KiB.
const MAX_SLOTS_FILE: u64 = 64 * 1024;

/// What a slot is unlocked with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    Passphrase,
    RecoveryCode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Slot {
    kind: SlotKind,
    kdf: String,
    params: KdfParams,
    salt: String,
    nonce: String,
    wrapped_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SlotsFile {
    format: String,
    version: u32,
    slots: Vec<Slot>,
    /// Lower-case hex SHA-256 of the JSON of `slots`.
    checksum: String,
}

/// The two slots, parsed and checked, but not unlocked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySlots {
    passphrase: Slot,
    recovery: Slot,
}

fn aad(kind: SlotKind) -> &'static [u8] {
    match kind {
        SlotKind::Passphrase => b"holdfast keyslot v1 passphrase",
        SlotKind::RecoveryCode => b"holdfast keyslot v1 recovery-code",
    }
}

fn checksum(slots: &[Slot]) -> Result<String, StoreError> {
    let json = serde_json::to_vec(slots).map_err(|_| StoreError::Internal("key file encoding"))?;
    Ok(hex::encode(ring::digest::digest(
        &ring::digest::SHA256,
        &json,
    )))
}

fn damaged(what: &str) -> StoreError {
    StoreError::Damaged(format!("the key file (keyslots.json) {what}"))
}

impl Slot {
    fn wrap(
        kind: SlotKind,
        secret: &[u8],
        data_key: &SecretKey,
        params: KdfParams,
    ) -> Result<Self, StoreError> {
        let mut salt = [0u8; SALT_LEN];
        crypto::fill_random(&mut salt)?;
        let kek = params.derive(secret, &salt)?;
        let (nonce, wrapped) = crypto::seal(&kek, aad(kind), data_key.bytes())?;
        Ok(Self {
            kind,
            kdf: "argon2id-v19".to_owned(),
            params,
            salt: hex::encode(salt),
            nonce: hex::encode(nonce),
            wrapped_key: hex::encode(wrapped),
        })
    }

    /// `Ok(None)` when the secret is wrong.
    fn unwrap_key(&self, secret: &[u8]) -> Result<Option<SecretKey>, StoreError> {
        let salt = hex::decode(&self.salt).map_err(|_| damaged("has an unreadable salt"))?;
        let nonce: [u8; NONCE_BYTES] = hex::decode(&self.nonce)
            .ok()
            .and_then(|n| n.try_into().ok())
            .ok_or_else(|| damaged("has an unreadable nonce"))?;
        let wrapped =
            hex::decode(&self.wrapped_key).map_err(|_| damaged("has an unreadable wrapped key"))?;
        let kek = self.params.derive(secret, &salt)?;
        match crypto::open(&kek, &nonce, aad(self.kind), &wrapped)? {
            Some(plain) => SecretKey::from_slice(&plain).map(Some),
            None => Ok(None),
        }
    }

    fn validate(&self) -> Result<(), StoreError> {
        if self.kdf != "argon2id-v19" {
            return Err(damaged("names an unknown key derivation"));
        }
        self.params
            .check()
            .map_err(|why| damaged(&format!("has key derivation settings out of range ({why})")))?;
        let salt_ok = hex::decode(&self.salt)
            .map(|s| s.len() == SALT_LEN)
            .unwrap_or(false);
        let nonce_ok = hex::decode(&self.nonce)
            .map(|s| s.len() == NONCE_BYTES)
            .unwrap_or(false);
        let key_ok = hex::decode(&self.wrapped_key)
            .map(|s| s.len() == crypto::KEY_LEN + crypto::TAG_LEN)
            .unwrap_or(false);
        if salt_ok && nonce_ok && key_ok {
            Ok(())
        } else {
            Err(damaged("has a slot of the wrong size"))
        }
    }
}

impl KeySlots {
    /// Wraps `data_key` under both secrets.
    pub fn new(
        data_key: &SecretKey,
        passphrase: &str,
        recovery: &RecoveryCode,
        params: KdfParams,
    ) -> Result<Self, StoreError> {
        Ok(Self {
            passphrase: Slot::wrap(
                SlotKind::Passphrase,
                passphrase.as_bytes(),
                data_key,
                params,
            )?,
            recovery: Slot::wrap(
                SlotKind::RecoveryCode,
                recovery.normalized().as_bytes(),
                data_key,
                params,
            )?,
        })
    }

    /// The same slots with the passphrase slot replaced.
    pub fn with_passphrase(
        &self,
        data_key: &SecretKey,
        passphrase: &str,
        params: KdfParams,
    ) -> Result<Self, StoreError> {
        Ok(Self {
            passphrase: Slot::wrap(
                SlotKind::Passphrase,
                passphrase.as_bytes(),
                data_key,
                params,
            )?,
            recovery: self.recovery.clone(),
        })
    }

    /// Unwraps the data key with the passphrase.
    pub fn unlock_passphrase(&self, passphrase: &str) -> Result<SecretKey, StoreError> {
        self.passphrase
            .unwrap_key(passphrase.as_bytes())?
            .ok_or(StoreError::WrongPassphrase)
    }

    /// Unwraps the data key with the recovery code (spaces, dashes and case are ignored).
    pub fn unlock_recovery(&self, code: &str) -> Result<SecretKey, StoreError> {
        let normalized = RecoveryCode::normalize(code).ok_or(StoreError::WrongRecoveryCode)?;
        self.recovery
            .unwrap_key(normalized.as_bytes())?
            .ok_or(StoreError::WrongRecoveryCode)
    }

    /// Reads and checks `dir/keyslots.json`. `Ok(None)` when it does not exist.
    pub fn read(dir: &Path) -> Result<Option<Self>, StoreError> {
        let path = dir.join(SLOTS_FILE);
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(StoreError::read(&e)),
        };
        if meta.len() > MAX_SLOTS_FILE {
            return Err(damaged("is far too large"));
        }
        let bytes = std::fs::read(&path).map_err(|e| StoreError::read(&e))?;
        Self::parse(&bytes).map(Some)
    }

    /// Parses and checks the content of a slots file.
    pub fn parse(bytes: &[u8]) -> Result<Self, StoreError> {
        if bytes.is_empty() {
            return Err(damaged("is empty"));
        }
        // Look at the version before the rest, so a newer layout is reported as such.
        #[derive(Deserialize)]
        struct Head {
            format: String,
            version: u32,
        }
        let head: Head = serde_json::from_slice(bytes).map_err(|_| damaged("is not readable"))?;
        if head.format != FORMAT {
            return Err(damaged("is not a Holdfast key file"));
        }
        if head.version > SLOTS_VERSION {
            return Err(StoreError::NewerVersion);
        }
        let file: SlotsFile =
            serde_json::from_slice(bytes).map_err(|_| damaged("is not readable"))?;
        if checksum(&file.slots)? != file.checksum {
            return Err(damaged(
                "was changed or damaged (its checksum does not match)",
            ));
        }
        let mut pass = None;
        let mut rec = None;
        for slot in file.slots {
            slot.validate()?;
            let target = match slot.kind {
                SlotKind::Passphrase => &mut pass,
                SlotKind::RecoveryCode => &mut rec,
            };
            if target.replace(slot).is_some() {
                return Err(damaged("has a slot twice"));
            }
        }
        match (pass, rec) {
            (Some(passphrase), Some(recovery)) => Ok(Self {
                passphrase,
                recovery,
            }),
            _ => Err(damaged("is missing a slot")),
        }
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, StoreError> {
        let slots = vec![self.passphrase.clone(), self.recovery.clone()];
        let file = SlotsFile {
            format: FORMAT.to_owned(),
            version: SLOTS_VERSION,
            checksum: checksum(&slots)?,
            slots,
        };
        serde_json::to_vec_pretty(&file).map_err(|_| StoreError::Internal("key file encoding"))
    }

    /// Writes `dir/keyslots.json` atomically (old or new content, never a mix, never nothing).
    pub fn write(&self, dir: &Path) -> Result<(), StoreError> {
        fsutil::write_atomic(dir, SLOTS_FILE, &self.to_bytes()?)
    }
}

/// Crockford's base-32 alphabet: no I, L, O or U, so nothing is mistaken for another character.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a recovery code (24 × 5 bits = 120 bits).
pub const RECOVERY_CODE_CHARS: usize = 24;
const GROUP: usize = 4;

/// A recovery code, shown once. `Debug` shows nothing; the text is wiped when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode(Zeroizing<String>);

impl std::fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCode(..)")
    }
}

impl RecoveryCode {
    /// A fresh random code.
    pub fn generate() -> Result<Self, StoreError> {
        let mut raw = Zeroizing::new([0u8; RECOVERY_CODE_CHARS]);
        crypto::fill_random(raw.as_mut_slice())?;
        let mut s = Zeroizing::new(String::with_capacity(RECOVERY_CODE_CHARS));
        for b in raw.iter() {
            // 256 is a multiple of 32, so taking the low five bits has no bias.
            s.push(char::from(ALPHABET[usize::from(b & 31)]));
        }
        Ok(Self(s))
    }

    /// The code in groups for showing: `ABCD-EFGH-...`.
    pub fn display(&self) -> Zeroizing<String> {
        let mut out = Zeroizing::new(String::with_capacity(
            RECOVERY_CODE_CHARS + RECOVERY_CODE_CHARS / GROUP,
        ));
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i % GROUP == 0 {
                out.push('-');
            }
            out.push(c);
        }
        out
    }

    fn normalized(&self) -> &str {
        &self.0
    }

    /// Canonical form of typed input: upper case, spaces and dashes dropped, O→0, I/L→1.
    /// `None` when it cannot be a code.
    pub fn normalize(input: &str) -> Option<Zeroizing<String>> {
        let mut out = Zeroizing::new(String::with_capacity(RECOVERY_CODE_CHARS));
        for c in input.chars() {
            let c = match c.to_ascii_uppercase() {
                ' ' | '-' | '\t' | '\n' | '\r' => continue,
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) || out.len() >= RECOVERY_CODE_CHARS {
                return None;
            }
            out.push(c);
        }
        (out.len() == RECOVERY_CODE_CHARS).then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_have_the_shape_and_normalise() -> Result<(), StoreError> {
        let code = RecoveryCode::generate()?;
        let shown = code.display();
        assert_eq!(shown.len(), 29);
        assert_eq!(shown.matches('-').count(), 5);
        let typed = shown.to_lowercase().replace('-', " ");
        assert_eq!(
            RecoveryCode::normalize(&typed)
                .as_deref()
                .map(String::as_str),
            Some(code.normalized())
        );
        assert!(RecoveryCode::normalize("too short").is_none());
        assert!(RecoveryCode::normalize(&"A".repeat(25)).is_none());
        assert!(RecoveryCode::normalize(&"U".repeat(24)).is_none());
        assert_eq!(format!("{code:?}"), "RecoveryCode(..)");
        Ok(())
    }

    #[test]
    fn slots_round_trip_and_reject_damage() -> Result<(), StoreError> {
        let key = SecretKey::random()?;
        let code = RecoveryCode::generate()?;
        let slots = KeySlots::new(&key, "correct horse", &code, KdfParams::INSECURE_FOR_TESTS)?;
        let bytes = slots.to_bytes()?;
        let back = KeySlots::parse(&bytes)?;
        assert_eq!(
            back.unlock_passphrase("correct horse")?.bytes(),
            key.bytes()
        );
        assert_eq!(back.unlock_recovery(&code.display())?.bytes(), key.bytes());
        assert_eq!(
            back.unlock_passphrase("wrong").err(),
            Some(StoreError::WrongPassphrase)
        );
        assert_eq!(
            back.unlock_recovery("nope").err(),
            Some(StoreError::WrongRecoveryCode)
        );
        // Every single-byte change is either refused as damaged/unreadable or leaves the meaning
        // unchanged (whitespace); none unlocks with a different key.
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x01;
            match KeySlots::parse(&b) {
                Err(StoreError::Damaged(_)) | Err(StoreError::NewerVersion) => {}
                Err(other) => return Err(other),
                Ok(parsed) => assert_eq!(parsed, back, "byte {i} changed the slots unnoticed"),
            }
        }
        Ok(())
    }

    #[test]
    fn a_newer_version_is_reported_as_such() {
        let text = br#"{"format":"holdfast-keyslots","version":99,"slots":[],"checksum":""}"#;
        assert_eq!(KeySlots::parse(text).err(), Some(StoreError::NewerVersion));
    }
}
