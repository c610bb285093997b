//! Building one stage: its base, its ONBUILD triggers, and each instruction in turn.

use super::scope::Scope;
use super::{copy, meta, run, BaseImage, BuildRequest};
use crate::cache::{
    explain_miss, CacheEntry, CacheKey, CacheStore, Field, InputChange, KeyInputs, MissReason,
    StepRecord,
};
use crate::command::{reads_from, stage_name_error, Command, Located, Plan, Stage, EMPTY_IMAGE};
use crate::platform::{self, Platform};
use crate::report::{BuildError, LayerInfo, StepReport, StepStatus};
use layerlab_dockerfile::shell::Lexer;
use layerlab_image::{apply_layer, rfc3339, History, ImageConfig, Layer, LayerOptions};
use layerlab_text::TextRange;
use layerlab_vfs::{diff, Fs};
use std::collections::BTreeMap;

/// BuildKit's default PATH for Linux images without one.
pub(crate) const DEFAULT_PATH: &str =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Why a stage's ops ignore the cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum IgnoreCache {
    /// They do not.
    No,
    /// `--no-cache`.
    All,
    /// `--no-cache-filter` names this stage.
    Filtered(String),
    /// The stage is built `FROM` a stage that ignored the cache (semantics.md §1.16).
    Inherited,
}

/// The state of a stage: changed op by op while the stage builds, then kept as it ends
/// for the stages after it (`COPY --from` and `RUN --mount=from=` read its filesystem;
/// a stage built `FROM` it starts from its image, scope and cache key). A finished
/// stage is just its last state, so one type serves both moments.
#[derive(Clone, Debug)]
pub(crate) struct StageState {
    pub(crate) fs: Fs,
    pub(crate) config: ImageConfig,
    pub(crate) layers: Vec<Layer>,
    pub(crate) key: Option<CacheKey>,
    pub(crate) scope: Scope,
    pub(crate) new_layers: u32,
    /// History entries inherited from the image at the root of the `FROM` chain.
    pub(crate) base_history: usize,
    /// The label of the stage's last op if this build executed it (for cascades into
    /// stages built `FROM` this one).
    pub(crate) last_executed: Option<String>,
    pub(crate) shell: Vec<String>,
    pub(crate) workdir: String,
    pub(crate) user: String,
    pub(crate) cmd_set: bool,
    /// Stage label for progress (`None` in single-stage builds).
    pub(crate) label: Option<String>,
    pub(crate) index: usize,
    pub(crate) op: u32,
    pub(crate) ops: u32,
    /// Whether the stage's ops ignore the cache (stages built `FROM` it do too).
    pub(crate) no_cache: IgnoreCache,
}

/// The build in progress.
pub(crate) struct Builder<'r, 'c> {
    pub(crate) req: &'r BuildRequest<'r>,
    plan: &'r Plan,
    pub(crate) lexer: Lexer,
    cache: &'c mut CacheStore,
    pub(crate) target: usize,
    pub(crate) platform: Platform,
    /// Global ARG values (meta args, predefined platform args).
    global: BTreeMap<String, String>,
    /// Each stage's base after expansion.
    bases: Vec<String>,
    resolved: BTreeMap<String, BaseImage>,
    pub(crate) steps: Vec<StepReport>,
    pub(crate) records: Vec<StepRecord>,
}

fn err(message: impl Into<String>, range: TextRange) -> BuildError {
    BuildError {
        message: message.into(),
        source: Some(range),
    }
}

