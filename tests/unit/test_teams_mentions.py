"""Teams channel hints say how to type a command there: with the mention."""

from __future__ import annotations

from bot.adapters.teams.mentions import for_channel
from bot.views import Message


def test_suggested_commands_get_the_mention_and_other_code_does_not() -> None:
    view = Message("Start en runde med `start 7d`, se `status`. Filen hedder `profil.yaml`.")
    shown = for_channel(view, "Kompetencebot")
    assert isinstance(shown, Message)
    assert shown.text == (
        "Start en runde med `@Kompetencebot start 7d`, se `@Kompetencebot status`. "
        "Filen hedder `profil.yaml`."
    )
    assert for_channel(shown, "Kompetencebot") == shown  # never mentioned twice
