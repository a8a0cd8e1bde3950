"""Outbound delivery: every proactive message goes through the outbox and a dispatcher."""
