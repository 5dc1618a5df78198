"""Write the lockfile that a successful apply of a project would leave, so that planning
it again is a no-change plan (the planner's benchmark).

    python bench/synth_lock.py DIR

Loads DIR like `interform plan` does, plans, simulates a successful apply of every
change (`interform.plan.simulate`) and writes DIR's lockfile. Used by
`bench/synth.py --lockfile`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NOW = "2026-01-01T00:00:00Z"  # fixed: two runs give the same lockfile but for its lineage


def write_matching_lockfile(root: Path) -> Path:
    from interform.lockfile.store import new_lockfile, write_lockfile
    from interform.plan.simulate import simulate
    from interform.workspace import build_plan, open_workspace

    ws = open_workspace(root)
    plan = build_plan(ws, force=True)
    write_lockfile(ws.lockfile_path, simulate(plan, ws.lock or new_lockfile(), now=NOW))
    return ws.lockfile_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    args = parser.parse_args(argv)
    print(write_matching_lockfile(args.dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
