"""click commands, one module per area; heavy imports stay inside the command bodies."""
