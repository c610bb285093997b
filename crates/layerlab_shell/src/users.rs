//! Users and groups: reading `/etc/passwd` and `/etc/group` from an [`Fs`], resolving
//! a `USER`/`--chown` spec, and the `useradd`/`groupadd` (shadow-utils), Debian
//! `adduser`/`addgroup` and BusyBox `adduser`/`addgroup` commands that edit them.
//!
//! ID allocation follows the tools' defaults: shadow-utils gives regular users the
//! first free ID from 1000 and system users (`-r`) the highest free ID below 1000;
//! Debian's and BusyBox's `--system`/`-S` take the first free ID from 100.

use crate::exec::{Shell, R};
use crate::io::Io;
use layerlab_vfs::{Content, Fs, Meta, VfsPath};

/// One `/etc/passwd` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Login name.
    pub name: String,
    /// Numeric user id.
    pub uid: u32,
    /// Primary group id.
    pub gid: u32,
    /// Home directory.
    pub home: String,
    /// Login shell.
    pub shell: String,
}

fn read_lines(fs: &Fs, path: &str) -> Vec<String> {
    match crate::exec::read_text(fs, &VfsPath::new(path)) {
        Some(text) => text.lines().map(str::to_owned).collect(),
        None => Vec::new(),
    }
}

/// All users in `/etc/passwd`, in file order.
pub fn users(fs: &Fs) -> Vec<User> {
    read_lines(fs, "/etc/passwd")
        .iter()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            if f.len() < 7 {
                return None;
            }
            Some(User {
                name: f[0].to_owned(),
                uid: f[2].parse().ok()?,
                gid: f[3].parse().ok()?,
                home: f[5].to_owned(),
                shell: f[6].to_owned(),
            })
        })
        .collect()
}

/// All groups in `/etc/group` as (name, gid), in file order.
pub fn groups(fs: &Fs) -> Vec<(String, u32)> {
    read_lines(fs, "/etc/group")
        .iter()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            Some((f.first()?.to_string(), f.get(2)?.parse().ok()?))
        })
        .collect()
}

/// The passwd entry called `name`.
pub fn lookup_user(fs: &Fs, name: &str) -> Option<User> {
    users(fs).into_iter().find(|u| u.name == name)
}

/// The first passwd entry with `uid`.
pub(crate) fn user_by_uid(fs: &Fs, uid: u32) -> Option<User> {
    users(fs).into_iter().find(|u| u.uid == uid)
}

pub(crate) fn user_name(fs: &Fs, uid: u32) -> Option<String> {
    user_by_uid(fs, uid).map(|u| u.name)
}

pub(crate) fn group_name(fs: &Fs, gid: u32) -> Option<String> {
    groups(fs).into_iter().find(|g| g.1 == gid).map(|g| g.0)
}

/// A user name or number to a uid.
pub fn resolve_uid(fs: &Fs, user: &str) -> Option<u32> {
    user.parse()
        .ok()
        .or_else(|| lookup_user(fs, user).map(|u| u.uid))
}

/// A group name or number to a gid.
pub fn resolve_gid(fs: &Fs, group: &str) -> Option<u32> {
    group
        .parse()
        .ok()
        .or_else(|| groups(fs).into_iter().find(|g| g.0 == group).map(|g| g.1))
}

/// Resolves a Dockerfile `USER` / `--chown` spec (`name`, `uid`, `name:group`,
/// `uid:gid`) to numeric ids the way BuildKit does: a name must exist in
/// `/etc/passwd`; a numeric uid that is not listed gets gid 0; without a group the
/// user's primary group is used.
///
/// # Errors
/// A message naming what was not found, e.g.
/// `unable to find user app: no matching entries in passwd file`.
pub fn resolve_user_spec(fs: &Fs, spec: &str) -> Result<(u32, u32), String> {
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let entry = if let Ok(uid) = user.parse::<u32>() {
        user_by_uid(fs, uid).map_or((uid, 0), |u| (uid, u.gid))
    } else {
        let u = lookup_user(fs, user).ok_or_else(|| {
            format!("unable to find user {user}: no matching entries in passwd file")
        })?;
        (u.uid, u.gid)
    };
    let gid = match group {
        None => entry.1,
        Some(g) => resolve_gid(fs, g).ok_or_else(|| {
            format!("unable to find group {g}: no matching entries in group file")
        })?,
    };
    Ok((entry.0, gid))
}

