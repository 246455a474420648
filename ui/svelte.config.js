import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Styles go to a .css file, never to inline <style> injected at run time (CSP: style-src 'self').
    css: 'external',
  },
};
