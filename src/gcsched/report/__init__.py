"""gcsched.report."""
