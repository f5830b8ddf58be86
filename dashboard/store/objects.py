"""Where snapshots are kept: a local folder, or an S3-compatible bucket (MinIO, OSS, OBS, S3).

Both stores hold the same keys under their root: `CURRENT` and `snapshots/<id>/<file>`.  The
snapshot code (snapshot.py) sees one small interface:

    pointer(max_age)      CURRENT's bytes and a version tag (a bucket's ETag)
    put_if(key, data, tag)  a conditional single-object write: refused (Conflict) unless the object
                          still has `tag` (None: unless it is absent) — If-Match / If-None-Match: *
    read(key)             an object's bytes, or None
    ids()                 the published snapshot ids
    install(sid, folder, files)   make a locally built snapshot folder part of the store
    fetch(sid, name, sha) a verified local copy of one file (a bucket's read-through cache)
    check(sid, name, sha) the stored object itself against its checksum
    discard(sid) / stale(min_age)  remove a snapshot / the leftovers of killed publishes
    local, snapshot_dir(sid)  this machine's folder (builds, locks) and where DuckDB reads a snapshot

A bucket's files are immutable, so every app process downloads a snapshot's files once into a
local cache (verified against the manifest's sha256) and DuckDB reads those local files in its
locked sandbox exactly as with a folder.  Credentials come only from the standard AWS variables
(boto3 reads them itself); they are never put into a key, a message or a log.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import re
import secrets
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..core import config

SNAPSHOTS = "snapshots"
MANIFEST = "manifest.json"


class SnapshotError(RuntimeError):
    """A snapshot is missing, incomplete or fails its checksums, or its store cannot be used."""


class StoreError(SnapshotError):
    """The store could not be read or written; the message is in Chinese and safe to show."""


class Conflict(StoreError):
    """A conditional write was refused: the object changed since it was read."""


@dataclass(frozen=True)
class Tagged:
    """An object's bytes (None: absent) and its version tag (None: absent)."""

    data: bytes | None
    tag: str | None


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def conflict_message(label: str) -> str:
    """The refusal of a conditional CURRENT write, in Chinese."""
    return (f"发布被拒绝：本次发布开始后，另一个发布者已更新 {label} 的当前快照指针 CURRENT。"
            "为免覆盖对方的更新，本次未切换当前快照，线上数据保持不变。请重新运行导入（将基于最新快照）。")


class FolderStore:
    """A data dir on the local filesystem (the default)."""

    def __init__(self, path: Path):
        self.path = self.local = Path(path)
        self.label = str(self.path)

    def pointer(self, max_age: float = 0.0) -> Tagged:
        """CURRENT now (a folder is cheap to read: max_age is not needed)."""
        return self._tagged("CURRENT")

    def _tagged(self, key: str) -> Tagged:
        p = self.path / key
        try:
            st, data = p.stat(), p.read_bytes()
        except FileNotFoundError:
            return Tagged(None, None)
        return Tagged(data, f"{st.st_ino}-{st.st_mtime_ns}-{hashlib.sha256(data).hexdigest()}")

    def put_if(self, key: str, data: bytes, tag: str | None) -> None:
        """Replace `key` atomically (temp file + os.replace) if it still has `tag`."""
        with open(self.path / f".{key}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if self._tagged(key).tag != tag:
                raise Conflict(conflict_message(self.label))
            tmp = self.path / f".{key}.{secrets.token_hex(4)}"
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path / key)

    def read(self, key: str) -> bytes | None:
        """An object's bytes, None when absent."""
        try:
            return (self.path / key).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def ids(self) -> list[str]:
        """Snapshot folders (whole or not); building folders (dot names) are skipped."""
        base = self.path / SNAPSHOTS
        return sorted(p.name for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))

    def snapshot_dir(self, sid: str) -> Path:
        """The folder DuckDB reads a snapshot's files from."""
        return self.path / SNAPSHOTS / sid

    def install(self, sid: str, folder: Path, files: dict[str, dict], say=None) -> None:
        """A finished build folder becomes the snapshot: one rename on the same filesystem."""
        os.rename(folder, self.snapshot_dir(sid))

    def fetch(self, sid: str, name: str, sha: str) -> str | None:
        """The problem with a snapshot file (None: present and whole)."""
        return self.check(sid, name, sha)

    def check(self, sid: str, name: str, sha: str) -> str | None:
        """The problem with a snapshot file (None: present and whole)."""
        f = self.snapshot_dir(sid) / name
        if not f.is_file():
            return "file missing"
        return None if sha256_file(f) == sha else "sha256 differs"

    def discard(self, sid: str) -> None:
        """Remove a snapshot that never became live."""
        shutil.rmtree(self.snapshot_dir(sid), ignore_errors=True)

    def stale(self, min_age_s: float) -> list[str]:
        """Nothing beyond the local building folders (snapshot.clean_stale_builds removes those)."""
        return []


