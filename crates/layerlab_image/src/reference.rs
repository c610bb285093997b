//! Image references, normalised exactly like `distribution/reference`
//! (`ParseNormalizedNamed`, `TagNameOnly`, `FamiliarString`), which BuildKit uses for
//! `FROM` and `docker build -t` uses for tags. See shared docs semantics.md §6.
//!
//! The grammar is matched by hand (no regex engine in the browser build):
//!
//! ```text
//! reference := name [ ":" tag ] [ "@" digest ]
//! name      := [ domain "/" ] path-component ( "/" path-component )*
//! domain    := ( domain-name | "[" ipv6 "]" ) [ ":" port ]
//! ```

use std::fmt;

const DEFAULT_DOMAIN: &str = "docker.io";
const LEGACY_DEFAULT_DOMAIN: &str = "index.docker.io";
const OFFICIAL_PREFIX: &str = "library/";
const NAME_TOTAL_LENGTH_MAX: usize = 255;

/// A parsed image reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reference {
    domain: String,
    path: String,
    tag: Option<String>,
    digest: Option<String>,
}

/// Why a reference was rejected; `message` is distribution/reference's exact text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReferenceError {
    /// The message, e.g. `invalid reference format`.
    pub message: String,
    /// The input that was rejected (the location: errors concern the whole reference).
    pub input: String,
}

impl fmt::Display for ReferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReferenceError {}

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `[a-z0-9]+ (separator [a-z0-9]+)*` with separators `.`, `_`, `__`, `-+`.
fn is_path_component(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let alnum_run = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && is_lower_alnum(b[*i]) {
            *i += 1;
        }
        *i > start
    };
    if !alnum_run(&mut i) {
        return false;
    }
    while i < b.len() {
        match b[i] {
            b'.' => i += 1,
            b'_' => {
                i += 1;
                if b.get(i) == Some(&b'_') {
                    i += 1;
                }
            }
            b'-' => {
                while b.get(i) == Some(&b'-') {
                    i += 1;
                }
            }
            _ => return false,
        }
        if !alnum_run(&mut i) {
            return false;
        }
    }
    true
}

/// `[a-zA-Z0-9]` or `[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]`.
fn is_domain_component(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-')
}

fn is_domain(s: &str) -> bool {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let Some(end) = rest.find(']') else {
            return false;
        };
        let ip = &rest[..end];
        if ip.is_empty() || !ip.bytes().all(|c| c.is_ascii_hexdigit() || c == b':') {
            return false;
        }
        let after = &rest[end + 1..];
        match after.strip_prefix(':') {
            Some(p) => (None, Some(p)),
            None if after.is_empty() => (None, None),
            None => return false,
        }
    } else {
        match s.split_once(':') {
            Some((h, p)) => (Some(h), Some(p)),
            None => (Some(s), None),
        }
    };
    if let Some(h) = host {
        if !h.split('.').all(is_domain_component) {
            return false;
        }
    }
    port.is_none_or(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
}

fn is_tag(s: &str) -> bool {
    let b = s.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    !b.is_empty()
        && b.len() <= 128
        && word(b[0])
        && b[1..].iter().all(|&c| word(c) || c == b'.' || c == b'-')
}

/// The digest grammar of the reference regexp: `algorithm ":" hex{32,}`.
fn is_digest_syntax(s: &str) -> bool {
    let Some((alg, hex)) = s.split_once(':') else {
        return false;
    };
    let alg_ok = alg.split(['+', '.', '_', '-']).all(|c| {
        let b = c.as_bytes();
        !b.is_empty() && b[0].is_ascii_alphabetic() && b.iter().all(u8::is_ascii_alphanumeric)
    });
    alg_ok && hex.len() >= 32 && hex.bytes().all(|c| c.is_ascii_hexdigit())
}

