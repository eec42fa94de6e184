"""Counting Slack's 429s: a retry handler that never retries, consulted first for every answer.

slack_sdk offers no hook on responses, but asks its retry handlers about each one in turn; this
one only counts a 429 and passes, so the handler after it (or the caller) still deals with it.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState


class RateLimitCounter(AsyncRetryHandler):
    def __init__(self, counted: Callable[[], None]) -> None:
        super().__init__(max_retry_count=0)
        self.counted = counted

    async def can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is not None and response.status_code == 429:
            self.counted()
        return False
