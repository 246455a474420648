//! The layers are enforced, not just described: each crate may use only the crates below it, no
//! crate below the shell uses Tauri, no crate below `holdfast-app` knows the IPC shape, and the
//! modules inside each crate form no cycle. See docs/architecture.md.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Each crate, its folder, and the Holdfast crates it may depend on.
const LAYERS: &[(&str, &str, &[&str])] = &[
    ("holdfast-commands", "core/commands", &[]),
    ("holdfast-content", "core/content", &[]),
    ("holdfast-domain", "core/domain", &["holdfast-content"]),
    (
        "holdfast-store",
        "core/store",
        &["holdfast-content", "holdfast-domain"],
    ),
    (
        "holdfast-app",
        "core/app",
        &[
            "holdfast-content",
            "holdfast-domain",
            "holdfast-store",
            "holdfast-commands",
        ],
    ),
    (
        "holdfast",
        "src-tauri",
        &["holdfast-app", "holdfast-commands"],
    ),
];

/// The dependency names in every `[*dependencies]` table of a manifest (normal, build, dev and
/// target-specific ones).
fn dependencies(manifest: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(manifest).expect("the manifest is readable");
    let doc: toml::Table = text.parse().expect("the manifest is TOML");
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut add = |kind: &str, table: &toml::Value| {
        if let Some(t) = table.as_table() {
            out.entry(kind.to_owned())
                .or_default()
                .extend(t.keys().cloned());
        }
    };
    for kind in ["dependencies", "build-dependencies", "dev-dependencies"] {
        if let Some(t) = doc.get(kind) {
            add(kind, t);
        }
    }
    if let Some(targets) = doc.get("target").and_then(|t| t.as_table()) {
        for spec in targets.values() {
            for kind in ["dependencies", "build-dependencies", "dev-dependencies"] {
                if let Some(t) = spec.get(kind) {
                    add(kind, t);
                }
            }
        }
    }
    out
}

#[test]
fn each_crate_uses_only_the_layers_below_it_and_only_the_shell_uses_tauri() {
    for (name, dir, allowed) in LAYERS {
        let deps = dependencies(&root().join(dir).join("Cargo.toml"));
        for (kind, names) in &deps {
            for dep in names.iter().filter(|d| d.starts_with("holdfast")) {
                assert!(
                    allowed.contains(&dep.as_str()),
                    "{name} may not depend on {dep} ({kind}); allowed: {allowed:?}"
                );
            }
            if *name != "holdfast" {
                let tauri: Vec<&String> = names.iter().filter(|d| d.starts_with("tauri")).collect();
                assert!(
                    tauri.is_empty(),
                    "{name} depends on {tauri:?} ({kind}): only the shell may know Tauri"
                );
            }
        }
    }
}

/// The Rust files of a crate's `src`, with each file's module path's first part.
fn sources(dir: &Path) -> Vec<(String, PathBuf)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = dir.join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files
        .into_iter()
        .filter_map(|path| {
            let rel = path.strip_prefix(&src).ok()?.to_path_buf();
            let first = rel.components().next()?.as_os_str().to_str()?.to_owned();
            let module = first.trim_end_matches(".rs").to_owned();
            Some((module, path))
        })
        .collect()
}

/// A file's text without its test module (`#[cfg(test)] mod tests`) and comments' lines.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("readable");
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn no_crate_below_the_app_knows_the_ipc_error() {
    for (name, dir, _) in LAYERS.iter().take(4) {
        for (_, path) in sources(&root().join(dir)) {
            let text = code(&path);
            for word in ["IpcError", "ipc::", "tauri::"] {
                assert!(
                    !text.contains(word),
                    "{name}: {} mentions {word}",
                    path.display()
                );
            }
        }
    }
}

/// The modules a module's code names with `crate::x` (including `use crate::{x, y}`).
fn module_edges(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let files = sources(dir);
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, path) in &files {
        if module == "lib" || module == "main" || path.ends_with("tests.rs") {
            continue;
        }
        let text = code(path);
        let mut rest = text.as_str();
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                group[..end]
                    .split(',')
                    .map(|n| n.trim().split("::").next().unwrap_or("").trim())
                    .collect()
            } else {
                vec![rest
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or("")]
            };
            for n in names {
                if modules.contains(n) && n != module {
                    edges
                        .entry(module.clone())
                        .or_default()
                        .insert(n.to_owned());
                }
            }
        }
    }
    edges
}

/// A cycle in `edges`, if there is one, as the modules along it.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        if let Some(c) = visit(node, edges, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

#[test]
fn the_modules_inside_each_crate_form_no_cycle() {
    for (name, dir, _) in LAYERS {
        let edges = module_edges(&root().join(dir));
        if let Some(cycle) = find_cycle(&edges) {
            panic!("{name}: the modules form a cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("c".into());
    assert_eq!(find_cycle(&edges), None);
    edges.entry("c".into()).or_default().insert("a".into());
    assert_eq!(
        find_cycle(&edges),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}
