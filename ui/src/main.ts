import { mount } from 'svelte';
import App from './App.svelte';
import { firstRender } from './lib/ipc';
import './styles/tokens.css';
import './styles/base.css';

const target = document.getElementById('app');
if (target) {
  mount(App, { target });
  // Two frames later the first screen has been painted: tell Rust (start-up measurement).
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      firstRender().catch(() => undefined);
    }),
  );
}
