"""One module per back-office area; each view only calls app/ services."""
