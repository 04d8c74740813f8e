//! What changed in a transcript since the last commit, cue by cue, and the system `git` that
//! knows the last commit.
//!
//! Why the system `git` and not a library: the user's hooks (a `cueline glossary check`
//! pre-commit hook), identity, signing, attributes and config then all apply, exactly as on
//! the command line, and nothing needs compiling. The comparison itself ([`compare`]) is pure
//! and knows nothing of git: the window's change marks, `cueline diff` and
//! `cueline diff --files` all call the same function.

pub mod compare;
pub mod head;
pub mod marks;
pub mod message;
pub mod repo;
pub mod words;
pub mod worktree;

pub use compare::{
    ChangeKind, CueChange, CueSnapshot, FileComparison, compare, compare_bytes, snapshot,
};
pub use head::HeadVersion;
pub use marks::{ChangeDetail, ChangeRef, Marks, WordRun};
pub use message::commit_message;
pub use repo::{GitError, Repo};
pub use worktree::{FileChange, worktree_changes};
