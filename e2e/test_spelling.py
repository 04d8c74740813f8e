"""The review pass in the real window: spelling and sounds-like flags drawn under the cue text,
the flag menu (Ctrl+. and the context menu), accepting a suggestion (one line of the file
changes), adding to the project's words (one line of words.txt), Ignore all, a sounds-like fix
added to the glossary, a rejection that survives a relaunch, Next/Previous flag keys, and the
notice when no dictionary is found.

Each test copies the repo's fixture project (e2e/fixtures/spelling: an episode with a
`.cueline/words.txt` and a glossary) to a temp folder and runs the app with its own XDG folders.
"""

from __future__ import annotations

import json
import pathlib
import shutil
import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import REPO, screenshot
from editor import changed_lines, chord, focus_text, open_with_env, row, wait, wait_status, wait_value

FIXTURE = REPO / "e2e" / "fixtures" / "spelling"
MENU = '[role="menu"].flag-menu'


@pytest.fixture
def project(tmp_path) -> pathlib.Path:
    dst = tmp_path / "show"
    shutil.copytree(FIXTURE, dst)
    return dst


@pytest.fixture
def start(launch, tmp_path):
    """`start(path, **settings)`: the app on `path` with its own data and config folders."""
    data, config = tmp_path / "xdg-data", tmp_path / "xdg-config"
    (config / "cueline").mkdir(parents=True)
    data.mkdir()

    def run(path: pathlib.Path, **settings):
        (config / "cueline" / "settings.json").write_text(json.dumps({"autosave": False, **settings}))
        return open_with_env(launch, tmp_path, path, {"XDG_DATA_HOME": str(data), "XDG_CONFIG_HOME": str(config)})

    run.data = data
    run.config = config
    return run


def flags_in(driver, index: int) -> list[tuple[str, str]]:
    """(kind, text) of every underline drawn in cue `index`'s mirror."""
    r = row(driver, index)
    if r is None:
        return []
    return driver.execute_script(
        """return [...arguments[0].querySelectorAll('.mirror .flag')].map(
             e => [e.classList.contains('spelling') ? 'spelling' : 'sounds-like', e.textContent])""",
        r,
    )


def wait_flags(driver, index: int, expected: list[tuple[str, str]], timeout: float = 10) -> None:
    last = [None]

    def ok(d):
        last[0] = [tuple(f) for f in flags_in(d, index)]
        return last[0] == expected

    try:
        wait(driver, ok, timeout, "")
    except AssertionError:
        raise AssertionError(f"cue {index} underlines: expected {expected}, drawn {last[0]}") from None


def put_caret(driver, index: int, at: int) -> None:
    field = focus_text(driver, index)
    driver.execute_script("arguments[0].setSelectionRange(arguments[1], arguments[1])", field, at)


def menu(driver):
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, MENU), 10, "the flag menu")
    return driver.find_element(By.CSS_SELECTOR, MENU)


def menu_items(driver) -> list[str]:
    return [b.text.strip() for b in menu(driver).find_elements(By.CSS_SELECTOR, '[role="menuitem"]')]


def choose(driver, label: str) -> None:
    def find(d):
        for b in d.find_elements(By.CSS_SELECTOR, f'{MENU} [role="menuitem"]'):
            if b.text.strip() == label and b.is_enabled():
                return b
        return None

    wait(driver, find, 10, f"menu item {label!r} (items: {menu_items(driver)})").click()
    wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, MENU), 5, "the menu to close")


def selection(driver) -> tuple[int, str]:
    """The focused cue's index and the selected text."""
    return tuple(driver.execute_script(
        """const e = document.activeElement;
           const r = e && e.closest('[role="listitem"]');
           return [r ? Number(r.dataset.cueIndex) : -1, e && 'selectionStart' in e ? e.value.slice(e.selectionStart, e.selectionEnd) : null]"""
    ))


