//! Differential tests: every script runs in the real dash (`/usr/bin/dash`, in a temp
//! directory holding the same files, with GNU coreutils from the host) and in the
//! simulator; stdout, stderr, the exit status and the resulting file tree must agree.
//!
//! Skipped with a notice when dash is not installed. Native only: it spawns processes.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::disallowed_methods,
    reason = "the reference run needs a real process and a temp directory"
)]

use layerlab_shell::{run, ExitStatus, RunRequest};
use layerlab_vfs::{Content, Fs, Meta, Node, VfsPath};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The files every case starts with, relative to the working directory.
const FILES: &[(&str, &str)] = &[
    ("a.txt", "hello\n"),
    ("b.txt", "world\n"),
    ("dir/x", "x\n"),
    ("dir/sub/y", "y\n"),
    (".hidden", "h\n"),
    ("conf.ini", "# comment\nport=80\nhost=localhost\n# end\n"),
];

/// Host tools the simulated image also has (in /usr/bin, with /bin -> usr/bin).
const TOOLS: &[&str] = &[
    "dash", "sh", "cat", "ls", "mkdir", "rm", "rmdir", "cp", "mv", "ln", "touch", "chmod", "find",
    "sed", "grep", "head", "tail", "wc", "tee", "basename", "dirname", "env", "which", "true",
    "false", "echo", "printf", "test", "[", "sort", "bash",
];

