"""make bench and make gpu-record: what the build costs, and runs on accelerators."""