impl<'r, 'c> Builder<'r, 'c> {
    pub(crate) fn new(
        req: &'r BuildRequest<'r>,
        plan: &'r Plan,
        escape: char,
        cache: &'c mut CacheStore,
    ) -> Result<Self, BuildError> {
        let build_platform = platform::builder_platform();
        let platform = req
            .options
            .platform
            .clone()
            .unwrap_or_else(|| build_platform.clone());
        let lexer = Lexer::new(escape);
        let mut global: BTreeMap<String, String> =
            platform::predefined_args(&platform, &build_platform)
                .into_iter()
                .collect();
        for located in &plan.meta_args {
            for (name, default) in &located.cmd {
                let value = match build_arg(req, name) {
                    Some(v) => Some(v),
                    None => match default {
                        Some(d) => Some(
                            lexer
                                .process_word(d, &|k: &str| global.get(k).cloned())
                                .map_err(|e| err(e.message, located.range))?,
                        ),
                        None => None,
                    },
                };
                if let Some(v) = value {
                    global.insert(name.clone(), v);
                }
            }
        }
        let mut bases = Vec::new();
        for stage in &plan.stages {
            let base = lexer
                .process_word(&stage.base, &|k: &str| global.get(k).cloned())
                .map_err(|e| err(e.message, stage.range))?;
            if base.is_empty() {
                return Err(err(
                    format!("base name ({}) should not be blank", stage.base),
                    stage.range,
                ));
            }
            bases.push(base);
        }
        let target = match &req.options.target {
            None => plan.stages.len() - 1,
            Some(t) => {
                let t = t.to_ascii_lowercase();
                plan.stages
                    .iter()
                    .position(|s| s.name.as_deref() == Some(t.as_str()))
                    .ok_or_else(|| {
                        let names = plan.stages.iter().filter_map(|s| s.name.as_deref());
                        let hint = crate::suggest::closest(&t, names, 3)
                            .map(|n| format!(" (did you mean {n}?)"))
                            .unwrap_or_default();
                        BuildError {
                            message: format!("target stage \"{t}\" could not be found{hint}"),
                            source: None,
                        }
                    })?
            }
        };
        Ok(Builder {
            req,
            plan,
            lexer,
            cache,
            target,
            platform,
            global,
            bases,
            resolved: BTreeMap::new(),
            steps: Vec::new(),
            records: Vec::new(),
        })
    }

    /// The earlier stage a name refers to (case-insensitive), if any.
    pub(crate) fn stage_named(&self, name: &str, before: usize) -> Option<usize> {
        self.plan.stage_named(name, before)
    }

    /// The earlier stage a `FROM` names, matched exactly: BuildKit looks the base up in
    /// its map of lowercased stage names without lowercasing it (convert.go
    /// `addState`), so `FROM Build` after `AS build` is an image named `Build` (and an
    /// invalid reference), not that stage.
    fn base_stage(&self, index: usize) -> Option<usize> {
        let base = &self.bases[index];
        if base.bytes().any(|b| b.is_ascii_uppercase()) {
            return None;
        }
        self.stage_named(base, index)
    }

    /// The stage a `--from` value refers to: a name, or an index.
    pub(crate) fn stage_ref(&self, from: &str, before: usize) -> Option<usize> {
        if let Ok(i) = from.parse::<usize>() {
            return (i < before).then_some(i);
        }
        self.stage_named(from, before)
    }

    /// The stages `index` reads from: its `FROM` stage, and every stage its commands
    /// name, wherever it is in the file (BuildKit's `deps`: `findStateByName` and
    /// `findStateByIndex` see every stage, so a later one is needed too, and then
    /// refused by [`Plan::check_forward_reads`]).
    fn stage_deps(&self, index: usize) -> Vec<usize> {
        let stage = &self.plan.stages[index];
        let mut deps = Vec::new();
        if let Some(j) = self.base_stage(index) {
            deps.push(j);
        }
        for c in &stage.commands {
            deps.extend(
                reads_from(&c.cmd)
                    .iter()
                    .filter_map(|(from, by_index)| self.plan.source_stage(from, *by_index)),
            );
        }
        deps
    }

    /// BuildKit's reference checks over every stage before anything runs (see
    /// [`Plan::check_references`]).
    pub(crate) fn check_references(&self) -> Result<(), BuildError> {
        self.plan.check_references().map_err(|(m, at)| err(m, at))
    }

