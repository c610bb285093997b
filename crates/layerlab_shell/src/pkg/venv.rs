//! `python -m venv DIR`: a virtual environment `pip` then installs into.
//!
//! The layout is Python's own: `pyvenv.cfg` (which `pip` uses to recognize the
//! environment), `bin/python` linking to the interpreter that created it, `bin/pip*`
//! and `bin/activate`, and a copy of pip (~12 MB) in its `site-packages` unless
//! `--without-pip`. With `ENV PATH=/opt/venv/bin:$PATH`, later `pip install` steps go
//! into the environment, the usual multi-stage Python pattern.

use super::seed;
use crate::exec::{Shell, R};
use crate::io::Io;
use crate::utils::any_arg;
use layerlab_vfs::Content;

/// `python -m venv DIR`: the layout `pip` later recognizes (`pyvenv.cfg`), with
/// `bin/python` linking to the interpreter that created it.
pub(crate) fn venv(sh: &mut Shell<'_>, argv0: &str, args: &[String], io: &Io) -> R<u8> {
    let Some(dir) = args.iter().find(|a| !a.starts_with('-')) else {
        sh.err(io, "usage: venv [-h] [--system-site-packages] [--symlinks | --copies] [--clear] [--upgrade] [--without-pip] [--prompt PROMPT] [--upgrade-deps] ENV_DIR [ENV_DIR ...]\nvenv: error: the following arguments are required: ENV_DIR\n")?;
        return Ok(2);
    };
    let root = sh.path(dir);
    let python = sh.python_minor();
    let exe = sh.find_in_path(argv0, false).map_or_else(
        || format!("/usr/local/bin/python{python}"),
        |p| p.to_string(),
    );
    let home = exe
        .rsplit_once('/')
        .map_or("/usr/local/bin", |(h, _)| h)
        .to_owned();
    let r = root.to_string();
    sh.put_file(
        &format!("{r}/pyvenv.cfg"),
        Content::inline(format!("home = {home}\ninclude-system-site-packages = false\nversion = {python}\nexecutable = {exe}\ncommand = {exe} -m venv {r}\n")),
        0o644,
    );
    let bin = root.child("bin");
    for (name, target) in [
        ("python", exe.clone()),
        ("python3", "python".to_owned()),
        (&*format!("python{python}"), "python".to_owned()),
    ] {
        let meta = sh.new_file_meta(0o777);
        let _ = sh.fs.symlink(&target, &bin.child(name), meta);
    }
    let script = format!(
        "#!{r}/bin/python\nimport sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n"
    );
    if !any_arg(args, &["--without-pip"]) {
        for name in ["pip", "pip3", &format!("pip{python}")] {
            sh.put_file(
                &format!("{r}/bin/{name}"),
                Content::inline(script.clone()),
                0o755,
            );
        }
        // pip itself (~12 MB unpacked) is copied into every new environment.
        sh.put_file(
            &format!("{r}/lib/python{python}/site-packages/pip/_vendor.bin"),
            Content::synthetic(seed(&r), 12_000_000),
            0o644,
        );
        sh.put_file(
            &format!("{r}/lib/python{python}/site-packages/pip-24.3.1.dist-info/INSTALLER"),
            Content::inline("pip\n"),
            0o644,
        );
    }
    sh.put_file(
        &format!("{r}/bin/activate"),
        Content::inline(format!("# source this file with . {r}/bin/activate\nVIRTUAL_ENV={r}\nexport VIRTUAL_ENV\nPATH=\"$VIRTUAL_ENV/bin:$PATH\"\nexport PATH\n")),
        0o644,
    );
    sh.duration_ms += 2_500;
    Ok(0)
}
