"""End-to-end browser walks: each role's working day on the demo city (marker `browser`)."""
