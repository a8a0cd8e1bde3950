"""The bolt listeners: translate, let the turn decide, answer Slack in time.

The turn commits the state change and its outbox rows before it returns, and only then is
Slack acked: an ack means the answer is stored. A button click is never acked before that,
however long it takes (a click acked early and lost in a crash would be an answer the
member believes was saved). A command or form that takes longer than Slack's 3 s (a launch
in a very large channel) is acked with "one moment" and answered through the payload's
`response_url` once it is done; nothing it changes is acknowledged as done before then.
What the actor sees afterwards (the clicked prompt replaced, a refusal) goes out as a
follow-up after the ack.
"""

from __future__ import annotations

import asyncio
import logging
from functools import partial
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import translate
from bot.adapters.slack.blocks import (
    TooLarge,
    fallback_text,
    first_input,
    message_blocks,
    message_modal,
    modal,
)
from bot.adapters.slack.channels import ChannelWatch
from bot.adapters.slack.clients import SlackClients
from bot.adapters.slack.directory import NotInChannel, SlackBusy, SlackDirectory
from bot.adapters.slack.errors import FAILURES
from bot.adapters.slack.followups import FollowUps
from bot.adapters.slack.home import home_view
from bot.dialogs.outcome import Reply
from bot.domain import Action, Envelope, Event, Person
from bot.i18n import t
from bot.runtime import Runtime
from bot.turn import NotSaved, Turns
from bot.usecases.home import prompt_ref
from bot.views import Form, Message, SummaryCard, Tone, View, clip

log = logging.getLogger(__name__)
ACK_BUDGET = 2.0
Pending = asyncio.Future[Reply | None]


