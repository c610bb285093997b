//! Engine behaviour against the documented BuildKit cache examples (semantics.md §1.18)
//! and the stage and COPY rules, with a fake base image and a fake RUN simulator.

use super::*;
use crate::cache::{InputChange, MissReason};
use crate::report::StepStatus;
use layerlab_image::{ContainerConfig, ImageConfig};
use layerlab_vfs::{Content, Digest, Fs, Meta, VfsPath};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Every reference resolves to a tiny image with a shell, passwd and a PATH.
struct FakeBases;

impl BaseImages for FakeBases {
    fn resolve(&self, reference: &str, platform: &Platform) -> Result<BaseImage, String> {
        assert_eq!(
            crate::platform::display(platform),
            "linux/amd64",
            "the builder's platform by default"
        );
        if reference.starts_with("missing") {
            return Err(format!("docker.io/library/{reference}: not found"));
        }
        let mut fs = Fs::default();
        let m = Meta::new(0o644);
        fs.mkdir_p(&VfsPath::new("/etc"), Meta::new(0o755)).unwrap();
        fs.mkdir_p(&VfsPath::new("/bin"), Meta::new(0o755)).unwrap();
        fs.write_file(
            &VfsPath::new("/bin/sh"),
            Content::synthetic(1, 1000),
            Meta::new(0o755),
        )
        .unwrap();
        fs.write_file(
            &VfsPath::new("/etc/passwd"),
            Content::inline("root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n"),
            m,
        )
        .unwrap();
        fs.write_file(
            &VfsPath::new("/etc/group"),
            Content::inline("root:x:0:\napp:x:1000:\n"),
            m,
        )
        .unwrap();
        fs.write_file(
            &VfsPath::new("/etc/os-release"),
            Content::inline(format!("ID={reference}\n")),
            m,
        )
        .unwrap();
        let changes = layerlab_vfs::diff(&Fs::default(), &fs);
        let layer = Layer::from_changes(&fs, &changes, &Default::default());
        Ok(BaseImage {
            reference: format!("docker.io/library/{reference}"),
            digest: Digest::of(reference.as_bytes()),
            config: ImageConfig {
                architecture: "amd64".into(),
                os: "linux".into(),
                config: ContainerConfig {
                    env: vec![
                        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
                    ],
                    cmd: vec!["/bin/sh".into()],
                    ..ContainerConfig::default()
                },
                ..ImageConfig::default()
            },
            layers: vec![layer],
            fs,
        })
    }
}

/// Appends each command to /var/log/runs and fails commands containing `fail`.
struct FakeRunner;

impl RunSimulator for FakeRunner {
    fn run(&self, fs: &mut Fs, req: &RunRequest) -> RunOutcome {
        let cmd = req.argv.join(" ");
        if cmd.contains("fail") {
            return RunOutcome {
                exit_code: 2,
                output: vec![(5, "boom".into())],
                duration_ms: 10,
                ..RunOutcome::default()
            };
        }
        let log = VfsPath::new("/var/log/runs");
        let mut text = fs.read_file(&log).map(|c| c.to_vec()).unwrap_or_default();
        text.extend_from_slice(format!("{cmd} in {} as {:?}\n", req.workdir, req.user).as_bytes());
        fs.mkdir_p(&VfsPath::new("/var/log"), Meta::new(0o755))
            .unwrap();
        fs.write_file(&log, Content::inline(text), Meta::new(0o644))
            .unwrap();
        RunOutcome {
            duration_ms: 1500,
            output: vec![(120, format!("ran {cmd}"))],
            ..RunOutcome::default()
        }
    }
}

fn context(files: &[(&str, &str)]) -> Fs {
    let mut fs = Fs::default();
    for (path, text) in files {
        let p = VfsPath::new(&format!("/{path}"));
        if let Some(parent) = p.parent() {
            fs.mkdir_p(&parent, Meta::new(0o755)).unwrap();
        }
        fs.write_file(&p, Content::inline(*text), Meta::new(0o644))
            .unwrap();
    }
    fs
}

fn build_with(
    dockerfile: &str,
    ctx: &Fs,
    options: &BuildOptions,
    cache: &mut CacheStore,
) -> BuildOutput {
    let none = |_: &str| None;
    let req = BuildRequest {
        dockerfile,
        dockerfile_path: None,
        context: ctx,
        excluded: &none,
        options,
        bases: &FakeBases,
        runner: &FakeRunner,
    };
    build(&req, cache)
}

/// ✓ for cached, ✗ for executed, per step, as semantics.md writes the examples.
fn verdicts(out: &BuildOutput) -> String {
    assert!(
        out.report.error.is_none(),
        "build failed: {:?}",
        out.report.error
    );
    out.report
        .steps
        .iter()
        .map(|s| if s.is_cached() { '✓' } else { '✗' })
        .collect()
}

