"""What `make` uses to set up .venv, and the pins' maintainer targets."""
