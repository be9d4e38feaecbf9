"""gcsched.sandbox."""
