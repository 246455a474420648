//! Encrypted, portable backups.
//!
//! Layout (all integers big-endian):
//!
//! | bytes | field |
//! |---|---|
//! | 16 | magic `HOLDFAST-BACKUP\n` |
//! | 2  | format version (3; versions 1 and 2 are still read) |
//! | 12 | Argon2id m (KiB), t, p as three u32 |
//! | 16 | salt |
//! | 12 | AES-GCM nonce |
//! | 8  | ciphertext length n |
//! | n  | AES-256-GCM ciphertext + 16-byte tag of the JSON snapshot; everything above is the AAD |
//! | 32 | SHA-256 of everything above (tells damage apart from a wrong passphrase) |

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

use super::crypto::{self, KdfParams, NONCE_BYTES, SALT_LEN};
use super::StoreError;
use holdfast_domain::records::{
    BreakEntry, Checkin, EventTime, NaloxoneKit, SafetyPlan, Stored, SupportPerson, Trigger,
    UseEntry, Visit,
};

/// First bytes of every backup file.
pub const MAGIC: &[u8; 16] = b"HOLDFAST-BACKUP\n";
/// The format version this build writes and the newest it reads. Version 2 (schema 4) added
/// triggers, support people, the safety plan, naloxone kits and the fuller check-in; a version 1
/// file is read with those empty (and check-ins with their new answers unanswered). The binary
/// layout is the same; the bump makes older apps say "made by a newer version" instead of
/// failing on fields they do not know. Version 3 (schema 5) added peer visits; older files are
/// read with none.
pub const FORMAT_VERSION: u16 = 3;
const HEADER_LEN: usize = 16 + 2 + 12 + SALT_LEN + NONCE_BYTES + 8;
const HASH_LEN: usize = 32;
/// Largest backup we accept. The ten-year benchmark journal is 1.3 MB as a backup, so 32 MiB
/// leaves room for a journal many times fuller, while a crafted file cannot make the app read,
/// hash and decrypt hundreds of megabytes (security review M2).
pub const MAX_BACKUP_BYTES: usize = 32 * 1024 * 1024;

/// Everything in the journal, as it goes into a backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub schema_version: u32,
    pub exported_at: DateTime<Utc>,
    pub uses: Vec<Stored<UseEntry>>,
    pub breaks: Vec<Stored<BreakEntry>>,
    pub checkins: Vec<Stored<Checkin>>,
    pub settings: Vec<(String, String)>,
    /// Format 2 on (missing in format 1 files).
    #[serde(default)]
    pub triggers: Vec<Stored<Trigger>>,
    #[serde(default)]
    pub support_people: Vec<Stored<SupportPerson>>,
    #[serde(default)]
    pub safety_plan: SafetyPlan,
    #[serde(default)]
    pub naloxone_kits: Vec<Stored<NaloxoneKit>>,
    /// Format 3 on.
    #[serde(default)]
    pub visits: Vec<Stored<Visit>>,
}

/// What a backup holds, shown before anything is restored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BackupSummary {
    pub format_version: u16,
    pub exported_at: DateTime<Utc>,
    pub uses: u32,
    pub breaks: u32,
    pub checkins: u32,
    pub settings: u32,
    pub triggers: u32,
    pub support_people: u32,
    /// Lines on the safety plan (the making-things-safer answers not counted).
    pub plan_items: u32,
    pub naloxone_kits: u32,
    /// Peer visits (format 3 on; 0 in older files).
    pub visits: u32,
    /// Earliest local calendar day any record is about.
    pub first_date: Option<NaiveDate>,
    /// Latest local calendar day any record is about.
    pub last_date: Option<NaiveDate>,
}

