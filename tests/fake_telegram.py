"""A small Telegram Bot API server for tests, answering with real Bot API JSON.

python-telegram-bot, unmodified, talks HTTP to it through ``base_url``. It records every call,
serves ``getUpdates`` from a queue (long polling, shortened), and can be told to fail a method
with a Bot API error such as 429 "retry after": the next call, every call while a condition
holds (flood control for 45 s of a test's clock), or every call to a chat (a blocked bot).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from aiohttp import web

BOT_ID = 7000001
BOT_USERNAME = "helpline_test_bot"
TOKEN = f"{BOT_ID}:TEST-token-for-the-fake-bot-api"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    result: Any = None


@dataclass
class FakeBotApi:
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _failures: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _rules: list[tuple[str, Callable[[dict[str, Any]], bool], dict[str, Any]]] = field(default_factory=list)
    _update_ids: Any = field(default_factory=lambda: itertools.count(100))
    _message_ids: Any = field(default_factory=lambda: itertools.count(5000))
    _new_update: asyncio.Event = field(default_factory=asyncio.Event)
    max_poll_seconds: float = 0.3
    runner: web.AppRunner | None = None
    port: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = self.runner.addresses[0][1]

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    # --- what tests use -------------------------------------------------------------------

    def message_update(self, chat_id: int, text: str, *, message_id: int | None = None,
                       first_name: str = "Sam", reply_to: int | None = None) -> dict[str, Any]:
        """A private-chat message update exactly as Telegram sends one."""
        user = {"id": chat_id, "is_bot": False, "first_name": first_name, "language_code": "en"}
        return {
            "update_id": next(self._update_ids),
            "message": {
                "message_id": message_id if message_id is not None else next(self._message_ids),
                "from": user,
                "chat": {"id": chat_id, "first_name": first_name, "type": "private"},
                "date": int(time.time()),
                "text": text,
                **({"reply_to_message": {"message_id": reply_to, "date": int(time.time()), "text": "…",
                                         "chat": {"id": chat_id, "type": "private"}}} if reply_to else {}),
            },
        }

    def button_update(self, chat_id: int, data: str, card: dict[str, Any] | None = None) -> dict[str, Any]:
        """A tap on an inline button, as Telegram sends it."""
        user = {"id": chat_id, "is_bot": False, "first_name": "Mentor"}
        message = card or {"message_id": next(self._message_ids), "date": int(time.time()),
                           "chat": {"id": chat_id, "type": "private"}, "text": "card"}
        return {"update_id": next(self._update_ids),
                "callback_query": {"id": str(next(self._update_ids)), "from": user, "message": message,
                                   "chat_instance": "1", "data": data}}

    def queue_update(self, update: dict[str, Any]) -> None:
        self._updates.append(update)
        self._new_update.set()

    def fail_next(self, method: str, code: int, description: str, retry_after: int | None = None) -> None:
        error: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if retry_after is not None:
            error["parameters"] = {"retry_after": retry_after}
        self._failures.setdefault(method, []).append(error)

    def fail_while(self, method: str, holds: Callable[[], bool], code: int, description: str,
                   retry_after: int | None = None) -> None:
        """Answer every call of ``method`` with this error as long as ``holds()`` is true."""
        error: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if retry_after is not None:
            error["parameters"] = {"retry_after": retry_after}
        self._rules.append((method, lambda params: holds(), error))

    def block(self, chat_id: int) -> None:
        """The user of this chat blocked the bot: every message to it is refused, for good."""
        error = {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
        self._rules.append(("sendMessage", lambda params: int(params.get("chat_id", 0)) == chat_id, error))

    def attempts_to(self, chat_id: int, method: str = "sendMessage") -> int:
        """Calls to a chat, refused or not."""
        return sum(1 for c in self.calls if c.method == method and int(c.params.get("chat_id", 0)) == chat_id)

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        return [c.params for c in self.calls if c.method == method]

    # --- the Bot API ----------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"},
                                     status=401)
        method = request.match_info["method"]
        params = await _params(request)
        self.calls.append(Call(method, params))
        failures = self._failures.get(method)
        if failures:
            error = failures.pop(0)
            return web.json_response(error, status=error["error_code"])
        for rule_method, applies, error in self._rules:
            if rule_method == method and applies(params):
                return web.json_response(error, status=error["error_code"])
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"},
                                     status=404)
        result = await handler(params)
        self.calls[-1].result = result
        return web.json_response({"ok": True, "result": result})

    async def _api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._bot_user() | {"can_join_groups": False, "can_read_all_group_messages": False,
                                   "supports_inline_queries": False, "can_connect_to_business": False,
                                   "has_main_web_app": False}

    async def _api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset", 0) or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates:
            self._new_update.clear()
            wait = min(float(params.get("timeout", 0) or 0), self.max_poll_seconds)
            try:
                await asyncio.wait_for(self._new_update.wait(), timeout=wait)
            except TimeoutError:
                pass
        return [u for u in self._updates if u["update_id"] >= offset]

    async def _api_setWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}

    async def _api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params)

    async def _api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params, message_id=int(params["message_id"]))

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._message(params, message_id=int(params["message_id"]), text="")

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_sendChatAction(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> bool:
        return True

    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Helpline", "username": BOT_USERNAME}

    def delivered_to(self, chat_id: int) -> list[tuple[str, int]]:
        """(text, message id) of every message the bot sent to a chat."""
        return [(c.params.get("text", ""), c.result["message_id"]) for c in self.calls
                if c.method == "sendMessage" and c.result and int(c.params["chat_id"]) == chat_id]

    def cards_to(self, chat_id: int) -> list[dict[str, Any]]:
        """Messages with buttons sent to a chat: alert cards."""
        return [p for p in self.sent() if int(p["chat_id"]) == chat_id and p.get("reply_markup")]

    def _message(self, params: dict[str, Any], message_id: int | None = None,
                 text: str | None = None) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message: dict[str, Any] = {
            "message_id": message_id if message_id is not None else next(self._message_ids),
            "from": self._bot_user(),
            "chat": {"id": chat_id, "type": "private", "first_name": "Sam"},
            "date": int(time.time()),
            "text": params.get("text", "") if text is None else text,
        }
        if (params.get("reply_markup") or {}).get("inline_keyboard"):  # Telegram leaves out an empty keyboard
            message["reply_markup"] = params["reply_markup"]
        return message


async def _params(request: web.Request) -> dict[str, Any]:
    """PTB posts form fields whose non-string values are JSON; accept JSON bodies too."""
    if request.content_type == "application/json":
        return dict(await request.json())
    form = await request.post()
    params: dict[str, Any] = {}
    for key, value in form.items():
        if isinstance(value, str):
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
    return params
