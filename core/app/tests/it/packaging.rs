//! The Linux packaging files (`packaging/linux/`) agree with the code: the desktop entry with the
//! autostart entry and the `--emergency` flag, the AppStream metadata with the entry's name, the
//! version and the repository address. `desktop-file-validate` and `appstreamcli validate` check
//! the formats (scripts/test.sh); these check what only the project knows.

use std::path::{Path, PathBuf};

use holdfast_app::autostart;
use holdfast_app::launch::EMERGENCY_FLAG;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(root().join(relative)).expect(relative)
}

fn desktop_file() -> String {
    read(&format!("packaging/linux/{}", autostart::FILE_NAME))
}

fn metainfo() -> String {
    read("packaging/linux/org.holdfast.companion.metainfo.xml")
}

/// The `key=value` lines of one `[group]` of a desktop entry.
fn group(text: &str, name: &str) -> Vec<(String, String)> {
    let header = format!("[{name}]");
    text.lines()
        .skip_while(|l| *l != header)
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn value(pairs: &[(String, String)], key: &str) -> Option<String> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// The text of every `<tag>…</tag>` in `xml` (enough for this file's flat elements).
fn elements(xml: &str, tag: &str) -> Vec<String> {
    let close = format!("</{tag}>");
    xml.split(&format!("<{tag}"))
        .skip(1)
        .filter_map(|rest| {
            let body = rest.split_once('>')?.1;
            Some(body.split_once(&close)?.0.trim().to_owned())
        })
        .collect()
}

#[test]
fn the_packaged_entry_agrees_with_the_autostart_entry() {
    let packaged = group(&desktop_file(), "Desktop Entry");
    let autostart_text = autostart::desktop_entry(Path::new("/usr/bin/holdfast")).unwrap();
    let login = group(&autostart_text, "Desktop Entry");
    for key in ["Type", "Version", "Name", "Terminal"] {
        assert_eq!(value(&packaged, key), value(&login, key), "{key}");
        assert!(value(&packaged, key).is_some(), "{key}");
    }
    assert_eq!(value(&packaged, "Exec").as_deref(), Some("holdfast"));
}

#[test]
fn the_emergency_action_uses_the_flag_the_app_reads() {
    let text = desktop_file();
    let entry = group(&text, "Desktop Entry");
    assert_eq!(value(&entry, "Actions").as_deref(), Some("emergency;"));
    let action = group(&text, "Desktop Action emergency");
    assert_eq!(
        value(&action, "Name").as_deref(),
        Some("Someone may be overdosing")
    );
    assert_eq!(
        value(&action, "Exec"),
        Some(format!("holdfast {EMERGENCY_FLAG}"))
    );
}

#[test]
fn the_metainfo_names_the_entry_the_version_and_the_licence() {
    let xml = metainfo();
    assert_eq!(elements(&xml, "id"), ["org.holdfast.companion"]);
    assert_eq!(elements(&xml, "launchable"), [autostart::FILE_NAME]);
    assert_eq!(
        format!("{}.desktop", elements(&xml, "id")[0]),
        autostart::FILE_NAME
    );
    let manifest: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    let package = &manifest["workspace"]["package"];
    assert_eq!(
        elements(&xml, "project_license"),
        [package["license"].as_str().unwrap()]
    );
    // The newest release listed is this version.
    let first_release = xml.split("<release ").nth(1).unwrap();
    assert!(
        first_release.starts_with(&format!("version=\"{}\"", env!("CARGO_PKG_VERSION"))),
        "{first_release}"
    );
}

/// The value of `name="…"` in an element's opening tag.
fn attribute(tag: &str, name: &str) -> Option<u32> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[start..].split('"').next()?.parse().ok()
}

#[test]
fn the_screenshots_are_committed_files_under_the_repository_address() {
    let xml = metainfo();
    let manifest: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    let repository = manifest["workspace"]["package"]["repository"]
        .as_str()
        .unwrap();
    let prefix = format!("{repository}/raw/main/");
    let images: Vec<&str> = xml.split("<image").skip(1).collect();
    assert!(images.len() >= 2, "{images:?}");
    for image in images {
        let (tag, rest) = image.split_once('>').unwrap();
        let url = rest.split_once("</image>").unwrap().0.trim();
        let path = url
            .strip_prefix(&prefix)
            .unwrap_or_else(|| panic!("{url} is not under {prefix} (the workspace repository)"));
        let file = root().join(path);
        let png = std::fs::read(&file).unwrap_or_else(|_| panic!("{} is missing", file.display()));
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{url} is not a PNG");
        // The IHDR chunk: width and height, big-endian, at bytes 16 and 20.
        let size = |at: usize| u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
        assert_eq!(attribute(tag, "width"), Some(size(16)), "{url} width");
        assert_eq!(attribute(tag, "height"), Some(size(20)), "{url} height");
    }
}
