//! Records every network call the app and its WebKit helper processes make (strace's `%network`
//! class: socket, connect, sendto, sendmsg, ...) and finds any that could leave the machine.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::Result;

/// Writes an executable wrapper that runs `app` under `strace -f`, logging to the returned path.
pub fn traced_app(app: &Path, dir: &Path) -> Result<(PathBuf, PathBuf)> {
    let log = dir.join("connect.strace");
    let wrapper = dir.join("holdfast-traced");
    let script = format!(
        "#!/bin/sh\nexec strace -f -qq -e trace=%network -o '{}' '{}' \"$@\"\n",
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
    /// Every socket() call seen, of any family.
    pub sockets: usize,
    /// Lines that reach for an address off this machine, make an internet datagram (UDP) socket,
    /// send a datagram to an address, or touch port 53 (DNS), even on loopback. Must be empty.
    pub outside: Vec<String>,
}

/// Classifies the lines of an strace `%network` log.
///
/// - `socket(AF_INET…, SOCK_DGRAM…)`: outside. Holdfast has no use for UDP; the WebDriver link
///   is TCP.
/// - `sendto`, `sendmsg`, `sendmmsg` naming an internet address: outside, loopback or not.
/// - `connect`: a local socket is fine, loopback is the WebDriver link, anything else is outside.
/// - Port 53 anywhere (a DNS query, even to a local resolver such as 127.0.0.53): outside.
pub fn classify(log: &str) -> Connects {
    let mut c = Connects::default();
    for line in log.lines() {
        let call = line
            .split_whitespace()
            .nth(1)
            .and_then(|rest| rest.split('(').next())
            .unwrap_or("");
        let internet = line.contains("AF_INET");
        if call == "connect" {
            c.total += 1;
        }
        if call == "socket" {
            c.sockets += 1;
        }
        if line.contains("htons(53)") {
            c.outside.push(line.to_owned());
            continue;
        }
        match call {
            "socket" if internet && line.contains("SOCK_DGRAM") => c.outside.push(line.to_owned()),
            "sendto" | "sendmsg" | "sendmmsg" if internet => c.outside.push(line.to_owned()),
            "connect" => {
                if line.contains("AF_UNIX")
                    || line.contains("AF_LOCAL")
                    || line.contains("AF_NETLINK")
                {
                    c.unix += 1;
                } else if internet {
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
            _ => {}
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

    /// DNS and UDP, even where connect() is never called (issue #14): a datagram socket for the
    /// internet, a datagram sent to an address, and port 53 on loopback are all outside; local
    /// messages on a Unix socket are not.
    #[test]
    fn dns_and_udp_count_as_outside() {
        let log = r#"
201 socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 3
202 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 4
203 sendmsg(3, {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="l\1", iov_len=2}]}, MSG_NOSIGNAL) = 2
204 socket(AF_INET6, SOCK_DGRAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP) = 5
205 sendto(6, "\252\1", 2, MSG_NOSIGNAL, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("127.0.0.1")}, 16) = 2
206 connect(7, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.53")}, 16) = 0
207 sendmmsg(8, [{msg_hdr={msg_name={sa_family=AF_INET6, sin6_port=htons(5353)}}}], 1, 0) = 1
"#;
        let c = classify(log);
        assert_eq!(c.sockets, 3);
        assert_eq!(c.outside.len(), 4, "{:?}", c.outside);
        assert!(c.outside[0].starts_with("204 "));
        assert!(c.outside[1].starts_with("205 "));
        assert!(c.outside[2].starts_with("206 "));
        assert!(c.outside[3].starts_with("207 "));
    }

    #[test]
    fn an_unknown_family_counts_as_outside() {
        let c = classify("1 connect(3, {sa_family=AF_PACKET, ...}, 20) = 0\n");
        assert_eq!(c.outside.len(), 1);
    }
}
