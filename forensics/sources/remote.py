"""Sources that are not on this machine: S3 buckets (through s3fs) and web
folders served as directory listings (through fsspec's HTTP filesystem).

The listing is lazy and paginated: S3 is listed a page (1,000 keys) at a
time, a web folder one folder page at a time. Each batch of objects is then
fetched concurrently: a small object whole (`SMALL_OBJECT`; its
bytes ride in its ref, one request where a sniff and a read would be two),
a bigger one only its first bytes, to tell an archive from the rest.
Nothing is written to disk: an object's ref carries a `RemoteObject` (no
local path), and the worker reads a bigger object itself, into memory up to
`Limits.spool_bytes` and through a seekable ranged stream above that, so
a Dask worker on another machine needs only the package and credentials.
Archives are walked here, in the scanning process, like local ones
(`walk.py`), from the object's bytes.

The listing is what the tool records of an object (ETag, version id,
LastModified, storage class, owner); the bytes hashed are checked against
it (the version listed is the version read; a single-part ETag is the MD5
of the bytes). Credentials are never part of a ref or of the case: each
process takes them from its own environment (`AWS_ACCESS_KEY_ID`,
`AWS_PROFILE`, `AWS_ENDPOINT_URL`...), as botocore does.

Why not `fs.find()`: it lists the whole bucket into memory before the first
object is read; `_iterdir` of s3fs is an async generator of pages, driven
here a page at a time. Why not `fs.cat_file()` in the worker: the GET
response also says which version was read, which `cat_file` drops.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import io
import posixpath
import re
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from ..records import FileRef, RemoteObject
from .exchange import said_fields
from .kinds import archive_kind, archive_kind_in
from .limits import Budget, KiB, Limits, Reading
from .names import escape_name
from .walk import Reuse, walk_archive

HEAD = 512  # bytes fetched of a bigger object to tell an archive (kinds.archive_kind)
_CONCURRENCY = 32  # requests in flight while listing


def is_remote(source: object) -> bool:
    """Whether `source` names a remote source (`s3://`, `http://`, `https://`)."""
    return isinstance(source, str) and re.match(r"^(s3|https?)://", source) is not None


def normalise(source: str) -> str:
    """The source url as the case records it: no trailing slash for S3, one
    for a web folder (whose listing page is the folder's url)."""
    scheme, rest = source.split("://", 1)
    if scheme == "s3":
        return f"s3://{rest.strip('/')}"
    return f"{scheme}://{rest.rstrip('/')}/"


def options_for(
    source: str,
    endpoint_url: str | None = None,
    profile: str | None = None,
    region: str | None = None,
    anon: bool = False,
) -> tuple[tuple[str, Any], ...]:
    """The filesystem options a scan's flags give (sorted, hashable): for S3
    the endpoint, profile, region and anonymous access; a web folder takes
    none. Whatever is not given comes from the environment, as botocore
    reads it."""
    if not source.startswith("s3://"):
        return ()
    opts: dict[str, Any] = {}
    if endpoint_url:
        opts["endpoint_url"] = endpoint_url
    if profile:
        opts["profile"] = profile
    if region:
        opts["region"] = region
    if anon:
        opts["anon"] = True
    return tuple(sorted(opts.items()))


def filesystem(protocol: str, options: tuple[tuple[str, Any], ...] = ()) -> Any:
    """The fsspec filesystem for `protocol` (fsspec caches one per process
    and options, and makes a new one after a fork)."""
    import fsspec

    kw = dict(options)
    if protocol == "s3":
        region = kw.pop("region", None)
        if region:
            kw["client_kwargs"] = {"region_name": region}
        # listings are read fresh on every scan: a cached one would hide a change
        return fsspec.filesystem("s3", use_listings_cache=False, **kw)
    return fsspec.filesystem(protocol, use_listings_cache=False, simple_links=True, **kw)


def _run(fs: Any, coro: Any) -> Any:
    from fsspec.asyn import sync

    return sync(fs.loop, lambda: coro)


def _iso(value: Any) -> str | None:
    """A listing's time as ISO 8601 UTC: S3 gives datetimes, HTTP an RFC 1123
    date (`Last-Modified`)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        when = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return when.astimezone(dt.UTC).isoformat()
    try:
        return email.utils.parsedate_to_datetime(str(value)).astimezone(dt.UTC).isoformat()
    except (TypeError, ValueError):
        return None


def _url_of(relative: str) -> str:
    """An object's url in the case, from its key below the source: each part
    escaped as local names are (a part ending in `!` gets `%21`), so `!/`
    still only means "inside this archive"."""
    return "/".join(escape_name(part)[0] for part in relative.split("/"))


# ---------------------------------------------------------------- listing


# what a web folder's listing pages are handed to, as they are read (a
# preserved web folder's WARC records: warc.py): url, body, what the server said
OnPage = Callable[[str, bytes, dict[str, Any]], None]


def list_objects(
    source: str, options: tuple[tuple[str, Any], ...] = (), on_page: OnPage | None = None
) -> Iterator[RemoteObject]:
    """Every object of the source, lazily, a page at a time."""
    source = normalise(source)
    if source.startswith("s3://"):
        yield from _s3_objects(source, options)
    else:
        yield from _http_objects(source, options, on_page)


def _s3_objects(source: str, options: tuple[tuple[str, Any], ...]) -> Iterator[RemoteObject]:
    fs = filesystem("s3", options)
    bucket, _, prefix = source[len("s3://") :].partition("/")
    versioned = _versioned(fs, bucket)
    listed = 0
    for page in _s3_pages(fs, bucket, f"{prefix}/" if prefix else "", versioned):
        for item in page:
            listed += 1
            yield _s3_object(bucket, item["Key"], item, options, versioned)
    if not listed and prefix:  # not a folder: maybe one object
        try:
            info = _run(fs, fs._call_s3("head_object", Bucket=bucket, Key=prefix))
        except FileNotFoundError:
            return
        yield _s3_object(bucket, prefix, {**info, "Size": info["ContentLength"]}, options, True)


def _s3_object(
    bucket: str,
    key: str,
    item: dict[str, Any],
    options: tuple[tuple[str, Any], ...],
    versioned: bool,
) -> RemoteObject:
    """An object from its listing entry (or its HEAD response)."""
    owner = item.get("Owner") or {}
    return RemoteObject(
        protocol="s3",
        path=f"{bucket}/{key}",
        options=options,
        size=int(item["Size"]),
        etag=str(item.get("ETag") or "").strip('"') or None,
        version_id=item.get("VersionId") if versioned else None,
        last_modified=_iso(item.get("LastModified")),
        storage_class=item.get("StorageClass"),
        owner=owner.get("DisplayName") or owner.get("ID"),
    )


def _versioned(fs: Any, bucket: str) -> bool:
    """Whether the bucket keeps versions (then the listing gives each
    object's version id, and that version is the one read). A bucket whose
    versioning we may not read is listed without."""
    try:
        out = _run(fs, fs._call_s3("get_bucket_versioning", Bucket=bucket))
    except (PermissionError, OSError):
        return False
    return out.get("Status") in ("Enabled", "Suspended")


def _s3_pages(fs: Any, bucket: str, prefix: str, versioned: bool) -> Iterator[list[dict[str, Any]]]:
    """The listing, page by page (S3 pages hold up to 1,000 keys): only the
    current version of each key, never a key whose latest is a delete mark."""
    token: dict[str, str] = {}
    while True:
        if versioned:
            page = _run(
                fs, fs._call_s3("list_object_versions", Bucket=bucket, Prefix=prefix, **token)
            )
            items = [v for v in page.get("Versions", []) if v.get("IsLatest")]
            more = page.get("IsTruncated")
            token = {"KeyMarker": page.get("NextKeyMarker", "")}
            if page.get("NextVersionIdMarker"):
                token["VersionIdMarker"] = page["NextVersionIdMarker"]
        else:
            page = _run(
                fs,
                fs._call_s3(
                    "list_objects_v2", Bucket=bucket, Prefix=prefix, FetchOwner=True, **token
                ),
            )
            items = page.get("Contents", [])
            more = page.get("IsTruncated")
            token = {"ContinuationToken": page.get("NextContinuationToken", "")}
        yield items
        if not more:
            return


def _http_objects(
    source: str, options: tuple[tuple[str, Any], ...], on_page: OnPage | None = None
) -> Iterator[RemoteObject]:
    """A web folder, walked as its listing pages link it (fsspec's HTTP
    filesystem reads the links of each page), folder by folder in sorted
    order; each file's size, ETag and Last-Modified come from a HEAD.
    `on_page` gets each listing page's bytes (read once more, as a GET)."""
    protocol = source.split("://", 1)[0]
    fs = filesystem(protocol, options)
    folders = [source]
    while folders:
        here = folders.pop(0)
        links = sorted(_run(fs, fs._ls(here, detail=False)))
        if on_page is not None:
            page = RemoteObject(protocol=protocol, path=here, options=options)
            with contextlib.suppress(Exception):  # the listing was read: its copy is a bonus
                on_page(here, *_run(fs, _http_get(fs, page, None)))
        files: list[str] = []
        subfolders: list[str] = []
        for link in links:
            if not link.startswith(source) or link.rstrip("/") == here.rstrip("/"):
                continue  # a link out of the folder (a parent, another site) is not its file
            (subfolders if link.endswith("/") else files).append(link)
        for batch_start in range(0, len(files), 256):
            batch = files[batch_start : batch_start + 256]
            infos = _run(fs, _gather([_http_info(fs, u) for u in batch]))
            for url, info in zip(batch, infos, strict=True):
                yield RemoteObject(
                    protocol=protocol,
                    path=url,
                    options=options,
                    size=info.get("size"),
                    etag=(str(info["ETag"]).strip('"') if info.get("ETag") else None),
                    last_modified=_iso(info.get("Last-Modified")),
                )
        folders[:0] = subfolders


async def _gather(coros: list[Any]) -> list[Any]:
    import asyncio  # here: a local scan does not pay its import

    gate = asyncio.Semaphore(_CONCURRENCY)

    async def one(coro: Any) -> Any:
        async with gate:
            return await coro

    return list(await asyncio.gather(*(one(c) for c in coros)))


async def _http_info(fs: Any, url: str) -> dict[str, Any]:
    try:
        return dict(await fs._info(url))
    except (OSError, ValueError) as exc:
        return {"error": str(exc)}


def relative_url(source: str, obj: RemoteObject) -> str:
    """The object's url in the case: its key (or path) below the source."""
    source = normalise(source)
    if obj.protocol == "s3":
        root = source[len("s3://") :]
        key = obj.path[len(root) :].lstrip("/") if obj.path.startswith(root + "/") else obj.path
        if obj.path == root:  # a single object as the source
            key = posixpath.basename(root)
        return _url_of(key)
    rel = obj.path[len(source) :] if obj.path.startswith(source) else obj.path.rsplit("/", 1)[-1]
    return _url_of(urllib.parse.unquote(rel))


# ---------------------------------------------------------------- reading


async def _s3_get(fs: Any, obj: RemoteObject, head: int | None) -> tuple[bytes, dict[str, Any]]:
    bucket, _, key = obj.path.partition("/")
    kw: dict[str, Any] = {"Bucket": bucket, "Key": key}
    if obj.version_id:
        kw["VersionId"] = obj.version_id
    if head is not None:
        kw["Range"] = f"bytes=0-{head - 1}"
    resp = await fs._call_s3("get_object", **kw)
    body = resp.pop("Body")
    try:
        data = await body.read()
    finally:
        body.close()
    return data, resp


async def _http_get(fs: Any, obj: RemoteObject, head: int | None) -> tuple[bytes, dict[str, Any]]:
    session = await fs.set_session()
    async with session.get(fs.encode_url(obj.path), **fs.kwargs) as r:
        fs._raise_not_found_for_status(r, obj.path)
        if head is None:
            data = await r.read()
        else:  # a read may return less than asked before the end of the body
            data = b""
            while len(data) < head and (chunk := await r.content.read(head - len(data))):
                data += chunk
        # what the server said, whole (its status and every header): a preserved
        # object's WARC response record is written from it (warc.py)
        said: dict[str, Any] = dict(r.headers.items())
        said["status"], said["reason"] = r.status, r.reason or ""
        said["headers"] = list(r.headers.items())
        return data, said


def fetch(obj: RemoteObject) -> tuple[bytes, dict[str, Any]]:
    """The object's bytes and what the server said of them (S3: VersionId,
    ETag, LastModified; HTTP: ETag, Last-Modified)."""
    fs = filesystem(obj.protocol, obj.options)
    getter = _s3_get if obj.protocol == "s3" else _http_get
    data, response = _run(fs, getter(fs, obj, None))
    return data, response


def fetch_many(objects: list[RemoteObject], heads: list[int | None]) -> list[bytes | OSError]:
    """Each object's bytes, or only its first `heads[i]` bytes where that is
    not None, fetched concurrently; a failure is an OSError in its place."""
    return [got if isinstance(got, OSError) else got[0] for got in fetch_said(objects, heads)]


def fetch_said(
    objects: list[RemoteObject], heads: list[int | None]
) -> list[tuple[bytes, dict[str, Any]] | OSError]:
    """`fetch_many`, with what the server said of each object beside its bytes."""
    if not objects:
        return []
    fs = filesystem(objects[0].protocol, objects[0].options)
    getter = _s3_get if objects[0].protocol == "s3" else _http_get

    async def one(obj: RemoteObject, head: int | None) -> tuple[bytes, dict[str, Any]] | OSError:
        if obj.size == 0:
            return b"", {}
        try:
            return await getter(fs, obj, head)
        except Exception as exc:  # botocore's and aiohttp's errors are not OSErrors
            return RemoteUnreadable(f"{type(exc).__name__}: {exc}")

    return list(_run(fs, _gather([one(o, h) for o, h in zip(objects, heads, strict=True)])))


class RemoteStream(io.BytesIO):
    """An object's bytes in memory, with what the server said as it sent
    them (`response`), for the worker's check against the listing."""

    def __init__(self, data: bytes, response: dict[str, Any]) -> None:
        super().__init__(data)
        self.response = response


class RemoteUnreadable(OSError):
    """The object could not be read (the server refused, the network failed)."""


def open_object(obj: RemoteObject, in_memory: int) -> BinaryIO:
    """A seekable stream over the object: its bytes in memory up to
    `in_memory` bytes, else a ranged, block-cached reader. Whatever fails
    is a `RemoteUnreadable` (an OSError, like a local file's failures)."""
    try:
        return _open_object(obj, in_memory)
    except OSError:
        raise
    except Exception as exc:  # botocore's and aiohttp's errors are not OSErrors
        raise RemoteUnreadable(f"{type(exc).__name__}: {exc}") from exc


def _open_object(obj: RemoteObject, in_memory: int) -> BinaryIO:
    if obj.size is None or obj.size <= in_memory:
        data, response = fetch(obj)
        return RemoteStream(data, response)
    if obj.protocol == "s3" and obj.version_id:  # the version listed, not a newer one
        fs = filesystem("s3", (*obj.options, ("version_aware", True)))
        return fs.open(obj.path, "rb", version_id=obj.version_id)
    return filesystem(obj.protocol, obj.options).open(obj.path, "rb")


# ---------------------------------------------------------------- walking

REMOTE_BATCH = 64  # objects whose first bytes (or whole bytes, if small) are fetched at once

SMALL_OBJECT = 256 * KiB  # read whole while listing and carried in the ref; bigger: by the worker


def walk_remote(
    source: str,
    options: tuple[tuple[str, Any], ...],
    limits: Limits,
    budget: Budget,
    reuse: Reuse | None,
    on_page: OnPage | None = None,
) -> Iterator[FileRef]:
    """A remote source's objects, listed lazily, in batches fetched
    concurrently: a small object whole (its bytes ride in its ref, one
    request instead of a sniff and a read), a bigger one its first bytes,
    to tell an archive; an archive is then read (into memory, or as a
    ranged stream when bigger than `spool_bytes`) and walked like a local
    one. A bigger object's bytes are read by the worker."""
    batch: list[RemoteObject] = []
    for obj in list_objects(source, options, on_page):
        batch.append(obj)
        if len(batch) >= REMOTE_BATCH:
            yield from _remote_batch(source, batch, limits, budget, reuse)
            batch = []
    yield from _remote_batch(source, batch, limits, budget, reuse)


def _remote_batch(
    source: str, objects: list[RemoteObject], limits: Limits, budget: Budget, reuse: Reuse | None
) -> Iterator[FileRef]:
    to_read: list[tuple[str, RemoteObject]] = []
    for obj in objects:
        url = relative_url(source, obj)
        if obj.path.endswith("/"):  # a folder marker (a zero-byte key ending in /)
            yield FileRef(url=url.rstrip("/") or ".", path=None, kind="directory", remote=obj)
        elif (
            reuse is not None
            and obj.identity
            and obj.size is not None
            and reuse(url, (obj.size, obj.identity))
        ):
            yield FileRef(url=url, path=None, size=obj.size, remote=obj, reused=True)
        else:
            to_read.append((url, obj))
    # whole if known to be small; else (bigger, or of unknown size) its first bytes
    wanted = [None if o.size is not None and o.size <= SMALL_OBJECT else HEAD for _, o in to_read]
    got = fetch_said([o for _, o in to_read], wanted)
    for (url, obj), fetched, head in zip(to_read, got, wanted, strict=True):
        walk = Reading(limits, budget)
        payload = None
        said: dict[str, Any] = {}
        data: bytes | OSError = fetched if isinstance(fetched, OSError) else fetched[0]
        if isinstance(fetched, tuple) and head is None:
            said = fetched[1]
        if isinstance(data, OSError):
            walk.flag("unreadable", f"could not read the object: {data}", "error")
        else:
            payload = data if head is None else None
            kind = archive_kind(data[:512])
            if kind is None and payload is not None:  # fetched whole: an ISO can be told
                kind = archive_kind_in(io.BytesIO(payload))
            if kind:
                try:
                    with (
                        io.BytesIO(data)
                        if payload is not None
                        else open_object(obj, limits.spool_bytes)
                    ) as fh:
                        yield from walk_archive(fh, kind, url, (), obj.size or 0, walk)
                except OSError as exc:
                    walk.flag("unreadable", f"could not read the archive's members: {exc}", "error")
        yield FileRef(
            url=url,
            path=None,
            size=obj.size,
            remote=obj,
            flags=tuple(walk.flags),
            payload=payload,
            response=tuple(said_fields(said)),
        )
