"""gcsched.config."""
