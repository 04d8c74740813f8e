#!/usr/bin/env python3
"""Helper of scripts/make-demo-episode.sh (Python 3.11 standard library only).

    demo_episode.py cues SCRIPT
        Prints one line per cue of SCRIPT (demo/demo-episode.script.txt): the speaker, a tab, and
        the cue's text lines joined by spaces (what espeak-ng is to say).

    demo_episode.py build SCRIPT SEGMENT_DIR OUT_WAV OUT_VTT [--pause-ms N] [--tail-ms N]
        Reads SEGMENT_DIR/NNN.wav (one trimmed recording per cue, all of one format), writes them
        into OUT_WAV one after another with N ms of silence between two cues (and --tail-ms of
        silence after the last), and writes OUT_VTT: the NOTE paragraph of SCRIPT, then one cue per
        segment, from the sample where its speech starts to the sample where it ends (milliseconds,
        rounded to the nearest), with the script's text lines as they are.

The cue times are computed from the same sample counts that are written to OUT_WAV, so they match
the audio exactly (up to the 0.5 ms of rounding).
"""

from __future__ import annotations

import argparse
import sys
import wave
from pathlib import Path

SPEAKERS = ("Maren", "Theo")


def parse_script(path: Path) -> tuple[str, list[tuple[str, list[str]]]]:
    """(NOTE paragraph, [(speaker, text lines)]) of a script file."""
    lines = [
        line
        for line in path.read_text(encoding="utf-8").split("\n")
        if not line.startswith("#")
    ]
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.rstrip())
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    note = ""
    cues: list[tuple[str, list[str]]] = []
    for para in paragraphs:
        if para[0].startswith("NOTE"):
            if note or cues:
                sys.exit(f"{path}: the NOTE paragraph must come first, and only once")
            note = "\n".join(para)
            continue
        speaker = para[0].removesuffix(":")
        if not para[0].endswith(":") or speaker not in SPEAKERS:
            sys.exit(f"{path}: a cue must start with one of {', '.join(s + ':' for s in SPEAKERS)}: {para[0]!r}")
        if len(para) < 2:
            sys.exit(f"{path}: a cue of {speaker} has no text")
        if any("-->" in line for line in para[1:]):
            sys.exit(f"{path}: a cue's text may not contain '-->': {para!r}")
        cues.append((speaker, para[1:]))
    if not cues:
        sys.exit(f"{path}: no cues")
    return note, cues


def fmt_ms(ms: int) -> str:
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02}:{m:02}:{s:02}.{milli:03}"


def cmd_cues(args: argparse.Namespace) -> None:
    _, cues = parse_script(args.script)
    for speaker, text in cues:
        print(f"{speaker}\t{' '.join(line.strip() for line in text)}")


def cmd_build(args: argparse.Namespace) -> None:
    note, cues = parse_script(args.script)
    segments = [args.segment_dir / f"{i:03}.wav" for i in range(len(cues))]
    params = None
    frames: list[bytes] = []
    for seg in segments:
        with wave.open(str(seg), "rb") as w:
            p = (w.getnchannels(), w.getsampwidth(), w.getframerate())
            if params is None:
                params = p
            elif p != params:
                sys.exit(f"{seg}: format {p} differs from the first segment's {params}")
            n = w.getnframes()
            if n == 0:
                sys.exit(f"{seg}: no audio (the whole cue was trimmed as silence)")
            frames.append(w.readframes(n))
    assert params is not None
    channels, width, rate = params
    frame_bytes = channels * width
    pause = b"\0" * (round(rate * args.pause_ms / 1000) * frame_bytes)
    tail = b"\0" * (round(rate * args.tail_ms / 1000) * frame_bytes)

    def ms(sample: int) -> int:
        return (sample * 1000 + rate // 2) // rate

    out = ["WEBVTT", ""]
    if note:
        out += [note, ""]
    pos = 0  # in frames
    with wave.open(str(args.out_wav), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        for i, ((_, text), data) in enumerate(zip(cues, frames)):
            if i:
                w.writeframes(pause)
                pos += len(pause) // frame_bytes
            n = len(data) // frame_bytes
            out += [f"{fmt_ms(ms(pos))} --> {fmt_ms(ms(pos + n))}", *text, ""]
            w.writeframes(data)
            pos += n
        w.writeframes(tail)
        pos += len(tail) // frame_bytes
    # One blank line between blocks, none after the last cue's text.
    args.out_vtt.write_text("\n".join(out[:-1]) + "\n", encoding="utf-8")
    print(f"{len(cues)} cues, last cue ends at {fmt_ms(ms(pos - len(tail) // frame_bytes))}, "
          f"audio {pos / rate:.3f} s at {rate} Hz")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("cues")
    c.add_argument("script", type=Path)
    c.set_defaults(func=cmd_cues)
    b = sub.add_parser("build")
    b.add_argument("script", type=Path)
    b.add_argument("segment_dir", type=Path)
    b.add_argument("out_wav", type=Path)
    b.add_argument("out_vtt", type=Path)
    b.add_argument("--pause-ms", type=int, default=400)
    b.add_argument("--tail-ms", type=int, default=800)
    b.set_defaults(func=cmd_build)
    args = ap.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
