import '@testing-library/jest-dom/vitest';

// jsdom has no layout, so no ResizeObserver (Svelte's bind:clientHeight needs one).
// Nothing is ever resized here, so an observer that never reports is faithful enough.
if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}

// The app loads its side panels on first use (`import()` in App.svelte). Their first import in a
// test run transforms the module (hundreds of ms on a busy machine), which would count against
// a test's 1 s `waitFor`: load them before the tests, as a browser has them cached.
await Promise.all([
  import('../src/lib/components/ProjectSearch.svelte'),
  import('../src/lib/components/SettingsPanel.svelte'),
  import('../src/lib/components/Waveform.svelte'),
]);
