"""Puts this folder on `sys.path` (pytest's rootdir-relative import of a conftest outside
a package), so every test folder can import the shared support modules beside it, such
as `project_files`, whichever folder pytest was asked to run."""
