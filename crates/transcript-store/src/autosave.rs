//! When to autosave: a pure state machine with the clock passed in.
//!
//! Why pure: the policy (save 1 s after the last edit, but never later than 10 s after the
//! first unsaved one; nothing while a save runs or while the file is in conflict) is easy to
//! get subtly wrong, and with time passed in as an argument it is tested deterministically
//! with a fake clock. The [`crate::live`] driver feeds it real `Instant`s and does the saving.

use std::time::{Duration, Instant};

/// Autosave settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutosavePolicy {
    /// Off: only explicit saves (Ctrl+S) write.
    pub enabled: bool,
    /// Save after this long without an edit.
    pub idle: Duration,
    /// ...but at the latest this long after the first unsaved edit, even while typing.
    pub max_delay: Duration,
}

impl Default for AutosavePolicy {
    fn default() -> AutosavePolicy {
        AutosavePolicy {
            enabled: true,
            idle: Duration::from_secs(1),
            max_delay: Duration::from_secs(10),
        }
    }
}

/// What the save-status indicator shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SaveStatus {
    /// `Saved`
    Saved,
    /// `Unsaved changes`
    Unsaved,
    /// `Saving…`
    Saving,
    /// `Conflict`: the file changed on disk while the document had unsaved edits.
    Conflict,
}

impl SaveStatus {
    /// The text the app shows.
    pub fn label(self) -> &'static str {
        match self {
            SaveStatus::Saved => "Saved",
            SaveStatus::Unsaved => "Unsaved changes",
            SaveStatus::Saving => "Saving…",
            SaveStatus::Conflict => "Conflict",
        }
    }
}

/// Why autosave holds off even though there are unsaved edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// The file changed on disk: nothing is written until the user decides.
    Conflict,
    /// The file was deleted or moved away: autosave does not recreate it.
    Missing,
}

/// The autosave state of one document.
#[derive(Debug, Clone)]
pub struct Autosave {
    policy: AutosavePolicy,
    /// When the oldest edit not yet being saved was made.
    first_unsaved: Option<Instant>,
    last_edit: Option<Instant>,
    saving: bool,
    /// Edits counted, so a save knows whether edits arrived while it ran.
    edits: u64,
    edits_at_save: u64,
    /// The first edit made while a save ran.
    first_during_save: Option<Instant>,
    hold: Option<Hold>,
    /// After a failed save, do not try again before this.
    retry_at: Option<Instant>,
}

impl Autosave {
    pub fn new(policy: AutosavePolicy) -> Autosave {
        Autosave {
            policy,
            first_unsaved: None,
            last_edit: None,
            saving: false,
            edits: 0,
            edits_at_save: 0,
            first_during_save: None,
            hold: None,
            retry_at: None,
        }
    }

    pub fn policy(&self) -> AutosavePolicy {
        self.policy
    }

    pub fn set_policy(&mut self, policy: AutosavePolicy) {
        self.policy = policy;
    }

    /// An edit made the document differ from the file.
    pub fn edited(&mut self, now: Instant) {
        self.edits += 1;
        self.last_edit = Some(now);
        if self.saving {
            self.first_during_save.get_or_insert(now);
        } else {
            self.first_unsaved.get_or_insert(now);
        }
    }

    /// The document reads as the file again (undone back to the saved state): nothing to save.
    pub fn cleaned(&mut self) {
        self.first_unsaved = None;
        self.first_during_save = None;
        self.retry_at = None;
        self.edits_at_save = self.edits;
    }

    /// When the next save should start, if one is due at all.
    pub fn deadline(&self) -> Option<Instant> {
        if !self.policy.enabled || self.saving || self.hold.is_some() {
            return None;
        }
        let first = self.first_unsaved?;
        let last = self.last_edit.unwrap_or(first);
        let due = (last + self.policy.idle).min(first + self.policy.max_delay);
        Some(match self.retry_at {
            Some(r) => due.max(r),
            None => due,
        })
    }

    /// Whether a save should start now.
    pub fn due(&self, now: Instant) -> bool {
        self.deadline().is_some_and(|d| d <= now)
    }

    /// A save (automatic or explicit) started.
    pub fn save_started(&mut self) {
        self.saving = true;
        self.edits_at_save = self.edits;
        self.first_during_save = None;
    }

    /// The save wrote the file. Edits made while it ran are still unsaved.
    pub fn save_succeeded(&mut self) {
        self.saving = false;
        self.retry_at = None;
        self.first_unsaved = if self.edits == self.edits_at_save {
            None
        } else {
            self.first_during_save.take()
        };
    }

