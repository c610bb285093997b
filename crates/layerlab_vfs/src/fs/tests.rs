use super::*;

fn p(s: &str) -> VfsPath {
    VfsPath::new(s)
}

fn sample() -> Fs {
    let mut fs = Fs::default();
    fs.mkdir_p(&p("/etc/ssl"), Meta::new(0o755)).unwrap();
    fs.write_file(
        &p("/etc/hosts"),
        Content::inline("127.0.0.1 localhost\n"),
        Meta::new(0o644),
    )
    .unwrap();
    fs.symlink("/etc", &p("/abs"), Meta::new(0o777)).unwrap();
    fs.symlink("../../../../etc", &p("/etc/ssl/up"), Meta::new(0o777))
        .unwrap();
    fs
}

#[test]
fn symlinks_resolve_inside_the_root() {
    let fs = sample();
    assert_eq!(
        fs.resolve(&p("/abs/hosts"), true).unwrap().as_str(),
        "/etc/hosts"
    );
    // `..` past the root clamps to `/`: the relative link cannot escape.
    assert_eq!(
        fs.resolve(&p("/etc/ssl/up/hosts"), true).unwrap().as_str(),
        "/etc/hosts"
    );
    assert_eq!(
        fs.read_file(&p("/abs/hosts")).unwrap().to_vec(),
        b"127.0.0.1 localhost\n"
    );
    assert_eq!(fs.resolve(&p("/abs"), false).unwrap().as_str(), "/abs");
}

#[test]
fn symlink_loops_fail_with_eloop() {
    let mut fs = Fs::default();
    fs.symlink("b", &p("/a"), Meta::new(0o777)).unwrap();
    fs.symlink("a", &p("/b"), Meta::new(0o777)).unwrap();
    let err = fs.read_file(&p("/a")).unwrap_err();
    assert_eq!(err.kind, ErrorKind::TooManyLinks);
    assert_eq!(err.to_string(), "/a: Too many levels of symbolic links");
}

#[test]
fn errno_style_errors_carry_the_path() {
    let mut fs = sample();
    assert_eq!(
        fs.read_file(&p("/nope")).unwrap_err().kind,
        ErrorKind::NotFound
    );
    assert_eq!(
        fs.read_file(&p("/etc")).unwrap_err().kind,
        ErrorKind::IsADirectory
    );
    assert_eq!(
        fs.write_file(&p("/etc/hosts/x"), Content::inline(""), Meta::new(0o644))
            .unwrap_err()
            .kind,
        ErrorKind::NotADirectory
    );
    assert_eq!(
        fs.mkdir(&p("/etc"), Meta::new(0o755)).unwrap_err().kind,
        ErrorKind::AlreadyExists
    );
    assert_eq!(
        fs.mkdir_p(&p("/etc/hosts"), Meta::new(0o755))
            .unwrap_err()
            .kind,
        ErrorKind::AlreadyExists
    );
    let err = fs.remove(&p("/missing/x")).unwrap_err();
    assert_eq!(err.path.as_str(), "/missing/x");
    assert_eq!(err.kind, ErrorKind::NotFound);
}

#[test]
fn snapshots_share_structure_and_stay_independent() {
    let a = sample();
    let mut b = a.clone();
    assert!(a.root().shares_entries_with(b.root()));
    b.write_file(&p("/etc/new"), Content::inline("x"), Meta::new(0o600))
        .unwrap();
    assert!(!a.exists(&p("/etc/new")));
    assert!(b.exists(&p("/etc/new")));
    // `/etc/ssl` was not touched: still shared between the two snapshots.
    let sa = a.node(&p("/etc/ssl")).unwrap().as_dir().unwrap();
    let sb = b.node(&p("/etc/ssl")).unwrap().as_dir().unwrap();
    assert!(sa.shares_entries_with(sb));
}

#[test]
fn rename_and_remove() {
    let mut fs = sample();
    fs.rename(&p("/etc/hosts"), &p("/hosts")).unwrap();
    assert!(fs.exists(&p("/hosts")));
    assert_eq!(
        fs.rename(&p("/etc"), &p("/etc/ssl/x")).unwrap_err().kind,
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        fs.rename(&p("/hosts"), &p("/etc")).unwrap_err().kind,
        ErrorKind::IsADirectory
    );
    fs.remove(&p("/etc")).unwrap();
    assert!(!fs.exists(&p("/etc/ssl")));
    // The dangling `/abs` symlink is still there, lstat sees it.
    assert!(fs.symlink_node(&p("/abs")).is_ok());
}

#[test]
fn walk_and_read_dir_are_sorted() {
    let fs = sample();
    let names: Vec<_> = fs.walk().iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(
        names,
        ["/abs", "/etc", "/etc/hosts", "/etc/ssl", "/etc/ssl/up"]
    );
    let dir: Vec<_> = fs
        .read_dir(&p("/abs"))
        .unwrap()
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    assert_eq!(dir, ["hosts", "ssl"]);
}

#[test]
fn mkdir_p_follows_symlinked_parents() {
    let mut fs = sample();
    fs.mkdir_p(&p("/abs/a/b"), Meta::new(0o700)).unwrap();
    assert!(fs.node(&p("/etc/a/b")).unwrap().is_dir());
    fs.chown(&p("/abs/a"), 5, 6).unwrap();
    assert_eq!(fs.metadata(&p("/etc/a")).unwrap().uid, 5);
}

#[test]
fn long_link_chains_are_cut_off() {
    let mut fs = Fs::default();
    let long = vec!["."; 3000].join("/");
    fs.symlink(&format!("{long}/l1"), &p("/l0"), Meta::new(0o777))
        .unwrap();
    fs.symlink(&format!("{long}/l2"), &p("/l1"), Meta::new(0o777))
        .unwrap();
    fs.symlink(&format!("{long}/l3"), &p("/l2"), Meta::new(0o777))
        .unwrap();
    fs.write_file(&p("/l3"), Content::inline("x"), Meta::new(0o644))
        .unwrap();
    assert_eq!(
        fs.read_file(&p("/l0")).unwrap_err().kind,
        ErrorKind::TooManyLinks
    );
    assert!(fs.read_file(&p("/l2")).is_ok());
}
