"""Git awareness in the real window (issue 14): change marks against the last commit that list
exactly the edited cues (text, timing, inserted, deleted) and follow edits and undo, the look at
a change with its words marked, Revert to last commit (HEAD's bytes again), Next/Previous change,
a commit made in the window that contains exactly the chosen files while another file is staged,
a failing pre-commit hook that blocks it with its message shown, and a folder without git that
shows no git features.

Every test makes its own git repository in a temp folder from the repo's own fixture folder
(crates/repository/tests/fixtures/project: an episode's .vtt/.txt pair and a .srt).
"""

from __future__ import annotations

import os
import pathlib
import shutil
import stat
import subprocess

import pytest

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import REPO, screenshot
from editor import (
    open_with_env,
    alerts_text,
    chord,
    cue_value,
    focus_text,
    keys,
    open_editor,
    replace_word,
    reveal,
    row,
    wait,
    wait_count,
    wait_status,
    wait_value,
)

CTRL, ALT, SHIFT = Keys.CONTROL, Keys.ALT, Keys.SHIFT
FIXTURES = REPO / "crates" / "repository" / "tests" / "fixtures" / "project"
SUMMARY = '[aria-label="Changes since the last commit"] .count'
COMMIT_FORM = 'form[aria-label="Commit"]'


def git(root: pathlib.Path, *args: str) -> str:
    out = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    assert out.returncode == 0, f"git {args}: {out.stderr}"
    return out.stdout


def make_repo(tmp: pathlib.Path) -> pathlib.Path:
    """A work tree with the fixture folder as its first commit."""
    root = tmp / "repo"
    shutil.copytree(FIXTURES, root, copy_function=shutil.copyfile)
    return commit_all(root)


def commit_all(root: pathlib.Path) -> pathlib.Path:
    """Makes `root` a work tree whose first commit holds everything in it."""
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Cueline Test")
    git(root, "config", "user.email", "test@example.com")
    git(root, "config", "commit.gpgsign", "false")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    return root


def summary(driver) -> str:
    els = driver.find_elements(By.CSS_SELECTOR, SUMMARY)
    return (els[0].get_property("textContent") or "").strip() if els else ""


def wait_summary(driver, expected: str, timeout: float = 10) -> None:
    wait(driver, lambda d: summary(d) == expected, timeout, f"header says {expected!r} (it says {summary(driver)!r})")


_MARKS_JS = """
const out = [];
for (const r of document.querySelectorAll('[role="list"][aria-label="Cues"] [role="listitem"]')) {
  const i = Number(r.dataset.cueIndex);
  for (const d of r.querySelectorAll('[data-git-deleted]')) {
    // a marker before the row's times belongs before the cue, one after them after it
    const before = d.compareDocumentPosition(r.querySelector('[aria-label="Cue text"]')) & Node.DOCUMENT_POSITION_FOLLOWING;
    out.push([before ? i : i + 1, 'deleted']);
  }
  const m = r.querySelector('[data-git-mark]');
  if (m) out.push([i, m.dataset.gitMark]);
}
return out.sort((a, b) => a[0] - b[0] || (a[1] === 'deleted' ? -1 : 1));
"""


def marks(driver) -> list[tuple[int, str]]:
    return [(int(i), k) for i, k in driver.execute_script(_MARKS_JS)]


def wait_marks(driver, expected: list[tuple[int, str]], timeout: float = 10) -> None:
    wait(driver, lambda d: marks(d) == expected, timeout, f"marks {expected} (they are {marks(driver)})")


def active_index(driver) -> int | None:
    return driver.execute_script(
        "const r = document.activeElement && document.activeElement.closest('[role=\"listitem\"]');"
        "return r ? Number(r.dataset.cueIndex) : null"
    )


def open_mark(driver, index: int):
    r = row(driver, index) or reveal(driver, index)
    r.find_element(By.CSS_SELECTOR, "[data-git-mark]").click()
    return wait(
        driver,
        lambda d: (row(d, index) or reveal(d, index)).find_elements(By.CSS_SELECTOR, 'section[aria-label="Last commit\'s version"]'),
        10,
        f"the last commit's version beside cue {index}",
    )[0]


