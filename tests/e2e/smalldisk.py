"""Running the CLI on a real, tiny file system: a tmpfs mounted in a private user and
mount namespace (`unshare -Urm`, no root needed where user namespaces are allowed).

The project lives on the normal disk between commands. For one command it is copied
onto a fresh tmpfs, the rest of the space is filled (leaving `free` bytes) or the file
system is made read-only, the command runs there, and what it left — every file, and
the absence of every file it removed — is copied back. The sandbox server runs outside,
so only interform's own files meet the full disk.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from pathlib import Path


@functools.cache
def available() -> bool:
    """Whether this machine lets an unprivileged process mount a tmpfs of its own."""
    if shutil.which("unshare") is None:
        return False
    probe = ["unshare", "-Urm", "sh", "-c", 'd=$(mktemp -d) && mount -t tmpfs tmpfs "$d"']
    try:
        return subprocess.run(probe, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


RUN = r"""
set -u
project=$1; size=$2; free=$3; mode=$4; out=$5; python=$6; shift 6
mnt=$(mktemp -d)
mount -t tmpfs -o "size=$size" tmpfs "$mnt" || exit 97
cp -a "$project/." "$mnt/" || exit 97
if [ "$mode" = full ]; then
    avail=$(df -B1 --output=avail "$mnt" | tail -1)
    if [ "$avail" -gt "$free" ]; then
        head -c $((avail - free)) /dev/zero > "$mnt/.filler" 2>/dev/null
    fi
fi
if [ "$mode" = read-only ]; then mount -o remount,ro "$mnt" || exit 97; fi
"$python" -m interform -C "$mnt" "$@" > "$out" 2>&1
code=$?
if [ "$mode" = read-only ]; then mount -o remount,rw "$mnt" || exit 97; fi
rm -f "$mnt/.filler"
find "$project" -mindepth 1 -delete && cp -a "$mnt/." "$project/" || exit 97
exit $code
"""


def run(
    project: Path,
    env: dict[str, str],
    *args: str,
    free: int = 0,
    read_only: bool = False,
    size: str = "4m",
) -> tuple[int, str]:
    """Run `interform ARGS` on a tmpfs of `size` holding the project, with `free` bytes
    left (or read-only). Returns (exit code, output)."""
    out = project.parent / f"{project.name}.out"
    mode = "read-only" if read_only else "full"
    setup = [str(project), size, str(free), mode, str(out), sys.executable]
    proc = subprocess.run(
        ["unshare", "-Urm", "sh", "-c", RUN, "sh", *setup, *args], env=env, timeout=300
    )
    assert proc.returncode != 97, "the small disk could not be set up"
    output = out.read_text()
    out.unlink()
    return proc.returncode, output
