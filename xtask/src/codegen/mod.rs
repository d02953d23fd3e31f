//! `cargo xtask codegen [--check]`: `schemas/` -> `crates/wechat-types/src/generated/`.
//!
//! The pipeline is: read the files (`sources`), check them against the dialect and resolve them
//! into the [`model`] ([`dialect`], `errcodes`), render Rust (`emit`), then write the outputs or
//! compare them with what is checked in (`files`).

pub mod dialect;
mod emit;
mod errcodes;
mod files;
pub mod json;
pub mod model;
mod sources;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

pub use dialect::DialectError;
pub use emit::{CORE_ENDPOINTS_DIR, GENERATED_DIRS, LIB_DIR, TESTS_DIR};
pub use files::{Stale, check, write};
pub use sources::{Source, read_schemas};

use self::json::Json;
use self::model::{Catalog, DefKind, Module, Response, Ty, TypeRef, VariantShape};

/// Everything that can stop code generation.
#[derive(Debug)]
pub enum CodegenError {
    /// Reading or writing a file failed.
    Io(String),
    /// Schemas outside the dialect; every problem found.
    Dialect(Vec<DialectError>),
    /// The generated code did not parse (a generator bug).
    Emit(String),
    /// `--check` found checked-in generated files that differ from what the schemas give.
    Stale(Stale),
}

