//! The variables a stage sees: ARG and ENV values with BuildKit's precedence rules.
//!
//! One ordered list serves both variable expansion and the RUN environment: base-image
//! `Env` entries first, then every `ENV` and every `ARG` that has a value, each at the
//! position of its most recent assignment (BuildKit's LLB env list; re-assigning moves a
//! variable to the end). The image config's `Env` is kept separately, because there an
//! `ENV` replaces a variable in place and `ARG`s never appear (semantics.md §1.4, §1.13).

/// One variable and where its value came from (for cache-miss explanations).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Var {
    pub(crate) name: String,
    pub(crate) value: String,
    pub(crate) origin: String,
    pub(crate) from_arg: bool,
}

/// The variables in scope in a stage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Scope {
    vars: Vec<Var>,
    /// ARGs declared in this stage (or inherited from its parent stage), in declaration
    /// order, re-declarations replacing in place: the `RUN |N k=v …` history prefix.
    pub(crate) args: Vec<(String, Option<String>)>,
}

impl Scope {
    /// A scope holding a base image's `Env` entries (`K=V`).
    pub(crate) fn from_env(env: &[String], origin: &str) -> Scope {
        let mut scope = Scope::default();
        for entry in env {
            let (k, v) = entry.split_once('=').unwrap_or((entry, ""));
            scope.set(k, v, origin, false);
        }
        scope
    }

    /// Assigns `name`, moving it to the end.
    pub(crate) fn set(&mut self, name: &str, value: &str, origin: &str, from_arg: bool) {
        self.vars.retain(|v| v.name != name);
        self.vars.push(Var {
            name: name.to_string(),
            value: value.to_string(),
            origin: origin.to_string(),
            from_arg,
        });
    }

    /// Declares an ARG in the stage. `value` is `None` when it has neither a default nor
    /// a `--build-arg`: it is then declared but unset, and absent from the environment.
    pub(crate) fn declare_arg(&mut self, name: &str, value: Option<&str>, origin: &str) {
        match self.args.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value.map(str::to_string),
            None => self
                .args
                .push((name.to_string(), value.map(str::to_string))),
        }
        if let Some(value) = value {
            self.set(name, value, origin, true);
        }
    }

    /// The value of `name`, if set.
    pub(crate) fn get(&self, name: &str) -> Option<String> {
        self.vars
            .iter()
            .find(|v| v.name == name)
            .map(|v| v.value.clone())
    }

    /// The variables in environment order.
    pub(crate) fn vars(&self) -> &[Var] {
        &self.vars
    }

    /// The `|N k=v …` prefix BuildKit puts in a RUN's history entry (empty when no ARG is
    /// in scope): each ARG's current value, else its declared value, else empty.
    pub(crate) fn history_prefix(&self) -> String {
        if self.args.is_empty() {
            return String::new();
        }
        let mut out = format!("|{}", self.args.len());
        for (name, declared) in &self.args {
            let value = self
                .get(name)
                .or_else(|| declared.clone())
                .unwrap_or_default();
            out.push_str(&format!(" {name}={value}"));
        }
        out.push(' ');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn later_assignment_wins_and_moves_to_the_end() {
        let mut s = Scope::from_env(&["PATH=/bin".into(), "V=env".into()], "base image");
        s.declare_arg("V", Some("arg"), "ARG V");
        assert_eq!(s.get("V").as_deref(), Some("arg"));
        let names: Vec<_> = s.vars().iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["PATH", "V"]);
        s.set("PATH", "/usr/bin", "ENV PATH", false);
        let names: Vec<_> = s.vars().iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["V", "PATH"]);
    }

    #[test]
    fn unset_args_are_declared_but_not_in_the_environment() {
        let mut s = Scope::default();
        s.declare_arg("A", None, "ARG A");
        assert!(s.get("A").is_none());
        assert_eq!(s.history_prefix(), "|1 A= ");
        s.declare_arg("foo", Some("bar"), "");
        s.declare_arg("bar", Some("123"), "");
        s.declare_arg("foo", Some("bar2"), "");
        assert_eq!(s.history_prefix(), "|3 A= foo=bar2 bar=123 ");
    }
}
