"""The backend accepts only paths the user chose (issue 12, item 9): a script in the page that
asks for any other path gets `PathNotAllowed`, and nothing is read or written. The page has no
dialog permission either: the dialogs are Rust commands that record the choice."""

from __future__ import annotations

import pathlib

from conftest import Launch, wait_for_document

VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello there\n"

# Calls a command the way the page's own code does (the generated bindings use this), and
# answers {ok: value} or {err: the rejection}.
INVOKE_JS = """
const [cmd, args, done] = arguments;
window.__TAURI_INTERNALS__.invoke(cmd, args)
  .then((value) => done({ ok: value }))
  .catch((err) => done({ err: err }));
"""


def invoke(driver, cmd: str, args: dict) -> dict:
    return driver.execute_async_script(INVOKE_JS, cmd, args)


def tree(tmp_path: pathlib.Path) -> dict[str, pathlib.Path]:
    paths = {
        "launch": tmp_path / "show" / "ep1.vtt",
        "neighbour": tmp_path / "show" / "ep2.vtt",
        "secret": tmp_path / "secret" / "private.vtt",
    }
    for p in paths.values():
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(VTT, encoding="utf-8")
    return paths


def files(root: pathlib.Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_page_cannot_open_or_write_a_path_the_user_did_not_choose(launch: Launch, tmp_path) -> None:
    p = tree(tmp_path)
    driver = launch(str(p["launch"]))
    wait_for_document(driver)
    before = files(tmp_path)
    doc = invoke(driver, "initial_document", {})
    assert "ok" in doc, doc
    doc_id = doc["ok"]["docId"]

    opened = invoke(driver, "open_document", {"path": str(p["secret"])})
    assert opened.get("err", {}).get("kind") == "PathNotAllowed", opened
    assert opened["err"]["detail"]["path"] == str(p["secret"])

    # `..` out of the chosen folder is the same refusal
    sneaky = str(p["launch"].parent / ".." / "secret" / "private.vtt")
    assert invoke(driver, "open_document", {"path": sneaky}).get("err", {}).get("kind") == "PathNotAllowed"

    target = tmp_path / "secret" / "copy.vtt"
    saved = invoke(driver, "save_document_as", {"docId": doc_id, "path": str(target)})
    assert saved.get("err", {}).get("kind") == "PathNotAllowed", saved
    overwrite = invoke(driver, "save_document_as", {"docId": doc_id, "path": str(p["secret"])})
    assert overwrite.get("err", {}).get("kind") == "PathNotAllowed", overwrite

    for cmd, args in [
        ("open_folder", {"path": str(tmp_path / "secret")}),
        ("open_project", {"path": str(tmp_path)}),
        ("git_status", {"near": "/"}),
        ("attach_audio", {"docId": doc_id, "path": str(p["secret"])}),
    ]:
        answer = invoke(driver, cmd, args)
        assert answer.get("err", {}).get("kind") == "PathNotAllowed", (cmd, answer)

    # the dialog plugin's own commands are not the page's to call
    dialog = invoke(driver, "plugin:dialog|open", {"options": {}})
    assert "err" in dialog and "not allowed" in str(dialog["err"]).lower(), dialog

    assert files(tmp_path) == before, "a refused command wrote something"

    # the chosen file's folder is the user's: its neighbour opens (the refusals above are the
    # check, not a broken open)
    neighbour = invoke(driver, "open_document", {"path": str(p["neighbour"])})
    assert "ok" in neighbour, neighbour
    assert neighbour["ok"]["path"] == str(p["neighbour"].resolve())