fn reason(out: &BuildOutput, step: usize) -> &MissReason {
    match &out.report.steps[step].status {
        StepStatus::Executed(r) => r,
        s => panic!("step {step} not executed: {s:?}"),
    }
}

const E1: &str = "FROM ubuntu:latest\nRUN apt-get update && apt-get install -y build-essentials\nCOPY main.c Makefile /src/\nWORKDIR /src/\nRUN make build\n";

#[test]
fn e1_source_edit_cascades() {
    let mut cache = CacheStore::default();
    let opts = BuildOptions::default();
    let first = build_with(
        E1,
        &context(&[("main.c", "int main;"), ("Makefile", "all:")]),
        &opts,
        &mut cache,
    );
    assert_eq!(verdicts(&first), "✗✗✗✗✗");
    assert_eq!(reason(&first, 1), &MissReason::NotBuiltBefore);
    let again = build_with(
        E1,
        &context(&[("main.c", "int main;"), ("Makefile", "all:")]),
        &opts,
        &mut cache,
    );
    assert_eq!(verdicts(&again), "✓✓✓✓✓");
    assert_eq!(
        again.image.as_ref().unwrap().id(),
        first.image.as_ref().unwrap().id()
    );
    let edited = build_with(
        E1,
        &context(&[("main.c", "int main();"), ("Makefile", "all:")]),
        &opts,
        &mut cache,
    );
    assert_eq!(verdicts(&edited), "✓✓✗✗✗");
    let MissReason::InputsChanged(changes) = reason(&edited, 2) else {
        panic!()
    };
    assert!(matches!(&changes[0], InputChange::Files(f) if f.modified == ["main.c"]));
    assert!(
        matches!(reason(&edited, 3), MissReason::ParentRebuilt { parent, .. } if parent.contains("COPY main.c"))
    );
    assert!(
        matches!(reason(&edited, 4), MissReason::ParentRebuilt { parent, .. } if parent.contains("WORKDIR /src"))
    );
}

#[test]
fn e3_mtime_is_ignored_and_e10_mode_is_not() {
    let mut cache = CacheStore::default();
    let opts = BuildOptions::default();
    let df = "FROM alpine\nCOPY app.sh /\n";
    let mut ctx = context(&[("app.sh", "echo hi")]);
    build_with(df, &ctx, &opts, &mut cache);
    ctx.set_mtime(&VfsPath::new("/app.sh"), 1_700_000_000)
        .unwrap();
    assert_eq!(verdicts(&build_with(df, &ctx, &opts, &mut cache)), "✓✓");
    ctx.set_mode(&VfsPath::new("/app.sh"), 0o755).unwrap();
    assert_eq!(verdicts(&build_with(df, &ctx, &opts, &mut cache)), "✓✗");
}

#[test]
fn e4_arg_misses_at_first_use_with_before_and_after() {
    let mut cache = CacheStore::default();
    let df = "FROM ubuntu\nARG CONT_IMG_VER\nRUN echo hello\n";
    let v1 = BuildOptions {
        build_args: vec![("CONT_IMG_VER".into(), "v1".into())],
        ..Default::default()
    };
    let v2 = BuildOptions {
        build_args: vec![("CONT_IMG_VER".into(), "v2".into())],
        ..Default::default()
    };
    build_with(df, &Fs::default(), &v1, &mut cache);
    let out = build_with(df, &Fs::default(), &v2, &mut cache);
    assert_eq!(verdicts(&out), "✓✗");
    let MissReason::InputsChanged(changes) = reason(&out, 1) else {
        panic!()
    };
    assert_eq!(
        changes[0],
        InputChange::Field {
            name: "env CONT_IMG_VER".into(),
            before: Some("v1".into()),
            after: Some("v2".into()),
            origin: Some("--build-arg CONT_IMG_VER".into()),
        }
    );
    let history: Vec<_> = out
        .image
        .unwrap()
        .config
        .history
        .iter()
        .filter_map(|h| h.created_by.clone())
        .collect();
    assert!(
        history.contains(&"ARG CONT_IMG_VER=v2".to_string()),
        "{history:?}"
    );
    assert!(
        history.contains(&"RUN |1 CONT_IMG_VER=v2 /bin/sh -c echo hello # buildkit".to_string()),
        "{history:?}"
    );
}

#[test]
fn e6_env_constant_shadows_the_arg() {
    let mut cache = CacheStore::default();
    let df = "FROM ubuntu\nARG CONT_IMG_VER\nENV CONT_IMG_VER=hello\nRUN echo $CONT_IMG_VER\n";
    let v1 = BuildOptions {
        build_args: vec![("CONT_IMG_VER".into(), "v1".into())],
        ..Default::default()
    };
    let v2 = BuildOptions {
        build_args: vec![("CONT_IMG_VER".into(), "v2".into())],
        ..Default::default()
    };
    build_with(df, &Fs::default(), &v1, &mut cache);
    let out = build_with(df, &Fs::default(), &v2, &mut cache);
    // The RUN's env is constant, but its history prefix shows the ARG; BuildKit's key
    // does not include history, so the step is cached.
    assert_eq!(verdicts(&out), "✓✓");
}

