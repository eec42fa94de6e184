"""Core actions -> Slack Web API calls (the Gateway's `perform`)."""

from __future__ import annotations

import dataclasses
import logging
import secrets
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.markup import MentionMarkers
from adapters.retry import retried
from adapters.slack.blocks import (
    escape,
    kept_choice_blocks,
    message_args,
    message_blocks,
    modal_view,
    mrkdwn,
)
from adapters.slack.emoji import emoji_to_name
from adapters.slack.platform import SlackPlatform, api_error
from adapters.slack.post_once import PostLedger, find_keyed, server_error
from adapters.slack.translate import (
    OPEN_FORM_ACTION,
    ReplyTarget,
    message_ref,
    split_ref,
    user_of,
)
from bot.actions import (
    DM_CLOSED,
    Action,
    AddRole,
    Attachment,
    Choice,
    Delivery,
    Form,
    GroupDM,
    OpenForm,
    PostMessage,
    React,
    RemoveRole,
    Reply,
    SendDM,
    Style,
    UpdateMessage,
)
from bot.clock import Clock
from bot.i18n import Translator

log = logging.getLogger("plein.slack.out")

DM_REFUSED = {
    "cannot_dm_bot",
    "user_disabled",
    "user_not_found",
    "account_inactive",
    "not_allowed",
    "restricted_action",
    "messages_tab_disabled",
    "user_not_visible",
}
NOT_IN_CHANNEL = {"not_in_channel", "channel_not_found"}
REMEMBER = 5000


def rate_limited(exc: Exception) -> bool:
    """Refused before anything was posted."""
    return isinstance(exc, SlackApiError) and api_error(exc) == "ratelimited"


def transient(exc: Exception) -> bool:
    """Worth another try later: a rate limit, or a server error (a post it may have made is
    looked up before posting again: adapters/slack/post_once.py)."""
    return rate_limited(exc) or server_error(exc)