/// go-digest's validation, with only sha256 registered (as in BuildKit's build).
fn validate_digest(d: &str) -> Result<(), &'static str> {
    let Some((alg, hex)) = d
        .split_once(':')
        .filter(|(a, h)| !a.is_empty() && !h.is_empty())
    else {
        return Err("invalid checksum digest format");
    };
    if alg != "sha256" {
        return Err("unsupported digest algorithm");
    }
    if hex.len() != 64 {
        return Err("invalid checksum digest length");
    }
    if !hex
        .bytes()
        .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    {
        return Err("invalid checksum digest format");
    }
    Ok(())
}

/// Matches the anchored reference grammar: `(domain, path, tag, digest)`.
fn match_reference(s: &str) -> Option<(String, String, Option<String>, Option<String>)> {
    let (left, digest) = match s.split_once('@') {
        Some((l, d)) => (l, Some(d)),
        None => (s, None),
    };
    if digest.is_some_and(|d| !is_digest_syntax(d)) {
        return None;
    }
    // A ':' followed by no '/' separates the tag; one followed by a '/' is a port.
    let (name, tag) = match left.rfind(':') {
        Some(i) if !left[i + 1..].contains('/') => (&left[..i], Some(&left[i + 1..])),
        _ => (left, None),
    };
    if tag.is_some_and(|t| !is_tag(t)) {
        return None;
    }
    let comps: Vec<&str> = name.split('/').collect();
    // The domain is optional and tried first, like the regexp's greedy `(domain/)?`.
    let (domain, path_comps) = match comps.split_first() {
        Some((first, rest)) if !rest.is_empty() && is_domain(first) => (*first, rest),
        _ => ("", &comps[..]),
    };
    if path_comps.is_empty() || !path_comps.iter().all(|c| is_path_component(c)) {
        return None;
    }
    Some((
        domain.to_owned(),
        path_comps.join("/"),
        tag.map(str::to_owned),
        digest.map(str::to_owned),
    ))
}

/// distribution/reference `Parse` (no normalisation).
fn parse(s: &str) -> Result<Reference, &'static str> {
    let Some((domain, path, tag, digest)) = match_reference(s) else {
        if s.is_empty() {
            return Err("repository name must have at least one component");
        }
        if match_reference(&s.to_ascii_lowercase()).is_some() {
            return Err("repository name must be lowercase");
        }
        return Err("invalid reference format");
    };
    if path.len() > NAME_TOTAL_LENGTH_MAX {
        return Err("repository name must not be more than 255 characters");
    }
    if let Some(d) = &digest {
        validate_digest(d)?;
    }
    Ok(Reference {
        domain,
        path,
        tag,
        digest,
    })
}

impl Reference {
    /// `ParseNormalizedNamed`: `ubuntu` → `docker.io/library/ubuntu` (no tag added; see
    /// [`Reference::with_default_tag`]).
    ///
    /// # Errors
    /// The exact messages of distribution/reference, e.g. `invalid reference format`,
    /// `invalid reference format: repository name (library/Foo) must be lowercase`.
    pub fn parse_normalized(input: &str) -> Result<Reference, ReferenceError> {
        let err = |message: String| ReferenceError {
            message,
            input: input.to_owned(),
        };
        if input.len() == 64
            && input
                .bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        {
            return Err(err(format!(
                "invalid repository name ({input}), cannot specify 64-byte hexadecimal strings"
            )));
        }
        let (domain, remainder) = split_docker_domain(input);
        let remote = remainder.split(':').next().unwrap_or_default();
        if remote.to_ascii_lowercase() != remote {
            return Err(err(format!(
                "invalid reference format: repository name ({remote}) must be lowercase"
            )));
        }
        parse(&format!("{domain}/{remainder}")).map_err(|m| err(m.to_owned()))
    }

    /// `TagNameOnly`: adds `:latest` when there is neither tag nor digest.
    pub fn with_default_tag(mut self) -> Self {
        if self.tag.is_none() && self.digest.is_none() {
            self.tag = Some("latest".to_owned());
        }
        self
    }

    /// `ParseNormalizedNamed` then `TagNameOnly`: what `FROM` and `-t` use.
    ///
    /// # Errors
    /// As [`Reference::parse_normalized`].
    pub fn parse_docker(input: &str) -> Result<Reference, ReferenceError> {
        Ok(Self::parse_normalized(input)?.with_default_tag())
    }

