//! `whatif::what_if` must predict exactly what the real rebuild then does: for each
//! scenario, build once, predict an edit (checking the real cache is untouched), make a
//! real edit of the same thing, rebuild for real, and compare step by step: which steps
//! rebuild, and which step each cascaded rebuild is blamed on. Real catalog images and
//! the real RUN simulator.

use layerlab_build::bases::CatalogBases;
use layerlab_build::cache::{causes, CacheStore};
use layerlab_build::engine::{build, BuildOptions, BuildOutput, BuildRequest};
use layerlab_build::runner::ShellRunner;
use layerlab_build::whatif::{what_if, Edit, Prediction};
use layerlab_text::TextSize;
use layerlab_vfs::{Content, Fs, Meta, VfsPath};

const NODE: &str = "\
FROM node:20-alpine
WORKDIR /app
ENV NODE_ENV=production
COPY package*.json ./
RUN npm ci
COPY . .
RUN echo built > /app/built.txt
LABEL org.opencontainers.image.title=hello
CMD [\"node\", \"server.js\"]
";

const PACKAGE: &str = "{\"name\":\"hello\",\"version\":\"1.0.0\",\"dependencies\":{}}\n";
const LOCK: &str = "{\"name\":\"hello\",\"lockfileVersion\":3,\"packages\":{\"\":{\"name\":\"hello\",\"version\":\"1.0.0\"}}}\n";

fn node_files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("package.json", PACKAGE),
        ("package-lock.json", LOCK),
        ("server.js", "console.log('hi')\n"),
        ("src/app.js", "module.exports = 1\n"),
        ("README.md", "# hello\n"),
    ]
}

const MULTI: &str = "\
FROM alpine:3.19 AS build
WORKDIR /src
COPY main.c .
RUN mkdir -p /out && cp main.c /out/app
FROM alpine:3.19
COPY --from=build /out/app /usr/local/bin/app
COPY app.conf /etc/app.conf
";

fn multi_files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("main.c", "int main(){return 0;}\n"),
        ("app.conf", "port=1\n"),
        ("README.md", "# multi\n"),
    ]
}

const LINK: &str = "\
FROM alpine:3.19
COPY a.txt /a
COPY --link b.txt /b
RUN cat /a /b > /c
";

fn context(files: &[(&str, &str)]) -> Fs {
    let mut fs = Fs::new(Meta::new(0o755));
    for (path, text) in files {
        let path = VfsPath::new(&format!("/{path}"));
        if let Some(parent) = path.parent() {
            fs.mkdir_p(&parent, Meta::new(0o755)).unwrap();
        }
        fs.write_file(&path, Content::inline(text.as_bytes()), Meta::new(0o644))
            .unwrap();
    }
    fs
}

struct Project {
    dockerfile: String,
    context: Fs,
    /// Where the Dockerfile is in the context, when it is inside it (most tests leave
    /// it outside).
    dockerfile_path: Option<&'static str>,
    /// The ignore file excludes the Dockerfile: the context does not send it.
    dockerfile_ignored: bool,
}

impl Project {
    fn new(dockerfile: &str, files: &[(&str, &str)]) -> Project {
        Project {
            dockerfile: dockerfile.to_string(),
            context: context(files),
            dockerfile_path: None,
            dockerfile_ignored: false,
        }
    }

    /// The project with its Dockerfile at `Dockerfile` in the context.
    fn with_dockerfile_in_context(mut self) -> Project {
        self.dockerfile_path = Some("Dockerfile");
        self
    }

    /// The context the client sends: the files, and the Dockerfile as it is now.
    fn sent(&self) -> Fs {
        let mut sent = self.context.clone();
        if let Some(path) = self.dockerfile_path.filter(|_| !self.dockerfile_ignored) {
            sent.write_file(
                &VfsPath::new(path),
                Content::inline(self.dockerfile.as_bytes()),
                Meta::new(0o644),
            )
            .unwrap();
        }
        sent
    }
}

