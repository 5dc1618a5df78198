"""Toy: a fifth platform declared entirely outside interform (its own adapter, emulator,
language table and rules), registered through the `interform.platforms` entry point the
toy-platform test writes. Nothing in interform names it."""
