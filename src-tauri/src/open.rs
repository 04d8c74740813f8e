//! Reading a transcript file into a [`DocumentView`].
//!
//! This is the only file access in the shell, and it only reads. It moves into
//! `transcript-store` once that crate opens documents (with fingerprints and watching).

use std::io::ErrorKind;
use std::path::Path;

use cueline_transcript::{Document, Format};

use crate::ipc::dto::DocumentView;
use crate::ipc::error::IpcError;

/// Files larger than this are refused rather than read into memory. The largest real
/// transcript seen is well under 1 MiB.
pub const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// Opens `path` read-only. Every failure is a typed [`IpcError`] with a message that names
/// the file; nothing here panics on any input.
pub fn open_path(path: &Path, is_demo: bool) -> Result<DocumentView, IpcError> {
    let shown = path.display().to_string();
    if path.as_os_str().is_empty() {
        return Err(IpcError::unsupported(&shown, "No file given."));
    }
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        ErrorKind::NotFound => IpcError::not_found(&shown),
        _ => IpcError::unreadable(&shown, &e),
    })?;
    if meta.is_dir() {
        return Err(IpcError::unsupported(
            &shown,
            format!("{shown} is a folder. Open a .vtt, .srt or .txt file."),
        ));
    }
    let Some(format) = Format::from_path(path) else {
        return Err(IpcError::unsupported(
            &shown,
            format!(
                "{} is not a transcript: Cueline opens .vtt, .srt and .txt files.",
                file_name(path)
            ),
        ));
    };
    if meta.len() > MAX_BYTES {
        return Err(IpcError::unsupported(
            &shown,
            format!(
                "{shown} is too large ({} bytes) to be a transcript.",
                meta.len()
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        ErrorKind::NotFound => IpcError::not_found(&shown),
        _ => IpcError::unreadable(&shown, &e),
    })?;
    Ok(open_bytes(&bytes, format, shown, file_name(path), is_demo))
}

/// Parses bytes that did not come from a file path of their own (the built-in demo).
pub fn open_bytes(
    bytes: &[u8],
    format: Format,
    path: String,
    file_name: String,
    is_demo: bool,
) -> DocumentView {
    let doc = Document::parse(bytes, format);
    DocumentView::from_document(&doc, path, file_name, is_demo)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipc::dto::FormatDto;

    #[test]
    fn opens_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ep.srt");
        std::fs::write(&p, "1\n00:00:01,000 --> 00:00:02,000\nHi\n\n").unwrap();
        let view = open_path(&p, false).unwrap();
        assert_eq!(view.format, FormatDto::Srt);
        assert_eq!(view.file_name, "ep.srt");
        assert_eq!(view.cue_count, 1);
        assert!(!view.is_demo);
    }

    #[test]
    fn missing_file_is_not_found() {
        let err = open_path(Path::new("/nonexistent/dir/x.vtt"), false).unwrap_err();
        assert!(matches!(err, IpcError::NotFound { .. }), "{err:?}");
        assert!(err.to_string().contains("/nonexistent/dir/x.vtt"));
    }

    #[test]
    fn folder_and_unknown_extension_are_unsupported() {
        let dir = tempfile::tempdir().unwrap();
        let err = open_path(dir.path(), false).unwrap_err();
        assert!(matches!(err, IpcError::Unsupported { .. }), "{err:?}");
        let p = dir.path().join("notes.md");
        std::fs::write(&p, "# hi").unwrap();
        let err = open_path(&p, false).unwrap_err();
        let IpcError::Unsupported { message, .. } = err else {
            panic!("expected Unsupported");
        };
        assert!(message.contains("notes.md"), "{message}");
        assert!(open_path(Path::new(""), false).is_err());
    }

    #[test]
    fn binary_content_opens_read_only() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.vtt");
        std::fs::write(&p, [0xff, 0xfe, 0x00, 0xd8, 0x00, 0x00, 0x80, 0x81]).unwrap();
        let view = open_path(&p, false).unwrap();
        assert_eq!(view.cue_count, 0);
        assert!(view.read_only_reason.is_some() || !view.diagnostics.is_empty());
    }
}
