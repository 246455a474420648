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

export type ErrorCode = "invalid_input" | "data_dir" | "internal";

export type IpcError = { code: ErrorCode, message: string, };
