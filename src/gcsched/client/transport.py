"""In-process transports fail like sockets do.

Through ``httpx.ASGITransport`` an exception inside the app (the sandbox's
``drop`` fault cuts a response after its headers) reaches the client as that
app's own exception type. A served client sees the same event as a closed
connection (``httpx.RemoteProtocolError``). `SocketLikeTransport` maps the first
onto the second so retries, the breaker and the errors behave the same in
process and over the network.
"""

from __future__ import annotations

import httpx

__all__ = ["SocketLikeTransport"]


class SocketLikeTransport(httpx.AsyncBaseTransport):
    """Wraps an in-process transport; app exceptions become transport errors.

    Args:
        inner: the transport to wrap (e.g. ``httpx.ASGITransport``).
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send through the inner transport; an app crash is a dropped connection."""
        try:
            response = await self.inner.handle_async_request(request)
        except httpx.HTTPError:
            raise
        except Exception as exc:
            msg = f"the in-process API dropped the connection ({type(exc).__name__})"
            raise httpx.RemoteProtocolError(msg, request=request) from exc
        return response

    async def aclose(self) -> None:
        """Close the inner transport."""
        await self.inner.aclose()
