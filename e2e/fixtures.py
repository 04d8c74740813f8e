"""Generated transcripts for the end-to-end tests, so that a clone without ../shared runs every one.

The editor's tests need an episode the size and shape of a real one (a Talk Python `.vtt` of
about 860 single-line cues, some of them 400 characters long, with its `.txt` pair) and the size
of the largest real file (5,536 cues). Copying corpus files into the repository is not an option
(they are GPL-3.0; this code is MIT/Apache), so this module writes them: deterministic text of its
own, the timing and layout of the Talk Python files (`WEBVTT`, a blank line, `HH:MM:SS.mmm -->
HH:MM:SS.mmm`, one text line, a blank line; `HH:MM:SS text` entries separated by blank lines),
and the few words the tests look for at known places:

- cue 2 starts with "But what powers the Python package index " (split at that caret);
- cue 3 (11.460 to 16.620 s) holds "terabytes" after a number, cue 5 holds "Wednesday";
- "Warehouse" (match case) is in a dozen cues, the whole word "pip" in more, and non-ASCII
  characters in some; cue 600 has neighbours (go to time).

The files are written once per checkout into e2e/out/fixtures/ (gitignored) and rewritten only
when their bytes would change, so a test that copies them sees the same bytes every run.
"""

from __future__ import annotations

import pathlib
import random

HERE = pathlib.Path(__file__).resolve().parent
DIR = HERE / "out" / "fixtures"

EPISODE_CUES = 859
LARGE_CUES = 5536

# The opening, written for these tests: (start ms, end ms, text).
OPENING = [
    (1, 2300, "What is the part of the Python ecosystem you would miss first?"),
    (2300, 7080, "For most of us it is typing pip install and getting the library we asked for."),
    (7080, 11460, "But what powers the Python package index and who keeps it running day and night?"),
    (11460, 16620, "The index now serves more than 900 terabytes of downloads every month, and it keeps growing."),
    (16620, 21480, "Today we look behind the curtain with the people who run that service for everyone."),
    (21480, 26860, "We recorded this on a Wednesday afternoon, between two releases of the service."),
    (26860, 31200, "This is Fixture Radio, episode one hundred, a show about the tools we build with."),
    (31200, 35900, "Welcome to the show. It is great to have you here again."),
    (35900, 40050, "Thanks for having me. I have been looking forward to this conversation for weeks."),
    (40050, 44800, "Let's start at the beginning. How did you get into packaging in the first place?"),
    (44800, 50100, "It was an accident, really. I fixed one bug and then there were a hundred more."),
    (50100, 55300, "That sounds like every open source story I have ever heard on this show."),
]

SUBJECTS = [
    "the build server", "our release process", "the new resolver", "the mirror in Frankfurt",
    "a volunteer from Kraków", "the security team", "the test matrix", "the old upload API",
    "the caching layer", "a small group of maintainers", "the documentation site", "the CDN",
    "the metadata format", "the download statistics", "the search page", "the signing service",
]
VERBS = [
    "changed how we think about", "made a real difference to", "took years to replace",
    "kept breaking", "turned out to be simpler than", "needed a rewrite of", "grew out of",
    "finally caught up with", "was built on top of", "quietly replaced",
]
OBJECTS = [
    "the way people publish wheels", "every install on a laptop", "the nightly jobs",
    "the package metadata", "our on-call rotation", "the whole ecosystem", "the storage bill",
    "the release checklist", "the mirrors around the world", "the team's weekends",
]
ASIDES = [
    "you know", "honestly", "to be fair", "if I remember right", "and this surprised me",
    "at least at first", "in hindsight", "which nobody expected",
]
SPECIAL = [
    "We called the new code base Warehouse, mostly to tell it apart from the old one.",
    "Warehouse is where most of that work happens now.",
    "If you want to help, the Warehouse repository has issues marked for newcomers.",
    "When you run pip install, a lot happens before the first byte arrives.",
    "The pip team and the index team talk almost every week.",
    "A naïve cache would have cost us a fortune — we learned that the hard way.",
    "Our café meetings in Zürich were where half of those decisions were made.",
    "It’s a long story, but the short version is that it worked.",
    "Some days we move 40 terabytes before lunch.",
    "That was the year we turned on two-factor authentication for everyone.",
    "Okay.",
    "Yeah.",
    "Right.",
]


def _sentence(rng: random.Random) -> str:
    s = f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    if rng.random() < 0.3:
        s += f", {rng.choice(ASIDES)}"
    return s + rng.choice([".", ".", ".", "?", "!"])


def _text(rng: random.Random, index: int, long_every: int) -> str:
    if index % 37 == 0 or index % 53 == 0:
        return SPECIAL[(index // 37 + index // 53) % len(SPECIAL)]
    if long_every and index % long_every == 0:
        return " ".join(_sentence(rng) for _ in range(7))  # about 400 characters
    return " ".join(_sentence(rng) for _ in range(rng.choice([1, 1, 1, 2])))


def _cues(count: int, seed: int, long_every: int, opening: bool, ms_per_char: int) -> list[tuple[int, int, str]]:
    rng = random.Random(seed)
    cues = list(OPENING) if opening else []
    t = cues[-1][1] if cues else 1
    while len(cues) < count:
        i = len(cues)
        text = _text(rng, i, long_every)
        dur = max(400, min(9000, ms_per_char * len(text) + rng.randint(-200, 200)))
        cues.append((t, t + dur, text))
        t += dur
    return cues


def _stamp(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02}:{m:02}:{s:02}.{milli:03}"


def vtt(cues: list[tuple[int, int, str]]) -> bytes:
    out = ["WEBVTT\n\n"]
    for start, end, text in cues:
        out.append(f"{_stamp(start)} --> {_stamp(end)}\n{text}\n\n")
    return "".join(out).encode("utf-8")


def txt(cues: list[tuple[int, int, str]]) -> bytes:
    return "".join(f"{_stamp(start)[:8]} {text}\n\n" for start, _, text in cues).encode("utf-8")


def _write(name: str, data: bytes) -> pathlib.Path:
    path = DIR / name
    if not path.is_file() or path.read_bytes() != data:
        DIR.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return path


def episode_cues() -> list[tuple[int, int, str]]:
    return _cues(EPISODE_CUES, seed=64, long_every=97, opening=True, ms_per_char=45)


def large_cues() -> list[tuple[int, int, str]]:
    # The largest real file has 5,536 short cues in 65 minutes (0.7 s each).
    return _cues(LARGE_CUES, seed=386, long_every=0, opening=False, ms_per_char=9)


EPISODE = _write("fixture-episode.vtt", vtt(episode_cues()))
EPISODE_TXT = _write("fixture-episode.txt", txt(episode_cues()))
LARGE = _write("fixture-large.vtt", vtt(large_cues()))
