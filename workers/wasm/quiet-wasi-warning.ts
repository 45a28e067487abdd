/**
 * @module workers/wasm/quiet-wasi-warning
 * Drops node:wasi's "experimental" warning in WebAssembly server threads: Extism loads node:wasi
 * in every thread (it is used on purpose, only for preopens), and each thread would print the
 * same line to stderr. Node prints warnings from a 'warning' listener of its own: this wraps
 * those listeners and passes every other warning on. Imported first by the thread entry.
 */
const printers = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'ExperimentalWarning' && warning.message.includes('WASI')) return;
  for (const print of printers) print(warning);
});

export {};
