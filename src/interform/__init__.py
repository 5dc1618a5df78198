"""interform: AI-interview definitions as code (plan/apply across interview platforms)."""

__version__ = "0.1.0"  # the one place the version is written: pyproject.toml reads it
