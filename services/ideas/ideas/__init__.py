"""The ideas service: members submit ideas; lists sorted by newest or most voted; status from the roadmap."""