/// The first free id in `lo..=hi` (or the highest, when `descending`).
fn free_id(used: &[u32], lo: u32, hi: u32, descending: bool) -> u32 {
    let mut range: Box<dyn Iterator<Item = u32>> = if descending {
        Box::new((lo..=hi).rev())
    } else {
        Box::new(lo..=hi)
    };
    range.find(|i| !used.contains(i)).unwrap_or(hi)
}

struct NewUser {
    name: String,
    uid: Option<u32>,
    group: Option<String>,
    extra_groups: Vec<String>,
    home: Option<String>,
    shell: String,
    system: bool,
    create_home: bool,
    user_group: bool,
    gecos: String,
    password: &'static str,
}

impl Shell<'_> {
    fn append_line(&mut self, path: &str, line: &str) {
        let p = VfsPath::new(path);
        let (mut data, meta) = match self.fs.read_file(&p) {
            Ok(c) => (c.to_vec(), self.fs.metadata(&p).unwrap_or(Meta::new(0o644))),
            Err(_) => (
                Vec::new(),
                Meta::new(if path.contains("shadow") {
                    0o640
                } else {
                    0o644
                }),
            ),
        };
        if !data.is_empty() && !data.ends_with(b"\n") {
            data.push(b'\n');
        }
        data.extend_from_slice(line.as_bytes());
        data.push(b'\n');
        let _ = self.fs.write_file(&p, Content::inline(data), meta);
    }

    fn add_group_entry(&mut self, name: &str, gid: u32) {
        self.append_line("/etc/group", &format!("{name}:x:{gid}:"));
        if self.fs.exists(&VfsPath::new("/etc/gshadow")) {
            self.append_line("/etc/gshadow", &format!("{name}:!::"));
        }
    }

    fn add_member(&mut self, group: &str, user: &str) {
        let lines = read_lines(self.fs, "/etc/group");
        let out: Vec<String> = lines
            .into_iter()
            .map(|l| {
                let f: Vec<&str> = l.split(':').collect();
                if f.len() == 4 && f[0] == group {
                    let sep = if f[3].is_empty() { "" } else { "," };
                    format!("{}{sep}{user}", l)
                } else {
                    l
                }
            })
            .collect();
        let p = VfsPath::new("/etc/group");
        let meta = self.fs.metadata(&p).unwrap_or(Meta::new(0o644));
        let _ = self
            .fs
            .write_file(&p, Content::inline(format!("{}\n", out.join("\n"))), meta);
    }

    fn create_user(&mut self, u: NewUser, cmd: &str, io: &Io) -> R<u8> {
        let all = users(self.fs);
        let grps = groups(self.fs);
        let used_uids: Vec<u32> = all.iter().map(|u| u.uid).collect();
        let used_gids: Vec<u32> = grps.iter().map(|g| g.1).collect();
        let (lo, hi, desc) = match (u.system, cmd) {
            (true, "useradd") => (101, 999, true),
            (true, _) => (100, 999, false),
            (false, _) => (1000, 59999, false),
        };
        let uid = u.uid.unwrap_or_else(|| free_id(&used_uids, lo, hi, desc));
        let gid = match &u.group {
            Some(g) => match resolve_gid(self.fs, g) {
                Some(gid) => gid,
                None => {
                    match cmd {
                        "useradd" => {
                            self.err_line(io, format_args!("useradd: group '{g}' does not exist"))?
                        }
                        "adduser" => self.err_line(
                            io,
                            format_args!("adduser: The group `{g}' does not exist."),
                        )?,
                        _ => self.err_line(io, format_args!("{cmd}: unknown group {g}"))?,
                    }
                    return Ok(if cmd == "useradd" { 6 } else { 1 });
                }
            },
            None if u.user_group => {
                let gid = if used_gids.contains(&uid) {
                    free_id(&used_gids, lo, hi, desc)
                } else {
                    uid
                };
                self.add_group_entry(&u.name, gid);
                gid
            }
            None => 100,
        };
        let home = u
            .home
            .clone()
            .unwrap_or_else(|| format!("/home/{}", u.name));
        self.append_line(
            "/etc/passwd",
            &format!("{}:x:{uid}:{gid}:{}:{home}:{}", u.name, u.gecos, u.shell),
        );
        if self.fs.exists(&VfsPath::new("/etc/shadow")) {
            let days = self.epoch.max(0) / 86_400;
            self.append_line(
                "/etc/shadow",
                &format!("{}:{}:{days}:0:99999:7:::", u.name, u.password),
            );
        }
        for g in &u.extra_groups {
            self.add_member(g, &u.name);
        }
        if u.create_home {
            let hp = VfsPath::new(&home);
            if !self.fs.exists(&hp) {
                let meta = Meta::new(0o755).with_owner(uid, gid).with_mtime(self.epoch);
                let _ = self.fs.mkdir_p(&hp, meta);
                let _ = self.fs.chown(&hp, uid, gid);
                // Skeleton files, as useradd -m and adduser copy /etc/skel.
                if let Ok(entries) = self.fs.read_dir(&VfsPath::new("/etc/skel")) {
                    let names: Vec<String> = entries.iter().map(|(n, _)| (*n).to_owned()).collect();
                    for n in names {
                        if let Ok(layerlab_vfs::Node::File(f)) =
                            self.fs.node(&VfsPath::new("/etc/skel").child(&n))
                        {
                            let f = f.clone();
                            let meta = Meta {
                                uid,
                                gid,
                                mtime: self.epoch,
                                ..f.meta
                            };
                            let _ = self.fs.write_file(&hp.child(&n), f.content, meta);
                        }
                    }
                }
            }
        }
        Ok(0)
    }
}

