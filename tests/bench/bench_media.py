#!/usr/bin/env python3
"""Benchmark (not a test): load and use a profile with many media (default 200,000).

    python3 tests/bench/bench_media.py [--media 200000] [--bin target/release/risksheet]

Writes a profile that extends ipa-3 with the preset's media followed by N more (each with a
name, an English name and a variant), then times `risksheet fill --dry-run` of the example
ledger with it and prints the seconds. Loading checks every name against every other one, and
reading the ledger looks each medium cell up by name: both are one pass over the media.
"""
import argparse
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def preset_media():
    """The media of ipa-3 (inherited from ipa-2.1 unless ipa-3 states its own)."""
    for name in ("ipa-3", "ipa-2.1"):
        data = tomllib.loads((ROOT / "data/profiles" / f"{name}.toml").read_text())
        if "media" in data:
            return data["media"]
    raise SystemExit("no media in the presets")


def profile_text(extra):
    out = ['extends = "ipa-3"', 'id = "many-media"', ""]
    media = preset_media()
    group = media[0]["groups"][0]
    for m in media:
        out += ["[[media]]", f"id = {q(m['id'])}", f"name = {q(m['name'])}", f"name_en = {q(m.get('name_en', ''))}",
                "variants = [" + ", ".join(q(v) for v in m.get("variants", [])) + "]",
                "groups = [" + ", ".join(q(g) for g in m.get("groups", [])) + "]"]
        for t in m.get("threats", []):
            out += ["[[media.threats]]", f"text = {q(t['text'])}", f"text_en = {q(t.get('text_en', ''))}"]
    for i in range(extra):
        out += ["[[media]]", f'id = "m{i}"', f'name = "追加媒体{i}"', f'name_en = "Extra medium {i}"', f'variants = ["追加{i}"]',
                f"groups = [{q(group)}]"]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--media", type=int, default=200_000)
    ap.add_argument("--bin", default=str(ROOT / "target/release/risksheet"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        prof = Path(d) / "many-media.toml"
        prof.write_text(profile_text(args.media))
        t = time.perf_counter()
        r = subprocess.run([args.bin, "fill", str(ROOT / "workbooks/example-ipa-3.xlsx"), "--profile", str(prof), "--dry-run"],
                           capture_output=True, text=True)
        secs = time.perf_counter() - t
        if r.returncode not in (0, 3):
            sys.exit(f"risksheet failed ({r.returncode}): {r.stderr}")
        print(f"fill --dry-run with {args.media:,} extra media: {secs:.2f} s")


if __name__ == "__main__":
    main()
