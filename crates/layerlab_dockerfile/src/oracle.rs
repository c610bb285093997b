//! The parse result in the shape of BuildKit's own parser output, as the conformance
//! corpus records it (`/work/shared/corpus/expected/*.json`, from PyPI `dockerfile`).
//!
//! One [`OracleCommand`] per instruction with BuildKit's node fields. ENV/LABEL values
//! are flat `key, value, …` lists (BuildKit v0.14.0+ adds a separator node per pair;
//! comparisons are by pairs). For ONBUILD, `sub_cmd`, `json` and `value` come from the
//! trigger and `flags` are ONBUILD's own, as in the corpus. The CLI serializes these
//! with serde; the core stays serialization-free.

use crate::{Instruction, Parsed};

/// One instruction in BuildKit's parse-result shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OracleCommand {
    /// The keyword as written.
    pub cmd: String,
    /// For ONBUILD: the trigger's keyword.
    pub sub_cmd: Option<String>,
    /// JSON (exec) form.
    pub json: bool,
    /// The logical line; heredoc instructions get `"\n" + content + name` per heredoc and
    /// a final `"\n"`.
    pub original: String,
    /// 1-based first line.
    pub start_line: u32,
    /// 1-based last line.
    pub end_line: u32,
    /// BuildKit's flag strings.
    pub flags: Vec<String>,
    /// BuildKit's argument words.
    pub value: Vec<String>,
    /// Heredocs.
    pub heredocs: Vec<OracleHeredoc>,
}

/// One heredoc in BuildKit's shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OracleHeredoc {
    /// The delimiter.
    pub name: String,
    /// The file descriptor.
    pub file_descriptor: u64,
    /// The raw body.
    pub content: String,
}

/// BuildKit's parse result for `parsed`: the commands, or BuildKit's error message
/// (without location, as the corpus records it).
///
/// # Errors
/// The message of the first error BuildKit would stop at.
pub fn to_oracle(parsed: &Parsed) -> Result<Vec<OracleCommand>, String> {
    if let Some(e) = &parsed.buildkit_error {
        return Err(e.message.clone());
    }
    Ok(parsed.dockerfile.instructions.iter().map(command).collect())
}

fn values(ins: &Instruction) -> Vec<String> {
    if !ins.key_values.is_empty() {
        return ins
            .key_values
            .iter()
            .flat_map(|kv| [kv.key.text.clone(), kv.value.text.clone()])
            .collect();
    }
    if ins.trigger.is_some() || !ins.is_known() {
        // A nested ONBUILD node holds its trigger as a child, and BuildKit gives unknown
        // instructions an empty node: both show as one empty value.
        return vec![String::new()];
    }
    ins.value.iter().map(|w| w.text.clone()).collect()
}

fn command(ins: &Instruction) -> OracleCommand {
    let (sub_cmd, json, value) = match &ins.trigger {
        Some(t) => (Some(t.keyword.clone()), t.json, values(t)),
        None => (None, ins.json, values(ins)),
    };
    let mut original = ins.original.clone();
    if !ins.heredocs.is_empty() {
        for h in &ins.heredocs {
            original.push('\n');
            original.push_str(&h.content);
            original.push_str(&h.name);
        }
        original.push('\n');
    }
    OracleCommand {
        cmd: ins.keyword.clone(),
        sub_cmd,
        json,
        original,
        start_line: ins.start_line,
        end_line: ins.end_line,
        flags: ins.flags.iter().map(|f| f.text.clone()).collect(),
        value,
        heredocs: ins
            .heredocs
            .iter()
            .map(|h| OracleHeredoc {
                name: h.name.clone(),
                file_descriptor: h.file_descriptor,
                content: h.content.clone(),
            })
            .collect(),
    }
}
