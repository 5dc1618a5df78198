"""Module and function sizes of a source tree (issue 13's size figures).

    python bench/sizes.py [DIR]     # DIR defaults to src/interform

Prints modules, lines, functions and the median / 90th percentile / largest function
length in lines (decorators excluded, docstrings included), and the largest modules.
Compare commits with `git archive COMMIT src/interform | tar -x -C /tmp/x`.
"""

from __future__ import annotations

import ast
import statistics
import sys
from pathlib import Path


def function_lengths(tree: ast.AST) -> list[int]:
    return [
        (node.end_lineno or node.lineno) - node.lineno + 1
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]


def main(root: Path) -> int:
    modules = sorted(root.rglob("*.py"))
    if not modules:
        print(f"{root}: no Python modules", file=sys.stderr)
        return 1
    sizes: list[tuple[int, str]] = []
    lengths: list[int] = []
    for path in modules:
        text = path.read_text(encoding="utf-8")
        sizes.append((text.count("\n"), path.relative_to(root).as_posix()))
        lengths += function_lengths(ast.parse(text))
    lengths.sort()
    p90 = lengths[int(len(lengths) * 0.9)] if lengths else 0
    print(
        f"{len(modules)} modules, {sum(n for n, _ in sizes):,} lines, "
        f"{len(lengths):,} functions; function lines: median "
        f"{statistics.median(lengths) if lengths else 0:g}, p90 {p90}, "
        f"max {lengths[-1] if lengths else 0}"
    )
    largest = ", ".join(f"{name} {n}" for n, name in sorted(sizes, reverse=True)[:3])
    print(f"largest modules: {largest}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "src/interform")))
