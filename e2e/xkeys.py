"""Real X key presses (XTEST) into the app's window under Xvfb.

WebDriver key actions are synthesized inside WebKit: they never pass through GTK, so they
cannot show what the native menu's accelerators do to a key press (on Linux a GTK menu
accelerator takes the key before the web view sees it). These helpers press keys the way a
keyboard does, through the X server, GTK and then the web view.
"""

from __future__ import annotations

import time

from Xlib import X, XK, display
from Xlib.error import XError
from Xlib.ext import xtest

MODS = {"ctrl": "Control_L", "shift": "Shift_L", "alt": "Alt_L"}
NAMES = {" ": "space", "/": "slash", ".": "period", ",": "comma", "-": "minus"}


class XKeys:
    def __init__(self, title_suffix: str = "— Cueline") -> None:
        self.dpy = display.Display()
        root = self.dpy.screen().root
        net, utf8 = self.dpy.intern_atom("_NET_WM_NAME"), self.dpy.intern_atom("UTF8_STRING")
        wins = []
        for w in root.query_tree().children:
            try:
                p = w.get_full_property(net, utf8)
            except XError:  # a window of an app that is closing went away meanwhile
                continue
            if p and p.value.decode("utf-8", "replace").endswith(title_suffix):
                wins.append(w)
        assert len(wins) == 1, f"expected one app window titled '*{title_suffix}', found {len(wins)}"
        self.win = wins[0]

    def focus(self) -> None:
        g = self.win.get_geometry()
        xtest.fake_input(self.dpy, X.MotionNotify, x=g.x + g.width // 2, y=g.y + g.height // 2)
        self.win.set_input_focus(X.RevertToParent, X.CurrentTime)
        self.dpy.sync()
        time.sleep(0.1)

    def _code(self, name: str) -> int:
        sym = XK.string_to_keysym(NAMES.get(name, name))
        code = self.dpy.keysym_to_keycode(sym)
        assert code, f"no keycode for {name!r}"
        return code

    def press(self, chord: str) -> None:
        """A chord such as 'ctrl+shift+z', 'alt+Down', 'F3' or a single character."""
        *mods, key = chord.split("+") if len(chord) > 1 else [chord]
        codes = [self._code(MODS[m.lower()]) for m in mods]
        for c in codes:
            xtest.fake_input(self.dpy, X.KeyPress, c)
        k = self._code(key)
        xtest.fake_input(self.dpy, X.KeyPress, k)
        xtest.fake_input(self.dpy, X.KeyRelease, k)
        for c in reversed(codes):
            xtest.fake_input(self.dpy, X.KeyRelease, c)
        self.dpy.sync()
        time.sleep(0.03)

    def type(self, text: str) -> None:
        for ch in text:
            assert ch == " " or ch.islower() or ch.isdigit() or ch in NAMES, f"type(): {ch!r} needs Shift"
            self.press(ch)

    def close(self) -> None:
        self.dpy.close()
