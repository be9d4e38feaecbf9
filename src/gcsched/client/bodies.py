"""Answer bodies are read with a cap, counted after decompression.

Every answer the client receives (API, token endpoint, the 401 before a token
renewal) goes through `cap_bodies`, an httpx response hook. It decodes
``gzip``/``deflate`` itself, in bounded steps, and stops as soon as the decoded
body passes the limit: a 300 MB body or a 2 MB gzip bomb costs at most the limit
plus one step, not gigabytes. Other content encodings were not asked for
(`ACCEPT_ENCODING`) and are refused.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import httpx

from gcsched.errors import ApiError

__all__ = [
    "ACCEPT_ENCODING",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "ResponseTooLargeError",
    "cap_bodies",
]

DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
"""32 MiB: far above any Genesys answer (a page is 100 entities)."""

ACCEPT_ENCODING = "gzip, deflate"
_STEP = 256 * 1024  # decoded bytes produced per decompression step


class ResponseTooLargeError(ApiError):
    """An answer body passed the client's ``max_response_bytes``."""


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):g} MiB" if n >= 1024 * 1024 else f"{n} bytes"


class _Inflater:
    """Bounded-step gzip/deflate decoding (deflate: zlib-wrapped or raw)."""

    def __init__(self, encoding: str) -> None:
        self._deflate = encoding == "deflate"
        wbits = zlib.MAX_WBITS if self._deflate else zlib.MAX_WBITS | 16
        self._obj = zlib.decompressobj(wbits)
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        while True:
            try:
                out = self._obj.decompress(data, _STEP)
            except zlib.error:
                if not (self._deflate and not self._started):
                    raise
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate
                self._started = True
                continue
            self._started = True
            data = self._obj.unconsumed_tail
            if out:
                yield out
            if not data and len(out) < _STEP:
                return

    def flush(self) -> bytes:
        return self._obj.flush()


class _CappedStream(httpx.AsyncByteStream):
    def __init__(
        self,
        inner: httpx.AsyncByteStream,
        *,
        encoding: str,
        limit: int,
        request: httpx.Request,
    ) -> None:
        self._inner = inner
        self._method = request.method
        self._path = request.url.path
        where = f"{request.method} {request.url.path}"
        self._inflater = _Inflater(encoding) if encoding else None
        self._limit = limit
        self._where = where
        self._seen = 0

    def _count(self, piece: bytes) -> bytes:
        self._seen += len(piece)
        if self._seen > self._limit:
            msg = (
                f"{self._where}: the answer is larger than {_mib(self._limit)} "
                "(decoded); stopped reading it. No Genesys answer is that large: "
                "check that the API URL points at the Genesys API, or raise the "
                "client's max_response_bytes"
            )
            raise ResponseTooLargeError(msg, method=self._method, path=self._path)
        return piece

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._inner:
                if self._inflater is None:
                    yield self._count(chunk)
                    continue
                for piece in self._inflater.feed(chunk):
                    yield self._count(piece)
            if self._inflater is not None:
                tail = self._inflater.flush()
                if tail:
                    yield self._count(tail)
        except zlib.error:
            msg = f"{self._where}: the answer's compressed body is corrupt"
            raise ApiError(msg, method=self._method, path=self._path) from None

    async def aclose(self) -> None:
        await self._inner.aclose()


def _encoding(response: httpx.Response, request: httpx.Request) -> str:
    """The one content coding to undo ('' for none); refuses what was not asked."""
    names = [
        part.strip().lower()
        for part in response.headers.get("Content-Encoding", "").split(",")
    ]
    coded = [name for name in names if name and name != "identity"]
    if not coded:
        return ""
    if len(coded) == 1 and coded[0] in ("gzip", "x-gzip", "deflate"):
        return "deflate" if coded[0] == "deflate" else "gzip"
    where = f"{request.method} {request.url.path}"
    msg = (
        f"{where}: the answer uses Content-Encoding {', '.join(coded)!r}, "
        f"which gcsched did not ask for (it accepts {ACCEPT_ENCODING})"
    )
    raise ApiError(msg, method=request.method, path=request.url.path)


def cap_bodies(limit: int) -> Callable[[httpx.Response], Awaitable[None]]:
    """An httpx ``response`` event hook that caps every body at `limit` bytes.

    Args:
        limit: the most decoded bytes one answer may have.
    """

    async def hook(response: httpx.Response) -> None:
        request = response.request
        encoding = _encoding(response, request)
        stream = response.stream
        if not isinstance(stream, httpx.AsyncByteStream):  # pragma: no cover
            return
        response.stream = _CappedStream(
            stream, encoding=encoding, limit=limit, request=request
        )
        if encoding:
            del response.headers["Content-Encoding"]

    return hook
