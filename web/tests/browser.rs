#![cfg(target_arch = "wasm32")]
//! Component tests: the real [`layerlab_web::App`] mounted in headless Chromium.

use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> web_sys::Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let host = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&host).unwrap();
    yew::Renderer::<layerlab_web::App>::with_root(host.clone()).render();
    host
}

async fn settle() {
    yew::platform::time::sleep(std::time::Duration::from_millis(50)).await;
}

#[wasm_bindgen_test]
async fn app_lists_the_starter_instructions() {
    let host = mount();
    settle().await;
    let rows = host.query_selector_all("tr.instruction").unwrap();
    let expected = layerlab_web::engine::parse_view(layerlab_web::engine::STARTER_DOCKERFILE);
    assert_eq!(rows.length() as usize, expected.instructions.len());
    let first = host
        .query_selector("tr.instruction .keyword")
        .unwrap()
        .unwrap();
    assert_eq!(first.text_content().unwrap(), "FROM");
}

#[wasm_bindgen_test]
async fn editing_the_textarea_reparses() {
    use wasm_bindgen::JsCast;
    let host = mount();
    settle().await;
    let area: web_sys::HtmlTextAreaElement = host
        .query_selector("#editor")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    area.set_value("FROM scratch\nCOPY a b\n");
    let event = web_sys::InputEvent::new("input").unwrap();
    area.dispatch_event(&event).unwrap();
    settle().await;
    let keywords: Vec<String> = (0..)
        .map_while(|i| host.query_selector_all(".keyword").unwrap().get(i))
        .map(|n| n.text_content().unwrap())
        .collect();
    assert_eq!(keywords, ["FROM", "COPY"]);
}