def test_marks_follow_edits_and_undo_and_revert_gives_heads_bytes(launch, tmp_path) -> None:
    root = make_repo(tmp_path)
    vtt = root / "episode.vtt"
    head = vtt.read_bytes()
    driver = open_editor(launch, vtt)
    wait_summary(driver, "No changes since the last commit")
    assert marks(driver) == []

    # text: a fixed word in cue 2
    text2 = cue_value(driver, 2)
    replace_word(driver, 2, text2, "rough", "ruff")
    wait_marks(driver, [(2, "text")])
    wait_summary(driver, "1 cue changed since the last commit")

    # timing: cue 3 starts 100 ms later
    focus_text(driver, 3)
    chord(driver, CTRL, Keys.F11)
    wait_marks(driver, [(2, "text"), (3, "timing")])

    # an inserted cue after cue 0: one `inserted`, and the later marks move with their cues
    focus_text(driver, 0)
    chord(driver, CTRL, SHIFT, Keys.ENTER)
    wait_count(driver, 6)
    keys(driver, "A new cue")
    wait_marks(driver, [(1, "inserted"), (3, "text"), (4, "timing")])

    # a deleted cue: the last one, a thin marker after the new last cue
    focus_text(driver, 5)
    chord(driver, CTRL, SHIFT, Keys.DELETE)
    wait_count(driver, 5)
    wait_marks(driver, [(1, "inserted"), (3, "text"), (4, "timing"), (5, "deleted")])
    wait_summary(driver, "4 cues changed since the last commit")
    screenshot(driver, "git-marks")

    # the marks follow undo
    chord(driver, CTRL, "z")
    wait_count(driver, 6)
    wait_marks(driver, [(1, "inserted"), (3, "text"), (4, "timing")])

    # Next / Previous change move between the changed cues (and wrap)
    focus_text(driver, 0)
    for expected in (1, 3, 4, 1):
        chord(driver, CTRL, ALT, Keys.PAGE_DOWN)
        wait(driver, lambda d, e=expected: active_index(d) == e, 5, f"Next change goes to cue {expected}")
    chord(driver, CTRL, ALT, Keys.PAGE_UP)
    wait(driver, lambda d: active_index(d) == 4, 5, "Previous change wraps to cue 4")

    # the look at the text change: the committed words beside the cue, the changed ones marked
    look = open_mark(driver, 3)
    removed = [e.text for e in look.find_elements(By.CSS_SELECTOR, "del")]
    added = [e.text for e in look.find_elements(By.CSS_SELECTOR, "ins")]
    assert (removed, added) == (["rough,"], ["ruff,"]), (removed, added)
    screenshot(driver, "git-look")
    look.find_element(By.XPATH, ".//button[normalize-space()='Revert to last commit']").click()
    wait_value(driver, 3, text2, why="after Revert to last commit")
    wait_marks(driver, [(1, "inserted"), (4, "timing")])

    # revert the rest: the file is HEAD's bytes again
    open_mark(driver, 1).find_element(By.XPATH, ".//button[normalize-space()='Revert to last commit']").click()
    wait_count(driver, 5)
    wait_marks(driver, [(3, "timing")])
    open_mark(driver, 3).find_element(By.XPATH, ".//button[normalize-space()='Revert to last commit']").click()
    wait_marks(driver, [])
    wait_summary(driver, "No changes since the last commit")
    chord(driver, CTRL, "s")
    wait_status(driver, "Saved")
    wait(driver, lambda d: vtt.read_bytes() == head, 10, "the file is the committed bytes again")
    assert not alerts_text(driver)


def commit_dialog(driver):
    driver.find_element(By.XPATH, "//*[@aria-label='Changes since the last commit']//button[normalize-space()='Commit…']").click()
    return wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f"{COMMIT_FORM} [data-commit-file]"), 15, "the commit dialog's files")


def chosen(driver) -> dict[str, bool]:
    return {
        e.get_attribute("data-commit-file"): e.is_selected()
        for e in driver.find_elements(By.CSS_SELECTOR, f"{COMMIT_FORM} [data-commit-file]")
    }


def message_field(driver):
    return driver.find_element(By.CSS_SELECTOR, f'{COMMIT_FORM} textarea[aria-label="Commit message"]')


