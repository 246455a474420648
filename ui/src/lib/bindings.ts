// Generated from the Rust types in core/ by ts-rs. Do not edit by hand:
// run `UPDATE_BINDINGS=1 cargo test -p holdfast-core bindings` instead.

export type AppInfo = { 
/**
 * The app's version, from the workspace manifest (for example `0.1.0`).
 */
version: string, 
/**
 * `debug` or `release`.
 */
profile: string, 
/**
 * The short git commit the build came from, or `unknown` when built outside a checkout.
 */
commit: string, 
/**
 * The target the binary was built for (for example `x86_64-linux`).
 */
target: string, 
/**
 * The data folder in use, or `None` when it could not be used (see `dataDirError`).
 */
dataDir: string | null, 
/**
 * Why the data folder could not be used, in words a person can act on.
 */
dataDirError: string | null, };

export type ErrorCode = "invalid_input" | "data_dir" | "internal" | "already_exists" | "not_created" | "wrong_passphrase" | "wrong_recovery_code" | "damaged" | "newer_version" | "locked" | "storage_full" | "storage" | "not_found" | "conflict";

export type IpcError = { code: ErrorCode, message: string, };

export type Status = { "state": "first_run" } | { "state": "locked" } | { "state": "damaged", reason: string, };

export type EventTime = { 
/**
 * The instant, in UTC (RFC 3339 in JSON).
 */
utc: string, 
/**
 * The local offset from UTC at that moment, in seconds east of Greenwich.
 */
offset_seconds: number, };

export type Substance = "heroin" | "fentanyl" | "pills" | "other_opioid" | "benzodiazepines" | "alcohol" | "stimulants" | "other";

export type UseEntry = { at: EventTime, substance: Substance | null, 
/**
 * Private note, at most `MAX_NOTE_CHARS` characters.
 */
note: string | null, };

export type BreakKind = { "kind": "prison_release" } | { "kind": "detox_discharge" } | { "kind": "residential_treatment_discharge" } | { "kind": "hospital_discharge" } | { "kind": "stopped_methadone" } | { "kind": "stopped_buprenorphine" } | { "kind": "stopped_naltrexone" } | { "kind": "missed_methadone_doses", days: number, } | { "kind": "missed_buprenorphine_doses", days: number, } | { "kind": "paused_prescribed_opioid" } | { "kind": "paused_prescribed_benzodiazepine" };

export type BreakEntry = { kind: BreakKind, 
/**
 * First local calendar day of the break.
 */
start: string, 
/**
 * Last local calendar day (release, discharge...); `None` while it goes on.
 */
end: string | null, note: string | null, };

export type Checkin = { 
/**
 * The local calendar day it is about (one check-in per day).
 */
date: string, 
/**
 * 0 (none) to 10 (overwhelming).
 */
cravings: number, 
/**
 * 1 (very low) to 5 (very good).
 */
mood: number, note: string | null, 
/**
 * When it was written.
 */
recorded: EventTime, };

export type RecordKind = "use" | "break" | "checkin";

export type Stored<T> = { id: number, record: T, };

export type BackupSummary = { format_version: number, exported_at: string, uses: number, breaks: number, checkins: number, settings: number, 
/**
 * Earliest local calendar day any record is about.
 */
first_date: string | null, 
/**
 * Latest local calendar day any record is about.
 */
last_date: string | null, };
