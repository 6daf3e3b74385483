"""The SMS channel: dialogue, keywords and GSM-7 text."""