def test_a_commit_in_the_window_contains_exactly_the_chosen_files(launch, tmp_path) -> None:
    root = make_repo(tmp_path)
    vtt, txt, srt = root / "episode.vtt", root / "episode.txt", root / "solo.srt"
    # another file staged, which the commit must leave staged and out
    srt.write_text(srt.read_text().rstrip("\n") + " (staged)\n")
    git(root, "add", "solo.srt")
    # the episode's .txt fixed outside the app, its .vtt in the window (not saved yet)
    txt.write_text(txt.read_text().replace("I'm here with Matt McKay.", "I'm here with Matt Makai."))
    driver = open_editor(launch, vtt)
    wait_summary(driver, "No changes since the last commit")
    replace_word(driver, 0, cue_value(driver, 0), "McKay", "Makai")
    wait_marks(driver, [(0, "text")])

    commit_dialog(driver)
    wait(driver, lambda d: chosen(d) == {"episode.txt": True, "episode.vtt": True, "solo.srt": False}, 10,
         f"the episode's two files chosen, the staged .srt not (it shows {chosen(driver)})")
    wait(driver, lambda d: message_field(d).get_property("value") == "Fix names in episode: Matt Makai", 10,
         f"the message made from the change (it is {message_field(driver).get_property('value')!r})")
    screenshot(driver, "git-commit-dialog")
    head_before = git(root, "rev-parse", "HEAD").strip()
    driver.find_element(By.XPATH, "//form[@aria-label='Commit']//button[normalize-space()='Commit']").click()
    wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, COMMIT_FORM), 20, "the dialog closes after the commit")

    assert git(root, "rev-parse", "HEAD~1").strip() == head_before
    files = sorted(git(root, "show", "--name-only", "--format=", "HEAD").split())
    assert files == ["episode.txt", "episode.vtt"], files
    assert git(root, "log", "-1", "--format=%s").strip() == "Fix names in episode: Matt Makai"
    assert "Matt Makai" in git(root, "show", "HEAD:episode.vtt"), "the unsaved edit was saved before the commit"
    assert git(root, "diff", "--cached", "--name-only").split() == ["solo.srt"], "solo.srt is still staged"
    wait_marks(driver, [])
    wait_summary(driver, "No changes since the last commit")
    assert not alerts_text(driver)


def test_a_failing_pre_commit_hook_blocks_the_commit_and_says_why(launch, tmp_path) -> None:
    root = make_repo(tmp_path)
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'glossary check: \"Matt McKay\" should be \"Matt Makai\"' >&2\nexit 1\n")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    vtt = root / "episode.vtt"
    driver = open_editor(launch, vtt)
    wait_summary(driver, "No changes since the last commit")
    replace_word(driver, 1, cue_value(driver, 1), "Cloud", "Claude")
    wait_marks(driver, [(1, "text")])
    commit_dialog(driver)
    wait(driver, lambda d: chosen(d).get("episode.vtt") is True, 10, "episode.vtt chosen")
    head_before = git(root, "rev-parse", "HEAD").strip()
    driver.find_element(By.XPATH, "//form[@aria-label='Commit']//button[normalize-space()='Commit']").click()
    said = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f'{COMMIT_FORM} [role="alert"] pre'), 20, "the hook's output")[0]
    assert 'glossary check: "Matt McKay" should be "Matt Makai"' in said.text, said.text
    screenshot(driver, "git-commit-hook-failed")
    assert git(root, "rev-parse", "HEAD").strip() == head_before, "nothing was committed"
    assert git(root, "diff", "--name-only", "HEAD").split() == ["episode.vtt"]
    assert git(root, "diff", "--cached", "--name-only") == "", "the index is as it was"
    # the marks stay: the change is still not committed
    chord(driver, Keys.ESCAPE)
    wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, COMMIT_FORM), 5, "Esc closes the dialog")
    wait_marks(driver, [(1, "text")])


