"""gcsched.client."""
