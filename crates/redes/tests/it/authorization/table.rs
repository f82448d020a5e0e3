//! The expected table (`fixtures/authorization.tsv`) and the application's
//! routes as written in its source.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One line of the table.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub method: String,
    pub path: String,
    pub actor: String,
    pub object: String,
    /// A status code, or `login` for a redirect to the login page.
    pub expected: String,
    /// `(true, key)`: the page lists the object; `(false, key)`: it does not.
    pub lists: Vec<(bool, String)>,
}

impl std::fmt::Display for Row {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}: {} {} as {} on {}",
            self.line, self.method, self.path, self.actor, self.object
        )
    }
}

/// Columns are separated by one or more tabs; `#` starts a comment.
pub fn parse(text: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        // A column starting with `#` is a note: it and what follows are ignored.
        let cols: Vec<&str> = line
            .split('\t')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .take_while(|c| !c.starts_with('#'))
            .collect();
        assert!(
            (5..=6).contains(&cols.len()),
            "authorization.tsv line {}: expected 5 or 6 columns, found {}: {line:?}",
            i + 1,
            cols.len()
        );
        let lists = cols
            .get(5)
            .map(|c| {
                c.split_whitespace()
                    .map(|t| match t.split_at(1) {
                        ("+", key) => (true, key.to_string()),
                        ("-", key) => (false, key.to_string()),
                        _ => panic!("line {}: list check {t:?} needs + or -", i + 1),
                    })
                    .collect()
            })
            .unwrap_or_default();
        rows.push(Row {
            line: i + 1,
            method: cols[0].to_string(),
            path: cols[1].to_string(),
            actor: cols[2].to_string(),
            object: cols[3].to_string(),
            expected: cols[4].to_string(),
            lists,
        });
    }
    rows
}

/// `(METHOD, path)` of every `.route("PATH", get(..).post(..))` in
/// `src/**/*.rs`, with the prefix of the `.nest("PREFIX", module::routes())`
/// that mounts the file's module. axum cannot list its routes, so the
/// source is the route table.
pub fn source_routes() -> BTreeSet<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let mut prefixes = BTreeMap::new();
    for call in calls(&lib, ".nest(") {
        let prefix = string_literal(&call).expect("nest prefix");
        let module = call
            .split("::routes")
            .next()
            .and_then(|s| s.rsplit([',', ' ', '(']).next())
            .map(str::trim)
            .expect("nested module");
        prefixes.insert(module.to_string(), prefix);
    }
    let mut routes = BTreeSet::new();
    for file in rust_files(&src) {
        // Every module's `api.rs` (and a part of it such as
        // `review_api.rs`) is nested where `lib.rs` nests `api`.
        let module = file
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        let module = match module.ends_with("_api") {
            true => "api".to_string(),
            false => module,
        };
        let prefix = prefixes.get(&module).cloned().unwrap_or_default();
        let text = std::fs::read_to_string(&file).unwrap();
        for call in calls(&text, ".route(") {
            let path = string_literal(&call)
                .unwrap_or_else(|| panic!("{}: route without a literal path", file.display()));
            let methods = method_routers(&call);
            assert!(
                !methods.is_empty(),
                "{}: no method router in .route({call})",
                file.display()
            );
            for m in methods {
                routes.insert((m, format!("{prefix}{path}")));
            }
        }
    }
    routes
}

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The argument text of every call `needle(...)`, parentheses balanced and
/// string literals skipped.
fn calls(text: &str, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices(needle) {
        let start = at + needle.len();
        let (mut depth, mut in_string, mut escaped) = (1, false, false);
        for (i, c) in text[start..].char_indices() {
            match (in_string, c) {
                (true, '\\') if !escaped => {
                    escaped = true;
                    continue;
                }
                (true, '"') if !escaped => in_string = false,
                (false, '"') => in_string = true,
                (false, '(') => depth += 1,
                (false, ')') => depth -= 1,
                _ => {}
            }
            escaped = false;
            if depth == 0 {
                found.push(text[start..start + i].to_string());
                break;
            }
        }
    }
    found
}

fn string_literal(text: &str) -> Option<String> {
    let start = text.find('"')? + 1;
    let end = start + text[start..].find('"')?;
    Some(text[start..end].to_string())
}

/// `get`, `post`, ... called in a route's method router, as HTTP methods.
fn method_routers(call: &str) -> Vec<String> {
    const METHODS: [&str; 7] = ["get", "post", "put", "patch", "delete", "head", "options"];
    let after_path = call.splitn(3, '"').nth(2).unwrap_or_default();
    let mut methods = Vec::new();
    let mut word = String::new();
    for c in after_path.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if c == '(' && METHODS.contains(&word.as_str()) {
            methods.push(word.to_uppercase());
        } else if c == '(' && word == "any" {
            panic!("`any(..)` routes: list their methods in the table by hand");
        }
        word.clear();
    }
    methods
}