/// The options given to a user-management command, in order, with their values.
struct Flags(Vec<(String, Option<String>)>);

// Out of line: the commands ask for a dozen options each, and a copy of the search
// at every question cost ~1 KB.
impl Flags {
    /// The value of the last of `names` given.
    #[inline(never)]
    fn get(&self, names: &[&str]) -> Option<String> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| names.contains(&k.as_str()))
            .and_then(|(_, v)| v.clone())
    }

    /// Whether any of `names` was given.
    #[inline(never)]
    fn on(&self, names: &[&str]) -> bool {
        self.0.iter().any(|(k, _)| names.contains(&k.as_str()))
    }
}

/// Runs one of the user-management commands.
pub(crate) fn run(sh: &mut Shell<'_>, cmd: &str, args: &[String], io: &Io, busybox: bool) -> R<u8> {
    if sh.who.uid != 0 {
        sh.err_line(io, format_args!("{cmd}: Permission denied."))?;
        return Ok(1);
    }
    let mut flags = Flags(Vec::new());
    let mut ops: Vec<String> = Vec::new();
    let takes_value: &[&str] = match (cmd, busybox) {
        ("useradd" | "usermod", _) => &[
            "-u",
            "-g",
            "-G",
            "-d",
            "-s",
            "-c",
            "-k",
            "-e",
            "-f",
            "-K",
            "-p",
            "--uid",
            "--gid",
            "--groups",
            "--home-dir",
            "--shell",
            "--comment",
        ],
        ("groupadd", _) => &["-g", "--gid", "-K", "-p"],
        (_, true) => &["-h", "-g", "-s", "-G", "-u", "-k"],
        (_, false) => &[
            "--home",
            "--shell",
            "--uid",
            "--gid",
            "--ingroup",
            "--gecos",
            "--comment",
            "--firstuid",
            "--lastuid",
        ],
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a.starts_with('-') && a.len() > 1 {
            let (k, v) = match a.split_once('=') {
                Some((k, v)) => (k.to_owned(), Some(v.to_owned())),
                None => (a.clone(), None),
            };
            let v = if v.is_none() && takes_value.contains(&k.as_str()) {
                it.next().cloned()
            } else {
                v
            };
            flags.0.push((k, v));
        } else {
            ops.push(a.clone());
        }
    }
    let get = |names: &[&str]| flags.get(names);
    let on = |names: &[&str]| flags.on(names);
    let Some(name) = ops.first().cloned() else {
        sh.err_line(io, format_args!("Usage: {cmd} [options] NAME"))?;
        return Ok(if cmd == "useradd" || cmd == "groupadd" {
            2
        } else {
            1
        });
    };
    let is_group_cmd = cmd == "groupadd"
        || cmd == "addgroup"
        || (cmd == "adduser" && !busybox && on(&["--group"]) && !on(&["--system"]));
    // BusyBox `addgroup USER GROUP` and Debian `adduser USER GROUP` add a member.
    if ops.len() == 2 && (cmd == "addgroup" && busybox || cmd == "adduser" && !busybox) {
        let (user, group) = (&ops[0], &ops[1]);
        if lookup_user(sh.fs, user).is_none() || resolve_gid(sh.fs, group).is_none() {
            sh.err_line(io, format_args!("{cmd}: unknown user or group"))?;
            return Ok(1);
        }
        sh.add_member(group, user);
        return Ok(0);
    }
    if is_group_cmd {
        if groups(sh.fs).iter().any(|g| g.0 == name) {
            match (cmd, busybox) {
                ("groupadd", _) => {
                    sh.err_line(io, format_args!("groupadd: group '{name}' already exists"))?
                }
                (_, true) => sh.err_line(io, format_args!("addgroup: group '{name}' in use"))?,
                _ => sh.err_line(
                    io,
                    format_args!("addgroup: The group `{name}' already exists."),
                )?,
            }
            return Ok(if cmd == "groupadd" { 9 } else { 1 });
        }
        let used: Vec<u32> = groups(sh.fs).iter().map(|g| g.1).collect();
        let system = on(&["-r", "--system", "-S"]);
        let gid = get(&["-g", "--gid"])
            .and_then(|g| g.parse().ok())
            .unwrap_or_else(|| match (system, cmd) {
                (true, "groupadd") => free_id(&used, 101, 999, true),
                (true, _) => free_id(&used, 100, 999, false),
                _ => free_id(&used, 1000, 59999, false),
            });
        sh.add_group_entry(&name, gid);
        return Ok(0);
    }
    if cmd == "usermod" {
        if lookup_user(sh.fs, &name).is_none() {
            sh.err_line(io, format_args!("usermod: user '{name}' does not exist"))?;
            return Ok(6);
        }
        if let Some(gs) = get(&["-G", "--groups"]) {
            for g in gs.split(',') {
                sh.add_member(g, &name);
            }
        }
        return Ok(0);
    }
    if lookup_user(sh.fs, &name).is_some() {
        match (cmd, busybox) {
            ("useradd", _) => {
                sh.err_line(io, format_args!("useradd: user '{name}' already exists"))?
            }
            (_, true) => sh.err_line(io, format_args!("adduser: user '{name}' in use"))?,
            _ => sh.err_line(
                io,
                format_args!("adduser: The user `{name}' already exists."),
            )?,
        }
        return Ok(if cmd == "useradd" { 9 } else { 1 });
    }
    let u = match (cmd, busybox) {
        ("useradd", _) => NewUser {
            name,
            uid: get(&["-u", "--uid"]).and_then(|v| v.parse().ok()),
            group: get(&["-g", "--gid"]),
            extra_groups: get(&["-G", "--groups"])
                .map(|g| g.split(',').map(str::to_owned).collect())
                .unwrap_or_default(),
            home: get(&["-d", "--home-dir"]),
            shell: get(&["-s", "--shell"]).unwrap_or_else(|| "/bin/sh".to_owned()),
            system: on(&["-r", "--system"]),
            create_home: on(&["-m", "--create-home"]),
            user_group: !on(&["-N", "--no-user-group"]),
            gecos: get(&["-c", "--comment"]).unwrap_or_default(),
            password: "!",
        },
        (_, true) => NewUser {
            name,
            uid: get(&["-u"]).and_then(|v| v.parse().ok()),
            group: get(&["-G"]),
            extra_groups: Vec::new(),
            home: get(&["-h"]),
            shell: get(&["-s"]).unwrap_or_else(|| "/bin/sh".to_owned()),
            system: on(&["-S"]),
            create_home: !on(&["-H"]),
            user_group: !on(&["-S"]),
            gecos: get(&["-g"]).unwrap_or_else(|| "Linux User,,,".to_owned()),
            password: if on(&["-D"]) { "!" } else { "*" },
        },
        _ => {
            let system = on(&["--system"]);
            NewUser {
                name,
                uid: get(&["--uid"]).and_then(|v| v.parse().ok()),
                group: get(&["--ingroup", "--gid"]),
                extra_groups: Vec::new(),
                home: get(&["--home"]).or_else(|| system.then(|| "/nonexistent".to_owned())),
                shell: get(&["--shell"]).unwrap_or_else(|| {
                    if system {
                        "/usr/sbin/nologin".to_owned()
                    } else {
                        "/bin/bash".to_owned()
                    }
                }),
                system,
                create_home: !system && !on(&["--no-create-home"]),
                user_group: !system || on(&["--group"]),
                gecos: get(&["--gecos", "--comment"]).unwrap_or_else(|| ",,,".to_owned()),
                password: if on(&["--disabled-password", "--disabled-login"]) || system {
                    "!"
                } else {
                    "*"
                },
            }
        }
    };
    let u = if busybox && u.system && u.group.is_none() {
        NewUser {
            user_group: false,
            group: Some("nogroup".to_owned()).filter(|g| resolve_gid(sh.fs, g).is_some()),
            ..u
        }
    } else {
        u
    };
    sh.create_user(u, cmd, io)
}
