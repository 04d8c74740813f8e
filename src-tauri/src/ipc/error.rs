//! The one error type of the IPC surface.
//!
//! Variants are only those the UI branches on. Each carries a human-readable message (and
//! the path it is about, where there is one); the full cause is logged with `tracing` where
//! the error is converted, not sent over the wire.

use std::path::Path;

use cueline_transcript::EditError;
use cueline_transcript::search::SearchError;
use cueline_transcript_store::{OpenError, ReplaceError, SaveError};
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
    /// An edit was refused; the document is unchanged.
    #[error("{message}")]
    InvalidEdit { message: String },
    /// A find or replace pattern is not valid (a bad regular expression).
    #[error("{message}")]
    InvalidQuery { message: String },
    /// The file changed on disk since it was opened or last saved; nothing was written.
    #[error("{path}: {message}")]
    Conflict { path: String, message: String },
    /// The document cannot be changed or saved (not text, or the bundled demo).
    #[error("{path}: {message}")]
    ReadOnly { path: String, message: String },
    /// The edits were made against an older revision of the document (it was reloaded from
    /// disk since the view they came from); nothing was applied. The window fetches the view
    /// again and sends them anew against `current`.
    #[error("{message}")]
    StaleRevision { current: u32, message: String },
    /// No open document has this id (it was closed).
    #[error("no open document {doc_id}")]
    #[serde(rename_all = "camelCase")]
    NoSuchDocument { doc_id: u32 },
    /// Reading or writing failed (a save, a folder scan).
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    /// Audio cannot play: no sound output, no audio attached, an unsupported or corrupt file.
    /// The editor works on without audio.
    #[error("{message}")]
    Audio { path: String, message: String },
    /// git refused (a hook failed the commit, an operation is in progress): its own words.
    #[error("{message}")]
    Git { message: String },
    /// The path did not come from the user (a dialog, the command line, the recent list, a
    /// drop, a chosen folder): nothing was read or written.
    #[error("{message}")]
    PathNotAllowed { path: String, message: String },
}

impl From<cueline_session::grants::PathRefused> for IpcError {
    fn from(refused: cueline_session::grants::PathRefused) -> Self {
        tracing::warn!(path = %refused.path, "refused a path the user did not choose");
        IpcError::PathNotAllowed {
            message: refused.to_string(),
            path: refused.path,
        }
    }
}

fn shown(path: &Path) -> String {
    path.display().to_string()
}

impl IpcError {
    /// The sentence for the user.
    pub fn message(&self) -> String {
        match self {
            IpcError::NotFound { message, .. }
            | IpcError::Unreadable { message, .. }
            | IpcError::Unsupported { message, .. }
            | IpcError::InvalidEdit { message }
            | IpcError::InvalidQuery { message }
            | IpcError::StaleRevision { message, .. }
            | IpcError::Conflict { message, .. }
            | IpcError::ReadOnly { message, .. }
            | IpcError::Io { message, .. }
            | IpcError::Audio { message, .. }
            | IpcError::Git { message }
            | IpcError::PathNotAllowed { message, .. } => message.clone(),
            IpcError::NoSuchDocument { .. } => self.to_string(),
        }
    }

    pub fn not_found(path: &str) -> Self {
        IpcError::NotFound {
            path: path.to_owned(),
            message: format!("File not found: {path}"),
        }
    }

    pub fn unsupported(path: &str, message: impl Into<String>) -> Self {
        IpcError::Unsupported {
            path: path.to_owned(),
            message: message.into(),
        }
    }

    pub fn io(path: &Path, message: impl Into<String>) -> Self {
        let message = message.into();
        tracing::warn!(path = %path.display(), %message, "i/o error");
        IpcError::Io {
            path: shown(path),
            message,
        }
    }

    /// A refused edit (of a batch of `count`, the one at `index`) of the document `name`.
    pub fn edit(name: &str, index: usize, count: usize, err: EditError) -> Self {
        tracing::info!(doc = name, index, error = %err, "edit refused");
        match err {
            EditError::ReadOnly(reason) => IpcError::ReadOnly {
                path: name.to_owned(),
                message: format!("This document cannot be edited: {reason}"),
            },
            err if count > 1 => IpcError::InvalidEdit {
                message: format!("Edit {} of {count}: {err}", index + 1),
            },
            err => IpcError::InvalidEdit {
                message: err.to_string(),
            },
        }
    }