def test_flags_are_drawn_and_a_suggestion_fixes_only_its_line(start, project) -> None:
    ep = project / "episode.vtt"
    before = ep.read_bytes()
    d = start(ep)
    wait_flags(d, 0, [("sounds-like", "Matt McKay")])
    wait_flags(d, 1, [("spelling", "Langchain")])
    wait_flags(d, 2, [])
    wait_flags(d, 3, [("spelling", "mispelled")])
    # the two kinds look different, and WebKit's own spellcheck is off in the cue rows
    styles = d.execute_script(
        """return ['spelling', 'sounds-like'].map(k => {
             const s = getComputedStyle(document.querySelector('.mirror .flag.' + k));
             return [s.textDecorationStyle, s.textDecorationColor]; })"""
    )
    assert styles[0] != styles[1], styles
    assert row(d, 1).find_element(By.CSS_SELECTOR, "textarea").get_attribute("spellcheck") == "false"
    screenshot(d, "spelling-underlines")

    # Ctrl+. at the caret inside "mispelled": dictionary suggestions, "misspelled" first
    put_caret(d, 3, len("This cue has a misp"))
    chord(d, Keys.CONTROL, ".")
    wait(d, lambda d: "misspelled" in menu_items(d), 10, "the dictionary's suggestion")
    items = menu_items(d)
    assert items[0] == "misspelled", items
    assert {"Add to project words", "Add to my words", "Ignore all (this session)"} <= set(items), items
    screenshot(d, "spelling-menu")
    choose(d, "misspelled")
    wait_value(d, 3, "This cue has a misspelled word.", why="after accepting the suggestion")
    wait_flags(d, 3, [])
    chord(d, Keys.CONTROL, "s")
    wait_status(d, "Saved")
    after = ep.read_bytes()
    assert changed_lines(before, after) == [(12, b"This cue has a mispelled word.", b"This cue has a misspelled word.")]
    # one undo step puts it back
    chord(d, Keys.CONTROL, "z")
    wait_value(d, 3, "This cue has a mispelled word.", why="after one undo")
    wait_flags(d, 3, [("spelling", "mispelled")])


def test_add_to_project_words_ignore_all_and_my_words(start, project) -> None:
    ep = project / "episode.vtt"
    words = project / ".cueline" / "words.txt"
    words_before = words.read_bytes()
    d = start(ep)
    wait_flags(d, 1, [("spelling", "Langchain")])
    # the context menu on the underlined word
    # (the mirror lies under the transparent textarea: right-click the textarea over the word)
    field = row(d, 1).find_element(By.CSS_SELECTOR, "textarea")
    dx, dy = d.execute_script(
        """const f = arguments[0].getBoundingClientRect();
           const s = arguments[0].parentElement.querySelector('.mirror .flag').getBoundingClientRect();
           return [Math.round(s.left + s.width / 2 - (f.left + f.width / 2)),
                   Math.round(s.top + s.height / 2 - (f.top + f.height / 2))]""",
        field,
    )
    ActionChains(d).move_to_element_with_offset(field, dx, dy).context_click().perform()
    items = menu_items(d)
    assert items[0] == "LangChain", f"the project's word first: {items}"
    choose(d, "Add to project words")
    wait(d, lambda d: words.read_bytes() != words_before, 10, "words.txt to change")
    assert words.read_bytes() == words_before + b"Langchain\n"
    wait_flags(d, 1, [])
    msg = d.find_element(By.CSS_SELECTOR, '[aria-label="Review message"]').text
    assert "Langchain" in msg and "words.txt" in msg, msg

    # Ignore all: gone for this session, nothing written
    put_caret(d, 3, len("This cue has a mis"))
    chord(d, Keys.CONTROL, ".")
    choose(d, "Ignore all (this session)")
    wait_flags(d, 3, [])
    assert words.read_bytes() == words_before + b"Langchain\n"
    user_words = start.config / "cueline" / "words.txt"
    assert not user_words.exists()

    # Add to my words: the user's list gets the word
    focus_text(d, 2)
    field = focus_text(d, 2)
    d.execute_script("arguments[0].setSelectionRange(arguments[0].value.length, arguments[0].value.length)", field)
    ActionChains(d).send_keys(" zyxqwv").perform()
    wait_flags(d, 2, [("spelling", "zyxqwv")], timeout=15)
    put_caret(d, 2, len("Everything here is spelled right. zy"))
    chord(d, Keys.CONTROL, ".")
    choose(d, "Add to my words")
    wait(d, lambda d: user_words.exists(), 10, "the user's words.txt")
    assert user_words.read_text() == "zyxqwv\n"
    wait_flags(d, 2, [])


