//! The typed IPC surface: wire types, the error type, events and the TypeScript bindings export.

pub mod audio;
pub mod bindings;
pub mod dto;
pub mod error;
pub mod events;
pub mod git;
pub mod progress;
pub mod project;
pub mod review;