    pub fn replace(name: &str, err: ReplaceError) -> Self {
        match err {
            ReplaceError::Search(e) => e.into(),
            ReplaceError::Edit(e) => IpcError::edit(name, 0, 1, e),
            e @ ReplaceError::NoSuchHit { .. } => IpcError::InvalidEdit {
                message: format!("Nothing to replace: {e} (the text changed?)"),
            },
        }
    }
}

impl From<SearchError> for IpcError {
    fn from(e: SearchError) -> Self {
        IpcError::InvalidQuery {
            message: e.to_string(),
        }
    }
}

impl From<OpenError> for IpcError {
    fn from(e: OpenError) -> Self {
        let path = shown(e.path());
        match e {
            OpenError::NotFound { .. } => IpcError::not_found(&path),
            OpenError::Io { .. } => {
                tracing::warn!(%path, error = %e, "cannot read file");
                IpcError::Unreadable {
                    path,
                    message: e.to_string(),
                }
            }
            OpenError::IsAFolder { .. }
            | OpenError::NotATranscript { .. }
            | OpenError::NotAFile { .. }
            | OpenError::TooLarge { .. } => IpcError::Unsupported {
                path,
                message: e.to_string(),
            },
        }
    }
}

impl From<SaveError> for IpcError {
    fn from(e: SaveError) -> Self {
        let message = e.to_string();
        match e {
            SaveError::Conflict { path } => IpcError::Conflict {
                path: shown(&path),
                message,
            },
            SaveError::ReadOnly { name, .. } => IpcError::ReadOnly {
                path: name,
                message,
            },
            SaveError::Read { path, .. } => IpcError::io(&path, message),
            SaveError::Write(w) => {
                let path = w.path().map(Path::to_path_buf).unwrap_or_default();
                IpcError::io(&path, message)
            }
            SaveError::BadTarget { path, .. } => IpcError::Unsupported {
                path: shown(&path),
                message,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serialises_as_kind_and_detail() {
        let json = serde_json::to_value(IpcError::not_found("/a/b.vtt")).unwrap();
        assert_eq!(json["kind"], "NotFound");
        assert_eq!(json["detail"]["path"], "/a/b.vtt");
        assert_eq!(json["detail"]["message"], "File not found: /a/b.vtt");
    }

    #[test]
    fn every_new_variant_has_the_contract_shape() {
        let cases = [
            (
                IpcError::InvalidEdit {
                    message: "m".into(),
                },
                json!({"kind": "InvalidEdit", "detail": {"message": "m"}}),
            ),
            (
                IpcError::InvalidQuery {
                    message: "m".into(),
                },
                json!({"kind": "InvalidQuery", "detail": {"message": "m"}}),
            ),
            (
                IpcError::Conflict {
                    path: "p".into(),
                    message: "m".into(),
                },
                json!({"kind": "Conflict", "detail": {"path": "p", "message": "m"}}),
            ),
            (
                IpcError::ReadOnly {
                    path: "p".into(),
                    message: "m".into(),
                },
                json!({"kind": "ReadOnly", "detail": {"path": "p", "message": "m"}}),
            ),
            (
                IpcError::NoSuchDocument { doc_id: 3 },
                json!({"kind": "NoSuchDocument", "detail": {"docId": 3}}),
            ),
            (
                IpcError::Io {
                    path: "p".into(),
                    message: "m".into(),
                },
                json!({"kind": "Io", "detail": {"path": "p", "message": "m"}}),
            ),
        ];
        for (err, want) in cases {
            assert_eq!(serde_json::to_value(&err).unwrap(), want);
        }
    }

    #[test]
    fn store_errors_map_to_their_kinds() {
        let conflict: IpcError = SaveError::Conflict {
            path: "/x/a.vtt".into(),
        }
        .into();
        assert!(matches!(&conflict, IpcError::Conflict { path, message }
            if path == "/x/a.vtt" && message.contains("nothing was written")));
        let big: IpcError = OpenError::TooLarge {
            path: "/x/a.vtt".into(),
            size: 60 << 20,
        }
        .into();
        assert!(
            matches!(&big, IpcError::Unsupported { message, .. } if message.contains("too large"))
        );
        let bad = IpcError::edit("a", 1, 2, EditError::NoSuchCue { index: 9, count: 2 });
        assert!(
            matches!(&bad, IpcError::InvalidEdit { message } if message.starts_with("Edit 2 of 2: cue 9"))
        );
        let ro = IpcError::edit("a", 0, 1, EditError::ReadOnly("not text".into()));
        assert!(matches!(ro, IpcError::ReadOnly { .. }));
        let q: IpcError = SearchError::Regex("x".into()).into();
        assert!(matches!(q, IpcError::InvalidQuery { .. }));
    }
}
