"""Channel edges: the SMS webhook, the web widget and the outreach pages."""
