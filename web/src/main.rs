//! Entry point of the playground's wasm binary: mounts [`layerlab_web::App`] on `<body>`.
//!
//! The build worker instantiates this same module (its start function runs there too):
//! a worker has no window, so there it mounts nothing and only serves
//! `worker_handle` calls.

fn main() {
    if web_sys::window().is_some() {
        yew::Renderer::<layerlab_web::App>::new().render();
    }
}
