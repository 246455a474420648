//! What the web view may show and what it may hand to the system (security review M6).
//!
//! The window shows only the app's own pages: [`is_app_page`] is the shell's navigation guard.
//! Every address the app opens outside itself (a phone call, a text, a web page in the browser)
//! goes through [`Links::check`] first: a `tel:` or `sms:` address with a plain number (the
//! person's support people), or an address the content pack itself holds (its crisis lines,
//! their websites and its sources). Anything else, such as a web address built by an injected
//! script to carry data out, is refused before the system sees it.

use std::collections::BTreeSet;

use holdfast_content::ContentPack;

use crate::AppError;

/// The longest address handed to the system; the pack's longest is far shorter.
pub const MAX_LINK_BYTES: usize = 2048;

/// Whether a page at `scheme://host` is one of the app's own: `tauri://localhost` (Linux and
/// macOS) or `http(s)://tauri.localhost` (Windows and Android). Everything else, remote pages
/// included, is refused by the navigation guard, so the window never loads anything that is not
/// shipped inside the app.
pub fn is_app_page(scheme: &str, host: Option<&str>) -> bool {
    matches!(
        (scheme, host),
        ("tauri", Some("localhost")) | ("http" | "https", Some("tauri.localhost"))
    )
}

/// The key the isolation hook (`ui/isolation/index.js`) adds inside every payload it lets
/// through: the name of the command it approved the payload for. The payload is encrypted in the
/// isolation frame; the command name beside it is not. So an approved payload replayed under
/// another command's name, or a payload that never went through the hook, lacks the right name
/// inside, and [`is_bound_to`] turns it away.
pub const BOUND_COMMAND_KEY: &str = "__cmd";

/// Whether `payload` was approved by the isolation hook for `command` (security review M6).
pub fn is_bound_to(command: &str, payload: &serde_json::Value) -> bool {
    payload
        .get(BOUND_COMMAND_KEY)
        .and_then(serde_json::Value::as_str)
        == Some(command)
}

/// The addresses the app may open, taken from the content pack.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    known: BTreeSet<String>,
}

impl Links {
    /// Every `https:`, `tel:` and `sms:` address anywhere in the pack (resources' numbers and
    /// websites, every source's address).
    pub fn of(pack: &ContentPack) -> Self {
        let mut known = BTreeSet::new();
        if let Ok(value) = serde_json::to_value(pack) {
            collect(&value, &mut known);
        }
        Links { known }
    }

    /// How many addresses the pack holds.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    /// Whether the pack holds no address at all.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// `Ok` for an address the app may hand to the system: one the content pack holds, or a
    /// `tel:`/`sms:` address that is a plain number (a support person's, from the journal:
    /// an optional `+` and 3 to 20 digits, with no message body).
    pub fn check(&self, uri: &str) -> Result<(), AppError> {
        if uri.len() > MAX_LINK_BYTES {
            return Err(AppError::LinkNotAllowed);
        }
        if self.known.contains(uri) || is_plain_number(uri) {
            Ok(())
        } else {
            Err(AppError::LinkNotAllowed)
        }
    }
}

fn is_link(s: &str) -> bool {
    ["https://", "tel:", "sms:"]
        .iter()
        .any(|p| s.starts_with(p))
}

fn collect(value: &serde_json::Value, into: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::String(s) if is_link(s) => {
            into.insert(s.clone());
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, into)),
        serde_json::Value::Object(fields) => fields.values().for_each(|v| collect(v, into)),
        _ => {}
    }
}

fn is_plain_number(uri: &str) -> bool {
    let Some(number) = uri
        .strip_prefix("tel:")
        .or_else(|| uri.strip_prefix("sms:"))
    else {
        return false;
    };
    let digits = number.strip_prefix('+').unwrap_or(number);
    (3..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack_links() -> Result<Links, Box<dyn std::error::Error>> {
        Ok(Links::of(&ContentPack::embedded()?))
    }

    #[test]
    fn a_payload_counts_only_for_the_command_the_hook_approved_it_for() {
        let approved = serde_json::json!({ "passphrase": "x", "__cmd": "unlock" });
        assert!(is_bound_to("unlock", &approved));
        assert!(!is_bound_to("erase", &approved));
        for unbound in [
            serde_json::json!({ "passphrase": "x" }),
            serde_json::json!({ "__cmd": 1 }),
            serde_json::json!({}),
            serde_json::json!(null),
            serde_json::json!(["unlock"]),
            serde_json::json!("unlock"),
        ] {
            assert!(!is_bound_to("unlock", &unbound), "{unbound}");
        }
    }

    #[test]
    fn only_the_apps_own_pages_are_shown() {
        assert!(is_app_page("tauri", Some("localhost")));
        assert!(is_app_page("http", Some("tauri.localhost")));
        assert!(is_app_page("https", Some("tauri.localhost")));
        for (scheme, host) in [
            ("https", Some("example.org")),
            ("http", Some("localhost")),
            ("https", Some("tauri.localhost.example.org")),
            ("tauri", Some("evil")),
            ("tel", None),
            ("sms", None),
            ("file", None),
            ("data", None),
            ("javascript", None),
            ("about", None),
        ] {
            assert!(
                !is_app_page(scheme, host),
                "{scheme}://{host:?} was allowed"
            );
        }
    }

    #[test]
    fn the_packs_own_addresses_open_and_others_do_not() -> Result<(), Box<dyn std::error::Error>> {
        let links = pack_links()?;
        assert!(
            links.len() > 100,
            "only {} addresses in the pack",
            links.len()
        );
        let web = links
            .known
            .iter()
            .filter(|u| u.starts_with("https://"))
            .count();
        println!(
            "links: {} addresses in the pack, {web} of them web pages",
            links.len()
        );
        // Every address in the pack passes, whatever kind it is.
        for uri in &links.known {
            assert_eq!(links.check(uri), Ok(()), "{uri}");
        }
        let some_web = links
            .known
            .iter()
            .find(|u| u.starts_with("https://"))
            .ok_or("no web address in the pack")?;
        let keyword_sms = links
            .known
            .iter()
            .find(|u| u.starts_with("sms:") && u.contains("?body="));
        // Support people's numbers, from the journal.
        for ok in ["tel:+447700900123", "sms:07700900123", "tel:988", "tel:000"] {
            assert_eq!(links.check(ok), Ok(()), "{ok}");
        }
        let carried = format!("{some_web}?d=journal");
        let mut refused = vec![
            "https://example.org/?d=the+journal",
            carried.as_str(),
            "http://www.samhsa.gov/",
            "tel:12",
            "tel:+1 800 662",
            "tel:911;ext=1",
            "sms:911?body=anything",
            "sms:+15550001111?body=the%20journal",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "mailto:someone@example.org",
            "",
        ];
        let long = format!("tel:{}", "1".repeat(MAX_LINK_BYTES));
        refused.push(&long);
        for bad in refused {
            assert_eq!(links.check(bad), Err(AppError::LinkNotAllowed), "{bad}");
        }
        if let Some(sms) = keyword_sms {
            assert_eq!(links.check(sms), Ok(()));
            assert_eq!(
                links.check(&sms.replace("?body=", "?body=X")),
                Err(AppError::LinkNotAllowed)
            );
        }
        Ok(())
    }
}
