"""Microsoft Teams: the Bot Framework endpoint, Adaptive Cards, proactive 1:1 chats.

Every botbuilder import of the project lives in this package, so moving to its successor,
the Microsoft 365 Agents SDK, touches nothing outside it.
"""

from bot.adapters.teams.routes import channel

__all__ = ["channel"]
