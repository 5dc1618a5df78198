"""Planning: the pure planner, question-level diffs, safety rails and saved plans."""