/// One case per line group: the script, and whether stderr must match byte for byte
/// (coreutils' usage texts are not modeled word for word).
const CASES: &[(&str, bool)] = &[
    // Quoting and escapes.
    ("echo 'single $HOME' \"double\" plain\\ word", true),
    ("echo \"a\\\"b\" 'c\\d' e\\\\f", true),
    ("echo \"tab\there\" 'x''y' \"\"'' end", true),
    ("x='a  b'; echo $x; echo \"$x\"", true),
    ("echo a\\\nb", true),
    ("echo '$(not run)' \"\\$x\" \\$y", true),
    // Variables and parameter expansion.
    ("x=1; y=$x$x; echo $y ${y}z", true),
    ("unset v; echo ${v:-def} ${v-def2} [${v:+alt}]", true),
    ("v=; echo [${v:-d}] [${v-d}] [${v:+a}] [${v+a}]", true),
    ("echo ${v:=assigned}; echo $v", true),
    (
        "p=/usr/local/bin/tool.tar.gz; echo ${p##*/} ${p#*/} ${p%.*} ${p%%.*}",
        true,
    ),
    ("s=hello; echo ${#s} ${#undefined}", true),
    (
        "set -- a 'b c' d; echo $#; for i in \"$@\"; do echo [$i]; done",
        true,
    ),
    (
        "set -- a 'b c'; for i in $*; do echo [$i]; done; echo \"$*\"",
        true,
    ),
    ("set -- 1 2 3; shift; echo $1 $#; shift 2; echo $#", true),
    ("echo ${u:?is required}; echo not here", true),
    ("set -u; echo ${d:-ok}; echo $nope; echo unreachable", true),
    ("f() { echo \"$1-$2\"; }; f a b; f 'x y'", true),
    ("IFS=:; x=a:b:c; for i in $x; do echo $i; done", true),
    ("x='  lead  trail  '; echo [$x]", true),
    ("readonly r=1; r=2; echo no", true),
    ("export E=1; env | grep '^E='", true),
    ("A=1 env | grep '^A='; echo \"[$A]\"", true),
    // Command substitution and arithmetic.
    ("x=$(echo hi; echo there); echo \"$x\"", true),
    ("echo $(echo a b   c) `echo back`", true),
    ("x=$(false); echo $?; y=$(exit 3); echo $?", true),
    (
        "echo $((1 + 2 * 3)) $(( (1+2)*3 )) $((7/2)) $((7%3)) $((-5+2))",
        true,
    ),
    (
        "i=0; while [ $i -lt 5 ]; do i=$((i+1)); done; echo $i",
        true,
    ),
    ("n=5; echo $((n*n)) $((n > 3)) $((n == 5 ? 10 : 20))", true),
    ("echo $((1/0)); echo after", true),
    ("echo \"$(cat a.txt)\" \"$(cat b.txt)!\"", true),
    // Exit statuses and lists.
    (
        "true && echo yes || echo no; false && echo yes || echo no",
        true,
    ),
    (
        "false; echo $?; true; echo $?; ! true; echo $?; ! false; echo $?",
        true,
    ),
    ("exit 3", true),
    ("exit 300", true),
    ("(exit 4); echo $?", true),
    ("nosuchcmd; echo $?", true),
    ("nosuchcmd arg 2>/dev/null || echo failed $?", true),
    ("./a.txt; echo $?", true),
    ("false | true; echo $?; true | false; echo $?", true),
    ("echo a; exit; echo b", true),
    ("f() { return 7; }; f; echo $?", true),
    ("exit foo", true),
    // set -e.
    ("set -e; false; echo no", true),
    ("set -e; false || true; echo yes", true),
    ("set -e; if false; then echo a; fi; echo yes", true),
    ("set -e; ! true; echo still", true),
    ("set -e; false && true; echo still", true),
    ("set -e; x=$(false); echo no", true),
    ("set -e; (false); echo no", true),
    (
        "set -e; f() { false; echo inside; }; f || echo caught",
        true,
    ),
    ("set -e; while false; do :; done; echo ok", true),
    ("set -ex; echo one; false; echo two", true),
    ("set -x; x=1; echo \"$x\" 'a b'", true),
    ("set -o pipefail; echo nope", true),
    // Redirections.
    ("echo one > out.txt; echo two >> out.txt; cat out.txt", true),
    ("echo err 1>&2; echo out", true),
    ("ls nope 2>&1; echo $?", true),
    ("ls nope > log 2>&1; echo $?; cat log", true),
    ("cat < a.txt; cat < nofile; echo $?", true),
    ("echo x > dir; echo $?", true),
    ("echo x > missing/f; echo $?", true),
    ("echo hidden >/dev/null; echo shown", true),
    ("{ echo a; echo b; } > grouped; cat grouped", true),
    (
        "for i in 1 2 3; do echo $i; done > loop.txt; cat loop.txt",
        true,
    ),
    ("exec 3>&1; echo via3 >&3", true),
    ("echo bad >&7", true),
    ("> empty; ls", true),
    // Here-documents.
    (
        "cat <<EOF\nhello $USER_UNSET$((1+1))\n  indented\nEOF",
        true,
    ),
    ("cat <<'EOF'\nraw $HOME `x`\nEOF", true),
    ("cat <<-EOF\n\tstripped\n\t\tone tab left\n\tEOF", true),
    (
        "x=5; cat <<EOF > gen.conf\nvalue=$x\npath=\\$PATH\nEOF\ncat gen.conf",
        true,
    ),
    ("cat <<A; cat <<B\na\nA\nb\nB", true),
    (
        "while read line; do echo \"<$line>\"; done <<EOF\none\ntwo three\nEOF",
        true,
    ),
    ("read a b <<EOF\nx y z\nEOF\necho $a/$b", true),
    // Compound commands.
    (
        "if [ -f a.txt ]; then echo file; elif [ -d a.txt ]; then echo dir; else echo none; fi",
        true,
    ),
    ("for f in *.txt; do echo $f; done", true),
    ("for f in nomatch*; do echo $f; done", true),
    ("for f in .*; do echo $f; done", true),
    ("echo */", true),
    ("echo dir/*; echo dir/*/*", true),
    ("echo \"*.txt\" '*'.txt \\*.txt", true),
    (
        "case foo.tar.gz in *.zip) echo zip;; *.tar.*) echo tar;; *) echo other;; esac",
        true,
    ),
    (
        "case x in [a-c]) echo abc;; [!a-c]) echo other;; esac",
        true,
    ),
    (
        "for i in 1 2 3 4; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done",
        true,
    ),
    (
        "i=0; until [ $i -ge 3 ]; do echo $i; i=$((i+1)); done",
        true,
    ),
    ("(cd dir && pwd >/dev/null; echo in sub); ls -d dir", true),
    ("cd dir; ls; cd ..; ls dir/sub", true),
    ("cd nowhere; echo $?", true),
    ("f() { local x=1; echo $x; }; f", true),
    (
        "{ echo a; echo b; } | while read l; do echo got $l; done",
        true,
    ),
    ("echo x | read v; echo \"[$v]\"", true),
    ("eval 'echo evaluated; x=9'; echo $x", true),
    // test / [.
    (
        "[ -d dir ] && [ ! -f dir ] && [ -s a.txt ] && [ -e .hidden ] && echo ok",
        true,
    ),
    (
        "[ abc = abc ] && [ a != b ] && [ -z '' ] && [ -n x ] && echo ok",
        true,
    ),
    (
        "[ 10 -gt 9 ] && [ 2 -le 2 ] && echo ok; [ 1 -eq x ]; echo $?",
        true,
    ),
    (
        "[ a = a -a b = c ]; echo $?; [ a = a -o b = c ]; echo $?",
        true,
    ),
    (
        "[ -x a.txt ]; echo $?; chmod +x a.txt; [ -x a.txt ]; echo $?",
        true,
    ),
    ("test; echo $?; [ ]; echo $?; [ x; echo $?", true),
    // printf and echo.
    ("printf '%s-%s\\n' a b c d", true),
    ("printf '%5s|%-5s|%03d|%x\\n' ab cd 7 255", true),
    ("printf 'no newline'; printf '\\n%d%%\\n' 50", true),
    ("echo -n abc; echo; echo 'a\\tb\\nc'", true),
    ("printf '%s\\n' \"$(printf 'x\\ny')\"", true),
    // Modeled commands: effects on the tree.
    (
        "mkdir -p new/deep/er && touch new/deep/er/f && ls -R new >/dev/null; find new | sort",
        true,
    ),
    ("mkdir dir; echo $?", true),
    ("mkdir a/b/c; echo $?", true),
    ("rm a.txt && ls", true),
    ("rm nope; echo $?; rm -f nope; echo $?", true),
    ("rm dir; echo $?; rm -r dir; ls", true),
    ("rm -rf dir/sub dir/x; ls -A dir", true),
    ("cp a.txt c.txt && cat c.txt", true),
    ("cp a.txt dir/ && ls dir", true),
    ("cp dir dir2; echo $?", true),
    ("cp -r dir dir2 && find dir2 | sort", true),
    ("cp -a dir dir3 && cat dir3/sub/y", true),
    ("cp nope x; echo $?", true),
    ("mv a.txt moved.txt && ls", true),
    ("mv b.txt dir && ls dir", true),
    ("mv nope x; echo $?", true),
    ("ln -s a.txt link && cat link && ls", true),
    ("ln -s a.txt b.txt; echo $?", true),
    ("ln -sf a.txt b.txt; cat b.txt", true),
    ("chmod 600 a.txt; chmod u+x,g+w b.txt", true),
    ("chmod -R 700 dir", true),
    ("chmod 999 a.txt; echo $?", true),
    ("touch a.txt new1 new2; ls", true),
    ("touch nodir/f; echo $?", true),
    ("cat a.txt b.txt; cat nope; echo $?", true),
    ("cat dir; echo $?", true),
    ("find . -name '*.txt' | sort", true),
    ("find dir -type f | sort; find dir -type d | sort", true),
    ("find . -name x -delete; ls dir", true),
    (
        "find dir -name '*' -type f -exec rm {} \\; ; find dir | sort",
        true,
    ),
    ("find . -maxdepth 1 -type f | sort", true),
    (
        "sed -i 's/port=80/port=8080/' conf.ini && cat conf.ini",
        true,
    ),
    ("sed -i '/^#/d' conf.ini; cat conf.ini", true),
    (
        "sed -i -e 's/o/0/g' -e 's/^h/H/' a.txt b.txt; cat a.txt b.txt",
        true,
    ),
    ("sed 's/\\(.*\\)=\\(.*\\)/\\2=\\1/' conf.ini", true),
    ("sed -E 's/([a-z]+)=([0-9]+)/\\1 is \\2/' conf.ini", true),
    ("sed -n '/host/p' conf.ini; sed '2d' conf.ini", true),
    ("sed 's|/|_|g' <<EOF\n/a/b/c\nEOF", true),
    (
        "grep -q port conf.ini && echo has; grep -c '#' conf.ini; grep nope conf.ini; echo $?",
        true,
    ),
    (
        "grep -v '^#' conf.ini | head -1; tail -n 1 conf.ini; wc -l < conf.ini",
        true,
    ),
    ("echo hi | tee t1 t2 > /dev/null; cat t1 t2", true),
    (
        "basename /a/b/c.txt .txt; dirname /a/b/c.txt; dirname file; basename /",
        true,
    ),
    ("ls; ls -a dir; ls nope; echo $?", true),
    ("which sed cat nosuchtool; echo $?", true),
    (
        "command -v cat; command -v nosuch; echo $?; command -v cd",
        true,
    ),
    ("echo a > f1; cat f1 f1 > f2; cat f2", true),
    // More idioms and edge cases.
    ("set -- $(echo a b c); echo $2; x='p q'; set -- $x; echo $#", true),
    ("echo \"${x:-\"quoted default\"}\" ${y:-'single q'}", true),
    ("a=(1 2)", true),
    ("[[ -f a.txt ]]; echo $?", true),
    ("echo {a,b} $((0x10)) $((010))", true),
    ("local x=1; echo $?", true),
    ("echo \"$(echo \"nested \"quotes\"\")\"", true),
    ("x=$(cat <<EOF\nhere doc\nEOF\n); echo $x", true),
    ("printf '%s\\n' a\\ b \"c d\"", true),
    ("echo a | cat | cat | wc -l; true | false | true; echo $?", true),
    ("if ! grep -q nope a.txt; then echo missing; fi", true),
    ("while IFS='=' read -r k v; do echo \"[$k] [$v]\"; done < conf.ini", true),
    ("test -n \"$UNSET\" || echo empty; [ \"$x\" = \"\" ] && echo yes", true),
    ("umask 077; touch secret; mkdir sdir; umask", true),
    ("mkdir -m 700 priv; mkdir -p -m 750 p1/p2", true),
    ("chmod g-r,o-r a.txt; chmod a=r b.txt; chmod +x dir; chmod o+X dir/x", true),
    ("ln -s dir dlink; ls dlink; cp a.txt dlink/; ls dir", true),
    ("touch -c nope; ls", true),
    ("mv dir/sub .; ls; ls dir", true),
    ("cp -r dir/ newdir; ls newdir", true),
    ("mkdir d2; cp -r dir d2; cp -r dir d2; find d2 | sort", true),
    ("rm -r dir/sub/; ls dir", true),
    ("find . -type f -name '*.txt' -exec grep -H o {} + | sort; grep -c o a.txt b.txt nope; echo $?", true),
    ("grep -l o *.txt; grep -x hello a.txt; grep -n -v '#' conf.ini; grep -h o a.txt b.txt", true),
    ("find . -path './dir/*' | sort; find dir -mindepth 1 -maxdepth 1 | sort", true),
    ("touch e1; mkdir e2; find . -empty | sort", true),
    ("find . ! -name '*.txt' -type f | sort", true),
    ("find . -name '*.ini' -o -name 'x' | sort", true),
    ("sed -i 's/^/> /' a.txt; cat a.txt", true),
    ("sed -i '$a appended' a.txt; sed -i '1i first' a.txt; cat a.txt", true),
    ("sed -n 's/port=\\([0-9]*\\)/\\1/p' conf.ini", true),
    ("sed 's/o/0/2' conf.ini; sed 's/[aeiou]//g' conf.ini", true),
    ("sed -e '/^#/!s/=/ = /' -e 's/#/;/' conf.ini", true),
    ("grep -E '^(port|host)=' conf.ini; grep -i PORT conf.ini; grep -n x conf.ini; echo $?", true),
    ("cat conf.ini | grep -v '^#' | sort; sort -r conf.ini | head -n 1", true),
    ("head -n 2 conf.ini | tail -n 1; echo $(( $(wc -l < conf.ini) + 1 ))", true),
    ("x=; echo ${x:=new}; echo $x; echo $#", true),
    ("f() { echo $#; }; f \"\" \"\"; f", true),
    ("IFS=, read a b <<EOF\n1,2,3\nEOF\necho \"$a|$b\"", true),
    ("exec >out.log; echo hidden; cat out.log >&2", true),
    ("echo $0; sh -c 'echo inner $0 $1' x y", true),
    ("echo 'it'\\''s' \"a\"'b'c\"d\" \\$HOME \"\\$HOME\" '\\$HOME'", true),
    ("echo \"${x-unset}\" \"${x+set}\"; x=; echo \"${x-unset}\" \"${x+set}\"", true),
    ("case \"\" in \"\") echo empty;; esac; case \"a b\" in \"a b\") echo sp;; esac; case $u in *) echo def;; esac", true),
    ("pat='*.txt'; case a.txt in $pat) echo m;; esac; case a.txt in \"$pat\") echo q;; esac", true),
    ("for i; do echo $i; done; echo none", true),
    ("break; echo after-break; continue; echo after-continue", true),
    ("for i in 1 2; do for j in a b; do [ $j = b ] && continue 2; echo $i$j; done; done", true),
    ("for i in 1 2; do for j in a b; do break 2; done; done; echo $i$j", true),
    ("exit 1 | true; echo $?", true),
    ("cd dir && echo $PWD | sed 's|.*/||'", true),
    ("set -e; cmd_fail() { return 1; }; if cmd_fail; then :; fi; echo ok", true),
    ("set -e; false | true; echo ok", true),
    ("set -e; true && false; echo no", true),
    ("set -e; { false; echo no; }", true),
    ("set -e; for i in 1; do false; done; echo no", true),
    ("set -u; echo \"$@\"; echo ok; x=1; unset x; echo ${x-fine}", true),
    ("printf '%b\\n' 'a\\tb'; printf '%s %s|\\n' only", true),
    ("printf '%d\\n' abc; echo $?", true),
    ("echo -e 'a\\nb'; echo -n; echo 'a\\c' b; echo", true),
    ("type cd cat nosuch; echo $?", true),
    ("command -v ls >/dev/null && echo has-ls", true),
    ("x=1; { x=2; }; echo $x; (x=3); echo $x", true),
    ("x=1 true; echo \"[$x]\"; y=2 :; echo \"[$y]\"", true),
    ("cat <<EOF | sed 's/a/b/'\naaa\nEOF", true),
    ("cat <<EOF\n$(echo sub) `echo bq` ${u:-def}\nEOF", true),
    ("for i in 1 2; do cat <<EOF\nitem $i\nEOF\ndone", true),
    ("wc -c < a.txt; ls -1 dir; ls dir dir/sub", true),
    ("ls -d */; mkdir -p a/b && rmdir a/b a; ls", true),
    ("echo [ab].txt ?.txt [!a]*.txt *.nomatch", true),
    ("set -f; echo *; set +f; echo *.txt", true),
    ("echo $((1 +)); echo after", true),
    ("for 1 in a; do :; done", true),
    ("echo ok\necho \"x", true),
    ("f() {\n  echo in f\n}\nf; f", true),
    ("if true\nthen\n  echo multi\nfi", true),
    ("echo a &&\n  echo b ||\n  echo c", true),
    ("echo a |\n  cat", true),
    ("x=1; readonly x; export x; echo $x", true),
    ("unset -f nothing; unset nothing; echo $?", true),
    ("shift 5", true),
    ("echo $(( 2 ** 3 ))", true),
    ("v=abcdef; echo ${v#abc} ${v%def} ${v#x} ${v%%c*} ${v##*c}", true),
    ("x='*'; echo $x; echo \"$x\"", true),
    ("x='a\\tb'; echo $x; printf \"$x\\n\"", true),
    ("echo \"$(printf 'trail\\n\\n\\n')\"end", true),
    ("true > /dev/null 2>&1 < /dev/null && echo null", true),
    ("echo a 2>/dev/null >dup; cat dup", true),
    ("ls nope 2>err; cat err; ls nope 2>>err; wc -l < err", true),
    ("echo ab > f; cat f >> f2; cat f f2", true),
    ("cd dir; echo > ../fromsub; cd ..; ls", true),
    ("mkdir new && cd new && touch x && cd .. && ls new", true),
    ("echo one two three | { read a b; echo $b; }", true),
    ("printf 'a\\nb\\nc\\n' | while read l; do echo \"<$l>\"; done | tail -n 1", true),
    ("eval echo '$((1+1))'; eval 'if true; then echo evif; fi'", true),
    ("eval 'echo ('", true),
    // Third batch: quoting corners, traps, arithmetic assignment, CRLF.
    ("set -- a b; echo \"x$@y\"; for i in \"x$@y\"; do echo [$i]; done", true),
    ("set -- a b; echo \"${@}\" \"${@:-d}\"; IFS=; echo $*; echo \"$*\"", true),
    ("printf 'l1\\n l2 \\n' | while IFS= read -r line; do echo \"[$line]\"; done", true),
    ("set -e; x=$(false; echo after); echo \"[$x]\"", true),
    ("trap 'echo bye' EXIT; echo hi", true),
    ("trap 'echo bye $?' EXIT; false; exit 3", true),
    ("printf '%-10s|%.2s|%5.1s|\\n' x abcdef xyz", true),
    ("i=1; echo $((i+=2)) $i $((j=5)) $j", true),
    ("echo $((i++))", true),
    ("echo \"$(case x in x) echo y;; esac)\"", true),
    ("echo a # comment\necho a#b \\# '#'", true),
    ("cat <<\"EOF\"\n$x\nEOF\ncat <<E\\OF\n$y\nEOF", true),
    ("echo \"a\\\nb\" 'c\\\nd'", true),
    ("echo hi\r\necho there\r", true),
    ("[ -e nonexist -o -d dir ] && echo yes", true),
    ("echo ${x/a/b}", true),
    ("echo $'a\\tb'", true),
    ("source a.txt", true),
    ("f() { echo f; }; command -v f; type f", true),
    ("x=$(echo ')'); echo \"$x\"", true),
    ("echo $(( $(echo 3) * 2 ))", true),
    ("y=$( (echo sub) ); echo $y", true),
    ("echo `echo \\`echo nested\\``", true),
    ("a=1; b=$a; a=2; echo $a $b", true),
    ("export A=1 B; B=2; env | grep -E '^(A|B)=' | sort", true),
    ("unset PATH; ls", true),
    ("PATH=/nowhere; cat a.txt; echo $?", true),
    ("x=\"$(cat a.txt b.txt)\"; echo \"$x\" | wc -l", true),
    ("true; (exit 42) || echo \"code $?\"", true),
    ("false || { echo recovering; true; } && echo ok", true),
    ("if [ -f a.txt ]\nthen\n  echo 1\nelse\n  echo 2\nfi > if.out; cat if.out", true),
    ("while read -r a; do echo \"$a\"; done < conf.ini | grep -c .", true),
    ("case a.TXT in *.[Tt][Xx][Tt]) echo ci;; esac", true),
    ("for d in dir/*/; do echo \"$d\"; done", true),
    ("set -x; for i in 1 2; do echo $i; done", true),
    ("set -x; x=$(echo a); echo \"$x\" >/dev/null", true),
    ("echo $(( 1 < 2 )) $(( 3 & 1 )) $(( 1 << 3 )) $(( ~0 )) $(( !5 ))", true),
    ("echo ${#@} ${#*}; set -- a b c; echo ${#@}", true),
    ("mkdir -p x/y; cd x/y; cd ../..; ls -d x/y", true),
    ("ln -s nowhere dangling; [ -e dangling ]; echo $?; [ -L dangling ]; echo $?; ls", true),
    ("rm -f dangling2; ln -s dir dl; rm dl; ls -d dir", true),
    ("cp -r dir/. copy; find copy | sort", true),
    ("mv dir/x dir/x2 && mv dir/x2 . && ls", true),
    ("mkdir -p deep/a/b/c && rm -r deep && ls", true),
    ("touch 'with space'; ls; rm 'with space'", true),
    ("sed -n '2,3p' conf.ini; sed '1,/port/d' conf.ini; sed -n '/port/,$p' conf.ini", true),
    ("sed '2,3!d' conf.ini; sed '3,1d' conf.ini; sed -n '$p' conf.ini", true),
    ("echo *' '*; touch 'a b'; echo *' '*", true),
    // Syntax errors: dash's messages and status 2.
    ("if true; then", true),
    ("echo a &&", true),
    ("&& b", true),
    ("echo \"abc", true),
    ("echo )", true),
    ("for x in a b; do echo", true),
    ("done", true),
    ("if true; fi", true),
    ("{ echo", true),
    ("echo a; ;", true),
    ("echo ${x", true),
    ("echo one\necho two\nfi", true),
    ("case a in", true),
];

