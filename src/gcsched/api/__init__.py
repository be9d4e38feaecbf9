"""gcsched.api."""
