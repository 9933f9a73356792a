"""The votes service: one vote per member per idea, exact tallies, and the threshold that sends ideas to review."""
