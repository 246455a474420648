//! The key-slots file (`keyslots.json`) and recovery codes.
//!
//! The data key never touches the disk in the clear. Each slot holds it wrapped with AES-256-GCM
//! under a key derived by Argon2id from a secret (the passphrase, or the recovery code), with the
//! salt and cost parameters beside it. A SHA-256 checksum over the slots tells a damaged file
//! apart from a wrong passphrase.
//!
//! While the data key is being replaced (key rotation, security review M1) the file holds two
//! generations: `slots` (the key the journal is encrypted with now) and `next` (the key it is
//! being re-encrypted with), both wrapped under the same, new secrets. That is version 2 of the
//! file; version 1 (one generation) is what is written the rest of the time, so an older app still
//! reads every file except one left by a rotation cut short.

use std::path::Path;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::crypto::{self, KdfParams, KdfRefused, SecretKey, NONCE_BYTES, SALT_LEN};
use super::{fsutil, StoreError};

/// File name of the key slots, beside the database.
pub const SLOTS_FILE: &str = "keyslots.json";
const FORMAT: &str = "holdfast-keyslots";
/// The newest slots-file version this build reads: 1 (one key) or 2 (two keys, while the key is
/// being replaced). It writes 1 except during a key rotation.
pub const SLOTS_VERSION: u32 = 2;
const VERSION_ONE_KEY: u32 = 1;
const VERSION_TWO_KEYS: u32 = 2;
/// Largest slots file we read; a real one is well under 2 KiB (4 KiB with two generations).
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
    /// Version 2 only: the next key's slots, while the journal is re-encrypted with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    next: Option<Vec<Slot>>,
    /// Lower-case hex SHA-256 of the JSON of `slots` (version 1) or of `[slots, next]`
    /// (version 2).
    checksum: String,
}

/// One key, wrapped under the passphrase and under the recovery code.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Generation {
    passphrase: Slot,
    recovery: Slot,
}

/// The slots, parsed and checked, but not unlocked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySlots {
    current: Generation,
    /// While the key is being replaced: the new key's slots.
    next: Option<Generation>,
}

/// Which generation of the key file a key came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyGeneration {
    /// `slots`: the key the journal was encrypted with before the rotation (or the only one).
    Current,
    /// `next`: the key the journal is being re-encrypted with.
    Next,
}

/// A key unwrapped from the file, and which generation it came from.
#[derive(Debug)]
pub struct Unwrapped {
    pub key: SecretKey,
    pub generation: KeyGeneration,
}

fn aad(kind: SlotKind) -> &'static [u8] {
    match kind {
        SlotKind::Passphrase => b"holdfast keyslot v1 passphrase",
        SlotKind::RecoveryCode => b"holdfast keyslot v1 recovery-code",
    }
}

fn checksum(slots: &[Slot], next: Option<&[Slot]>) -> Result<String, StoreError> {
    let json = match next {
        None => serde_json::to_vec(slots),
        Some(next) => serde_json::to_vec(&(slots, next)),
    }
    .map_err(|_| StoreError::Internal("key file encoding"))?;
    Ok(hex::encode(ring::digest::digest(
        &ring::digest::SHA256,
        &json,
    )))
}

fn damaged(what: &str) -> StoreError {
    StoreError::Damaged(format!("the key file (keyslots.json) {what}"))
}

/// A key derived from a secret, with the salt and parameters it was derived with, so that the
/// two generations of a rotation can share one derivation per secret.
struct Kek {
    key: SecretKey,
    salt: Vec<u8>,
    params: KdfParams,
}

impl Kek {
    fn derive(secret: &[u8], params: KdfParams) -> Result<Self, StoreError> {
        let mut salt = [0u8; SALT_LEN];
        crypto::fill_random(&mut salt)?;
        Ok(Self {
            key: params.derive(secret, &salt)?,
            salt: salt.to_vec(),
            params,
        })
    }
}

