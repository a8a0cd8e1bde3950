"""What a member may see and erase of their own: `mine` (own answers, privately) and
`slet-mine-data` (delete every score of theirs on this platform, after a confirmation)."""

from __future__ import annotations

import json
from dataclasses import replace

from bot.dialogs import results
from bot.dialogs.outcome import Outcome, Reply
from bot.domain import Progress
from bot.i18n import t
from bot.services.snapshots import round_info
from bot.usecases.request import Request, note
from bot.usecases.summaries import round_summary
from bot.views import Button, Message
from storage import events, outbox, people, rounds

MAX_DATA_TEXT = 20_000
"""Fits a Teams activity (28 KB) and a Slack message; the rest is cut with a mark."""


async def mine(req: Request) -> Outcome:
    user_id = req.person.user_id
    team_id = req.team.id if req.team else None
    round_ = await rounds.latest_participation(req.session, req.platform, user_id, team_id)
    if round_ is None:
        return Outcome(note("mine.none", req.language, private=True))
    found = await rounds.seat(req.session, round_.id, user_id)
    assert found is not None
    seat, answers = found
    info = replace(round_info(round_), language=req.language)
    summary = None if info.is_open else await round_summary(req.session, round_)
    view = results.my_scores(info, Progress(user_id, seat.position, answers), summary)
    return Outcome(Reply(view, private=True))


async def ask_forget(req: Request) -> Outcome:
    lang = req.language
    buttons = (
        Button(t("button.forget_confirm", lang), "forget-confirm", {"lang": lang}, "danger"),
        Button(t("button.cancel", lang), "forget-cancel", {"lang": lang}),
    )
    return Outcome(Reply(Message(t("forget.ask", lang), buttons, tone="warning"), private=True))


def _button_language(req: Request) -> str:
    lang = req.data.get("lang")
    return lang if isinstance(lang, str) and lang in ("da", "en") else req.language


async def forget(req: Request) -> Outcome:
    user_id = req.person.user_id
    deleted = await rounds.forget(req.session, req.platform, user_id)
    await outbox.forget_person(req.session, req.platform, user_id)
    await events.forget_person(req.session, req.platform, user_id)
    done = Message(t("forget.done", _button_language(req), count=deleted), tone="success")
    return Outcome(Reply(done, mode="replace", private=True))


async def keep(req: Request) -> Outcome:
    kept = Message(t("forget.cancelled", _button_language(req)))
    return Outcome(Reply(kept, mode="replace", private=True))


async def my_data(req: Request) -> Outcome:
    """Everything stored about the asker on this platform, as JSON, to them alone."""
    found = await people.everything(req.session, req.platform, req.person.user_id)
    text = json.dumps(found, ensure_ascii=False, indent=1)
    if len(text) > MAX_DATA_TEXT:
        text = text[:MAX_DATA_TEXT] + "\n…"
    body = t("my_data.intro", req.language) + "\n```\n" + text + "\n```"
    return Outcome(Reply(Message(body), private=True))
