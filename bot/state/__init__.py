"""Small shared state: SMS sessions, opt-outs, MessageSid replies, feedback and unanswered questions."""
