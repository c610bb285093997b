// The page's build worker: the playground's own wasm module, posted by index.html
// already compiled (nothing is downloaded twice), instantiated here without the app
// (main() mounts nothing where there is no window). Each message after the module is
// an encoded request (engine/wire.rs); the answer goes back as bytes, transferred.
// The worker keeps its own build cache for the page's lifetime, so messages are
// served strictly in order.
import init, { worker_handle } from './layerlab_web.js';

let ready = null;

self.onmessage = async (e) => {
  if (e.data instanceof WebAssembly.Module) {
    ready = init({ module_or_path: e.data });
    try {
      await ready;
      self.postMessage('ready');
    } catch (err) {
      self.postMessage({ error: `${err}`, starting: true });
    }
    return;
  }
  try {
    if (!ready) throw new Error('a request came before the module');
    await ready;
    const out = worker_handle(e.data);
    self.postMessage(out, [out.buffer]);
  } catch (err) {
    // A trap leaves this instance unusable: the page takes over (see engine/client.rs).
    self.postMessage({ error: String(err) });
  }
};