/// Scripts for `SHELL ["/bin/bash", "-c"]`: bash's messages, `pipefail`, brace expansion.
const BASH_CASES: &[(&str, bool)] = &[
    ("nope; echo $?", true),
    ("cd /nowhere; echo $?", true),
    (
        "echo {a,b}c {1..3} x{,y}; mkdir -p app/{bin,lib}; ls app",
        true,
    ),
    ("echo '{a,b}' \\{a,b\\} {a}", true),
    (
        "set -o pipefail; false | true; echo $?; true | false | true; echo $?",
        true,
    ),
    ("set -eo pipefail; ls nope | cat; echo no", true),
    ("echo -e 'a\\tb'; echo 'a\\tb'; echo -n x; echo", true),
    (
        "x=1; echo $((x+1)); for i in {1..3}; do echo $i; done",
        true,
    ),
    ("touch f{1,2,3}.txt; ls f*", true),
    ("exit 5", true),
    ("[[ a == a* && -n x ]] && echo yes; [[ -f a.txt && ! -d a.txt ]]; echo $?", true),
    ("x='a b'; [[ $x == \"a b\" ]] && echo eq; [[ $x == a* ]] && echo glob; [[ $x == \"a*\" ]] || echo lit", true),
    ("[[ abc =~ ^a.c$ ]] && echo re; [[ ( 1 -lt 2 ) || -z \"\" ]] && echo paren; [[ b < a ]] || echo lt", true),
];