#[test]
fn build_args_no_arg_declares_are_reported_as_unused() {
    let mut cache = CacheStore::default();
    let opts = BuildOptions {
        build_args: vec![
            ("UNUSED".into(), "1".into()),
            ("V".into(), "2".into()),
            ("BASE".into(), "alpine".into()),
            ("HTTP_PROXY".into(), "http://p".into()),
            ("v".into(), "3".into()),
        ],
        ..Default::default()
    };
    let df = "ARG BASE=busybox\nFROM $BASE\nARG V\nRUN echo $V\n";
    let out = build_with(df, &Fs::default(), &opts, &mut cache);
    assert_eq!(out.report.error, None);
    // ARG names are case-sensitive; the proxy variables need no ARG.
    assert_eq!(out.report.unused_build_args, ["UNUSED", "v"]);
}

#[test]
fn e7_proxy_args_stay_out_of_the_key_unless_declared() {
    let mut cache = CacheStore::default();
    let lon = BuildOptions {
        build_args: vec![("HTTP_PROXY".into(), "http://lon".into())],
        ..Default::default()
    };
    let sfo = BuildOptions {
        build_args: vec![("HTTP_PROXY".into(), "http://sfo".into())],
        ..Default::default()
    };
    let df = "FROM ubuntu\nRUN echo \"Hello World\"\n";
    build_with(df, &Fs::default(), &lon, &mut cache);
    assert_eq!(
        verdicts(&build_with(df, &Fs::default(), &sfo, &mut cache)),
        "✓✓"
    );
    let declared = "FROM ubuntu\nARG HTTP_PROXY\nRUN echo \"Hello World\"\n";
    build_with(declared, &Fs::default(), &lon, &mut cache);
    assert_eq!(
        verdicts(&build_with(declared, &Fs::default(), &sfo, &mut cache)),
        "✓✗"
    );
}

#[test]
fn e9_copy_link_survives_an_earlier_change() {
    let mut cache = CacheStore::default();
    let opts = BuildOptions::default();
    let ctx = context(&[("app/main.py", "print(1)")]);
    build_with(
        "FROM alpine\nRUN apk add git\nCOPY --link app/ /app/\nRUN ls /app\n",
        &ctx,
        &opts,
        &mut cache,
    );
    let out = build_with(
        "FROM alpine\nRUN apk add git curl\nCOPY --link app/ /app/\nRUN ls /app\n",
        &ctx,
        &opts,
        &mut cache,
    );
    assert_eq!(verdicts(&out), "✓✗✓✗");
    assert!(out.fs.unwrap().exists(&VfsPath::new("/app/main.py")));
}

#[test]
fn target_skips_unneeded_stages_and_copy_from_reads_a_stage() {
    let df = "FROM alpine AS deps\nRUN apk add build-base\nFROM alpine AS unused\nRUN echo never\nFROM alpine AS build\nCOPY --from=deps /var/log/runs /copied\nRUN make\nFROM scratch\nCOPY --from=build /copied /out\n";
    let mut cache = CacheStore::default();
    let out = build_with(df, &Fs::default(), &BuildOptions::default(), &mut cache);
    assert!(out.report.error.is_none(), "{:?}", out.report.error);
    let built: Vec<bool> = out.report.stages.iter().map(|s| s.built).collect();
    assert_eq!(built, [true, false, true, true]);
    let fs = out.fs.unwrap();
    let copied = fs.read_file(&VfsPath::new("/out")).unwrap().to_vec();
    assert!(String::from_utf8_lossy(&copied).contains("apk add build-base"));
    assert_eq!(out.report.steps[0].label(), "[deps 1/2]");
    let partial = build_with(
        df,
        &Fs::default(),
        &BuildOptions {
            target: Some("DEPS".into()),
            ..Default::default()
        },
        &mut cache,
    );
    assert_eq!(partial.report.stages.iter().filter(|s| s.built).count(), 1);
    let missing = build_with(
        df,
        &Fs::default(),
        &BuildOptions {
            target: Some("buidl".into()),
            ..Default::default()
        },
        &mut cache,
    );
    assert_eq!(
        missing.report.error.unwrap().message,
        "target stage \"buidl\" could not be found (did you mean build?)"
    );
}

#[test]
fn no_cache_executes_every_op_and_says_why() {
    let mut cache = CacheStore::default();
    let df = "FROM alpine\nWORKDIR /app\nRUN make\n";
    build_with(df, &Fs::default(), &BuildOptions::default(), &mut cache);
    let out = build_with(
        df,
        &Fs::default(),
        &BuildOptions {
            no_cache: true,
            ..Default::default()
        },
        &mut cache,
    );
    // FROM and WORKDIR's mkdir are not marked by --no-cache (semantics.md §1.16).
    assert_eq!(verdicts(&out), "✓✓✗");
    assert_eq!(reason(&out, 2), &MissReason::NoCache);
}

