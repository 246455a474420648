//! A minimal synchronous W3C WebDriver client over HTTP/1.1 on loopback.
//!
//! It covers what the tests use: sessions, navigation by script, finding elements, clicking,
//! keyboard actions, window size, screenshots and script execution. Each request opens a fresh
//! connection with `Connection: close`, so there is no connection state to get wrong. Why the
//! tests have a client of their own, and not WebdriverIO or a crate: see the crate docs.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

use crate::Result;

/// Key codes for [`Session::press_key`] (the W3C WebDriver's private-use characters).
pub mod keys {
    pub const TAB: &str = "\u{E004}";
    pub const ENTER: &str = "\u{E007}";
    pub const SPACE: &str = "\u{E00D}";
}

/// The W3C key under which an element reference is sent and received.
pub const ELEMENT_KEY: &str = "element-6066-11e4-a52f-4a5fb8af9e8e";
/// The key WebKitWebDriver (2.4x) actually answers with.
pub const WEBKIT_ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The element id in a find answer, under either key.
pub fn element_id(v: &Value) -> Option<String> {
    v.get(ELEMENT_KEY)
        .or_else(|| v.get(WEBKIT_ELEMENT_KEY))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

const NO_ANSWER: &str = "the driver closed the connection without an answer";

/// A WebDriver endpoint on loopback.
#[derive(Debug, Clone)]
pub struct Driver {
    addr: SocketAddr,
    timeout: Duration,
}

impl Driver {
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            timeout: Duration::from_secs(60),
        }
    }

    /// True when something answers `GET /status`.
    pub fn is_up(&self) -> bool {
        self.request("GET", "/status", None).is_ok()
    }

    /// Sends one request and returns the `value` of the JSON answer, or the WebDriver error.
    ///
    /// tauri-driver forwards each request to WebKitWebDriver over a pooled keep-alive connection;
    /// when WebKitWebDriver has closed that connection, tauri-driver drops our request and closes
    /// the socket without an answer ("connection reset by peer" in its log). Nothing reached the
    /// browser then, so the request is sent again (at most twice).
    pub fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        let mut attempt = 0;
        loop {
            match self.request_once(method, path, body) {
                Err(e) if attempt < 2 && e.to_string().contains(NO_ANSWER) => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(200));
                }
                other => return other,
            }
        }
    }

    fn request_once(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        let mut stream = TcpStream::connect_timeout(&self.addr, Duration::from_secs(5))?;
        stream.set_read_timeout(Some(self.timeout))?;
        stream.set_write_timeout(Some(self.timeout))?;
        let payload = body.map(Value::to_string).unwrap_or_default();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAccept: application/json\r\n\
             Content-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            payload.len()
        );
        stream.write_all(head.as_bytes())?;
        stream.write_all(payload.as_bytes())?;
        stream.flush()?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw)?;
        if raw.is_empty() {
            return Err(format!("{method} {path}: {NO_ANSWER}").into());
        }
        let (status, body) = parse_response(&raw)?;
        let json: Value = if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&body).map_err(|e| {
                format!(
                    "{method} {path}: answer is not JSON ({e}): {}",
                    String::from_utf8_lossy(&body)
                )
            })?
        };
        let value = json.get("value").cloned().unwrap_or(Value::Null);
        if status >= 400 || value.get("error").is_some_and(Value::is_string) {
            let error = value
                .get("error")
                .and_then(Value::as_str)
                .unwrap_or("unknown error");
            let message = value.get("message").and_then(Value::as_str).unwrap_or("");
            return Err(format!("{method} {path}: HTTP {status}: {error}: {message}").into());
        }
        Ok(value)
    }
}

