"""The lockfile: format (`model`), reading and atomic writing (`store`), the apply journal
and the apply lock. Importing the package costs nothing; the submodules load pydantic."""
