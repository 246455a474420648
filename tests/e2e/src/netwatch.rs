//! Records every `connect()` the app and its WebKit helper processes make (with strace) and finds
//! any that leave the machine.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::Result;

/// Writes an executable wrapper that runs `app` under `strace -f`, logging to the returned path.
pub fn traced_app(app: &Path, dir: &Path) -> Result<(PathBuf, PathBuf)> {
    let log = dir.join("connect.strace");
    let wrapper = dir.join("holdfast-traced");
    let script = format!(
        "#!/bin/sh\nexec strace -f -qq -e trace=connect -o '{}' '{}' \"$@\"\n",
        log.display(),
        app.display()
    );
    fs::write(&wrapper, script)?;
    fs::set_permissions(&wrapper, fs::Permissions::from_mode(0o755))?;
    Ok((wrapper, log))
}

/// The summary of a connect log.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Connects {
    /// Every connect() call seen, of any family.
    pub total: usize,
    /// Connects to a local (Unix) socket: the display, D-Bus.
    pub unix: usize,
    /// Connects to 127.0.0.0/8 or ::1 (the WebDriver automation link).
    pub loopback: usize,
    /// Lines that reach for an address off this machine. Must be empty.
    pub outside: Vec<String>,
}

/// Classifies the `connect(` lines of an strace log.
pub fn classify(log: &str) -> Connects {
    let mut c = Connects::default();
    for line in log.lines().filter(|l| l.contains("connect(")) {
        c.total += 1;
        if line.contains("AF_UNIX") || line.contains("AF_LOCAL") || line.contains("AF_NETLINK") {
            c.unix += 1;
        } else if line.contains("AF_INET") {
            if is_loopback_line(line) {
                c.loopback += 1;
            } else {
                c.outside.push(line.to_owned());
            }
        } else if line.contains("AF_UNSPEC") {
            // connect(AF_UNSPEC) dissolves a UDP association; it sends nothing.
        } else {
            c.outside.push(line.to_owned());
        }
    }
    c
}

fn is_loopback_line(line: &str) -> bool {
    let addr = quoted_after(line, "inet_addr(\"").or_else(|| {
        line.split("inet_pton(AF_INET6, \"")
            .nth(1)
            .and_then(|r| r.split('"').next())
    });
    match addr {
        Some(a) => a.starts_with("127.") || a == "::1" || a.starts_with("::ffff:127."),
        None => false,
    }
}

fn quoted_after<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    line.split(marker).nth(1).and_then(|r| r.split('"').next())
}

#[cfg(test)]
mod tests {
    use super::classify;

    #[test]
    fn flags_any_address_off_the_machine() {
        let log = r#"
101 connect(3, {sa_family=AF_UNIX, sun_path=@"/tmp/.X11-unix/X99"}, 20) = 0
102 connect(9, {sa_family=AF_INET, sin_port=htons(4445), sin_addr=inet_addr("127.0.0.1")}, 16) = 0
103 connect(7, {sa_family=AF_INET6, sin6_port=htons(80), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28) = 0
104 connect(5, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.2")}, 16) = 0
105 connect(6, {sa_family=AF_INET6, sin6_port=htons(443), inet_pton(AF_INET6, "2001:db8::1", &sin6_addr)}, 28) = -1 ENETUNREACH
106 connect(8, {sa_family=AF_UNSPEC, sa_data="..."}, 16) = 0
"#;
        let c = classify(log);
        assert_eq!(c.total, 6);
        assert_eq!(c.unix, 1);
        assert_eq!(c.loopback, 2);
        assert_eq!(c.outside.len(), 2, "{:?}", c.outside);
        assert!(c.outside[0].contains("10.0.0.2"));
        assert!(c.outside[1].contains("2001:db8::1"));
    }

    #[test]
    fn an_unknown_family_counts_as_outside() {
        let c = classify("1 connect(3, {sa_family=AF_PACKET, ...}, 20) = 0\n");
        assert_eq!(c.outside.len(), 1);
    }
}