/// Splits an HTTP/1.1 response into its status code and (de-chunked) body.
pub fn parse_response(raw: &[u8]) -> Result<(u16, Vec<u8>)> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| {
            format!(
                "HTTP answer has no header end ({} bytes: {:?})",
                raw.len(),
                String::from_utf8_lossy(&raw[..raw.len().min(200)])
            )
        })?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let body = &raw[split + 4..];
    let status: u16 = head
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad HTTP status line: {head}"))?;
    let chunked = head.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    if !chunked {
        return Ok((status, body.to_vec()));
    }
    let mut out = Vec::new();
    let mut rest = body;
    loop {
        let line_end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("bad chunk header")?;
        let size_text = String::from_utf8_lossy(&rest[..line_end]);
        let size_hex = size_text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|e| format!("bad chunk size {size_hex:?}: {e}"))?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            break;
        }
        if rest.len() < size {
            return Err("truncated chunk".into());
        }
        out.extend_from_slice(&rest[..size]);
        rest = rest.get(size + 2..).unwrap_or(&[]);
    }
    Ok((status, out))
}

/// An open WebDriver session. Dropping it deletes the session (which closes the app).
#[derive(Debug)]
pub struct Session {
    driver: Driver,
    id: String,
}

/// A reference to an element in the page.
#[derive(Debug, Clone)]
pub struct Element(pub String);

impl Session {
    /// Creates a session with the given capabilities (`alwaysMatch`).
    pub fn start(driver: Driver, always_match: Value) -> Result<Self> {
        let caps = json!({ "capabilities": { "alwaysMatch": always_match } });
        let value = driver.request("POST", "/session", Some(&caps))?;
        let id = value
            .get("sessionId")
            .and_then(Value::as_str)
            .ok_or("new session answer has no sessionId")?
            .to_owned();
        Ok(Self { driver, id })
    }

