//! The typed IPC surface: wire types, the error type and the TypeScript bindings export.

pub mod bindings;
pub mod dto;
pub mod error;
