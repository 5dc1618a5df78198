"""The adapter kit every platform uses (`base`, `http`, `pager`, …) and one package per
platform (`micro1/`, `jobmojito/`, …), found through `interform.platforms`."""
