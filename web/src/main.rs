//! Entry point of the playground's wasm binary: mounts [`layerlab_web::App`] on `<body>`.

fn main() {
    yew::Renderer::<layerlab_web::App>::new().render();
}
