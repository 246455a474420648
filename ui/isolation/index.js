// The isolation application (Tauri's isolation pattern). Every IPC message from the UI passes
// through this sandboxed frame and is encrypted before it reaches Rust, so a script injected into
// the UI cannot forge IPC traffic. What may be called is decided by the capability file
// (src-tauri/capabilities/main-window.json) and each command validates its own input in Rust, so
// the hook passes messages on unchanged.
window.__TAURI_ISOLATION_HOOK__ = (payload) => payload;