@pytest.mark.parametrize("kind", ["plain", "bare"])
def test_a_folder_without_git_shows_no_git_features(launch, tmp_path, kind: str) -> None:
    """A plain folder, and a transcript inside a bare repository's folder (no work tree)."""
    root = tmp_path / kind
    if kind == "bare":
        subprocess.run(["git", "init", "-q", "--bare", str(root)], check=True)
        for f in FIXTURES.glob("*.*"):
            if f.is_file():
                shutil.copyfile(f, root / f.name)
    else:
        shutil.copytree(FIXTURES, root, copy_function=shutil.copyfile)
        probe = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, check=False)
        assert probe.returncode != 0, "the temp folder must not be inside a work tree"
    driver = open_editor(launch, root / "episode.vtt")
    replace_word(driver, 1, cue_value(driver, 1), "Cloud", "Claude")
    chord(driver, CTRL, "s")
    wait_status(driver, "Saved")
    # the edit went through Rust and back; no git line, no marks, no git message, no error
    wait(driver, lambda d: "Claude" in (root / "episode.vtt").read_text(), 10, "the edit saved")
    assert not driver.find_elements(By.CSS_SELECTOR, '[aria-label="Changes since the last commit"]')
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-git-mark], [data-git-deleted]")
    assert not driver.find_elements(By.CSS_SELECTOR, '[aria-label="Git"]')
    assert not alerts_text(driver)
    screenshot(driver, f"git-none-{kind}")


def test_the_sidebar_and_the_changes_view_list_changed_files(launch, tmp_path) -> None:
    root = make_repo(tmp_path)
    txt, srt = root / "episode.txt", root / "solo.srt"
    txt.write_text(txt.read_text().replace("Matt McKay agrees", "Matt Makai agrees"))
    srt.write_text(srt.read_text().replace("Nothing to fix here.", "Nothing to fix here!"))
    git(root, "add", "solo.srt")
    driver = launch(str(root))
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[role="list"][aria-label="Cues"] [role="listitem"]'), 30, "the first document")

    def mark(d, name: str) -> dict[str, str | None] | None:
        found = d.find_elements(By.CSS_SELECTOR, f'button[aria-label="Open {name}"] .git-file')
        if not found:
            return None
        return {"changed": found[0].get_attribute("data-git-changed"), "staged": found[0].get_attribute("data-git-staged")}

    wait(driver, lambda d: mark(d, "episode.txt") == {"changed": "1", "staged": None}, 15,
         f"the sidebar marks episode.txt with 1 changed cue (it shows {mark(driver, 'episode.txt')})")
    wait(driver, lambda d: mark(d, "solo.srt") == {"changed": "1", "staged": "true"}, 15, "solo.srt staged")
    assert mark(driver, "episode.vtt") is None, "an unchanged file has no mark"

    driver.find_element(By.XPATH, "//*[@aria-label='Changes since the last commit']//button[normalize-space()='Changes']").click()
    view = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, 'section[aria-label="Changed files"]'), 10, "the Changes view")[0]
    listed = {
        e.get_attribute("data-episode"): [f.get_attribute("data-git-file") for f in e.find_elements(By.CSS_SELECTOR, "[data-git-file]")]
        for e in view.find_elements(By.CSS_SELECTOR, "[data-episode]")
    }
    assert listed == {"episode": ["episode.txt"], "solo": ["solo.srt"]}, listed
    assert "1 cue changed, staged" in view.text, view.text
    screenshot(driver, "git-changes-view")


def test_marks_follow_a_change_on_disk_and_a_commit_made_elsewhere(launch, tmp_path) -> None:
    root = make_repo(tmp_path)
    vtt = root / "episode.vtt"
    driver = open_editor(launch, vtt)
    wait_summary(driver, "No changes since the last commit")
    # another program fixes a word: the clean document reloads, the mark follows at once
    vtt.write_text(vtt.read_text().replace("Cloud Code", "Claude Code"))
    wait_value(driver, 1, "We talk about Langchain and Claude Code.", timeout=15, why="after the change on disk")
    wait_marks(driver, [(1, "text")])
    # committed in a terminal: the marks clear without a keystroke
    git(root, "commit", "-q", "-am", "Fix Claude Code")
    wait_marks(driver, [], timeout=15)
    wait_summary(driver, "No changes since the last commit")


