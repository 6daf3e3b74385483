"""The web channel: cards, the widget and the outreach page."""