#[test]
fn missing_and_ignored_copy_sources_fail_like_buildkit() {
    let mut cache = CacheStore::default();
    let ctx = context(&[("a.txt", "a")]);
    let excluded = |p: &str| {
        (p == "secret.env").then(|| "excluded by .dockerignore rule `*.env` (line 3)".to_string())
    };
    let req = BuildRequest {
        dockerfile: "FROM alpine\nCOPY secret.env /\n",
        dockerfile_path: None,
        context: &ctx,
        excluded: &excluded,
        options: &BuildOptions::default(),
        bases: &FakeBases,
        runner: &FakeRunner,
    };
    let out = build(&req, &mut cache);
    let e = out.report.error.unwrap();
    assert!(
        e.message
            .starts_with("failed to compute cache key: failed to calculate checksum of ref "),
        "{}",
        e.message
    );
    assert!(
        e.message.contains(
            "\"/secret.env\": not found (excluded by .dockerignore rule `*.env` (line 3))"
        ),
        "{}",
        e.message
    );
    assert_eq!(e.source.unwrap().start(), 12.into());
}

#[test]
fn a_stage_that_reads_from_itself_is_a_circular_dependency() {
    fn fails(dockerfile: &str) -> (String, &str) {
        let mut cache = CacheStore::default();
        let out = build_with(
            dockerfile,
            &context(&[("x", "x")]),
            &BuildOptions::default(),
            &mut cache,
        );
        assert!(out.report.steps.is_empty(), "nothing runs: {dockerfile}");
        let e = out.report.error.expect("the build fails");
        let at = e.source.expect("the error has a location");
        (
            e.message,
            &dockerfile[at.start().to_usize()..at.end().to_usize()],
        )
    }
    let text = "FROM alpine AS a\nCOPY --from=a /x /y\n";
    assert_eq!(
        fails(text),
        (
            "circular dependency detected on stage: a".to_string(),
            "COPY --from=a /x /y"
        )
    );
    // By index, through a RUN mount, case-insensitively, and in a stage the target
    // does not need (BuildKit checks every stage before anything runs).
    let text = "FROM alpine\nCOPY --from=0 /x /y\n";
    assert_eq!(
        fails(text).0,
        "circular dependency detected on stage: stage-0"
    );
    let text = "FROM alpine AS Build\nRUN --mount=from=build,target=/m true\nFROM alpine\n";
    assert_eq!(
        fails(text),
        (
            "circular dependency detected on stage: build".to_string(),
            "RUN --mount=from=build,target=/m true"
        )
    );
    // A later stage is found by name and refused: it is not built yet (not an image).
    let text = "FROM alpine AS a\nCOPY --from=later /x /y\nFROM alpine AS later\nFROM a\n";
    assert_eq!(
        fails(text),
        (
            "cannot copy from stage \"later\", it needs to be defined before current stage \"a\""
                .to_string(),
            "COPY --from=later /x /y"
        )
    );
    // So is a later index; an index past the last stage fails in any stage.
    let text = "FROM alpine AS a\nCOPY --from=1 /x /y\nFROM a\n";
    assert_eq!(
        fails(text).0,
        "cannot copy from stage \"1\", it needs to be defined before current stage \"a\""
    );
    let text = "FROM alpine\nCOPY --from=5 /x /y\nFROM alpine AS final\nRUN true\n";
    assert_eq!(
        fails(text),
        ("invalid stage index 5".to_string(), "COPY --from=5 /x /y")
    );
    // A loop through two stages, even where the target needs neither: the first stage
    // whose walk comes back is named, at the command that starts the loop.
    let text = "FROM alpine AS a\nCOPY --from=b /x /y\nFROM alpine AS b\nCOPY --from=a /x /y\nFROM alpine AS final\nRUN true\n";
    assert_eq!(
        fails(text),
        (
            "circular dependency detected on stage: a".to_string(),
            "COPY --from=b /x /y"
        )
    );
    // A mount names stages only by name: `from=0` is an image, not this stage.
    let mut cache = CacheStore::default();
    let out = build_with(
        "FROM alpine AS a\nRUN --mount=from=0,target=/m true\n",
        &context(&[]),
        &BuildOptions::default(),
        &mut cache,
    );
    assert!(
        out.report
            .error
            .as_ref()
            .is_none_or(|e| !e.message.contains("circular")),
        "{:?}",
        out.report.error
    );
    // A name an earlier stage has is that stage, unless this stage is the last with it.
    let mut cache = CacheStore::default();
    let out = build_with(
        "FROM alpine AS a\nCOPY x /x\nFROM alpine AS b\nCOPY --from=a /x /y\n",
        &context(&[("x", "x")]),
        &BuildOptions::default(),
        &mut cache,
    );
    assert!(out.report.error.is_none(), "{:?}", out.report.error);
}

