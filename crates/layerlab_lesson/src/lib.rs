//! Lessons as tested Markdown: a short tutorial (a Dockerfile and a project, then builds
//! with scripted edits between them) whose every claim ("steps 1-4 come from the cache",
//! "the image is 150MB") is an expectation checked against the engine.
//!
//! The same format describes the engine's scenario tests (`tests/scenarios`); the
//! lessons the page offers live in `lessons/` at the repository root and are embedded
//! here ([`lessons`]), so the page, the native tests and the wasm tests read the same
//! files.
//!
//! * [`format`]: the strict parser ([`parse`] → [`Scenario`]).
//! * [`project`]: the project state a lesson's edits change, and the context it sends.
//! * [`options`]: a build's `docker build` flags.
//! * [`check`]: each expectation against a `BuildOutput`, with a readable verdict.
//! * [`session`]: a lesson's builds in order on one cache.
//!
//! IO-free: hosts pass base images and the RUN simulator in ([`session::Services`]).

pub mod check;
pub mod format;
pub mod options;
pub mod project;
pub mod session;
pub mod starter;

pub use check::{check_build, Outcome};
pub use format::{parse, BuildSpec, Scenario};
pub use project::Project;
pub use session::{BuildResult, Services, Session};

/// One embedded lesson file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lesson {
    /// Stable id: the file stem under `lessons/` (share links and the page use it).
    pub id: &'static str,
    /// The Markdown source.
    pub source: &'static str,
}

impl Lesson {
    /// The `# title` (the whole first line when it has no heading marker; [`parse`]
    /// reports that as an error).
    pub fn title(&self) -> &'static str {
        let first = self.source.lines().next().unwrap_or("");
        first.strip_prefix("# ").unwrap_or(first).trim()
    }

    /// Parses the lesson; errors are `id:line: message`.
    pub fn parse(&self) -> Result<Scenario, String> {
        parse(self.id, self.source)
    }

    /// The first paragraph of the explanation (empty if the lesson does not parse).
    pub fn summary(&self) -> String {
        self.parse()
            .map(|s| s.summary().to_string())
            .unwrap_or_default()
    }
}

macro_rules! lessons {
    ($($id:literal),* $(,)?) => {
        /// Every lesson, in the order the page lists them (a learning path).
        static LESSONS: &[Lesson] = &[
            $(Lesson { id: $id, source: include_str!(concat!("../../../lessons/", $id, ".md")) },)*
        ];
    };
}

lessons![
    "node-first-app",
    "python-app",
    "cache-friendly-order",
    "dockerignore",
    "apt-cleanup-same-layer",
    "apt-no-install-recommends",
    "non-root-user",
    "go-multistage",
    "java-maven-multistage",
];

/// Every lesson, in learning order.
pub fn lessons() -> &'static [Lesson] {
    LESSONS
}

/// The lesson with this id.
pub fn lesson(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// What the page relies on: every lesson parses, has a title and a summary, a
    /// unique id usable in a URL, and a title for each build.
    #[test]
    fn every_lesson_parses_and_explains_itself() {
        let mut ids = std::collections::BTreeSet::new();
        for l in lessons() {
            assert!(ids.insert(l.id), "duplicate id {}", l.id);
            assert!(
                l.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                l.id
            );
            let sc = l.parse().unwrap();
            assert_eq!(sc.title, l.title());
            assert!(!l.summary().is_empty(), "{} has no summary", l.id);
            for b in &sc.builds {
                assert!(
                    b.title.is_some(),
                    "{}:{}: a lesson build needs a title",
                    l.id,
                    b.line
                );
            }
        }
        assert_eq!(lesson("dockerignore").map(|l| l.id), Some("dockerignore"));
        assert!(lesson("nope").is_none());
    }
}
