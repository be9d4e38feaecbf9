"""gcsched.domain."""
