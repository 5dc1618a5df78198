"""A platform added from outside interform: registry, plugin entry points."""