def test_the_first_commit_of_an_empty_repository(launch, tmp_path) -> None:
    root = tmp_path / "empty"
    shutil.copytree(FIXTURES, root, copy_function=shutil.copyfile, ignore=shutil.ignore_patterns(".cueline"))
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Cueline Test")
    git(root, "config", "user.email", "test@example.com")
    git(root, "config", "commit.gpgsign", "false")
    driver = open_editor(launch, root / "episode.vtt")
    wait_summary(driver, "No commit yet: every cue is new")
    wait(driver, lambda d: len(marks(d)) == 5 and all(k == "inserted" for _, k in marks(d)), 10, "every cue marked new")
    commit_dialog(driver)
    form = driver.find_element(By.CSS_SELECTOR, COMMIT_FORM)
    assert "This will be the first commit of the repository." in form.text, form.text
    wait(driver, lambda d: chosen(d) == {"episode.txt": True, "episode.vtt": True, "solo.srt": False}, 10, f"the episode chosen ({chosen(driver)})")
    message_field(driver).clear()
    message_field(driver).send_keys("Add the episode")
    driver.find_element(By.XPATH, "//form[@aria-label='Commit']//button[normalize-space()='Commit']").click()
    wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, COMMIT_FORM), 20, "the dialog closes after the commit")
    assert sorted(git(root, "show", "--name-only", "--format=", "HEAD").split()) == ["episode.txt", "episode.vtt"]
    assert git(root, "log", "--format=%s").strip() == "Add the episode"
    wait_marks(driver, [])
    wait_summary(driver, "No changes since the last commit")


def test_committing_is_disabled_during_a_merge_with_the_reason(launch, tmp_path) -> None:
    root = make_repo(tmp_path)
    srt = root / "solo.srt"
    git(root, "checkout", "-q", "-b", "other")
    srt.write_text(srt.read_text().replace("Nothing to fix here.", "Theirs."))
    git(root, "commit", "-q", "-am", "theirs")
    git(root, "checkout", "-q", "main")
    srt.write_text(srt.read_text().replace("Nothing to fix here.", "Ours."))
    git(root, "commit", "-q", "-am", "ours")
    merge = subprocess.run(["git", "merge", "-q", "other"], cwd=root, capture_output=True, text=True, check=False)
    assert merge.returncode != 0, "the merge conflicts"
    driver = open_editor(launch, root / "episode.vtt")
    replace_word(driver, 1, cue_value(driver, 1), "Cloud", "Claude")
    wait_marks(driver, [(1, "text")])
    commit_dialog(driver)
    form = driver.find_element(By.CSS_SELECTOR, COMMIT_FORM)
    blocked = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f"{COMMIT_FORM} [data-git-blocked]"), 10, "the reason")[0]
    assert "a merge is in progress" in blocked.text, blocked.text
    assert not form.find_element(By.XPATH, ".//button[normalize-space()='Commit']").is_enabled()
    screenshot(driver, "git-commit-blocked")


def test_no_git_on_path_shows_no_git_features(launch, tmp_path) -> None:
    """A work tree, but a machine without `git`: the app runs with a PATH that has no git."""
    root = make_repo(tmp_path)
    empty = tmp_path / "bin-without-git"
    empty.mkdir()
    driver = open_with_env(launch, tmp_path, root / "episode.vtt", {"PATH": str(empty)})
    replace_word(driver, 1, cue_value(driver, 1), "Cloud", "Claude")
    chord(driver, CTRL, "s")
    wait_status(driver, "Saved")
    wait(driver, lambda d: "Claude" in (root / "episode.vtt").read_text(), 10, "the edit saved")
    assert not driver.find_elements(By.CSS_SELECTOR, '[aria-label="Changes since the last commit"]')
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-git-mark], [data-git-deleted]")
    assert not alerts_text(driver)


def test_dubious_ownership_is_shown_as_a_message(launch, tmp_path) -> None:
    # git's own test switch for "owned by someone else", so this runs as any user (as root a
    # chown would do; as a normal user nothing else can)
    root = make_repo(tmp_path)
    probe = subprocess.run(
        ["git", "status"], cwd=root, capture_output=True, text=True, check=False,
        env={**os.environ, "GIT_TEST_ASSUME_DIFFERENT_OWNER": "1"},
    )
    assert "dubious ownership" in probe.stderr, f"git does not refuse the repository: {probe.stderr!r}"
    driver = open_with_env(launch, tmp_path, root / "episode.vtt", {"GIT_TEST_ASSUME_DIFFERENT_OWNER": "1"})
    note = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[aria-label="Git"]'), 10, "git's refusal as a message")[0]
    assert "dubious ownership" in note.text, note.text
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-git-mark]")
    assert not alerts_text(driver)