impl std::fmt::Display for CodegenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodegenError::Io(message) | CodegenError::Emit(message) => f.write_str(message),
            CodegenError::Stale(stale) => stale.fmt(f),
            CodegenError::Dialect(errors) => {
                writeln!(f, "{} schema problem(s):", errors.len())?;
                for error in errors {
                    writeln!(f, "  {error}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for CodegenError {}

/// Generates every output from the schemas under `repo/schemas`: path (relative to `repo`) -> text.
pub fn generate(repo: &Path) -> Result<BTreeMap<String, String>, CodegenError> {
    let sources = read_schemas(&repo.join("schemas"))?;
    generate_from(&sources)
}

/// Generates every output from in-memory sources (paths relative to `schemas/`).
pub fn generate_from(sources: &[Source]) -> Result<BTreeMap<String, String>, CodegenError> {
    let catalog = build_catalog(sources).map_err(CodegenError::Dialect)?;
    emit::emit(&catalog).map_err(CodegenError::Emit)
}

/// Checks the sources against the dialect and resolves them into the model.
pub fn build_catalog(sources: &[Source]) -> Result<Catalog, Vec<DialectError>> {
    let mut errors = Vec::new();
    let mut documents = Vec::new();
    let mut catalogues = BTreeMap::new();
    let mut module_names = std::collections::BTreeSet::new();
    for source in sources {
        let Some((module, _)) = source.path.split_once('/') else {
            errors.push(error(
                &source.path,
                "",
                "schema files live in a module directory (`schemas/<module>/`)",
            ));
            continue;
        };
        if !dialect::is_snake_ident(module) {
            errors.push(error(
                &source.path,
                "",
                "a module directory name must be a snake_case Rust identifier",
            ));
            continue;
        }
        module_names.insert(module.to_owned());
        if source.path.ends_with("/errcodes.json") {
            if let Some(catalogue) = errcodes::parse(&source.path, &source.text, &mut errors) {
                catalogues.insert(module.to_owned(), catalogue);
            }
            continue;
        }
        match Json::parse(&source.text) {
            Ok(doc) => documents.push((source.path.clone(), doc)),
            Err(e) => errors.push(error(&source.path, "", &format!("not valid JSON: {e}"))),
        }
    }

    let index = dialect::index_shapes(&documents);
    let mut modules: BTreeMap<String, Module> = module_names
        .into_iter()
        .map(|name| {
            (
                name.clone(),
                Module {
                    name,
                    files: Vec::new(),
                    errcodes: None,
                },
            )
        })
        .collect();
    for (path, doc) in &documents {
        let module = path.split('/').next().unwrap_or_default();
        if let Some(file) = dialect::parse_file(path, doc, &index, &mut errors)
            && let Some(m) = modules.get_mut(module)
        {
            m.files.push(file);
        }
    }
    for (name, catalogue) in catalogues {
        if let Some(m) = modules.get_mut(&name) {
            m.errcodes = Some(catalogue);
        }
    }
    let catalog = Catalog {
        modules: modules.into_values().collect(),
    };
    check_catalog(&catalog, &mut errors);
    if errors.is_empty() {
        Ok(catalog)
    } else {
        Err(errors)
    }
}

/// Rules that span files: unique names per module, and open enums wherever WeChat answers.
fn check_catalog(catalog: &Catalog, errors: &mut Vec<DialectError>) {
    for module in &catalog.modules {
        let mut types: BTreeMap<&str, &str> = BTreeMap::new();
        let mut endpoints: BTreeMap<&str, &str> = BTreeMap::new();
        if module.errcodes.is_some() {
            types.insert("Errcode", "errcodes.json");
        }
        for file in &module.files {
            if file.stem == "errcodes" || file.stem == "mod" {
                errors.push(error(
                    &file.path,
                    "",
                    "this file name is reserved for generated modules",
                ));
            }
            for def in &file.defs {
                if let Some(other) = types.insert(&def.name, &file.path) {
                    let pointer = format!("/$defs/{}", def.name);
                    errors.push(error(
                        &file.path,
                        &pointer,
                        &format!("`{}` is also defined in {other}", def.name),
                    ));
                }
            }
            for endpoint in &file.endpoints {
                if let Some(other) = endpoints.insert(&endpoint.id, &file.path) {
                    let pointer = format!("/x-endpoints/{}", endpoint.id);
                    errors.push(error(
                        &file.path,
                        &pointer,
                        &format!("endpoint `{}` is also declared in {other}", endpoint.id),
                    ));
                }
            }
        }
    }

    // Whatever WeChat sends us must survive WeChat adding a value.
    let mut seen = std::collections::BTreeSet::new();
    let responses = catalog
        .modules
        .iter()
        .flat_map(|m| &m.files)
        .flat_map(|f| &f.endpoints)
        .map(|e| match &e.response {
            Response::Json(target) | Response::Media(target) => target.clone(),
        });
    let mut stack: Vec<TypeRef> = responses.collect();
    while let Some(target) = stack.pop() {
        if !seen.insert(target.clone()) {
            continue;
        }
        let Some(def) = catalog.def(&target) else {
            continue;
        };
        let closed = match &def.kind {
            DefKind::Union(u) => !u.unknown,
            DefKind::StringEnum(e) => !e.unknown,
            DefKind::Struct(_) | DefKind::Newtype(_) => false,
        };
        if closed {
            let pointer = format!("/$defs/{}", def.name);
            errors.push(error(
                &target.file,
                &pointer,
                "WeChat sends this in a response: set `\"x-rust-unknown\": true` so a new value does not fail decoding",
            ));
        }
        stack.extend(referenced(&def.kind));
    }
}

/// Definitions a definition refers to directly.
fn referenced(kind: &DefKind) -> Vec<TypeRef> {
    fn from_ty(ty: &Ty, out: &mut Vec<TypeRef>) {
        match ty {
            Ty::Ref(target) => out.push(target.clone()),
            Ty::Array { items, .. } => from_ty(items, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    match kind {
        DefKind::Struct(s) => {
            for member in &s.members {
                match member {
                    model::Member::Field(f) => from_ty(&f.ty, &mut out),
                    model::Member::Flatten { target, .. } => out.push(target.clone()),
                }
            }
        }
        DefKind::Union(u) => {
            for variant in &u.variants {
                match &variant.shape {
                    VariantShape::Newtype(target) => out.push(target.clone()),
                    VariantShape::Fields(fields) => {
                        fields.iter().for_each(|f| from_ty(&f.ty, &mut out))
                    }
                }
            }
        }
        DefKind::StringEnum(_) | DefKind::Newtype(_) => {}
    }
    out
}

fn error(file: &str, pointer: &str, message: &str) -> DialectError {
    DialectError {
        file: file.to_owned(),
        pointer: pointer.to_owned(),
        message: message.to_owned(),
    }
}

/// Runs `cargo xtask codegen [--check]` on the repository at `repo`; returns the report to print.
pub fn run(repo: &Path, check_only: bool) -> Result<String, CodegenError> {
    let outputs = generate(repo)?;
    let mut report = String::new();
    if check_only {
        match check(repo, &outputs)? {
            None => {
                let _ = writeln!(
                    report,
                    "generated code is up to date ({} files)",
                    outputs.len()
                );
            }
            Some(stale) => return Err(CodegenError::Stale(stale)),
        }
    } else {
        let changed = write(repo, &outputs)?;
        let _ = writeln!(
            report,
            "{} generated files, {} changed",
            outputs.len(),
            changed.len()
        );
        for path in changed {
            let _ = writeln!(report, "  {path}");
        }
    }
    Ok(report)
}
