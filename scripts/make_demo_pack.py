"""Build the bundled demo content pack ``media/demo-pack/`` (format ``wuxiao-pack/1``).

Run from the repository root::

    .venv/bin/python scripts/make_demo_pack.py

What it needs:
  * the project's .venv (Pillow, and the kiosk itself, whose importer checks the result);
  * ``ffmpeg`` with libx264, aac and libmp3lame (Debian package ``ffmpeg``);
  * ``espeak-ng`` with the ``cmn-latn-pinyin`` voice (Debian package ``espeak-ng``);
  * the font ``/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc`` (Debian package ``fonts-wqy-zenhei``).

The text (pack title, the 8 achievements' fields, narration, quiz questions) and each achievement's drawing
parameters live in ``scripts/demo_pack/content.json``; the drawing and media steps are the modules beside
it. The build deletes and rebuilds ``media/demo-pack/``: pack.json plus one folder per achievement (3
illustrative JPEG photos drawn with Pillow, one 1920x1080 H.264/AAC faststart MP4 of title-card slides, one
Mandarin MP3 explanation spoken by espeak-ng, and for half of the achievements a ``quiz.json``). Everything
is fictional, and the photos are drawings labelled 示意图. Output is deterministic (fixed seed, no
timestamps).

The result is checked by the kiosk's own importer (``docs/contract/pack-v1.md`` as the kiosk implements
it): any error fails the build. The whole pack must stay under 10,000,000 bytes, so the photos are ~100 KB
each, not the 1-10 MB the campaign asks of real submissions; the importer warns "photo under 1 MB".
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    sys.path[:0] = [str(ROOT / "scripts"), str(ROOT)]
    from demo_pack.build import main

    sys.exit(main())
