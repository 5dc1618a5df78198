"""Versive: everything interform knows about it, declared in `platform.py`.

Importing the package is free: the registry (`interform.platforms`) imports each part
when it is first needed."""
