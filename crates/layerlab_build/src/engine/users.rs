//! `user[:group]` → uid/gid, through the image's `/etc/passwd` and `/etc/group`, as
//! `COPY --chown` and WORKDIR's directory owner need it.

use layerlab_vfs::{Fs, VfsPath};

fn read(fs: &Fs, path: &str) -> String {
    fs.read_file(&VfsPath::new(path))
        .map(|c| String::from_utf8_lossy(&c.to_vec()).into_owned())
        .unwrap_or_default()
}

/// Looks a name up in a colon-separated database: returns fields 2 and 3 (uid/gid for
/// passwd, gid for group).
fn lookup(db: &str, name: &str) -> Option<(u32, u32)> {
    db.lines().find_map(|line| {
        let mut f = line.split(':');
        (f.next()? == name).then(|| {
            let _password = f.next();
            let a = f.next()?.parse().ok()?;
            let b = f.next().and_then(|x| x.parse().ok()).unwrap_or(0);
            Some((a, b))
        })?
    })
}

/// Resolves `spec` (`1000`, `app`, `app:staff`, `1000:1000`) against `fs`.
///
/// # Errors
/// BuildKit's message when a name is not in the image's databases.
pub(crate) fn resolve(fs: &Fs, spec: &str) -> Result<(u32, u32), String> {
    let (user, group) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let (uid, primary_gid) = match user.parse::<u32>() {
        Ok(uid) => (uid, uid),
        Err(_) => lookup(&read(fs, "/etc/passwd"), user).ok_or_else(|| {
            format!(
                "unable to convert uid/gid chown string to host mapping: can't find uid for user {user}: no such user: {user}"
            )
        })?,
    };
    let gid = match group {
        None => primary_gid,
        Some(g) => match g.parse::<u32>() {
            Ok(gid) => gid,
            Err(_) => lookup(&read(fs, "/etc/group"), g).map(|(gid, _)| gid).ok_or_else(|| {
                format!(
                    "unable to convert uid/gid chown string to host mapping: can't find gid for group {g}: no such group: {g}"
                )
            })?,
        },
    };
    Ok((uid, gid))
}

#[cfg(test)]
mod tests {
    use super::*;
    use layerlab_vfs::{Content, Meta};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn names_and_numbers() {
        let mut fs = Fs::default();
        fs.mkdir_p(&VfsPath::new("/etc"), Meta::new(0o755)).unwrap();
        fs.write_file(
            &VfsPath::new("/etc/passwd"),
            Content::inline(
                "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n",
            ),
            Meta::new(0o644),
        )
        .unwrap();
        fs.write_file(
            &VfsPath::new("/etc/group"),
            Content::inline("root:x:0:\nstaff:x:50:\n"),
            Meta::new(0o644),
        )
        .unwrap();
        assert_eq!(resolve(&fs, "node"), Ok((1000, 1000)));
        assert_eq!(resolve(&fs, "node:staff"), Ok((1000, 50)));
        assert_eq!(resolve(&fs, "1001"), Ok((1001, 1001)));
        assert_eq!(resolve(&fs, "1001:0"), Ok((1001, 0)));
        assert!(resolve(&fs, "nobody")
            .unwrap_err()
            .contains("no such user: nobody"));
        assert!(resolve(&fs, "node:wheel")
            .unwrap_err()
            .contains("no such group: wheel"));
    }
}