fn dash() -> Option<PathBuf> {
    let p = PathBuf::from("/usr/bin/dash");
    p.exists().then_some(p)
}

fn host_tool(name: &str) -> bool {
    ["/usr/bin", "/bin"]
        .iter()
        .any(|d| Path::new(d).join(name).exists())
}

fn base_fs() -> Fs {
    let mut fs = Fs::default();
    fs.mkdir_p(&VfsPath::new("/usr/bin"), Meta::new(0o755))
        .unwrap();
    fs.symlink("usr/bin", &VfsPath::new("/bin"), Meta::new(0o777))
        .unwrap();
    for t in TOOLS {
        if host_tool(t) {
            fs.write_file(
                &VfsPath::new("/usr/bin").child(t),
                Content::inline("\x7fELF"),
                Meta::new(0o755),
            )
            .unwrap();
        }
    }
    fs.mkdir_p(&VfsPath::new("/work"), Meta::new(0o755))
        .unwrap();
    for (p, c) in FILES {
        let path = VfsPath::new("/work").join(p);
        fs.mkdir_p(&path.parent().unwrap(), Meta::new(0o755))
            .unwrap();
        fs.write_file(&path, Content::inline(*c), Meta::new(0o644))
            .unwrap();
    }
    fs
}

/// A comparable listing: path, type, mode and content or target.
fn real_tree(root: &Path) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            let md = std::fs::symlink_metadata(&p).unwrap();
            let mode = md.permissions().mode() & 0o7777;
            if md.file_type().is_symlink() {
                let t = std::fs::read_link(&p).unwrap();
                out.push(format!("{rel} -> {}", t.display()));
            } else if md.is_dir() {
                out.push(format!("{rel}/ {mode:o}"));
                stack.push(p);
            } else {
                let c = std::fs::read(&p).unwrap();
                out.push(format!("{rel} {mode:o} {:?}", String::from_utf8_lossy(&c)));
            }
        }
    }
    out.sort();
    out
}