/// A build of `dockerfile` (with `--target` when given) that fails before any step:
/// its message and the text at its location.
fn fails_before_any_step<'a>(dockerfile: &'a str, target: Option<&str>) -> (String, &'a str) {
    let mut cache = CacheStore::default();
    let options = BuildOptions {
        target: target.map(str::to_string),
        ..BuildOptions::default()
    };
    let out = build_with(dockerfile, &context(&[("x", "x")]), &options, &mut cache);
    assert!(out.report.steps.is_empty(), "nothing runs: {dockerfile}");
    let e = out.report.error.expect("the build fails");
    let at = e.source.expect("the error has a location");
    (
        e.message,
        &dockerfile[at.start().to_usize()..at.end().to_usize()],
    )
}

#[test]
fn only_lowercase_scratch_is_the_empty_image() {
    // convert.go: `BaseName == emptyImageName` is exact, so `SCRATCH` goes to
    // resolveBaseImage, whose ParseNormalizedNamed refuses it; every stage's base is
    // parsed before anything runs, the target's or not.
    let text = "FROM SCRATCH AS unused\nFROM alpine\nRUN true\n";
    assert_eq!(
        fails_before_any_step(text, None),
        (
            "failed to parse stage name \"SCRATCH\": invalid reference format: repository name (library/SCRATCH) must be lowercase".to_string(),
            "FROM SCRATCH AS unused"
        )
    );
    // Expanded first: the value is what is compared and parsed.
    let text = "ARG BASE=Scratch\nFROM $BASE\n";
    assert_eq!(
        fails_before_any_step(text, None).0,
        "failed to parse stage name \"Scratch\": invalid reference format: repository name (library/Scratch) must be lowercase"
    );
    // An image a command reads from is parsed the same way, at that command.
    let text = "FROM alpine\nCOPY --from=Busybox /bin/sh /sh\n";
    assert_eq!(
        fails_before_any_step(text, None),
        (
            "failed to parse stage name \"Busybox\": invalid reference format: repository name (library/Busybox) must be lowercase".to_string(),
            "COPY --from=Busybox /bin/sh /sh"
        )
    );
    // `scratch` itself is the empty image with the default PATH, from no registry.
    let mut cache = CacheStore::default();
    let out = build_with(
        "FROM scratch\nCOPY x /x\n",
        &context(&[("x", "x")]),
        &BuildOptions::default(),
        &mut cache,
    );
    assert!(out.report.error.is_none(), "{:?}", out.report.error);
    let image = out.image.expect("an image");
    assert_eq!(image.layers.len(), 1);
    assert_eq!(
        image.config.config.env,
        [format!("PATH={}", super::stage::DEFAULT_PATH)]
    );
}

#[test]
fn a_mount_from_a_later_stage_fails_in_a_needed_stage() {
    // convert_runmount.go `dispatchRunMounts`: the stage `detectRunMount` found by name
    // (anywhere in the file) is not dispatched yet.
    let text =
        "FROM alpine AS a\nRUN --mount=from=later,target=/m true\nFROM alpine AS later\nFROM a\n";
    assert_eq!(
        fails_before_any_step(text, None),
        (
            "cannot mount from stage \"later\" to \"/m\", stage needs to be defined before current command"
                .to_string(),
            "RUN --mount=from=later,target=/m true"
        )
    );
    // Any mount type, the name as written, the last target field.
    let text = "FROM alpine AS a\nRUN --mount=type=cache,From=LATER,dst=/x,target=/c true\nFROM alpine AS later\n";
    assert_eq!(
        fails_before_any_step(text, Some("a")).0,
        "cannot mount from stage \"LATER\" to \"/c\", stage needs to be defined before current command"
    );
    // In a stage the target does not need, nothing is said.
    let mut cache = CacheStore::default();
    let out = build_with(
        "FROM alpine AS a\nRUN --mount=from=later,target=/m true\nFROM alpine AS later\nRUN true\n",
        &context(&[]),
        &BuildOptions::default(),
        &mut cache,
    );
    assert!(out.report.error.is_none(), "{:?}", out.report.error);
    assert_eq!(
        out.report
            .stages
            .iter()
            .map(|s| s.built)
            .collect::<Vec<_>>(),
        [false, true]
    );
}

#[test]
fn a_later_stage_a_command_names_is_needed_and_checked_in_file_order() {
    // The target `t` mounts `w`, defined later; `w` copies from `x`, which copies from
    // `y`, defined later still. BuildKit's deps reach all four (names are found
    // anywhere in the file) and it converts the needed stages in file order, so `x`,
    // the first, is refused, not `t`.
    let text = "FROM alpine AS x\nCOPY --from=y /a /b\nFROM alpine AS t\nRUN --mount=from=w,target=/m true\nFROM alpine AS w\nCOPY --from=x /a /b\nFROM alpine AS y\n";
    assert_eq!(
        fails_before_any_step(text, Some("t")),
        (
            "cannot copy from stage \"y\", it needs to be defined before current stage \"x\""
                .to_string(),
            "COPY --from=y /a /b"
        )
    );
    // `-1` is an index (`strconv.Atoi`), and an invalid one.
    let text = "FROM alpine\nCOPY --from=-1 /x /y\n";
    assert_eq!(
        fails_before_any_step(text, None),
        ("invalid stage index -1".to_string(), "COPY --from=-1 /x /y")
    );
}