class BucketStore:
    """An S3-compatible bucket under a prefix, with a local read-through cache of its files."""

    def __init__(self, location: str):
        import boto3
        from botocore.config import Config

        bucket, _, prefix = location[len("s3://"):].partition("/")
        self.bucket, self.prefix = bucket, prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.label = f"s3://{bucket}/{self.prefix}"
        self.local = config.local_dir(location)
        style = os.environ.get("DASHBOARD_S3_ADDRESSING_STYLE", "path")
        self.client = boto3.session.Session().client("s3", config=Config(
            s3={"addressing_style": style}, retries={"max_attempts": 3, "mode": "standard"},
            connect_timeout=5, read_timeout=60))
        url = urlsplit(self.client.meta.endpoint_url)   # shown in messages: never a user:password@
        self.endpoint = f"{url.scheme}://{url.hostname}{f':{url.port}' if url.port else ''}{url.path}".rstrip("/")
        self._pointer: tuple[float, Tagged] | None = None
        self._manifests: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def _refusal(self, what: str, code: str, status: int | None) -> StoreError:
        """The Chinese error for a request the store refused (no credentials in any message)."""
        where = f"对象存储 {self.endpoint} 的存储桶 {self.bucket}"
        if code in ("PreconditionFailed", "ConditionalRequestConflict") or status in (409, 412):
            return Conflict(conflict_message(self.label))
        if code == "NoSuchBucket":
            return StoreError(f"{what}失败：存储桶 {self.bucket} 不存在（{self.endpoint}）。"
                              "请检查 DASHBOARD_DATA_DIR 中的桶名，或先创建该存储桶。")
        if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "InvalidToken",
                    "ExpiredToken") or status == 403:
            return StoreError(f"{what}失败：{where} 拒绝了访问凭据（{code or status}）。请检查 "
                              "AWS_ACCESS_KEY_ID、AWS_SECRET_ACCESS_KEY 及其权限。")
        return StoreError(f"{what}失败：{where} 返回错误 {code or status}。")

    @contextmanager
    def _errors(self, what: str):
        """Turn boto's errors into StoreError in Chinese."""
        from boto3.exceptions import S3UploadFailedError
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

        try:
            yield
        except ClientError as e:
            raise self._refusal(what, e.response.get("Error", {}).get("Code", ""),
                                e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")) from None
        except NoCredentialsError:
            raise StoreError(f"{what}失败：没有对象存储的访问凭据。请设置 AWS_ACCESS_KEY_ID 和 "
                             "AWS_SECRET_ACCESS_KEY。") from None
        except S3UploadFailedError as e:  # upload_file wraps the refusal: "An error occurred (Code) when …"
            code = re.search(r"\((\w+)\)", str(e))
            if code and code.group(1) not in ("RequestTimeout", "SlowDown", "InternalError"):
                raise self._refusal(what, code.group(1), None) from None
            raise self._unreachable(what, e) from None
        except (BotoCoreError, ConnectionError, TimeoutError) as e:  # the network, not a local disk error
            raise self._unreachable(what, e) from None

    def _unreachable(self, what: str, e: Exception) -> StoreError:
        return StoreError(f"{what}失败：无法连接对象存储 {self.endpoint} 的存储桶 {self.bucket}"
                          f"（{type(e).__name__}）。请检查网络和 AWS_ENDPOINT_URL。")

    def _key(self, key: str) -> str:
        return self.prefix + key

    def _get(self, key: str, what: str) -> Tagged:
        with self._errors(what):
            try:
                r = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
            except self.client.exceptions.NoSuchKey:
                return Tagged(None, None)
            return Tagged(r["Body"].read(), r["ETag"])

    def pointer(self, max_age: float = 0.0) -> Tagged:
        """CURRENT and its ETag, read from the bucket at most once per `max_age` seconds."""
        with self._lock:
            now = time.monotonic()
            if self._pointer is not None and now - self._pointer[0] < max_age:
                return self._pointer[1]
        got = self._get("CURRENT", "读取当前快照指针 CURRENT ")
        with self._lock:
            self._pointer = (time.monotonic(), got)
        return got

    def put_if(self, key: str, data: bytes, tag: str | None) -> None:
        """PUT with If-Match: tag (If-None-Match: * when tag is None); refused → Conflict."""
        cond = {"IfMatch": tag} if tag else {"IfNoneMatch": "*"}
        with self._errors(f"写入 {key} "):
            r = self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, **cond)
        if key == "CURRENT":
            with self._lock:
                self._pointer = (time.monotonic(), Tagged(data, r["ETag"]))

    def read(self, key: str) -> bytes | None:
        """An object's bytes, None when absent (manifests are immutable: kept in memory)."""
        if key in self._manifests:
            return self._manifests[key]
        data = self._get(key, f"读取 {key} ").data
        if data is not None and key.endswith("/" + MANIFEST):
            self._manifests[key] = data
        return data

    def _listing(self) -> dict[str, dict[str, dict]]:
        """{snapshot id: {file name: its listing entry}} of everything under snapshots/."""
        out: dict[str, dict[str, dict]] = {}
        base = self._key(SNAPSHOTS + "/")
        with self._errors("列出快照"):
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=base):
                for obj in page.get("Contents", []):
                    sid, _, name = obj["Key"][len(base):].partition("/")
                    out.setdefault(sid, {})[name] = obj
        return out

    def ids(self) -> list[str]:
        """Snapshots whose manifest was uploaded (the last step of `install`)."""
        return sorted(sid for sid, files in self._listing().items() if MANIFEST in files)

    def snapshot_dir(self, sid: str) -> Path:
        """The local cache folder of a snapshot's files."""
        return self.local / SNAPSHOTS / sid

    def _hash_object(self, key: str) -> tuple[str, int] | None:
        """(sha256, size) of an object as stored, streamed; None when absent."""
        h, n = hashlib.sha256(), 0
        with self._errors(f"校验 {key} "):
            try:
                body = self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]
            except self.client.exceptions.NoSuchKey:
                return None
            for chunk in body.iter_chunks(1 << 20):
                h.update(chunk)
                n += len(chunk)
        return h.hexdigest(), n

    def install(self, sid: str, folder: Path, files: dict[str, dict], say=None) -> None:
        """Upload every file, verify each one read back (size and sha256 against the manifest),
        then upload the manifest last.  On any failure the uploaded objects are removed (as far
        as the bucket can still be reached) and the error is raised: nothing becomes visible."""
        say = say or (lambda f, t: None)
        keys = [f"{SNAPSHOTS}/{sid}/{entry['file']}" for entry in files.values()]
        try:
            for i, (name, entry) in enumerate(files.items()):
                say(0.9 + 0.05 * i / len(files), f"上传 {entry['file']}")
                with self._errors(f"上传 {entry['file']} "):
                    self.client.upload_file(str(folder / entry["file"]), self.bucket, self._key(keys[i]))
            say(0.95, "校验已上传的文件")
            for key, entry in zip(keys, files.values()):
                if self._hash_object(key) != (entry["sha256"], entry["bytes"]):
                    raise StoreError(f"上传后校验失败：{key} 的大小或 sha256 与清单不符，本次未发布。")
            manifest = (folder / MANIFEST).read_bytes()
            keys.append(f"{SNAPSHOTS}/{sid}/{MANIFEST}")
            with self._errors(f"上传 {MANIFEST} "):
                self.client.put_object(Bucket=self.bucket, Key=self._key(keys[-1]), Body=manifest)
            if self._get(keys[-1], f"校验 {MANIFEST} ").data != manifest:
                raise StoreError(f"上传后校验失败：{keys[-1]} 与本地清单不符，本次未发布。")
        except BaseException:
            self._remove(keys)
            raise
        shutil.rmtree(folder, ignore_errors=True)

    def _remove(self, keys: list[str]) -> None:
        """Delete objects, best effort (the bucket may be unreachable: then they stay unlisted
        leftovers without a manifest, removed later by `stale`)."""
        try:
            with self._errors("清理"):
                for i in range(0, len(keys), 1000):
                    self.client.delete_objects(Bucket=self.bucket, Delete={
                        "Objects": [{"Key": self._key(k)} for k in keys[i:i + 1000]], "Quiet": True})
        except StoreError:
            pass

    def fetch(self, sid: str, name: str, sha: str) -> str | None:
        """Make the cached copy of a file present and whole: downloaded once (to a temp name,
        verified, then renamed, so processes sharing the cache never see half a file)."""
        dest = self.snapshot_dir(sid) / name
        if dest.is_file() and sha256_file(dest) == sha:
            return None
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{name}.{secrets.token_hex(4)}")
        try:
            with self._errors(f"下载 {name} "):
                try:
                    self.client.download_file(self.bucket, self._key(f"{SNAPSHOTS}/{sid}/{name}"), str(tmp))
                except Exception as e:  # boto reports a missing key on download as a bare 404
                    if getattr(e, "response", {}).get("Error", {}).get("Code") in ("404", "NoSuchKey"):
                        return "file missing"
                    raise
            if sha256_file(tmp) != sha:
                return "sha256 differs"
            tmp.chmod(0o444)
            os.replace(tmp, dest)
            return None
        finally:
            tmp.unlink(missing_ok=True)

    def check(self, sid: str, name: str, sha: str) -> str | None:
        """The problem with a file as stored in the bucket (None: present and whole)."""
        got = self._hash_object(f"{SNAPSHOTS}/{sid}/{name}")
        if got is None:
            return "file missing"
        return None if got[0] == sha else "sha256 differs"

    def discard(self, sid: str) -> None:
        """Remove a snapshot that never became live (manifest first, so it stops being listed)."""
        files = self._listing().get(sid, {})
        self._remove([f"{SNAPSHOTS}/{sid}/{n}" for n in sorted(files, key=lambda n: n != MANIFEST)])

    def stale(self, min_age_s: float) -> list[str]:
        """Remove uploads of publishes that died before their manifest (older than `min_age_s`)."""
        cutoff = time.time() - min_age_s
        gone = []
        for sid, files in self._listing().items():
            if MANIFEST not in files and all(o["LastModified"].timestamp() < cutoff for o in files.values()):
                self._remove([f"{SNAPSHOTS}/{sid}/{n}" for n in files])
                gone.append(sid)
        return gone


_stores: dict[tuple, FolderStore | BucketStore] = {}
_stores_lock = threading.Lock()


def open_store(location: str | Path | FolderStore | BucketStore | None = None) -> FolderStore | BucketStore:
    """The store at `location` (a folder, or s3://bucket/prefix; default $DASHBOARD_DATA_DIR).
    One per location, credentials and cache dir per process, so the CURRENT interval and caches
    are shared."""
    if isinstance(location, (FolderStore, BucketStore)):
        return location
    loc = str(location) if location is not None else config.data_location()
    if not config.is_bucket(loc):
        return FolderStore(config.local_dir(loc))
    ident = hashlib.sha256("\0".join(os.environ.get(v, "") for v in (
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "DASHBOARD_CACHE_DIR",
        "DASHBOARD_S3_ADDRESSING_STYLE")).encode()).hexdigest()
    with _stores_lock:
        store = _stores.get((loc, ident))
        if store is None:
            store = _stores[(loc, ident)] = BucketStore(loc)
        return store
