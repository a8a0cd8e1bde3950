"""The Slack channel: slash command, buttons, modals, App Home, DMs and the channel summary."""

from bot.adapters.slack.app import SLACK, channel

__all__ = ["SLACK", "channel"]