fn sim_tree(fs: &Fs) -> Vec<String> {
    let root = VfsPath::new("/work");
    let mut out = Vec::new();
    for (p, n) in fs.walk() {
        if !p.starts_with(&root) || p == root {
            continue;
        }
        let rel = &p.as_str()[root.as_str().len() + 1..];
        match n {
            Node::Symlink(s) => out.push(format!("{rel} -> {}", s.target)),
            Node::Dir(d) => out.push(format!("{rel}/ {:o}", d.meta.mode)),
            Node::File(f) => out.push(format!(
                "{rel} {:o} {:?}",
                f.meta.mode,
                String::from_utf8_lossy(&f.content.to_vec())
            )),
        }
    }
    out.sort();
    out
}

struct Observed {
    stdout: String,
    stderr: String,
    status: i32,
    tree: Vec<String>,
}

fn run_dash(dash: &Path, script: &str, idx: usize) -> Observed {
    run_real(dash, "dash", script, idx)
}

fn run_real(dash: &Path, shell: &str, script: &str, idx: usize) -> Observed {
    let dir = std::env::temp_dir().join(format!(
        "layerlab-shell-{shell}-{}-{idx}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (p, c) in FILES {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, c).unwrap();
    }
    // umask 022 and permissions as in the simulated image, then the script in its own
    // dash so `$0` and line numbers match.
    let out = Command::new(dash)
        .arg("-c")
        .arg(format!(
            "umask 022; chmod -R u=rwX,go=rX . && exec {shell} -c \"$1\""
        ))
        .arg(shell)
        .arg(script)
        .current_dir(&dir)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    let tree = real_tree(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    Observed {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        status: out.status.code().unwrap_or(-1),
        tree,
    }
}

fn run_sim(script: &str) -> Observed {
    run_sim_with("dash", script)
}

fn run_sim_with(shell: &str, script: &str) -> Observed {
    let mut fs = base_fs();
    let req = RunRequest {
        shell: vec![shell.to_owned(), "-c".to_owned()],
        workdir: "/work".to_owned(),
        env: vec![
            ("PATH".to_owned(), "/usr/bin:/bin".to_owned()),
            ("LC_ALL".to_owned(), "C".to_owned()),
        ],
        ..RunRequest::shell(script)
    };
    let out = run(&mut fs, &req);
    let status = match out.status {
        ExitStatus::Exited(s) => s,
        other => panic!("{script:?}: {other:?}"),
    };
    Observed {
        stdout: out.stdout(),
        stderr: out.stderr(),
        status,
        tree: sim_tree(&fs),
    }
}

#[test]
fn scripts_agree_with_dash() {
    let Some(dash) = dash() else {
        eprintln!("scripts_agree_with_dash: skipped, /usr/bin/dash not found");
        return;
    };
    let mut failures = Vec::new();
    for (idx, (script, check_stderr)) in CASES.iter().enumerate() {
        let real = run_dash(&dash, script, idx);
        let sim = run_sim(script);
        let mut diffs = Vec::new();
        if real.stdout != sim.stdout {
            diffs.push(format!(
                "stdout: dash {:?} sim {:?}",
                real.stdout, sim.stdout
            ));
        }
        if *check_stderr && real.stderr != sim.stderr {
            diffs.push(format!(
                "stderr: dash {:?} sim {:?}",
                real.stderr, sim.stderr
            ));
        }
        if real.status != sim.status {
            diffs.push(format!("status: dash {} sim {}", real.status, sim.status));
        }
        if real.tree != sim.tree {
            diffs.push(format!(
                "tree:\n  dash {:?}\n  sim  {:?}",
                real.tree, sim.tree
            ));
        }
        if !diffs.is_empty() {
            failures.push(format!("case {idx} {script:?}\n  {}", diffs.join("\n  ")));
        }
    }
    let total = CASES.len();
    eprintln!("dash agreement: {}/{total} cases", total - failures.len());
    assert!(
        failures.is_empty(),
        "{} of {total} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn bash_scripts_agree_with_bash() {
    let Some(dash) = dash() else {
        eprintln!("bash_scripts_agree_with_bash: skipped, /usr/bin/dash not found");
        return;
    };
    if !host_tool("bash") {
        eprintln!("bash_scripts_agree_with_bash: skipped, bash not found");
        return;
    }
    let mut failures = Vec::new();
    for (idx, (script, check_stderr)) in BASH_CASES.iter().enumerate() {
        let real = run_real(&dash, "bash", script, 1000 + idx);
        let sim = run_sim_with("bash", script);
        let mut diffs = Vec::new();
        if real.stdout != sim.stdout {
            diffs.push(format!(
                "stdout: bash {:?} sim {:?}",
                real.stdout, sim.stdout
            ));
        }
        if *check_stderr && real.stderr != sim.stderr {
            diffs.push(format!(
                "stderr: bash {:?} sim {:?}",
                real.stderr, sim.stderr
            ));
        }
        if real.status != sim.status {
            diffs.push(format!("status: bash {} sim {}", real.status, sim.status));
        }
        if real.tree != sim.tree {
            diffs.push(format!(
                "tree:\n  bash {:?}\n  sim  {:?}",
                real.tree, sim.tree
            ));
        }
        if !diffs.is_empty() {
            failures.push(format!("case {idx} {script:?}\n  {}", diffs.join("\n  ")));
        }
    }
    let total = BASH_CASES.len();
    eprintln!("bash agreement: {}/{total} cases", total - failures.len());
    assert!(
        failures.is_empty(),
        "{} of {total} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// File operations mixed into random scripts: their effects are compared as trees.
const FILE_OPS: &[&str] = &[
    "echo w > f1",
    "cat f1",
    "mkdir -p d/e",
    "rm -rf d",
    "touch f2",
    "cp f1 f3",
    "mv f2 d",
    "ln -s f1 l1",
    "ls",
    "ls d",
    "cat nope 2>&1",
    "rm f1",
    "echo z >> f1",
    "cp -r d d2",
    "find d | sort",
    "mkdir d",
    "rmdir d/e",
    "cat f1 f3 > f4",
    "ln -s d dl",
    "chmod 600 f1",
    "sed -i s/w/W/ f1",
    "grep -c w f1",
    "mv d d3",
    "rm -r d3",
];

/// A deterministic generator of random scripts over quoting, expansion and control
/// flow (xorshift64, so every run tests the same scripts).
struct ScriptGen(u64);

impl ScriptGen {
    const WORDS: &'static [&'static str] = &[
        "a",
        "b c",
        "'q r'",
        "\"$x\"",
        "$x",
        "${x:-d}",
        "${y-e}",
        "$((1+2))",
        "$(echo s)",
        "\\*",
        "'*'",
        "*.txt",
        "$#",
        "$?",
        "\"$@\"",
        "$1",
        "${#x}",
        "${x%b}",
        "x\\ y",
        "\"\"",
        "''",
    ];

    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn word(&mut self) -> &'static str {
        Self::WORDS[self.next(Self::WORDS.len() as u64) as usize]
    }

    fn simple(&mut self) -> String {
        match self.next(10) {
            0 => format!("x={}", self.word()),
            1 => format!("set -- {} {}", self.word(), self.word()),
            2 => ["true", "false", ":"][self.next(3) as usize].to_owned(),
            3 => format!("[ {} = {} ]", self.word(), self.word()),
            4 if self.next(2) == 0 => format!("test -n {}", self.word()),
            4 => FILE_OPS[self.next(FILE_OPS.len() as u64) as usize].to_owned(),
            5 => format!("printf '%s|' {} {}", self.word(), self.word()),
            _ => format!("echo {} {}", self.word(), self.word()),
        }
    }

    fn command(&mut self, depth: u32) -> String {
        let k = self.next(if depth < 2 { 10 } else { 4 });
        let d = depth + 1;
        match k {
            0..=3 => self.simple(),
            4 => format!(
                "if {}; then {}; else {}; fi",
                self.command(d),
                self.command(d),
                self.command(d)
            ),
            5 => format!(
                "for i in {} {}; do {}; echo $i; done",
                self.word(),
                self.word(),
                self.command(d)
            ),
            6 => format!(
                "case {} in a*) {};; *) {};; esac",
                self.word(),
                self.command(d),
                self.command(d)
            ),
            7 => format!("{{ {}; {}; }}", self.command(d), self.command(d)),
            8 => format!("( {} )", self.command(d)),
            _ => format!("{} | cat", self.command(d)),
        }
    }

    fn script(&mut self) -> String {
        let n = 1 + self.next(5);
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push_str([" ; ", " && ", " || ", " ; ", "\n"][self.next(5) as usize]);
            }
            out.push_str(&self.command(0));
        }
        out.push_str("; echo end $?");
        out
    }
}

#[test]
fn random_scripts_agree_with_dash() {
    let Some(dash) = dash() else {
        eprintln!("random_scripts_agree_with_dash: skipped, /usr/bin/dash not found");
        return;
    };
    let mut gen = ScriptGen(0x9E37_79B9_7F4A_7C15);
    let total = 400;
    let mut failures = Vec::new();
    for idx in 0..total {
        let script = gen.script();
        let real = run_dash(&dash, &script, 5000 + idx);
        let sim = run_sim(&script);
        if real.stdout != sim.stdout
            || real.stderr != sim.stderr
            || real.status != sim.status
            || real.tree != sim.tree
        {
            failures.push(format!(
                "{script:?}\n  dash {:?} {:?} {}\n  sim  {:?} {:?} {}",
                real.stdout, real.stderr, real.status, sim.stdout, sim.stderr, sim.status
            ));
        }
    }
    eprintln!(
        "random dash agreement: {}/{total} scripts",
        total - failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {total} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