#[test]
fn from_is_keyed_by_the_layers_not_by_the_reference_or_the_manifest() {
    /// `app:v1` and `app:v2` are two manifests (re-pushed) of the same layers;
    /// `app:v3` has other layers.
    struct Repushed;
    impl BaseImages for Repushed {
        fn resolve(&self, reference: &str, platform: &Platform) -> Result<BaseImage, String> {
            let mut image = FakeBases.resolve("app", platform)?;
            image.reference = format!("docker.io/library/{reference}");
            image.digest = Digest::of(reference.as_bytes());
            let layers: &[u8] = if reference == "app:v3" {
                b"other"
            } else {
                b"same"
            };
            image.config.diff_ids = vec![Digest::of(layers)];
            Ok(image)
        }
    }
    let none = |_: &str| None;
    let mut cache = CacheStore::default();
    let mut build_from = |tag: &str| {
        let dockerfile = format!("FROM app:{tag}\nRUN make\n");
        let req = BuildRequest {
            dockerfile: &dockerfile,
            dockerfile_path: None,
            context: &Fs::default(),
            excluded: &none,
            options: &BuildOptions::default(),
            bases: &Repushed,
            runner: &FakeRunner,
        };
        build(&req, &mut cache)
    };
    assert_eq!(verdicts(&build_from("v1")), "✗✗");
    assert_eq!(
        verdicts(&build_from("v2")),
        "✓✓",
        "same layers: BuildKit's ChainID key"
    );
    let out = build_from("v3");
    assert_eq!(verdicts(&out), "✗✗");
    let v2 = format!("docker.io/library/app:v2@{}", Digest::of(b"app:v2"));
    let v3 = format!("docker.io/library/app:v3@{}", Digest::of(b"app:v3"));
    assert_eq!(
        reason(&out, 0),
        &MissReason::InputsChanged(vec![InputChange::Field {
            name: "image".into(),
            before: Some(v2),
            after: Some(v3),
            origin: None,
        }])
    );
}

#[test]
fn failing_run_reports_buildkit_message() {
    let mut cache = CacheStore::default();
    let out = build_with(
        "FROM alpine\nRUN make fail\n",
        &Fs::default(),
        &BuildOptions::default(),
        &mut cache,
    );
    assert_eq!(
        out.report.error.unwrap().message,
        "process \"/bin/sh -c make fail\" did not complete successfully: exit code: 2"
    );
    assert!(matches!(
        out.report.steps[1].status,
        StepStatus::Failed { .. }
    ));
}

#[test]
fn copy_path_rules() {
    let ctx = context(&[
        ("a.txt", "A"),
        ("b.txt", "B"),
        ("dir/x", "x"),
        ("dir/sub/y", "y"),
    ]);
    let cases: [(&str, &[&str]); 8] = [
        ("COPY a.txt /abs/", &["/abs/a.txt"]),
        ("COPY a.txt /abs", &["/abs"]),
        ("COPY a.txt /etc", &["/etc/a.txt"]),
        ("COPY a.txt rel/", &["/w/rel/a.txt"]),
        ("COPY dir /d", &["/d/x", "/d/sub/y"]),
        ("COPY *.txt /t/", &["/t/a.txt", "/t/b.txt"]),
        ("COPY ../a.txt /x/", &["/x/a.txt"]),
        ("COPY --parents dir/sub/y /p/", &["/p/dir/sub/y"]),
    ];
    for (line, expect) in cases {
        let df = format!("FROM alpine\nWORKDIR /w\n{line}\n");
        let out = build_with(
            &df,
            &ctx,
            &BuildOptions::default(),
            &mut CacheStore::default(),
        );
        assert!(out.report.error.is_none(), "{line}: {:?}", out.report.error);
        let fs = out.fs.unwrap();
        for path in expect {
            assert!(fs.exists(&VfsPath::new(path)), "{line}: {path} missing");
        }
    }
    // BuildKit: several sources to a path without `/`: each lands on it, the last wins.
    let out = build_with(
        "FROM alpine\nCOPY *.txt /t\n",
        &ctx,
        &BuildOptions::default(),
        &mut CacheStore::default(),
    );
    assert_eq!(
        out.fs
            .unwrap()
            .read_file(&VfsPath::new("/t"))
            .unwrap()
            .to_vec(),
        b"B"
    );
    // A wildcard matching nothing copies nothing and succeeds.
    let out = build_with(
        "FROM alpine\nCOPY nomatch*.txt /t/\n",
        &ctx,
        &BuildOptions::default(),
        &mut CacheStore::default(),
    );
    assert!(out.report.error.is_none());
}

