"""Executing plans against the platforms: connections, remote reads, ordering,
concurrency, checkpoints and recovery of interrupted creates."""
