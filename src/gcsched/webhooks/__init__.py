"""gcsched.webhooks."""
