"""Community Voice capabilities, on the shared permission layer."""
