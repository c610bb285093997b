//! Short texts from the core with Markdown's inline code: `` `COPY . .` `` becomes
//! `<code>COPY . .</code>`. Reasons, verdicts, help and lesson text all quote paths and
//! instructions this way; shown raw, the backticks were noise.

use yew::prelude::*;

/// `text` with each backtick-quoted span as `<code>`; an unpaired backtick stays as it is.
pub fn code_spans(text: &str) -> Html {
    html! {
        <>{ for spans(text).into_iter().map(|(code, part)| if code {
            html! { <code>{ part }</code> }
        } else {
            html! { { part } }
        }) }</>
    }
}

/// The pieces of `text`: (is code, text). Backticks pair up from the left; an odd last
/// one is text, backtick included.
fn spans(text: &str) -> Vec<(bool, String)> {
    let parts: Vec<&str> = text.split('`').collect();
    // An odd number of backticks (an even number of parts): the last one is unpaired.
    let unpaired = parts.len().is_multiple_of(2);
    let last = parts.len() - 1;
    parts
        .iter()
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(i, part)| match (i % 2, unpaired && i == last) {
            (_, true) => (false, format!("`{part}")),
            (1, _) => (true, (*part).to_string()),
            _ => (false, (*part).to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::spans;

    #[test]
    fn backticks_pair_into_code_and_a_lone_one_stays_text() {
        let t = |s: &str| (false, s.to_string());
        let c = |s: &str| (true, s.to_string());
        assert_eq!(
            spans("add `USER app` here"),
            [t("add "), c("USER app"), t(" here")]
        );
        assert_eq!(spans("`a` and `b`"), [c("a"), t(" and "), c("b")]);
        assert_eq!(spans("no code"), [t("no code")]);
        assert_eq!(spans("a `b` c `d"), [t("a "), c("b"), t(" c "), t("`d")]);
        assert_eq!(spans(""), []);
    }
}
