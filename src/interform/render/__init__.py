"""Plan renderers: human text (`text`), versioned JSON (`jsonout`), PR comments (`markdown`)."""