#[test]
fn chown_resolves_names_from_the_image() {
    let ctx = context(&[("a.txt", "A")]);
    let out = build_with(
        "FROM alpine\nCOPY --chown=app:app --chmod=600 a.txt /home/app/\n",
        &ctx,
        &BuildOptions::default(),
        &mut CacheStore::default(),
    );
    let fs = out.fs.unwrap();
    let meta = fs.metadata(&VfsPath::new("/home/app/a.txt")).unwrap();
    assert_eq!(
        (meta.uid, meta.gid, meta.mode & 0o7777),
        (1000, 1000, 0o600)
    );
}

#[test]
fn config_and_history_follow_buildkit() {
    let df = "FROM alpine:3.21\nARG VERSION=1.0\nENV APP_HOME=/app\nWORKDIR $APP_HOME\nCOPY --chown=1000:1000 . .\nRUN echo $VERSION > version.txt\nEXPOSE 8080\nUSER 1000\nCMD [\"./server\"]\n";
    let out = build_with(
        df,
        &context(&[("server", "bin")]),
        &BuildOptions::default(),
        &mut CacheStore::default(),
    );
    assert!(out.report.error.is_none(), "{:?}", out.report.error);
    let image = out.image.unwrap();
    let created: Vec<(String, bool)> = image
        .config
        .history
        .iter()
        .map(|h| (h.created_by.clone().unwrap_or_default(), h.empty_layer))
        .collect();
    let expect = [
        ("ARG VERSION=1.0", true),
        ("ENV APP_HOME=/app", true),
        ("WORKDIR /app", false),
        ("COPY --chown=1000:1000 . . # buildkit", false),
        (
            "RUN |1 VERSION=1.0 /bin/sh -c echo $VERSION > version.txt # buildkit",
            false,
        ),
        ("EXPOSE [8080/tcp]", true),
        ("USER 1000", true),
        ("CMD [\"./server\"]", true),
    ];
    let expect: Vec<(String, bool)> = expect.iter().map(|(s, e)| (s.to_string(), *e)).collect();
    assert_eq!(created, expect);
    let c = &image.config.config;
    assert_eq!(c.working_dir.as_deref(), Some("/app"));
    assert_eq!(c.user.as_deref(), Some("1000"));
    assert_eq!(c.cmd, ["./server"]);
    assert!(c.args_escaped);
    assert!(c.env.contains(&"APP_HOME=/app".to_string()));
    assert!(c.exposed_ports.contains("8080/tcp"));
    assert_eq!(image.layers.len(), 1 + 3);
}

#[test]
fn entrypoint_resets_an_inherited_cmd() {
    let out = build_with(
        "FROM alpine\nENTRYPOINT [\"/app\"]\n",
        &Fs::default(),
        &BuildOptions::default(),
        &mut CacheStore::default(),
    );
    assert!(out.image.unwrap().config.config.cmd.is_empty());
    let out = build_with(
        "FROM alpine\nCMD [\"x\"]\nENTRYPOINT /app\n",
        &Fs::default(),
        &BuildOptions::default(),
        &mut CacheStore::default(),
    );
    let c = out.image.unwrap().config.config;
    assert_eq!(c.cmd, ["x"]);
    assert_eq!(c.entrypoint, ["/bin/sh", "-c", "/app"]);
}

#[test]
fn same_inputs_same_image_bytes() {
    let df = "FROM alpine\nCOPY . /app\nRUN make\n";
    let ctx = context(&[("a", "1"), ("b/c", "2")]);
    let a = build_with(
        df,
        &ctx,
        &BuildOptions::default(),
        &mut CacheStore::default(),
    );
    let b = build_with(
        df,
        &ctx,
        &BuildOptions::default(),
        &mut CacheStore::default(),
    );
    let (a, b) = (a.image.unwrap(), b.image.unwrap());
    assert_eq!(a.id(), b.id());
    assert_eq!(a.config.diff_ids, b.config.diff_ids);
}

#[test]
fn cache_survives_persistence() {
    let mut cache = CacheStore::default();
    let ctx = context(&[("main.c", "int main;"), ("Makefile", "all:")]);
    let first = build_with(E1, &ctx, &BuildOptions::default(), &mut cache);
    let mut restored = CacheStore::from_bytes(&cache.to_bytes()).unwrap();
    let again = build_with(E1, &ctx, &BuildOptions::default(), &mut restored);
    assert_eq!(verdicts(&again), "✓✓✓✓✓");
    assert_eq!(again.image.unwrap().id(), first.image.unwrap().id());
}

/// The image of E1 built on an empty cache.
fn e1_image() -> Image {
    let ctx = context(&[("main.c", "int main;"), ("Makefile", "all:")]);
    let out = build_with(
        E1,
        &ctx,
        &BuildOptions::default(),
        &mut CacheStore::default(),
    );
    out.image.expect("E1 builds")
}

