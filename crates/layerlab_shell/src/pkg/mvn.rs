//! `mvn package`/`install`/`verify`/`dependency:go-offline` (the `maven` images).
//!
//! Reads `pom.xml` in the working directory: the project's `artifactId`, `version` and
//! `packaging`, and each `<dependency>`. Every dependency (and the build plugins
//! Maven itself needs, about 12 MB on a first build) lands in the local repository,
//! `~/.m2/repository/<group path>/<artifact>/<version>/`, which is why a
//! `--mount=type=cache,target=/root/.m2` matters. `package` writes
//! `target/<artifactId>-<version>.jar` (or `.war`): a few KB per source file, and
//! for a Spring Boot project (its plugin in the pom) a fat jar holding every
//! dependency. No `pom.xml`: Maven's own error, status 1.

use super::seed;
use crate::exec::{read_text, Shell, R};
use crate::io::Io;
use crate::utils::any_arg;
use layerlab_vfs::{Content, Node, VfsPath};
use std::fmt::Write as _;

/// Bytes Maven downloads for its own plugins on a first `package` (estimate).
const PLUGIN_BYTES: u64 = 12_000_000;
/// A dependency jar with its transitive jars, when [`dependency_bytes`] does not know
/// it (estimate).
const DEPENDENCY_BYTES: u64 = 3_000_000;

/// A well-known dependency's jar with its transitive runtime jars: what it adds to the
/// local repository and to a Spring Boot fat jar (estimates from the `BOOT-INF/lib`
/// of Spring Boot 3.4 projects: the web starter brings Spring MVC, embedded Tomcat and
/// Jackson, about 19 MB; the JPA starter Hibernate, about 25 MB).
fn dependency_bytes(artifact: &str) -> u64 {
    match artifact {
        "spring-boot-starter-web" => 19_500_000,
        "spring-boot-starter-webflux" => 17_000_000,
        "spring-boot-starter-data-jpa" => 25_000_000,
        "spring-boot-starter-actuator" => 4_500_000,
        "spring-boot-starter-security" => 3_500_000,
        "spring-boot-starter-validation" => 1_800_000,
        "spring-boot-starter" => 6_000_000,
        "guava" => 3_300_000,
        "jackson-databind" => 2_200_000,
        "postgresql" => 1_100_000,
        "lombok" => 2_000_000,
        _ => DEPENDENCY_BYTES,
    }
}

/// The text of the first `<tag>…</tag>` in `xml`.
fn tag<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&close)? + start;
    Some(xml[start..end].trim())
}

