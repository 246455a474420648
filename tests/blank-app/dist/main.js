// Two frames after the page script ran, the first screen has been painted: tell Rust, as
// Holdfast's ui/src/main.ts does (scripts/measure-baseline.py reads the line Rust prints).
requestAnimationFrame(() =>
  requestAnimationFrame(() => {
    window.__TAURI_INTERNALS__.invoke('first_render').catch(() => undefined);
  }),
);
