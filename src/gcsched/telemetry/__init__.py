"""gcsched.telemetry."""
