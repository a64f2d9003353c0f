#!/usr/bin/env python3
"""Read each lesson aloud once, in ar/fr/en/es, into small Ogg Opus files that are committed
(souk/support/static/support/lessons/audio/<slug>.<lang>.ogg), so running Souk needs no speech
engine. Needs espeak-ng and opusenc (apt-get install espeak-ng opus-tools). See docs/support.md.

    python3 scripts/make_lesson_audio.py            # every lesson, every language
    python3 scripts/make_lesson_audio.py photos fr  # one lesson, one language
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "souk" / "support" / "data" / "lessons.json"
OUT = ROOT / "souk" / "support" / "static" / "support" / "lessons" / "audio"
VOICES = {"ar": "ar", "fr": "fr-fr", "en": "en-gb", "es": "es"}
WORDS_PER_MINUTE = "140"
BITRATE_KBPS = "12"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        sys.exit(f"{name} is missing: apt-get install espeak-ng opus-tools")
    return found


def speak(text: str, language: str, target: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        wav = Path(work) / "lesson.wav"
        subprocess.run(  # noqa: S603 (our own tools, arguments from our own data)
            [
                _tool("espeak-ng"),
                "-v",
                VOICES[language],
                "-s",
                WORDS_PER_MINUTE,
                "-g",
                "6",
                "-w",
                str(wav),
                text,
            ],
            check=True,
        )
        subprocess.run(  # noqa: S603 (our own tools, arguments from our own data)
            [
                _tool("opusenc"),
                "--quiet",
                "--bitrate",
                BITRATE_KBPS,
                "--downmix-mono",
                str(wav),
                str(target),
            ],
            check=True,
        )


def main(argv: list[str]) -> None:
    lessons = json.loads(DATA.read_text(encoding="utf-8"))
    slugs = [argv[0]] if argv else list(lessons)
    languages = [argv[1]] if len(argv) > 1 else list(VOICES)
    OUT.mkdir(parents=True, exist_ok=True)
    for slug in slugs:
        for language in languages:
            text = lessons[slug][language]
            spoken = "\n".join([text["title"], *text["steps"]])
            target = OUT / f"{slug}.{language}.ogg"
            speak(spoken, language, target)
            print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(sys.argv[1:])
