"""Community research capabilities, on the shared permission layer."""
