"""Front door capabilities, on the shared permission layer."""
