"""gcsched.cli."""