/// `xml` without the `<name>…</name>` sections (all of them).
fn without(xml: &str, name: &str) -> String {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let mut out = String::new();
    let mut rest = xml;
    while let Some(s) = rest.find(&open) {
        out.push_str(&rest[..s]);
        match rest[s..].find(&close) {
            Some(e) => rest = &rest[s + e + close.len()..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

struct Pom {
    group: String,
    artifact: String,
    version: String,
    packaging: String,
    deps: Vec<(String, String, String)>,
    spring_boot: bool,
}

fn parse_pom(xml: &str) -> Pom {
    let own = without(
        &without(&without(&without(xml, "parent"), "dependencies"), "build"),
        "dependencyManagement",
    );
    let parent_version = tag(xml, "parent")
        .and_then(|p| tag(p, "version"))
        .unwrap_or("1.0");
    let mut deps = Vec::new();
    let mut rest = xml;
    while let Some(s) = rest.find("<dependency>") {
        let Some(e) = rest[s..].find("</dependency>") else {
            break;
        };
        let d = &rest[s..s + e];
        if deps.len() < 1_000 {
            deps.push((
                tag(d, "groupId").unwrap_or("unknown").to_owned(),
                tag(d, "artifactId").unwrap_or("unknown").to_owned(),
                tag(d, "version").unwrap_or(parent_version).to_owned(),
            ));
        }
        rest = &rest[s + e..];
    }
    Pom {
        group: tag(&own, "groupId")
            .or_else(|| tag(xml, "groupId"))
            .unwrap_or("com.example")
            .to_owned(),
        artifact: tag(&own, "artifactId").unwrap_or("app").to_owned(),
        version: tag(&own, "version").unwrap_or(parent_version).to_owned(),
        packaging: tag(&own, "packaging").unwrap_or("jar").to_owned(),
        deps,
        spring_boot: xml.contains("spring-boot-maven-plugin"),
    }
}

/// A path component safe to use in the VFS (no separators or dot-dot).
fn safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .replace("..", "_")
}

impl Shell<'_> {
    fn java_sources(&self, dir: &VfsPath, budget: &mut u32) -> (u64, u64) {
        let mut total = (0, 0);
        let Ok(entries) = self.fs.read_dir(dir) else {
            return total;
        };
        for (n, node) in entries {
            if *budget == 0 {
                continue;
            }
            *budget -= 1;
            match node {
                Node::File(f) if n.ends_with(".java") || n.ends_with(".kt") => {
                    total.0 += 1;
                    total.1 += f.content.len();
                }
                Node::Dir(_) => {
                    let (c, b) = self.java_sources(&dir.child(n), budget);
                    total.0 += c;
                    total.1 += b;
                }
                _ => {}
            }
        }
        total
    }
}

/// `mvn ARGS`.
pub(crate) fn mvn(sh: &mut Shell<'_>, args: &[String], io: &Io) -> R<u8> {
    let goals: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if any_arg(args, &["-v", "--version"]) {
        sh.out(io, "Apache Maven 3.9.9\nMaven home: /usr/share/maven\n")?;
        return Ok(0);
    }
    let skip_tests = args
        .iter()
        .any(|a| a.starts_with("-DskipTests") || a == "-Dmaven.test.skip=true");
    let quiet = any_arg(args, &["-q", "--quiet"]);
    let pom_path = sh.path("pom.xml");
    let Some(pom) = read_text(sh.fs, &pom_path) else {
        let cwd = sh.st.cwd.to_string();
        sh.out_line(io, format_args!("[INFO] Scanning for projects...\n[ERROR] The goal you specified requires a project to execute but there is no POM in this directory ({cwd}). Please verify you invoked Maven from the correct directory. -> [Help 1]"))?;
        return Ok(1);
    };
    let pom = parse_pom(&pom);
    let home = sh.get_var("HOME").unwrap_or("/root").to_owned();
    let repo = format!("{home}/.m2/repository");
    let mut log = format!(
        "[INFO] Scanning for projects...\n[INFO] \n[INFO] {:-^72}\n[INFO] Building {} {}\n[INFO]   from pom.xml\n[INFO] {:-^72}\n",
        format!("< {}:{} >", pom.group, pom.artifact),
        pom.artifact,
        pom.version,
        format!("[ {} ]", pom.packaging)
    );
    // Maven's own plugins, then the project's dependencies.
    let plugins = format!("{repo}/org/apache/maven/plugins/maven-plugins-bundle/3.9.9/plugins.jar");
    if !sh.fs.exists(&VfsPath::new(&plugins)) {
        sh.put_file(
            &plugins,
            Content::synthetic(seed(&plugins), PLUGIN_BYTES),
            0o644,
        );
    }
    let mut dep_bytes = 0;
    for (g, a, v) in &pom.deps {
        sh.tick(4)?;
        let dir = format!(
            "{repo}/{}/{}/{}",
            safe(g).replace('.', "/"),
            safe(a),
            safe(v)
        );
        let jar = format!("{dir}/{}-{}.jar", safe(a), safe(v));
        let bytes = dependency_bytes(a);
        dep_bytes += bytes;
        if !sh.fs.exists(&VfsPath::new(&jar)) {
            sh.put_file(&jar, Content::synthetic(seed(&jar), bytes), 0o644);
            sh.put_file(&format!("{dir}/{}-{}.pom", safe(a), safe(v)), Content::inline(format!("<project><groupId>{g}</groupId><artifactId>{a}</artifactId><version>{v}</version></project>\n")), 0o644);
        }
    }
    let wants_package = goals
        .iter()
        .any(|g| matches!(*g, "package" | "install" | "verify" | "deploy"));
    if wants_package {
        let mut budget = 20_000;
        let (files, src_bytes) = sh.java_sources(&sh.path("src/main"), &mut budget);
        let ext = if pom.packaging == "war" { "war" } else { "jar" };
        let name = format!("{}-{}.{ext}", safe(&pom.artifact), safe(&pom.version));
        let mut size = 2_000 + files * 1_500 + src_bytes;
        if pom.spring_boot {
            size += dep_bytes + 300_000;
        }
        sh.put_file(
            &sh.path("target").join(&name).to_string(),
            Content::synthetic(seed(&name) ^ src_bytes, size),
            0o644,
        );
        sh.put_file(
            &sh.path("target/classes/.layerlab").to_string(),
            Content::synthetic(seed(&name), files * 1_500),
            0o644,
        );
        if skip_tests {
            log.push_str("[INFO] Tests are skipped.\n");
        }
        let _ = writeln!(
            log,
            "[INFO] Building {ext}: {}",
            sh.path("target").join(&name)
        );
        if pom.spring_boot {
            log.push_str("[INFO] --- spring-boot:repackage (repackage) ---\n");
        }
    }
    log.push_str("[INFO] ------------------------------------------------------------------------\n[INFO] BUILD SUCCESS\n[INFO] ------------------------------------------------------------------------\n");
    sh.duration_ms += 5_000 + dep_bytes / 100_000;
    if !quiet {
        sh.out(io, &log)?;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pom_coordinates_skip_parent_and_dependencies() {
        let xml = "<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.4.0</version></parent><groupId>com.acme</groupId><artifactId>shop</artifactId><version>0.0.1-SNAPSHOT</version><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies><build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>";
        let p = parse_pom(xml);
        assert_eq!(
            (p.group.as_str(), p.artifact.as_str(), p.version.as_str()),
            ("com.acme", "shop", "0.0.1-SNAPSHOT")
        );
        assert_eq!(
            p.deps,
            [(
                "org.springframework.boot".into(),
                "spring-boot-starter-web".into(),
                "3.4.0".into()
            )]
        );
        assert!(p.spring_boot);
        assert_eq!(safe("../x"), "__x");
    }
}