    /// BuildKit's parse of every image reference before anything runs, needed or not
    /// (convert.go `resolveReachableStages` hands every state without a stage base to
    /// `resolveBaseImage`, which parses the name before it looks at reachability): each
    /// stage's base after expansion unless it is a stage or exactly `scratch`, then the
    /// images commands read from ([`Plan::source_images`]). The first invalid one, in
    /// that order, fails (BuildKit parses them concurrently; the order is this one).
    pub(crate) fn check_image_names(&self) -> Result<(), BuildError> {
        for (index, stage) in self.plan.stages.iter().enumerate() {
            let base = &self.bases[index];
            if base == EMPTY_IMAGE || self.base_stage(index).is_some() {
                continue;
            }
            if let Some(message) = stage_name_error(base) {
                return Err(err(message, stage.range));
            }
        }
        for (_, name, at) in self.plan.source_images() {
            if let Some(message) = stage_name_error(name) {
                return Err(err(message, at));
            }
        }
        Ok(())
    }

    /// BuildKit's order check over the stages the target needs (see
    /// [`Plan::check_forward_reads`]).
    pub(crate) fn check_forward_reads(&self, needed: &[bool]) -> Result<(), BuildError> {
        self.plan
            .check_forward_reads(needed)
            .map_err(|(m, at)| err(m, at))
    }

    /// Resolves every image the stages the target needs start from or read from, before
    /// any step runs, as BuildKit loads their metadata first (convert.go resolves each
    /// reachable stage's base, `COPY --from` and mount images included, before it
    /// dispatches a command): a missing image fails the build with no step run.
    pub(crate) fn resolve_images(&mut self, needed: &[bool]) -> Result<(), BuildError> {
        for (index, &need) in needed.iter().enumerate() {
            if need && self.bases[index] != EMPTY_IMAGE && self.base_stage(index).is_none() {
                self.base_image(index)?;
            }
        }
        for (index, name, at) in self.plan.source_images() {
            if needed[index] {
                // Memoized by the service: the command's own resolve is then free.
                self.req
                    .bases
                    .resolve(name, &self.platform)
                    .map_err(|m| err(m, at))?;
            }
        }
        Ok(())
    }

    /// The image stage `index` starts from (its base, neither a stage nor `scratch`),
    /// resolved once per build. Its `--platform` is checked every time, memoized or not.
    fn base_image(&mut self, index: usize) -> Result<BaseImage, BuildError> {
        let stage = &self.plan.stages[index];
        let platform = self.stage_platform(stage)?;
        let base = &self.bases[index];
        if let Some(image) = self.resolved.get(base) {
            return Ok(image.clone());
        }
        let image = self
            .req
            .bases
            .resolve(base, &platform)
            .map_err(|m| err(m, stage.range))?;
        self.resolved.insert(base.clone(), image.clone());
        Ok(image)
    }

    /// The platform a stage's base is pulled for: `FROM --platform=…` expanded with the
    /// global ARGs, or the build's.
    fn stage_platform(&self, stage: &Stage) -> Result<Platform, BuildError> {
        let Some(p) = &stage.platform else {
            return Ok(self.platform.clone());
        };
        let p = self
            .lexer
            .process_word(p, &|k: &str| self.global.get(k).cloned())
            .map_err(|e| err(e.message, stage.range))?;
        platform::parse(&p).map_err(|m| err(m, stage.range))
    }

    fn stage_name(&self, index: usize) -> String {
        self.plan.stage_label(index)
    }

    /// The stages the target needs (BuildKit skips the rest).
    pub(crate) fn reachable(&self, target: usize) -> Vec<bool> {
        let mut needed = vec![false; self.plan.stages.len()];
        let mut todo = vec![target];
        while let Some(i) = todo.pop() {
            if !std::mem::replace(&mut needed[i], true) {
                todo.extend(self.stage_deps(i));
            }
        }
        needed
    }

    fn single_stage(&self) -> bool {
        self.plan.stages.len() == 1
    }

