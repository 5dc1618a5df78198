"""`python -m interform.docgen [--check]`: see `interform.docgen`."""

from __future__ import annotations

import sys
from pathlib import Path

from interform.docgen import expected_pages, outdated
from interform.errors import UserError


def main(argv: list[str]) -> int:
    root = Path.cwd()
    try:
        stale = outdated(root)
        if "--check" in argv:
            for page in stale:
                print(f"{page.relative_to(root)}: out of date — run `python -m interform.docgen`")
            return 1 if stale else 0
        for page, text in expected_pages(root).items():
            if page in stale:
                page.parent.mkdir(parents=True, exist_ok=True)
                page.write_text(text, encoding="utf-8")
                print(f"wrote {page.relative_to(root)}")
    except UserError as err:
        print("\n".join(err.lines()), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