    /// The save failed (disk full, permission denied...): try again after `max_delay`, or
    /// sooner on an explicit save.
    pub fn save_failed(&mut self, now: Instant) {
        self.saving = false;
        if let Some(t) = self.first_during_save.take() {
            self.first_unsaved.get_or_insert(t);
        }
        self.first_unsaved.get_or_insert(now);
        self.retry_at = Some(now + self.policy.max_delay);
    }

    /// Stop autosaving until [`release`](Self::release).
    pub fn hold(&mut self, why: Hold) {
        // a conflict outranks a missing file: it needs the user's decision
        if self.hold != Some(Hold::Conflict) {
            self.hold = Some(why);
        }
    }

    pub fn held(&self) -> Option<Hold> {
        self.hold
    }

    /// The conflict was resolved or the file is back: autosave may run again.
    pub fn release(&mut self) {
        self.hold = None;
        self.retry_at = None;
    }

    pub fn is_saving(&self) -> bool {
        self.saving
    }

    /// Whether there are edits not yet written (or being written).
    pub fn has_unsaved(&self) -> bool {
        self.first_unsaved.is_some() || self.first_during_save.is_some()
    }

    pub fn status(&self) -> SaveStatus {
        if self.hold == Some(Hold::Conflict) {
            SaveStatus::Conflict
        } else if self.saving {
            SaveStatus::Saving
        } else if self.has_unsaved() {
            SaveStatus::Unsaved
        } else {
            SaveStatus::Saved
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn saves_one_second_after_the_last_edit() {
        let t0 = Instant::now();
        let mut a = Autosave::new(AutosavePolicy::default());
        assert_eq!(a.status(), SaveStatus::Saved);
        assert_eq!(a.deadline(), None);
        a.edited(t0);
        assert_eq!(a.status(), SaveStatus::Unsaved);
        a.edited(t0 + ms(500));
        assert!(!a.due(t0 + ms(1499)));
        assert!(a.due(t0 + ms(1500)));
        a.save_started();
        assert_eq!(a.status(), SaveStatus::Saving);
        assert_eq!(a.deadline(), None);
        a.save_succeeded();
        assert_eq!(a.status(), SaveStatus::Saved);
    }

    #[test]
    fn continuous_typing_saves_after_ten_seconds() {
        let t0 = Instant::now();
        let mut a = Autosave::new(AutosavePolicy::default());
        let mut t = t0;
        while t < t0 + ms(9_900) {
            a.edited(t);
            assert!(!a.due(t));
            t += ms(300);
        }
        a.edited(t);
        assert_eq!(a.deadline(), Some(t0 + ms(10_000)));
    }

    #[test]
    fn edits_during_a_save_stay_unsaved() {
        let t0 = Instant::now();
        let mut a = Autosave::new(AutosavePolicy::default());
        a.edited(t0);
        a.save_started();
        a.edited(t0 + ms(1100));
        a.save_succeeded();
        assert_eq!(a.status(), SaveStatus::Unsaved);
        assert_eq!(a.deadline(), Some(t0 + ms(2100)));
    }

    #[test]
    fn disabled_never_saves_but_shows_unsaved() {
        let t0 = Instant::now();
        let mut a = Autosave::new(AutosavePolicy {
            enabled: false,
            ..AutosavePolicy::default()
        });
        a.edited(t0);
        assert_eq!(a.deadline(), None);
        assert_eq!(a.status(), SaveStatus::Unsaved);
    }

    #[test]
    fn conflict_pauses_until_released() {
        let t0 = Instant::now();
        let mut a = Autosave::new(AutosavePolicy::default());
        a.edited(t0);
        a.hold(Hold::Conflict);
        a.hold(Hold::Missing);
        assert_eq!(a.held(), Some(Hold::Conflict));
        assert_eq!(a.status(), SaveStatus::Conflict);
        assert!(!a.due(t0 + ms(60_000)));
        a.release();
        assert!(a.due(t0 + ms(60_000)));
        assert_eq!(a.status(), SaveStatus::Unsaved);
    }

    #[test]
    fn failed_save_retries_after_the_max_delay() {
        let t0 = Instant::now();
        let mut a = Autosave::new(AutosavePolicy::default());
        a.edited(t0);
        a.save_started();
        a.save_failed(t0 + ms(1000));
        assert_eq!(a.status(), SaveStatus::Unsaved);
        assert_eq!(a.deadline(), Some(t0 + ms(11_000)));
    }

    #[test]
    fn undo_to_saved_state_is_clean() {
        let t0 = Instant::now();
        let mut a = Autosave::new(AutosavePolicy::default());
        a.edited(t0);
        a.cleaned();
        assert_eq!(a.status(), SaveStatus::Saved);
        assert_eq!(a.deadline(), None);
    }
}