    /// Builds stage `index`; earlier stages it needs are in `results`.
    pub(crate) fn build_stage(
        &mut self,
        index: usize,
        results: &[Option<StageState>],
    ) -> Result<StageState, BuildError> {
        let stage: &Stage = &self.plan.stages[index];
        let label = (!self.single_stage()).then(|| self.stage_name(index));
        let base = self.bases[index].clone();
        let filtered = stage.name.as_ref().filter(|n| {
            self.req
                .options
                .no_cache_filter
                .iter()
                .any(|f| f.eq_ignore_ascii_case(n))
        });
        let no_cache = if self.req.options.no_cache {
            IgnoreCache::All
        } else if let Some(name) = filtered {
            IgnoreCache::Filtered(name.clone())
        } else if self
            .base_stage(index)
            .and_then(|j| results[j].as_ref())
            .is_some_and(|r| r.no_cache != IgnoreCache::No)
        {
            IgnoreCache::Inherited
        } else {
            IgnoreCache::No
        };
        let mut state = StageState {
            fs: Fs::default(),
            config: ImageConfig {
                architecture: self.platform.architecture.clone(),
                os: self.platform.os.clone(),
                variant: self.platform.variant.clone().filter(|v| !v.is_empty()),
                ..ImageConfig::default()
            },
            layers: Vec::new(),
            key: None,
            scope: Scope::default(),
            new_layers: 0,
            base_history: 0,
            last_executed: None,
            shell: vec!["/bin/sh".into(), "-c".into()],
            workdir: "/".into(),
            user: String::new(),
            cmd_set: false,
            label,
            index,
            op: 0,
            ops: 0,
            no_cache,
        };
        let mut triggers: Vec<String> = Vec::new();
        let mut from_image: Option<BaseImage> = None;
        if let Some(j) = self.base_stage(index) {
            let parent = results[j]
                .as_ref()
                .ok_or_else(|| err(format!("stage {base} was not built"), stage.range))?;
            state.fs = parent.fs.clone();
            state.config = parent.config.clone();
            state.layers = parent.layers.clone();
            state.key = parent.key;
            state.scope = parent.scope.clone();
            state.last_executed = parent.last_executed.clone();
            state.base_history = parent.base_history;
            triggers = std::mem::take(&mut state.config.config.on_build);
        } else if base == EMPTY_IMAGE {
            state.config.config.env = vec![format!("PATH={DEFAULT_PATH}")];
            state.scope = Scope::from_env(&state.config.config.env, "the default PATH");
        } else {
            let image = self.base_image(index)?;
            state.fs = image.fs.clone();
            state.config = image.config.clone();
            state.config.created = None;
            state.base_history = image.config.history.len();
            state.layers = image.layers.clone();
            if !state
                .config
                .config
                .env
                .iter()
                .any(|e| e.starts_with("PATH="))
            {
                state
                    .config
                    .config
                    .env
                    .insert(0, format!("PATH={DEFAULT_PATH}"));
            }
            state.scope = Scope::from_env(&state.config.config.env, "the base image's ENV");
            triggers = std::mem::take(&mut state.config.config.on_build);
            from_image = Some(image);
        }
        if let Some(shell) =
            (!state.config.config.shell.is_empty()).then(|| state.config.config.shell.clone())
        {
            state.shell = shell;
        }
        if let Some(wd) = state
            .config
            .config
            .working_dir
            .clone()
            .filter(|w| !w.is_empty())
        {
            state.workdir = wd;
        }
        state.user = state.config.config.user.clone().unwrap_or_default();

        // Parse the triggers the base carries; they run first, as if written after FROM.
        let mut trigger_cmds = Vec::new();
        for text in &triggers {
            // A trigger is one instruction; read it as the only command of a stage.
            let wrapped = format!("FROM scratch\n{text}");
            let parsed = layerlab_dockerfile::parse(&wrapped);
            let (plan, error) = crate::command::plan(&parsed.dockerfile);
            let problem = parsed
                .buildkit_error
                .map(|p| p.message)
                .or(error.map(|e| e.message));
            if let Some(message) = problem {
                return Err(err(
                    format!("ONBUILD trigger {text:?}: {message}"),
                    stage.range,
                ));
            }
            for s in plan.stages {
                for mut c in s.commands {
                    c.range = stage.range;
                    c.line = stage.line;
                    c.original = format!("ONBUILD {}", c.original);
                    trigger_cmds.push(c);
                }
            }
        }
        let counts = |c: &Located<Command>| {
            matches!(
                c.cmd,
                Command::Run(_) | Command::Copy(_) | Command::Workdir(_)
            )
        };
        state.ops = u32::from(from_image.is_some())
            + trigger_cmds.iter().filter(|c| counts(c)).count() as u32
            + stage.commands.iter().filter(|c| counts(c)).count() as u32;

        if let Some(image) = &from_image {
            self.pull_step(&mut state, stage, image);
        }
        let commands: Vec<Located<Command>> = trigger_cmds
            .into_iter()
            .chain(stage.commands.iter().cloned())
            .collect();
        for c in &commands {
            self.dispatch(&mut state, c, results)?;
        }
        Ok(state)
    }

