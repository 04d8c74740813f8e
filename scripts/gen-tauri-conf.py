#!/usr/bin/env python3
"""Write src-tauri/tauri.conf.json (gitignored) for the Tauri CLI.

cargo (build.rs and generate_context!) reads the real config at the project root. The Tauri
CLI insists on a config beside the app crate's Cargo.toml, so this writes a copy there whose
relative paths are rebased onto src-tauri/ and which adds what only `tauri dev` / `tauri build`
use (the Vite dev server and the UI build commands). The root config deliberately has no
devUrl: a plain `cargo build` must embed ui/dist, never point at a dev server.

Usage:
  python3 scripts/gen-tauri-conf.py
  TAURI_APP_PATH=src-tauri TAURI_FRONTEND_PATH=ui ui/node_modules/.bin/tauri dev
  TAURI_APP_PATH=src-tauri TAURI_FRONTEND_PATH=ui ui/node_modules/.bin/tauri build --bundles deb
"""

import json
import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def rebase(path: str) -> str:
    # `make deb` stages the package's files in target/dist/: follow CARGO_TARGET_DIR if set.
    target = os.environ.get("CARGO_TARGET_DIR")
    if target and path.startswith("target/"):
        return str(pathlib.Path(target).resolve() / path.removeprefix("target/"))
    return path if path.startswith(("http:", "https:", "/")) else "../" + path


def main() -> None:
    conf = json.loads((ROOT / "tauri.conf.json").read_text(encoding="utf-8"))
    conf.pop("$schema", None)
    build = conf.setdefault("build", {})
    build["frontendDist"] = rebase(build["frontendDist"])
    build.setdefault("devUrl", "http://localhost:5173")
    # The CLI runs these from the frontend directory (TAURI_FRONTEND_PATH=ui).
    build.setdefault("beforeDevCommand", "npm run dev")
    build.setdefault("beforeBuildCommand", "npm run build")
    bundle = conf.get("bundle", {})
    if "icon" in bundle:
        bundle["icon"] = [rebase(p) for p in bundle["icon"]]
    deb = bundle.get("linux", {}).get("deb", {})
    if "desktopTemplate" in deb:
        deb["desktopTemplate"] = rebase(deb["desktopTemplate"])
    deb["files"] = {dest: rebase(src) for dest, src in deb.get("files", {}).items()}
    out = ROOT / "src-tauri" / "tauri.conf.json"
    out.write_text(json.dumps(conf, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
