//! Which files belong to a project, and how they group into episodes.
//!
//! Which files count is the one project rule (`transcript_store::project_files`), shared with
//! the command line and the sidebar, so a project-wide replace and `cueline replace` over the
//! same folder touch the same files; this module adds the audio files and the episodes.
//!
//! An episode is the transcripts and audio with the same basename in the same folder
//! (`412-ep.vtt`, `412-ep.txt`, `412-ep.mp3`). Its *pair* is its timed file (`.vtt`, else
//! `.srt`) with its `.txt`: the two views of one recording that a fix must reach together.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cueline_transcript::Format;
use cueline_transcript_store::is_audio_file;

/// What the walk found under a root, sorted by path.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub transcripts: Vec<(PathBuf, Format)>,
    pub audio: Vec<PathBuf>,
}

/// Walks `root` (an existing folder). Entries that cannot be read are logged and skipped.
pub(crate) fn walk(root: &Path) -> Found {
    let mut found = Found::default();
    for entry in cueline_transcript_store::walk_files(root) {
        let path = match entry {
            Ok(p) => p,
            Err(err) => {
                tracing::warn!(error = %err, "skipping an unreadable entry");
                continue;
            }
        };
        if let Some(format) = Format::from_path(&path) {
            found.transcripts.push((path, format));
        } else if is_audio_file(&path) {
            found.audio.push(path);
        }
    }
    found.transcripts.sort();
    found.audio.sort();
    found
}

/// `path` relative to `root`, with `/` between components (the path itself if outside).
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// The key that groups a file into its episode: its folder and its basename.
pub(crate) fn episode_key(path: &Path) -> (PathBuf, String) {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    (dir, stem)
}

/// Of the transcripts of one episode (indexes into `formats`), the pair: the timed file
/// (`.vtt`, else `.srt`) and the `.txt`, when both exist.
pub(crate) fn pair_of(members: &[(usize, Format)]) -> Option<(usize, usize)> {
    let pick = |f: Format| members.iter().find(|(_, g)| *g == f).map(|(i, _)| *i);
    let timed = pick(Format::Vtt).or_else(|| pick(Format::Srt))?;
    Some((timed, pick(Format::Txt)?))
}

/// For every file (by index), its partner in a pair, given each file's path and format.
pub(crate) fn partners(files: &[(&Path, Format)]) -> Vec<Option<usize>> {
    let mut groups: BTreeMap<(PathBuf, String), Vec<(usize, Format)>> = BTreeMap::new();
    for (i, (path, format)) in files.iter().enumerate() {
        groups
            .entry(episode_key(path))
            .or_default()
            .push((i, *format));
    }
    let mut out = vec![None; files.len()];
    for members in groups.values() {
        if let Some((timed, txt)) = pair_of(members) {
            out[timed] = Some(txt);
            out[txt] = Some(timed);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_prefer_vtt_over_srt() {
        let files = [
            (Path::new("/r/a.srt"), Format::Srt),
            (Path::new("/r/a.txt"), Format::Txt),
            (Path::new("/r/a.vtt"), Format::Vtt),
            (Path::new("/r/b.vtt"), Format::Vtt),
            (Path::new("/r/sub/a.txt"), Format::Txt),
            (Path::new("/r/c.srt"), Format::Srt),
            (Path::new("/r/c.txt"), Format::Txt),
        ];
        assert_eq!(
            partners(&files),
            vec![None, Some(2), Some(1), None, None, Some(6), Some(5)]
        );
    }
}