fn run(p: &Project, bases: &CatalogBases, cache: &mut CacheStore) -> BuildOutput {
    let excluded = |path: &str| {
        path.ends_with(".log")
            .then(|| "excluded by .dockerignore: *.log (line 1)".to_string())
    };
    let options = BuildOptions {
        epoch: 1_700_000_000,
        ..BuildOptions::default()
    };
    let sent = p.sent();
    let req = BuildRequest {
        dockerfile: &p.dockerfile,
        dockerfile_path: p.dockerfile_path,
        context: &sent,
        excluded: &excluded,
        options: &options,
        bases,
        runner: &ShellRunner,
    };
    let out = build(&req, cache);
    assert!(out.report.error.is_none(), "{:?}", out.report.error);
    out
}

fn predict(p: &Project, bases: &CatalogBases, cache: &CacheStore, edit: &Edit) -> Prediction {
    predict_with(p, bases, cache, edit, BuildOptions::default())
}

fn predict_with(
    p: &Project,
    bases: &CatalogBases,
    cache: &CacheStore,
    edit: &Edit,
    options: BuildOptions,
) -> Prediction {
    let excluded = |path: &str| {
        path.ends_with(".log")
            .then(|| "excluded by .dockerignore: *.log (line 1)".to_string())
    };
    let options = BuildOptions {
        epoch: 1_700_000_000,
        ..options
    };
    let sent = p.sent();
    let req = BuildRequest {
        dockerfile: &p.dockerfile,
        dockerfile_path: p.dockerfile_path,
        context: &sent,
        excluded: &excluded,
        options: &options,
        bases,
        runner: &ShellRunner,
    };
    let before = cache.clone();
    let prediction = what_if(&req, cache, edit);
    assert_eq!(*cache, before, "a prediction must not touch the cache");
    prediction
}

fn offset_of_line(text: &str, needle: &str) -> TextSize {
    TextSize::from(u32::try_from(text.find(needle).expect("line present")).unwrap())
}

/// Builds, predicts `edit`, applies `real` and rebuilds; the prediction must match the
/// rebuild step for step. Returns the prediction for scenario-specific checks.
fn assert_predicts(
    dockerfile: &str,
    files: &[(&str, &str)],
    edit: Edit,
    real: impl FnOnce(&mut Project),
) -> Prediction {
    assert_predicts_for(Project::new(dockerfile, files), edit, real)
}

/// [`assert_predicts`] for a project as given (its Dockerfile in the context, say).
fn assert_predicts_for(
    mut project: Project,
    edit: Edit,
    real: impl FnOnce(&mut Project),
) -> Prediction {
    let bases = CatalogBases::default();
    let mut cache = CacheStore::default();
    run(&project, &bases, &mut cache);
    let prediction = predict(&project, &bases, &cache, &edit);
    assert!(prediction.error.is_none(), "{:?}", prediction.error);
    assert_eq!(prediction.pending, 0, "nothing changed since the build");
    real(&mut project);
    let out = run(&project, &bases, &mut cache);
    let actual: Vec<(String, bool)> = out
        .report
        .steps
        .iter()
        .map(|s| (s.label(), !s.is_cached()))
        .collect();
    let predicted: Vec<(String, bool)> = prediction
        .steps
        .iter()
        .map(|s| (s.label.clone(), s.rebuild))
        .collect();
    assert_eq!(predicted, actual, "predicted vs real rebuild");
    // The cascade: every rebuild the real build blames on an earlier step, the
    // prediction blames on the same step.
    for (i, cause) in causes(&out.report, &cache).into_iter().enumerate() {
        if cause.is_some() {
            assert_eq!(prediction.steps[i].cause, cause, "cause of step {i}");
        }
    }
    for s in &prediction.steps {
        assert_eq!(s.rebuild, s.why.is_some(), "every rebuild says why: {s:?}");
    }
    prediction
}

fn rebuilt(p: &Prediction) -> Vec<&str> {
    p.steps
        .iter()
        .filter(|s| s.rebuild)
        .map(|s| s.label.as_str())
        .collect()
}

fn set(project: &mut Project, path: &str, text: &str) {
    project
        .context
        .write_file(
            &VfsPath::new(&format!("/{path}")),
            Content::inline(text.as_bytes()),
            Meta::new(0o644),
        )
        .unwrap();
}