def test_sounds_like_fix_goes_to_the_glossary_and_a_rejection_is_remembered(start, project) -> None:
    ep = project / "episode.vtt"
    glossary = project / ".cueline" / "glossary.toml"
    g_before = glossary.read_bytes()
    d = start(ep)
    wait_flags(d, 0, [("sounds-like", "Matt McKay")])
    put_caret(d, 0, len("I talked to Ma"))
    chord(d, Keys.CONTROL, ".")
    items = menu_items(d)
    assert items[0] == "Matt Makai", items
    screenshot(d, "sounds-like-menu")
    choose(d, "Fix, and add “Matt McKay” → “Matt Makai” to the glossary")
    wait_value(d, 0, "I talked to Matt Makai today.", why="after accepting the name")
    wait(d, lambda d: glossary.read_bytes() != g_before, 10, "the glossary to change")
    assert glossary.read_bytes() == g_before + b'\n[[entry]]\nwrong = "Matt McKay"\nright = "Matt Makai"\n'
    wait_flags(d, 0, [])

    # reject "Cloud Code" ~ "Claude Code" in cue 4: gone, and still gone after a relaunch
    wait_flags(d, 4, [("sounds-like", "Cloud Code")])
    put_caret(d, 4, len("They ship Clo"))
    chord(d, Keys.CONTROL, ".")
    choose(d, "Not “Claude Code” here (remember for this cue)")
    wait_flags(d, 4, [])
    files = list((start.data / "cueline" / "review").glob("*.rejections.json"))
    assert len(files) == 1, files
    assert ep.read_bytes().count(b"Cloud Code") == 1, "the transcript is not touched by a rejection"
    d.quit()
    d = start(ep)
    wait_flags(d, 1, [("spelling", "Langchain")])
    wait_flags(d, 4, [])


def test_next_and_previous_flag_keys(start, project) -> None:
    from xkeys import XKeys

    d = start(project / "episode.vtt")
    wait_flags(d, 4, [("sounds-like", "Cloud Code")])
    put_caret(d, 0, 0)
    x = XKeys()
    try:
        x.focus()
        put_caret(d, 0, 0)
        seen = []
        for _ in range(5):
            x.press("alt+Page_Down")
            time.sleep(0.3)
            seen.append(selection(d))
        assert seen == [
            (0, "Matt McKay"), (1, "Langchain"), (3, "mispelled"), (4, "Cloud Code"), (0, "Matt McKay"),
        ], seen
        x.press("alt+Page_Up")
        time.sleep(0.3)
        assert selection(d) == (4, "Cloud Code")
        x.press("alt+Page_Up")
        time.sleep(0.3)
        assert selection(d) == (3, "mispelled")
        # the real Ctrl+. key (through GTK and the menu's accelerator) opens the menu there
        x.press("ctrl+.")
        wait(d, lambda d: "misspelled" in menu_items(d), 10, "suggestions for mispelled")
        x.press("Escape")
        wait(d, lambda d: not d.find_elements(By.CSS_SELECTOR, MENU), 5, "Esc to close the menu")
        assert selection(d)[0] == 3, "the focus is back in the cue"
    finally:
        x.close()


