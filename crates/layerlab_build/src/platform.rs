//! Platforms (`linux/arm64/v8`) and the predefined platform ARGs they imply.

use std::fmt;

/// An OS/architecture/variant triple.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Platform {
    /// `linux`.
    pub os: String,
    /// `amd64`, `arm64`, `arm`, ….
    pub arch: String,
    /// `v7`, `v8`, or empty.
    pub variant: String,
}

impl Default for Platform {
    /// `linux/amd64`, the platform of the simulated builder.
    fn default() -> Self {
        Platform {
            os: "linux".into(),
            arch: "amd64".into(),
            variant: String::new(),
        }
    }
}

impl Platform {
    /// Parses `os/arch[/variant]` (normalising `x86_64` → `amd64`, `aarch64` → `arm64`).
    ///
    /// # Errors
    /// When the text is not of that form.
    pub fn parse(text: &str) -> Result<Platform, String> {
        let parts: Vec<&str> = text.split('/').collect();
        let bad =
            || format!("\"{text}\": unknown operating system or architecture: invalid argument");
        if parts.len() < 2 || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
            return Err(bad());
        }
        let arch = match parts[1].to_ascii_lowercase().as_str() {
            "x86_64" | "x86-64" => "amd64".to_string(),
            "aarch64" => "arm64".to_string(),
            a => a.to_string(),
        };
        let mut variant = parts
            .get(2)
            .map_or(String::new(), |v| v.to_ascii_lowercase());
        if arch == "arm64" && variant == "v8" {
            variant.clear();
        }
        Ok(Platform {
            os: parts[0].to_ascii_lowercase(),
            arch,
            variant,
        })
    }

    /// The predefined ARGs for a target platform `self` built on `build`.
    pub fn predefined_args(&self, build: &Platform) -> Vec<(String, String)> {
        vec![
            ("TARGETPLATFORM".into(), self.to_string()),
            ("TARGETOS".into(), self.os.clone()),
            ("TARGETARCH".into(), self.arch.clone()),
            ("TARGETVARIANT".into(), self.variant.clone()),
            ("BUILDPLATFORM".into(), build.to_string()),
            ("BUILDOS".into(), build.os.clone()),
            ("BUILDARCH".into(), build.arch.clone()),
            ("BUILDVARIANT".into(), build.variant.clone()),
        ]
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.arch)?;
        if !self.variant.is_empty() {
            write!(f, "/{}", self.variant)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn parse_and_print() {
        assert_eq!(
            Platform::parse("linux/arm/v7").unwrap().to_string(),
            "linux/arm/v7"
        );
        assert_eq!(
            Platform::parse("linux/aarch64").unwrap().to_string(),
            "linux/arm64"
        );
        assert_eq!(
            Platform::parse("linux/arm64/v8").unwrap().to_string(),
            "linux/arm64"
        );
        assert!(Platform::parse("linux").is_err());
        let args = Platform::parse("linux/arm/v7")
            .unwrap()
            .predefined_args(&Platform::default());
        assert!(args.contains(&("TARGETVARIANT".into(), "v7".into())));
        assert!(args.contains(&("BUILDPLATFORM".into(), "linux/amd64".into())));
    }
}
