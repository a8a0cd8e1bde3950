"""Deadlines and reminders: planned in our tables, run by APScheduler on the leader replica."""
