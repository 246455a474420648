// Just after the first frame has been painted (a frame callback runs before the paint; a message
// posted from it is handled after), tell Rust, as Holdfast's ui/src/lib/startup.ts does
// (scripts/measure-baseline.py reads the line Rust prints).
requestAnimationFrame(() => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    window.__TAURI_INTERNALS__.invoke('first_render').catch(() => undefined);
  };
  channel.port2.postMessage(null);
});
