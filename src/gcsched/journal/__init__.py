"""gcsched.journal."""
