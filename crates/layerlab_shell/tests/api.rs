//! The public entry point: statuses, budget, warnings, dialects, exec form, users and
//! permissions, on small hand-built images.

use layerlab_shell::{
    resolve_user_spec, run, ExitStatus, RunCommand, RunOutcome, RunRequest, DEFAULT_BUDGET,
};
use layerlab_vfs::{Content, Fs, Meta, Node, VfsPath};

/// A Debian-like image: /bin -> usr/bin, dash as sh, a few tools, passwd/group/shadow.
fn debian() -> Fs {
    let mut fs = Fs::default();
    fs.mkdir_p(&VfsPath::new("/usr/bin"), Meta::new(0o755))
        .unwrap();
    fs.mkdir_p(&VfsPath::new("/usr/sbin"), Meta::new(0o755))
        .unwrap();
    fs.symlink("usr/bin", &VfsPath::new("/bin"), Meta::new(0o777))
        .unwrap();
    fs.symlink("usr/sbin", &VfsPath::new("/sbin"), Meta::new(0o777))
        .unwrap();
    for t in [
        "dash", "bash", "cat", "ls", "mkdir", "rm", "cp", "mv", "touch", "chown", "chmod", "id",
        "apt-get", "sed", "find", "ln", "node",
    ] {
        exe(&mut fs, &format!("/usr/bin/{t}"));
    }
    for t in ["useradd", "groupadd", "adduser", "addgroup"] {
        exe(&mut fs, &format!("/usr/sbin/{t}"));
    }
    fs.symlink("dash", &VfsPath::new("/usr/bin/sh"), Meta::new(0o777))
        .unwrap();
    fs.mkdir_p(&VfsPath::new("/etc/skel"), Meta::new(0o755))
        .unwrap();
    file(&mut fs, "/etc/skel/.bashrc", "# bashrc\n");
    file(&mut fs, "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
    file(
        &mut fs,
        "/etc/group",
        "root:x:0:\nusers:x:100:\nnogroup:x:65534:\n",
    );
    file(&mut fs, "/etc/shadow", "root:*:19000:0:99999:7:::\n");
    fs.mkdir_p(&VfsPath::new("/root"), Meta::new(0o700))
        .unwrap();
    fs.mkdir_p(&VfsPath::new("/home"), Meta::new(0o755))
        .unwrap();
    fs.mkdir_p(&VfsPath::new("/tmp"), Meta::new(0o1777))
        .unwrap();
    fs
}

/// An Alpine-like image: everything is a BusyBox applet.
fn alpine() -> Fs {
    let mut fs = Fs::default();
    fs.mkdir_p(&VfsPath::new("/bin"), Meta::new(0o755)).unwrap();
    fs.mkdir_p(&VfsPath::new("/usr/sbin"), Meta::new(0o755))
        .unwrap();
    fs.mkdir_p(&VfsPath::new("/etc"), Meta::new(0o755)).unwrap();
    exe(&mut fs, "/bin/busybox");
    for t in ["sh", "ls", "cat", "mkdir", "id"] {
        fs.symlink(
            "/bin/busybox",
            &VfsPath::new("/bin").child(t),
            Meta::new(0o777),
        )
        .unwrap();
    }
    for t in ["adduser", "addgroup"] {
        fs.symlink(
            "/bin/busybox",
            &VfsPath::new("/usr/sbin").child(t),
            Meta::new(0o777),
        )
        .unwrap();
    }
    file(
        &mut fs,
        "/etc/passwd",
        "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n",
    );
    file(
        &mut fs,
        "/etc/group",
        "root:x:0:root\nusers:x:100:games\nnogroup:x:65533:\n",
    );
    fs.mkdir_p(&VfsPath::new("/home"), Meta::new(0o755))
        .unwrap();
    fs
}

fn exe(fs: &mut Fs, p: &str) {
    fs.write_file(
        &VfsPath::new(p),
        Content::inline("\x7fELF"),
        Meta::new(0o755),
    )
    .unwrap();
}

fn file(fs: &mut Fs, p: &str, c: &str) {
    fs.write_file(&VfsPath::new(p), Content::inline(c), Meta::new(0o644))
        .unwrap();
}

fn read(fs: &Fs, p: &str) -> String {
    String::from_utf8(fs.read_file(&VfsPath::new(p)).unwrap().to_vec()).unwrap()
}

fn sh(fs: &mut Fs, script: &str) -> RunOutcome {
    run(fs, &RunRequest::shell(script))
}

#[test]
fn endless_loop_ends_with_budget_exhausted() {
    let mut fs = debian();
    let req = RunRequest {
        budget: 10_000,
        ..RunRequest::shell("while true; do :; done")
    };
    let out = run(&mut fs, &req);
    assert_eq!(out.status, ExitStatus::BudgetExhausted);
    assert_eq!(out.status.code(), 137);
    assert!(
        out.stderr()
            .contains("step budget (10000 steps) is exhausted"),
        "{}",
        out.stderr()
    );
}

#[test]
fn runaway_growth_and_recursion_end() {
    for script in [
        "x=a; while :; do x=$x$x; done",
        "f() { f; }; f",
        "f() { f | f; }; f",
        "echo a > f; while :; do cat f f > g; mv g f; done",
        "yes() { while :; do echo y; done; }; yes | head -1",
    ] {
        let mut fs = debian();
        let out = run(
            &mut fs,
            &RunRequest {
                budget: 200_000,
                ..RunRequest::shell(script)
            },
        );
        assert_ne!(out.status, ExitStatus::Exited(0), "{script}: {out:?}");
    }
}

#[test]
fn missing_command_is_127_with_dash_message() {
    let mut fs = debian();
    let out = sh(&mut fs, "curl -fsSL https://example.com");
    assert_eq!(out.status, ExitStatus::Exited(127));
    assert_eq!(out.stderr(), "/bin/sh: 1: curl: not found\n");
}

#[test]
fn unmodeled_command_is_a_visible_noop() {
    let mut fs = debian();
    let out = sh(&mut fs, "echo start\nnode app.js && echo after");
    assert_eq!(out.status, ExitStatus::Exited(0));
    assert_eq!(out.stdout(), "start\nafter\n");
    assert_eq!(out.warnings.len(), 1);
    let w = &out.warnings[0];
    assert_eq!(w.code, "unmodeled-command");
    assert!(w.message.contains("`node`"), "{}", w.message);
    // The range points at the command in the script.
    assert_eq!(u32::from(w.range.start()), 11);
    assert_eq!(u32::from(w.range.end()), 22);
}

#[test]
fn bash_shell_has_pipefail_and_bash_messages() {
    let mut fs = debian();
    let req = RunRequest {
        shell: vec![
            "/bin/bash".into(),
            "-o".into(),
            "pipefail".into(),
            "-c".into(),
        ],
        ..RunRequest::shell("nope | cat; echo $?")
    };
    let out = run(&mut fs, &req);
    assert_eq!(out.stdout(), "127\n");
    assert_eq!(out.stderr(), "/bin/bash: line 1: nope: command not found\n");
}

#[test]
fn combined_shell_flags_with_pipefail() {
    let mut fs = debian();
    let req = RunRequest {
        shell: vec![
            "/bin/bash".into(),
            "-eo".into(),
            "pipefail".into(),
            "-c".into(),
        ],
        ..RunRequest::shell("false | true; echo unreachable")
    };
    let out = run(&mut fs, &req);
    assert_eq!(out.status, ExitStatus::Exited(1));
    assert_eq!(out.stdout(), "");
}

#[test]
fn dash_rejects_pipefail() {
    let mut fs = debian();
    let out = sh(&mut fs, "set -o pipefail && echo unreachable");
    assert_eq!(out.status, ExitStatus::Exited(2));
    assert_eq!(
        out.stderr(),
        "/bin/sh: 1: set: Illegal option -o pipefail\n"
    );
}

#[test]
fn busybox_sh_uses_ash_messages() {
    let mut fs = alpine();
    let out = sh(&mut fs, "nope");
    assert_eq!(out.stderr(), "/bin/sh: nope: not found\n");
    assert_eq!(out.status, ExitStatus::Exited(127));
}

#[test]
fn exec_form_runs_without_a_shell() {
    let mut fs = debian();
    let req = RunRequest {
        command: RunCommand::Exec(vec!["mkdir".into(), "-p".into(), "/opt/$HOME".into()]),
        ..RunRequest::default()
    };
    let out = run(&mut fs, &req);
    assert!(out.status.success());
    // No shell: no variable expansion.
    assert!(fs.exists(&VfsPath::new("/opt/$HOME")));
    let req = RunRequest {
        command: RunCommand::Exec(vec!["nope".into()]),
        ..RunRequest::default()
    };
    let out = run(&mut fs, &req);
    assert_eq!(out.status, ExitStatus::NotFound);
    assert!(out.stderr().contains("executable file not found in $PATH"));
}

#[test]
fn exec_form_shell_with_c_runs_the_script() {
    let mut fs = debian();
    let req = RunRequest {
        command: RunCommand::Exec(vec![
            "sh".into(),
            "-c".into(),
            "echo $0 $1".into(),
            "me".into(),
            "arg".into(),
        ]),
        ..RunRequest::default()
    };
    let out = run(&mut fs, &req);
    assert_eq!(out.stdout(), "me arg\n");
}

#[test]
fn env_workdir_and_epoch_are_applied() {
    let mut fs = debian();
    fs.mkdir_p(&VfsPath::new("/app"), Meta::new(0o755)).unwrap();
    let req = RunRequest {
        env: vec![("NAME".into(), "web".into())],
        workdir: "/app".into(),
        epoch: 1_700_000_000,
        ..RunRequest::shell("echo $NAME > name.txt; pwd")
    };
    let out = run(&mut fs, &req);
    assert_eq!(out.stdout(), "/app\n");
    assert_eq!(read(&fs, "/app/name.txt"), "web\n");
    let meta = fs.metadata(&VfsPath::new("/app/name.txt")).unwrap();
    assert_eq!((meta.mode, meta.mtime), (0o644, 1_700_000_000));
}

#[test]
fn useradd_creates_user_group_home_and_shadow() {
    let mut fs = debian();
    let out = sh(
        &mut fs,
        "groupadd -r app && useradd -r -g app -m -d /home/app -s /bin/bash app && id",
    );
    assert!(out.status.success(), "{}", out.stderr());
    assert!(read(&fs, "/etc/group").ends_with("app:x:999:\n"));
    assert!(read(&fs, "/etc/passwd").ends_with("app:x:999:999::/home/app:/bin/bash\n"));
    assert!(read(&fs, "/etc/shadow").ends_with("app:!:0:0:99999:7:::\n"));
    let home = fs.metadata(&VfsPath::new("/home/app")).unwrap();
    assert_eq!((home.uid, home.gid), (999, 999));
    assert_eq!(read(&fs, "/home/app/.bashrc"), "# bashrc\n");
    assert_eq!(resolve_user_spec(&fs, "app"), Ok((999, 999)));
    assert_eq!(resolve_user_spec(&fs, "app:root"), Ok((999, 0)));
    assert_eq!(resolve_user_spec(&fs, "1234"), Ok((1234, 0)));
    assert!(resolve_user_spec(&fs, "ghost")
        .unwrap_err()
        .contains("no matching entries in passwd file"));
    // A second useradd fails like shadow-utils.
    let out = sh(&mut fs, "useradd app");
    assert_eq!(out.status, ExitStatus::Exited(9));
    assert_eq!(out.stderr(), "useradd: user 'app' already exists\n");
}

#[test]
fn regular_users_start_at_1000_with_their_own_group() {
    let mut fs = debian();
    let out = sh(&mut fs, "useradd -m dev && useradd ops");
    assert!(out.status.success());
    assert_eq!(resolve_user_spec(&fs, "dev"), Ok((1000, 1000)));
    assert_eq!(resolve_user_spec(&fs, "ops"), Ok((1001, 1001)));
    assert!(fs.exists(&VfsPath::new("/home/dev")));
    assert!(!fs.exists(&VfsPath::new("/home/ops")));
}

#[test]
fn debian_adduser_system_and_regular() {
    let mut fs = debian();
    let out = sh(
        &mut fs,
        "adduser --system --group svc && adduser --disabled-password --gecos '' alice",
    );
    assert!(out.status.success(), "{}", out.stderr());
    assert_eq!(resolve_user_spec(&fs, "svc"), Ok((100, 101)));
    assert!(read(&fs, "/etc/passwd").contains("svc:x:100:101:,,,:/nonexistent:/usr/sbin/nologin\n"));
    assert_eq!(resolve_user_spec(&fs, "alice"), Ok((1000, 1000)));
    assert!(fs.exists(&VfsPath::new("/home/alice")));
}

#[test]
fn busybox_addgroup_adduser() {
    let mut fs = alpine();
    let out = sh(
        &mut fs,
        "addgroup -S app && adduser -S -G app app && adduser -D web",
    );
    assert!(out.status.success(), "{}", out.stderr());
    assert_eq!(resolve_user_spec(&fs, "app"), Ok((100, 101)));
    assert_eq!(resolve_user_spec(&fs, "web"), Ok((1000, 1000)));
    let out = sh(&mut fs, "adduser -D web");
    assert_eq!(out.stderr(), "adduser: user 'web' in use\n");
    assert_eq!(out.status, ExitStatus::Exited(1));
}

#[test]
fn non_root_user_cannot_write_root_dirs() {
    let mut fs = debian();
    sh(&mut fs, "useradd -m app");
    let req = RunRequest {
        user: "app".into(),
        ..RunRequest::shell("mkdir /opt/x; echo $?; touch ~/ok && echo $HOME; echo hi > /etc/x")
    };
    let out = run(&mut fs, &req);
    assert_eq!(out.stdout(), "1\n/home/app\n");
    assert_eq!(
        out.stderr(),
        "mkdir: cannot create directory '/opt/x': Permission denied\n/bin/sh: 1: cannot create /etc/x: Permission denied\n"
    );
    let meta = fs.metadata(&VfsPath::new("/home/app/ok")).unwrap();
    assert_eq!((meta.uid, meta.gid), (1000, 1000));
}

#[test]
fn unknown_user_cannot_start() {
    let mut fs = debian();
    let req = RunRequest {
        user: "ghost".into(),
        ..RunRequest::shell("true")
    };
    let out = run(&mut fs, &req);
    assert_eq!(out.status, ExitStatus::UnknownUser);
    assert_eq!(
        out.stderr(),
        "unable to find user ghost: no matching entries in passwd file\n"
    );
}

#[test]
fn chown_by_name_and_recursive() {
    let mut fs = debian();
    let out = sh(&mut fs, "useradd app && mkdir -p /srv/a/b && touch /srv/a/b/f && chown -R app:app /srv && chown nobody /nope; echo $?");
    assert_eq!(out.stdout(), "1\n");
    assert_eq!(
        out.stderr(),
        "chown: cannot access '/nope': No such file or directory\n"
    );
    for p in ["/srv", "/srv/a/b", "/srv/a/b/f"] {
        let m = fs.metadata(&VfsPath::new(p)).unwrap();
        assert_eq!((m.uid, m.gid), (1000, 1000), "{p}");
    }
    let out = sh(&mut fs, "chown ghost /srv");
    assert_eq!(out.stderr(), "chown: invalid user: 'ghost'\n");
}

#[test]
fn cp_keeps_synthetic_content_without_materializing() {
    let mut fs = debian();
    let big = Content::synthetic(42, 300 * 1024 * 1024);
    fs.write_file(&VfsPath::new("/big.bin"), big.clone(), Meta::new(0o644))
        .unwrap();
    let out = sh(
        &mut fs,
        "cp /big.bin /copy.bin && mv /copy.bin /moved.bin && rm /big.bin",
    );
    assert!(out.status.success());
    match fs.node(&VfsPath::new("/moved.bin")).unwrap() {
        Node::File(f) => assert_eq!(f.content.kind(), big.kind()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn scripts_from_the_image_run() {
    let mut fs = debian();
    fs.mkdir_p(&VfsPath::new("/app"), Meta::new(0o755)).unwrap();
    fs.write_file(
        &VfsPath::new("/app/install.sh"),
        Content::inline("#!/bin/sh\nset -e\nmkdir -p /opt/tool\necho \"installing $1\"\n"),
        Meta::new(0o755),
    )
    .unwrap();
    let out = sh(&mut fs, "cd /app && ./install.sh v1 && sh ./install.sh v2");
    assert_eq!(out.stdout(), "installing v1\ninstalling v2\n");
    assert!(fs.exists(&VfsPath::new("/opt/tool")));
    fs.set_mode(&VfsPath::new("/app/install.sh"), 0o644)
        .unwrap();
    let out = sh(&mut fs, "/app/install.sh");
    assert_eq!(out.status, ExitStatus::Exited(126));
    assert_eq!(
        out.stderr(),
        "/bin/sh: 1: /app/install.sh: Permission denied\n"
    );
}

#[test]
fn dot_sources_os_release() {
    let mut fs = debian();
    file(
        &mut fs,
        "/etc/os-release",
        "ID=debian\nVERSION_CODENAME=bookworm\n",
    );
    let out = sh(
        &mut fs,
        ". /etc/os-release && echo \"$ID $VERSION_CODENAME\"",
    );
    assert_eq!(out.stdout(), "debian bookworm\n");
}

#[test]
fn apt_lists_cleanup_pattern_removes_files() {
    let mut fs = debian();
    fs.mkdir_p(
        &VfsPath::new("/var/lib/apt/lists/partial"),
        Meta::new(0o755),
    )
    .unwrap();
    for n in [
        "deb.debian.org_debian_dists_bookworm_InRelease",
        "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4",
    ] {
        fs.write_file(
            &VfsPath::new("/var/lib/apt/lists").child(n),
            Content::synthetic(1, 9_000_000),
            Meta::new(0o644),
        )
        .unwrap();
    }
    let out = sh(&mut fs, "set -eux; rm -rf /var/lib/apt/lists/*");
    assert!(out.status.success());
    assert_eq!(out.stderr(), "+ rm -rf /var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease /var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4 /var/lib/apt/lists/partial\n");
    assert!(fs
        .read_dir(&VfsPath::new("/var/lib/apt/lists"))
        .unwrap()
        .is_empty());
}

#[test]
fn deterministic_across_runs() {
    let script =
        "for i in 1 2 3; do mkdir -p /d/$i; echo $i > /d/$i/f; done; ls /d; find /d -type f";
    let mut a = debian();
    let mut b = debian();
    let oa = sh(&mut a, script);
    let ob = sh(&mut b, script);
    assert_eq!(oa, ob);
    assert_eq!(a, b);
    assert_eq!(oa.stdout(), "1\n2\n3\n/d/1/f\n/d/2/f\n/d/3/f\n");
}

#[test]
fn default_budget_is_generous_for_real_loops() {
    let mut fs = debian();
    let out = sh(
        &mut fs,
        "i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; echo $i",
    );
    assert_eq!(out.stdout(), "3000\n");
    assert!(out.steps < DEFAULT_BUDGET / 10, "{}", out.steps);
}

fn total_under(fs: &Fs, dir: &str) -> u64 {
    let root = VfsPath::new(dir);
    fs.walk()
        .iter()
        .filter(|(p, n)| p.starts_with(&root) && matches!(n, Node::File(_)))
        .map(|(_, n)| n.size())
        .sum()
}

#[test]
fn apt_install_before_update_cannot_locate_packages() {
    let mut fs = debian();
    let out = sh(&mut fs, "apt-get install -y curl nope");
    assert_eq!(out.status, ExitStatus::Exited(100));
    assert_eq!(
        out.stderr(),
        "E: Unable to locate package curl\nE: Unable to locate package nope\n"
    );
}

#[test]
fn apt_update_install_and_list_cleanup() {
    let mut fs = debian();
    let out = sh(&mut fs, "apt-get update");
    assert!(out.status.success());
    let lists = total_under(&fs, "/var/lib/apt/lists");
    assert_eq!(lists, 19_853_620);
    let out = sh(
        &mut fs,
        "apt-get install -y --no-install-recommends curl && curl --version",
    );
    assert!(out.status.success(), "{}", out.stderr());
    assert!(out
        .stdout()
        .contains("The following NEW packages will be installed:"));
    assert!(out
        .stdout()
        .contains("Setting up curl (7.88.1-10+deb12u15) ..."));
    // curl is now on PATH, and modeled (`--version` prints, no warning).
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    assert!(out.stdout().contains("curl 7.88.1 (x86_64-pc-linux-gnu)"));
    assert!(fs.exists(&VfsPath::new("/usr/bin/curl")));
    assert!(
        read(&fs, "/var/lib/dpkg/status").contains("Package: curl\nStatus: install ok installed\n")
    );
    // Installing again does nothing.
    let again = sh(&mut fs, "apt-get install -y curl");
    assert!(
        again.stdout().contains("0 newly installed"),
        "{}",
        again.stdout()
    );
    let out = sh(&mut fs, "rm -rf /var/lib/apt/lists/*");
    assert!(out.status.success());
    assert_eq!(total_under(&fs, "/var/lib/apt/lists"), 0);
}

#[test]
fn apt_recommends_make_bigger_layers() {
    let sizes: Vec<u64> = ["--no-install-recommends", ""]
        .iter()
        .map(|flag| {
            let mut fs = debian();
            let out = sh(
                &mut fs,
                &format!("apt-get update && apt-get install -y {flag} git"),
            );
            assert!(out.status.success(), "{}", out.stderr());
            total_under(&fs, "/usr")
        })
        .collect();
    assert!(sizes[0] > 40_000_000, "{sizes:?}");
    assert!(sizes[1] > sizes[0], "{sizes:?}");
}

#[test]
fn apt_without_yes_aborts_and_debs_need_clean() {
    let mut fs = debian();
    let out = sh(&mut fs, "apt-get update >/dev/null && apt-get install jq");
    assert_eq!(out.status, ExitStatus::Exited(1));
    assert!(out
        .stdout()
        .ends_with("Do you want to continue? [Y/n] Abort.\n"));
    // This image has no docker-clean apt config: archives stay until `apt-get clean`.
    let out = sh(
        &mut fs,
        "apt-get install -y jq >/dev/null && ls /var/cache/apt/archives",
    );
    assert!(
        out.stdout().contains("jq_1.6-2.1+deb12u3_amd64.deb"),
        "{}",
        out.stdout()
    );
    sh(&mut fs, "apt-get clean");
    assert_eq!(total_under(&fs, "/var/cache/apt/archives"), 0);
}
