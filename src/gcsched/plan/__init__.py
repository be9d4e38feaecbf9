"""gcsched.plan."""
