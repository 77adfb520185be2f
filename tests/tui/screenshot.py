"""Make docs/tui.svg with the app's own save_screenshot: the real model, the shipped corpus, a real query.

    python tests/tui/screenshot.py [--index DIR] [--query TEXT] [--size 100x30] [--out docs/tui.svg]

The index is built on first use (as `kompass tui` does); pass --index to reuse one.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from kompass_search.config import load_config
from kompass_search.tui.app import create_app

ROOT = Path(__file__).resolve().parents[2]


async def shoot(index: Path, query: str, size: tuple[int, int], out: Path) -> str:
    config = load_config().with_overrides(corpus=ROOT / "corpus", index=index)
    app = create_app(config, out_dir=Path(tempfile.mkdtemp()))
    async with app.run_test(size=size) as pilot:
        while any(w.group == "start" and not w.is_finished for w in app.workers):
            await pilot.pause(0.1)
        if not app.session.ready:
            raise SystemExit(
                "the app did not get ready: "
                + " / ".join(app.query_one("#status-text").render().plain.split())
            )
        await pilot.press(*query)  # the query box has the focus on start
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await pilot.pause(0.3)
        return app.save_screenshot(out.name, str(out.parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--index", type=Path, default=None, help="index folder (default: a fresh temporary one)"
    )
    ap.add_argument("--query", default="synpunktshantering")
    ap.add_argument("--size", default="100x30")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "tui.svg")
    args = ap.parse_args()
    width, height = (int(x) for x in args.size.split("x"))
    index = args.index or Path(tempfile.mkdtemp()) / "index"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    print(asyncio.run(shoot(index, args.query, (width, height), args.out)))


if __name__ == "__main__":
    main()