    fn pull_step(&mut self, state: &mut StageState, stage: &Stage, image: &BaseImage) {
        let pinned = format!("{}@{}", image.reference, image.digest);
        // BuildKit's image source is keyed by content (semantics.md §1.3): the manifest
        // digest with the platform, and the ChainID of the layers. The same manifest
        // has the same layers, so the ChainID alone matches whenever either does (a
        // re-push with identical layers included); the reference text is not part of
        // either, so it is only the value's origin, for explanations.
        let content = layerlab_image::chain_id(&image.config.diff_ids).unwrap_or(image.digest);
        let inputs = KeyInputs::new("FROM", None)
            .field(Field::new("image", content.to_string()).with_origin(pinned.clone()))
            .field(Field::new("platform", platform::display(&self.platform)));
        let key = inputs.key();
        state.op += 1;
        let size: u64 = image.layers.iter().map(Layer::tar_size).sum();
        // Modeled pull: 60 MB/s plus a round trip; a known image costs nothing.
        let pull_ms = (size / 60_000) as u32 + 300;
        let id = step_id(state.index, state.op);
        let status = if self.cache.get(&key).is_some() {
            StepStatus::Cached
        } else {
            let previous = self.cache.previous_step(&id).map(|s| &s.inputs);
            let reason = match explain_miss(previous, &inputs, None) {
                MissReason::Evicted | MissReason::NotBuiltBefore => MissReason::NotBuiltBefore,
                MissReason::InputsChanged(changes) => {
                    MissReason::InputsChanged(name_references(changes, previous, &inputs))
                }
                r => r,
            };
            self.cache.insert(
                key,
                CacheEntry {
                    inputs: inputs.clone(),
                    layer: Layer::default(),
                    duration_ms: pull_ms,
                },
            );
            state.last_executed = Some(format!("FROM {pinned}"));
            StepStatus::Executed(reason)
        };
        if status == StepStatus::Cached {
            state.last_executed = None;
        }
        let report = StepReport {
            stage: state.label.clone(),
            stage_index: state.index as u32,
            position: (state.op, state.ops),
            instruction: format!("FROM {pinned}"),
            source: stage.range,
            status,
            key,
            layer: None,
            duration_ms: pull_ms,
            output: Vec::new(),
            warnings: Vec::new(),
        };
        self.records.push(StepRecord {
            id,
            label: format!("{} FROM {}", report.label(), image.reference),
            inputs,
        });
        self.steps.push(report);
        state.key = Some(key);
    }

    /// Expands a word with the stage's variables.
    pub(crate) fn expand(
        &self,
        state: &StageState,
        word: &str,
        range: TextRange,
    ) -> Result<String, BuildError> {
        self.lexer
            .process_word(word, &|k: &str| state.scope.get(k))
            .map_err(|e| err(e.message, range))
    }

