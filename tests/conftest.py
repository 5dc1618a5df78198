"""Puts this folder on `sys.path` (pytest's rootdir-relative import of a conftest outside
a package), so every test folder can import the shared support modules beside it, such
as `project_files`, whichever folder pytest was asked to run. Each test folder is a
package and imports its own helpers relatively (`from .kinds import SPECS`): the same
module names then hold for mypy, which checks tests/ with tests/ as a package root."""
