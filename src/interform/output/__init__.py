"""Plan renderers: human text (`text`), versioned JSON (`jsonout`), PR comments (`markdown`)."""

# GitHub's 65,536-character comment limit, less room for the sticky-comment marker the
# CI step prepends and a margin (here, not in `markdown`, so the CLI reads it cheaply)
COMMENT_LIMIT = 60_000