    /// An op's progress name: its instruction text with variables expanded and the
    /// keyword in capitals (convert.go `uppercaseCmd(processCmdEnv(…))`). RUN's lexer
    /// keeps quotes and unset variables as written; the others' do not. A text the
    /// lexer cannot expand is shown as written, as BuildKit does.
    pub(crate) fn step_name(&self, state: &StageState, text: &str, raw: bool) -> String {
        let lexer = Lexer {
            raw_quotes: raw,
            skip_unset_env: raw,
            ..self.lexer
        };
        let name = lexer
            .process_word(text, &|k: &str| state.scope.get(k))
            .unwrap_or_else(|_| text.to_owned());
        match name.split_once(' ') {
            Some((keyword, rest)) => format!("{} {rest}", keyword.to_ascii_uppercase()),
            None => name.to_ascii_uppercase(),
        }
    }

    /// Expands a word into several words.
    pub(crate) fn expand_words(
        &self,
        state: &StageState,
        word: &str,
        range: TextRange,
    ) -> Result<Vec<String>, BuildError> {
        self.lexer
            .process_words(word, &|k: &str| state.scope.get(k))
            .map_err(|e| err(e.message, range))
    }

    fn dispatch(
        &mut self,
        state: &mut StageState,
        c: &Located<Command>,
        results: &[Option<StageState>],
    ) -> Result<(), BuildError> {
        match &c.cmd {
            Command::Run(r) => run::dispatch(self, state, c, r, results),
            Command::Copy(cp) => copy::dispatch(self, state, c, cp, results),
            Command::Workdir(w) => meta::workdir(self, state, c, w),
            Command::Arg(args) => {
                for (name, default) in args {
                    let value = match build_arg(self.req, name) {
                        Some(v) => Some(v),
                        None => match default {
                            Some(d) => Some(self.expand(state, d, c.range)?),
                            // `ARG NAME` inside a stage takes the global value.
                            None => self.global.get(name).cloned(),
                        },
                    };
                    let origin = if build_arg(self.req, name).is_some() {
                        format!("--build-arg {name}")
                    } else {
                        format!("ARG {name} (line {})", c.line)
                    };
                    state.scope.declare_arg(name, value.as_deref(), &origin);
                }
                meta::history_only(self, state, c, meta::arg_created_by(&state.scope, args));
                Ok(())
            }
            other => meta::config_instruction(self, state, c, other),
        }
    }