#[test]
fn editing_a_source_file_rebuilds_from_the_copy_that_selects_it() {
    let p = assert_predicts(
        NODE,
        &node_files(),
        Edit::ContextFile("src/app.js".into()),
        |p| set(p, "src/app.js", "module.exports = 2\n"),
    );
    assert_eq!(rebuilt(&p), ["[5/6]", "[6/6]"]);
    let copy = &p.steps[4];
    assert_eq!(
        copy.why.as_deref(),
        Some("build context: src/app.js changed")
    );
    assert_eq!(p.steps[5].cause, Some(4));
    assert!(p.steps[5].why.as_deref().unwrap().contains("[5/6]"));
}

#[test]
fn editing_the_manifest_rebuilds_the_install_and_everything_after() {
    let p = assert_predicts(
        NODE,
        &node_files(),
        Edit::ContextFile("package.json".into()),
        |p| {
            set(
                p,
                "package.json",
                "{\"name\":\"hello\",\"version\":\"1.0.0\",\"description\":\"x\",\"dependencies\":{}}\n",
            )
        },
    );
    assert_eq!(rebuilt(&p), ["[3/6]", "[4/6]", "[5/6]", "[6/6]"]);
    assert_eq!(p.steps[3].cause, Some(2));
    assert_eq!(p.steps[4].cause, Some(3));
}

#[test]
fn a_file_no_copy_selects_or_the_ignore_file_excludes_rebuilds_nothing() {
    let p = assert_predicts(
        MULTI,
        &multi_files(),
        Edit::ContextFile("README.md".into()),
        |p| set(p, "README.md", "# changed\n"),
    );
    assert_eq!(p.rebuilds(), 0);
    assert!(p
        .note
        .as_deref()
        .unwrap()
        .contains("no COPY or ADD selects it"));

    let bases = CatalogBases::default();
    let project = Project::new(NODE, &node_files());
    let mut cache = CacheStore::default();
    run(&project, &bases, &mut cache);
    let p = predict(
        &project,
        &bases,
        &cache,
        &Edit::ContextFile("npm-debug.log".into()),
    );
    assert_eq!(p.rebuilds(), 0);
    assert_eq!(
        p.note.as_deref(),
        Some("npm-debug.log is not sent to the builder (excluded by .dockerignore: *.log (line 1)), so editing it rebuilds nothing")
    );
}

#[test]
fn editing_a_run_line_rebuilds_it_and_the_rest_of_its_stage() {
    let p = assert_predicts(
        NODE,
        &node_files(),
        Edit::Instruction(offset_of_line(NODE, "RUN npm ci")),
        |p| p.dockerfile = NODE.replace("RUN npm ci", "RUN npm ci && echo done"),
    );
    assert_eq!(rebuilt(&p), ["[4/6]", "[5/6]", "[6/6]"]);
    assert_eq!(
        p.steps[3].why.as_deref(),
        Some("you edit this instruction (RUN npm ci)")
    );
    assert_eq!(p.steps[4].cause, Some(3));
}

#[test]
fn editing_env_rebuilds_the_first_run_after_it_not_the_copy_between() {
    let p = assert_predicts(
        NODE,
        &node_files(),
        Edit::Instruction(offset_of_line(NODE, "ENV NODE_ENV")),
        |p| p.dockerfile = NODE.replace("NODE_ENV=production", "NODE_ENV=development"),
    );
    assert_eq!(rebuilt(&p), ["[4/6]", "[5/6]", "[6/6]"]);
    assert!(!p.steps[2].rebuild, "COPY does not read the environment");
}

#[test]
fn editing_a_label_rebuilds_nothing() {
    let p = assert_predicts(
        NODE,
        &node_files(),
        Edit::Instruction(offset_of_line(NODE, "LABEL")),
        |p| p.dockerfile = NODE.replace("title=hello", "title=world"),
    );
    assert_eq!(p.rebuilds(), 0);
    assert!(p.note.as_deref().unwrap().contains("image config"));
}