def test_no_dictionary_is_a_notice_and_editing_goes_on(start, tmp_path) -> None:
    # outside any project (no .cueline/, no git): no project words
    ep = tmp_path / "alone" / "episode.vtt"
    ep.parent.mkdir()
    shutil.copyfile(FIXTURE / "episode.vtt", ep)
    d = start(ep, spellingLanguage="xx_NOPE")
    wait(d, lambda d: d.find_elements(By.CSS_SELECTOR, '[aria-label="Spelling notice"]'), 10, "the notice")
    notice = d.find_element(By.CSS_SELECTOR, '[aria-label="Spelling notice"]').text
    assert "Spelling is off" in notice and "xx_NOPE" in notice, notice
    screenshot(d, "spelling-no-dictionary")
    assert flags_in(d, 1) == []
    field = focus_text(d, 1)
    ActionChains(d).send_keys(Keys.END, " Still editing").perform()
    wait_value(d, 1, "We use Langchain for this. Still editing")
    chord(d, Keys.CONTROL, "s")
    wait_status(d, "Saved")
    assert b"Still editing" in ep.read_bytes()
    assert field is not None


def test_add_to_project_words_is_disabled_outside_a_project(start, tmp_path) -> None:
    ep = tmp_path / "alone" / "episode.vtt"
    ep.parent.mkdir()
    shutil.copyfile(FIXTURE / "episode.vtt", ep)
    d = start(ep)
    wait_flags(d, 3, [("spelling", "mispelled")])
    put_caret(d, 3, len("This cue has a mis"))
    chord(d, Keys.CONTROL, ".")
    menu(d)
    button = [b for b in menu(d).find_elements(By.CSS_SELECTOR, '[role="menuitem"]') if b.text == "Add to project words"]
    assert button and not button[0].is_enabled()


def test_flags_in_a_5536_cue_file_follow_the_windowed_list_and_an_edit(start, project) -> None:
    # a generated file of the size of the largest corpus episode, in the fixture project
    lines = ["WEBVTT", ""]
    for i in range(5536):
        a, b = i * 1300, i * 1300 + 1200
        t = lambda ms: f"{ms // 3600000:02}:{ms // 60000 % 60:02}:{ms // 1000 % 60:02}.{ms % 1000:03}"
        text = "and the last one has teh word" if i == 5535 else f"cue {i} of a long talk about Python packaging"
        lines += [f"{t(a)} --> {t(b)}", text, ""]
    ep = project / "big.vtt"
    ep.write_text("\n".join(lines))
    d = start(ep)
    # the first rows are there at once; the flag of the last cue is drawn once it is scrolled to
    from editor import reveal

    reveal(d, 5535)
    wait_flags(d, 5535, [("spelling", "teh")], timeout=20)
    # an edit in a cue far above: only that cue changes its flags
    field = focus_text(d, 3)
    d.execute_script("arguments[0].setSelectionRange(arguments[0].value.length, arguments[0].value.length)", field)
    ActionChains(d).send_keys(" wurdz").perform()
    wait_flags(d, 3, [("spelling", "wurdz")], timeout=15)
    reveal(d, 5535)
    wait_flags(d, 5535, [("spelling", "teh")])
    screenshot(d, "spelling-big-file")


def test_add_to_project_words_offers_to_fix_the_other_spellings(start, project) -> None:
    (project / "other.vtt").write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nWe love langchain.\n")
    d = start(project)  # the folder: a project (indexed), its first transcript open
    wait(d, lambda d: d.title.startswith("episode.vtt"), 20, "episode.vtt to open")
    wait_flags(d, 1, [("spelling", "Langchain")], timeout=15)
    put_caret(d, 1, len("We use Lang"))
    chord(d, Keys.CONTROL, ".")
    choose(d, "Add to project words")
    wait_flags(d, 1, [])
    offer = wait(
        d,
        lambda d: [b for b in d.find_elements(By.CSS_SELECTOR, '[aria-label="Review message"] button')
                   if "Fix other spellings" in b.text],
        10,
        "the offer to fix the other spellings",
    )
    offer[0].click()
    hits = '[data-panel="project"] li[data-hit]'
    wait(d, lambda d: any(e.get_attribute("data-path").endswith("other.vtt") for e in d.find_elements(By.CSS_SELECTOR, hits)),
         15, "the other file's 'langchain' in the project replace preview")
    paths = {e.get_attribute("data-path") for e in d.find_elements(By.CSS_SELECTOR, hits)}
    assert all(p.endswith("other.vtt") for p in paths), f"only the other spelling is a change: {paths}"
    screenshot(d, "spelling-fix-others")