#[test]
fn an_image_survives_its_bytes() {
    use crate::cache::{image_from_bytes, image_to_bytes};
    let image = e1_image();
    let bytes = image_to_bytes(&image);
    let back = image_from_bytes(&bytes).unwrap();
    assert_eq!(back, image);
    assert_eq!(
        (back.id(), back.config_bytes()),
        (image.id(), image.config_bytes())
    );
    assert!(!back.has_stored_config());
    for (b, a) in back.layers.iter().zip(&image.layers) {
        assert_eq!(
            b.cached_diff_id(),
            Some(a.diff_id()),
            "known, not hashed again"
        );
        assert_eq!((b.to_tar(), b.tar_size()), (a.to_tar(), a.tar_size()));
    }
    // Every truncation is an error; a byte changed anywhere is an error or some other
    // image, never a panic.
    for n in 0..bytes.len() {
        assert!(image_from_bytes(&bytes[..n]).is_err(), "{n} bytes");
    }
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0x5a;
        let _ = image_from_bytes(&b);
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        image_from_bytes(&longer).unwrap_err().message,
        "trailing bytes"
    );
}

#[test]
fn a_read_image_takes_its_digests_as_written() {
    use crate::cache::{image_from_bytes, image_to_bytes};
    let image = e1_image();
    let mut bytes = image_to_bytes(&image);
    // The first layer's diff_id follows the magic, the config and the clamp tag.
    let at = 8 + 1 + 4 + image.config_bytes().len() + 4 + 1;
    assert_eq!(&bytes[at..at + 32], image.layers[0].diff_id().as_bytes());
    bytes[at] ^= 1;
    let back = image_from_bytes(&bytes).unwrap();
    assert_ne!(back.layers[0].diff_id(), image.layers[0].diff_id());
    assert_eq!(
        back.layers[0].recomputed().diff_id(),
        image.layers[0].diff_id()
    );
}

#[test]
fn a_stored_config_and_a_clamp_survive_the_bytes() {
    use crate::cache::{image_from_bytes, image_to_bytes};
    let built = e1_image();
    let layers = built
        .layers
        .iter()
        .map(|l| l.with_clamp_mtime(Some(5)))
        .collect();
    let stored = format!(
        "{{\"x-vendor\":[1, 2],{}",
        std::str::from_utf8(&built.config_bytes())
            .unwrap()
            .strip_prefix('{')
            .unwrap()
    );
    let image = Image::new(built.config.clone(), layers).with_stored_config(stored.into());
    let back = image_from_bytes(&image_to_bytes(&image)).unwrap();
    assert_eq!(back, image);
    assert!(back.has_stored_config());
    assert_eq!(
        (back.id(), back.config_bytes()),
        (image.id(), image.config_bytes())
    );
    assert!(back.layers.iter().all(|l| l.clamp_mtime() == Some(5)));
}

/// A base with a history of its own: one layer entry and one empty-layer entry.
struct BasesWithHistory;

impl BaseImages for BasesWithHistory {
    fn resolve(&self, reference: &str, platform: &Platform) -> Result<BaseImage, String> {
        let mut image = FakeBases.resolve(reference, platform)?;
        image.config.history = ["ADD rootfs.tar / # base", "CMD [\"/bin/sh\"]"]
            .iter()
            .enumerate()
            .map(|(i, c)| layerlab_image::History {
                created_by: Some((*c).to_owned()),
                empty_layer: i == 1,
                ..Default::default()
            })
            .collect();
        Ok(image)
    }
}

#[test]
fn base_history_counts_the_entries_of_the_root_image() {
    let run = |df: &str| {
        let none = |_: &str| None;
        let ctx = context(&[]);
        let options = BuildOptions::default();
        let req = BuildRequest {
            dockerfile: df,
            dockerfile_path: None,
            context: &ctx,
            excluded: &none,
            options: &options,
            bases: &BasesWithHistory,
            runner: &FakeRunner,
        };
        let out = build(&req, &mut CacheStore::default());
        assert!(out.report.error.is_none(), "{:?}", out.report.error);
        let history: Vec<String> = out
            .image
            .unwrap()
            .config
            .history
            .iter()
            .map(|h| h.created_by.clone().unwrap_or_default())
            .collect();
        (out.report.image.unwrap().base_history, history)
    };
    // The trailing empty-layer CMD of the base belongs to the base, the ENV after FROM
    // to the Dockerfile: counting layers could not tell them apart.
    let (n, history) = run("FROM alpine AS a\nENV X=1\nRUN echo a\nFROM a\nRUN echo b\n");
    assert_eq!(n, 2);
    assert_eq!(history.len(), 5);
    assert_eq!(history[1], "CMD [\"/bin/sh\"]");
    assert_eq!(history[2], "ENV X=1");
    let (n, history) = run("FROM scratch\nENV X=1\n");
    assert_eq!((n, history.len()), (0, 1));
}