class SlackInteractions:
    def __init__(
        self,
        runtime: Runtime,
        turns: Turns,
        directory: SlackDirectory,
        clients: SlackClients,
        followups: FollowUps,
    ) -> None:
        self.runtime = runtime
        self.turns = turns
        self.directory = directory
        self.clients = clients
        self.followups = followups
        self.channels = ChannelWatch(runtime)
        self.language = runtime.settings.language

    # -- deciding within Slack's 3 seconds ---------------------------------------------------

    def _note(self, key: str, tone: Tone = "warning") -> Reply:
        return Reply(Message(t(f"slack.{key}", self.language), tone=tone))

    async def _handle(self, event: Event, envelope: Envelope) -> Reply | None:
        try:
            return await self.turns.handle(event, envelope)
        except NotInChannel:
            return self._note("not_in_channel")
        except SlackBusy:
            return self._note("slack_busy")
        except NotSaved:
            return Reply(Message(t("error.not_saved", self.language), tone="error"))
        except Exception:
            log.exception("handling a Slack %s failed", type(event).__name__)
            return Reply(Message(t("error.internal", self.language), tone="error"))

    async def _decide(
        self, event: Event, envelope: Envelope
    ) -> tuple[Reply | None, Pending | None]:
        """The reply, or for a command or form (after ACK_BUDGET seconds) the still-running
        decision; a click always waits for its decision to be committed."""
        if isinstance(event, Action):
            return await self._handle(event, envelope), None
        task = asyncio.ensure_future(self._handle(event, envelope))
        done, _ = await asyncio.wait({task}, timeout=ACK_BUDGET)
        return (task.result(), None) if done else (None, task)

    # -- rendering -------------------------------------------------------------------------

    def _chart_url(self, view: View) -> str | None:
        """An ephemeral summary cannot carry an upload; Slack fetches the public chart URL."""
        base = self.runtime.settings.public_url
        if isinstance(view, SummaryCard) and view.chart and base:
            return f"{base.rstrip('/')}/files/{view.chart}/chart.png"
        return None

    def _message(self, view: View) -> dict[str, Any]:
        blocks = message_blocks(view, chart_url=self._chart_url(view))
        return {"text": fallback_text(view), "blocks": blocks}

    def _modal(self, view: View, title: str) -> dict[str, Any]:
        if isinstance(view, Form):
            try:
                return modal(view, {})
            except TooLarge:
                log.warning("form %s does not fit in a Slack modal", view.key)
                view = Message(t("slack.form_too_large", self.language), tone="warning")
        return message_modal(view, title or t("slack.modal.title", self.language))

    async def _open_form(self, client: AsyncWebClient, trigger: object, form: Form) -> Reply | None:
        """Open the form as a modal now (a trigger lives 3 s); a Reply says why it could not."""
        try:
            shown = modal(form, {})
        except TooLarge:
            return self._note("form_too_large")
        try:
            await client.views_open(trigger_id=str(trigger or ""), view=shown)
        except FAILURES as exc:
            log.warning("could not open a Slack modal: %s", exc)
            return self._note("form_expired")
        return None

    # -- slash commands --------------------------------------------------------------------

    async def on_command(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        user = translate.user_of(body)
        workspace = translate.workspace_of(body)
        person = await self.directory.person(workspace, user, str(body.get("user_name") or ""))
        event = translate.command(body, person)
        if event.team_key:
            await self.channels.see(client, event.team_key)
        reply, late = await self._decide(event, translate.command_context(body))
        if late is not None:
            await ack({"response_type": "ephemeral", "text": t("slack.working", self.language)})
            self.followups.after(user, partial(self._late_command, body, late))
            return
        if reply is not None and isinstance(reply.view, Form):
            reply = await self._open_form(client, body.get("trigger_id"), reply.view)
        await ack({"response_type": "ephemeral", **self._message(reply.view)} if reply else {})
        if event.team_key:
            self.followups.after(event.team_key, partial(self.channels.see, client, event.team_key))

    async def _late_command(self, body: dict[str, Any], late: Pending) -> None:
        reply = await late
        if reply is None:
            return
        view = reply.view
        if isinstance(view, Form):
            view = Message(t("slack.form_expired", self.language), tone="warning")
        await self._respond(str(body.get("response_url") or ""), view, replace=False)

    async def _respond(self, url: str, view: View, *, replace: bool) -> bool:
        """Answer through the payload's response_url: replace the clicked message, or show
        an ephemeral message to the actor. False when the payload has no response_url."""
        if not url:
            return False
        body = self._message(view)
        body.update(
            {"replace_original": True}
            if replace
            else {"response_type": "ephemeral", "replace_original": False}
        )
        status = await self.clients.respond(url, body)
        if status != 200:
            log.warning("Slack response_url answered %s", status)
        return True

    # -- buttons ---------------------------------------------------------------------------

    async def on_action(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        pressed: dict[str, Any] = (body.get("actions") or [{}])[0]
        surface = body.get("view") or {}
        if surface.get("type") == "home":
            await self._from_home(ack, body, client, pressed)
            return
        user = translate.user_of(body)
        person = await self.directory.person(translate.workspace_of(body), user)
        message = translate.clicked_message(body)
        event = translate.action(body, pressed, person)
        reply, late = await self._decide(event, translate.action_context(body, pressed, message))
        in_modal = surface.get("type") == "modal"
        if reply is not None and isinstance(reply.view, Form) and not in_modal:
            reply = await self._open_form(client, body.get("trigger_id"), reply.view)
        await ack()
        key = str(surface.get("id") or (message or {}).get("ts") or user)
        if late is not None or reply is not None:
            self.followups.after(key, partial(self._show, client, body, reply, late))

    async def _show(
        self,
        client: AsyncWebClient,
        body: dict[str, Any],
        reply: Reply | None,
        late: Pending | None,
    ) -> None:
        """Show the reply where the button was: the modal, the message, or ephemerally."""
        if late is not None:
            reply = await late
        if reply is None:
            return
        surface = body.get("view") or {}
        if surface.get("type") == "modal":
            title = str((surface.get("title") or {}).get("text") or "")
            await client.views_update(
                view_id=str(surface.get("id")), view=self._modal(reply.view, title)
            )
            return
        view = reply.view
        if isinstance(view, Form):
            view = Message(t("slack.form_expired", self.language), tone="warning")
        replace = reply.mode == "replace"
        if await self._respond(str(body.get("response_url") or ""), view, replace=replace):
            return
        message = translate.clicked_message(body)
        if replace and message is not None:
            await client.chat_update(**message, **self._message(view))
            return
        channel = (body.get("container") or {}).get("channel_id")
        user = translate.user_of(body)
        await client.chat_postEphemeral(channel=str(channel), user=user, **self._message(view))

    # -- modal submissions -----------------------------------------------------------------

    async def on_submission(
        self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient
    ) -> None:
        person = await self.directory.person(translate.workspace_of(body), translate.user_of(body))
        event = translate.submission(body, person)
        reply, late = await self._decide(event, translate.submission_context(body))
        submitted = body.get("view") or {}
        title = str((submitted.get("title") or {}).get("text") or "")
        if late is not None:
            working = Message(t("slack.working", self.language))
            await ack({"response_action": "update", "view": message_modal(working, title)})
            view_id = str(submitted.get("id"))
            self.followups.after(
                view_id, partial(self._late_submission, client, view_id, title, late)
            )
            return
        await ack(self._submission_answer(submitted, title, reply))

    def _submission_answer(
        self, submitted: dict[str, Any], title: str, reply: Reply | None
    ) -> dict[str, Any]:
        """update with the next form or the result; errors beside the inputs for a refusal."""
        if reply is None:
            return {"response_action": "clear"}
        view, block = reply.view, first_input(submitted)
        if (
            isinstance(view, Message)
            and view.tone in ("error", "warning")
            and reply.mode == "ephemeral"
            and block is not None
        ):
            return {"response_action": "errors", "errors": {block: clip(view.text, 2000)}}
        if isinstance(view, Form) and view.error and block is not None:
            return {"response_action": "errors", "errors": {block: clip(view.error, 2000)}}
        return {"response_action": "update", "view": self._modal(view, title)}

    async def _late_submission(
        self, client: AsyncWebClient, view_id: str, title: str, late: Pending
    ) -> None:
        reply = await late
        if reply is not None:
            await client.views_update(view_id=view_id, view=self._modal(reply.view, title))

    # -- App Home --------------------------------------------------------------------------

    async def on_home_opened(self, event: dict[str, Any], client: AsyncWebClient) -> None:
        if event.get("tab") == "home" and event.get("user"):
            user = str(event["user"])
            self.followups.after(f"home:{user}", partial(self._publish_home, client, user, None))

    async def _publish_home(self, client: AsyncWebClient, user: str, note: str | None) -> None:
        await client.views_publish(user_id=user, view=await home_view(self.runtime, user, note))

    async def _from_home(
        self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, pressed: dict[str, Any]
    ) -> None:
        """Continue from the Home tab: the member's prompt message moves on in place."""
        user = translate.user_of(body)
        data = translate.button_data(pressed.get("value"))
        ref = await prompt_ref(self.runtime, data.get("r"), user)
        name = translate.action_name(str(pressed.get("action_id") or ""))
        workspace = translate.workspace_of(body)
        event = Action(Person(translate.PLATFORM, user), name, data, None, workspace)
        reply, late = await self._decide(event, translate.action_context(body, pressed, ref))
        await ack()
        self.followups.after(
            f"home:{user}", partial(self._after_home, client, user, ref, reply, late)
        )

    async def _after_home(
        self,
        client: AsyncWebClient,
        user: str,
        ref: dict[str, Any] | None,
        reply: Reply | None,
        late: Pending | None,
    ) -> None:
        if late is not None:
            reply = await late
        note = None
        if reply is not None and reply.mode == "replace":
            message = self._message(reply.view)
            if ref is not None:
                await client.chat_update(channel=ref["channel"], ts=ref["ts"], **message)
            else:
                await client.chat_postMessage(channel=user, **message)
            note = t("slack.home.continued", self.language)
        elif reply is not None:
            note = fallback_text(reply.view)
        await self._publish_home(client, user, note)
