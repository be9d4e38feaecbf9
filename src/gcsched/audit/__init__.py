"""gcsched.audit."""
