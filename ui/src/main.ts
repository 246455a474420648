import { mount } from 'svelte';
import App from './App.svelte';
import { reportFirstScreen } from './lib/ipc';
import { mark } from './lib/startup';
import { parseRoute } from './lib/router';
import './styles/tokens.css';
import './styles/base.css';

const target = document.getElementById('app');
mark('script started');
if (target) {
  mount(App, { target });
  mark('mounted');
  // Home and the overdose response report their first screen themselves, once the button or the
  // first step is there; any other first page is ready once mounted.
  const first = parseRoute(window.location.hash).name;
  if (first !== 'home' && first !== 'emergency') reportFirstScreen();
}
