//! The house stays untangled: data flows one way through the stages, and no two modules
//! import each other. Read from the sources: every `crate::…` path, every `super::…` path
//! and every path through a module's own submodules.
//!
//! Stages, in the order data flows (a module may use its own stage and earlier ones):
//! hash → text → align → corpus → aligned → qa → export → eval → batch → exit_code.
//! A module and its own submodules may use each other (a parent declares the trait, the
//! children implement it); any other pair of modules that reach each other is a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const STAGES: &[&str] = &[
    "hash",
    "text",
    "align",
    "corpus",
    "aligned",
    "qa",
    "export",
    "eval",
    "batch",
    "exit_code",
];

/// Every source file under src/ with its module path (`src/batch/manifest.rs` →
/// ["batch", "manifest"]; `src/lib.rs` → []).
fn modules(root: &Path) -> Vec<(PathBuf, Vec<String>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    walk(root, &mut files);
    files.sort();
    files
        .into_iter()
        .filter(|f| f.file_name().is_some_and(|n| n != "main.rs"))
        .map(|f| {
            let rel = f.strip_prefix(root).unwrap().with_extension("");
            let mut path: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(path.last().map(String::as_str), Some("mod" | "lib")) {
                path.pop();
            }
            (f, path)
        })
        .collect()
}

/// The code of a file without comments and string literals, where paths in prose or text
/// would be taken for imports.
fn code(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for line in source.lines() {
        let line = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        let mut in_string = false;
        let mut prev = ' ';
        for c in line.chars() {
            if c == '"' && prev != '\\' {
                in_string = !in_string;
            } else if !in_string {
                out.push(c);
            }
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// The modules a file refers to, as module paths (as deep as the path names modules that
/// exist).
fn references(
    path: &[String],
    is_dir_module: bool,
    source: &str,
    known: &BTreeSet<Vec<String>>,
) -> BTreeSet<Vec<String>> {
    let code = code(source);
    let segments =
        regex::Regex::new(r"\b(crate|super|self)?((?:::)?[a-z_][a-z0-9_]*(?:::[a-z_][a-z0-9_]*)*)")
            .unwrap();
    let mut out = BTreeSet::new();
    for m in segments.captures_iter(&code) {
        let head = m.get(1).map(|h| h.as_str());
        let rest: Vec<String> = m[2]
            .trim_start_matches("::")
            .split("::")
            .map(str::to_string)
            .collect();
        let base: Vec<String> = match head {
            Some("crate") => Vec::new(),
            Some("super") => path[..path.len().saturating_sub(1)].to_vec(),
            Some("self") => path.to_vec(),
            // A bare path through one of this module's own submodules.
            _ if is_dir_module || path.is_empty() => path.to_vec(),
            _ => continue,
        };
        // The longest prefix that names a module.
        let mut target = None;
        let mut p = base.clone();
        for seg in rest {
            p.push(seg);
            if known.contains(&p) {
                target = Some(p.clone());
            } else {
                break;
            }
        }
        if let Some(t) = target
            && t != path
        {
            out.insert(t);
        }
    }
    out
}

fn graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mods = modules(&root);
    let known: BTreeSet<Vec<String>> = mods.iter().map(|(_, p)| p.clone()).collect();
    mods.iter()
        .map(|(file, path)| {
            let source = std::fs::read_to_string(file).unwrap();
            let dir_module = matches!(
                file.file_name().and_then(|n| n.to_str()),
                Some("mod.rs" | "lib.rs")
            );
            (path.clone(), references(path, dir_module, &source, &known))
        })
        .collect()
}

fn stage(path: &[String]) -> Option<usize> {
    let top = path.first()?;
    Some(
        STAGES
            .iter()
            .position(|s| s == top)
            .unwrap_or_else(|| panic!("module {top} has no stage: add it to STAGES")),
    )
}

fn name(path: &[String]) -> String {
    if path.is_empty() {
        "lib".into()
    } else {
        path.join("::")
    }
}

/// Imports of a later stage, as "from → to".
fn backward(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<String> {
    let mut out = Vec::new();
    for (from, tos) in graph {
        let Some(s) = stage(from) else { continue };
        for to in tos {
            if stage(to).is_some_and(|t| t > s) {
                out.push(format!("{} → {}", name(from), name(to)));
            }
        }
    }
    out
}

/// Modules that reach each other, a module and its own submodules aside.
fn cycles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<String> {
    let related = |a: &[String], b: &[String]| a.starts_with(b) || b.starts_with(a);
    let reach = |from: &Vec<String>| -> BTreeSet<Vec<String>> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(m) = stack.pop() {
            for next in graph.get(&m).into_iter().flatten() {
                if !related(&m, next) && seen.insert(next.clone()) {
                    stack.push(next.clone());
                }
            }
        }
        seen
    };
    let mut out = Vec::new();
    for a in graph.keys() {
        for b in reach(a) {
            if a < &b && !related(a, &b) && reach(&b).contains(a) {
                out.push(format!("{} ⇄ {}", name(a), name(&b)));
            }
        }
    }
    out
}

#[test]
fn no_module_imports_one_of_a_later_stage() {
    let found = backward(&graph());
    assert!(
        found.is_empty(),
        "imports against the flow:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_two_modules_import_each_other() {
    let found = cycles(&graph());
    assert!(
        found.is_empty(),
        "modules that import each other:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_checks_see_a_back_import_and_a_cycle() {
    let v = |s: &str| s.split("::").map(str::to_string).collect::<Vec<_>>();
    let known: BTreeSet<Vec<String>> = [
        "text",
        "export",
        "qa",
        "batch",
        "batch::manifest",
        "batch::summary",
    ]
    .into_iter()
    .map(v)
    .collect();
    let refs = |path: &str, dir: bool, src: &str| references(&v(path), dir, src, &known);
    let mut g = BTreeMap::new();
    g.insert(v("text"), refs("text", true, "use crate::export::Batch;"));
    g.insert(v("qa"), refs("qa", true, "use crate::export::x;"));
    g.insert(
        v("export"),
        refs("export", true, "fn f() { crate::qa::check(); }"),
    );
    g.insert(
        v("batch::manifest"),
        refs("batch::manifest", false, "use super::summary::Stats;"),
    );
    g.insert(
        v("batch::summary"),
        refs(
            "batch::summary",
            false,
            "use crate::batch::manifest::X; // crate::text",
        ),
    );
    assert_eq!(backward(&g), ["qa → export", "text → export"]);
    assert_eq!(
        cycles(&g),
        ["batch::manifest ⇄ batch::summary", "export ⇄ qa"]
    );
}
