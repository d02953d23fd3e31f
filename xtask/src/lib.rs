//! Repository automation, run as `cargo xtask <command>` (see `xtask/README.md`).

pub mod ci;
pub mod codegen;