impl Slot {
    /// Seals `data_key` under `kek` with a fresh random nonce.
    fn seal(kind: SlotKind, kek: &Kek, data_key: &SecretKey) -> Result<Self, StoreError> {
        let (nonce, wrapped) = crypto::seal(&kek.key, aad(kind), data_key.bytes())?;
        Ok(Self {
            kind,
            kdf: "argon2id-v19".to_owned(),
            params: kek.params,
            salt: hex::encode(&kek.salt),
            nonce: hex::encode(nonce),
            wrapped_key: hex::encode(wrapped),
        })
    }

    /// `Ok(None)` when the secret is wrong. `cache` holds the last derivation: a slot with the
    /// same salt and parameters (the other generation's slot for the same secret) reuses it.
    fn unwrap_key(
        &self,
        secret: &[u8],
        floor: &KdfParams,
        cache: &mut Option<Kek>,
    ) -> Result<Option<SecretKey>, StoreError> {
        let salt = hex::decode(&self.salt).map_err(|_| damaged("has an unreadable salt"))?;
        let nonce: [u8; NONCE_BYTES] = hex::decode(&self.nonce)
            .ok()
            .and_then(|n| n.try_into().ok())
            .ok_or_else(|| damaged("has an unreadable nonce"))?;
        let wrapped =
            hex::decode(&self.wrapped_key).map_err(|_| damaged("has an unreadable wrapped key"))?;
        self.params.check_read(floor).map_err(|why| match why {
            KdfRefused::TooCostly => {
                damaged("asks for more work to unlock than this app ever uses")
            }
            KdfRefused::TooWeak => damaged("asks for less work to unlock than this app ever uses"),
        })?;
        let reuse = cache
            .as_ref()
            .is_some_and(|k| k.salt == salt && k.params == self.params);
        if !reuse {
            *cache = Some(Kek {
                key: self.params.derive(secret, &salt)?,
                salt,
                params: self.params,
            });
        }
        let kek = cache
            .as_ref()
            .ok_or(StoreError::Internal("key derivation"))?;
        match crypto::open(&kek.key, &nonce, aad(self.kind), &wrapped)? {
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

impl Generation {
    fn seal(pass: &Kek, code: &Kek, data_key: &SecretKey) -> Result<Self, StoreError> {
        Ok(Self {
            passphrase: Slot::seal(SlotKind::Passphrase, pass, data_key)?,
            recovery: Slot::seal(SlotKind::RecoveryCode, code, data_key)?,
        })
    }

    fn slots(&self) -> Vec<Slot> {
        vec![self.passphrase.clone(), self.recovery.clone()]
    }

    fn parse(slots: Vec<Slot>) -> Result<Self, StoreError> {
        let mut pass = None;
        let mut rec = None;
        for slot in slots {
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

    fn slot(&self, kind: SlotKind) -> &Slot {
        match kind {
            SlotKind::Passphrase => &self.passphrase,
            SlotKind::RecoveryCode => &self.recovery,
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
        let pass = Kek::derive(
            holdfast_domain::passphrase::normalized(passphrase).as_bytes(),
            params,
        )?;
        let code = Kek::derive(recovery.normalized().as_bytes(), params)?;
        Ok(Self {
            current: Generation::seal(&pass, &code, data_key)?,
            next: None,
        })
    }

    /// The first step of a key rotation: `current_key` (what the journal is encrypted with now)
    /// and `next_key` (what it is about to be re-encrypted with), each wrapped under both new
    /// secrets. One derivation per secret serves both generations. From the moment this is
    /// written, the new secrets open the journal and the old ones do not, whichever key the
    /// journal file is under.
    pub fn rotating(
        current_key: &SecretKey,
        next_key: &SecretKey,
        passphrase: &str,
        recovery: &RecoveryCode,
        params: KdfParams,
    ) -> Result<Self, StoreError> {
        let pass = Kek::derive(
            holdfast_domain::passphrase::normalized(passphrase).as_bytes(),
            params,
        )?;
        let code = Kek::derive(recovery.normalized().as_bytes(), params)?;
        Ok(Self {
            current: Generation::seal(&pass, &code, current_key)?,
            next: Some(Generation::seal(&pass, &code, next_key)?),
        })
    }

    /// Whether the passphrase slot was wrapped at a lower cost than `current` asks for (less
    /// memory or fewer passes, as after the desktop cost is raised): then unlock wraps it again
    /// at the current cost (security review L5). Never while a rotation is under way.
    pub fn passphrase_cost_below(&self, current: &KdfParams) -> bool {
        let params = &self.current.passphrase.params;
        !self.is_rotating() && (params.m_kib < current.m_kib || params.t < current.t)
    }

    /// Whether a key rotation is under way (two generations).
    pub fn is_rotating(&self) -> bool {
        self.next.is_some()
    }

    /// The last step of a key rotation: only the next key's slots, as they are (no derivation).
    /// `None` when no rotation is under way.
    pub fn finished(&self) -> Option<Self> {
        self.next.as_ref().map(|next| Self {
            current: next.clone(),
            next: None,
        })
    }

    /// The same slots with the passphrase slot replaced. Not while a rotation is under way (the
    /// store finishes it first): the new key would lose its passphrase slot.
    pub fn with_passphrase(
        &self,
        data_key: &SecretKey,
        passphrase: &str,
        params: KdfParams,
    ) -> Result<Self, StoreError> {
        if self.is_rotating() {
            return Err(StoreError::Internal("a key change is still under way"));
        }
        let pass = Kek::derive(
            holdfast_domain::passphrase::normalized(passphrase).as_bytes(),
            params,
        )?;
        Ok(Self {
            current: Generation {
                passphrase: Slot::seal(SlotKind::Passphrase, &pass, data_key)?,
                recovery: self.current.recovery.clone(),
            },
            next: None,
        })
    }

    /// The keys `secret` unwraps from the slots of `kind`: the current generation's first, then
    /// the next one's. Parameters below `floor` (or above the fixed limits) are refused before
    /// any derivation.
    fn unlock(
        &self,
        kind: SlotKind,
        secret: &[u8],
        floor: &KdfParams,
    ) -> Result<Vec<Unwrapped>, StoreError> {
        let mut cache = None;
        let mut keys = Vec::with_capacity(2);
        let generations = std::iter::once((KeyGeneration::Current, &self.current))
            .chain(self.next.iter().map(|n| (KeyGeneration::Next, n)));
        for (generation, slots) in generations {
            if let Some(key) = slots.slot(kind).unwrap_key(secret, floor, &mut cache)? {
                keys.push(Unwrapped { key, generation });
            }
        }
        Ok(keys)
    }

    /// Unwraps the data key(s) with the passphrase: the current generation's first, then the
    /// next one's while a rotation is under way.
    pub fn unlock_passphrase(
        &self,
        passphrase: &str,
        floor: &KdfParams,
    ) -> Result<Vec<Unwrapped>, StoreError> {
        // Nothing longer can have been set (`check_length`); refused before any work.
        if passphrase.len() > holdfast_domain::passphrase::MAX_PASSPHRASE_BYTES {
            return Err(StoreError::WrongPassphrase);
        }
        for form in holdfast_domain::passphrase::forms_to_try(passphrase) {
            let keys = self.unlock(SlotKind::Passphrase, form.as_bytes(), floor)?;
            if !keys.is_empty() {
                return Ok(keys);
            }
        }
        Err(StoreError::WrongPassphrase)
    }

    /// Unwraps the data key(s) with the recovery code (spaces, dashes and case are ignored).
    pub fn unlock_recovery(
        &self,
        code: &str,
        floor: &KdfParams,
    ) -> Result<Vec<Unwrapped>, StoreError> {
        let normalized = RecoveryCode::normalize(code).ok_or(StoreError::WrongRecoveryCode)?;
        let keys = self.unlock(SlotKind::RecoveryCode, normalized.as_bytes(), floor)?;
        if keys.is_empty() {
            return Err(StoreError::WrongRecoveryCode);
        }
        Ok(keys)
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
        let bytes = fsutil::read_at_most(&path, MAX_SLOTS_FILE)?
            .ok_or_else(|| damaged("is far too large"))?;
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
        match (file.version, &file.next) {
            (VERSION_ONE_KEY, None) | (VERSION_TWO_KEYS, Some(_)) => {}
            _ => return Err(damaged("is not readable")),
        }
        if checksum(&file.slots, file.next.as_deref())? != file.checksum {
            return Err(damaged(
                "was changed or damaged (its checksum does not match)",
            ));
        }
        Ok(Self {
            current: Generation::parse(file.slots)?,
            next: file.next.map(Generation::parse).transpose()?,
        })
    }

    /// The file's bytes: version 1 with one key, version 2 while a rotation is under way.
    pub fn to_bytes(&self) -> Result<Vec<u8>, StoreError> {
        let slots = self.current.slots();
        let next = self.next.as_ref().map(Generation::slots);
        let file = SlotsFile {
            format: FORMAT.to_owned(),
            version: if next.is_some() {
                VERSION_TWO_KEYS
            } else {
                VERSION_ONE_KEY
            },
            checksum: checksum(&slots, next.as_deref())?,
            slots,
            next,
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

    /// A code as typed (see [`RecoveryCode::normalize`]); `None` when it cannot be a code.
    pub fn from_text(input: &str) -> Option<Self> {
        Self::normalize(input).map(Self)
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
    fn accented_passphrases_open_slots_in_either_form() -> Result<(), StoreError> {
        let key = SecretKey::random()?;
        let code = RecoveryCode::generate()?;
        let params = KdfParams::INSECURE_FOR_TESTS;
        let (composed, decomposed) = ("caf\u{e9} au lait", "cafe\u{301} au lait");
        let slots = KeySlots::new(&key, decomposed, &code, params)?;
        for typed in [composed, decomposed] {
            let keys = slots.unlock_passphrase(typed, &params)?;
            assert_eq!(keys[0].key.bytes(), key.bytes());
        }
        assert!(matches!(
            slots.unlock_passphrase("cafe au lait", &params),
            Err(StoreError::WrongPassphrase)
        ));
        // A slot written before normalisation, from the decomposed bytes as typed.
        let raw = Kek::derive(decomposed.as_bytes(), params)?;
        let old = KeySlots {
            current: Generation {
                passphrase: Slot::seal(SlotKind::Passphrase, &raw, &key)?,
                recovery: slots.current.recovery.clone(),
            },
            next: None,
        };
        for typed in [composed, decomposed] {
            let keys = old.unlock_passphrase(typed, &params)?;
            assert_eq!(keys[0].key.bytes(), key.bytes());
        }
        // Mixed (one é composed, one decomposed): only the text as typed opens its old slot.
        let mixed = "caf\u{e9} e\u{301}clair";
        let raw = Kek::derive(mixed.as_bytes(), params)?;
        let old = KeySlots {
            current: Generation {
                passphrase: Slot::seal(SlotKind::Passphrase, &raw, &key)?,
                recovery: slots.current.recovery.clone(),
            },
            next: None,
        };
        let keys = old.unlock_passphrase(mixed, &params)?;
        assert_eq!(keys[0].key.bytes(), key.bytes());
        // Longer than any passphrase the app accepts: refused without a derivation.
        let long = "x".repeat(holdfast_domain::passphrase::MAX_PASSPHRASE_BYTES + 1);
        assert!(matches!(
            old.unlock_passphrase(&long, &params),
            Err(StoreError::WrongPassphrase)
        ));
        Ok(())
    }

    #[test]
    fn slots_round_trip_and_reject_damage() -> Result<(), StoreError> {
        let key = SecretKey::random()?;
        let code = RecoveryCode::generate()?;
        let slots = KeySlots::new(&key, "correct horse", &code, KdfParams::INSECURE_FOR_TESTS)?;
        let bytes = slots.to_bytes()?;
        let back = KeySlots::parse(&bytes)?;
        let cheap = KdfParams::INSECURE_FOR_TESTS;
        let keys = back.unlock_passphrase("correct horse", &cheap)?;
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].key.bytes(), key.bytes());
        assert_eq!(keys[0].generation, KeyGeneration::Current);
        let keys = back.unlock_recovery(&code.display(), &cheap)?;
        assert_eq!(keys[0].key.bytes(), key.bytes());
        assert!(matches!(
            back.unlock_passphrase("wrong", &cheap),
            Err(StoreError::WrongPassphrase)
        ));
        assert!(matches!(
            back.unlock_recovery("nope", &cheap),
            Err(StoreError::WrongRecoveryCode)
        ));
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

    /// A rotation's two-key file (version 2) round trips, unlocks both keys (current first),
    /// finishes into a one-key file (version 1) holding the next key's slots as they were, and
    /// is as strict about damage as a one-key file.
    #[test]
    fn two_generations_round_trip_and_finish() -> Result<(), StoreError> {
        let cheap = KdfParams::INSECURE_FOR_TESTS;
        let (old, new) = (SecretKey::random()?, SecretKey::random()?);
        let code = RecoveryCode::generate()?;
        let slots = KeySlots::rotating(&old, &new, "correct horse", &code, cheap)?;
        assert!(slots.is_rotating());
        let bytes = slots.to_bytes()?;
        assert!(std::str::from_utf8(&bytes).is_ok_and(|t| t.contains("\"version\": 2")));
        let back = KeySlots::parse(&bytes)?;
        assert_eq!(back, slots);
        for keys in [
            back.unlock_passphrase("correct horse", &cheap)?,
            back.unlock_recovery(&code.display(), &cheap)?,
        ] {
            let got: Vec<_> = keys
                .iter()
                .map(|k| (k.generation, *k.key.bytes()))
                .collect();
            assert_eq!(
                got,
                vec![
                    (KeyGeneration::Current, *old.bytes()),
                    (KeyGeneration::Next, *new.bytes())
                ]
            );
        }
        // A passphrase change must not drop the new key's slots.
        assert!(back.with_passphrase(&old, "another one", cheap).is_err());
        let done = back.finished().ok_or(StoreError::Internal("finished"))?;
        assert!(!done.is_rotating() && done.finished().is_none());
        let done_bytes = done.to_bytes()?;
        assert!(std::str::from_utf8(&done_bytes).is_ok_and(|t| t.contains("\"version\": 1")));
        let keys = KeySlots::parse(&done_bytes)?.unlock_passphrase("correct horse", &cheap)?;
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].key.bytes(), new.bytes());
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x01;
            match KeySlots::parse(&b) {
                Err(StoreError::Damaged(_)) | Err(StoreError::NewerVersion) => {}
                Err(other) => return Err(other),
                Ok(parsed) => assert_eq!(parsed, back, "byte {i} changed the slots unnoticed"),
            }
        }
        // The version must say what the file holds.
        let text = String::from_utf8(bytes).map_err(|_| StoreError::Internal("utf-8"))?;
        let as_one = text.replacen("\"version\": 2", "\"version\": 1", 1);
        assert!(matches!(
            KeySlots::parse(as_one.as_bytes()),
            Err(StoreError::Damaged(_))
        ));
        let one = String::from_utf8(done_bytes).map_err(|_| StoreError::Internal("utf-8"))?;
        let as_two = one.replacen("\"version\": 1", "\"version\": 2", 1);
        assert!(matches!(
            KeySlots::parse(as_two.as_bytes()),
            Err(StoreError::Damaged(_))
        ));
        Ok(())
    }

    #[test]
    fn a_newer_version_is_reported_as_such() {
        let text = br#"{"format":"holdfast-keyslots","version":99,"slots":[],"checksum":""}"#;
        assert_eq!(KeySlots::parse(text).err(), Some(StoreError::NewerVersion));
    }
}
