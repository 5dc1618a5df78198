"""The state commands' logic: refresh, import, state list/show/rm/mv/unprotect, output,
force-unlock and embed-key. `interform.commands.state` is the thin click layer over it.

Every lockfile change goes through `access.StateFile.mutate`: the apply lock held, any
journal an interrupted apply left folded in first, one atomic write at the end.
"""
