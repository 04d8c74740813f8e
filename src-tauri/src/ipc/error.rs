//! The one error type of the IPC surface.
//!
//! Variants are only those the UI branches on. Each carries the path it is about and a
//! human-readable message; the full cause is logged with `tracing` where the error is made,
//! not sent over the wire.

use serde::Serialize;
use specta::Type;

/// An error returned by a command. On the TypeScript side it is a discriminated union on `kind`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Type)]
#[serde(tag = "kind", content = "detail")]
pub enum IpcError {
    /// Nothing exists at the path.
    #[error("{path}: no such file")]
    NotFound { path: String, message: String },
    /// The path exists but could not be read (permissions, I/O error).
    #[error("{path}: {message}")]
    Unreadable { path: String, message: String },
    /// The path is something Cueline does not open (a folder, an unknown extension, too large).
    #[error("{path}: {message}")]
    Unsupported { path: String, message: String },
}

impl IpcError {
    pub fn not_found(path: &str) -> Self {
        IpcError::NotFound {
            path: path.to_owned(),
            message: format!("File not found: {path}"),
        }
    }

    pub fn unreadable(path: &str, cause: &std::io::Error) -> Self {
        tracing::warn!(path, error = %cause, "cannot read file");
        IpcError::Unreadable {
            path: path.to_owned(),
            message: format!("Cannot read {path}: {cause}"),
        }
    }

    pub fn unsupported(path: &str, message: impl Into<String>) -> Self {
        IpcError::Unsupported {
            path: path.to_owned(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_kind_and_detail() {
        let json = serde_json::to_value(IpcError::not_found("/a/b.vtt")).unwrap();
        assert_eq!(json["kind"], "NotFound");
        assert_eq!(json["detail"]["path"], "/a/b.vtt");
        assert_eq!(json["detail"]["message"], "File not found: /a/b.vtt");
    }
}