    fn path(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.id)
    }

    pub fn cmd(&self, method: &str, rest: &str, body: Option<Value>) -> Result<Value> {
        self.driver.request(method, &self.path(rest), body.as_ref())
    }

    /// Runs `script` as a function body with `args`; returns its result.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Runs `script` asynchronously; it must call `arguments[arguments.length - 1](result)`.
    pub fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.cmd(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
    }

    pub fn set_timeouts(&self, script_ms: u64, implicit_ms: u64) -> Result<()> {
        self.cmd(
            "POST",
            "/timeouts",
            Some(json!({ "script": script_ms, "implicit": implicit_ms, "pageLoad": 30_000 })),
        )?;
        Ok(())
    }

    /// Resizes the window (content and window are the same size without a window manager).
    pub fn set_window_size(&self, width: u32, height: u32) -> Result<()> {
        self.cmd(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        )?;
        // Wait until the page has seen the new size (layout follows asynchronously).
        self.wait_for(
            &format!("the page to be {width}px wide"),
            Duration::from_secs(10),
            || {
                let w = self.execute("return window.innerWidth;", vec![])?;
                Ok(w.as_u64()
                    .is_some_and(|w| w.abs_diff(u64::from(width)) <= 16))
            },
        )
    }

    /// The first element matching a CSS selector, waiting up to `timeout` for it to appear.
    pub fn find(&self, css: &str, timeout: Duration) -> Result<Element> {
        let mut found = None;
        let mut last = String::new();
        self.wait_for(&format!("an element matching {css}"), timeout, || {
            let v = self.cmd(
                "POST",
                "/element",
                Some(json!({ "using": "css selector", "value": css })),
            );
            match v {
                Ok(v) => {
                    found = element_id(&v);
                    last = v.to_string();
                    Ok(found.is_some())
                }
                Err(e) if e.to_string().contains("no such element") => {
                    last = e.to_string();
                    Ok(false)
                }
                Err(e) => Err(e),
            }
        })
        .map_err(|e| format!("{e}; last answer: {last}"))?;
        found
            .map(Element)
            .ok_or_else(|| format!("no element matching {css}").into())
    }

    /// Every element matching a CSS selector, now (no waiting).
    pub fn find_all(&self, css: &str) -> Result<Vec<Element>> {
        let v = self.cmd(
            "POST",
            "/elements",
            Some(json!({ "using": "css selector", "value": css })),
        )?;
        Ok(v.as_array()
            .map(|a| a.iter().filter_map(element_id).map(Element).collect())
            .unwrap_or_default())
    }

    /// An attribute of an element (`None` when it has none).
    pub fn attribute(&self, el: &Element, name: &str) -> Result<Option<String>> {
        let v = self.cmd("GET", &format!("/element/{}/attribute/{name}", el.0), None)?;
        Ok(v.as_str().map(str::to_owned))
    }

    /// The visible text of an element.
    pub fn text(&self, el: &Element) -> Result<String> {
        let v = self.cmd("GET", &format!("/element/{}/text", el.0), None)?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    /// The JSON form of an element reference, for script arguments (both keys, for WebKit).
    pub fn element_arg(el: &Element) -> Value {
        json!({ ELEMENT_KEY: el.0, WEBKIT_ELEMENT_KEY: el.0 })
    }

    /// Clicks an element as a person would, after scrolling it to the middle of the window (so
    /// a sticky bar cannot cover it).
    pub fn click(&self, el: &Element) -> Result<()> {
        self.execute(
            "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });",
            vec![Self::element_arg(el)],
        )?;
        self.cmd("POST", &format!("/element/{}/click", el.0), Some(json!({})))?;
        Ok(())
    }

    /// Waits up to `timeout` for an element matching `css` and returns its visible text.
    pub fn find_text(&self, css: &str, timeout: Duration) -> Result<String> {
        let el = self.find(css, timeout)?;
        self.text(&el)
    }

    /// Types `text` into a field as a person would (key events, so the page sees `input`).
    pub fn type_text(&self, el: &Element, text: &str) -> Result<()> {
        self.cmd(
            "POST",
            &format!("/element/{}/value", el.0),
            Some(json!({ "text": text })),
        )?;
        Ok(())
    }

    /// Empties a field.
    pub fn clear(&self, el: &Element) -> Result<()> {
        self.cmd("POST", &format!("/element/{}/clear", el.0), Some(json!({})))?;
        Ok(())
    }

    /// Presses and releases one key (a WebDriver key code such as `\u{E004}` for Tab).
    pub fn press_key(&self, key: &str) -> Result<()> {
        let actions = json!({ "actions": [{
            "type": "key", "id": "keyboard",
            "actions": [{ "type": "keyDown", "value": key }, { "type": "keyUp", "value": key }]
        }]});
        self.cmd("POST", "/actions", Some(actions))?;
        Ok(())
    }

    /// The PNG bytes of a screenshot of the page.
    pub fn screenshot(&self) -> Result<Vec<u8>> {
        let v = self.cmd("GET", "/screenshot", None)?;
        let b64 = v.as_str().ok_or("screenshot answer is not a string")?;
        Ok(base64::engine::general_purpose::STANDARD.decode(b64)?)
    }

    /// Polls `check` every 100 ms until it returns true, or fails after `timeout`.
    pub fn wait_for(
        &self,
        what: &str,
        timeout: Duration,
        mut check: impl FnMut() -> Result<bool>,
    ) -> Result<()> {
        let deadline = Instant::now() + timeout;
        let mut last_err = None;
        loop {
            match check() {
                Ok(true) => return Ok(()),
                Ok(false) => {}
                Err(e) => last_err = Some(e.to_string()),
            }
            if Instant::now() >= deadline {
                let extra = last_err
                    .map(|e| format!(" (last error: {e})"))
                    .unwrap_or_default();
                return Err(
                    format!("timed out after {timeout:?} waiting for {what}{extra}").into(),
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Always end the session, so the next test does not meet "maximum number of sessions".
        if let Err(e) = self
            .driver
            .request("DELETE", &format!("/session/{}", self.id), None)
        {
            eprintln!("e2e: could not delete WebDriver session {}: {e}", self.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_response;

    #[test]
    fn parses_plain_and_chunked_answers() -> crate::Result<()> {
        let plain = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
        assert_eq!(parse_response(plain)?, (200, b"{}".to_vec()));
        let chunked = b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n";
        assert_eq!(parse_response(chunked)?, (404, b"abcde".to_vec()));
        assert!(parse_response(b"garbage").is_err());
        Ok(())
    }

    #[test]
    fn reads_element_ids_under_either_key() {
        use serde_json::json;
        assert_eq!(
            super::element_id(&json!({ super::ELEMENT_KEY: "a" })).as_deref(),
            Some("a")
        );
        assert_eq!(
            super::element_id(&json!({ super::WEBKIT_ELEMENT_KEY: "b" })).as_deref(),
            Some("b")
        );
        assert_eq!(super::element_id(&json!({ "other": "c" })), None);
    }
}