    /// The registry host (and port), e.g. `docker.io`, `localhost:5000`.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    /// The repository path, e.g. `library/ubuntu`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The tag, if any.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The digest, if any.
    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }

    /// `domain/path`.
    pub fn name(&self) -> String {
        if self.domain.is_empty() {
            self.path.clone()
        } else {
            format!("{}/{}", self.domain, self.path)
        }
    }

    /// The short name the Docker CLI prints: no `docker.io/`, no `library/` for
    /// official images.
    pub fn familiar_name(&self) -> String {
        if self.domain != DEFAULT_DOMAIN {
            return self.name();
        }
        match self.path.strip_prefix(OFFICIAL_PREFIX) {
            Some(rest) if !rest.contains('/') => rest.to_owned(),
            _ => self.path.clone(),
        }
    }

    fn suffix(&self) -> String {
        let mut s = String::new();
        if let Some(t) = &self.tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }

    /// `FamiliarString`, e.g. `redis:7`.
    pub fn familiar(&self) -> String {
        format!("{}{}", self.familiar_name(), self.suffix())
    }
}

impl fmt::Display for Reference {
    /// The fully qualified form, e.g. `docker.io/library/redis:7`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.name(), self.suffix())
    }
}

fn split_docker_domain(name: &str) -> (String, String) {
    let (mut domain, mut remainder) = match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.to_ascii_lowercase() != first =>
        {
            (first.to_owned(), rest.to_owned())
        }
        _ => (DEFAULT_DOMAIN.to_owned(), name.to_owned()),
    };
    if domain == LEGACY_DEFAULT_DOMAIN {
        domain = DEFAULT_DOMAIN.to_owned();
    }
    if domain == DEFAULT_DOMAIN && !remainder.contains('/') {
        remainder = format!("{OFFICIAL_PREFIX}{remainder}");
    }
    (domain, remainder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::disallowed_methods, reason = "tests read the shared corpus")]
    fn shared_reference_cases_all_match() {
        let Some(shared) = layerlab_testkit::shared_dir("shared_reference_cases_all_match") else {
            return;
        };
        let text = std::fs::read_to_string(shared.join("corpus/reference-cases.json")).unwrap();
        let cases = layerlab_text::json::parse(text.as_bytes()).unwrap();
        let cases = cases.as_array().unwrap();
        assert!(cases.len() >= 20);
        for case in cases {
            let input = case.get("input").unwrap().as_str().unwrap();
            match Reference::parse_normalized(input) {
                Ok(r) => {
                    assert_eq!(
                        Some(r.clone().with_default_tag().to_string().as_str()),
                        case.str_at("normalized"),
                        "{input}"
                    );
                    assert_eq!(
                        Some(r.familiar().as_str()),
                        case.str_at("familiar"),
                        "{input}"
                    );
                }
                Err(e) => assert_eq!(Some(e.message.as_str()), case.str_at("error"), "{input}"),
            }
        }
    }

    #[test]
    fn more_cases() {
        let n = |s: &str| {
            Reference::parse_docker(s)
                .map(|r| r.to_string())
                .map_err(|e| e.message)
        };
        assert_eq!(
            n("localhost:5000/foo").unwrap(),
            "localhost:5000/foo:latest"
        );
        assert_eq!(n("a/b/c:v1.0").unwrap(), "docker.io/a/b/c:v1.0");
        assert_eq!(n("").unwrap_err(), "invalid reference format");
        assert_eq!(n("foo@sha512:abc").unwrap_err(), "invalid reference format");
        assert_eq!(
            n(&format!("foo@sha512:{}", "a".repeat(128))).unwrap_err(),
            "unsupported digest algorithm"
        );
        assert_eq!(n("foo:bar:baz").unwrap_err(), "invalid reference format");
        assert_eq!(n("a__b/c").unwrap(), "docker.io/a__b/c:latest");
        assert_eq!(n("a___b/c").unwrap_err(), "invalid reference format");
        assert_eq!(
            n(&format!("x:{}", "t".repeat(129))).unwrap_err(),
            "invalid reference format"
        );
    }
}