#[test]
fn a_stage_edit_reaches_copy_from_only_when_the_copied_files_change() {
    // The copied binary changes: the final stage's COPY --from rebuilds.
    let p = assert_predicts(
        MULTI,
        &multi_files(),
        Edit::ContextFile("main.c".into()),
        |p| set(p, "main.c", "int main(){return 1;}\n"),
    );
    assert_eq!(
        rebuilt(&p),
        [
            "[build 3/4]",
            "[build 4/4]",
            "[stage-1 2/3]",
            "[stage-1 3/3]"
        ]
    );
    // The RUN line edited in a way that leaves /out/app as it was: COPY --from hits.
    let p = assert_predicts(
        MULTI,
        &multi_files(),
        Edit::Instruction(offset_of_line(MULTI, "RUN mkdir")),
        |p| p.dockerfile = MULTI.replace("/out/app\n", "/out/app && true\n"),
    );
    assert_eq!(rebuilt(&p), ["[build 4/4]"]);
}

#[test]
fn a_linked_copy_keeps_its_cache_but_the_steps_after_it_rebuild() {
    let files = [("a.txt", "a\n"), ("b.txt", "b\n")];
    let p = assert_predicts(
        LINK,
        &files,
        Edit::Instruction(offset_of_line(LINK, "COPY a.txt")),
        |p| p.dockerfile = LINK.replace("COPY a.txt /a", "COPY --chmod=644 a.txt /a"),
    );
    assert_eq!(rebuilt(&p), ["[2/4]", "[4/4]"]);
}

#[test]
fn changes_since_the_last_build_are_counted_apart_from_the_edit() {
    let bases = CatalogBases::default();
    let mut project = Project::new(NODE, &node_files());
    let mut cache = CacheStore::default();
    run(&project, &bases, &mut cache);
    set(&mut project, "server.js", "console.log('changed')\n");
    let p = predict(
        &project,
        &bases,
        &cache,
        &Edit::ContextFile("package.json".into()),
    );
    assert_eq!(p.pending, 2, "COPY . . and the RUN after it rebuild anyway");
    let anyway: Vec<_> = p
        .steps
        .iter()
        .filter(|s| s.anyway)
        .map(|s| &s.label[..])
        .collect();
    assert_eq!(anyway, ["[5/6]", "[6/6]"]);
    assert_eq!(rebuilt(&p), ["[3/6]", "[4/6]", "[5/6]", "[6/6]"]);
    assert_eq!(
        p.steps[2].why.as_deref(),
        Some("build context: package.json changed")
    );
}

#[test]
fn a_line_of_a_stage_the_target_skips_rebuilds_nothing_and_says_why() {
    let bases = CatalogBases::default();
    let project = Project::new(MULTI, &multi_files());
    let target = || BuildOptions {
        target: Some("build".into()),
        ..BuildOptions::default()
    };
    let cache = CacheStore::default();
    let p = predict_with(
        &project,
        &bases,
        &cache,
        &Edit::Instruction(offset_of_line(MULTI, "COPY app.conf")),
        target(),
    );
    assert_eq!(p.pending, 4, "nothing built yet: the build stage's 4 steps");
    assert!(
        p.steps.iter().all(|s| s.anyway),
        "never built, so none is cached"
    );
    assert_eq!(p.rebuilds(), 0);
    assert!(p.note.as_deref().unwrap().contains("target does not need"));
}

/// The page's starter Dockerfile: it is in the context and `COPY . .` copies it.
const STARTER: &str = layerlab_lesson::starter::DOCKERFILE;

fn starter() -> Project {
    Project::new(STARTER, &node_files()).with_dockerfile_in_context()
}

