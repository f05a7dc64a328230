"""Recovery Fund capabilities, on the shared permission layer."""
