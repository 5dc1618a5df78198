"""Value types with no I/O: interview definitions, the project file, addresses, languages."""
