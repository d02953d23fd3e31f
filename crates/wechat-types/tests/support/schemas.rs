//! The source schema files, fixtures, and validation against them with the `jsonschema` crate.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Value, json};

/// `$id` prefix of every schema file.
pub const ID_BASE: &str = "https://wechat-sdk.invalid/schemas/";

/// The repository's `schemas/` directory.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas")
}

/// Every `*.schema.json`, by path relative to `schemas/`.
pub fn files() -> &'static BTreeMap<String, Value> {
    static FILES: OnceLock<BTreeMap<String, Value>> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut files = BTreeMap::new();
        for module in sorted(&dir()) {
            if !module.is_dir() || module.ends_with("meta") {
                continue;
            }
            for file in sorted(&module) {
                let name = file.file_name().unwrap().to_string_lossy().into_owned();
                if name.ends_with(".schema.json") {
                    let module_name = module.file_name().unwrap().to_string_lossy();
                    files.insert(format!("{module_name}/{name}"), read_json(&file));
                }
            }
        }
        files
    })
}

/// The source schema of one definition.
pub fn def(file: &str, name: &str) -> &'static Value {
    &files()[file]["$defs"][name]
}

/// A validator for `file#/$defs/name`, resolving references across every schema file.
pub fn validator(file: &str, name: &str) -> jsonschema::Validator {
    static REGISTRY: OnceLock<jsonschema::Registry<'static>> = OnceLock::new();
    let registry = REGISTRY.get_or_init(|| {
        let mut builder = jsonschema::Registry::new();
        for (path, schema) in files() {
            builder = builder
                .add(
                    format!("{ID_BASE}{path}"),
                    jsonschema::Resource::from_contents(schema.clone()),
                )
                .expect("schema resource");
        }
        builder.prepare().expect("schema registry")
    });
    jsonschema::options()
        .with_registry(registry)
        .build(&json!({ "$ref": format!("{ID_BASE}{file}#/$defs/{name}") }))
        .unwrap_or_else(|e| panic!("cannot compile {file}#/$defs/{name}: {e}"))
}

/// Validation errors of `instance`, one line each (empty when valid).
pub fn violations(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// A fixture file.
pub struct Fixture {
    /// Path relative to `schemas/`.
    pub path: String,
    /// Module directory (`mp`).
    pub module: String,
    /// Definition the fixture is an instance of.
    pub def: String,
    /// File name without extension.
    pub case: String,
    /// `json` or `xml`.
    pub extension: String,
    /// Contents.
    pub text: String,
}

impl Fixture {
    /// Lenient fixtures use the non-canonical form WeChat sometimes sends; they are not byte-stable.
    pub fn lenient(&self) -> bool {
        self.case.starts_with("lenient_")
    }

    /// Payloads the schema does not know, which must land in an `Unknown` variant.
    pub fn unknown(&self) -> bool {
        self.case.starts_with("unknown_")
    }
}

/// Every fixture under `schemas/<module>/fixtures/<Def>/`.
pub fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    for module in sorted(&dir()) {
        let fixtures_dir = module.join("fixtures");
        if !fixtures_dir.is_dir() {
            continue;
        }
        let module_name = module.file_name().unwrap().to_string_lossy().into_owned();
        for def_dir in sorted(&fixtures_dir) {
            let def = def_dir.file_name().unwrap().to_string_lossy().into_owned();
            for file in sorted(&def_dir) {
                let name = file.file_name().unwrap().to_string_lossy().into_owned();
                let (case, extension) = name.rsplit_once('.').expect("fixture extension");
                out.push(Fixture {
                    path: format!("{module_name}/fixtures/{def}/{name}"),
                    module: module_name.clone(),
                    def: def.clone(),
                    case: case.to_owned(),
                    extension: extension.to_owned(),
                    text: fs::read_to_string(&file).unwrap(),
                });
            }
        }
    }
    out
}

/// The schema file that defines `def` in `module`.
pub fn file_of(module: &str, def: &str) -> String {
    files()
        .iter()
        .find(|(path, schema)| {
            path.starts_with(&format!("{module}/")) && schema["$defs"].get(def).is_some()
        })
        .map(|(path, _)| path.clone())
        .unwrap_or_else(|| panic!("no definition {def} in schemas/{module}/"))
}

pub fn read_json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn sorted(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    entries
}