fn local_date(at: &EventTime) -> NaiveDate {
    (at.utc + chrono::Duration::seconds(i64::from(at.offset_seconds))).date_naive()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Snapshot {
    /// Counts and date range, for a file of format `format_version`.
    pub fn summary(&self, format_version: u16) -> BackupSummary {
        let dates = self
            .uses
            .iter()
            .map(|u| local_date(&u.record.at))
            .chain(
                self.breaks
                    .iter()
                    .flat_map(|b| std::iter::once(b.record.start).chain(b.record.end)),
            )
            .chain(self.checkins.iter().map(|c| c.record.date))
            .chain(self.visits.iter().map(|v| v.record.local_date()));
        let (mut first, mut last) = (None::<NaiveDate>, None::<NaiveDate>);
        for d in dates {
            first = Some(first.map_or(d, |f| f.min(d)));
            last = Some(last.map_or(d, |l| l.max(d)));
        }
        BackupSummary {
            format_version,
            exported_at: self.exported_at,
            uses: count(self.uses.len()),
            breaks: count(self.breaks.len()),
            checkins: count(self.checkins.len()),
            settings: count(self.settings.len()),
            triggers: count(self.triggers.len()),
            support_people: count(self.support_people.len()),
            plan_items: count(self.safety_plan.items().count()),
            naloxone_kits: count(self.naloxone_kits.len()),
            visits: count(self.visits.len()),
            first_date: first,
            last_date: last,
        }
    }
}

fn header(
    version: u16,
    params: KdfParams,
    salt: &[u8; SALT_LEN],
    nonce: &[u8; NONCE_BYTES],
    ct_len: u64,
) -> Vec<u8> {
    let mut h = Vec::with_capacity(HEADER_LEN);
    h.extend_from_slice(MAGIC);
    h.extend_from_slice(&version.to_be_bytes());
    h.extend_from_slice(&params.m_kib.to_be_bytes());
    h.extend_from_slice(&params.t.to_be_bytes());
    h.extend_from_slice(&params.p.to_be_bytes());
    h.extend_from_slice(salt);
    h.extend_from_slice(nonce);
    h.extend_from_slice(&ct_len.to_be_bytes());
    h
}

/// Checks the passphrase chosen for a new backup.
pub fn check_backup_passphrase(passphrase: &str) -> Result<(), StoreError> {
    super::check_new_passphrase("backup passphrase", passphrase)
}

/// Seals `snapshot` under a key derived from `passphrase`.
pub fn seal(
    snapshot: &Snapshot,
    passphrase: &str,
    params: KdfParams,
) -> Result<Vec<u8>, StoreError> {
    check_backup_passphrase(passphrase)?;
    let plain = Zeroizing::new(
        serde_json::to_vec(snapshot).map_err(|_| StoreError::Internal("backup encoding"))?,
    );
    seal_bytes(&plain, FORMAT_VERSION, passphrase, params)
}

/// Seals already-encoded snapshot JSON under a header of `version`. Tests use it to make files
/// of older formats.
pub(crate) fn seal_bytes(
    plain: &[u8],
    version: u16,
    passphrase: &str,
    params: KdfParams,
) -> Result<Vec<u8>, StoreError> {
    let mut salt = [0u8; SALT_LEN];
    crypto::fill_random(&mut salt)?;
    let key = params.derive(
        holdfast_domain::passphrase::normalized(passphrase).as_bytes(),
        &salt,
    )?;
    // The nonce is part of the AAD, so pick it first, then seal with exactly that nonce.
    let mut nonce = [0u8; NONCE_BYTES];
    crypto::fill_random(&mut nonce)?;
    let ct_len = u64::try_from(plain.len() + crypto::TAG_LEN)
        .map_err(|_| StoreError::Internal("backup size"))?;
    let mut out = header(version, params, &salt, &nonce, ct_len);
    let ct = crypto::seal_with_nonce(&key, nonce, &out, plain)?;
    out.extend_from_slice(&ct);
    let hash = ring::digest::digest(&ring::digest::SHA256, &out);
    out.extend_from_slice(hash.as_ref());
    Ok(out)
}

fn take<const N: usize>(bytes: &[u8], at: &mut usize) -> Result<[u8; N], StoreError> {
    let end = at.checked_add(N).ok_or_else(truncated)?;
    let slice = bytes.get(*at..end).ok_or_else(truncated)?;
    *at = end;
    slice.try_into().map_err(|_| truncated())
}

fn truncated() -> StoreError {
    StoreError::BackupDamaged("it is cut short".to_owned())
}

/// Parses, authenticates and decrypts a backup; returns the snapshot and the file's format
/// version. Never panics, whatever the bytes. Key-derivation parameters are checked before any
/// work is done: only what this app could have written (at most [`KdfParams::MAX_M_KIB`],
/// [`KdfParams::MAX_T`], [`KdfParams::MAX_P`]; at least `min_kdf`).
pub fn open(
    bytes: &[u8],
    passphrase: &str,
    min_kdf: &KdfParams,
) -> Result<(Snapshot, u16), StoreError> {
    if bytes.len() > MAX_BACKUP_BYTES {
        return Err(StoreError::BackupTooLarge);
    }
    if bytes.len() < MAGIC.len() || bytes.get(..MAGIC.len()) != Some(&MAGIC[..]) {
        return Err(StoreError::NotABackup);
    }
    let mut at = MAGIC.len();
    let version = u16::from_be_bytes(take::<2>(bytes, &mut at)?);
    if version > FORMAT_VERSION {
        return Err(StoreError::BackupNewerVersion);
    }
    if version == 0 {
        return Err(StoreError::BackupDamaged(
            "its version field is wrong".to_owned(),
        ));
    }
    let params = KdfParams {
        m_kib: u32::from_be_bytes(take::<4>(bytes, &mut at)?),
        t: u32::from_be_bytes(take::<4>(bytes, &mut at)?),
        p: u32::from_be_bytes(take::<4>(bytes, &mut at)?),
    };
    // Before anything else is computed: the header is not authenticated until the key is
    // derived, so a crafted file could otherwise ask for a gigabyte and a minute of work.
    params
        .check_read(min_kdf)
        .map_err(|_| StoreError::BackupUnusualSettings)?;
    let salt = take::<SALT_LEN>(bytes, &mut at)?;
    let nonce = take::<NONCE_BYTES>(bytes, &mut at)?;
    let ct_len = u64::from_be_bytes(take::<8>(bytes, &mut at)?);
    let ct_len = usize::try_from(ct_len).map_err(|_| truncated())?;
    let ct_end = at.checked_add(ct_len).ok_or_else(truncated)?;
    let total = ct_end.checked_add(HASH_LEN).ok_or_else(truncated)?;
    if bytes.len() < total {
        return Err(truncated());
    }
    if bytes.len() > total {
        return Err(StoreError::BackupDamaged(
            "it has extra bytes at the end".to_owned(),
        ));
    }
    let (body, hash) = bytes.split_at(ct_end);
    if ring::digest::digest(&ring::digest::SHA256, body).as_ref() != hash {
        return Err(StoreError::BackupDamaged(
            "it was changed or damaged after it was made".to_owned(),
        ));
    }
    let (aad, ct) = body.split_at(at);
    if passphrase.len() > holdfast_domain::passphrase::MAX_PASSPHRASE_BYTES {
        return Err(StoreError::BackupWrongPassphrase);
    }
    let mut opened = None;
    for form in holdfast_domain::passphrase::forms_to_try(passphrase) {
        let key = params.derive(form.as_bytes(), &salt)?;
        if let Some(plain) = crypto::open(&key, &nonce, aad, ct)? {
            opened = Some(plain);
            break;
        }
    }
    let plain = opened.ok_or(StoreError::BackupWrongPassphrase)?;
    let snapshot = serde_json::from_slice::<Snapshot>(&plain)
        .map_err(|_| StoreError::BackupDamaged("its content could not be read".to_owned()))?;
    Ok((snapshot, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHEAP: KdfParams = KdfParams::INSECURE_FOR_TESTS;

    fn empty() -> Snapshot {
        Snapshot {
            schema_version: 3,
            exported_at: DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
            uses: vec![],
            breaks: vec![],
            checkins: vec![],
            settings: vec![("a".into(), "b".into())],
            triggers: vec![],
            support_people: vec![],
            safety_plan: SafetyPlan::default(),
            naloxone_kits: vec![],
            visits: vec![],
        }
    }

    /// A backup made with a decomposed accented passphrase opens with the composed one, and one
    /// sealed from the decomposed bytes as typed (before normalisation) still opens with either.
    #[test]
    fn accented_backup_passphrases_open_in_either_form() -> Result<(), StoreError> {
        let (composed, decomposed) = ("caf\u{e9} au lait 1982", "cafe\u{301} au lait 1982");
        let bytes = seal(&empty(), decomposed, CHEAP)?;
        let (back, _) = open(&bytes, composed, &CHEAP)?;
        assert_eq!(back.settings, empty().settings);
        let plain = serde_json::to_vec(&empty()).map_err(|_| StoreError::Internal("json"))?;
        let mut salt = [0u8; SALT_LEN];
        crypto::fill_random(&mut salt)?;
        let mut nonce = [0u8; NONCE_BYTES];
        crypto::fill_random(&mut nonce)?;
        let key = CHEAP.derive(decomposed.as_bytes(), &salt)?;
        let ct_len = u64::try_from(plain.len() + crypto::TAG_LEN)
            .map_err(|_| StoreError::Internal("size"))?;
        let mut old = header(FORMAT_VERSION, CHEAP, &salt, &nonce, ct_len);
        let ct = crypto::seal_with_nonce(&key, nonce, &old, &plain)?;
        old.extend_from_slice(&ct);
        let hash = ring::digest::digest(&ring::digest::SHA256, &old);
        old.extend_from_slice(hash.as_ref());
        for typed in [composed, decomposed] {
            assert!(open(&old, typed, &CHEAP).is_ok(), "{typed:?}");
        }
        assert!(matches!(
            open(&old, "cafe au lait 1982", &CHEAP),
            Err(StoreError::BackupWrongPassphrase)
        ));
        Ok(())
    }

    /// A backup holding two open visits (which no store can hold) is refused, and the
    /// journal it would have replaced is untouched.
    #[test]
    fn a_backup_with_two_open_visits_is_refused() -> Result<(), Box<dyn std::error::Error>> {
        use crate::{Store, StoreOptions};
        use holdfast_domain::records::{EventTime, Visit};
        let at = |secs: i64| -> Result<EventTime, &'static str> {
            Ok(EventTime {
                utc: DateTime::<Utc>::from_timestamp(secs, 0).ok_or("time")?,
                offset_seconds: 0,
            })
        };
        let mut snap = empty();
        snap.schema_version = crate::db::latest_version();
        snap.visits = vec![
            Stored {
                id: 1,
                record: Visit::start(at(1_699_000_000)?),
            },
            Stored {
                id: 2,
                record: Visit::start(at(1_699_000_100)?),
            },
        ];
        let bytes = seal(&snap, "backup pass 1", KdfParams::INSECURE_FOR_TESTS)?;
        let dir = tempfile::tempdir()?;
        let options = StoreOptions::with_kdf(KdfParams::INSECURE_FOR_TESTS);
        let (mut store, _) = Store::create(dir.path(), "store pass 1", options.clone())?;
        let kept = store.start_visit(at(1_699_500_000)?)?;
        assert!(matches!(
            crate::inspect_backup(&bytes, "backup pass 1", &options),
            Err(StoreError::BackupDamaged(_))
        ));
        assert!(matches!(
            store.import_backup(&bytes, "backup pass 1"),
            Err(StoreError::BackupDamaged(_))
        ));
        assert_eq!(store.list_visits()?, vec![kept]);
        // One open visit is fine.
        snap.visits.truncate(1);
        let bytes = seal(&snap, "backup pass 1", KdfParams::INSECURE_FOR_TESTS)?;
        assert_eq!(store.import_backup(&bytes, "backup pass 1")?.visits, 1);
        Ok(())
    }

    /// A backup dated far in the future cannot carry future-dated records past the checks
    /// (security review L8); one from a device a few minutes ahead still restores.
    #[test]
    fn a_future_dated_backup_does_not_let_future_records_in(
    ) -> Result<(), Box<dyn std::error::Error>> {
        use crate::{Store, StoreOptions};
        let file = |exported: &str, used: &str| {
            format!(
                r#"{{"schema_version": 3, "exported_at": "{exported}",
                "uses": [{{"id": 4, "record": {{"at": {{"utc": "{used}", "offset_seconds": 0}}, "substance": null, "note": null}}}}],
                "breaks": [], "checkins": [], "settings": []}}"#
            )
        };
        let dir = tempfile::tempdir()?;
        let options = StoreOptions::with_kdf(KdfParams::INSECURE_FOR_TESTS);
        let (mut store, _) = Store::create(dir.path(), "store pass 1", options.clone())?;
        let fmt = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let in_two_days = fmt(Utc::now() + chrono::Duration::days(2));
        let far = seal_bytes(
            file("2999-01-01T00:00:00Z", &in_two_days).as_bytes(),
            1,
            "backup pass 1",
            KdfParams::INSECURE_FOR_TESTS,
        )?;
        assert!(matches!(
            crate::inspect_backup(&far, "backup pass 1", &options),
            Err(StoreError::BackupDamaged(_))
        ));
        assert!(matches!(
            store.import_backup(&far, "backup pass 1"),
            Err(StoreError::BackupDamaged(_))
        ));
        assert!(store.list_uses()?.is_empty());
        let soon = Utc::now() + chrono::Duration::minutes(5);
        let ahead = seal_bytes(
            file(&fmt(soon), &fmt(soon - chrono::Duration::minutes(1))).as_bytes(),
            1,
            "backup pass 1",
            KdfParams::INSECURE_FOR_TESTS,
        )?;
        assert_eq!(store.import_backup(&ahead, "backup pass 1")?.uses, 1);
        Ok(())
    }

    /// A format 1 file (schema 3: no trigger list, plan, people or kits, and check-ins without
    /// the newer answers) still imports, with those empty and unanswered.
    #[test]
    fn a_format_1_backup_still_imports() -> Result<(), Box<dyn std::error::Error>> {
        use crate::{Store, StoreOptions};
        let json = r#"{
            "schema_version": 3,
            "exported_at": "2025-01-02T03:04:05Z",
            "uses": [{"id": 4, "record": {"at": {"utc": "2025-01-01T20:00:00Z", "offset_seconds": 0}, "substance": "heroin", "note": null}}],
            "breaks": [],
            "checkins": [{"id": 7, "record": {"date": "2025-01-01", "cravings": 5, "mood": 2, "note": "old", "recorded": {"utc": "2025-01-01T21:00:00Z", "offset_seconds": 0}}}],
            "settings": [["region", "ie"]]
        }"#;
        let bytes = seal_bytes(
            json.as_bytes(),
            1,
            "backup pass 1",
            KdfParams::INSECURE_FOR_TESTS,
        )?;
        let (snap, version) = open(&bytes, "backup pass 1", &CHEAP)?;
        assert_eq!((version, snap.triggers.len()), (1, 0));
        let dir = tempfile::tempdir()?;
        let options = StoreOptions::with_kdf(KdfParams::INSECURE_FOR_TESTS);
        let (mut store, _) = Store::create(dir.path(), "store pass 1", options)?;
        let summary = store.import_backup(&bytes, "backup pass 1")?;
        assert_eq!(summary.format_version, 1);
        assert_eq!(
            (summary.uses, summary.checkins, summary.plan_items),
            (1, 1, 0)
        );
        let c = store.get_checkin(7)?.record;
        assert_eq!((c.cravings, c.sleep, c.naloxone_with_me), (5, None, None));
        assert!(c.triggers.is_empty() && c.warning_signs.is_empty() && !c.used_since_last);
        assert_eq!(store.safety_plan()?, SafetyPlan::default());
        // A field no version ever wrote is still refused.
        let odd = json.replacen("\"breaks\"", "\"surprise\": 1, \"breaks\"", 1);
        let bytes = seal_bytes(
            odd.as_bytes(),
            1,
            "backup pass 1",
            KdfParams::INSECURE_FOR_TESTS,
        )?;
        assert!(matches!(
            open(&bytes, "backup pass 1", &CHEAP),
            Err(StoreError::BackupDamaged(_))
        ));
        Ok(())
    }

    #[test]
    fn seal_open_round_trip() -> Result<(), StoreError> {
        let bytes = seal(&empty(), "backup pass 1", KdfParams::INSECURE_FOR_TESTS)?;
        assert_eq!(
            open(&bytes, "backup pass 1", &CHEAP)?,
            (empty(), FORMAT_VERSION)
        );
        assert_eq!(
            open(&bytes, "backup pass 2", &CHEAP).err(),
            Some(StoreError::BackupWrongPassphrase)
        );
        assert_eq!(
            open(b"hello", "x", &CHEAP).err(),
            Some(StoreError::NotABackup)
        );
        let mut newer = bytes.clone();
        newer[17] = 4;
        assert_eq!(
            open(&newer, "backup pass 1", &CHEAP).err(),
            Some(StoreError::BackupNewerVersion)
        );
        // A forger who also recomputes the trailing hash still cannot get past AES-GCM.
        let mut forged = bytes.clone();
        let at = HEADER_LEN + 3;
        forged[at] ^= 0x01;
        let end = forged.len() - HASH_LEN;
        let hash = ring::digest::digest(&ring::digest::SHA256, &forged[..end]);
        forged[end..].copy_from_slice(hash.as_ref());
        assert_eq!(
            open(&forged, "backup pass 1", &CHEAP).err(),
            Some(StoreError::BackupWrongPassphrase)
        );
        for cut in 0..bytes.len() {
            assert!(open(&bytes[..cut], "backup pass 1", &CHEAP).is_err());
        }
        Ok(())
    }
}
