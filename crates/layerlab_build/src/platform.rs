//! Platforms as `--platform` writes them (`linux/arm64/v8`), over the OCI
//! [`Platform`](layerlab_image::Platform) type, and the predefined ARGs they imply.

pub use layerlab_image::Platform;

/// The platform of the simulated builder: linux/amd64.
pub fn builder_platform() -> Platform {
    Platform {
        os: "linux".into(),
        architecture: "amd64".into(),
        variant: None,
    }
}

/// Parses `os/arch[/variant]`, normalising `x86_64` → `amd64`, `aarch64` → `arm64`
/// and dropping arm64's default `v8`.
///
/// # Errors
/// When the text is not of that form (BuildKit's message).
pub fn parse(text: &str) -> Result<Platform, String> {
    let parts: Vec<&str> = text.split('/').collect();
    if parts.len() < 2 || parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(format!(
            "\"{text}\": unknown operating system or architecture: invalid argument"
        ));
    }
    let architecture = match parts[1].to_ascii_lowercase().as_str() {
        "x86_64" | "x86-64" => "amd64".to_string(),
        "aarch64" => "arm64".to_string(),
        a => a.to_string(),
    };
    let variant = parts
        .get(2)
        .map(|v| v.to_ascii_lowercase())
        .filter(|v| !(architecture == "arm64" && v == "v8"));
    Ok(Platform {
        os: parts[0].to_ascii_lowercase(),
        architecture,
        variant,
    })
}

/// `os/arch[/variant]`.
pub fn display(p: &Platform) -> String {
    match &p.variant {
        Some(v) if !v.is_empty() => format!("{}/{}/{v}", p.os, p.architecture),
        _ => format!("{}/{}", p.os, p.architecture),
    }
}

/// The predefined ARGs for target platform `target` built on `build`.
pub fn predefined_args(target: &Platform, build: &Platform) -> Vec<(String, String)> {
    let variant = |p: &Platform| p.variant.clone().unwrap_or_default();
    vec![
        ("TARGETPLATFORM".into(), display(target)),
        ("TARGETOS".into(), target.os.clone()),
        ("TARGETARCH".into(), target.architecture.clone()),
        ("TARGETVARIANT".into(), variant(target)),
        ("BUILDPLATFORM".into(), display(build)),
        ("BUILDOS".into(), build.os.clone()),
        ("BUILDARCH".into(), build.architecture.clone()),
        ("BUILDVARIANT".into(), variant(build)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn parse_and_print() {
        assert_eq!(display(&parse("linux/arm/v7").unwrap()), "linux/arm/v7");
        assert_eq!(display(&parse("linux/aarch64").unwrap()), "linux/arm64");
        assert_eq!(display(&parse("linux/arm64/v8").unwrap()), "linux/arm64");
        assert!(parse("linux").is_err());
        let args = predefined_args(&parse("linux/arm/v7").unwrap(), &builder_platform());
        assert!(args.contains(&("TARGETVARIANT".into(), "v7".into())));
        assert!(args.contains(&("BUILDPLATFORM".into(), "linux/amd64".into())));
    }
}
