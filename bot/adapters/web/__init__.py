"""The web playground: a local try-out of a whole round, no Slack or Teams account needed."""

from bot.adapters.web.routes import channel

__all__ = ["channel"]