#[test]
fn editing_any_line_rebuilds_the_copy_that_sends_the_dockerfile_itself() {
    // USER with no RUN after it changes no key of its own, but the Dockerfile's bytes
    // change, and `COPY . .` copies them.
    let p = assert_predicts_for(
        starter(),
        Edit::Instruction(offset_of_line(STARTER, "USER node")),
        |p| p.dockerfile = STARTER.replace("USER node", "USER root"),
    );
    assert_eq!(rebuilt(&p), ["[5/5]"]);
    assert_eq!(
        p.steps[4].why.as_deref(),
        Some("build context: Dockerfile changed, because `COPY . .` copies the Dockerfile itself")
    );
    assert_eq!(
        p.note.as_deref(),
        Some(
            "no RUN step comes after this USER in its stage, so the USER itself changes no \
             step's key (the image config still changes); but Dockerfile itself is in the \
             build context (.dockerignore does not exclude it), so editing any of its lines \
             changes a file `COPY . .` copies: [5/5] rebuilds as well (listing Dockerfile in \
             .dockerignore would keep it cached)"
        )
    );
    // A config-only instruction, and a comment, alike.
    let p = assert_predicts_for(
        starter(),
        Edit::Instruction(offset_of_line(STARTER, "CMD")),
        |p| p.dockerfile = STARTER.replace("server.js\"]", "index.js\"]"),
    );
    assert_eq!(rebuilt(&p), ["[5/5]"]);
    assert!(p.note.as_deref().unwrap().starts_with(
        "CMD itself only changes the image config (a new image ID); but Dockerfile itself"
    ));
    let commented = STARTER.replace("COPY . .", "# the sources\nCOPY . .");
    let p = assert_predicts_for(
        Project::new(&commented, &node_files()).with_dockerfile_in_context(),
        Edit::Instruction(offset_of_line(&commented, "# the sources")),
        |p| p.dockerfile = commented.replace("# the sources", "# the app's sources"),
    );
    assert_eq!(rebuilt(&p), ["[5/5]"]);
    assert!(p
        .note
        .as_deref()
        .unwrap()
        .starts_with("this line is not an instruction (a comment or a blank line); but"));
}

#[test]
fn an_edited_step_after_the_copy_of_the_dockerfile_also_runs_on_its_new_result() {
    let p = assert_predicts_for(
        Project::new(NODE, &node_files()).with_dockerfile_in_context(),
        Edit::Instruction(offset_of_line(NODE, "RUN echo built")),
        |p| p.dockerfile = NODE.replace("echo built", "echo done"),
    );
    assert_eq!(rebuilt(&p), ["[5/6]", "[6/6]"]);
    assert_eq!(
        p.steps[5].why.as_deref(),
        Some(
            "you edit this instruction (RUN echo built > /app/built.txt); the step before \
             it was rebuilt as well ([5/6])"
        )
    );
    assert_eq!(p.steps[5].cause, Some(4));
    // An edit before the copy: the copy runs on a new state and copies a new Dockerfile.
    let p = assert_predicts_for(
        Project::new(NODE, &node_files()).with_dockerfile_in_context(),
        Edit::Instruction(offset_of_line(NODE, "RUN npm ci")),
        |p| p.dockerfile = NODE.replace("RUN npm ci", "RUN npm ci && echo done"),
    );
    assert_eq!(rebuilt(&p), ["[4/6]", "[5/6]", "[6/6]"]);
    assert!(p.steps[4].why.as_deref().unwrap().ends_with(
        "build context: Dockerfile changed, because `COPY . .` copies the Dockerfile itself"
    ));
}

#[test]
fn a_dockerfile_the_context_does_not_send_changes_no_copy() {
    // Excluded by the ignore file, or outside the context: editing USER rebuilds nothing.
    let mut ignored = starter();
    ignored.dockerfile_ignored = true;
    for project in [ignored, Project::new(STARTER, &node_files())] {
        let p = assert_predicts_for(
            project,
            Edit::Instruction(offset_of_line(STARTER, "USER node")),
            |p| p.dockerfile = STARTER.replace("USER node", "USER root"),
        );
        assert_eq!(p.rebuilds(), 0);
        assert_eq!(
            p.note.as_deref(),
            Some(
                "no RUN step comes after this USER in its stage, so no step rebuilds (the \
                 image config still changes)"
            )
        );
    }
    // In the context, but no COPY selects it.
    let p = assert_predicts_for(
        Project::new(MULTI, &multi_files()).with_dockerfile_in_context(),
        Edit::Instruction(offset_of_line(MULTI, "COPY app.conf")),
        |p| p.dockerfile = MULTI.replace("/etc/app.conf", "/etc/app.cfg"),
    );
    assert_eq!(rebuilt(&p), ["[stage-1 3/3]"]);
    assert_eq!(p.note, None);
}
