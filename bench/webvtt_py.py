"""Reads and parses every .vtt under a directory with webvtt-py; prints `files cues seconds`."""
import pathlib
import sys
import time

import webvtt

paths = sorted(p for p in pathlib.Path(sys.argv[1]).rglob("*.vtt"))
start = time.perf_counter()
cues = sum(len(webvtt.read(str(p))) for p in paths)
print(len(paths), cues, f"{time.perf_counter() - start:.6f}")
