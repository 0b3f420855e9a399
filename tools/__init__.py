"""What the tests, the bench, the audit and `make` share (see tools/site.py)."""
