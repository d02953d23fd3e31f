//! Reading `schemas/`: which files are inputs, which are fixtures or documentation.

use std::fs;
use std::path::Path;

use super::CodegenError;

/// One input file.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to `schemas/`, with `/` separators (`mp/typing.schema.json`).
    pub path: String,
    /// Contents.
    pub text: String,
}

/// Reads every generator input under `schemas_dir`, sorted by path.
///
/// Inputs are `<module>/*.schema.json` and `<module>/errcodes.json`. `README.md`, `meta/` and
/// `<module>/fixtures/` are for people and tests; anything else is an error, so that a misnamed
/// schema is never silently ignored.
pub fn read_schemas(schemas_dir: &Path) -> Result<Vec<Source>, CodegenError> {
    let mut sources = Vec::new();
    for entry in sorted_entries(schemas_dir)? {
        let name = file_name(&entry);
        if entry.is_dir() {
            if name == "meta" {
                continue;
            }
            for file in sorted_entries(&entry)? {
                let file_name = file_name(&file);
                let path = format!("{name}/{file_name}");
                if file.is_dir() && file_name == "fixtures" {
                    continue;
                }
                if file.is_file()
                    && (file_name.ends_with(".schema.json") || file_name == "errcodes.json")
                {
                    let text = fs::read_to_string(&file).map_err(|e| io_error(&file, &e))?;
                    sources.push(Source { path, text });
                } else {
                    return Err(CodegenError::Io(format!(
                        "schemas/{path}: unexpected entry (inputs are *.schema.json and errcodes.json, fixtures go in fixtures/; see schemas/README.md)"
                    )));
                }
            }
        } else if name != "README.md" {
            return Err(CodegenError::Io(format!(
                "schemas/{name}: unexpected file (schemas live in schemas/<module>/; see schemas/README.md)"
            )));
        }
    }
    Ok(sources)
}

fn sorted_entries(dir: &Path) -> Result<Vec<std::path::PathBuf>, CodegenError> {
    let mut entries = fs::read_dir(dir)
        .map_err(|e| io_error(dir, &e))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| io_error(dir, &e))?;
    entries.sort();
    Ok(entries)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn io_error(path: &Path, error: &std::io::Error) -> CodegenError {
    CodegenError::Io(format!("{}: {error}", path.display()))
}