class Outgoing:
    def __init__(self, platform: SlackPlatform, t: Translator) -> None:
        self.platform = platform
        self.t = t
        self.targets: OrderedDict[str, ReplyTarget] = OrderedDict()
        self.forms: OrderedDict[str, tuple[Form, str | None]] = OrderedDict()
        self._buttons: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
        self.rewrite: Callable[[str], str] = lambda text: text
        """Set by the adapter once the commands are known ('/poll' -> '/plein poll')."""
        self.markers = MentionMarkers()
        """The adapter's `mention()` hands these out; `render` turns them into <@U..>."""
        self.ledger = PostLedger()

    def render(self, text: str) -> str:
        """Core text -> mrkdwn: everything escaped, then Plein's own mentions written in."""
        return self.markers.render(
            self.rewrite(text),
            user=lambda user: f"<@{user}>",
            channel=lambda channel: f"<#{channel}>",
            escape=escape,
        ).text

    def plain(self, text: str) -> str:
        """Core text -> a plain_text object's text (never parsed by Slack)."""
        names = self.platform.names()
        return self.markers.render(
            text,
            user=lambda user: f"@{names.get(user) or user}",
            channel=lambda channel: f"#{self.platform.by_id.get(channel, channel)}",
        ).text

    def args(self, text: str, choices: Sequence[Choice] = ()) -> dict[str, Any]:
        return message_args(self.render(text), self._labels(choices))

    def _labels(self, choices: Sequence[Choice]) -> tuple[Choice, ...]:
        return tuple(dataclasses.replace(c, label=self.plain(c.label)) for c in choices)

    @property
    def client(self):  # noqa: ANN201
        return self.platform.client

    def remember_target(self, interaction: str, target: ReplyTarget) -> None:
        _remember(self.targets, interaction, target)

    async def perform(self, action: Action, *, clock: Clock | None = None) -> Delivery:
        """With a clock, a `ratelimited` that outlasts slack_sdk's two retries is tried again
        later (adapters/retry.py); without one (interaction answers), it is not."""
        try:
            what = type(action).__name__
            return await retried(clock, what, lambda: self._perform(action), transient)
        except SlackApiError as err:
            reason = api_error(err)
            log.warning("%s failed: %s", type(action).__name__, reason)
            return Delivery(ok=False, reason=reason)

    async def _perform(self, action: Action) -> Delivery:
        if isinstance(action, PostMessage):
            return await self._post_message(action)
        if isinstance(action, SendDM):
            return await self._send_dm(action)
        if isinstance(action, GroupDM):
            return await self._group_dm(action)
        if isinstance(action, Reply):
            return await self._reply(action)
        if isinstance(action, UpdateMessage):
            return await self._update_now(action)
        if isinstance(action, OpenForm):
            return await self._open_form(action)
        if isinstance(action, React):
            return await self._react(action)
        if isinstance(action, AddRole | RemoveRole):
            # Slack has no roles. Documented in the README; the core treats roles as optional.
            log.debug("roles are not supported on Slack (%s %s)", action.role, action.member)
            return Delivery(ok=True, reason="unsupported")
        return Delivery(ok=False, reason="unsupported")

    # ---- messages -------------------------------------------------------------------------

    async def post(
        self,
        channel_id: str,
        text: str,
        choices: tuple[Choice, ...] = (),
        *,
        thread_ts: str | None = None,
        files: tuple[Attachment, ...] = (),
        key: str | None = None,
    ) -> str:
        args = self.args(text, choices)
        content = self.ledger.content(channel_id, thread_ts, args)
        ts = await self.ledger.earlier_try(self.client, content)
        if ts is None:
            key = key or self.ledger.new_key()
            try:
                response = await self.client.chat_postMessage(
                    channel=channel_id,
                    thread_ts=thread_ts,
                    unfurl_links=False,
                    metadata=self.ledger.metadata(key),
                    **args,
                )
            except Exception as error:
                if server_error(error):
                    self.ledger.unsure(content, key)
                raise
            channel_id, ts = response["channel"], response["ts"]
        else:
            log.info("a post answered by a server error had gone through; not posting it again")
        ref = message_ref(channel_id, ts)
        _remember(self._buttons, ref, kept_choice_blocks(args["blocks"]))
        if files:
            await self._upload(channel_id, files, thread_ts)
        return ref

    async def _post_message(self, action: PostMessage) -> Delivery:
        thread_ts = None
        if action.thread_of:
            channel_id, thread_ts = split_ref(action.thread_of)
        else:
            found = await self.platform.channel_id(action.channel)
            if found is None:
                log.warning("unknown Slack channel %r (add it to [slack].channels)", action.channel)
                return Delivery(ok=False, reason="unknown_channel")
            channel_id = found
        name = self.platform.by_id.get(channel_id, action.channel)
        if action.key is not None and action.look_first:
            ts = await find_keyed(self.client, channel_id, thread_ts, action.key)
            if ts is not None:  # posted by a process that died before it could say so
                log.info("post %s was already made; not posting it again", action.key)
                ref = message_ref(channel_id, ts)
                return Delivery(
                    ref=ref, channel=name, thread_ref=ref if action.open_thread else None
                )
        ref = await self.post(
            channel_id,
            action.text,
            action.choices,
            thread_ts=thread_ts,
            files=action.files,
            key=action.key,
        )
        return Delivery(ref=ref, channel=name, thread_ref=ref if action.open_thread else None)

    async def _group_dm(self, action: GroupDM) -> Delivery:
        """A multi-person DM: conversations.open with the users (2 to 8 besides Plein)."""
        users = [user_of(m) for m in action.members]
        try:
            response = await self.client.conversations_open(users=",".join(users))
        except SlackApiError as err:
            if api_error(err) in DM_REFUSED:
                return Delivery(ok=False, reason=DM_CLOSED)
            raise
        channel_id = response["channel"]["id"]
        ref = await self.post(channel_id, action.text, action.choices)
        return Delivery(ref=ref, channel=channel_id)

    async def _send_dm(self, action: SendDM) -> Delivery:
        return await self.dm(
            user_of(action.member),
            action.text,
            action.choices,
            action.files,
            key=action.key,
            look_first=action.look_first,
        )

    async def dm(
        self,
        user: str,
        text: str,
        choices: tuple[Choice, ...] = (),
        files: tuple[Attachment, ...] = (),
        *,
        key: str | None = None,
        look_first: bool = False,
    ) -> Delivery:
        """`key`/`look_first` as for a PostMessage: a takeover finds the DM a dead process sent."""
        try:
            channel_id = await self.platform.dm_channel(user)
            if key is not None and look_first:
                ts = await find_keyed(self.client, channel_id, None, key)
                if ts is not None:
                    log.info("DM %s was already sent; not sending it again", key)
                    return Delivery(ref=message_ref(channel_id, ts))
            ref = await self.post(channel_id, text, choices, files=files, key=key)
        except SlackApiError as err:
            if api_error(err) in DM_REFUSED:
                return Delivery(ok=False, reason=DM_CLOSED)
            raise
        return Delivery(ref=ref)

    async def _reply(self, action: Reply) -> Delivery:
        target = self.targets.get(action.interaction)
        if target is None:
            return Delivery(ok=False, reason="unknown_interaction")
        if not action.ephemeral and target.channel_id:
            try:
                ref = await self.post(
                    target.channel_id, action.text, action.choices, files=action.files
                )
            except SlackApiError as err:
                # A private channel Plein was not invited to: the command's response_url can
                # still answer there, visibly to everyone.
                if api_error(err) not in NOT_IN_CHANNEL or not target.response_url:
                    raise
                if await self._respond(target.response_url, action, in_channel=True):
                    return Delivery()
                raise
            return Delivery(ref=ref, channel=self.platform.by_id.get(target.channel_id))
        if not action.ephemeral or action.files or not target.channel_id:
            return await self.dm(target.user, action.text, action.choices, action.files)
        if target.response_url and await self._respond(target.response_url, action):
            return Delivery()
        response = await self.client.chat_postEphemeral(
            channel=target.channel_id, user=target.user, **self.args(action.text, action.choices)
        )
        return Delivery(ref=message_ref(target.channel_id, response.get("message_ts", "")))

    async def _respond(self, url: str, action: Reply, *, in_channel: bool = False) -> bool:
        """Ephemeral answers through the interaction's response_url: they work in channels the
        bot is not in and in DMs, where chat.postEphemeral may not."""
        session = self.platform.client.session  # the adapter's kept-alive connections
        response = await AsyncWebhookClient(url, session=session).send(
            response_type="in_channel" if in_channel else "ephemeral",
            replace_original=False,
            **self.args(action.text, action.choices),
        )
        if response.status_code != 200:
            log.info("response_url answered %s; using chat.postEphemeral", response.status_code)
            return False
        return True

    async def _update_now(self, action: UpdateMessage) -> Delivery:
        channel, ts = split_ref(action.ref)
        try:
            text = self.render(action.text)
            if action.choices is not None:
                blocks = message_blocks(text, self._labels(action.choices))
                _remember(self._buttons, action.ref, kept_choice_blocks(blocks))
            else:
                blocks = message_blocks(text)
                blocks += await self._existing_buttons(channel, ts)
            await self.client.chat_update(channel=channel, ts=ts, text=mrkdwn(text), blocks=blocks)
        except SlackApiError as err:
            return Delivery(ok=False, reason=api_error(err))
        return Delivery(ref=action.ref)

    async def _existing_buttons(self, channel: str, ts: str) -> list[dict[str, Any]]:
        ref = message_ref(channel, ts)
        if ref in self._buttons:
            return self._buttons[ref]
        # After a restart: read the message back so an edit keeps its buttons.
        response = await self.client.conversations_history(
            channel=channel, latest=ts, inclusive=True, limit=1
        )
        for message in response.get("messages") or []:
            if message.get("ts") == ts:
                return kept_choice_blocks(message.get("blocks") or [])
        return []

    async def _upload(
        self, channel_id: str, files: tuple[Attachment, ...], thread_ts: str | None
    ) -> None:
        await self.client.files_upload_v2(
            file_uploads=[
                {"content": f.data, "filename": f.filename, "title": f.description or f.filename}
                for f in files
            ],
            channel=channel_id,
            thread_ts=thread_ts,
        )

    async def _react(self, action: React) -> Delivery:
        channel, ts = split_ref(action.ref)
        try:
            await self.client.reactions_add(
                channel=channel, timestamp=ts, name=emoji_to_name(action.emoji)
            )
        except SlackApiError as err:
            if api_error(err) != "already_reacted":
                raise
        return Delivery()

    # ---- modals ---------------------------------------------------------------------------

    async def _open_form(self, action: OpenForm) -> Delivery:
        target = self.targets.get(action.interaction)
        channel = target.channel_id if target else None
        if target is not None and target.trigger_id:
            try:
                await self.open_view(target.trigger_id, action.form, channel)
                return Delivery()
            except SlackApiError as err:
                log.info("views.open failed (%s); offering a button instead", api_error(err))
        # No (fresh) trigger: a button in DM opens the form with the trigger of that click.
        key = secrets.token_hex(8)
        _remember(self.forms, key, (action.form, channel))
        text = self.t("slack.form.fallback", title=action.form.title)
        button = Choice(
            id=f"{OPEN_FORM_ACTION}:{key}",
            label=self.t("slack.form.open_button"),
            style=Style.PRIMARY,
        )
        delivery = await self.dm(user_of(action.member), text, (button,))
        return Delivery(ok=delivery.ok, ref=delivery.ref, reason=delivery.reason)

    async def open_view(self, trigger_id: str, form: Form, channel: str | None) -> None:
        fields = tuple(
            dataclasses.replace(f, label=self.plain(f.label), placeholder=self.plain(f.placeholder))
            for f in form.fields
        )
        view = modal_view(
            dataclasses.replace(form, title=self.plain(form.title), fields=fields),
            submit=self.t("slack.form.submit"),
            close=self.t("slack.form.cancel"),
            channel_id=channel,
        )
        await self.client.views_open(trigger_id=trigger_id, view=view)


def _remember(table: OrderedDict[str, Any], key: str, value: Any) -> None:
    table[key] = value
    table.move_to_end(key)
    while len(table) > REMEMBER:
        table.popitem(last=False)