    /// Runs one op through the cache: replays the stored layer on a hit, executes `exec`
    /// on the stage's filesystem on a miss, and records the step either way.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn op(
        &mut self,
        state: &mut StageState,
        c: &Located<Command>,
        instruction: String,
        inputs: KeyInputs,
        ignore_cache: bool,
        created_by: String,
        exec: &mut dyn FnMut(&mut Fs) -> Result<run::RunOutcome, String>,
    ) -> Result<(), BuildError> {
        let key = inputs.key();
        state.op += 1;
        let id = step_id(state.index, state.op);
        let position = (state.op, state.ops);
        let stage_label = state.label.clone();
        let label = match &stage_label {
            Some(s) => format!("[{s} {}/{}] {instruction}", position.0, position.1),
            None => format!("[{}/{}] {instruction}", position.0, position.1),
        };
        let mut report = StepReport {
            stage: stage_label,
            stage_index: state.index as u32,
            position,
            instruction,
            source: c.range,
            status: StepStatus::Cached,
            key,
            layer: None,
            duration_ms: 0,
            output: Vec::new(),
            warnings: Vec::new(),
        };
        let cached = (!ignore_cache)
            .then(|| self.cache.get(&key))
            .flatten()
            .cloned();
        if let Some(entry) = cached {
            apply_layer(&mut state.fs, &entry.layer)
                .map_err(|e| err(format!("cached layer could not be replayed: {e}"), c.range))?;
            report.duration_ms = entry.duration_ms;
            report.layer = Some(LayerInfo::new(entry.layer.clone()));
            state.layers.push(entry.layer);
            state.last_executed = None;
        } else {
            let before = state.fs.clone();
            let outcome = exec(&mut state.fs);
            let outcome = match outcome {
                Ok(o) => o,
                Err(message) => {
                    report.status = StepStatus::Failed {
                        message: message.clone(),
                    };
                    self.steps.push(report);
                    self.records.push(StepRecord { id, label, inputs });
                    return Err(err(message, c.range));
                }
            };
            report.output = outcome.output;
            report.warnings = outcome.warnings;
            report.duration_ms = outcome.duration_ms;
            if outcome.exit_code != 0 {
                let message = outcome.failure.unwrap_or_default();
                report.status = StepStatus::Failed {
                    message: message.clone(),
                };
                self.steps.push(report);
                self.records.push(StepRecord { id, label, inputs });
                return Err(err(message, c.range));
            }
            let changes = diff(&before, &state.fs);
            let layer = Layer::from_changes(&state.fs, &changes, &LayerOptions::default());
            let reason = if ignore_cache {
                match &state.no_cache {
                    IgnoreCache::Filtered(stage) => MissReason::NoCacheFilter {
                        stage: stage.clone(),
                    },
                    IgnoreCache::Inherited => MissReason::ParentRebuilt {
                        parent: state.last_executed.clone().unwrap_or_else(|| {
                            "the stage it is built FROM, which ignores the cache".into()
                        }),
                        also: Vec::new(),
                    },
                    _ => MissReason::NoCache,
                }
            } else {
                let previous = self.cache.previous_step(&id).map(|s| &s.inputs);
                explain_miss(previous, &inputs, state.last_executed.as_deref())
            };
            report.status = StepStatus::Executed(reason);
            self.cache.insert(
                key,
                CacheEntry {
                    inputs: inputs.clone(),
                    layer: layer.clone(),
                    duration_ms: report.duration_ms,
                },
            );
            report.layer = Some(LayerInfo::new(layer.clone()));
            state.layers.push(layer);
            state.last_executed = Some(label.clone());
        }
        state.new_layers += 1;
        state.key = Some(key);
        state.config.history.push(History {
            created: Some(rfc3339(self.req.options.epoch)),
            created_by: Some(created_by),
            comment: Some("buildkit.dockerfile.v0".into()),
            empty_layer: false,
            author: None,
        });
        self.records.push(StepRecord { id, label, inputs });
        self.steps.push(report);
        Ok(())
    }

    /// The fields every op of the stage shares: the platform.
    pub(crate) fn platform_field(&self) -> Field {
        Field::new("platform", platform::display(&self.platform))
    }
}

/// A changed FROM image is shown as the references it was pulled by, pinned to their
/// manifest digests (`docker.io/library/alpine:3.21@sha256:…`), not as the layer
/// ChainIDs its key holds.
fn name_references(
    changes: Vec<InputChange>,
    previous: Option<&KeyInputs>,
    now: &KeyInputs,
) -> Vec<InputChange> {
    let reference = |inputs: Option<&KeyInputs>| {
        let field = inputs?.fields.iter().find(|f| f.name == "image")?;
        Some(field.origin.clone().unwrap_or_else(|| field.value.clone()))
    };
    changes
        .into_iter()
        .map(|change| match change {
            InputChange::Field { name, .. } if name == "image" => InputChange::Field {
                name,
                before: reference(previous),
                after: reference(Some(now)),
                origin: None,
            },
            other => other,
        })
        .collect()
}

/// A step's identity across builds (its stage and op position), as [`StepRecord::id`]
/// holds it: "the same step" for explanations.
fn step_id(stage: usize, op: u32) -> String {
    format!("{stage}#{op}")
}

/// The stage of a [`step_id`].
pub(crate) fn stage_of(id: &str) -> Option<usize> {
    id.split_once('#')?.0.parse().ok()
}

/// The `--build-arg` value for `name`, if given.
pub(crate) fn build_arg(req: &BuildRequest<'_>, name: &str) -> Option<String> {
    req.options
        .build_args
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}