def test_a_crlf_repository_with_eol_attributes(launch, tmp_path) -> None:
    """Committed with LF, checked out with CRLF (`eol=crlf`): no marks until an edit, one mark
    for one edit, and Revert gives the bytes a checkout writes."""
    root = make_repo(tmp_path)
    (root / ".gitattributes").write_text("*.vtt text eol=crlf\n*.txt text eol=crlf\n")
    git(root, "add", ".gitattributes")
    git(root, "commit", "-q", "-m", "eol")
    vtt = root / "episode.vtt"
    vtt.unlink()
    git(root, "checkout", "--", "episode.vtt")
    checkout = vtt.read_bytes()
    assert b"\r\n" in checkout and checkout.count(b"\r\n") == checkout.count(b"\n"), "a CRLF checkout"
    driver = open_editor(launch, vtt)
    wait_summary(driver, "No changes since the last commit")
    assert marks(driver) == []
    replace_word(driver, 4, cue_value(driver, 4), "McKay", "Makai")
    wait_marks(driver, [(4, "text")])
    chord(driver, CTRL, "s")
    wait_status(driver, "Saved")
    assert vtt.read_bytes() != checkout
    open_mark(driver, 4).find_element(By.XPATH, ".//button[normalize-space()='Revert to last commit']").click()
    wait_marks(driver, [])
    chord(driver, CTRL, "s")
    wait_status(driver, "Saved")
    wait(driver, lambda d: vtt.read_bytes() == checkout, 10, "the checkout's CRLF bytes again")
    assert git(root, "status", "--porcelain") == ""


def test_reverting_a_deleted_cue_brings_back_its_committed_bytes(launch, tmp_path) -> None:
    """A deleted cue comes back as the checkout writes it: its identifier, its cue settings and
    the `eol=crlf` line endings, not laid out like its neighbour."""
    root = tmp_path / "crlf"
    root.mkdir()
    (root / ".gitattributes").write_text("*.vtt text eol=crlf\n")
    lines = [
        "WEBVTT", "",
        "intro", "00:00:01.000 --> 00:00:03.000", "Welcome to Talk Python To Me.", "",
        "guest-1", "00:00:03.500 --> 00:00:06.000 align:start line:10%",
        "<v Matt>I'm Matt Makai, and I use ruff daily.</v>", "second line of it", "",
        "00:06.500 --> 00:08.000", "No identifier on this one.", "",
    ]
    (root / "ep.vtt").write_text("\n".join(lines))
    commit_all(root)
    vtt = root / "ep.vtt"
    vtt.unlink()
    git(root, "checkout", "--", "ep.vtt")  # the checkout writes CRLF
    head = vtt.read_bytes()
    assert b"\r\nguest-1\r\n" in head

    driver = open_editor(launch, vtt)
    wait_summary(driver, "No changes since the last commit")
    focus_text(driver, 1)
    chord(driver, CTRL, SHIFT, Keys.DELETE)
    wait_count(driver, 2)
    wait_marks(driver, [(1, "deleted")])
    driver.find_element(By.CSS_SELECTOR, "[data-git-deleted] button.line").click()
    look = wait(
        driver,
        lambda d: d.find_elements(By.CSS_SELECTOR, 'section[aria-label="Last commit\'s version"]'),
        10,
        "the deleted cue's committed version",
    )[0]
    look.find_element(By.XPATH, ".//button[normalize-space()='Revert to last commit']").click()
    wait_count(driver, 3)
    wait_marks(driver, [])
    chord(driver, CTRL, "s")
    wait_status(driver, "Saved")
    wait(driver, lambda d: vtt.read_bytes() == head, 10, f"the committed bytes again (they are {vtt.read_bytes()!r})")
    assert not alerts_text(driver)
