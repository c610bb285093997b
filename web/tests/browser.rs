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
    let expected = layerlab_web::engine::parse_view(layerlab_lesson::starter::DOCKERFILE);
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

/// With no build worker on the page (this test page has no `index.html` to start one),
/// a build runs on this thread through the same client, and the page says so.
#[wasm_bindgen_test]
async fn without_a_worker_builds_run_on_the_main_thread() {
    use wasm_bindgen::JsCast;
    let host = mount();
    settle().await;
    let root = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .document_element()
        .unwrap();
    assert_eq!(
        root.get_attribute("data-engine").as_deref(),
        Some("main-thread")
    );
    let build: web_sys::HtmlElement = host
        .query_selector("#top-build")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    build.click();
    settle().await;
    let summary = host.query_selector("#build-summary").unwrap().unwrap();
    let text = summary.text_content().unwrap();
    assert!(text.contains("0 of 5 steps cached"), "{text}");
    let status = host.query_selector("#engine-status").unwrap().unwrap();
    assert_eq!(status.text_content().unwrap(), "");
    let pane = host
        .query_selector("section.pane[aria-busy]")
        .unwrap()
        .unwrap();
    assert_eq!(pane.get_attribute("aria-busy").as_deref(), Some("false"));
}
