"""gcsched.engine."""
